/* The NTK of two inputs and the infinite-width Gram matrices, for
   ntkexact.kernel and ntkexact.kernel_gram: every value a decimal string
   whose every digit the library certified (ball arithmetic), which the
   package turns into decimal.Decimal.  The computation runs without the
   GIL; the progress callback lets Ctrl-C stop it. */

#include "py_kernel.h"

/* A tuple of the n strings, or NULL with an exception. */
static PyObject *
str_tuple(char * const * v, slong n)
{
    PyObject * t = PyTuple_New(n);
    slong k;
    for (k = 0; t != NULL && k < n; k++)
    {
        PyObject * s = PyUnicode_FromString(v[k]);
        if (s == NULL)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, k, s);
    }
    return t;
}

/* The certified decimal of x; the library certified it, so NULL cannot
   happen, but it is an exception rather than a crash. */
static PyObject *
decimal_str(const arb_t x, slong digits)
{
    char * s = ntk_kernel_get_decimal(x, digits);
    PyObject * r;
    if (s == NULL)
        return PyErr_Format(PyExc_RuntimeError, "kernel: a value lost its certified digits "
                            "(please report)");
    r = PyUnicode_FromString(s);
    flint_free(s);
    return r;
}

/* A tuple of the decimals of the n balls v. */
static PyObject *
arb_tuple(arb_srcptr v, slong n, slong digits)
{
    PyObject * t = PyTuple_New(n);
    slong k;
    for (k = 0; t != NULL && k < n; k++)
    {
        PyObject * s = decimal_str(v + k, digits);
        if (s == NULL)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, k, s);
    }
    return t;
}

/* (depth, [widths], widths_spec, cw_hidden, activation, a_plus, a_minus):
   what the command's JSON header says of the profile and the conventions
   the library settled (cw_hidden's default is the critical one). */
static PyObject *
header(const ntk_profile_t prof, const ntk_conv_t conv)
{
    PyObject * widths = PyList_New(prof->depth + 1), * r = NULL, * ch = NULL, * ap = NULL,
             * am = NULL;
    char * spec = ntk_profile_get_str(prof), * act = ntk_conv_get_activation_str(conv);
    slong i;
    for (i = 0; widths != NULL && i <= prof->depth; i++)
    {
        PyObject * w = PyLong_FromUnsignedLong(ntk_profile_width(prof, i));
        if (w == NULL)
            Py_CLEAR(widths);
        else
            PyList_SET_ITEM(widths, i, w);
    }
    if (widths != NULL && (ch = bridge_fmpq_to_py(conv->cw_hidden)) != NULL
        && (ap = bridge_fmpq_to_py(conv->a_plus)) != NULL
        && (am = bridge_fmpq_to_py(conv->a_minus)) != NULL)
        r = Py_BuildValue("(nOsOsOO)", (Py_ssize_t) prof->depth, widths, spec, ch, act, ap, am);
    Py_XDECREF(widths); Py_XDECREF(ch); Py_XDECREF(ap); Py_XDECREF(am);
    flint_free(spec);
    flint_free(act);
    return r;
}

/* The result of one computed pair: (header, infinite, sums, at_widths,
   per_layer); infinite holds Theta_xy, Theta_xx, Theta_yy, Sigma_xy,
   Sigma_xx, Sigma_yy (the JSON's order), sums and at_widths the
   coefficients in the order of ntk_kernel_coeff_t (None at order 0),
   per_layer a tuple per coefficient of the layers' values (or None). */
static PyObject *
kernel_result(const ntk_kernel_t k, const ntk_profile_t prof, const ntk_conv_t conv, slong digits)
{
    static const int inf_index[6] = { 1, 0, 2, 1, 0, 2 };
    arb_struct inf[6];
    PyObject * head = header(prof, conv), * infs = NULL, * sums = NULL, * at = NULL,
             * layers = NULL, * r = NULL;
    int i, ok = head != NULL;
    for (i = 0; i < 6; i++)
        inf[i] = i < 3 ? k->theta[inf_index[i]] : k->sigma[inf_index[i]];   /* shallow */
    ok = ok && (infs = arb_tuple(inf, 6, digits)) != NULL;
    if (ok && k->what != NTK_KERNEL_INFINITE)
        ok = (sums = arb_tuple(k->coeff_sum, NTK_KERNEL_N_COEFFS, digits)) != NULL
             && (at = arb_tuple(k->first_order, NTK_KERNEL_N_COEFFS, digits)) != NULL;
    if (ok && k->what == NTK_KERNEL_PER_LAYER)
    {
        ok = (layers = PyTuple_New(NTK_KERNEL_N_COEFFS)) != NULL;
        for (i = 0; ok && i < NTK_KERNEL_N_COEFFS; i++)
        {
            PyObject * t = arb_tuple(k->coeff[i], k->n_hidden, digits);
            ok = t != NULL;
            if (ok)
                PyTuple_SET_ITEM(layers, i, t);
        }
    }
    if (ok)
        r = Py_BuildValue("(OOOOO)", head, infs, sums ? sums : Py_None, at ? at : Py_None,
                          layers ? layers : Py_None);
    Py_XDECREF(head); Py_XDECREF(infs); Py_XDECREF(sums); Py_XDECREF(at); Py_XDECREF(layers);
    return r;
}

PyObject *
py_kernel(PyObject * self, PyObject * args)
{
    const char * widths;
    PyObject * x2_obj, * y2_obj, * xy_obj, * conv_obj, * result = NULL;
    int what, status;
    long long digits;
    ntk_profile_t prof;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_kernel_t k;
    ntk_error_t err;
    bridge_interrupt_t it;
    fmpq_t x2, y2, xy;
    if (!PyArg_ParseTuple(args, "sOOOOiL", &widths, &x2_obj, &y2_obj, &xy_obj, &conv_obj, &what,
                          &digits))
        return NULL;
    if (what < NTK_KERNEL_INFINITE || what > NTK_KERNEL_PER_LAYER)
        return PyErr_Format(PyExc_ValueError, "order: %d is not one of the kernel's", what);
    ntk_profile_init(prof); ntk_conv_init(conv); ntk_exec_init(exec); ntk_kernel_init(k);
    fmpq_init(x2); fmpq_init(y2); fmpq_init(xy);
    if (bridge_pair_set(prof, x2, y2, xy, widths, x2_obj, y2_obj, xy_obj) < 0
        || bridge_conv_set(conv, conv_obj) < 0 || bridge_exec_set(exec, &it, 1, 0) < 0)
        goto done;
    if (ntk_kernel_check_inputs(x2, y2, xy, &err) != NTK_OK)
    {
        bridge_raise(&err, NULL);
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    status = ntk_kernel_compute_digits(k, prof, x2, y2, xy, conv, (ntk_kernel_what_t) what,
                                       (slong) digits, exec, &err);
    Py_END_ALLOW_THREADS
    if (status != NTK_OK)
        bridge_raise(&err, NULL);
    else
        result = kernel_result(k, prof, conv, (slong) digits);
done:
    fmpq_clear(x2); fmpq_clear(y2); fmpq_clear(xy);
    ntk_kernel_clear(k); ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(prof);
    return result;
}

/* _kernel_gram(widths, gram, m, conv, digits, threads) -> (theta, sigma),
   each a tuple of m * m decimal strings, row-major; gram is a list of the
   m * m entries (each a str or a (num, den) pair), row-major. */
PyObject *
py_kernel_gram(PyObject * self, PyObject * args)
{
    const char * widths;
    PyObject * gram_obj, * conv_obj, * result = NULL, * th = NULL, * sg = NULL;
    Py_ssize_t m, i;
    int threads, status;
    long long digits;
    ntk_profile_t prof;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_error_t err;
    bridge_interrupt_t it;
    fmpq * gram;
    char ** theta, ** sigma;
    if (!PyArg_ParseTuple(args, "sO!nOLi", &widths, &PyList_Type, &gram_obj, &m, &conv_obj,
                          &digits, &threads))
        return NULL;
    if (m < 0 || m > 100000 || PyList_GET_SIZE(gram_obj) != m * m)
        return PyErr_Format(PyExc_ValueError, "gram: expected %zd entries", m * m);
    ntk_profile_init(prof); ntk_conv_init(conv); ntk_exec_init(exec);
    gram = _fmpq_vec_init(FLINT_MAX(m * m, 1));
    theta = flint_calloc(FLINT_MAX(m * m, 1), sizeof(char *));
    sigma = flint_calloc(FLINT_MAX(m * m, 1), sizeof(char *));
    if (ntk_profile_set_str(prof, widths, &err) != NTK_OK)
    {
        bridge_raise(&err, NULL);
        goto done;
    }
    for (i = 0; i < m * m; i++)
        if (bridge_fmpq_from_py(gram + i, PyList_GET_ITEM(gram_obj, i), "gram") < 0)
            goto done;
    if (bridge_conv_set(conv, conv_obj) < 0 || bridge_exec_set(exec, &it, threads, 0) < 0)
        goto done;
    Py_BEGIN_ALLOW_THREADS
    status = ntk_kernel_gram_get_strs(theta, sigma, gram, (slong) m, prof, conv, (slong) digits,
                                      exec, &err);
    Py_END_ALLOW_THREADS
    if (status != NTK_OK)
    {
        bridge_raise(&err, NULL);
        goto done;
    }
    if ((th = str_tuple(theta, m * m)) != NULL && (sg = str_tuple(sigma, m * m)) != NULL)
        result = PyTuple_Pack(2, th, sg);
    Py_XDECREF(th);
    Py_XDECREF(sg);
done:
    for (i = 0; i < m * m; i++)
    {
        flint_free(theta[i]);
        flint_free(sigma[i]);
    }
    flint_free(theta);
    flint_free(sigma);
    _fmpq_vec_clear(gram, FLINT_MAX(m * m, 1));
    ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(prof);
    return result;
}
