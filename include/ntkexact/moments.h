/* ntkexact, module moments: the exact moments of K, as polynomials in x2
   (ntk_moments_). Part of the public API (include <ntkexact.h>, which holds
   the contract of every function). */

#ifndef NTKEXACT_MOMENTS_H
#define NTKEXACT_MOMENTS_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- moments */

/* Every quantity of the moments up to E[K^order] as a polynomial in x2 of
   degree <= max(2, order), exact for all x2 > 0, and its value at x2 = 0
   (where every gate is shut: a dead input).  The ratios Skew2_K, Kurt_K
   and RelVar_dK are not polynomials: poly and at_zero hold 0 for them and
   ntk_moments_eval computes them.  With update set, also the quantities of
   the update's second moment, polynomials of degree <= 4 in x2; E_dK2 and
   Var_dK are held at the target y = 0 (ntk_moments_eval_target adds the
   target's part). */
typedef struct
{
    fmpq_poly_struct poly[NTK_N_QUANTITIES];
    fmpq at_zero[NTK_N_QUANTITIES];
    int order;         /* 2, 3 or 4: set by the computation; 0 before it */
    int update;        /* non-zero: the update's second moment was computed */
}
ntk_moments_struct;

typedef ntk_moments_struct ntk_moments_t[1];

/* Initialises m to zero, not computed (order 0): ntk_moments_eval,
   ntk_moments_defined, ntk_moments_digits and ntk_paper_ratios refuse it
   until a computation fills it. */
void ntk_moments_init(ntk_moments_t m);

/* Frees the memory held by m. */
void ntk_moments_clear(ntk_moments_t m);

/* Computes every quantity exactly by the transfer recursion: O(d) layer steps
   per term, exact integers, on exec->threads threads.  Fails with
   NTK_ERR_TOO_LARGE when the exact dead-layer factors would need more than
   NTK_DEAD_BITS_MAX bits.  With exec->precision = p > 0 the term sums are
   computed in floating point with p + 32 bits (O(log d) matrix products per
   run of equal widths) and m holds the exact values of the rounded sums: see
   ntk_moments_digits. */
ntk_status_t ntk_moments_compute(ntk_moments_t m, const ntk_profile_t p,
                                 const ntk_conv_t conv, const ntk_exec_t exec,
                                 ntk_error_t * err);

/* The same for the moments up to E[K^order], order 2, 3 or 4 (families of
   up to 2 order paths; ntk_moments_compute is order 2); the law's moments
   are checked by ntk_conv_validate_order. */
ntk_status_t ntk_moments_compute_order(ntk_moments_t m, const ntk_profile_t p,
                                       const ntk_conv_t conv, int order,
                                       const ntk_exec_t exec, ntk_error_t * err);

/* The same plus the second moment of the first SGD update (E_g2 ..
   RelVar_dK, m->update set): families of up to eight paths, so the law's
   moments are checked as for order 4 (ntk_conv_validate_order(conv, 4))
   whatever `order` is; ntk_moments_compute_order is this without them.
   The target y is an argument of the evaluation, not of the computation
   (ntk_moments_eval_target): one computation serves every y. */
ntk_status_t ntk_moments_compute_update(ntk_moments_t m, const ntk_profile_t p,
                                        const ntk_conv_t conv, int order,
                                        const ntk_exec_t exec, ntk_error_t * err);

#define NTK_DEAD_BITS_MAX (WORD(1) << 31)

/* Non-zero when the moments of p fit (NTK_DEAD_BITS_MAX) under conv and exec. */
int ntk_moments_fits(const ntk_profile_t p, const ntk_conv_t conv, const ntk_exec_t exec);

/* The number of significant decimal digits of quantity q at x2 >= 0 that a
   floating-point computation with
   `precision` bits guarantees (all of them, 0, in the exact mode): the
   precision less what the subtractions in Var_K, M3_K, M4_K, Kurt_K and
   Var_dK (at y = 0), RelVar_dK cancel; -1 for an argument out of range or a
   quantity not computed. */
slong ntk_moments_digits(const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2,
                         slong precision);

/* The same at the target y. */
slong ntk_moments_digits_target(const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2,
                                const fmpq_t y, slong precision);

/* res <- E[N^(2k)], 1 <= k <= 64, in closed form for Gaussian weights (the
   law's moments in conv are not used; the variances and slopes are):
   (2k-1)!! x2^k prod_l (c_l/n_(l-1))^k prod over hidden layers of
   E[(sum over the layer's neurons of s^2 Z^2)^k], s = a_plus or a_minus
   with probability 1/2, Z standard normal.  `check` takes the standard
   errors of E_N6 and E_N8 from it.  conv is checked by ntk_conv_validate. */
ntk_status_t ntk_moments_output_power(fmpq_t res, const ntk_profile_t p, const ntk_conv_t conv,
                                      const fmpq_t x2, ulong k, ntk_error_t * err);

/* Non-zero when quantity q was computed (its order is at most m->order, or
   it is one of the update's and m->update is set) and is defined at
   x2 >= 0: the ratios Skew2_K and Kurt_K are not where Var_K = 0 (x2 = 0
   for ReLU, depth 1), RelVar_dK is not where E_dK = 0 (x2 = 0, depth 1). */
int ntk_moments_defined(const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2);

/* Sets res to quantity q at the input norm x2 >= 0 (res may be x2), at the
   target y = 0 for E_dK2, Var_dK and RelVar_dK; NTK_ERR_RANGE (res 0) for q
   out of range or not computed, x2 < 0, or a ratio where it is undefined
   (ntk_moments_defined). */
ntk_status_t ntk_moments_eval(fmpq_t res, const ntk_moments_t m, ntk_quantity_t q,
                              const fmpq_t x2);

/* The same at the target y (any rational; res may be x2 or y): E_dK2 and
   Var_dK gain 4 y^2 E_g2, RelVar_dK is their quotient by E_dK^2; every other
   quantity does not depend on y. */
ntk_status_t ntk_moments_eval_target(fmpq_t res, const ntk_moments_t m, ntk_quantity_t q,
                                     const fmpq_t x2, const fmpq_t y);

/* res <- quantity q at the target y as a polynomial in x2, valid for x2 > 0
   (m->poly[q], plus 4 y^2 m->poly[NTK_E_G2] for E_dK2 and Var_dK);
   NTK_ERR_RANGE (res 0) for q out of range, not computed, or a ratio. */
ntk_status_t ntk_moments_poly_target(fmpq_poly_t res, const ntk_moments_t m, ntk_quantity_t q,
                                     const fmpq_t y);

#ifdef __cplusplus
}
#endif

#endif
