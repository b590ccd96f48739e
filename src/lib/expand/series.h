/* Internal: coefficients of series in 1/n as functions of the depth d, for
   the profile n_0, n x (d-1), 1 without its 2^-n part (doc/derivation.md,
   section 13). */

#ifndef NTK_SERIES_H
#define NTK_SERIES_H

#include "engine/gauge.h"

/* A family of coefficients: coefficient i is that of n^(hi - i), i < n;
   value[(d - lo) n + i] is its exact value at the depth d = lo .. top.
   When fitted or assembled, coefficient i is the exponential polynomial
   sum_m base^(m d) poly[i n_lam + m](d), m = 0 .. n_lam - 1, for every
   d >= d_min[i] (lo = 2 then): at the critical variance base = 1 and
   n_lam = 1 (a polynomial in d). */
typedef struct
{
    slong hi, n, lo, top;
    slong n_lam;
    fmpq_t base;
    fmpq * value;
    fmpq_poly_struct * poly;
    slong * d_min;
}
_ntk_family_t;

/* An empty family of n coefficients (hi down to hi - n + 1) with n_lam
   exponential parts of the base (NULL: 1). */
void _ntk_family_init(_ntk_family_t * f, slong hi, slong n, slong lo, slong top, slong n_lam,
                      const fmpq_t base);

void _ntk_family_clear(_ntk_family_t * f);

/* The value of coefficient i at depth d (lo <= d <= top). */
#define _NTK_FAMILY_VALUE(f, d, i) ((f)->value + ((d) - (f)->lo) * (f)->n + (i))

/* The polynomial of base^(m d) in coefficient i. */
#define _NTK_FAMILY_POLY(f, i, m) ((f)->poly + (i) * (f)->n_lam + (m))

/* The lowest power of n that f holds. */
#define _NTK_FAMILY_LOW(f) ((f)->hi - (f)->n + 1)

/* The family of a term, power g->power, coefficients u^0 .. u^(n-1) of the
   gauged value (the 2^-n part left out) at d = lo .. top: one pass up the
   layers from g->start, every state's value a polynomial in u truncated
   after u^(n-1). */
void _ntk_series_term_values(_ntk_family_t * f, const _ntk_gauge_t * g);

/* Fits poly[i] of a term's family at the critical variance (n_lam = 1):
   degree <= i, through the depths i + 3 .. 2 i + 3, where it is exact
   (doc/derivation.md, section 13); returns 0, or -1 if a depth after those
   (up to top) disagrees.  Then sets d_min (_ntk_family_check). */
int _ntk_family_fit(_ntk_family_t * f);

/* The same away from it (f->base != 1, 0): the coefficient of u^i is
   sum_{m = m_lo .. m_hi} base^(m d) P_m(d), deg P_m <= i - (m_hi - m),
   exact for d >= i + 3; it is found by partial fractions of the generating
   function of the values from d = i + 3 on, and every later depth (up to
   top) must agree (else -1).  f->n_lam must exceed m_hi. */
int _ntk_family_fit_exp(_ntk_family_t * f, slong m_lo, slong m_hi);

/* The depths that _ntk_family_fit_exp needs for n coefficients and the
   levels m_lo .. m_hi: the top of the pass. */
slong _ntk_family_fit_exp_top(slong n, slong m_lo, slong m_hi);

/* res <- coefficient i of f at depth d by its exponential polynomial. */
void _ntk_family_eval(fmpq_t res, const _ntk_family_t * f, slong i, slong d);

/* d_min[i] <- the least depth from which coefficient i's exponential
   polynomial equals every value (lo when it equals them all). */
void _ntk_family_check(_ntk_family_t * f);

/* ------------------------------------------------ the algebra of families */

/* f <- c0 at the power 0 plus sum_k lin[k] fam[k], k < n_terms, over the
   powers that every family in the sum holds (no lower than low); fam[k]
   with n = 0 is absent (zero). */
void _ntk_family_assemble(_ntk_family_t * f, const fmpq * lin, const fmpq_t c0,
                          const _ntk_family_t * fam, int n_terms, slong low, slong lo,
                          slong top, slong n_lam, const fmpq_t base);

/* f <- a b, down to the lowest power where the product is complete; the
   exponential parts multiply (base^(m1 d) base^(m2 d) = base^((m1+m2) d)),
   into a.n_lam + b.n_lam - 1 parts.  -1 if the bases differ (f is then
   initialised, and empty). */
int _ntk_family_mul(_ntk_family_t * f, const _ntk_family_t * a, const _ntk_family_t * b);

/* f <- f + c a over the powers of f (a must hold them all, else -1). */
int _ntk_family_addmul_si(_ntk_family_t * f, const _ntk_family_t * a, slong c);

/* f <- a copy of a, restricted to the powers hi .. low. */
void _ntk_family_copy(_ntk_family_t * f, const _ntk_family_t * a, slong hi, slong low);

/* Drops the leading coefficients that are 0 at every depth, keeping n^0
   unless all_zeros (then down to the first non-zero one, or to one
   coefficient). */
void _ntk_family_trim(_ntk_family_t * f, int all_zeros);

/* Non-zero when coefficient i is 0 at every depth (values and parts). */
int _ntk_family_coeff_is_zero(const _ntk_family_t * f, slong i);

/* Var_K, M3_K, M4_K (qf indexed by ntk_quantity_t) from E_K, E_K2, E_K3,
   E_K4, as moments.c forms them; -1 if a product leaves n_lam. */
int _ntk_family_central(_ntk_family_t * qf, int moment_order);

/* ------------------------------------------------ ratios */

/* The series of num / den^k as the coefficients of n^-i, i = 0 .. order,
   with their values at every depth, at the critical variance: ratio_num[i]
   / ratio_den[i] in lowest terms, ratio_den[i] primitive with a positive
   leading coefficient, and d_min set by comparison with the values.
   Returns 1, 0 when the series starts with a positive power of n, or -1
   when a value of den's leading coefficient vanishes (a bug), or -2 when
   num or den does not reach n^-order. */
int _ntk_series_ratio(_ntk_family_t * ratio, fmpq_poly_struct * ratio_den,
                      const _ntk_family_t * num, const _ntk_family_t * den, int k,
                      slong order);

/* The same away from it: coefficient i is num_i(d, L) / den_i(d, L) with
   L = base^d, num_i and den_i polynomials in d and L without common factor
   (den_i primitive, its leading coefficient in L, then d, positive); part m
   of coefficient i of num (den) is the polynomial in d of L^m, in
   ratio_num[i][m] (ratio_den[i][m]), m < n_parts[i]. */
typedef struct
{
    slong n_parts;
    fmpq_poly_struct * num, * den;
}
_ntk_exp_ratio_t;

void _ntk_exp_ratio_clear(_ntk_exp_ratio_t * r, slong n);

int _ntk_series_ratio_exp(_ntk_family_t * ratio, _ntk_exp_ratio_t * parts,
                          const _ntk_family_t * num, const _ntk_family_t * den, int k,
                          slong order);

/* Subtracts c from coefficient 0 (of n^0) of a ratio's values; the parts
   are adjusted by the caller. */
void _ntk_family_sub_const_values(_ntk_family_t * f, slong c);

/* ------------------------------------------------ the plan of a computation */

/* What a series computation runs: the terms, the base of the exponential
   polynomials (1 where they are polynomials), how far down in 1/n. */
typedef struct
{
    int moment_order, at_zero, poly, n_todo;
    slong order, margin;
    fmpq_t base;
    int todo[_NTK_N_TERMS];
}
_ntk_series_plan_t;

/* The arguments every series computation checks (order <= order_max,
   x2 >= 0, the conventions for the moment order). */
ntk_status_t _ntk_series_check(slong order, slong order_max, ulong n0, const fmpq_t x2,
                               const ntk_conv_t conv, int moment_order, const ntk_exec_t exec,
                               ntk_error_t * err);

/* pl <- the plan of a series to n^-order of the moments up to
   E[K^moment_order], with every argument checked (then pl is to be cleared),
   or an error (nothing to clear). */
ntk_status_t _ntk_series_plan_init(_ntk_series_plan_t * pl, slong order, ulong n0, const fmpq_t x2,
                                   const ntk_conv_t conv, int moment_order, const ntk_exec_t exec,
                                   ntk_error_t * err);

void _ntk_series_plan_clear(_ntk_series_plan_t * pl);

/* The deepest depth the fits of the plan need. */
slong _ntk_series_plan_top(const _ntk_series_plan_t * pl, const ntk_conv_struct * conv);

/* qf[q] (NTK_N_QUANTITIES of them, all initialised here) <- the family of
   every quantity of the plan but the ratios, at the depths lo .. top, from
   the terms' families (fitted when fit is non-zero); clear with
   _ntk_series_families_clear, whatever the status. */
ntk_status_t _ntk_series_families(_ntk_family_t * qf, const _ntk_series_plan_t * pl, ulong n0,
                                  const fmpq_t x2, const ntk_conv_t conv, const ntk_exec_t exec,
                                  slong lo, slong top, int fit, ntk_error_t * err);

void _ntk_series_families_clear(_ntk_family_t * qf);

#endif
