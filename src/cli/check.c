/* ntkexact check: the rule and the decision of every row (check.h). */

#include <math.h>
#include <mpfr.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

/* sqrt(x) for a rational x >= 0, +inf beyond double precision. */
static double
check_sqrt(const fmpq_t x)
{
    mpfr_t t;
    double d;
    mpfr_init2(t, 64);
    fmpq_get_mpfr(t, x, MPFR_RNDN);
    mpfr_sqrt(t, t, MPFR_RNDN);
    d = mpfr_get_d(t, MPFR_RNDN);
    mpfr_clear(t);
    return d;
}

/* The quantities the sampler does not estimate (NaN by design). */
static int
check_estimable(int q)
{
    return q != NTK_M3_K && q != NTK_SKEW2_K && q != NTK_M4_K && q != NTK_KURT_K
           && q != NTK_RELVAR_DK;
}

void
cli_check_plan(cli_check_t * ck, const ntk_check_t ex, int order, int update, slong samples,
               slong chunk_size, cli_rule_t rule, double alpha, double tolerance)
{
    ntk_error_t err;
    fmpq_t v;
    int i, q;
    fmpq_init(v);
    memset(ck->row, 0, sizeof(ck->row));     /* the reports read every row */
    ck->rule = rule;
    ck->samples = samples;
    ck->n = 0;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        if (q < ntk_quantity_count(FLINT_MAX(order, 2))
            || (update && ntk_quantity_is_update((ntk_quantity_t) q)))
            ck->list[ck->n++] = q;
    ck->family = ck->fails = 0;
    for (i = 0; i < ck->n; i++)
    {
        cli_check_row_t * r = ck->row + ck->list[i];
        q = ck->list[i];
        r->exact_defined = ntk_moments_defined(&ex->moments, (ntk_quantity_t) q, &ex->x2);
        r->estimable = check_estimable(q);
        r->exact_se = ntk_check_variance(v, ex, (ntk_quantity_t) q, samples);
        r->se_exact = r->exact_se ? check_sqrt(v) : NAN;
        r->decided = r->exact_defined && r->estimable && (rule != CLI_RULE_GUARANTEE || r->exact_se);
        r->estimate = r->z = NAN;
        r->by_exact = r->exact_se;
        r->verdict = NTK_CHECK_NOT_ESTIMABLE;
        ck->family += r->decided;
    }
    ck->alpha = alpha;
    if (rule == CLI_RULE_TOLERANCE)
    {
        /* the level this threshold has for normal z-scores */
        ck->threshold = tolerance;
        ck->alpha = FLINT_MIN(1.0, (double) ck->family * erfc(tolerance / sqrt(2.0)));
    }
    else if (rule == CLI_RULE_BONFERRONI)
        ck->threshold = ntk_check_threshold(alpha, FLINT_MAX(ck->family, 1));
    else
    {
        if (ntk_check_median_plan(&ck->median, alpha / FLINT_MAX(ck->family, 1), samples,
                                  chunk_size, &err) != NTK_OK)
            cli_fail(&err, NULL);
        ck->threshold = ck->median.threshold;
    }
    /* --guarantee shows the rows without an exact variance, undecided */
    for (i = 0; i < ck->n; i++)
    {
        cli_check_row_t * r = ck->row + ck->list[i];
        r->threshold = r->decided ? ck->threshold : INFINITY;
    }
    fmpq_clear(v);
}

static int
compare_doubles(const void * a, const void * b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* The median of the block estimates of quantity q: the block means, or for
   Var_K the unbiased variances of K within the blocks. */
static double
check_median(const cli_check_t * ck, const ntk_sample_acc_t * blocks, int q)
{
    slong b, k = ck->median.blocks;
    double * v = flint_malloc(k * sizeof(double)), m;
    for (b = 0; b < k; b++)
    {
        const ntk_sample_moments_t * s = blocks[b].q + q;
        v[b] = q == NTK_VAR_K ? s->m2 / (s->n - 1.0) : s->mean;
    }
    qsort(v, (size_t) k, sizeof(double), compare_doubles);
    m = v[k / 2];
    flint_free(v);
    return m;
}

/* --guarantee: the row of q from the median of its block estimates, in
   block standard deviations; z and the threshold are then rescaled to the
   standard error of the whole sample, as the other rules print them. */
static void
check_decide_median(cli_check_row_t * r, const cli_check_t * ck, const ntk_check_t ex,
                    const fmpq_t exact, const ntk_sample_acc_t * blocks, int q)
{
    fmpq_t vb, vn;
    double scale = 1.0, zb;
    fmpq_init(vb); fmpq_init(vn);
    ntk_check_variance(vb, ex, (ntk_quantity_t) q, ck->median.min_block);
    ntk_check_variance(vn, ex, (ntk_quantity_t) q, ck->samples);
    r->estimate = check_median(ck, blocks, q);
    r->verdict = ntk_check_compare(&zb, exact, r->estimate, vb, 0.0, ck->median.t);
    if (!fmpq_is_zero(vn))
    {
        fmpq_div(vb, vb, vn);
        scale = check_sqrt(vb);
    }
    r->z = zb * scale;
    r->threshold = ck->median.t * scale;
    fmpq_clear(vb); fmpq_clear(vn);
}

/* The default rules: z over the larger of the exact and the sample's
   standard errors (the exact one where the sample's is NaN). */
static void
check_decide_mean(cli_check_row_t * r, const fmpq_t exact, const ntk_check_t ex, fmpq_t var,
                  int q, slong samples)
{
    double z_sample;
    ntk_check_verdict_t v_sample;
    r->by_exact = r->exact_se;
    if (r->exact_se)
    {
        ntk_check_variance(var, ex, (ntk_quantity_t) q, samples);
        r->verdict = ntk_check_compare(&r->z, exact, r->estimate, var, 0.0, r->threshold);
        r->by_exact = !(r->se_sample > r->se_exact);
    }
    if (r->by_exact)
        return;
    v_sample = ntk_check_compare(&z_sample, exact, r->estimate, NULL, r->se_sample, r->threshold);
    r->verdict = v_sample;
    r->z = z_sample;
}

void
cli_check_decide(cli_check_t * ck, const ntk_check_t ex, const ntk_sample_result_t * res,
                 const ntk_sample_acc_t * blocks)
{
    fmpq_t exact, var;
    int i, q;
    fmpq_init(exact); fmpq_init(var);
    ck->fails = 0;
    for (i = 0; i < ck->n; i++)
    {
        cli_check_row_t * r = ck->row + ck->list[i];
        q = ck->list[i];
        r->se_sample = res->std_error[q];
        r->estimate = res->mean[q];
        r->z = NAN;
        r->verdict = NTK_CHECK_NOT_ESTIMABLE;
        if (!r->exact_defined || !r->estimable)
            continue;
        ntk_moments_eval(exact, &ex->moments, (ntk_quantity_t) q, &ex->x2);
        if (ck->rule == CLI_RULE_GUARANTEE && r->decided)
            check_decide_median(r, ck, ex, exact, blocks, q);
        else
            check_decide_mean(r, exact, ex, var, q, ck->samples);
        if (r->decided && r->verdict != NTK_CHECK_PASS)
            ck->fails++;
    }
    fmpq_clear(exact); fmpq_clear(var);
}

const char *
cli_check_note(const cli_check_row_t * r)
{
    if (!r->estimable)
        return "not estimable";
    if (!r->exact_defined)
        return "undefined (Var_K = 0)";
    switch (r->verdict)
    {
        case NTK_CHECK_NO_SPREAD:
            return r->by_exact ? "the exact variance is 0; the estimate differs"
                               : "the sample has no spread; the exact value differs";
        case NTK_CHECK_BEYOND:
            return "differs by more than 1e308 standard errors";
        case NTK_CHECK_NOT_ESTIMABLE:
            return "not estimable";
        default:
            return NULL;
    }
}
