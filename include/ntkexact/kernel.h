/* ntkexact, module kernel: two inputs: the infinite-width kernels and the
   1/n_l coefficients, in Arb balls (ntk_kernel_). Part of the public API
   (include <ntkexact.h>, which holds the contract of every function). */

#ifndef NTKEXACT_KERNEL_H
#define NTKEXACT_KERNEL_H

#include <arb.h>
#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- two inputs: the kernel */

/* The NTK across two inputs x, x', given by their Gram entries x2 = |x|^2,
   y2 = |x'|^2, xy = x.x' (exact rationals, with n_0 the input width of the
   profile): the infinite-width kernels and the coefficients of 1/n_l of the
   moments of K(x, x') (doc/derivation.md, section 16).  Gaussian weights
   only (mu4 = 3): with another law the first layer's pre-activations are
   not Gaussian (n_0 is finite), and even the infinite-width kernel depends
   on the law beyond mu4 and on the inputs' coordinates.  Every number is an
   Arb ball that contains the true value; the 2^-n dead-layer parts of the
   exact moments (one slope 0, biases on) are smaller than every power of
   1/n and are not included. */

/* The moments whose 1/n coefficients are computed (K = K(x, x'), Kxx =
   K(x, x), Kyy = K(x', x')).  E[K(x,x)] and E[K(x',x')] have none, and
   E[N(x)^2], E[N(x')^2] none either. */
typedef enum
{
    NTK_KERNEL_E_KXY = 0,      /* E[K(x,x')] */
    NTK_KERNEL_VAR_KXY,        /* Var[K(x,x')] */
    NTK_KERNEL_COV_KXX_KYY,    /* Cov[K(x,x), K(x',x')] */
    NTK_KERNEL_E_NXNY,         /* E[N(x) N(x')] */
    NTK_KERNEL_VAR_KXX,        /* Var[K(x,x)] */
    NTK_KERNEL_VAR_KYY,        /* Var[K(x',x')] */
    NTK_KERNEL_COV_KXX_KXY,    /* Cov[K(x,x), K(x,x')] */
    NTK_KERNEL_COV_KXY_KYY,    /* Cov[K(x,x'), K(x',x')] */
    NTK_KERNEL_N_COEFFS
}
ntk_kernel_coeff_t;

/* The key of coefficient q ("E_Kxy", "Var_Kxy", ...; "?" out of range). */
const char * ntk_kernel_coeff_name(ntk_kernel_coeff_t q);

/* What ntk_kernel_compute computes: the infinite-width kernels only; also
   the coefficients summed over the layers (coeff_sum, first_order; one pass
   up the layers); also every layer's coefficient (coeff; a pass up and one
   back down). */
typedef enum
{
    NTK_KERNEL_INFINITE = 0,
    NTK_KERNEL_FIRST_ORDER = 1,
    NTK_KERNEL_PER_LAYER = 2
}
ntk_kernel_what_t;

/* The kernels of a pair of inputs.  The pairs are indexed 0: (x, x),
   1: (x, x'), 2: (x', x').  theta[p] is the infinite-width NTK and sigma[p]
   the infinite-width NNGP kernel E[N N].  With the corrections, each
   moment M of quantity q is, for hidden widths n_1 .. n_{d-1},

       M = M_inf + sum_l coeff[q][l - 1] / n_l + O(1/n^2),

   M_inf being theta[1] for E[K(x,x')], sigma[1] for E[N(x)N(x')] and 0 for
   the (co)variances; coeff_sum[q] is sum_l coeff[q][l - 1] (the coefficient
   of 1/n when every hidden width is n) and first_order[q] the sum of
   coeff[q][l - 1]/n_l at the profile's widths.  In the standard
   parametrization the weight part of layer l carries the factor
   n_{l-1}/c_l, held at the profile's value in the coefficients. */
typedef struct
{
    arb_struct theta[3], sigma[3];
    slong n_hidden;                              /* d - 1 */
    ntk_kernel_what_t what;                      /* what was computed */
    arb_ptr coeff[NTK_KERNEL_N_COEFFS];          /* n_hidden entries each (PER_LAYER; else NULL) */
    arb_struct coeff_sum[NTK_KERNEL_N_COEFFS];
    arb_struct first_order[NTK_KERNEL_N_COEFFS];
}
ntk_kernel_struct;

typedef ntk_kernel_struct ntk_kernel_t[1];

/* The largest depth of ntk_kernel_compute (time and memory are O(depth)). */
#define NTK_KERNEL_DEPTH_MAX (WORD(1) << 20)

/* The most digits ntk_kernel_compute_digits and ntk_kernel_gram_get_strs give. */
#define NTK_KERNEL_DIGITS_MAX 10000

/* Initialises k to an empty result. */
void ntk_kernel_init(ntk_kernel_t k);

/* Frees the memory held by k. */
void ntk_kernel_clear(ntk_kernel_t k);

/* Checks that x2, y2, xy are the Gram entries of two real vectors: x2, y2 >= 0
   and xy^2 <= x2 y2, exactly. */
ntk_status_t ntk_kernel_check_inputs(const fmpq_t x2, const fmpq_t y2, const fmpq_t xy,
                                     ntk_error_t * err);

/* Computes what `what` says of the pair in ball arithmetic with prec bits
   (the balls' radii say how many digits are right): the infinite-width
   values by the arc-cosine recursion, and the coefficients from the 1/n
   recursion of the layers' collective variables (the mean corrections and
   covariances of the activations' Gram matrix and of the NTK's mean, and two
   tensors of the NTK's correlations across neurons), O(depth) layer steps
   and, for PER_LAYER, O(depth) memory.  conv: mu4 must be 3; any slopes,
   biases, either parametrization, cw_hidden, cw_output.  Depth at most
   NTK_KERNEL_DEPTH_MAX.  exec (may be NULL) only for its progress callback
   (layer steps; the computation is sequential): NTK_ERR_INTERRUPTED when it
   asks to stop, k then being undefined until the next call. */
ntk_status_t ntk_kernel_compute(ntk_kernel_t k, const ntk_profile_t p, const fmpq_t x2,
                                const fmpq_t y2, const fmpq_t xy, const ntk_conv_t conv,
                                ntk_kernel_what_t what, slong prec, const ntk_exec_t exec,
                                ntk_error_t * err);

/* The same with the precision raised until every value computed (theta,
   sigma, and coeff_sum, first_order, coeff as `what` says) determines its
   first `digits` significant digits: both ends of its ball round to the same
   decimal (ntk_kernel_get_decimal), so that the printed digits are those of
   the true value, correctly rounded; a value that is exactly 0 is 0.
   1 <= digits <= NTK_KERNEL_DIGITS_MAX; NTK_ERR_RANGE (param "digits") if the
   precision would exceed 2^20 bits; exec as for ntk_kernel_compute (the
   progress restarts with each precision tried). */
ntk_status_t ntk_kernel_compute_digits(ntk_kernel_t k, const ntk_profile_t p, const fmpq_t x2,
                                       const fmpq_t y2, const fmpq_t xy, const ntk_conv_t conv,
                                       ntk_kernel_what_t what, slong digits,
                                       const ntk_exec_t exec, ntk_error_t * err);

/* The value of x with `digits` significant digits (in the style of
   ntk_rational_get_decimal), or NULL when the ball does not determine them
   (its ends round differently); "0" for an exact zero.  Free with flint_free. */
char * ntk_kernel_get_decimal(const arb_t x, slong digits);

/* The infinite-width NTK (theta) and NNGP kernel (sigma) of m inputs given
   by their Gram matrix gram (m x m, row-major, exact rationals): theta and
   sigma (either may be NULL) get m x m balls, row-major, computed with prec
   bits, on exec->threads threads.  gram must be symmetric with every 2 x 2
   principal minor admissible (ntk_kernel_check_inputs); positive
   semi-definiteness of the whole matrix is not required (each entry depends
   on its pair only). */
ntk_status_t ntk_kernel_gram(arb_ptr theta, arb_ptr sigma, const fmpq * gram, slong m,
                             const ntk_profile_t p, const ntk_conv_t conv, slong prec,
                             const ntk_exec_t exec, ntk_error_t * err);

/* The same as decimal strings of `digits` significant digits, every digit
   correct (each entry's precision raised until its ball determines them);
   theta and sigma (either may be NULL) get m x m strings, free each with
   flint_free. */
ntk_status_t ntk_kernel_gram_get_strs(char ** theta, char ** sigma, const fmpq * gram, slong m,
                                      const ntk_profile_t p, const ntk_conv_t conv, slong digits,
                                      const ntk_exec_t exec, ntk_error_t * err);

#ifdef __cplusplus
}
#endif

#endif
