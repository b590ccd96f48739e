/* ntkexact._ntkexact, the functions of ntkexact.testing: the exact variances
   of the estimates (ntk_check_variance, the library's one table), the
   comparison of a row, the Bonferroni threshold and the plan of the median
   of means.  testing.py decides with these, as `ntkexact check` does. */

#include "bridge.h"

/* A list of the variances of the order-2 estimates from `size` samples:
   (num, den) pairs, None where no exact variance is known. */
static PyObject *
variances_list(const ntk_check_t c, slong size)
{
    int q, n = ntk_quantity_count(2);
    PyObject * list = PyList_New(n);
    fmpq_t v;
    fmpq_init(v);
    for (q = 0; list != NULL && q < n; q++)
    {
        PyObject * x;
        if (ntk_check_variance(v, c, (ntk_quantity_t) q, size))
            x = bridge_fmpq_to_py(v);
        else
        {
            Py_INCREF(Py_None);
            x = Py_None;
        }
        if (x == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, q, x);
    }
    fmpq_clear(v);
    return list;
}

PyObject *
bridge_check_variances(PyObject * self, PyObject * args)
{
    const char * widths;
    PyObject * x2_obj, * conv_obj, * sizes, * result = NULL;
    int gaussian, order, threads, status;
    ntk_profile_t prof;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_check_t c;
    ntk_error_t err;
    bridge_interrupt_t it;
    fmpq_t x2;
    Py_ssize_t i, n;
    if (!PyArg_ParseTuple(args, "sOOiiO!i", &widths, &x2_obj, &conv_obj, &gaussian, &order,
                          &PyList_Type, &sizes, &threads))
        return NULL;
    ntk_profile_init(prof); ntk_conv_init(conv); ntk_exec_init(exec); ntk_check_init(c);
    fmpq_init(x2);
    if (ntk_profile_set_str(prof, widths, &err) != NTK_OK)
    {
        bridge_raise(&err, NULL);
        goto done;
    }
    if (bridge_x2_set(x2, x2_obj) < 0 || bridge_conv_set(conv, conv_obj) < 0
        || bridge_exec_set(exec, &it, threads, 0) < 0)
        goto done;
    Py_BEGIN_ALLOW_THREADS
    status = ntk_check_compute(c, prof, conv, x2, order, gaussian, exec, &err);
    Py_END_ALLOW_THREADS
    if (status != NTK_OK)
    {
        bridge_raise(&err, "use bias=False");
        goto done;
    }
    n = PyList_GET_SIZE(sizes);
    result = PyList_New(n);
    for (i = 0; result != NULL && i < n; i++)
    {
        long long size = PyLong_AsLongLong(PyList_GET_ITEM(sizes, i));
        PyObject * list = (size == -1 && PyErr_Occurred()) ? NULL : variances_list(c, (slong) size);
        if (list == NULL)
            Py_CLEAR(result);
        else
            PyList_SET_ITEM(result, i, list);
    }
done:
    fmpq_clear(x2);
    ntk_check_clear(c); ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(prof);
    return result;
}

PyObject *
bridge_check_compare(PyObject * self, PyObject * args)
{
    PyObject * exact_obj, * var_obj, * r = NULL;
    double estimate, stderr_, threshold, z;
    ntk_check_verdict_t v;
    fmpq_t exact, var;
    if (!PyArg_ParseTuple(args, "OdOdd", &exact_obj, &estimate, &var_obj, &stderr_, &threshold))
        return NULL;
    fmpq_init(exact); fmpq_init(var);
    if (bridge_fmpq_from_py(exact, exact_obj, "exact") == 0
        && (var_obj == Py_None || bridge_fmpq_from_py(var, var_obj, "variance") == 0))
    {
        v = ntk_check_compare(&z, exact, estimate, var_obj == Py_None ? NULL : var, stderr_,
                              threshold);
        r = Py_BuildValue("(id)", (int) v, z);
    }
    fmpq_clear(exact); fmpq_clear(var);
    return r;
}

PyObject *
bridge_check_threshold(PyObject * self, PyObject * args)
{
    double alpha;
    long long q;
    if (!PyArg_ParseTuple(args, "dL", &alpha, &q))
        return NULL;
    return PyFloat_FromDouble(ntk_check_threshold(alpha, (slong) q));
}

PyObject *
bridge_check_median_plan(PyObject * self, PyObject * args)
{
    double alpha;
    long long samples, chunk;
    ntk_check_median_t plan;
    ntk_error_t err;
    if (!PyArg_ParseTuple(args, "dLL", &alpha, &samples, &chunk))
        return NULL;
    if (ntk_check_median_plan(&plan, alpha, (slong) samples, (slong) chunk, &err) != NTK_OK)
        return bridge_raise(&err, NULL);
    return Py_BuildValue("(LLdddd)", (long long) plan.blocks, (long long) plan.min_block, plan.t,
                         plan.bound, plan.threshold, plan.catches);
}
