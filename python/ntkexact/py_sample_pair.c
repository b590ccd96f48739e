/* ntkexact._ntkexact._sample_pair: the two-input sampler
   (ntk_sample_pair_run) for ntkexact.sample(..., xy=...). */

#include "py_sample_pair.h"

/* A tuple of the n doubles of v, or of the keys when v is NULL. */
static PyObject *
pair_tuple(const double * v)
{
    PyObject * t = PyTuple_New(NTK_SAMPLE_PAIR_N);
    int q;
    if (t == NULL)
        return NULL;
    for (q = 0; q < NTK_SAMPLE_PAIR_N; q++)
    {
        PyObject * x = v != NULL ? PyFloat_FromDouble(v[q])
                                 : PyUnicode_FromString(ntk_sample_pair_name(q));
        if (x == NULL)
        {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, q, x);
    }
    return t;
}

PyObject *
py_sample_pair(PyObject * self, PyObject * args)
{
    const char * widths;
    PyObject * x2_obj, * y2_obj, * xy_obj, * conv_obj, * seed_obj, * result = NULL;
    PyObject * names = NULL, * mean = NULL, * se = NULL;
    int law, method, threads, status;
    long long samples;
    unsigned long long seed;
    ntk_profile_t prof;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_error_t err;
    ntk_sample_pair_result_t res;
    bridge_interrupt_t it;
    fmpq_t x2, y2, xy;
    if (!PyArg_ParseTuple(args, "sOOOOiiLO!i", &widths, &x2_obj, &y2_obj, &xy_obj, &conv_obj,
                          &law, &method, &samples, &PyLong_Type, &seed_obj, &threads))
        return NULL;
    seed = PyLong_AsUnsignedLongLong(seed_obj);    /* OverflowError outside 0..2^64-1 */
    if (seed == (unsigned long long) -1 && PyErr_Occurred())
        return NULL;
    ntk_profile_init(prof); ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(y2); fmpq_init(xy);
    if (bridge_pair_set(prof, x2, y2, xy, widths, x2_obj, y2_obj, xy_obj) < 0
        || bridge_conv_set(conv, conv_obj) < 0 || bridge_exec_set(exec, &it, threads, 0) < 0)
        goto done;
    Py_BEGIN_ALLOW_THREADS
    status = ntk_sample_pair_run(&res, prof, conv, (ntk_law_t) law, (ntk_sample_method_t) method,
                                 x2, y2, xy, (slong) samples, (ulong) seed, exec, &err);
    Py_END_ALLOW_THREADS
    if (status != NTK_OK)
    {
        bridge_raise(&err, NULL);
        goto done;
    }
    if ((names = pair_tuple(NULL)) != NULL && (mean = pair_tuple(res.mean)) != NULL
        && (se = pair_tuple(res.std_error)) != NULL)
        result = Py_BuildValue("(LOOOs)", (long long) res.samples, names, mean, se,
                               ntk_sample_method_name(res.method));
done:
    Py_XDECREF(names);
    Py_XDECREF(mean);
    Py_XDECREF(se);
    fmpq_clear(x2); fmpq_clear(y2); fmpq_clear(xy);
    ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(prof);
    return result;
}
