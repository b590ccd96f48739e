/* ntkexact check: the decision of every row (exact value against its Monte
   Carlo estimate) under one of three rules, from the exact variances of the
   library (ntk_check_variance).  The reports are in report_check.c.

   - Bonferroni (the default): z = (mean - exact) / SE, where SE is the
     larger of the exact standard error (where the variance is an exact
     moment) and the sample's: the exact one guards against a sample that
     missed the tail (its own SE is then too small), the sample's against a
     single huge draw (it then grows with the mean).  A row fails when
     |z| > Phi^-1(1 - alpha / (2 Q)), Q the rows compared.
   - --tolerance Z: the same z, a row fails when |z| > Z.
   - --guarantee: the median of the block estimates against the exact value,
     in block standard deviations (ntk_check_median_plan), for the rows with
     an exact variance; alpha holds for any law with those variances.  The
     rows without one are shown, not decided.

   The rows are the quantities of the order (--order) and, with --update,
   those of the update's second moment at the target y = 0: none of these
   has an exact variance (it would need E[N^4 g^4]), so they are decided
   by the sample's standard error (outside the guarantee), and RelVar_dK is
   not estimated. */

#ifndef NTK_CLI_CHECK_H
#define NTK_CLI_CHECK_H

#include "cli.h"

typedef enum { CLI_RULE_BONFERRONI = 0, CLI_RULE_TOLERANCE, CLI_RULE_GUARANTEE } cli_rule_t;

/* One row of the check. */
typedef struct
{
    int exact_defined;      /* the exact value exists (not a ratio where Var_K = 0) */
    int estimable;          /* the sampler estimates the quantity */
    int exact_se;           /* the variance of the estimate is an exact moment */
    int by_exact;           /* the exact standard error decided (else the sample's) */
    int decided;            /* counts towards pass/fail */
    double se_sample;       /* the sample's standard error */
    double se_exact;        /* sqrt(exact variance / samples), NaN when unknown */
    double estimate;        /* the mean, or the median of the block estimates */
    double z;               /* (estimate - exact) / the standard error used */
    double threshold;       /* the |z| above which the row fails */
    ntk_check_verdict_t verdict;
}
cli_check_row_t;

typedef struct cli_check_s
{
    cli_rule_t rule;
    double alpha;           /* the family-wise level (--tolerance: the nominal one of Z) */
    double threshold;       /* the |z| threshold (guarantee: of a mean) */
    slong samples;
    int n;                  /* the rows: the quantities list[0 .. n-1] */
    int list[NTK_N_QUANTITIES];
    int family;             /* the rows alpha is divided among */
    int fails;
    ntk_check_median_t median;          /* --guarantee */
    cli_check_row_t row[NTK_N_QUANTITIES];     /* by quantity */
}
cli_check_t;

/* The rule and its threshold, before any sampling: the rows that will be
   compared and those with an exact variance, from the exact moments of ex;
   chunk_size is the sampler's (the blocks of --guarantee are whole chunks).
   update adds the rows of the update's second moment (ex must hold it).
   tolerance > 0 is --tolerance. */
void cli_check_plan(cli_check_t * ck, const ntk_check_t ex, int order, int update, slong samples,
                    slong chunk_size, cli_rule_t rule, double alpha, double tolerance);

/* Decides every row from the sample (and, for --guarantee, the moments of
   each block, ck->median.blocks of them). */
void cli_check_decide(cli_check_t * ck, const ntk_check_t ex, const ntk_sample_result_t * res,
                      const ntk_sample_acc_t * blocks);

/* The words of a row whose z is not a number, or NULL. */
const char * cli_check_note(const cli_check_row_t * row);

#endif
