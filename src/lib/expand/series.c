/* Every quantity as a series in 1/n whose coefficients are functions of the
   depth d (doc/derivation.md, section 13): the terms' coefficients from
   series_pass.c (polynomials in d at the critical variance) or series_exp.c
   (exponential polynomials elsewhere), assembled as moments.c assembles the
   moments (series_family.c), and the ratios' series (series_ratio.c,
   series_ratio_exp.c). */

#include <string.h>
#include "base/error.h"
#include "moments/moments.h"
#include "series.h"

const char *
ntk_ratio_name(ntk_ratio_t r)
{
    static const char * const names[NTK_N_RATIOS] = { "E[K^2]/E[K]^2 - 1", "E[dK]/(lambda E[K])",
        "E[K^3]/E[K]^3", "Skew2_K", "E[K^4]/E[K]^4", "Kurt_K" };
    return (int) r >= 0 && r < NTK_N_RATIOS ? names[r] : "?";
}

int
ntk_ratio_count(int moment_order)
{
    return moment_order >= 2 && moment_order <= NTK_ORDER_MAX ? 2 * moment_order - 2 : 0;
}

void
ntk_series_init(ntk_series_t s)
{
    if (s != NULL)
    {
        memset(s, 0, sizeof(*s));
        s->moment_order = 2;
    }
}

static slong
series_len(const ntk_series_t s, int q)
{
    return q < NTK_N_QUANTITIES ? s->hi[q] + s->order + 1 : s->order + 1;
}

static void
coeffs_clear(ntk_series_coeff_struct * c, slong n)
{
    slong i, l;
    for (i = 0; c != NULL && i < n; i++)
    {
        fmpq_poly_clear(&c[i].num);
        fmpq_poly_clear(&c[i].den);
        _fmpq_vec_clear(c[i].below, FLINT_MAX(c[i].d_min - 2, 1));
        for (l = 0; l < c[i].n_lambda; l++)
        {
            fmpq_poly_clear(c[i].num_lambda + l);
            fmpq_poly_clear(c[i].den_lambda + l);
        }
        if (c[i].n_lambda > 0)
        {
            _fmpq_vec_clear(c[i].lambda, c[i].n_lambda);
            flint_free(c[i].num_lambda);
            flint_free(c[i].den_lambda);
        }
    }
    flint_free(c);
}

void
ntk_series_clear(ntk_series_t s)
{
    int q;
    if (s == NULL)
        return;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        coeffs_clear(s->coeff[q], s->coeff[q] ? series_len(s, q) : 0);
    for (q = 0; q < NTK_N_RATIOS; q++)
        coeffs_clear(s->ratio[q], s->ratio[q] ? s->order + 1 : 0);
    ntk_series_init(s);
}

/* ------------------------------------------------ export */

/* c's exponential parts: lambda[l] = base^(l+1), num_lambda[l] = num[l+1],
   den_lambda[l] = den[l+1] (den may be NULL: zero), l < n - 1. */
static void
coeff_set_lambda(ntk_series_coeff_struct * c, const fmpq_t base, const fmpq_poly_struct * num,
                 slong num_stride, const fmpq_poly_struct * den, slong n)
{
    slong l;
    c->n_lambda = FLINT_MAX(n - 1, 0);
    if (c->n_lambda == 0)
        return;
    c->lambda = _fmpq_vec_init(c->n_lambda);
    c->num_lambda = flint_malloc(c->n_lambda * sizeof(fmpq_poly_struct));
    c->den_lambda = flint_malloc(c->n_lambda * sizeof(fmpq_poly_struct));
    for (l = 0; l < c->n_lambda; l++)
    {
        fmpq_pow_si(c->lambda + l, base, l + 1);
        fmpq_poly_init(c->num_lambda + l);
        fmpq_poly_init(c->den_lambda + l);
        fmpq_poly_set(c->num_lambda + l, num + (l + 1) * num_stride);
        if (den != NULL)
            fmpq_poly_set(c->den_lambda + l, den + l + 1);
    }
}

/* The public coefficients 0 .. n - 1 of a family: polynomial parts and
   lambda parts from the family (moments), or from den (critical ratios:
   den[i] the denominator of coefficient i) or parts (ratios elsewhere). */
static ntk_series_coeff_struct *
family_export(const _ntk_family_t * f, const fmpq_poly_struct * den,
              const _ntk_exp_ratio_t * parts, slong n)
{
    ntk_series_coeff_struct * c = flint_calloc(FLINT_MAX(n, 1), sizeof(ntk_series_coeff_struct));
    slong i, d;
    for (i = 0; i < n; i++)
    {
        fmpq_poly_init(&c[i].num);
        fmpq_poly_init(&c[i].den);
        fmpq_poly_one(&c[i].den);
        c[i].d_min = 2;
        if (i < f->n && parts != NULL)
        {
            fmpq_poly_set(&c[i].num, parts[i].num + 0);
            fmpq_poly_set(&c[i].den, parts[i].den + 0);
            coeff_set_lambda(c + i, f->base, parts[i].num, 1, parts[i].den, parts[i].n_parts);
        }
        else if (i < f->n)
        {
            fmpq_poly_set(&c[i].num, _NTK_FAMILY_POLY(f, i, 0));
            if (den != NULL)
                fmpq_poly_set(&c[i].den, den + i);
            coeff_set_lambda(c + i, f->base, _NTK_FAMILY_POLY(f, i, 0), 1, NULL, f->n_lam);
        }
        if (i < f->n)
            c[i].d_min = f->d_min[i];
        c[i].below = _fmpq_vec_init(FLINT_MAX(c[i].d_min - 2, 1));
        for (d = 2; d < c[i].d_min; d++)
            fmpq_set(c[i].below + d - 2, _NTK_FAMILY_VALUE(f, d, i));
    }
    return c;
}

/* ------------------------------------------------ ratios */

/* The ratios: num / den^k less sub, num squared for Skew2_K. */
static const struct
{
    int num, den, k, sub, square;
}
ratio_def[NTK_N_RATIOS] = {
    { NTK_E_K2, NTK_E_K, 2, 1, 0 }, { NTK_E_DK, NTK_E_K, 1, 0, 0 },
    { NTK_E_K3, NTK_E_K, 3, 0, 0 }, { NTK_M3_K, NTK_VAR_K, 3, 0, 1 },
    { NTK_E_K4, NTK_E_K, 4, 0, 0 }, { NTK_M4_K, NTK_VAR_K, 2, 3, 0 }
};

/* Ratio r into s (ratio_ok and ratio); -1 on a bug. */
static int
series_ratio(ntk_series_t s, int r, const _ntk_family_t * qf, const _ntk_series_plan_t * pl)
{
    _ntk_family_t num, den, rf;
    _ntk_exp_ratio_t * parts = NULL;
    fmpq_poly_struct * rden = NULL;
    slong len = pl->order + 1, i, m;
    int ok;
    const _ntk_family_t * q = qf + ratio_def[r].num;
    _ntk_family_copy(&num, q, q->hi, _NTK_FAMILY_LOW(q));
    _ntk_family_trim(&num, 1);
    if (ratio_def[r].square)
    {
        _ntk_family_t sq;
        _ntk_family_mul(&sq, &num, &num);
        _ntk_family_clear(&num);
        num = sq;
        _ntk_family_trim(&num, 1);
    }
    _ntk_family_copy(&den, qf + ratio_def[r].den, qf[ratio_def[r].den].hi,
                     _NTK_FAMILY_LOW(qf + ratio_def[r].den));
    _ntk_family_trim(&den, 1);
    if (den.n <= 1 && _ntk_family_coeff_is_zero(&den, 0))
        ok = 2;                                 /* the denominator is 0 */
    else if (pl->poly)
    {
        rden = flint_malloc(len * sizeof(fmpq_poly_struct));
        for (i = 0; i < len; i++)
            fmpq_poly_init(rden + i);
        ok = _ntk_series_ratio(&rf, rden, &num, &den, ratio_def[r].k, pl->order);
    }
    else
    {
        parts = flint_calloc(len, sizeof(_ntk_exp_ratio_t));
        ok = _ntk_series_ratio_exp(&rf, parts, &num, &den, ratio_def[r].k, pl->order);
    }
    s->ratio_ok[r] = ok == 2 ? -1 : ok == 1;
    if (ok == 1 && ratio_def[r].sub != 0)
    {
        /* less sub at n^0: num <- num - sub den */
        fmpq_poly_struct * a = parts ? parts[0].num : rf.poly, * b = parts ? parts[0].den : rden;
        for (m = 0; m < (parts ? parts[0].n_parts : 1); m++)
        {
            fmpq_poly_t t;
            fmpq_poly_init(t);
            fmpq_poly_scalar_mul_si(t, b + m, ratio_def[r].sub);
            fmpq_poly_sub(a + m, a + m, t);
            fmpq_poly_clear(t);
        }
        /* a zero numerator has the denominator 1 */
        for (i = 0, m = 1; i < (parts ? parts[0].n_parts : 1); i++)
            m &= fmpq_poly_is_zero(a + i);
        for (i = 0; m && i < (parts ? parts[0].n_parts : 1); i++)
            if (i == 0)
                fmpq_poly_one(b + i);
            else
                fmpq_poly_zero(b + i);
        _ntk_family_sub_const_values(&rf, ratio_def[r].sub);
    }
    if (ok == 1)
    {
        s->ratio[r] = family_export(&rf, rden, parts, len);
        _ntk_family_clear(&rf);
    }
    if (rden != NULL)
    {
        for (i = 0; i < len; i++)
            fmpq_poly_clear(rden + i);
        flint_free(rden);
    }
    if (parts != NULL)
    {
        _ntk_exp_ratio_clear(parts, ok == 1 ? len : 0);
        flint_free(parts);
    }
    _ntk_family_clear(&num);
    _ntk_family_clear(&den);
    return ok == 1 || ok == 0 || ok == 2 ? 0 : -1;
}

/* ------------------------------------------------ the public functions */

ntk_status_t
ntk_series_compute_order(ntk_series_t s, slong order, ulong n0, const fmpq_t x2,
                         const ntk_conv_t conv, int moment_order, const ntk_exec_t exec,
                         ntk_error_t * err)
{
    _ntk_family_t qf[NTK_N_QUANTITIES];
    ntk_status_t status;
    _ntk_series_plan_t pl;
    int q, r;
    if (s == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "s", "s: NULL argument");
    if ((status = _ntk_series_plan_init(&pl, order, n0, x2, conv, moment_order, exec, err)) != NTK_OK)
        return status;
    ntk_series_clear(s);
    status = _ntk_series_families(qf, &pl, n0, x2, conv, exec, 2, _ntk_series_plan_top(&pl, conv), 1, err);
    if (status == NTK_OK)
    {
        s->order = order;
        s->n0 = n0;
        s->moment_order = moment_order;
        for (q = 0; q < ntk_quantity_count(moment_order); q++)
        {
            if (ntk_quantity_is_ratio(q))
                continue;
            s->hi[q] = qf[q].hi;
            s->coeff[q] = family_export(qf + q, NULL, NULL, series_len(s, q));
        }
        for (r = 0; r < ntk_ratio_count(moment_order) && status == NTK_OK; r++)
            if (series_ratio(s, r, qf, &pl) != 0)
                status = _ntk_error_set(err, NTK_ERR_RANGE, "",
                    "the series of %s could not be formed: a leading coefficient vanishes at some depth, "
                    "or a series is too short (please report)", ntk_ratio_name(r));
    }
    _ntk_series_families_clear(qf);
    _ntk_series_plan_clear(&pl);
    if (status != NTK_OK)
        ntk_series_clear(s);
    return status;
}

ntk_status_t
ntk_series_compute(ntk_series_t s, slong order, ulong n0, const fmpq_t x2,
                   const ntk_conv_t conv, const ntk_exec_t exec, ntk_error_t * err)
{
    ntk_status_t status;
    fmpq_t c;
    if (s == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "s", "s: NULL argument");
    if ((status = _ntk_series_check(order, NTK_SERIES_ORDER_MAX, n0, x2, conv, 2, exec, err)) != NTK_OK)
        return status;
    if (fmpq_sgn(x2) <= 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: must be > 0");
    fmpq_init(c);
    ntk_conv_critical(c, conv);
    if (!fmpq_equal(c, conv->cw_hidden))
    {
        char * cs = ntk_rational_get_str(c);
        _ntk_error_set(err, NTK_ERR_RANGE, "cw_hidden",
            "cw_hidden: the coefficients of n^-k are polynomials in the depth d only at the critical cw_hidden %s "
            "of this activation; for c != %s they are sums lambda^d P(d) over lambda in {1, c A_2, (c A_2)^2}", cs, cs);
        flint_free(cs);
        status = NTK_ERR_RANGE;
    }
    fmpq_clear(c);
    if (status != NTK_OK)
        return status;
    return ntk_series_compute_order(s, order, n0, x2, conv, 2, exec, err);
}

const ntk_series_coeff_struct *
ntk_series_coeff(const ntk_series_t s, ntk_quantity_t q, slong power)
{
    if (s == NULL || (int) q < 0 || q >= NTK_N_QUANTITIES || s->coeff[q] == NULL
        || power > s->hi[q] || power < -s->order)
        return NULL;
    return s->coeff[q] + (s->hi[q] - power);
}

const ntk_series_coeff_struct *
ntk_series_ratio(const ntk_series_t s, ntk_ratio_t r, slong k)
{
    if (s == NULL || (int) r < 0 || r >= NTK_N_RATIOS || s->ratio[r] == NULL || k < 0
        || k > s->order)
        return NULL;
    return s->ratio[r] + k;
}

/* res <- p(d) + sum_l lambda[l]^d parts[l](d). */
static void
coeff_part_eval(fmpq_t res, const fmpq_poly_t p, const ntk_series_coeff_struct * c,
                const fmpq_poly_struct * parts, const fmpq_t x, slong d)
{
    fmpq_t v, w;
    slong l;
    fmpq_init(v); fmpq_init(w);
    fmpq_poly_evaluate_fmpq(res, p, x);
    for (l = 0; l < c->n_lambda; l++)
    {
        if (fmpq_poly_is_zero(parts + l))
            continue;
        fmpq_poly_evaluate_fmpq(v, parts + l, x);
        fmpq_pow_si(w, c->lambda + l, d);
        fmpq_mul(v, v, w);
        fmpq_add(res, res, v);
    }
    fmpq_clear(v); fmpq_clear(w);
}

ntk_status_t
ntk_series_coeff_eval(fmpq_t res, const ntk_series_coeff_struct * c, slong d)
{
    fmpq_t x, v;
    ntk_status_t status = NTK_OK;
    if (res == NULL || c == NULL || d < 2 || (c->n_lambda > 0 && d > NTK_SERIES_DIRECT_DEPTH_MAX))
        return NTK_ERR_RANGE;
    if (d < c->d_min)
    {
        fmpq_set(res, c->below + d - 2);
        return NTK_OK;
    }
    fmpq_init(x); fmpq_init(v);
    fmpq_set_si(x, d, 1);
    coeff_part_eval(v, &c->den, c, c->den_lambda, x, d);
    if (fmpq_is_zero(v))
        status = NTK_ERR_RANGE;
    else
    {
        coeff_part_eval(res, &c->num, c, c->num_lambda, x, d);
        fmpq_div(res, res, v);
    }
    fmpq_clear(x); fmpq_clear(v);
    return status;
}

/* e <- empty parts for the quantities of the moment order, as parts in n
   with shift order. */
static void
expand_set_truncated(ntk_expand_t e, slong depth, slong order, ulong n0, int moment_order)
{
    int q;
    ntk_expand_clear(e);
    e->depth = depth;
    e->n0 = n0;
    e->shift = order;
    e->order = order;
    e->dead_part = 0;
    e->moment_order = moment_order;
    for (q = 0; q < ntk_quantity_count(moment_order); q++)
    {
        if (ntk_quantity_is_ratio(q))
            continue;
        e->n_parts[q] = 1;
        e->part[q] = flint_malloc(sizeof(fmpq_poly_struct));
        fmpq_poly_init(e->part[q]);
    }
}

/* e <- the series' coefficients at depth (polynomials or exponential
   polynomials evaluated). */
static ntk_status_t
expand_from_series(ntk_expand_t e, slong depth, slong order, ulong n0, const fmpq_t x2,
                   const ntk_conv_t conv, int moment_order, const ntk_exec_t exec,
                   ntk_error_t * err)
{
    ntk_series_t s;
    ntk_status_t status;
    fmpq_t c;
    slong p;
    int q;
    fmpq_init(c);
    ntk_series_init(s);
    status = ntk_series_compute_order(s, order, n0, x2, conv, moment_order, exec, err);
    if (status == NTK_OK)
        expand_set_truncated(e, depth, order, n0, moment_order);
    for (q = 0; q < ntk_quantity_count(moment_order) && status == NTK_OK; q++)
        for (p = s->hi[q]; p >= -order && status == NTK_OK && !ntk_quantity_is_ratio(q); p--)
        {
            status = ntk_series_coeff_eval(c, ntk_series_coeff(s, q, p), depth);
            fmpq_poly_set_coeff_fmpq(e->part[q], p + order, c);
        }
    ntk_series_clear(s);
    fmpq_clear(c);
    return status;
}

/* e <- the values of a direct pass at depth, truncated. */
static ntk_status_t
expand_direct(ntk_expand_t e, const _ntk_series_plan_t * pl, slong depth, ulong n0, const fmpq_t x2,
              const ntk_conv_t conv, const ntk_exec_t exec, ntk_error_t * err)
{
    _ntk_family_t qf[NTK_N_QUANTITIES];
    ntk_status_t status;
    slong i;
    int q;
    status = _ntk_series_families(qf, pl, n0, x2, conv, exec, depth, depth, 0, err);
    if (status == NTK_OK)
        expand_set_truncated(e, depth, pl->order, n0, pl->moment_order);
    for (q = 0; q < ntk_quantity_count(pl->moment_order) && status == NTK_OK; q++)
        for (i = 0; !ntk_quantity_is_ratio(q) && i <= qf[q].hi + pl->order; i++)
            fmpq_poly_set_coeff_fmpq(e->part[q], qf[q].hi - i + pl->order,
                                     _NTK_FAMILY_VALUE(qf + q, depth, i));
    _ntk_series_families_clear(qf);
    return status;
}

ntk_status_t
ntk_expand_series_order(ntk_expand_t e, slong depth, slong order, ulong n0, const fmpq_t x2,
                        const ntk_conv_t conv, int moment_order, const ntk_exec_t exec,
                        ntk_error_t * err)
{
    ntk_status_t status;
    _ntk_series_plan_t pl;
    if (e == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "e", "e: NULL argument");
    if ((status = _ntk_series_plan_init(&pl, order, n0, x2, conv, moment_order, exec, err)) != NTK_OK)
        return status;
    if (depth < 2 || depth > NTK_SERIES_DEPTH_MAX)
        status = _ntk_error_set(err, NTK_ERR_RANGE, "depth", "depth: must be 2..2^40 (one hidden layer at least)");
    else if (!pl.poly && depth > NTK_SERIES_DIRECT_DEPTH_MAX)
        status = _ntk_error_set(err, NTK_ERR_RANGE, "depth",
            "depth: away from the critical cw_hidden the series is computed layer by layer, up to depth %ld",
            (long) NTK_SERIES_DIRECT_DEPTH_MAX);
    else if (pl.poly || moment_order >= 3)
        status = expand_from_series(e, depth, order, n0, x2, conv, moment_order, exec, err);
    else
        status = expand_direct(e, &pl, depth, n0, x2, conv, exec, err);
    _ntk_series_plan_clear(&pl);
    if (status != NTK_OK)
        ntk_expand_clear(e);
    return status;
}

ntk_status_t
ntk_expand_series(ntk_expand_t e, slong depth, slong order, ulong n0, const fmpq_t x2,
                  const ntk_conv_t conv, const ntk_exec_t exec, ntk_error_t * err)
{
    if (e != NULL && x2 != NULL && fmpq_sgn(x2) <= 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: must be > 0");
    return ntk_expand_series_order(e, depth, order, n0, x2, conv, 2, exec, err);
}
