/* ntkexact, module check: exact values against Monte Carlo estimates, with a
   known false-alarm rate (ntk_check_). Part of the public API (include
   <ntkexact.h>, which holds the contract of every function). */

#ifndef NTKEXACT_CHECK_H
#define NTKEXACT_CHECK_H

#include "base.h"
#include "moments.h"
#include "sample.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- checks */

/* What testing the exact moments against a Monte Carlo estimate needs
   beyond the values (ntkexact check, ntkexact.testing; doc/derivation.md,
   section 15): the exact variance of each estimate, the threshold of a
   family-wise test, and the median of means whose false-alarm rate holds
   for any law.  The struct holds the moments up to E[K^order] (at order 4
   with the update's second moment) and, with Gaussian weights, E[N^12] and
   E[N^16] in closed form. */
typedef struct
{
    ntk_moments_struct moments;
    fmpq output_power[2];     /* E[N^12], E[N^16] when gaussian */
    int gaussian;
    fmpq x2;
}
ntk_check_struct;

typedef ntk_check_struct ntk_check_t[1];

/* Initialises c (no moments: every variance is unknown). */
void ntk_check_init(ntk_check_t c);

/* Frees the memory held by c. */
void ntk_check_clear(ntk_check_t c);

/* Computes the moments of p up to E[K^order] at x2 (ntk_moments_compute_order:
   conv's mu6, mu8 must be the law's for order 3, 4), at order 4 with the
   second moment of the first SGD update (ntk_moments_compute_update, which
   needs the same mu6, mu8), and, when gaussian is non-zero (the weights
   are Gaussian), E[N^12] and E[N^16] by ntk_moments_output_power.  Order 4
   gives the exact variance of every estimate of order 2 (see
   ntk_check_variance); order 2 (a law whose mu6, mu8 are not known) those
   of E_K, E_Kw, E_Kb and E_N2 only. */
ntk_status_t ntk_check_compute(ntk_check_t c, const ntk_profile_t p, const ntk_conv_t conv,
                               const fmpq_t x2, int order, int gaussian, const ntk_exec_t exec,
                               ntk_error_t * err);

/* res <- the exact variance of the Monte Carlo estimate of quantity q from
   `samples` >= 2 independent networks, and returns 1; or returns 0 (res 0)
   when it is not known.  The estimate is the mean of the per-network value
   (K, K^2, K_w K_b, N^2, N^4, ...): its variance is (E[X^2] - E[X]^2)/samples,
   e.g. (E_K4 - E_K2^2)/samples for E_K2; for Var_K, the unbiased sample
   variance, it is (M4_K - (samples-3)/(samples-1) Var_K^2)/samples.  Not
   known: the quantities of order 3 and 4 but E_N6, E_N8 with Gaussian
   weights (they would need E[K^6], E[K^8]), the ratios and central moments
   (not estimated), and, when c holds no second moment of the update
   (order below 4), E_dK, E_Dww, E_Dwb.  Their per-network values are, at
   the target y = 0, dK/lambda = -2 N g, N g_ww and N g_wb, of variances
   4 E_N2g2 - E_dK^2 (E_dK2 - E_dK^2), E_N2gww2 - E_Dww^2 and
   E_N2gwb2 - E_Dwb^2. */
int ntk_check_variance(fmpq_t res, const ntk_check_t c, ntk_quantity_t q, slong samples);

/* The outcome of comparing an exact value with its estimate. */
typedef enum
{
    NTK_CHECK_PASS = 0,        /* |z| <= threshold (z = 0 when the standard error is
                                  0 and the estimate equals the exact value) */
    NTK_CHECK_FAIL,            /* |z| > threshold */
    NTK_CHECK_NO_SPREAD,       /* the standard error is 0 and the estimate differs
                                  from the exact value: z is not a number (a failure) */
    NTK_CHECK_BEYOND,          /* |z| is beyond double precision (a failure) */
    NTK_CHECK_NOT_ESTIMABLE    /* no estimate (NaN or infinite): not compared */
}
ntk_check_verdict_t;

/* Compares `estimate` with exact: *z <- (estimate - exact)/s, where the
   standard error s is sqrt(variance), exactly, when variance is not NULL
   (an exact variance, of any size), else stderr >= 0 (the sample's).  z is
   computed without overflow for any exact value, and is NaN for
   NO_SPREAD, BEYOND and NOT_ESTIMABLE.  "Equal" for s = 0 means within
   1e-12 relative to the exact value (the rounding of double precision). */
ntk_check_verdict_t ntk_check_compare(double * z, const fmpq_t exact, double estimate,
                                      const fmpq_t variance, double stderr, double threshold);

/* The family-wise threshold of `quantities` >= 1 tests at level alpha in
   (0, 1) (Bonferroni, each z normal): |z| > Phi^-1(1 - alpha/(2 quantities))
   fails some test with probability at most alpha when every estimate is
   normal with the exact standard error; NaN for arguments out of range. */
double ntk_check_threshold(double alpha, slong quantities);

/* The median-of-means test with exact variances: the samples split into
   `blocks` (odd) consecutive blocks of whole chunks (chunk c holds samples
   [c chunk_size, min((c+1) chunk_size, samples))); block b holds the chunks
   [b n_chunks/blocks, (b+1) n_chunks/blocks), at least min_block samples.
   A quantity fails when the median of its block estimates is further than
   t block standard deviations (those of an estimate from min_block samples)
   from the exact value.  For ANY law with the exact variance the
   probability of that is at most `bound` <= alpha (Cantelli's inequality per
   block, then the exact binomial tail of the blocks: doc/derivation.md,
   section 15).  threshold = t sqrt(samples/min_block): the same in units of
   sigma/sqrt(samples) for a mean; a mean off by `catches` sigma/sqrt(samples)
   or more (with a variance at most sigma^2) fails with probability at least
   1 - alpha. */
typedef struct
{
    slong samples, chunk_size, n_chunks;
    slong blocks, min_block;
    double t, bound, threshold, catches;
}
ntk_check_median_t;

/* The plan of the median of means at level alpha in (0, 1) for one
   quantity (divide alpha among several): the number of blocks (odd, at most
   n_chunks and 1001, blocks of >= 2 samples) that minimizes the threshold.
   NTK_ERR_RANGE for samples < 2, chunk_size < 1 or alpha out of range. */
ntk_status_t ntk_check_median_plan(ntk_check_median_t * plan, double alpha, slong samples,
                                   slong chunk_size, ntk_error_t * err);

/* The block of chunk c (0 <= c < n_chunks) in plan. */
slong ntk_check_median_block(const ntk_check_median_t * plan, slong c);

#ifdef __cplusplus
}
#endif

#endif
