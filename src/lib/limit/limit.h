/* Internal: what the ways of computing the depth-to-width limits share. */

#ifndef NTK_LIMIT_H
#define NTK_LIMIT_H

#include <flint/fmpq_mat.h>
#include "ntkexact.h"

/* The limits exist for the critical cw_hidden in the NTK parametrization;
   beta and a must lie in the documented ranges; l must be initialised. */
ntk_status_t _ntk_limit_check(const ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                              const ntk_conv_t conv, ntk_error_t * err);

/* The further condition of the 1/n correction (after _ntk_limit_check):
   with slopes 0, a_minus != 0 and biases, beta < 1/2 (the dead phase). */
ntk_status_t _ntk_limit_check_correction(const fmpq_t beta, const ntk_conv_t conv,
                                         ntk_error_t * err);

/* The limits of the input x = 0 (a = 0). */
void _ntk_limit_dead_input(ntk_limit_t l);

/* The exact data of a term's limit and 1/n correction (limit_spectral.c):
   E[term] = n^power a^half (F_0 + F_1/n + O(1/n^2)) with
   F_0 = a0 exp(beta L1) b0 and
   F_1 = a1 E b0 + a0 E b1 + a0 (Fr - L1 E) b0, E = exp(beta L1), Fr the
   upper right block of exp(beta [[L1, H], [0, L1]]); a0, a1 rows and b0, b1
   columns of m entries. */
typedef struct
{
    int m, half;
    fmpq_mat_t L1, H, a0, a1, b0, b1;
}
_ntk_spectral_t;

/* The data of term `which` at the critical variance; -1 if the gauged
   middle layer is not a projection plus O(1/n) (a variance that is not
   critical). */
int _ntk_spectral_init(_ntk_spectral_t * sp, int which, const ntk_conv_struct * conv);

void _ntk_spectral_clear(_ntk_spectral_t * sp);

/* sum_k c[k] beta^pow[k] e^(lam[k] beta), k < n. */
typedef struct
{
    slong n;
    fmpq * lam, * c;
    slong * pow;
}
_ntk_exppoly_t;

void _ntk_exppoly_init(_ntk_exppoly_t * f, slong n);

void _ntk_exppoly_clear(_ntk_exppoly_t * f);

/* F_0 and F_1 of a term as exact exponential polynomials (the eigenvalues
   of L1 are rational); -1 (nothing allocated) if they are not. */
int _ntk_spectral_exppoly(_ntk_exppoly_t * f0, _ntk_exppoly_t * f1, const _ntk_spectral_t * sp);

/* moments must be 2, 3 or 4; with slopes 0, a_minus != 0 and biases the
   dead phase's 2^(k(d-1)-n) in E[K^k] bounds beta: beta <= 1/moments for the
   limits (order 0), beta < 1/moments for their 1/n corrections (order 1),
   moments 3 and 4 (the bounds of moments 2 are _ntk_limit_check's and
   _ntk_limit_check_correction's).  beta and conv may be NULL to check the
   number only. */
ntk_status_t _ntk_limit_check_moments(int moments, int order, const fmpq_t beta,
                                      const ntk_conv_t conv, ntk_error_t * err);

/* The value of an exponential polynomial at beta (prec bits). */
void _ntk_exppoly_value(mpfr_t res, const _ntk_exppoly_t * f, const mpfr_t beta,
                        mpfr_prec_t prec);

/* The generator of the continuum classes of term `which` (a power of K or
   N) into gen (initialised here, n x n), with r = A_4/A_2^2, the bias birth
   rate a2 = A_2 and biases on/off: returns n; start[i] is the number of
   start states (pairings of the full paths, nothing placed) in class i, and
   *end the class of the end state (limit_moments.c). */
int _ntk_limit_generator(fmpq_mat_t gen, slong * start, int * end, int which, const fmpq_t r,
                         const fmpq_t a2, int bias);

/* res <- the limit of term (k, i): E[K_w^i K_b'^(k-i)]/n^k for i >= 0,
   E[N^(2k)] for i = -1. */
typedef void (* _ntk_limit_term_fn)(mpfr_t res, int k, int i, const void * ctx);

/* The values of order 3 .. moments of l from the limits of the terms of
   orders 1 and 3 .. moments given by `term`, at prec bits; beta as an
   mpfr. */
void _ntk_limit_moments_from(ntk_limit_t l, int moments, const mpfr_t beta, mpfr_prec_t prec,
                             _ntk_limit_term_fn term, const void * ctx);

/* Dense mpfr matrices of n x n entries, row major (limit_matrix.c): a
   new one with every entry 0 at prec bits; freed with _ntk_mat_free. */
mpfr_t * _ntk_mat_new(slong n, mpfr_prec_t prec);

void _ntk_mat_free(mpfr_t * m, slong n);

/* c <- a b (c distinct from a and b); tmp a scratch variable. */
void _ntk_mat_mul(mpfr_t * c, mpfr_t * a, mpfr_t * b, slong n, mpfr_t tmp);

/* a <- exp(a) for entries of any sign, to an absolute error of about
   2^-prec of the largest entry (the callers add guard bits and compare two
   precisions). */
void _ntk_mat_exp(mpfr_t * a, slong n, mpfr_prec_t prec);

/* a <- exp(a) for a non-negative matrix, every entry to a relative error
   below 2^-prec (nothing cancels). */
void _ntk_mat_exp_nonneg(mpfr_t * a, slong n, mpfr_prec_t prec);

#endif
