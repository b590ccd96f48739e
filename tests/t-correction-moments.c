/* The 1/n corrections F_1 of the depth-to-width limits of the moments of
   order 3 and 4 (doc/derivation.md, section 13): the block exponential
   against the exact exponential polynomials (ntk_limit_get_strs_order_moments)
   for six activations, and F_0, F_1 of E[N^2k]/E[N^2]^k, k = 2, 3, 4,
   against the exact product formula of E[N^2k] with Gaussian weights
   (ntk_moments_output_power), which shares no code with the limits.  The
   exact engine extrapolated in 1/n: tests/t-limit-richardson.c. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <mpfr.h>
#include <flint/fmpq.h>
#include <flint/fmpq_poly.h>
#include "ntkexact.h"
#include "tap.h"

#define PREC 320

typedef struct
{
    const char * act, * mu4, * co, * x2;
    ulong n0;
    int bias;
}
conv_spec_t;

static void
conv_from(ntk_conv_t conv, fmpq_t a, const conv_spec_t * c)
{
    fmpz_t n0;
    ntk_conv_set_activation_str(conv, c->act, NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    ntk_rational_set_str(conv->mu4, c->mu4, "mu4", NULL);
    ntk_rational_set_str(conv->cw_output, c->co, "c", NULL);
    ntk_rational_set_str(a, c->x2, "x2", NULL);
    conv->bias = c->bias;
    fmpz_init_set_ui(n0, c->n0);
    fmpq_div_fmpz(a, a, n0);
    fmpz_clear(n0);
}

/* -log10 |x - y|/|y| (1000 when equal). */
static double
rel_digits(const mpfr_t x, const mpfr_t y)
{
    mpfr_t d;
    double r;
    mpfr_init2(d, 64);
    mpfr_sub(d, x, y, MPFR_RNDN);
    if (mpfr_zero_p(d))
    {
        mpfr_clear(d);
        return 1000;
    }
    mpfr_div(d, d, y, MPFR_RNDN);
    r = -log10(fabs(mpfr_get_d(d, MPFR_RNDN)));
    mpfr_clear(d);
    return r;
}

/* 1. The eleven F_1 up to the moments of order 4 by the block exponential
   and by the exponential polynomials agree to 50 digits. */
static void
check_closed_moments(const conv_spec_t * c, const char * beta_str)
{
    ntk_conv_t conv;
    fmpq_t a, beta;
    char * v[NTK_LIMIT_N_MAX], * cf[NTK_LIMIT_N_MAX];
    slong agree = -1;
    ntk_status_t st;
    int k;
    ntk_conv_init(conv);
    fmpq_init(a); fmpq_init(beta);
    conv_from(conv, a, c);
    ntk_rational_set_str(beta, beta_str, "beta", NULL);
    st = ntk_limit_get_strs_order_moments(v, cf, &agree, beta, a, conv, 1, 4, 50, NULL);
    tap_ok(st == NTK_OK && agree == 50, "%s mu4 %s c_out %s a = %s/%lu%s beta %s: the eleven F_1 "
           "up to the moments of order 4, block exponential = closed forms to %ld of 50 digits "
           "(E[K^4]/E[K]^4: %s)", c->act, c->mu4, c->co, c->x2, (unsigned long) c->n0,
           c->bias ? "" : " no-bias", beta_str, (long) agree, st == NTK_OK ? v[9] : "-");
    if (st == NTK_OK)
        for (k = 0; k < NTK_LIMIT_N_MAX; k++)
        {
            flint_free(v[k]);
            flint_free(cf[k]);
        }
    fmpq_clear(a); fmpq_clear(beta);
    ntk_conv_clear(conv);
}

/* 2. With Gaussian weights E[N^2k] has an exact product formula
   (ntk_moments_output_power): E[N^2k]/E[N^2]^k = (2k-1)!! prod over the
   hidden layers of g_k(n), g_k(n) = P_k(n)/(A_2 n)^k with P_k a polynomial
   of degree k, so at d - 1 = beta n hidden layers, with
   g_k = 1 + L/n + M/n^2 + O(n^-3),
     F_0 = (2k-1)!! e^(L beta),  F_1 = F_0 beta (M - L^2/2).
   P_k is interpolated exactly from the formula on 1, m, 1 at m = 1..k+1. */
static void
n_ratio_expansion(fmpq_t L, fmpq_t M, const ntk_conv_t conv, ulong k)
{
    fmpq_poly_t p, basis, f;
    fmpq dd[5];
    fmpq_t e2, ek, t;
    ntk_profile_t prof;
    char spec[32];
    ulong m, j;
    fmpq_poly_init(p); fmpq_poly_init(basis); fmpq_poly_init(f);
    fmpq_init(e2); fmpq_init(ek); fmpq_init(t);
    ntk_profile_init(prof);
    for (m = 1; m <= k + 1; m++)
    {
        /* y_m = (2k-1)!! m^k g_k(m) = m^k E[N^2k]/E[N^2]^k on 1, m, 1 */
        fmpq_init(dd + m - 1);
        snprintf(spec, sizeof(spec), "1,%lu,1", m);
        ntk_profile_set_str(prof, spec, NULL);
        fmpq_one(t);
        ntk_moments_output_power(ek, prof, conv, t, k, NULL);
        ntk_moments_output_power(e2, prof, conv, t, 1, NULL);
        fmpq_pow_si(e2, e2, (slong) k);
        fmpq_div(t, ek, e2);
        fmpq_set_si(e2, (slong) m, 1);
        fmpq_pow_si(e2, e2, (slong) k);
        fmpq_mul(dd + m - 1, t, e2);
    }
    /* Newton's divided differences at the nodes 1 .. k+1 */
    for (j = 1; j <= k; j++)
        for (m = k; m >= j; m--)
        {
            fmpq_sub(dd + m, dd + m, dd + m - 1);
            fmpz_set_si(fmpq_numref(t), (slong) j);
            fmpz_one(fmpq_denref(t));
            fmpq_div(dd + m, dd + m, t);
        }
    fmpq_poly_zero(p);
    fmpq_poly_one(basis);
    for (j = 0; j <= k; j++)
    {
        fmpq_poly_scalar_mul_fmpq(f, basis, dd + j);
        fmpq_poly_add(p, p, f);
        fmpq_poly_zero(f);
        fmpq_poly_set_coeff_si(f, 1, 1);
        fmpq_poly_set_coeff_si(f, 0, -(slong) (j + 1));
        fmpq_poly_mul(basis, basis, f);
    }
    /* p = (2k-1)!! A_2^k (m^k + L m^(k-1) + M m^(k-2) + ...) */
    fmpq_poly_get_coeff_fmpq(t, p, (slong) k);
    fmpq_poly_get_coeff_fmpq(L, p, (slong) k - 1);
    fmpq_div(L, L, t);
    fmpq_poly_get_coeff_fmpq(M, p, (slong) k - 2);
    fmpq_div(M, M, t);
    for (m = 0; m <= k; m++)
        fmpq_clear(dd + m);
    ntk_profile_clear(prof);
    fmpq_clear(e2); fmpq_clear(ek); fmpq_clear(t);
    fmpq_poly_clear(p); fmpq_poly_clear(basis); fmpq_poly_clear(f);
}

/* F_0 and F_1 of E[N^2k]/E[N^2]^k, k = 2, 3, 4, against the product
   formula (Gaussian weights: mu4 = 3). */
static void
check_n_product(const char * act, const char * beta_str)
{
    static const int dfact[5] = { 1, 1, 3, 15, 105 };
    ntk_conv_t conv;
    ntk_limit_t l0, l1;
    fmpq_t a, beta, L, M;
    mpfr_t f0, f1, t;
    double worst = 1000;
    int k, ok;
    ntk_conv_init(conv);
    ntk_conv_set_activation_str(conv, act, NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    conv->bias = 0;       /* no bias term enters the N ratios */
    fmpq_init(a); fmpq_init(beta); fmpq_init(L); fmpq_init(M);
    fmpq_set_si(a, 1, 10);
    ntk_rational_set_str(beta, beta_str, "beta", NULL);
    ntk_limit_init(l0, PREC); ntk_limit_init(l1, PREC);
    mpfr_inits2(PREC, f0, f1, t, (mpfr_ptr) 0);
    ok = ntk_limit_compute_moments(l0, beta, a, conv, 4, NULL) == NTK_OK
         && ntk_limit_correction_moments(l1, beta, a, conv, 4, NULL) == NTK_OK;
    for (k = 2; k <= 4 && ok; k++)
    {
        mpfr_ptr v0 = k == 2 ? l0->ratio_n4 : k == 3 ? l0->ratio_n6 : l0->ratio_n8;
        mpfr_ptr v1 = k == 2 ? l1->ratio_n4 : k == 3 ? l1->ratio_n6 : l1->ratio_n8;
        n_ratio_expansion(L, M, conv, (ulong) k);
        fmpq_mul(M, M, beta);
        fmpq_mul(L, L, beta);                  /* L beta */
        fmpq_get_mpfr(f0, L, MPFR_RNDN);
        mpfr_exp(f0, f0, MPFR_RNDN);
        mpfr_mul_ui(f0, f0, (ulong) dfact[k], MPFR_RNDN);
        fmpq_mul(L, L, L);
        fmpq_div(L, L, beta);
        fmpq_div_2exp(L, L, 1);                /* beta L^2 / 2 */
        fmpq_sub(M, M, L);
        fmpq_get_mpfr(t, M, MPFR_RNDN);
        mpfr_mul(f1, f0, t, MPFR_RNDN);
        worst = FLINT_MIN(worst, rel_digits(v0, f0));
        worst = FLINT_MIN(worst, rel_digits(v1, f1));
    }
    tap_ok(ok && worst >= 90, "%s beta %s: F_0 and F_1 of E[N^2k]/E[N^2]^k, k = 2, 3, 4, = "
           "(2k-1)!! e^(L beta) and F_0 beta (M - L^2/2) from the exact product formula of "
           "E[N^2k] (%.0f digits or more; 1000: equal)", act, beta_str, worst);
    mpfr_clears(f0, f1, t, (mpfr_ptr) 0);
    ntk_limit_clear(l0); ntk_limit_clear(l1);
    fmpq_clear(a); fmpq_clear(beta); fmpq_clear(L); fmpq_clear(M);
    ntk_conv_clear(conv);
}

static const char * const betas[] = { "1/4", "1/2", "1", "2" };

/* slopes 0,1 with biases would need beta < 1/4 */
static const conv_spec_t specs_moments[] = {
    { "relu", "3", "1", "1", 10, 1 },
    { "leaky:1/2", "9/5", "2", "3", 10, 1 },
    { "leaky:1/10", "3", "1", "1", 10, 0 },
    { "linear", "5", "1/2", "2", 3, 1 },
    { "slopes:3/2,-1/3", "3", "1", "1", 10, 1 },
    { "abs", "3", "1", "0", 10, 1 },
};
#define N_SPECS_MOMENTS ((int) (sizeof(specs_moments) / sizeof(specs_moments[0])))

static const char * const n_acts[] = { "relu", "leaky:1/2", "leaky:1/10", "linear",
                                       "slopes:3/2,-1/3", "slopes:0,1" };

int
main(void)
{
    int i, j;
    for (i = 0; i < N_SPECS_MOMENTS; i++)
        for (j = i % 2; j < 4; j += 2)
            check_closed_moments(specs_moments + i, betas[j]);
    check_closed_moments(specs_moments, "1/1000");
    check_closed_moments(specs_moments + 2, "40");
    for (i = 0; i < 6; i++)
        check_n_product(n_acts[i], betas[i % 4]);
    flint_cleanup();
    return tap_done();
}
