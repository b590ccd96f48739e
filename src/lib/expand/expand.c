/* Moments as exact functions of a uniform hidden width n.

   For the profile n_0, n x (d-1), 1 every layer factor is a polynomial in n
   and 1/n (falling factorials, (c/n)^(m/2)), except the dead-layer factor
   1 - 2^-n, which the recursion keeps as a formal 1 - q.  So each quantity is
   sum_j q^j R_j(n) with R_j a Laurent polynomial whose powers of n lie in
   [-d, 6].  The power of a layer is (blocks above) - (path pairs below): a
   hidden layer gives -1 (two pairs merge into one block), 0, or +1 per bias
   pair born there (at most 2 in all); the first layer gives at most 2 (its
   blocks), the last -1 or -2 (its pairs); weight marks in the standard
   parametrization add at most 2.  We evaluate exactly at n = 1 .. d + 14,
   interpolate n^(d+2) R_j through d + 11 of them (degree <= d + 10, a margin
   of 2 on each side), and demand that the last three agree with it.

   With the moments up to E[K^k], k = 3, 4, a term with m path pairs has its
   powers of n in [-(m-1)(d-1), 0] (NTK) or [-(m-1)(d-1), m] (standard; the
   dead parts q^j in [-(m-1)(d-1-j), 0]): the shift is (k-1)(d-1) + 2 and the
   degree of n^shift R_j at most shift + 2 (+ k, standard). */

#include <string.h>
#include "base/error.h"
#include "expand_pass.h"
#include "moments/moments.h"
#include "engine/transfer.h"

#define EXTRA_POINTS 3

void
ntk_expand_init(ntk_expand_t e)
{
    if (e == NULL)
        return;
    memset(e, 0, sizeof(*e));
    e->dead_part = 1;
    e->order = -1;
    e->moment_order = 2;
}

void
ntk_expand_clear(ntk_expand_t e)
{
    int q;
    slong j;
    if (e == NULL)
        return;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        for (j = 0; j < e->n_parts[q]; j++)
            fmpq_poly_clear(e->part[q] + j);
        flint_free(e->part[q]);
    }
    ntk_expand_init(e);
}

/* Every quantity as a polynomial in q at hidden width n. */
static ntk_status_t
values_at(fmpq_poly_struct * out, slong depth, ulong n0, ulong n, const fmpq_t x2,
          const ntk_conv_t conv, int order)
{
    ulong * w = flint_malloc((depth + 1) * sizeof(ulong));
    fmpq_poly_struct term[_NTK_N_TERMS];
    ntk_profile_t p;
    _ntk_run_t run;
    ntk_status_t status = NTK_OK;
    slong i;
    int k;
    w[0] = n0;
    for (i = 1; i < depth; i++)
        w[i] = n;
    w[depth] = 1;
    ntk_profile_init(p);
    ntk_profile_set_widths(p, w, depth + 1, NULL);
    run.profile = p;
    run.conv = conv;
    run.progress = NULL;
    for (k = 0; k < _NTK_N_TERMS; k++)
    {
        fmpq_poly_init(term + k);
        if (status != NTK_OK || k >= _ntk_term_count(order)
            || (!conv->bias && _ntk_term_has_bias(_ntk_term_get(k))))
            continue;
        if (fmpq_is_zero(x2))
        {
            /* the dead input: every gate is a_minus, no 2^-n */
            fmpq_t v, at_zero;
            fmpq_init(v); fmpq_init(at_zero);
            status = _ntk_transfer_run(v, at_zero, _ntk_term_get(k), &run);
            fmpq_poly_set_fmpq(term + k, at_zero);
            fmpq_clear(v); fmpq_clear(at_zero);
        }
        else
            status = _ntk_transfer_run_formal(term + k, _ntk_term_get(k), &run);
    }
    _ntk_moments_assemble_formal_order(out, term, x2, conv->bias ? 1 : 0, order);
    for (k = 0; k < _NTK_N_TERMS; k++)
        fmpq_poly_clear(term + k);
    ntk_profile_clear(p);
    flint_free(w);
    return status;
}

/* part <- the polynomial through (n_k, n_k^shift y_k), k < n_fit; 1 if the
   points after n_fit lie on it too. */
static int
interpolate_part(fmpq_poly_t part, fmpq * y, slong n_points, slong n_fit, slong shift)
{
    fmpz * xs = _fmpz_vec_init(n_points), * ys = _fmpz_vec_init(n_points);
    fmpz_t den, t;
    fmpq_t v, w;
    slong k;
    int ok = 1;
    fmpz_init_set_ui(den, 1);
    fmpz_init(t);
    fmpq_init(v); fmpq_init(w);
    for (k = 0; k < n_points; k++)
    {
        fmpz_set_si(xs + k, k + 1);
        fmpz_pow_ui(t, xs + k, (ulong) shift);
        fmpq_mul_fmpz(y + k, y + k, t);
        fmpz_lcm(den, den, fmpq_denref(y + k));
    }
    for (k = 0; k < n_points; k++)
    {
        fmpz_divexact(ys + k, den, fmpq_denref(y + k));
        fmpz_mul(ys + k, ys + k, fmpq_numref(y + k));
    }
    fmpq_poly_interpolate_fmpz_vec(part, xs, ys, n_fit);
    fmpq_poly_scalar_div_fmpz(part, part, den);
    for (k = n_fit; k < n_points; k++)
    {
        fmpq_set_fmpz(w, xs + k);
        fmpq_poly_evaluate_fmpq(v, part, w);
        ok &= fmpq_equal(v, y + k);
    }
    _fmpz_vec_clear(xs, n_points);
    _fmpz_vec_clear(ys, n_points);
    fmpz_clear(den); fmpz_clear(t);
    fmpq_clear(v); fmpq_clear(w);
    return ok;
}

slong
_ntk_expand_shift(slong depth, int order)
{
    return order <= 2 ? depth + 2 : (order - 1) * (depth - 1) + 2;
}

/* The exact recursion at the widths n = 1 .. n_fit + 3, interpolated. */
static ntk_status_t
expand_interpolate(ntk_expand_t e, slong depth, ulong n0, const fmpq_t x2,
                   const ntk_conv_t conv, int dead_part, int order, const ntk_exec_t exec,
                   ntk_error_t * err)
{
    slong shift = _ntk_expand_shift(depth, order), n_fit, n_points, k, j;
    fmpq_poly_struct * vals;
    fmpq * y;
    ntk_status_t status = NTK_OK;
    int q;
    n_fit = order <= 2 ? depth + 11
            : shift + 3 + (conv->param == NTK_PARAM_STANDARD ? order : 0);
    n_points = n_fit + EXTRA_POINTS;
    ntk_expand_clear(e);
    e->depth = depth;
    e->n0 = n0;
    e->shift = shift;
    e->moment_order = order;
    vals = flint_malloc(n_points * NTK_N_QUANTITIES * sizeof(fmpq_poly_struct));
    for (k = 0; k < n_points && status == NTK_OK; k++)
    {
        for (q = 0; q < NTK_N_QUANTITIES; q++)
            fmpq_poly_init(vals + k * NTK_N_QUANTITIES + q);
        status = values_at(vals + k * NTK_N_QUANTITIES, depth, n0, (ulong) k + 1, x2, conv, order);
        if (exec->progress && exec->progress(exec->progress_data, k + 1, n_points))
            status = NTK_ERR_INTERRUPTED;
    }
    y = _fmpq_vec_init(n_points);
    for (q = 0; q < ntk_quantity_count(order) && status == NTK_OK; q++)
    {
        slong len = 1;
        if (ntk_quantity_is_ratio(q))
            continue;
        for (k = 0; k < n_points && dead_part; k++)
            len = FLINT_MAX(len, fmpq_poly_length(vals + k * NTK_N_QUANTITIES + q));
        e->n_parts[q] = len;
        e->part[q] = flint_malloc(len * sizeof(fmpq_poly_struct));
        for (j = 0; j < len; j++)
        {
            fmpq_poly_init(e->part[q] + j);
            for (k = 0; k < n_points; k++)
                fmpq_poly_get_coeff_fmpq(y + k, vals + k * NTK_N_QUANTITIES + q, j);
            if (!interpolate_part(e->part[q] + j, y, n_points, n_fit, shift))
                status = _ntk_error_set(err, NTK_ERR_RANGE, "",
                    "%s is not a Laurent polynomial of the expected degree in n (please report)",
                    ntk_quantity_name(q));
        }
    }
    if (status == NTK_ERR_INTERRUPTED)
        _ntk_error_set(err, status, "", "the computation was interrupted");
    _fmpq_vec_clear(y, n_points);
    for (j = 0; j < k * NTK_N_QUANTITIES; j++)
        fmpq_poly_clear(vals + j);
    flint_free(vals);
    e->dead_part = dead_part;
    return status;
}

/* The depth limit of an expansion and the text of its error message. */
static slong
expand_depth_max(const char ** why, const ntk_conv_t conv, ntk_expand_method_t method,
                 int dead_part, int order)
{
    *why = "";
    if (order >= 3)
    {
        *why = order == 3 ? " with the moments up to E[K^3]" : " with the moments up to E[K^4]";
        return order == 3 ? NTK_EXPAND_DEPTH_MAX3 : NTK_EXPAND_DEPTH_MAX4;
    }
    /* a dead-layer part exists when a layer can shut below a bias: its size
       grows like d^3 */
    if (method == NTK_EXPAND_INTERPOLATE)
        *why = " with the interpolation";
    else if (dead_part && conv->bias && fmpq_is_zero(conv->a_plus) != fmpq_is_zero(conv->a_minus))
        *why = "; without the dead-layer part, up to 1000";
    else
        return NTK_EXPAND_DEPTH_MAX;
    return NTK_EXPAND_DEAD_DEPTH_MAX;
}

ntk_status_t
ntk_expand_compute_order(ntk_expand_t e, slong depth, ulong n0, const fmpq_t x2,
                         const ntk_conv_t conv, ntk_expand_method_t method, int dead_part,
                         int order, const ntk_exec_t exec, ntk_error_t * err)
{
    ntk_status_t status;
    const char * why;
    slong max;
    if (e == NULL || x2 == NULL || conv == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, e == NULL ? "e" : "x2", "%s: NULL argument",
                              e == NULL ? "e" : "x2");
    if (method != NTK_EXPAND_PASS && method != NTK_EXPAND_INTERPOLATE)
        return _ntk_error_set(err, NTK_ERR_RANGE, "method", "method: must be NTK_EXPAND_PASS or NTK_EXPAND_INTERPOLATE");
    if (order < 2 || order > NTK_ORDER_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "order", "order: the moment order must be 2, 3 or 4");
    if (n0 < 1 || n0 > NTK_WIDTH_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "n0", "n0: must be 1..2^40");
    max = expand_depth_max(&why, conv, method, dead_part, order);
    if (depth < 2 || depth > max)
        return _ntk_error_set(err, NTK_ERR_RANGE, "depth", "depth: must be 2..%ld (one hidden layer at least)%s",
                              (long) max, why);
    if (fmpq_sgn(x2) < 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: must be >= 0");
    if ((status = ntk_conv_validate_order(conv, order, err)) != NTK_OK
        || (status = ntk_exec_validate(exec, err)) != NTK_OK)
        return status;
    if (method == NTK_EXPAND_INTERPOLATE)
        return expand_interpolate(e, depth, n0, x2, conv, dead_part != 0, order, exec, err);
    return _ntk_expand_pass(e, depth, n0, x2, conv, dead_part != 0, order, exec, err);
}

ntk_status_t
ntk_expand_compute_method(ntk_expand_t e, slong depth, ulong n0, const fmpq_t x2,
                          const ntk_conv_t conv, ntk_expand_method_t method, int dead_part,
                          const ntk_exec_t exec, ntk_error_t * err)
{
    return ntk_expand_compute_order(e, depth, n0, x2, conv, method, dead_part, 2, exec, err);
}

ntk_status_t
ntk_expand_compute(ntk_expand_t e, slong depth, ulong n0, const fmpq_t x2,
                   const ntk_conv_t conv, const ntk_exec_t exec, ntk_error_t * err)
{
    return ntk_expand_compute_method(e, depth, n0, x2, conv, NTK_EXPAND_PASS, 1, exec, err);
}

/* Non-zero when q and j name a part of e (j < 0: any part). */
static int
expand_has(const ntk_expand_t e, ntk_quantity_t q, slong j)
{
    return e != NULL && (int) q >= 0 && q < NTK_N_QUANTITIES && e->part[q] != NULL && j < e->n_parts[q];
}

ntk_status_t
ntk_expand_eval(fmpq_t res, const ntk_expand_t e, ntk_quantity_t q, ulong n)
{
    fmpq_t v, x;
    fmpz_t t;
    slong j;
    if (res == NULL || !expand_has(e, q, -1) || n < 1 || n > NTK_WIDTH_MAX)
        return NTK_ERR_RANGE;
    fmpq_init(v); fmpq_init(x);
    fmpz_init(t);
    fmpq_zero(res);
    fmpq_set_ui(x, n, 1);
    for (j = 0; j < e->n_parts[q]; j++)
    {
        fmpq_poly_evaluate_fmpq(v, e->part[q] + j, x);
        fmpq_div_2exp(v, v, (ulong) j * n);
        fmpq_add(res, res, v);
    }
    fmpz_set_ui(t, n);
    fmpz_pow_ui(t, t, (ulong) e->shift);
    fmpq_div_fmpz(res, res, t);
    fmpq_clear(v); fmpq_clear(x);
    fmpz_clear(t);
    return NTK_OK;
}

ntk_status_t
ntk_expand_coeff(fmpq_t res, const ntk_expand_t e, ntk_quantity_t q, slong j, slong power)
{
    if (res == NULL || !expand_has(e, q, -1) || j < 0)
        return NTK_ERR_RANGE;
    fmpq_zero(res);
    if (j < e->n_parts[q] && power + e->shift >= 0)
        fmpq_poly_get_coeff_fmpq(res, e->part[q] + j, power + e->shift);
    return NTK_OK;
}

ntk_status_t
ntk_expand_powers(slong * lo, slong * hi, const ntk_expand_t e, ntk_quantity_t q, slong j)
{
    const fmpq_poly_struct * p;
    slong k = 0;
    if (lo == NULL || hi == NULL || !expand_has(e, q, -1) || j < 0)
        return NTK_ERR_RANGE;
    *lo = 1;
    *hi = 0;
    if (j >= e->n_parts[q] || fmpq_poly_is_zero(e->part[q] + j))
        return NTK_OK;
    p = e->part[q] + j;
    while (fmpz_is_zero(fmpq_poly_numref(p) + k))
        k++;
    *lo = k - e->shift;
    *hi = fmpq_poly_degree(p) - e->shift;
    return NTK_OK;
}

int
ntk_expand_ratio_series(fmpq * s, const ntk_expand_t e, ntk_quantity_t num,
                        ntk_quantity_t den, int k, slong order)
{
    const fmpq_poly_struct * a, * b;
    fmpq_poly_t ra, rb, inv;
    slong w, i;
    if (s == NULL || !expand_has(e, num, -1) || !expand_has(e, den, -1) || k < 1 || k > NTK_ORDER_MAX
        || order < 0 || order > 100000 || (e->order >= 0 && order > e->order))
        return -1;
    a = e->part[num];
    b = e->part[den];
    for (i = 0; i <= order; i++)
        fmpq_zero(s + i);
    if (fmpq_poly_is_zero(b))
        return -2;
    if (fmpq_poly_is_zero(a))
        return 1;
    /* in u = 1/n: A = u^(shift - deg A) reverse(A)(u), reverse(A)(0) != 0 */
    w = (e->shift - fmpq_poly_degree(a)) - k * (e->shift - fmpq_poly_degree(b));
    if (w < 0)
        return 0;
    fmpq_poly_init(ra); fmpq_poly_init(rb); fmpq_poly_init(inv);
    fmpq_poly_reverse(ra, a, fmpq_poly_length(a));
    fmpq_poly_reverse(rb, b, fmpq_poly_length(b));
    if (k >= 2)
        fmpq_poly_pow(rb, rb, (ulong) k);
    if (order + 1 - w > 0)
    {
        fmpq_poly_inv_series_newton(inv, rb, order + 1 - w);
        fmpq_poly_mullow(inv, inv, ra, order + 1 - w);
        for (i = w; i <= order; i++)
            fmpq_poly_get_coeff_fmpq(s + i, inv, i - w);
    }
    fmpq_poly_clear(ra); fmpq_poly_clear(rb); fmpq_poly_clear(inv);
    return 1;
}
