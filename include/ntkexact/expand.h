/* ntkexact, module expand: the moments as exact functions of the width, and
   their series in 1/n with coefficients in the depth (ntk_expand_,
   ntk_series_). Part of the public API (include <ntkexact.h>, which holds the
   contract of every function). */

#ifndef NTKEXACT_EXPAND_H
#define NTKEXACT_EXPAND_H

#include "base.h"
#include "moments.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- expansions */

/* Every quantity for the profile n_0, n x (d-1), 1 as an exact function of the
   hidden width n: sum_j 2^(-j n) n^(-shift) part[q][j](n), where part[q][j]
   is a polynomial in n.  j = 0 is the part that is a polynomial in 1/n (a
   Laurent polynomial in general), j >= 1 the dead-layer part.  An expansion
   may leave out the dead-layer part (dead_part = 0; then n_parts[q] = 1) and
   the powers n^p with p < -order (order >= 0; -1: all powers kept).  It holds
   the quantities of the moments up to E[K^moment_order] (2, 3 or 4) but the
   ratios Skew2_K and Kurt_K, which are not of this form (n_parts 0). */
typedef struct
{
    slong depth;
    ulong n0;
    slong shift;
    slong n_parts[NTK_N_QUANTITIES];
    fmpq_poly_struct * part[NTK_N_QUANTITIES];
    int dead_part;
    slong order;
    int moment_order;
}
ntk_expand_struct;

typedef ntk_expand_struct ntk_expand_t[1];

/* Initialises e to the empty expansion. */
void ntk_expand_init(ntk_expand_t e);

/* Frees the memory held by e. */
void ntk_expand_clear(ntk_expand_t e);

/* How ntk_expand_compute_method computes an expansion. */
typedef enum
{
    NTK_EXPAND_PASS = 0,        /* one pass whose state values are polynomials in 1/n */
    NTK_EXPAND_INTERPOLATE = 1  /* the exact recursion at d + 14 widths, interpolated */
}
ntk_expand_method_t;

/* The largest depth of ntk_expand_compute, and of an expansion whose dead-layer
   part is kept (its size grows like d^3). */
#define NTK_EXPAND_DEPTH_MAX 1000
#define NTK_EXPAND_DEAD_DEPTH_MAX 400

/* Computes the expansion at x2 >= 0, 2 <= depth <= NTK_EXPAND_DEAD_DEPTH_MAX, by
   NTK_EXPAND_PASS; reports progress through exec.  At x2 = 0 (the dead
   input: every gate is a_minus) there is no 2^-n part, every quantity with
   K_w, N or the update is 0, and for slopes (a, 0) K is the output bias
   exactly (doc/derivation.md, section 9). */
ntk_status_t ntk_expand_compute(ntk_expand_t e, slong depth, ulong n0, const fmpq_t x2,
                                const ntk_conv_t conv, const ntk_exec_t exec,
                                ntk_error_t * err);

/* The same by either method, with the dead-layer part left out when
   dead_part is 0 (then the depth may reach NTK_EXPAND_DEPTH_MAX with
   NTK_EXPAND_PASS).  NTK_EXPAND_PASS runs the recursion once with the width
   symbolic: every state's value is a polynomial in 1/n, and the dead-layer
   factor 1 - 2^-n of the empty state a formal 1 - q (O(d^3) bit operations;
   doc/derivation.md, section 13).  NTK_EXPAND_INTERPOLATE runs the exact
   recursion with 1 - q at d + 14 concrete widths n and interpolates, with
   three widths to spare that must agree (else NTK_ERR_RANGE): O(d^4), an
   independent check of the first. */
ntk_status_t ntk_expand_compute_method(ntk_expand_t e, slong depth, ulong n0, const fmpq_t x2,
                                       const ntk_conv_t conv, ntk_expand_method_t method,
                                       int dead_part, const ntk_exec_t exec, ntk_error_t * err);

/* The largest depth of ntk_expand_compute_order at moment order 3 and 4 (either
   method, with or without the dead-layer part): the polynomials of a term
   with k path pairs reach n^-((k-1)(d-1)), so the cost grows like d^3 to d^4. */
#define NTK_EXPAND_DEPTH_MAX3 200
#define NTK_EXPAND_DEPTH_MAX4 100

/* The same with the moments up to E[K^moment_order], moment_order = 2 (as
   ntk_expand_compute_method), 3 or 4 (conv's mu6, mu8 checked as by
   ntk_moments_compute_order; 2 <= depth <= NTK_EXPAND_DEPTH_MAX3 or
   NTK_EXPAND_DEPTH_MAX4). */
ntk_status_t ntk_expand_compute_order(ntk_expand_t e, slong depth, ulong n0, const fmpq_t x2,
                                      const ntk_conv_t conv, ntk_expand_method_t method,
                                      int dead_part, int moment_order, const ntk_exec_t exec,
                                      ntk_error_t * err);

/* The largest depth of ntk_expand_series (any depth at the critical
   variance), and of its direct pass otherwise. */
#define NTK_SERIES_DEPTH_MAX (WORD(1) << 40)
#define NTK_SERIES_DIRECT_DEPTH_MAX 10000

/* The expansion at depth 2 <= depth <= NTK_SERIES_DEPTH_MAX truncated after
   n^-order, without its dead-layer part (dead_part = 0, e->order = order):
   at the critical cw_hidden the polynomials in d of ntk_series_compute
   evaluated at depth (microseconds), else a direct pass up the layers with
   the values truncated (depth <= NTK_SERIES_DIRECT_DEPTH_MAX). */
ntk_status_t ntk_expand_series(ntk_expand_t e, slong depth, slong order, ulong n0,
                               const fmpq_t x2, const ntk_conv_t conv, const ntk_exec_t exec,
                               ntk_error_t * err);

/* The same for the moments up to E[K^moment_order] (2, 3 or 4) and any
   x2 >= 0, with the orders of ntk_series_compute_order: the polynomials in d
   evaluated where they exist (any depth), else, at moment order 2, the
   direct pass, and at moment orders 3 and 4 the exponential polynomials of
   ntk_series_compute_order evaluated (depth <= NTK_SERIES_DIRECT_DEPTH_MAX). */
ntk_status_t ntk_expand_series_order(ntk_expand_t e, slong depth, slong order, ulong n0,
                                     const fmpq_t x2, const ntk_conv_t conv, int moment_order,
                                     const ntk_exec_t exec, ntk_error_t * err);

/* res <- quantity q at the hidden width n >= 1 (2^-n substituted exactly);
   NTK_ERR_RANGE for q or n out of range (n <= 2^40) or an empty expansion. */
ntk_status_t ntk_expand_eval(fmpq_t res, const ntk_expand_t e, ntk_quantity_t q, ulong n);

/* The coefficient of n^power in part j >= 0 of quantity q (0 beyond the
   parts); NTK_ERR_RANGE for q or j out of range. */
ntk_status_t ntk_expand_coeff(fmpq_t res, const ntk_expand_t e, ntk_quantity_t q, slong j,
                              slong power);

/* The lowest and highest powers of n in part j of quantity q (lo > hi: the
   part is zero); NTK_ERR_RANGE for q or j out of range. */
ntk_status_t ntk_expand_powers(slong * lo, slong * hi, const ntk_expand_t e, ntk_quantity_t q,
                               slong j);

/* The series in 1/n of num/den^k (k = 1 .. 4) from the parts j = 0, as
   coefficients s[i] of n^(-i) for i = 0..order (s has order + 1 entries);
   returns 1, or 0 when the series starts with a positive power of n (then s
   is zero), or -1 for an argument out of range, or -2 when den is 0 (E[K]
   at x2 = 0 without biases; then s is zero). */
int ntk_expand_ratio_series(fmpq * s, const ntk_expand_t e, ntk_quantity_t num,
                            ntk_quantity_t den, int k, slong order);

/* ---------------------------------------------------------------- series in 1/n */

/* One coefficient of a series in 1/n as a function of the depth d: num(d) /
   den(d) (polynomials in d; den = 1 for a moment) for every depth d >= d_min,
   and the exact values at the depths 2 .. d_min - 1 (below[d - 2]), where the
   polynomial does not hold.  Where the coefficients are not polynomials in d
   (ntk_series_compute_order off the critical cw_hidden, or at x2 = 0) they
   are exponential polynomials: num(d) + sum_l lambda[l]^d num_lambda[l](d)
   over den(d) + sum_l lambda[l]^d den_lambda[l](d), l < n_lambda, with
   lambda[l] = (c A_2)^(l+1) (at x2 = 0: (c a_minus^2)^(l+1)); n_lambda is 0
   for polynomials. */
typedef struct
{
    fmpq_poly_struct num, den;
    slong d_min;
    fmpq * below;
    slong n_lambda;
    fmpq * lambda;
    fmpq_poly_struct * num_lambda, * den_lambda;
}
ntk_series_coeff_struct;

/* The ratios whose series ntk_series_compute_order gives: the first
   ntk_ratio_count(moment_order). */
typedef enum
{
    NTK_RATIO_K2 = 0,     /* E[K^2]/E[K]^2 - 1 */
    NTK_RATIO_DK = 1,     /* E[dK]/(lambda E[K]) */
    NTK_RATIO_K3 = 2,     /* E[K^3]/E[K]^3 (moment order 3 and 4) */
    NTK_RATIO_SKEW2 = 3,  /* Skew2_K = M3_K^2 / Var_K^3 (moment order 3 and 4) */
    NTK_RATIO_K4 = 4,     /* E[K^4]/E[K]^4 (moment order 4) */
    NTK_RATIO_KURT = 5,   /* Kurt_K = M4_K / Var_K^2 - 3 (moment order 4) */
    NTK_N_RATIOS
}
ntk_ratio_t;

/* The name of ratio r, e.g. "E[K^2]/E[K]^2 - 1" ("?" out of range). */
const char * ntk_ratio_name(ntk_ratio_t r);

/* The number of ratios of the moments up to E[K^moment_order]: 2, 4 or 6
   (0 for an order out of 2..4). */
int ntk_ratio_count(int moment_order);

/* Every quantity of the profile n_0, n x (d-1), 1, without its 2^-n part, as
   a series in 1/n whose coefficients are functions of the depth d: the
   coefficient of n^p of quantity q is coeff[q][hi[q] - p] for
   -order <= p <= hi[q] (hi[q] is 0 in the NTK parametrization, up to 2 in
   the standard one; higher powers are 0); the coefficient of n^-k of ratio r
   is ratio[r][k], 0 <= k <= order, where ratio_ok[r] is 1 (0: the ratio's
   series starts with a positive power of n, and ratio[r] is NULL; -1: its
   denominator is 0, at x2 = 0 only).  The quantities and ratios are those of
   the moments up to E[K^moment_order] (the ratios Skew2_K and Kurt_K among
   the ratios, not the quantities); at moment order 3 and 4 hi[q] reaches 3
   and 4 in the standard parametrization. */
typedef struct
{
    slong order;
    ulong n0;
    slong hi[NTK_N_QUANTITIES];
    ntk_series_coeff_struct * coeff[NTK_N_QUANTITIES];
    int ratio_ok[NTK_N_RATIOS];
    ntk_series_coeff_struct * ratio[NTK_N_RATIOS];
    int moment_order;
}
ntk_series_struct;

typedef ntk_series_struct ntk_series_t[1];

/* The largest order of ntk_series_compute and ntk_series_compute_order
   where the coefficients are polynomials in d (at the critical cw_hidden),
   and of ntk_series_compute_order where they are exponential polynomials
   (away from it, or at x2 = 0). */
#define NTK_SERIES_ORDER_MAX 40
#define NTK_SERIES_EXP_ORDER_MAX 20

void ntk_series_init(ntk_series_t s);

void ntk_series_clear(ntk_series_t s);

/* Computes the series to n^-order (0 <= order <= NTK_SERIES_ORDER_MAX) at
   x2 > 0: a pass up the layers gives each term's coefficients at the depths
   2 .. 2 order + O(1), and each coefficient of n^-k, a polynomial in d of
   degree <= k + (its marks) from a proven depth on, is interpolated there and
   checked at every other depth (doc/derivation.md, section 13); the ratios'
   coefficients are rational functions of d in lowest terms.  Only at the
   critical cw_hidden 1/A_2: otherwise the coefficients are sums of
   lambda^d P_lambda(d), lambda in {1, c A_2, (c A_2)^2}, not polynomials,
   and the result is NTK_ERR_RANGE (ntk_series_compute_order gives them). */
ntk_status_t ntk_series_compute(ntk_series_t s, slong order, ulong n0, const fmpq_t x2,
                                const ntk_conv_t conv, const ntk_exec_t exec,
                                ntk_error_t * err);

/* The same for the moments up to E[K^moment_order] (2, 3 or 4; conv's mu6,
   mu8 checked as by ntk_moments_compute_order), at any cw_hidden and any
   x2 >= 0.  At the critical cw_hidden (and x2 > 0) the coefficient of n^-k of
   a term with M marks is a polynomial in d of degree <= k + M (order up to
   NTK_SERIES_ORDER_MAX).
   Elsewhere it is sum_m (c A_2)^(m d) P_m(d) over the numbers m of path pairs
   that the term's paths reach (E[K^k]: m = 0 .. k), deg P_m <= k + M - (k_max - m),
   fitted by partial fractions and checked at every other depth (order up to
   NTK_SERIES_EXP_ORDER_MAX); the ratios' coefficients are then quotients of
   such sums, in lowest terms as polynomials in d and lambda^d.  At x2 = 0 the
   terms with full paths vanish, every gate is a_minus, and c a_minus^2 takes
   the place of c A_2 (for ReLU everything is constant: K = 1 with biases). */
ntk_status_t ntk_series_compute_order(ntk_series_t s, slong order, ulong n0, const fmpq_t x2,
                                      const ntk_conv_t conv, int moment_order,
                                      const ntk_exec_t exec, ntk_error_t * err);

/* The coefficient of n^power of quantity q, or NULL when power > hi[q],
   power < -order, or q is out of range (or not of the moment order). */
const ntk_series_coeff_struct * ntk_series_coeff(const ntk_series_t s, ntk_quantity_t q,
                                                 slong power);

/* The coefficient of n^-k of ratio r, or NULL (out of range, or the ratio
   starts with a positive power of n, or is undefined). */
const ntk_series_coeff_struct * ntk_series_ratio(const ntk_series_t s, ntk_ratio_t r, slong k);

/* res <- the coefficient c at the depth d >= 2; NTK_ERR_RANGE for d < 2 or
   a zero denominator (a pole).  An exponential polynomial needs lambda^d
   exactly: d <= NTK_SERIES_DIRECT_DEPTH_MAX then (else NTK_ERR_RANGE). */
ntk_status_t ntk_series_coeff_eval(fmpq_t res, const ntk_series_coeff_struct * c, slong d);

#ifdef __cplusplus
}
#endif

#endif
