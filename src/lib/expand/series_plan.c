/* The computation of the families of every quantity for series.c: which
   terms, the base of their exponential polynomials, the depths of the pass,
   the assembly (doc/derivation.md, section 13). */

#include <string.h>
#include "base/error.h"
#include "moments/moments.h"
#include "engine/transfer.h"
#include "base/parallel.h"
#include "series.h"

/* ------------------------------------------------ the plan of a computation */

/* The power of n of a term (its marks, and its weight marks once more in
   the standard parametrization), as gauge.c. */
static slong
term_power(const _ntk_term_t * term, const ntk_conv_struct * conv)
{
    slong p = term->n_marks;
    int k;
    for (k = 0; k < term->n_marks; k++)
        p += conv->param == NTK_PARAM_STANDARD && term->mark[k].kind == _NTK_MARK_WEIGHT;
    return p;
}

/* pl <- the terms of the moments up to E[K^moment_order] that do not vanish
   (at x = 0 only those of the dead phase), and the base of their
   exponential polynomials: 1 when they are polynomials. */
static void
plan_init(_ntk_series_plan_t * pl, int moment_order, slong order, const fmpq_t x2,
          const ntk_conv_struct * conv)
{
    int k;
    pl->moment_order = moment_order;
    pl->order = order;
    /* the terms are kept moment_order orders further than asked for: E[K]^k
       in the central moments needs E[K] that far (its highest power is n^1) */
    pl->margin = moment_order;
    pl->at_zero = fmpq_is_zero(x2);
    pl->n_todo = 0;
    fmpq_init(pl->base);
    /* at x = 0 every gate is a_minus: a pair stays with c a_minus^2, not c A_2 */
    if (pl->at_zero)
        fmpq_mul(pl->base, conv->a_minus, conv->a_minus);
    else
        ntk_conv_gate_moment(pl->base, conv, 2);
    fmpq_mul(pl->base, pl->base, conv->cw_hidden);
    for (k = 0; k < _ntk_term_count(moment_order); k++)
    {
        const _ntk_term_t * term = _ntk_term_get(k);
        if (!conv->bias && _ntk_term_has_bias(term))
            continue;
        if (pl->at_zero && (_ntk_term_n_full(term) > 0 || _ntk_transfer_phases(term, conv) != 2))
            continue;                   /* it vanishes at x = 0 */
        pl->todo[pl->n_todo++] = k;
    }
    pl->poly = fmpq_is_one(pl->base) || pl->n_todo == 0;
    if (pl->poly)
        fmpq_one(pl->base);
}

void
_ntk_series_plan_clear(_ntk_series_plan_t * pl)
{
    fmpq_clear(pl->base);
}

/* The number of coefficients of a term's family. */
static slong
plan_term_len(const _ntk_series_plan_t * pl, int k, const ntk_conv_struct * conv)
{
    return term_power(_ntk_term_get(k), conv) + pl->order + pl->margin + 1;
}

/* The deepest depth a fit needs (doc/derivation.md, section 13). */
slong
_ntk_series_plan_top(const _ntk_series_plan_t * pl, const ntk_conv_struct * conv)
{
    slong top = 8, len;
    int i;
    for (i = 0; i < pl->n_todo; i++)
    {
        const _ntk_term_t * term = _ntk_term_get(pl->todo[i]);
        len = plan_term_len(pl, pl->todo[i], conv);
        if (pl->poly)
            top = FLINT_MAX(top, 2 * (len - 1) + 6);
        else
            top = FLINT_MAX(top, _ntk_family_fit_exp_top(len, _ntk_term_n_full(term) / 2,
                                                         term->n_paths / 2));
    }
    return top;
}

/* ------------------------------------------------ the terms and the quantities */

/* The terms, one item of the parallel loop each. */
typedef struct
{
    const ntk_conv_struct * conv;
    const _ntk_series_plan_t * plan;
    ulong n0;
    slong lo, top;
    int fit;
    _ntk_family_t * fam;
    int bad[_NTK_N_TERMS];
}
terms_work_t;

static int
term_item(void * args, slong i, int worker)
{
    terms_work_t * w = args;
    const _ntk_series_plan_t * pl = w->plan;
    int k = pl->todo[i], r;
    const _ntk_term_t * term = _ntk_term_get(k);
    slong m_lo = _ntk_term_n_full(term) / 2, m_hi = term->n_paths / 2;
    _ntk_gauge_t g;
    r = pl->at_zero ? _ntk_gauge_init_zero(&g, term, w->conv, w->n0)
                    : _ntk_gauge_init(&g, term, w->conv, w->n0, 1);
    if (r != 0)
        return w->bad[i] = 1;
    _ntk_family_clear(w->fam + k);
    _ntk_family_init(w->fam + k, g.power, plan_term_len(pl, k, w->conv), w->lo, w->top,
                     pl->poly ? 1 : m_hi + 1, pl->base);
    _ntk_series_term_values(w->fam + k, &g);
    if (w->fit)
        w->bad[i] = (pl->poly ? _ntk_family_fit(w->fam + k)
                              : _ntk_family_fit_exp(w->fam + k, m_lo, m_hi)) != 0;
    _ntk_gauge_clear(&g);
    return w->bad[i];
}

/* Every quantity's family (but the ratios) at the depths lo .. top, from
   the terms' families (fitted when fit is non-zero). */
ntk_status_t
_ntk_series_families(_ntk_family_t * qf, const _ntk_series_plan_t * pl, ulong n0, const fmpq_t x2,
                  const ntk_conv_t conv, const ntk_exec_t exec, slong lo, slong top, int fit,
                  ntk_error_t * err)
{
    int n_terms = _ntk_term_count(pl->moment_order), n_q = ntk_quantity_count(pl->moment_order),
        row = n_terms + 1, k, bad = 0;
    slong n_lam = pl->poly ? 1 : pl->moment_order + 1;
    terms_work_t work;
    _ntk_family_t fam[_NTK_N_TERMS];
    fmpq * lin = _fmpq_vec_init(n_q * row);
    ntk_status_t status;
    work.conv = conv; work.plan = pl; work.n0 = n0;
    work.lo = lo; work.top = top; work.fit = fit; work.fam = fam;
    for (k = 0; k < _NTK_N_TERMS; k++)
        _ntk_family_init(fam + k, 0, 0, lo, top, 1, NULL);
    memset(work.bad, 0, sizeof(work.bad));
    status = _ntk_parallel_do(term_item, &work, pl->n_todo, exec->threads, err);
    for (k = 0; k < pl->n_todo; k++)
        bad |= work.bad[k];
    _ntk_moments_affine_order(lin, x2, conv->bias ? 1 : 0, pl->moment_order);
    for (k = 0; k < NTK_N_QUANTITIES; k++)
        _ntk_family_init(qf + k, 0, 0, lo, top, 1, NULL);
    for (k = 0; k < n_q; k++)
    {
        if (ntk_quantity_is_ratio(k) || k == NTK_VAR_K || k == NTK_M3_K || k == NTK_M4_K)
            continue;
        _ntk_family_clear(qf + k);
        _ntk_family_assemble(qf + k, lin + k * row, lin + k * row + n_terms, fam, n_terms,
                             -(pl->order + pl->margin), lo, top, n_lam, pl->base);
    }
    /* the quantities without their leading zeros, then the central moments */
    for (k = 0; k < n_q; k++)
        if (!ntk_quantity_is_ratio(k) && k != NTK_VAR_K && k != NTK_M3_K && k != NTK_M4_K)
            _ntk_family_trim(qf + k, 0);
    _ntk_family_clear(qf + NTK_VAR_K);
    _ntk_family_clear(qf + NTK_M3_K);
    _ntk_family_clear(qf + NTK_M4_K);
    bad |= _ntk_family_central(qf, pl->moment_order) != 0;
    if (pl->moment_order < 4)
        _ntk_family_init(qf + NTK_M4_K, 0, 0, lo, top, 1, NULL);
    if (pl->moment_order < 3)
        _ntk_family_init(qf + NTK_M3_K, 0, 0, lo, top, 1, NULL);
    for (k = 0; k < n_q; k++)
    {
        if (ntk_quantity_is_ratio(k))
            continue;
        _ntk_family_trim(qf + k, 0);
        /* every quantity must reach n^-order */
        bad |= _NTK_FAMILY_LOW(qf + k) > -pl->order;
        if (fit)
            _ntk_family_check(qf + k);
    }
    if (status == NTK_OK && bad)
        status = _ntk_error_set(err, NTK_ERR_RANGE, "",
            "a coefficient of the series is not the function of the depth that the theory "
            "says (please report)");
    for (k = 0; k < _NTK_N_TERMS; k++)
        _ntk_family_clear(fam + k);
    _fmpq_vec_clear(lin, n_q * row);
    return status;
}

void
_ntk_series_families_clear(_ntk_family_t * qf)
{
    int q;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        _ntk_family_clear(qf + q);
}

/* ------------------------------------------------ the public functions */

/* The arguments every series computation checks. */
ntk_status_t
_ntk_series_check(slong order, slong order_max, ulong n0, const fmpq_t x2, const ntk_conv_t conv,
             int moment_order, const ntk_exec_t exec, ntk_error_t * err)
{
    ntk_status_t status;
    if (x2 == NULL || conv == NULL || exec == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: NULL argument");
    if (moment_order < 2 || moment_order > NTK_ORDER_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "order", "order: the moment order must be 2, 3 or 4");
    if (order < 0 || order > order_max)
        return _ntk_error_set(err, NTK_ERR_RANGE, "order", "order: must be 0..%ld", (long) order_max);
    if (n0 < 1 || n0 > NTK_WIDTH_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "n0", "n0: must be 1..2^40");
    if (fmpq_sgn(x2) < 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: must be >= 0");
    if ((status = ntk_conv_validate_order(conv, moment_order, err)) != NTK_OK)
        return status;
    return ntk_exec_validate(exec, err);
}

/* The largest order of a series of the plan. */
static slong
series_order_max(const _ntk_series_plan_t * pl)
{
    return pl->poly ? NTK_SERIES_ORDER_MAX : NTK_SERIES_EXP_ORDER_MAX;
}

/* The plan of a computation with its order checked. */
ntk_status_t
_ntk_series_plan_init(_ntk_series_plan_t * pl, slong order, ulong n0, const fmpq_t x2,
                      const ntk_conv_t conv,
            int moment_order, const ntk_exec_t exec, ntk_error_t * err)
{
    ntk_status_t status = _ntk_series_check(order, NTK_SERIES_ORDER_MAX, n0, x2, conv, moment_order,
                                       exec, err);
    if (status != NTK_OK)
        return status;
    plan_init(pl, moment_order, order, x2, conv);
    if (order > series_order_max(pl))
    {
        status = _ntk_error_set(err, NTK_ERR_RANGE, "order", "order: must be 0..%ld %s",
            (long) series_order_max(pl), pl->at_zero ? "at x2 = 0 (exponential polynomials in d)"
                : "away from the critical cw_hidden (exponential polynomials in d)");
        _ntk_series_plan_clear(pl);
    }
    return status;
}

