/* ntkexact, module sample: Monte Carlo: random networks and their estimates
   (ntk_sample_). Part of the public API (include <ntkexact.h>, which holds
   the contract of every function). */

#ifndef NTKEXACT_SAMPLE_H
#define NTKEXACT_SAMPLE_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- sampling */

/* How the sampler draws a network (doc/derivation.md, section 12). */
typedef enum
{
    NTK_SAMPLE_AUTO = 0,      /* projected for Gaussian weights, full for the others */
    NTK_SAMPLE_FULL = 1,      /* every weight: O(d n^2) work and memory per network, any law */
    NTK_SAMPLE_PROJECTED = 2  /* Gaussian weights only: each weight matrix's action on the
                                 few vectors the computation touches, drawn given what is
                                 already revealed; O(d n) work and memory, the same law */
}
ntk_sample_method_t;

/* "auto", "full" or "projected" ("?" out of range). */
const char * ntk_sample_method_name(ntk_sample_method_t method);

/* Monte Carlo estimates of every quantity, with standard errors.  Var_K is the
   unbiased sample variance of K, its standard error from the fourth central
   moment.  The orders 3 and 4 are sample means of the products (E_K3 ..
   E_N8); M3_K, Skew2_K, M4_K and Kurt_K are not estimated (NAN).  The
   update's second moment is estimated at the target y = 0 from each
   network's g_ww and g_wb: E_g2 .. E_N2gwb2 and E_dK2 = E[(2 N g)^2] are
   sample means, Var_dK the unbiased sample variance of dK/lambda = -2 N g
   (as Var_K), RelVar_dK is not estimated (NAN).  method is the method that
   ran (never NTK_SAMPLE_AUTO). */
typedef struct
{
    slong samples;
    ntk_sample_method_t method;
    double mean[NTK_N_QUANTITIES];
    double std_error[NTK_N_QUANTITIES];
}
ntk_sample_result_t;

/* Most weights one sampling thread may hold (one network at a time) with
   NTK_SAMPLE_FULL. */
#define NTK_SAMPLE_WEIGHTS_MAX (WORD(1) << 27)

/* Most neurons n_0 + ... + n_d of a network with NTK_SAMPLE_PROJECTED (a
   thread holds two doubles per neuron, 256 MiB at the limit). */
#define NTK_SAMPLE_NEURONS_MAX (WORD(1) << 24)

/* Draws `samples` networks with weights of the given law (conv->mu4 is not
   used: the law fixes every moment) and the variances, parametrization,
   biases and activation slopes of conv, input sqrt(x2) e_1, zero biases;
   computes K by backpropagation and g as an exact second derivative with
   the slopes frozen.  method chooses how a network is drawn; NTK_SAMPLE_PROJECTED with
   a law other than NTK_LAW_GAUSSIAN is NTK_ERR_RANGE (parameter "method").
   The two methods give estimates with the same law, not the same numbers.
   Sample k uses stream k of `seed`, and chunks are merged in order, so the
   result does not depend on exec->threads.  The slopes' size s factors out
   of the weights (doc/derivation.md, section 11): any size is sampled, but
   with biases (or the standard parametrization) parts of the quantities
   grow like s^2, and where they are beyond 2^+-240 the result is
   NTK_ERR_RANGE (parameter "activation"), as it is for variances or an x2
   that put K beyond that range ("cw_hidden", "x2"). */
ntk_status_t ntk_sample_run(ntk_sample_result_t * res, const ntk_profile_t p,
                            const ntk_conv_t conv, ntk_law_t law,
                            ntk_sample_method_t method, const fmpq_t x2, slong samples,
                            ulong seed, const ntk_exec_t exec, ntk_error_t * err);

/* (mean - exact) / std_error, computed without overflow for an exact value
   beyond double precision (the result may still be +-inf); when std_error =
   0, 0 if mean equals exact to 1e-12 relative, else +-inf; NaN when exact
   is NULL.  ntk_check_compare says the same in words. */
double ntk_sample_zscore(const fmpq_t exact, double mean, double std_error);

/* A run in pieces (checkpoints, several processes): the samples are split
   into chunks fixed by the network, the method and the sample count only;
   each chunk's moments are computed on their own and merged one by one in
   chunk order.  That order is the one ntk_sample_run merges in, so any
   split of the chunks among runs and processes gives its result bit for
   bit (the merge is not associative in floating point: merging runs of
   chunks first would not). */

/* The moments of the values of one quantity over consecutive samples: how
   many, their mean and their central moment sums M2, M3, M4. */
typedef struct
{
    double n, mean, m2, m3, m4;
}
ntk_sample_moments_t;

/* The moments of every quantity over the same consecutive samples. */
typedef struct
{
    ntk_sample_moments_t q[NTK_N_QUANTITIES];
}
ntk_sample_acc_t;

/* The split of a run: chunk c holds the samples [c chunk_size,
   min((c+1) chunk_size, samples)); method is the one that runs (never
   NTK_SAMPLE_AUTO). */
typedef struct
{
    slong samples, chunk_size, n_chunks;
    ntk_sample_method_t method;
}
ntk_sample_plan_t;

/* Checks the arguments as ntk_sample_run does and fills plan. */
ntk_status_t ntk_sample_plan(ntk_sample_plan_t * plan, const ntk_profile_t p,
                             const ntk_conv_t conv, ntk_law_t law, ntk_sample_method_t method,
                             const fmpq_t x2, slong samples, ntk_error_t * err);

/* acc[c - c0] <- the moments of chunk c, for c0 <= c < c1 <= n_chunks of
   the plan of the same arguments, on exec->threads threads; exec->progress
   counts the samples of the range.  When the progress callback stops the
   run (NTK_ERR_INTERRUPTED), the chunks whose count equals their length
   are complete and the others are to be discarded. */
ntk_status_t ntk_sample_run_chunks(ntk_sample_acc_t * acc, const ntk_profile_t p,
                                   const ntk_conv_t conv, ntk_law_t law,
                                   ntk_sample_method_t method, const fmpq_t x2, slong samples,
                                   ulong seed, slong c0, slong c1, const ntk_exec_t exec,
                                   ntk_error_t * err);

/* The number of samples of chunk c of plan (0 out of range or for a NULL
   plan). */
slong ntk_sample_chunk_length(const ntk_sample_plan_t * plan, slong c);

/* acc <- no sample (nothing when acc is NULL). */
void ntk_sample_acc_zero(ntk_sample_acc_t * acc);

/* acc <- the moments of the samples of acc followed by those of next
   (nothing when either is NULL). */
void ntk_sample_acc_merge(ntk_sample_acc_t * acc, const ntk_sample_acc_t * next);

/* Fills res from the moments of every sample of a run (method: the plan's);
   NTK_ERR_RANGE when an estimate overflowed double precision or acc holds
   fewer than 2 samples. */
ntk_status_t ntk_sample_acc_result(ntk_sample_result_t * res, const ntk_sample_acc_t * acc,
                                   ntk_sample_method_t method, ntk_error_t * err);

#ifdef __cplusplus
}
#endif

#endif
