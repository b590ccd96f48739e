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
   network, at most about twice the one-input method's (make bench: 0.9 to
   1.9 times, the most for ReLU at nearly opposite inputs).  With the full
   method, network k draws the same weights as network k of ntk_sample_run
   (the same seed), so K(x,x) is the one-input sampler's K to the bit.  The result
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

/* A two-input run in pieces (checkpoints, several processes), as
   ntk_sample_run_chunks for one input: the chunks are those of the plan of
   ntk_sample_pair_plan, and any split of them among runs and processes,
   merged in chunk order, gives ntk_sample_pair_run's result bit for bit.
   A chunk holds the sums of the powers of its networks' values minus a
   shift, the values of network 0 (the same in every piece of a run):
   s[i][j][k] sums (Kxy - shift[0])^i (Kxx - shift[1])^j (Kyy - shift[2])^k
   for i + j + k <= 4 (the other entries are 0); p[i][0] and p[i][1] sum the
   first and second powers of (Nx Ny, Nx^2, Ny^2)[i] - shift[3 + i]. */
typedef struct
{
    double n;
    double shift[6];
    double s[5][5][5];
    double p[3][2];
}
ntk_sample_pair_acc_t;

/* Checks the arguments as ntk_sample_pair_run does and fills plan. */
ntk_status_t ntk_sample_pair_plan(ntk_sample_plan_t * plan, const ntk_profile_t p,
                                  const ntk_conv_t conv, ntk_law_t law,
                                  ntk_sample_method_t method, const fmpq_t x2, const fmpq_t y2,
                                  const fmpq_t xy, slong samples, ntk_error_t * err);

/* acc[c - c0] <- the sums of chunk c, for c0 <= c < c1 <= n_chunks of the
   plan of the same arguments, on exec->threads threads (exec may be NULL:
   one thread); exec->progress counts the samples of the range.  When the
   progress callback stops the run (NTK_ERR_INTERRUPTED), the chunks whose
   n equals their length are complete and the others are to be discarded. */
ntk_status_t ntk_sample_pair_run_chunks(ntk_sample_pair_acc_t * acc, const ntk_profile_t p,
                                        const ntk_conv_t conv, ntk_law_t law,
                                        ntk_sample_method_t method, const fmpq_t x2,
                                        const fmpq_t y2, const fmpq_t xy, slong samples,
                                        ulong seed, slong c0, slong c1, const ntk_exec_t exec,
                                        ntk_error_t * err);

/* acc <- no network (nothing when acc is NULL). */
void ntk_sample_pair_acc_zero(ntk_sample_pair_acc_t * acc);

/* acc <- the sums of the networks of acc followed by those of next, a
   chunk of the same run (nothing when either is NULL); an empty acc takes
   next's shift. */
void ntk_sample_pair_acc_merge(ntk_sample_pair_acc_t * acc, const ntk_sample_pair_acc_t * next);

/* Fills res from the sums of every network of a run (method: the plan's);
   NTK_ERR_RANGE when an estimate overflowed double precision or acc holds
   fewer than 2 networks. */
ntk_status_t ntk_sample_pair_acc_result(ntk_sample_pair_result_t * res,
                                        const ntk_sample_pair_acc_t * acc,
                                        ntk_sample_method_t method, ntk_error_t * err);

#ifdef __cplusplus
}
#endif

#endif
