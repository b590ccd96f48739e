/* ntkexact._ntkexact._expand and _series: the moments as exact functions of
   the hidden width (ntk_expand_compute_order) or truncated series in 1/n
   (ntk_expand_series_order), and the series whose coefficients are functions
   of the depth (ntk_series_compute_order), as the plain Python values that
   ntkexact.expand turns into Fractions. */

#include "py_expand.h"

/* ------------------------------------------------ expansions */

/* Part j of quantity q: a list of (power, num, den), highest power first,
   non-zero coefficients only (as the command's JSON). */
static PyObject *
expand_part(const ntk_expand_t e, int q, slong j)
{
    PyObject * list = PyList_New(0);
    slong lo, hi, p;
    fmpq_t c;
    if (list == NULL)
        return NULL;
    fmpq_init(c);
    ntk_expand_powers(&lo, &hi, e, (ntk_quantity_t) q, j);
    for (p = hi; p >= lo; p--)
    {
        PyObject * pair, * item;
        ntk_expand_coeff(c, e, (ntk_quantity_t) q, j, p);
        if (fmpq_is_zero(c))
            continue;
        pair = bridge_fmpq_to_py(c);
        item = pair ? Py_BuildValue("(LOO)", (long long) p, PyTuple_GET_ITEM(pair, 0),
                                    PyTuple_GET_ITEM(pair, 1)) : NULL;
        Py_XDECREF(pair);
        if (item == NULL || PyList_Append(list, item) < 0)
        {
            Py_XDECREF(item);
            Py_CLEAR(list);
            break;
        }
        Py_DECREF(item);
    }
    fmpq_clear(c);
    return list;
}

/* The parts of every quantity of the expansion's moment order, None for the
   ratios (Skew2_K, Kurt_K: no expansion). */
static PyObject *
expand_parts(const ntk_expand_t e)
{
    int n_q = ntk_quantity_count(e->moment_order), q;
    PyObject * all = PyList_New(n_q);
    slong j;
    if (all == NULL)
        return NULL;
    for (q = 0; q < n_q; q++)
    {
        PyObject * parts;
        if (ntk_quantity_is_ratio((ntk_quantity_t) q))
        {
            Py_INCREF(Py_None);
            PyList_SET_ITEM(all, q, Py_None);
            continue;
        }
        parts = PyList_New(e->n_parts[q]);
        if (parts == NULL)
            goto fail;
        PyList_SET_ITEM(all, q, parts);
        for (j = 0; j < e->n_parts[q]; j++)
        {
            PyObject * part = expand_part(e, q, j);
            if (part == NULL)
                goto fail;
            PyList_SET_ITEM(parts, j, part);
        }
    }
    return all;
fail:
    Py_DECREF(all);
    return NULL;
}

/* The series in 1/n of num/den^k to `order` (minus 1 if asked), as a list
   of pairs, or None when it starts with a positive power of n (or den is 0). */
static PyObject *
expand_series(const ntk_expand_t e, ntk_quantity_t num, ntk_quantity_t den, int k,
              slong order, int minus_one)
{
    fmpq * s = _fmpq_vec_init(order + 1);
    PyObject * list = NULL;
    slong i;
    if (ntk_expand_ratio_series(s, e, num, den, k, order) != 1)
    {
        _fmpq_vec_clear(s, order + 1);
        Py_RETURN_NONE;
    }
    if (minus_one)
        fmpq_sub_si(s, s, 1);
    list = PyList_New(order + 1);
    for (i = 0; list != NULL && i <= order; i++)
    {
        PyObject * c = bridge_fmpq_to_py(s + i);
        if (c == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, c);
    }
    _fmpq_vec_clear(s, order + 1);
    return list;
}

/* The series of the expansion: E[K^2]/E[K]^2 - 1, E[dK]/(lambda E[K]) and,
   at moment order 3 and 4, E[K^3]/E[K]^3 and E[K^4]/E[K]^4 (as the
   command's JSON). */
static PyObject *
expand_all_series(const ntk_expand_t e, slong order)
{
    int n = e->moment_order, k;
    PyObject * t = PyTuple_New(n);
    for (k = 0; t != NULL && k < n; k++)
    {
        PyObject * s;
        if (k == 0)
            s = expand_series(e, NTK_E_K2, NTK_E_K, 2, order, 1);
        else if (k == 1)
            s = expand_series(e, NTK_E_DK, NTK_E_K, 1, order, 0);
        else
            s = expand_series(e, k == 2 ? NTK_E_K3 : NTK_E_K4, NTK_E_K, k + 1, order, 0);
        if (s == NULL)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, k, s);
    }
    return t;
}

/* _expand(depth, n0, x2, conv, order[, moments[, series]]) -> (parts,
   series): the parts of the quantities of the moment order (None for the
   ratios), the series of E[K^2]/E[K]^2 - 1, E[dK]/(lambda E[K]) (and
   E[K^3]/E[K]^3, E[K^4]/E[K]^4 at moments 3, 4); with series non-zero the
   expansion truncated after n^-order (ntk_expand_series_order) */
PyObject *
py_expand(PyObject * self, PyObject * args)
{
    PyObject * n0_obj, * x2_obj, * conv_obj, * parts = NULL, * series = NULL;
    PyObject * result = NULL;
    long long depth;
    long order;
    unsigned long long n0;
    int status, moments = 2, series_only = 0;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_expand_t e;
    ntk_error_t err;
    bridge_interrupt_t it;
    fmpq_t x2;
    if (!PyArg_ParseTuple(args, "LO!OOl|ip", &depth, &PyLong_Type, &n0_obj, &x2_obj, &conv_obj,
                          &order, &moments, &series_only))
        return NULL;
    n0 = PyLong_AsUnsignedLongLong(n0_obj);
    if (n0 == (unsigned long long) -1 && PyErr_Occurred())
        return NULL;
    if (order < 0 || order > 1000)
        return PyErr_Format(PyExc_ValueError, "order: %ld is not an integer in 0..1000", order);
    ntk_conv_init(conv); ntk_exec_init(exec); ntk_expand_init(e);
    fmpq_init(x2);
    if (bridge_fmpq_from_py(x2, x2_obj, "x2") < 0 || bridge_conv_set(conv, conv_obj) < 0
        || bridge_exec_set(exec, &it, 1, 0) < 0)
        goto done;
    Py_BEGIN_ALLOW_THREADS
    if (series_only)
        status = ntk_expand_series_order(e, (slong) depth, (slong) order, (ulong) n0, x2, conv,
                                         moments, exec, &err);
    else
        status = ntk_expand_compute_order(e, (slong) depth, (ulong) n0, x2, conv, NTK_EXPAND_PASS, 1,
                                          moments, exec, &err);
    Py_END_ALLOW_THREADS
    if (status != NTK_OK)
    {
        bridge_raise(&err, NULL);
        goto done;
    }
    if ((parts = expand_parts(e)) != NULL && (series = expand_all_series(e, order)) != NULL)
        result = PyTuple_Pack(2, parts, series);
done:
    Py_XDECREF(parts); Py_XDECREF(series);
    fmpq_clear(x2);
    ntk_expand_clear(e); ntk_exec_clear(exec); ntk_conv_clear(conv);
    return result;
}

/* ------------------------------------------------ series in 1/n, symbolic depth */

/* A list of the (num, den) pairs of the coefficients of p, lowest power
   first. */
static PyObject *
poly_list(const fmpq_poly_t p)
{
    slong i, n = fmpq_poly_length(p);
    PyObject * list = PyList_New(n);
    fmpq_t c;
    fmpq_init(c);
    for (i = 0; list != NULL && i < n; i++)
    {
        PyObject * x;
        fmpq_poly_get_coeff_fmpq(c, p, i);
        x = bridge_fmpq_to_py(c);
        if (x == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, x);
    }
    fmpq_clear(c);
    return list;
}

/* [(lambda, poly), ...]: the part of lambda = 1 (p), then those of the
   lambdas of c (parts), zero or not. */
static PyObject *
parts_list(const ntk_series_coeff_struct * c, const fmpq_poly_t p, const fmpq_poly_struct * parts)
{
    PyObject * list = PyList_New(c->n_lambda + 1);
    fmpq_t one;
    slong l;
    fmpq_init(one);
    fmpq_one(one);
    for (l = -1; list != NULL && l < c->n_lambda; l++)
    {
        PyObject * lam = bridge_fmpq_to_py(l < 0 ? one : c->lambda + l),
                 * poly = poly_list(l < 0 ? p : parts + l), * item = NULL;
        if (lam != NULL && poly != NULL)
            item = PyTuple_Pack(2, lam, poly);
        Py_XDECREF(lam);
        Py_XDECREF(poly);
        if (item == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, l + 1, item);
    }
    fmpq_clear(one);
    return list;
}

/* (power, d_min, below, num parts, den parts) of one coefficient. */
static PyObject *
coeff_tuple(const ntk_series_coeff_struct * c, slong power)
{
    PyObject * below = PyList_New(FLINT_MAX(c->d_min - 2, 0)), * num = NULL, * den = NULL, * r = NULL;
    slong d;
    for (d = 2; below != NULL && d < c->d_min; d++)
    {
        PyObject * x = bridge_fmpq_to_py(c->below + d - 2);
        if (x == NULL)
            Py_CLEAR(below);
        else
            PyList_SET_ITEM(below, d - 2, x);
    }
    if (below != NULL && (num = parts_list(c, &c->num, c->num_lambda)) != NULL
        && (den = parts_list(c, &c->den, c->den_lambda)) != NULL)
        r = Py_BuildValue("(LLOOO)", (long long) power, (long long) c->d_min, below, num, den);
    Py_XDECREF(below); Py_XDECREF(num); Py_XDECREF(den);
    return r;
}

/* The coefficients of quantity q (ratio 0) or of ratio q (ratio 1): a list
   of coeff_tuple, highest power first; None for a ratio quantity or a ratio
   without a series. */
static PyObject *
coeffs_list(const ntk_series_t s, int q, int ratio)
{
    slong hi = ratio ? 0 : s->hi[q], p;
    PyObject * list;
    if (ratio ? s->ratio_ok[q] != 1 : ntk_quantity_is_ratio((ntk_quantity_t) q))
        Py_RETURN_NONE;
    list = PyList_New(hi + s->order + 1);
    for (p = hi; list != NULL && p >= -s->order; p--)
    {
        const ntk_series_coeff_struct * c = ratio ? ntk_series_ratio(s, (ntk_ratio_t) q, -p)
                                                  : ntk_series_coeff(s, (ntk_quantity_t) q, p);
        PyObject * t = coeff_tuple(c, p);
        if (t == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, hi - p, t);
    }
    return list;
}

/* A list of coeffs_list over the quantities (ratio 0) or the ratios. */
static PyObject *
all_coeffs(const ntk_series_t s, int ratio)
{
    int n = ratio ? ntk_ratio_count(s->moment_order) : ntk_quantity_count(s->moment_order), q;
    PyObject * list = PyList_New(n);
    for (q = 0; list != NULL && q < n; q++)
    {
        PyObject * c = coeffs_list(s, q, ratio);
        if (c == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, q, c);
    }
    return list;
}

PyObject *
py_series(PyObject * self, PyObject * args)
{
    PyObject * n0_obj, * x2_obj, * conv_obj, * quantities = NULL, * ratios = NULL, * result = NULL;
    long order;
    unsigned long long n0;
    int status, moments;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_series_t s;
    ntk_error_t err;
    bridge_interrupt_t it;
    fmpq_t x2;
    if (!PyArg_ParseTuple(args, "O!OOli", &PyLong_Type, &n0_obj, &x2_obj, &conv_obj, &order, &moments))
        return NULL;
    n0 = PyLong_AsUnsignedLongLong(n0_obj);
    if (n0 == (unsigned long long) -1 && PyErr_Occurred())
        return NULL;
    ntk_conv_init(conv); ntk_exec_init(exec); ntk_series_init(s);
    fmpq_init(x2);
    if (bridge_fmpq_from_py(x2, x2_obj, "x2") < 0 || bridge_conv_set(conv, conv_obj) < 0
        || bridge_exec_set(exec, &it, 1, 0) < 0)
        goto done;
    Py_BEGIN_ALLOW_THREADS
    status = ntk_series_compute_order(s, (slong) order, (ulong) n0, x2, conv, moments, exec, &err);
    Py_END_ALLOW_THREADS
    if (status != NTK_OK)
    {
        bridge_raise(&err, NULL);
        goto done;
    }
    if ((quantities = all_coeffs(s, 0)) != NULL && (ratios = all_coeffs(s, 1)) != NULL)
        result = PyTuple_Pack(2, quantities, ratios);
done:
    Py_XDECREF(quantities); Py_XDECREF(ratios);
    fmpq_clear(x2);
    ntk_series_clear(s); ntk_exec_clear(exec); ntk_conv_clear(conv);
    return result;
}
