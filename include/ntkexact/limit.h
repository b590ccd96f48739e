/* ntkexact, module limit: the depth-to-width limits and their 1/n corrections
   (ntk_limit_). Part of the public API (include <ntkexact.h>, which holds the
   contract of every function). */

#ifndef NTKEXACT_LIMIT_H
#define NTKEXACT_LIMIT_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- limits */

/* Limits as the hidden width n and the depth d grow together with
   beta = sum of 1/n_i over the hidden layers fixed (uniform hidden widths,
   cw_hidden = 2, NTK parametrization) and a = x2/n_0 fixed. */
typedef struct
{
    mpfr_t e_k;        /* E[K] / d */
    mpfr_t e_k2;       /* E[K^2] / d^2 */
    mpfr_t ratio_k2;   /* E[K^2] / E[K]^2 */
    mpfr_t ratio_dk;   /* E[dK] / (lambda E[K] d beta) */
    mpfr_t ratio_n4;   /* E[N^4] / E[N^2]^2, which is 3 exp(5 beta) */
    mpfr_t e_k3;       /* E[K^3] / d^3 (ntk_limit_compute_moments, moments >= 3) */
    mpfr_t ratio_k3;   /* E[K^3] / E[K]^3 */
    mpfr_t ratio_n6;   /* E[N^6] / E[N^2]^3, which is 15 exp(15 beta) */
    mpfr_t e_k4;       /* E[K^4] / d^4 (moments 4) */
    mpfr_t ratio_k4;   /* E[K^4] / E[K]^4 */
    mpfr_t ratio_n8;   /* E[N^8] / E[N^2]^4, which is 105 exp(30 beta) */
    int initialised;   /* set by ntk_limit_init, cleared by ntk_limit_clear */
}
ntk_limit_struct;

typedef ntk_limit_struct ntk_limit_t[1];

/* Initialises the values with prec bits (MPFR_PREC_MIN .. 2^24). */
void ntk_limit_init(ntk_limit_t l, mpfr_prec_t prec);

/* Frees the values. */
void ntk_limit_clear(ntk_limit_t l);

/* Computes the limits from the generator of the transfer recursion: one
   matrix exponential per term (doc/derivation.md, section 8), each value
   with a relative error below 2^-prec.  mu4 and the dead-layer factors drop
   out; cw_output and biases on/off are honoured.  beta must lie in
   [10^-1000, 10^6] and a in [0, 10^100]; a = 0 is the input x = 0, where
   K = 1: E[K]/d, E[K^2]/d^2 and the dK ratio are 0, E[K^2]/E[K]^2 is 1 and
   E[N^4]/E[N^2]^2 is NaN (N = 0). */
ntk_status_t ntk_limit_compute(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                               const ntk_conv_t conv, ntk_error_t * err);

/* The same limits from their closed forms in exp(5 beta), exp(-beta) and
   beta (derived by doc/tools/limit_closed_form.py; doc/derivation.md), with
   the precision raised for the cancellation at small beta. */
ntk_status_t ntk_limit_closed_form(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                   const ntk_conv_t conv, ntk_error_t * err);

/* The number of limit values, and the most digits ntk_limit_get_strs gives. */
#define NTK_LIMIT_N 5
#define NTK_LIMIT_DIGITS_MAX 100000

/* The most limit values (ntk_limit_get_strs_moments at moments 4). */
#define NTK_LIMIT_N_MAX 11

/* The number of limit values up to the moments of order `moments`: 5 (2),
   8 (3: E[K^3]/d^3, E[K^3]/E[K]^3, E[N^6]/E[N^2]^3 added), 11 (4:
   E[K^4]/d^4, E[K^4]/E[K]^4, E[N^8]/E[N^2]^4 added); 0 for other orders. */
int ntk_limit_n(int moments);

/* ntk_limit_compute, and for moments 3 or 4 also the limits of the moments
   of order 3 (e_k3, ratio_k3, ratio_n6) and 4 (e_k4, ratio_k4, ratio_n8;
   NaN at moments 3), each from the generator of the continuum states
   (which marks are placed, the pairing of the present paths), reduced by
   the symmetry of the future (doc/derivation.md, section 8), for every
   activation; mu4, mu6 and mu8 drop out.  moments 2, 3 or 4.  With slopes
   0, a_minus != 0 and biases the dead phase bounds beta: beta <= 1/moments
   (NTK_ERR_RANGE beyond).  At a = 0 with a_minus = 0 (K = 1) the
   E[K^k]/d^k are 0, the E[K^k]/E[K]^k are 1 and the N ratios NaN; with
   |a_plus| = |a_minus| the N ratios are NaN (N = 0). */
ntk_status_t ntk_limit_compute_moments(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                       const ntk_conv_t conv, int moments, ntk_error_t * err);

/* The same from the closed forms: every term an exponential polynomial in
   beta with exact rational coefficients.  With a slope 0 (A_4 = 2 A_2^2)
   the exponents are 30, 16, 15, 10, 5, 0, -1 and the coefficients a table
   (fitted to the generator's Taylor coefficients by
   doc/tools/limit_moments_closed_form.py); otherwise the exponents are
   eigenvalues of the generator, -C(m,2) + r (m^2 - 2m + content(2 mu))/2
   (r = A_4/A_2^2, mu a partition of m <= 4), and the coefficients are
   fitted exactly at run time to the Taylor coefficients of the spectral
   reduction of the transfer recursion's layer maps (the data of
   ntk_limit_correction), not to the generator.  The precision is raised
   for the cancellation at small beta and between close exponents. */
ntk_status_t ntk_limit_closed_form_moments(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                           const ntk_conv_t conv, int moments,
                                           ntk_error_t * err);

/* The five limits (E[K]/d, E[K^2]/d^2, E[K^2]/E[K]^2, the dK ratio,
   E[N^4]/E[N^2]^2) as decimal strings of `digits` significant digits, every
   digit correct: each is computed at two precisions 64 bits apart, more when
   they disagree in those digits.  values[k] is NULL where a value is
   undefined (E[N^4]/E[N^2]^2 at a = 0); closed (may be NULL) gets the same
   from the closed forms, and agree (may be NULL) the number of significant
   digits the two share (digits when they agree).  Free every string with
   flint_free. */
ntk_status_t ntk_limit_get_strs(char ** values, char ** closed, slong * agree,
                                const fmpq_t beta, const fmpq_t a, const ntk_conv_t conv,
                                slong digits, ntk_error_t * err);

/* The 1/n corrections: at beta = (d-1)/n and a fixed, each limit value is
   F_0(beta) + F_1(beta)/n + O(1/n^2) (with d = beta n + 1 in E[K]/d, E[K^2]/d^2
   and the dK ratio); sets the five values of l to their F_1 (NaN where the
   value is undefined).  From the spectral reduction of the layer map at
   order 1/n: per term one block-triangular matrix exponential
   exp(beta [[L1, H], [0, L1]]) (doc/derivation.md, section 13).  The same
   conditions as ntk_limit_compute and, with slopes 0, a_minus != 0 and
   biases, beta < 1/2. */
ntk_status_t ntk_limit_correction(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                  const ntk_conv_t conv, ntk_error_t * err);

/* The same from the closed forms: per term an exponential polynomial
   sum c beta^i e^(lambda beta) (lambda the eigenvalues of the generator)
   whose exact rational coefficients are fitted to as many exact Taylor
   coefficients as its dimension. */
ntk_status_t ntk_limit_correction_closed_form(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                              const ntk_conv_t conv, ntk_error_t * err);

/* ntk_limit_get_strs for order 0 (the limits F_0) or order 1 (their 1/n
   corrections F_1, by ntk_limit_correction and its closed form), with the
   same guarantee that every digit is correct. */
ntk_status_t ntk_limit_get_strs_order(char ** values, char ** closed, slong * agree,
                                      const fmpq_t beta, const fmpq_t a, const ntk_conv_t conv,
                                      int order, slong digits, ntk_error_t * err);

/* ntk_limit_correction and ntk_limit_correction_closed_form up to the
   moments of order `moments` (2, 3 or 4): also F_1 of E[K^3]/d^3,
   E[K^3]/E[K]^3, E[N^6]/E[N^2]^3 (3) and E[K^4]/d^4, E[K^4]/E[K]^4,
   E[N^8]/E[N^2]^4 (4; NaN at 3), for every activation.  F_1 depends on mu4
   but not on mu6 or mu8.  With slopes 0, a_minus != 0 and biases,
   beta < 1/moments. */
ntk_status_t ntk_limit_correction_moments(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                          const ntk_conv_t conv, int moments, ntk_error_t * err);

ntk_status_t ntk_limit_correction_closed_form_moments(ntk_limit_t l, const fmpq_t beta,
                                                      const fmpq_t a, const ntk_conv_t conv,
                                                      int moments, ntk_error_t * err);

/* As ntk_limit_get_strs, the ntk_limit_n(moments) limits up to the moments
   of order `moments` (2, 3 or 4; 2 gives ntk_limit_get_strs), in the order
   of ntk_limit_struct, by ntk_limit_compute_moments and
   ntk_limit_closed_form_moments, with the same guarantee that every digit
   is correct.  values and closed (if not NULL) have room for
   ntk_limit_n(moments) strings. */
ntk_status_t ntk_limit_get_strs_moments(char ** values, char ** closed, slong * agree,
                                        const fmpq_t beta, const fmpq_t a,
                                        const ntk_conv_t conv, int moments, slong digits,
                                        ntk_error_t * err);

/* Both: the ntk_limit_n(moments) values of order `order` (0: the limits
   F_0, as ntk_limit_get_strs_moments; 1: their 1/n corrections F_1, by
   ntk_limit_correction_moments and its closed form) up to the moments of
   order `moments`, every digit correct. */
ntk_status_t ntk_limit_get_strs_order_moments(char ** values, char ** closed, slong * agree,
                                              const fmpq_t beta, const fmpq_t a,
                                              const ntk_conv_t conv, int order, int moments,
                                              slong digits, ntk_error_t * err);

#ifdef __cplusplus
}
#endif

#endif
