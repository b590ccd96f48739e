/* ntkexact._ntkexact: the private extension module under the Python package.
   Each function runs one computation of libntkexact with the GIL released
   and returns plain Python values (ints, pairs of ints, str, float); the
   package's __init__.py checks the arguments' types, builds them in the
   forms taken here, and makes Fractions and Decimals of the results.  The
   library validates every value and its messages become ValueErrors. */

#include "bridge.h"
#include "py_expand.h"
#include "py_kernel.h"
#include "py_sample_pair.h"

#define TOO_LARGE_HINT "use bias=False or precision=BITS"

/* ------------------------------------------------ moments */

/* The result of one quantity: a (num, den) pair, the three pairs of the
   coefficients of x2^0, x2^1, x2^2 when symbolic, or in the floating-point
   mode the decimal string of its guaranteed digits (None when there is none). */
static PyObject *
moments_value(const fmpq * v, char * const * dec, int n, slong precision)
{
    PyObject * list;
    int k;
    if (precision > 0)
    {
        if (dec[0] == NULL)
            Py_RETURN_NONE;
        return PyUnicode_FromString(dec[0]);
    }
    if (n == 1)
        return bridge_fmpq_to_py(v);
    list = PyList_New(n);
    if (list == NULL)
        return NULL;
    for (k = 0; k < n; k++)
    {
        PyObject * c = bridge_fmpq_to_py(v + k);
        if (c == NULL)
        {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, k, c);
    }
    return list;
}

/* vals[i * n + k] <- quantity list[i] at x2 (n = 1) or its coefficient of
   x2^k (n coefficients when symbolic), at the target y, for the n_q
   quantities of the list; undefined[i] for a ratio where it is undefined
   (or any ratio, when symbolic: it is no polynomial); in the floating-point
   mode also the decimal strings of the digits it guarantees, at most
   `digits` of them when digits > 0.  No Python here: it runs without the
   GIL. */
static void
moments_fill(fmpq * vals, char ** dec, int * undefined, const ntk_moments_t m, const fmpq_t x2,
             const fmpq_t y, const int * list, int n, int n_q, slong precision, slong digits)
{
    fmpq_poly_t p;
    int i, k;
    fmpq_poly_init(p);
    for (i = 0; i < n_q; i++)
    {
        ntk_quantity_t q = (ntk_quantity_t) list[i];
        dec[i] = NULL;
        undefined[i] = ntk_quantity_is_ratio(q) && (n > 1 || !ntk_moments_defined(m, q, x2));
        if (undefined[i])
            continue;
        if (n == 1)
            ntk_moments_eval_target(vals + i, m, q, x2, y);
        else
        {
            ntk_moments_poly_target(p, m, q, y);
            for (k = 0; k < n; k++)
                fmpq_poly_get_coeff_fmpq(vals + i * n + k, p, k);
        }
        if (precision > 0)
        {
            slong dig = ntk_moments_digits_target(m, q, x2, y, precision);
            if (digits > 0 && digits < dig)
                dig = digits;
            if (dig > 0)
                dec[i] = ntk_rational_get_decimal(vals + i, dig);
        }
    }
    fmpq_poly_clear(p);
}

static PyObject *
moments_result(const fmpq * vals, char * const * dec, const int * undefined, int n, int n_q,
               slong precision)
{
    PyObject * list = PyList_New(n_q);
    int q;
    if (list == NULL)
        return NULL;
    for (q = 0; q < n_q; q++)
    {
        PyObject * v;
        if (undefined[q])
        {
            Py_INCREF(Py_None);
            v = Py_None;
        }
        else
            v = moments_value(vals + q * n, dec + q, n, precision);
        if (v == NULL)
        {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, q, v);
    }
    return list;
}

/* _moments(widths, x2, conv, threads, precision, digits, order[, update,
   target]): x2 None is symbolic; precision 0 is exact; a list of the values
   of the quantities of the order, then with update those of the update's
   second moment at the target (None: a ratio that is undefined, or
   symbolic). */
static PyObject *
mod_moments(PyObject * self, PyObject * args)
{
    const char * widths;
    PyObject * x2_obj, * conv_obj, * result = NULL, * target_obj = NULL;
    int threads, n, n_q, q, order = 2, update = 0, status = NTK_OK, undefined[NTK_N_QUANTITIES];
    int list[NTK_N_QUANTITIES];
    long long precision, digits;
    ntk_profile_t prof;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_moments_t m;
    ntk_error_t err;
    bridge_interrupt_t it;
    fmpq_t x2, y;
    fmpq * vals;
    char * dec[NTK_N_QUANTITIES] = { NULL };
    if (!PyArg_ParseTuple(args, "sOOiLL|iiO", &widths, &x2_obj, &conv_obj, &threads, &precision,
                          &digits, &order, &update, &target_obj))
        return NULL;
    for (n_q = 0, q = 0; q < NTK_N_QUANTITIES; q++)
        if (q < ntk_quantity_count(order) || (update && ntk_quantity_is_update((ntk_quantity_t) q)))
            list[n_q++] = q;
    n = (x2_obj == Py_None) ? (update ? NTK_ORDER_MAX + 1 : order > 2 ? order + 1 : 3) : 1;
    ntk_profile_init(prof); ntk_conv_init(conv); ntk_exec_init(exec); ntk_moments_init(m);
    fmpq_init(x2);
    fmpq_init(y);
    vals = _fmpq_vec_init(NTK_N_QUANTITIES * n);
    if (ntk_profile_set_str(prof, widths, &err) != NTK_OK)
    {
        bridge_raise(&err, NULL);
        goto done;
    }
    if ((n == 1 && bridge_x2_set(x2, x2_obj) < 0) || bridge_conv_set(conv, conv_obj) < 0
        || bridge_exec_set(exec, &it, threads, (slong) precision) < 0
        || (target_obj != NULL && target_obj != Py_None
            && bridge_fmpq_from_py(y, target_obj, "target") < 0))
        goto done;
    Py_BEGIN_ALLOW_THREADS
    status = update ? ntk_moments_compute_update(m, prof, conv, order, exec, &err)
                    : ntk_moments_compute_order(m, prof, conv, order, exec, &err);
    if (status == NTK_OK)
        moments_fill(vals, dec, undefined, m, x2, y, list, n, n_q, exec->precision,
                     (slong) digits);
    Py_END_ALLOW_THREADS
    if (status != NTK_OK)
        bridge_raise(&err, TOO_LARGE_HINT);
    else
        result = moments_result(vals, dec, undefined, n, n_q, exec->precision);
done:
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        flint_free(dec[q]);
    _fmpq_vec_clear(vals, NTK_N_QUANTITIES * n);
    fmpq_clear(x2);
    fmpq_clear(y);
    ntk_moments_clear(m); ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(prof);
    return result;
}

/* ------------------------------------------------ sampling */

/* The values of the quantities of order 2, then with update those of the
   update's second moment. */
static PyObject *
double_tuple(const double * v, int update)
{
    int n2 = ntk_quantity_count(2), n = n2 + (update ? NTK_N_UPDATE_QUANTITIES : 0), i;
    PyObject * t = PyTuple_New(n);
    if (t == NULL)
        return NULL;
    for (i = 0; i < n; i++)
    {
        PyObject * x = PyFloat_FromDouble(v[i < n2 ? i : NTK_UPDATE_FIRST + i - n2]);
        if (x == NULL)
        {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, x);
    }
    return t;
}

/* _sample(widths, x2, conv, law, method, samples, seed, threads[, update])
   -> (samples, means, stderrs, method that ran) */
static PyObject *
mod_sample(PyObject * self, PyObject * args)
{
    const char * widths;
    PyObject * x2_obj, * conv_obj, * seed_obj, * result = NULL, * mean = NULL, * se = NULL;
    int law, method, threads, status, update = 0;
    long long samples;
    unsigned long long seed;
    ntk_profile_t prof;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_error_t err;
    ntk_sample_result_t res;
    bridge_interrupt_t it;
    fmpq_t x2;
    if (!PyArg_ParseTuple(args, "sOOiiLO!i|i", &widths, &x2_obj, &conv_obj, &law, &method,
                          &samples, &PyLong_Type, &seed_obj, &threads, &update))
        return NULL;
    seed = PyLong_AsUnsignedLongLong(seed_obj);    /* OverflowError outside 0..2^64-1 */
    if (seed == (unsigned long long) -1 && PyErr_Occurred())
        return NULL;
    ntk_profile_init(prof); ntk_conv_init(conv); ntk_exec_init(exec);
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
    status = ntk_sample_run(&res, prof, conv, (ntk_law_t) law, (ntk_sample_method_t) method, x2,
                            (slong) samples, (ulong) seed, exec, &err);
    Py_END_ALLOW_THREADS
    if (status != NTK_OK)
    {
        bridge_raise(&err, NULL);
        goto done;
    }
    if ((mean = double_tuple(res.mean, update)) != NULL
        && (se = double_tuple(res.std_error, update)) != NULL)
        result = Py_BuildValue("(LOOs)", (long long) res.samples, mean, se,
                               ntk_sample_method_name(res.method));
done:
    Py_XDECREF(mean);
    Py_XDECREF(se);
    fmpq_clear(x2);
    ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(prof);
    return result;
}

/* ------------------------------------------------ limits */

/* A tuple of the n strings (None where undefined); frees them. */
static PyObject *
limit_tuple(char ** v, int n)
{
    PyObject * t = PyTuple_New(n);
    int k;
    for (k = 0; k < n; k++)
    {
        PyObject * x = NULL;
        if (t != NULL)
        {
            if (v[k] == NULL)
            {
                Py_INCREF(Py_None);
                x = Py_None;
            }
            else
                x = PyUnicode_FromString(v[k]);
            if (x == NULL)
                Py_CLEAR(t);
            else
                PyTuple_SET_ITEM(t, k, x);
        }
        flint_free(v[k]);
    }
    return t;
}

/* One beta: (values, closed-form values, digits the two agree to), the
   ntk_limit_n(moments) values of order `order` (0: the limits, 1: their 1/n
   corrections) as strings whose every digit is correct
   (ntk_limit_get_strs_order_moments). */
static PyObject *
limit_one(PyObject * beta_obj, const fmpq_t a, const ntk_conv_t conv, int digits, int moments,
          int order)
{
    PyObject * r = NULL, * v, * c;
    char * values[NTK_LIMIT_N_MAX], * closed[NTK_LIMIT_N_MAX];
    int n = ntk_limit_n(moments);
    ntk_error_t err;
    fmpq_t beta;
    slong agree = 0;
    int status;
    fmpq_init(beta);
    if (bridge_fmpq_from_py(beta, beta_obj, "beta") == 0)
    {
        Py_BEGIN_ALLOW_THREADS
        status = ntk_limit_get_strs_order_moments(values, closed, &agree, beta, a, conv, order,
                                                  moments, digits, &err);
        Py_END_ALLOW_THREADS
        if (status != NTK_OK)
            bridge_raise(&err, NULL);
        else
        {
            v = limit_tuple(values, n);
            c = limit_tuple(closed, n);
            if (v != NULL && c != NULL)
                r = Py_BuildValue("(OOn)", v, c, (Py_ssize_t) agree);
            Py_XDECREF(v);
            Py_XDECREF(c);
        }
    }
    fmpq_clear(beta);
    return r;
}

/* _limit(betas, a, conv, digits[, moments[, order]]) -> a list of (values,
   closed forms) per beta */
static PyObject *
mod_limit(PyObject * self, PyObject * args)
{
    PyObject * betas, * a_obj, * conv_obj, * result = NULL;
    int digits, moments = 2, order = 0;
    Py_ssize_t i, n;
    ntk_conv_t conv;
    fmpq_t a;
    if (!PyArg_ParseTuple(args, "O!OOi|ii", &PyList_Type, &betas, &a_obj, &conv_obj, &digits,
                          &moments, &order))
        return NULL;
    if (digits < 1 || digits > 1000)
        return PyErr_Format(PyExc_ValueError, "digits: %d is not an integer in 1..1000", digits);
    if (ntk_limit_n(moments) == 0)
        return PyErr_Format(PyExc_ValueError, "moments: %d is not an integer in 2..4", moments);
    if (order != 0 && order != 1)
        return PyErr_Format(PyExc_ValueError, "order: %d is not an integer in 0..1", order);
    ntk_conv_init(conv);
    fmpq_init(a);
    if (bridge_fmpq_from_py(a, a_obj, "a") < 0 || bridge_conv_set(conv, conv_obj) < 0)
        goto done;
    n = PyList_GET_SIZE(betas);
    result = PyList_New(n);
    for (i = 0; result != NULL && i < n; i++)
    {
        PyObject * one = limit_one(PyList_GET_ITEM(betas, i), a, conv, digits, moments, order);
        if (one == NULL)
            Py_CLEAR(result);
        else
            PyList_SET_ITEM(result, i, one);
    }
done:
    fmpq_clear(a);
    ntk_conv_clear(conv);
    return result;
}

/* ------------------------------------------------ values */

/* _rational(value, param) -> (num, den): a rational in the library's grammar. */
static PyObject *
mod_rational(PyObject * self, PyObject * args)
{
    PyObject * obj, * r = NULL;
    const char * param;
    fmpq_t x;
    if (!PyArg_ParseTuple(args, "Os", &obj, &param))
        return NULL;
    fmpq_init(x);
    if (bridge_fmpq_from_py(x, obj, param) == 0)
        r = bridge_fmpq_to_py(x);
    fmpq_clear(x);
    return r;
}

/* _law_of_mu4(mu4) -> the sampler's weight law with this fourth moment. */
static PyObject *
mod_law_of_mu4(PyObject * self, PyObject * args)
{
    PyObject * obj, * r = NULL;
    ntk_law_t law;
    ntk_error_t err;
    fmpq_t mu4;
    if (!PyArg_ParseTuple(args, "O", &obj))
        return NULL;
    fmpq_init(mu4);
    if (bridge_fmpq_from_py(mu4, obj, "mu4") == 0)
    {
        if (ntk_law_from_mu4(&law, mu4, &err) != NTK_OK)
            bridge_raise(&err, NULL);
        else
            r = PyLong_FromLong((long) law);
    }
    fmpq_clear(mu4);
    return r;
}

/* _profile_widths(spec) -> (n_0, ..., n_d), parsed by ntk_profile_set_str. */
static PyObject *
mod_profile_widths(PyObject * self, PyObject * args)
{
    const char * spec;
    PyObject * r = NULL;
    ntk_profile_t prof;
    ntk_error_t err;
    slong i, d;
    if (!PyArg_ParseTuple(args, "s", &spec))
        return NULL;
    ntk_profile_init(prof);
    if (ntk_profile_set_str(prof, spec, &err) != NTK_OK)
        bridge_raise(&err, NULL);
    else if ((r = PyTuple_New((d = ntk_profile_depth(prof)) + 1)) != NULL)
        for (i = 0; i <= d; i++)
        {
            PyObject * w = PyLong_FromUnsignedLong(ntk_profile_width(prof, i));
            if (w == NULL)
            {
                Py_CLEAR(r);
                break;
            }
            PyTuple_SET_ITEM(r, i, w);
        }
    ntk_profile_clear(prof);
    return r;
}

/* ------------------------------------------------ the module */

static PyMethodDef mod_methods[] = {
    { "_moments", mod_moments, METH_VARARGS,
      "_moments(widths, x2, conv, threads, precision, digits): see ntkexact.moments" },
    { "_sample", mod_sample, METH_VARARGS,
      "_sample(widths, x2, conv, law, samples, seed, threads): see ntkexact.sample" },
    { "_sample_pair", py_sample_pair, METH_VARARGS,
      "_sample_pair(widths, x2, y2, xy, conv, law, method, samples, seed, threads): see "
      "ntkexact.sample" },
    { "_expand", py_expand, METH_VARARGS,
      "_expand(depth, n0, x2, conv, order, moments, series): see ntkexact.expand" },
    { "_series", py_series, METH_VARARGS,
      "_series(n0, x2, conv, order, moments): see ntkexact.expand(depth='symbolic')" },
    { "_limit", mod_limit, METH_VARARGS,
      "_limit(betas, a, conv, digits, moments, order): see ntkexact.limit" },
    { "_kernel", py_kernel, METH_VARARGS,
      "_kernel(widths, x2, y2, xy, conv, what, digits): see ntkexact.kernel" },
    { "_kernel_gram", py_kernel_gram, METH_VARARGS,
      "_kernel_gram(widths, gram, m, conv, digits, threads): see ntkexact.kernel_gram" },
    { "_rational", mod_rational, METH_VARARGS, "_rational(value, param) -> (num, den)" },
    { "_law_of_mu4", mod_law_of_mu4, METH_VARARGS, "_law_of_mu4(mu4) -> 0 Gaussian, 1 uniform" },
    { "_profile_widths", mod_profile_widths, METH_VARARGS,
      "_profile_widths(spec) -> (n_0, ..., n_d)" },
    { "_check_variances", bridge_check_variances, METH_VARARGS,
      "_check_variances(widths, x2, conv, gaussian, order, sizes, threads): see ntkexact.testing" },
    { "_check_compare", bridge_check_compare, METH_VARARGS,
      "_check_compare(exact, estimate, variance, stderr, threshold) -> (verdict, z)" },
    { "_check_threshold", bridge_check_threshold, METH_VARARGS,
      "_check_threshold(alpha, quantities) -> the Bonferroni threshold" },
    { "_check_median_plan", bridge_check_median_plan, METH_VARARGS,
      "_check_median_plan(alpha, samples, chunk) -> (blocks, min_block, t, bound, threshold, catches)" },
    { NULL, NULL, 0, NULL }
};

static struct PyModuleDef mod_def = {
    PyModuleDef_HEAD_INIT, "_ntkexact",
    "The private extension under the ntkexact package: use ntkexact itself.",
    -1, mod_methods, NULL, NULL, NULL, NULL
};

/* The quantity names in the order of the JSON (the order of ntk_quantity_t). */
static PyObject *
quantity_names(void)
{
    PyObject * t = PyTuple_New(NTK_N_QUANTITIES);
    int q;
    for (q = 0; t != NULL && q < NTK_N_QUANTITIES; q++)
    {
        PyObject * s = PyUnicode_FromString(ntk_quantity_name((ntk_quantity_t) q));
        if (s == NULL)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, q, s);
    }
    return t;
}

/* The names of the ratios of the series (ntk_ratio_name), in their order. */
static PyObject *
ratio_names(void)
{
    PyObject * t = PyTuple_New(NTK_N_RATIOS);
    int r;
    for (r = 0; t != NULL && r < NTK_N_RATIOS; r++)
    {
        PyObject * s = PyUnicode_FromString(ntk_ratio_name((ntk_ratio_t) r));
        if (s == NULL)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, r, s);
    }
    return t;
}

PyMODINIT_FUNC
PyInit__ntkexact(void)
{
    PyObject * mod = PyModule_Create(&mod_def), * names;
    if (mod == NULL)
        return NULL;
    names = quantity_names();
    /* PyModule_AddObject takes the reference only when it succeeds */
    if (names == NULL || PyModule_AddObject(mod, "QUANTITIES", names) < 0)
    {
        Py_XDECREF(names);
        Py_DECREF(mod);
        return NULL;
    }
    names = ratio_names();
    if (names == NULL || PyModule_AddObject(mod, "SERIES_RATIOS", names) < 0)
    {
        Py_XDECREF(names);
        Py_DECREF(mod);
        return NULL;
    }
    if (PyModule_AddStringConstant(mod, "VERSION", NTK_VERSION_STRING) < 0
        || PyModule_AddIntConstant(mod, "N_INTERFACE_QUANTITIES", NTK_N_INTERFACE_QUANTITIES) < 0
        || PyModule_AddIntConstant(mod, "N_QUANTITIES_2", ntk_quantity_count(2)) < 0
        || PyModule_AddIntConstant(mod, "N_QUANTITIES_3", ntk_quantity_count(3)) < 0
        || PyModule_AddIntConstant(mod, "N_QUANTITIES_4", ntk_quantity_count(4)) < 0
        || PyModule_AddIntConstant(mod, "THREADS_MAX", NTK_THREADS_MAX) < 0
        || PyModule_AddIntConstant(mod, "PRECISION_MAX", (long) NTK_PRECISION_MAX) < 0
        || PyModule_AddIntConstant(mod, "WIDTH_MAX", (long) NTK_WIDTH_MAX) < 0
        || PyModule_AddIntConstant(mod, "EXPAND_DEPTH_MAX3", NTK_EXPAND_DEPTH_MAX3) < 0
        || PyModule_AddIntConstant(mod, "EXPAND_DEPTH_MAX4", NTK_EXPAND_DEPTH_MAX4) < 0
        || PyModule_AddIntConstant(mod, "SERIES_ORDER_MAX", NTK_SERIES_ORDER_MAX) < 0
        || PyModule_AddIntConstant(mod, "SERIES_EXP_ORDER_MAX", NTK_SERIES_EXP_ORDER_MAX) < 0
        || PyModule_AddIntConstant(mod, "KERNEL_DIGITS_MAX", NTK_KERNEL_DIGITS_MAX) < 0)
    {
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
