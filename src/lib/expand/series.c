/* Every quantity as a series in 1/n whose coefficients are polynomials in
   the depth d (doc/derivation.md, section 13): the terms' coefficients from
   series_pass.c, assembled as moments.c assembles the moments, and the
   ratios' series over Q(d) (series_ratio.c). */

#include <string.h>
#include "base/error.h"
#include "moments/moments.h"
#include "base/parallel.h"
#include "series.h"

/* The terms' coefficients are kept two orders further than asked for, so
   that E[K]^2 in Var_K and the ratios are complete to the order asked for
   (E[K] has no power above n^1). */
#define ORDER_MARGIN 2
/* The most marks (and weight marks, standard) of a term. */
#define POWER_MAX (2 * _NTK_MAX_MARKS)

const char *
ntk_ratio_name(ntk_ratio_t r)
{
    static const char * const names[NTK_N_RATIOS] = { "E[K^2]/E[K]^2 - 1", "E[dK]/(lambda E[K])" };
    return (int) r >= 0 && r < NTK_N_RATIOS ? names[r] : "?";
}

void
ntk_series_init(ntk_series_t s)
{
    if (s != NULL)
        memset(s, 0, sizeof(*s));
}

static slong
series_len(const ntk_series_t s, int q)
{
    return q < NTK_N_QUANTITIES ? s->hi[q] + s->order + 1 : s->order + 1;
}

static void
coeffs_clear(ntk_series_coeff_struct * c, slong n)
{
    slong i;
    for (i = 0; c != NULL && i < n; i++)
    {
        fmpq_poly_clear(&c[i].num);
        fmpq_poly_clear(&c[i].den);
        _fmpq_vec_clear(c[i].below, FLINT_MAX(c[i].d_min - 2, 1));
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
    memset(s, 0, sizeof(*s));
}

/* The terms, one item of the parallel loop each. */
typedef struct
{
    const ntk_conv_struct * conv;
    ulong n0;
    slong order, lo, top;
    int fit;
    _ntk_family_t * fam;
    int todo[_NTK_N_TERMS2];
    int bad[_NTK_N_TERMS2];
}
terms_work_t;

static int
term_item(void * args, slong i, int worker)
{
    terms_work_t * w = args;
    int k = w->todo[i];
    _ntk_gauge_t g;
    if (_ntk_gauge_init(&g, _ntk_term_get(k), w->conv, w->n0, 1) != 0)
        return w->bad[i] = 1;
    _ntk_family_clear(w->fam + k);
    _ntk_family_init(w->fam + k, g.power, g.power + w->order + ORDER_MARGIN + 1, w->lo, w->top);
    _ntk_series_term_values(w->fam + k, &g);
    w->bad[i] = w->fit && _ntk_family_fit(w->fam + k) != 0;
    _ntk_gauge_clear(&g);
    return w->bad[i];
}

/* f <- c at the power 0 plus sum_k lin[k] fam[k] (lin: one row of
   _ntk_moments_affine), down to n^-(order + ORDER_MARGIN). */
static void
family_assemble(_ntk_family_t * f, const fmpq * lin, const _ntk_family_t * fam, slong order,
                slong lo, slong top)
{
    slong hi = fmpq_is_zero(lin + _NTK_N_TERMS2) ? -order - ORDER_MARGIN : 0, i, d;
    int k;
    fmpq_poly_t t;
    fmpq_t v;
    for (k = 0; k < _NTK_N_TERMS2; k++)
        if (!fmpq_is_zero(lin + k) && fam[k].n > 0)
            hi = FLINT_MAX(hi, fam[k].hi);
    hi = FLINT_MAX(hi, 0);
    _ntk_family_init(f, hi, hi + order + ORDER_MARGIN + 1, lo, top);
    fmpq_poly_init(t);
    fmpq_init(v);
    for (i = 0; i < f->n; i++)
    {
        if (hi - i == 0)
        {
            fmpq_poly_set_fmpq(f->poly + i, lin + _NTK_N_TERMS2);
            for (d = f->lo; d <= f->top; d++)
                fmpq_set(_NTK_FAMILY_VALUE(f, d, i), lin + _NTK_N_TERMS2);
        }
        for (k = 0; k < _NTK_N_TERMS2; k++)
        {
            slong j = fam[k].hi - (hi - i);
            if (fmpq_is_zero(lin + k) || j < 0 || j >= fam[k].n)
                continue;
            fmpq_poly_scalar_mul_fmpq(t, fam[k].poly + j, lin + k);
            fmpq_poly_add(f->poly + i, f->poly + i, t);
            for (d = f->lo; d <= f->top; d++)
            {
                fmpq_mul(v, _NTK_FAMILY_VALUE(fam + k, d, j), lin + k);
                fmpq_add(_NTK_FAMILY_VALUE(f, d, i), _NTK_FAMILY_VALUE(f, d, i), v);
            }
        }
    }
    fmpq_poly_clear(t);
    fmpq_clear(v);
}

/* f <- a - b^2 (Var_K = E[K^2] - E[K]^2), as far down as a goes. */
static void
family_sub_square(_ntk_family_t * f, const _ntk_family_t * a, const _ntk_family_t * b)
{
    slong hi = FLINT_MAX(a->hi, 2 * b->hi), low = a->hi - a->n + 1, i, i1, d;
    fmpq_poly_t t;
    fmpq_t v;
    _ntk_family_init(f, hi, hi - low + 1, a->lo, a->top);
    fmpq_poly_init(t);
    fmpq_init(v);
    for (i = 0; i < f->n; i++)
    {
        slong p = hi - i, ia = a->hi - p;
        if (ia >= 0)
        {
            fmpq_poly_set(f->poly + i, a->poly + ia);
            for (d = f->lo; d <= f->top; d++)
                fmpq_set(_NTK_FAMILY_VALUE(f, d, i), _NTK_FAMILY_VALUE(a, d, ia));
        }
        /* b's coefficients i1 and i2 = 2 b->hi - p - i1 of n^(b->hi - i) */
        for (i1 = 0; i1 < b->n; i1++)
        {
            slong i2 = 2 * b->hi - p - i1;
            if (i2 < 0 || i2 >= b->n)
                continue;
            fmpq_poly_mul(t, b->poly + i1, b->poly + i2);
            fmpq_poly_sub(f->poly + i, f->poly + i, t);
            for (d = f->lo; d <= f->top; d++)
            {
                fmpq_mul(v, _NTK_FAMILY_VALUE(b, d, i1), _NTK_FAMILY_VALUE(b, d, i2));
                fmpq_sub(_NTK_FAMILY_VALUE(f, d, i), _NTK_FAMILY_VALUE(f, d, i), v);
            }
        }
    }
    fmpq_poly_clear(t);
    fmpq_clear(v);
}

/* Drops the leading coefficients that are 0 at every depth (keeping n^0). */
static void
family_trim(_ntk_family_t * f)
{
    _ntk_family_t t;
    slong lead = 0, i, d;
    while (lead < f->hi)
    {
        int zero = fmpq_poly_is_zero(f->poly + lead);
        for (d = f->lo; d <= f->top && zero; d++)
            zero = fmpq_is_zero(_NTK_FAMILY_VALUE(f, d, lead));
        if (!zero)
            break;
        lead++;
    }
    if (lead == 0)
        return;
    _ntk_family_init(&t, f->hi - lead, f->n - lead, f->lo, f->top);
    for (i = 0; i < t.n; i++)
    {
        fmpq_poly_swap(t.poly + i, f->poly + i + lead);
        for (d = f->lo; d <= f->top; d++)
            fmpq_swap(_NTK_FAMILY_VALUE(&t, d, i), _NTK_FAMILY_VALUE(f, d, i + lead));
    }
    _ntk_family_clear(f);
    *f = t;
}

/* Coefficient 0 (of n^0) of a ratio's family less 1: num <- num - den. */
static void
family_sub_one(_ntk_family_t * f, const fmpq_poly_struct * den)
{
    slong d;
    fmpq_poly_sub(f->poly + 0, f->poly + 0, den + 0);
    for (d = f->lo; d <= f->top; d++)
        fmpq_sub_si(_NTK_FAMILY_VALUE(f, d, 0), _NTK_FAMILY_VALUE(f, d, 0), 1);
}

/* The public coefficients 0 .. n - 1 of a family (den: NULL for 1). */
static ntk_series_coeff_struct *
family_export(const _ntk_family_t * f, const fmpq_poly_struct * den, slong n)
{
    ntk_series_coeff_struct * c = flint_malloc(FLINT_MAX(n, 1) * sizeof(ntk_series_coeff_struct));
    slong i, d;
    for (i = 0; i < n; i++)
    {
        fmpq_poly_init(&c[i].num);
        fmpq_poly_init(&c[i].den);
        fmpq_poly_one(&c[i].den);
        c[i].d_min = 2;
        if (i < f->n)
        {
            fmpq_poly_set(&c[i].num, f->poly + i);
            if (den != NULL)
                fmpq_poly_set(&c[i].den, den + i);
            c[i].d_min = f->d_min[i];
        }
        c[i].below = _fmpq_vec_init(FLINT_MAX(c[i].d_min - 2, 1));
        for (d = 2; d < c[i].d_min; d++)
            fmpq_set(c[i].below + d - 2, _NTK_FAMILY_VALUE(f, d, i));
    }
    return c;
}

/* Every quantity's family at the depths lo .. top, from the terms' families
   (fitted when fit is non-zero), down to n^-(order + ORDER_MARGIN). */
static ntk_status_t
quantity_families(_ntk_family_t * qf, slong order, ulong n0, const fmpq_t x2,
                  const ntk_conv_t conv, const ntk_exec_t exec, slong lo, slong top, int fit,
                  ntk_error_t * err)
{
    terms_work_t work;
    _ntk_family_t fam[_NTK_N_TERMS2];
    fmpq * lin = _fmpq_vec_init(_NTK_N_QUANTITIES2 * (_NTK_N_TERMS2 + 1));
    ntk_status_t status;
    int k, n_todo = 0, bad = 0;
    work.conv = conv; work.n0 = n0; work.order = order;
    work.lo = lo; work.top = top; work.fit = fit; work.fam = fam;
    for (k = 0; k < _NTK_N_TERMS2; k++)
    {
        _ntk_family_init(fam + k, 0, 0, lo, top);
        if (conv->bias || !_ntk_term_has_bias(_ntk_term_get(k)))
            work.todo[n_todo++] = k;
    }
    memset(work.bad, 0, sizeof(work.bad));
    status = _ntk_parallel_do(term_item, &work, n_todo, exec->threads, err);
    for (k = 0; k < n_todo; k++)
        bad |= work.bad[k];
    if (status == NTK_OK && bad)
        status = _ntk_error_set(err, NTK_ERR_RANGE, "",
            "a coefficient of the series is not the polynomial in the depth that the theory "
            "says (please report)");
    _ntk_moments_affine(lin, x2, conv->bias ? 1 : 0);
    for (k = 0; k < _NTK_N_QUANTITIES2; k++)
        if (k != NTK_VAR_K)
            family_assemble(qf + k, lin + k * (_NTK_N_TERMS2 + 1), fam, order, lo, top);
    family_sub_square(qf + NTK_VAR_K, qf + NTK_E_K2, qf + NTK_E_K);
    for (k = 0; k < _NTK_N_QUANTITIES2; k++)
    {
        family_trim(qf + k);
        if (fit)
            _ntk_family_check(qf + k);
    }
    for (k = 0; k < _NTK_N_TERMS2; k++)
        _ntk_family_clear(fam + k);
    _fmpq_vec_clear(lin, _NTK_N_QUANTITIES2 * (_NTK_N_TERMS2 + 1));
    return status;
}

/* The arguments every series computation checks. */
static ntk_status_t
series_check(slong order, slong order_max, ulong n0, const fmpq_t x2, const ntk_conv_t conv,
             const ntk_exec_t exec, ntk_error_t * err)
{
    ntk_status_t status;
    if (x2 == NULL || conv == NULL || exec == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: NULL argument");
    if (order < 0 || order > order_max)
        return _ntk_error_set(err, NTK_ERR_RANGE, "order", "order: must be 0..%ld", (long) order_max);
    if (n0 < 1 || n0 > NTK_WIDTH_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "n0", "n0: must be 1..2^40");
    if (fmpq_sgn(x2) <= 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: must be > 0");
    if ((status = ntk_conv_validate(conv, err)) != NTK_OK)
        return status;
    return ntk_exec_validate(exec, err);
}

/* Non-zero when cw_hidden is the critical 1/A_2. */
static int
series_critical(const ntk_conv_t conv)
{
    fmpq_t c;
    int crit;
    fmpq_init(c);
    ntk_conv_critical(c, conv);
    crit = fmpq_equal(c, conv->cw_hidden);
    fmpq_clear(c);
    return crit;
}

ntk_status_t
ntk_series_compute(ntk_series_t s, slong order, ulong n0, const fmpq_t x2,
                   const ntk_conv_t conv, const ntk_exec_t exec, ntk_error_t * err)
{
    _ntk_family_t qf[_NTK_N_QUANTITIES2], rf[NTK_N_RATIOS];
    fmpq_poly_struct * den[NTK_N_RATIOS];
    ntk_status_t status;
    slong top = 2 * (POWER_MAX + order + ORDER_MARGIN) + 6, i;
    int q, r;
    if (s == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "s", "s: NULL argument");
    if ((status = series_check(order, NTK_SERIES_ORDER_MAX, n0, x2, conv, exec, err)) != NTK_OK)
        return status;
    if (!series_critical(conv))
    {
        fmpq_t c;
        char * cs;
        fmpq_init(c);
        ntk_conv_critical(c, conv);
        cs = ntk_rational_get_str(c);
        _ntk_error_set(err, NTK_ERR_RANGE, "cw_hidden",
            "cw_hidden: the coefficients of n^-k are polynomials in the depth d only at the critical cw_hidden %s "
            "of this activation; for c != %s they are sums lambda^d P(d) over lambda in {1, c A_2, (c A_2)^2}", cs, cs);
        flint_free(cs);
        fmpq_clear(c);
        return NTK_ERR_RANGE;
    }
    ntk_series_clear(s);
    if ((status = quantity_families(qf, order, n0, x2, conv, exec, 2, top, 1, err)) == NTK_OK)
    {
        s->order = order;
        s->n0 = n0;
        for (q = 0; q < _NTK_N_QUANTITIES2; q++)
        {
            s->hi[q] = qf[q].hi;
            s->coeff[q] = family_export(qf + q, NULL, series_len(s, q));
        }
        for (r = 0; r < NTK_N_RATIOS && status == NTK_OK; r++)
        {
            int ok;
            den[r] = flint_malloc((order + 1) * sizeof(fmpq_poly_struct));
            for (i = 0; i <= order; i++)
                fmpq_poly_init(den[r] + i);
            ok = _ntk_series_ratio(rf + r, den[r], qf + (r == NTK_RATIO_K2 ? NTK_E_K2 : NTK_E_DK),
                                   qf + NTK_E_K, r == NTK_RATIO_K2 ? 2 : 1, order);
            if (ok < 0)
                status = _ntk_error_set(err, NTK_ERR_RANGE, "", "E[K] has a zero leading coefficient (please report)");
            s->ratio_ok[r] = ok == 1;
            if (ok == 1)
            {
                if (r == NTK_RATIO_K2)
                    family_sub_one(rf + r, den[r]);
                s->ratio[r] = family_export(rf + r, den[r], order + 1);
                _ntk_family_clear(rf + r);
            }
            for (i = 0; i <= order; i++)
                fmpq_poly_clear(den[r] + i);
            flint_free(den[r]);
        }
    }
    for (q = 0; q < _NTK_N_QUANTITIES2; q++)
        _ntk_family_clear(qf + q);
    if (status != NTK_OK)
        ntk_series_clear(s);
    return status;
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

ntk_status_t
ntk_series_coeff_eval(fmpq_t res, const ntk_series_coeff_struct * c, slong d)
{
    fmpq_t x, v;
    ntk_status_t status = NTK_OK;
    if (res == NULL || c == NULL || d < 2)
        return NTK_ERR_RANGE;
    if (d < c->d_min)
    {
        fmpq_set(res, c->below + d - 2);
        return NTK_OK;
    }
    fmpq_init(x); fmpq_init(v);
    fmpq_set_si(x, d, 1);
    fmpq_poly_evaluate_fmpq(v, &c->den, x);
    if (fmpq_is_zero(v))
        status = NTK_ERR_RANGE;
    else
    {
        fmpq_poly_evaluate_fmpq(res, &c->num, x);
        fmpq_div(res, res, v);
    }
    fmpq_clear(x); fmpq_clear(v);
    return status;
}

/* e <- the values c(depth) of the coefficients of every quantity, as
   parts in n with shift order. */
static void
expand_set_truncated(ntk_expand_t e, slong depth, slong order, ulong n0)
{
    int q;
    ntk_expand_clear(e);
    e->depth = depth;
    e->n0 = n0;
    e->shift = order;
    e->order = order;
    e->dead_part = 0;
    for (q = 0; q < _NTK_N_QUANTITIES2; q++)
    {
        e->n_parts[q] = 1;
        e->part[q] = flint_malloc(sizeof(fmpq_poly_struct));
        fmpq_poly_init(e->part[q]);
    }
}

ntk_status_t
ntk_expand_series(ntk_expand_t e, slong depth, slong order, ulong n0, const fmpq_t x2,
                  const ntk_conv_t conv, const ntk_exec_t exec, ntk_error_t * err)
{
    ntk_status_t status;
    fmpq_t c;
    slong p, i;
    int q;
    if (e == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "e", "e: NULL argument");
    if ((status = series_check(order, NTK_SERIES_ORDER_MAX, n0, x2, conv, exec, err)) != NTK_OK)
        return status;
    if (depth < 2 || depth > NTK_SERIES_DEPTH_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "depth", "depth: must be 2..2^40 (one hidden layer at least)");
    fmpq_init(c);
    if (series_critical(conv))
    {
        ntk_series_t s;
        ntk_series_init(s);
        status = ntk_series_compute(s, order, n0, x2, conv, exec, err);
        if (status == NTK_OK)
            expand_set_truncated(e, depth, order, n0);
        for (q = 0; q < _NTK_N_QUANTITIES2 && status == NTK_OK; q++)
            for (p = s->hi[q]; p >= -order && status == NTK_OK; p--)
            {
                status = ntk_series_coeff_eval(c, ntk_series_coeff(s, q, p), depth);
                fmpq_poly_set_coeff_fmpq(e->part[q], p + order, c);
            }
        ntk_series_clear(s);
    }
    else if (depth > NTK_SERIES_DIRECT_DEPTH_MAX)
        status = _ntk_error_set(err, NTK_ERR_RANGE, "depth",
            "depth: away from the critical cw_hidden the series is computed layer by layer, up to depth %ld",
            (long) NTK_SERIES_DIRECT_DEPTH_MAX);
    else
    {
        _ntk_family_t qf[_NTK_N_QUANTITIES2];
        status = quantity_families(qf, order, n0, x2, conv, exec, depth, depth, 0, err);
        if (status == NTK_OK)
            expand_set_truncated(e, depth, order, n0);
        for (q = 0; q < _NTK_N_QUANTITIES2; q++)
        {
            for (i = 0; status == NTK_OK && i <= qf[q].hi + order; i++)
                fmpq_poly_set_coeff_fmpq(e->part[q], qf[q].hi - i + order,
                                         _NTK_FAMILY_VALUE(qf + q, depth, i));
            _ntk_family_clear(qf + q);
        }
    }
    if (status != NTK_OK)
        ntk_expand_clear(e);
    fmpq_clear(c);
    return status;
}
