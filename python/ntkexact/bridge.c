/* Python objects to and from FLINT values, errors, and the signal check
   (see bridge.h).  Integers cross the boundary in base 16: CPython converts
   power-of-two bases in linear time and without the limit on the length of
   decimal strings (sys.set_int_max_str_digits), and the exact moments can
   have millions of digits. */

#include <string.h>
#include <time.h>
#include "bridge.h"

int
bridge_fmpz_from_py(fmpz_t res, PyObject * obj)
{
    PyObject * hex;
    const char * s;
    int overflow, neg;
    long long v;
    if (!PyLong_Check(obj))
    {
        PyErr_Format(PyExc_TypeError, "expected an int, not %.100s", Py_TYPE(obj)->tp_name);
        return -1;
    }
    v = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (!overflow)
    {
        fmpz_set_si(res, (slong) v);
        return 0;
    }
    hex = PyNumber_ToBase(obj, 16);    /* "0x..." or "-0x..." */
    if (hex == NULL)
        return -1;
    s = PyUnicode_AsUTF8(hex);
    if (s == NULL)
    {
        Py_DECREF(hex);
        return -1;
    }
    neg = (s[0] == '-');
    if (fmpz_set_str(res, s + neg + 2, 16) != 0)
    {
        Py_DECREF(hex);
        PyErr_SetString(PyExc_SystemError, "ntkexact: cannot read the hexadecimal form of an int");
        return -1;
    }
    if (neg)
        fmpz_neg(res, res);
    Py_DECREF(hex);
    return 0;
}

PyObject *
bridge_fmpz_to_py(const fmpz_t x)
{
    PyObject * r;
    char * buf;
    if (fmpz_fits_si(x))
        return PyLong_FromLongLong((long long) fmpz_get_si(x));
    /* our own buffer: a sign, the digits, the terminating zero */
    buf = PyMem_Malloc(fmpz_sizeinbase(x, 16) + 2);
    if (buf == NULL)
        return PyErr_NoMemory();
    fmpz_get_str(buf, 16, x);
    r = PyLong_FromString(buf, NULL, 16);
    PyMem_Free(buf);
    return r;
}

/* A rational given as a tuple (numerator, denominator) of ints. */
static int
fmpq_from_pair(fmpq_t res, PyObject * obj, const char * param)
{
    fmpz_t num, den;
    int status = -1;
    fmpz_init(num);
    fmpz_init(den);
    if (bridge_fmpz_from_py(num, PyTuple_GET_ITEM(obj, 0)) < 0
        || bridge_fmpz_from_py(den, PyTuple_GET_ITEM(obj, 1)) < 0)
        goto done;
    if (fmpz_is_zero(den))
    {
        PyErr_Format(PyExc_ValueError, "%s: the denominator is zero", param);
        goto done;
    }
    fmpq_set_fmpz_frac(res, num, den);    /* canonical: lowest terms, den > 0 */
    status = 0;
done:
    fmpz_clear(num);
    fmpz_clear(den);
    return status;
}

int
bridge_fmpq_from_py(fmpq_t res, PyObject * obj, const char * param)
{
    ntk_error_t err;
    if (PyUnicode_Check(obj))
    {
        Py_ssize_t len;
        const char * s = PyUnicode_AsUTF8AndSize(obj, &len);
        if (s == NULL)
            return -1;
        /* the library reads C strings: a NUL would cut the text short */
        if ((Py_ssize_t) strlen(s) != len)
        {
            PyErr_Format(PyExc_ValueError, "%s: the text contains a NUL character", param);
            return -1;
        }
        if (ntk_rational_set_str(res, s, param, &err) != NTK_OK)
            return bridge_fail(&err, NULL);
        return 0;
    }
    if (PyTuple_Check(obj) && PyTuple_GET_SIZE(obj) == 2)
        return fmpq_from_pair(res, obj, param);
    PyErr_Format(PyExc_TypeError, "%s: expected a str or a (numerator, denominator) pair, not %.100s",
                 param, Py_TYPE(obj)->tp_name);
    return -1;
}

PyObject *
bridge_fmpq_to_py(const fmpq_t x)
{
    PyObject * num = bridge_fmpz_to_py(fmpq_numref(x)), * den, * r;
    if (num == NULL)
        return NULL;
    den = bridge_fmpz_to_py(fmpq_denref(x));
    if (den == NULL)
    {
        Py_DECREF(num);
        return NULL;
    }
    r = PyTuple_Pack(2, num, den);
    Py_DECREF(num);
    Py_DECREF(den);
    return r;
}

PyObject *
bridge_raise(const ntk_error_t * err, const char * hint)
{
    switch (err->status)
    {
        case NTK_ERR_INTERRUPTED:
            /* the signal check left the handler's exception (KeyboardInterrupt) */
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_KeyboardInterrupt, err->message);
            break;
        case NTK_ERR_RESOURCE:
            PyErr_SetString(PyExc_RuntimeError, err->message);
            break;
        case NTK_ERR_TOO_LARGE:
            if (hint != NULL)
            {
                PyErr_Format(PyExc_ValueError, "%s; %s", err->message, hint);
                break;
            }
            /* fall through */
        default:
            PyErr_SetString(PyExc_ValueError, err->message);
    }
    return NULL;
}

int
bridge_fail(const ntk_error_t * err, const char * hint)
{
    bridge_raise(err, hint);
    return -1;
}

static double
seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

/* The library calls this under its progress lock, from any worker thread;
   stop is therefore seen by every worker. */
static int
interrupt_check(void * data, slong done, slong total)
{
    bridge_interrupt_t * it = data;
    double now;
    PyGILState_STATE gil;
    if (it->stop)
        return 1;
    if (!pthread_equal(pthread_self(), it->caller))
        return 0;
    now = seconds_now();
    if (now - it->last < 0.02)
        return 0;
    it->last = now;
    gil = PyGILState_Ensure();
    if (PyErr_CheckSignals() < 0)
        it->stop = 1;    /* the exception stays set for bridge_raise */
    PyGILState_Release(gil);
    return it->stop;
}

void
bridge_interrupt_init(bridge_interrupt_t * it, ntk_exec_t exec)
{
    it->caller = pthread_self();
    it->last = seconds_now();
    it->stop = 0;
    exec->progress = interrupt_check;
    exec->progress_data = it;
}

int
bridge_exec_set(ntk_exec_t exec, bridge_interrupt_t * it, int threads, slong precision)
{
    ntk_error_t err;
    exec->threads = threads;
    exec->precision = precision;
    bridge_interrupt_init(it, exec);
    if (ntk_exec_validate(exec, &err) != NTK_OK)
        return bridge_fail(&err, NULL);
    return 0;
}

int
bridge_conv_set(ntk_conv_t conv, PyObject * tuple)
{
    PyObject * mu4, * cw_hidden, * cw_output, * mu6 = Py_None, * mu8 = Py_None;
    const char * activation;
    int param, bias;
    ntk_error_t err;
    if (!PyArg_ParseTuple(tuple, "OOOiis|OO", &mu4, &cw_hidden, &cw_output, &param, &bias,
                          &activation, &mu6, &mu8))
        return -1;
    /* the law's higher moments, when given (else the Gaussian 15, 105) */
    if ((mu6 != Py_None && bridge_fmpq_from_py(conv->mu6, mu6, "mu6") < 0)
        || (mu8 != Py_None && bridge_fmpq_from_py(conv->mu8, mu8, "mu8") < 0))
        return -1;
    if (ntk_conv_set_activation_str(conv, activation, &err) != NTK_OK)
        return bridge_fail(&err, NULL);
    /* without cw_hidden, the activation's critical variance (2 for ReLU) */
    if (cw_hidden == Py_None)
        ntk_conv_critical(conv->cw_hidden, conv);
    else if (bridge_fmpq_from_py(conv->cw_hidden, cw_hidden, "cw_hidden") < 0)
        return -1;
    if (bridge_fmpq_from_py(conv->mu4, mu4, "mu4") < 0
        || bridge_fmpq_from_py(conv->cw_output, cw_output, "cw_output") < 0)
        return -1;
    conv->param = (ntk_param_t) param;
    conv->bias = bias;
    if (ntk_conv_validate(conv, &err) != NTK_OK)
        return bridge_fail(&err, NULL);
    return 0;
}

int
bridge_x2_set(fmpq_t x2, PyObject * obj)
{
    if (bridge_fmpq_from_py(x2, obj, "x2") < 0)
        return -1;
    if (fmpq_sgn(x2) < 0)
    {
        char * s = ntk_rational_get_str(x2);
        PyErr_Format(PyExc_ValueError, "x2 '%s': the squared norm of the input must be >= 0", s);
        flint_free(s);
        return -1;
    }
    return 0;
}

int
bridge_pair_set(ntk_profile_t prof, fmpq_t x2, fmpq_t y2, fmpq_t xy, const char * widths,
                PyObject * x2_obj, PyObject * y2_obj, PyObject * xy_obj)
{
    ntk_error_t err;
    if (ntk_profile_set_str(prof, widths, &err) != NTK_OK)
        return bridge_fail(&err, NULL);
    if (bridge_fmpq_from_py(x2, x2_obj, "x2") < 0 || bridge_fmpq_from_py(y2, y2_obj, "y2") < 0
        || bridge_fmpq_from_py(xy, xy_obj, "xy") < 0)
        return -1;
    return 0;
}
