/* ntkexact, module sample_pair: two inputs: Monte Carlo estimates of the
   moments of K(x, x') (ntk_sample_pair_). Part of the public API (include
   <ntkexact.h>, which holds the contract of every function). */

#ifndef NTKEXACT_SAMPLE_PAIR_H
#define NTKEXACT_SAMPLE_PAIR_H

#include "base.h"
#include "sample.h"
#include "kernel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- two inputs: sampling */

/* Monte Carlo estimates of the moments of the NTK across two inputs x, x'
   (doc/derivation.md, section 16.7): x = sqrt(x2) e_1 and x' in the span of
   e_1, e_2 with |x'|^2 = y2 and x.x' = xy, zero biases, the conventions and
   weight law of ntk_sample_run.  Each network gives K(x,x'), K(x,x),
   K(x',x'), N(x), N(x'); the estimates are indexed by ntk_kernel_coeff_t
   for the moments of ntk_kernel_compute (E_Kxy, Var_Kxy, Cov_Kxx_Kyy,
   E_NxNy, Var_Kxx, Var_Kyy, Cov_Kxx_Kxy, Cov_Kxy_Kyy) and by the values
   below for the means of the diagonal, which the one-input engine gives
   exactly (E_K and E_N2 of ntk_moments at x2 and at y2). */
typedef enum
{
    NTK_SAMPLE_PAIR_E_KXX = NTK_KERNEL_N_COEFFS,   /* E[K(x,x)] */
    NTK_SAMPLE_PAIR_E_KYY,                         /* E[K(x',x')] */
    NTK_SAMPLE_PAIR_E_NX2,                         /* E[N(x)^2] */
    NTK_SAMPLE_PAIR_E_NY2,                         /* E[N(x')^2] */
    NTK_SAMPLE_PAIR_N
}
ntk_sample_pair_extra_t;

/* The key of estimate q: ntk_kernel_coeff_name(q) for q < NTK_KERNEL_N_COEFFS,
   then "E_Kxx", "E_Kyy", "E_Nx2", "E_Ny2" ("?" out of range). */
const char * ntk_sample_pair_name(int q);

/* The estimates with their standard errors: means are sample means; a
   variance or covariance is the unbiased sample (co)variance, its standard
   error sqrt((m22 - c^2)/samples) from the sample's central moment
   m22 = mean of (A - mean A)^2 (B - mean B)^2 (m4 for a variance), as
   Var_K's in ntk_sample_result_t. */
typedef struct
{
    slong samples;
    ntk_sample_method_t method;
    double mean[NTK_SAMPLE_PAIR_N];
    double std_error[NTK_SAMPLE_PAIR_N];
}
ntk_sample_pair_result_t;

/* The values of one network of a two-input run. */
typedef enum
{
    NTK_PAIR_KXY = 0, NTK_PAIR_KXX, NTK_PAIR_KYY, NTK_PAIR_NX, NTK_PAIR_NY, NTK_PAIR_N_VALUES
}
ntk_pair_value_t;

/* Draws `samples` networks as ntk_sample_run does, each at both inputs;
   x2, y2, xy must be the Gram entries of two vectors
   (ntk_kernel_check_inputs), and with n_0 = 1 the inputs must be parallel
   (xy^2 = x2 y2).  NTK_SAMPLE_PROJECTED conditions each weight matrix on
   its products with the (at most two) directions of the layer's two
   activation vectors and then with the two backward vectors: O(d n) work per
   network, about twice the one-input method's.  With the full method,
   network k draws the same weights as network k of ntk_sample_run (the same
   seed), so K(x,x) is the one-input sampler's K to the bit.  The result
   does not depend on exec->threads (exec may be NULL: one thread).  The
   extreme-slope and range refusals of ntk_sample_run apply, at the larger
   of x2 and y2. */
ntk_status_t ntk_sample_pair_run(ntk_sample_pair_result_t * res, const ntk_profile_t p,
                                 const ntk_conv_t conv, ntk_law_t law,
                                 ntk_sample_method_t method, const fmpq_t x2, const fmpq_t y2,
                                 const fmpq_t xy, slong samples, ulong seed,
                                 const ntk_exec_t exec, ntk_error_t * err);

/* v <- the values (ntk_pair_value_t) of networks first .. first + count - 1
   of the run of ntk_sample_pair_run with the same arguments (count rows of
   NTK_PAIR_N_VALUES doubles): for tests and studies of the per-network
   law. */
ntk_status_t ntk_sample_pair_values(double * v, const ntk_profile_t p, const ntk_conv_t conv,
                                    ntk_law_t law, ntk_sample_method_t method, const fmpq_t x2,
                                    const fmpq_t y2, const fmpq_t xy, ulong seed, slong first,
                                    slong count, ntk_error_t * err);

#ifdef __cplusplus
}
#endif

#endif
