/* The 1/n correction F_1 of the depth-to-width limits (doc/derivation.md,
   section 13), three ways: the block exponential against the exact closed
   forms (ntk_limit_get_strs_order); the leading and next-to-leading
   coefficients in d of the series in 1/n (polynomials in d, checked against
   the exact engine in t-series) summed as Taylor series in beta against
   F_0 and F_1; and n (exact(n, d = beta n + 1) - F_0) from the exact
   engine's floating-point mode at n = 252 .. 4000, extrapolated to 1/n = 0,
   against F_1 (no code shared with the correction but the layer factors).
   The moments of order 3 and 4: tests/t-correction-moments.c and
   tests/t-limit-richardson.c. */

#include <stdlib.h>
#include <string.h>
#include <mpfr.h>
#include <flint/fmpq.h>
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

static mpfr_ptr
limit_value(ntk_limit_t l, int k)
{
    mpfr_ptr v[NTK_LIMIT_N] = { l->e_k, l->e_k2, l->ratio_k2, l->ratio_dk, l->ratio_n4 };
    return v[k];
}

static const char * const names[NTK_LIMIT_N] = { "E[K]/d", "E[K^2]/d^2", "E[K^2]/E[K]^2",
                                                 "E[dK]/(lambda E[K] d beta)", "E[N^4]/E[N^2]^2" };

/* |x - y| / max(|y|, |scale|), as a double. */
static double
rel_diff(const mpfr_t x, const mpfr_t y, const mpfr_t scale)
{
    mpfr_t d, s;
    double r;
    mpfr_inits2(PREC, d, s, (mpfr_ptr) 0);
    mpfr_sub(d, x, y, MPFR_RNDN);
    mpfr_abs(d, d, MPFR_RNDN);
    mpfr_abs(s, y, MPFR_RNDN);
    if (mpfr_cmpabs(scale, s) > 0)
        mpfr_abs(s, scale, MPFR_RNDN);
    if (mpfr_zero_p(s))
        r = mpfr_zero_p(d) ? 0.0 : 1.0;
    else
    {
        mpfr_div(d, d, s, MPFR_RNDN);
        r = mpfr_get_d(d, MPFR_RNDN);
    }
    mpfr_clears(d, s, (mpfr_ptr) 0);
    return r;
}

/* 1. The block exponential and the closed forms agree to 50 digits. */
static void
check_closed(const conv_spec_t * c, const char * beta_str)
{
    ntk_conv_t conv;
    fmpq_t a, beta;
    char * v[NTK_LIMIT_N], * cf[NTK_LIMIT_N];
    slong agree = -1;
    ntk_status_t st;
    int k;
    ntk_conv_init(conv);
    fmpq_init(a); fmpq_init(beta);
    conv_from(conv, a, c);
    ntk_rational_set_str(beta, beta_str, "beta", NULL);
    st = ntk_limit_get_strs_order(v, cf, &agree, beta, a, conv, 1, 50, NULL);
    tap_ok(st == NTK_OK && agree == 50, "%s mu4 %s c_out %s a = %s/%lu%s beta %s: F_1 by the block "
           "exponential = the closed forms to %ld of 50 digits (E[K^2]/E[K]^2: %s)", c->act, c->mu4,
           c->co, c->x2, (unsigned long) c->n0, c->bias ? "" : " no-bias", beta_str, (long) agree,
           st == NTK_OK ? v[2] : "-");
    if (st == NTK_OK)
        for (k = 0; k < NTK_LIMIT_N; k++)
        {
            flint_free(v[k]);
            flint_free(cf[k]);
        }
    fmpq_clear(a); fmpq_clear(beta);
    ntk_conv_clear(conv);
}

/* F_0 and F_1 of X/d^p at d = beta n + 1 from the polynomials in d:
   sum_k c_{k,k+p} beta^k and sum_k beta^(k-1) (c_{k,k+p-1} + k c_{k,k+p}). */
static void
taylor_from_series(mpfr_t f0, mpfr_t f1, const ntk_series_t s, ntk_quantity_t q, int p,
                   const mpfr_t beta)
{
    mpfr_t t, c, bk;
    fmpq_t x;
    slong k;
    mpfr_inits2(PREC, t, c, bk, (mpfr_ptr) 0);
    fmpq_init(x);
    mpfr_set_zero(f0, 1);
    mpfr_set_zero(f1, 1);
    mpfr_ui_div(bk, 1, beta, MPFR_RNDN);    /* beta^(k-1) */
    for (k = 0; k <= s->order; k++)
    {
        const ntk_series_coeff_struct * co = ntk_series_coeff(s, q, -k);
        if (co != NULL)
        {
            fmpq_poly_get_coeff_fmpq(x, &co->num, k + p);
            fmpq_get_mpfr(c, x, MPFR_RNDN);
            mpfr_mul(t, c, bk, MPFR_RNDN);
            mpfr_mul(t, t, beta, MPFR_RNDN);
            mpfr_add(f0, f0, t, MPFR_RNDN);
            mpfr_mul_si(c, c, k, MPFR_RNDN);
            if (k + p >= 1)
            {
                fmpq_poly_get_coeff_fmpq(x, &co->num, k + p - 1);
                fmpq_get_mpfr(t, x, MPFR_RNDN);
                mpfr_add(c, c, t, MPFR_RNDN);
            }
            mpfr_mul(t, c, bk, MPFR_RNDN);
            mpfr_add(f1, f1, t, MPFR_RNDN);
        }
        mpfr_mul(bk, bk, beta, MPFR_RNDN);
    }
    fmpq_clear(x);
    mpfr_clears(t, c, bk, (mpfr_ptr) 0);
}

/* q <- a/b and its 1/n part: (a_1 b_0 - a_0 b_1)/b_0^2. */
static void
quotient(mpfr_t q0, mpfr_t q1, const mpfr_t a0, const mpfr_t a1, const mpfr_t b0,
         const mpfr_t b1)
{
    mpfr_t t, u;
    mpfr_inits2(PREC, t, u, (mpfr_ptr) 0);
    mpfr_mul(t, a1, b0, MPFR_RNDN);
    mpfr_mul(u, a0, b1, MPFR_RNDN);
    mpfr_sub(t, t, u, MPFR_RNDN);
    mpfr_sqr(u, b0, MPFR_RNDN);
    mpfr_div(q1, t, u, MPFR_RNDN);
    mpfr_div(q0, a0, b0, MPFR_RNDN);
    mpfr_clears(t, u, (mpfr_ptr) 0);
}

/* The five values' F_0 (f[0][k]) and F_1 (f[1][k]) from the series. */
static void
values_from_series(mpfr_t f[2][NTK_LIMIT_N], const ntk_series_t s, const mpfr_t beta)
{
    mpfr_t k0, k1, s0, s1, d0, d1, n40, n41, n20, n21, t0, t1;
    mpfr_inits2(PREC, k0, k1, s0, s1, d0, d1, n40, n41, n20, n21, t0, t1, (mpfr_ptr) 0);
    taylor_from_series(k0, k1, s, NTK_E_K, 1, beta);
    taylor_from_series(s0, s1, s, NTK_E_K2, 2, beta);
    taylor_from_series(d0, d1, s, NTK_E_DK, 2, beta);
    taylor_from_series(n40, n41, s, NTK_E_N4, 0, beta);
    taylor_from_series(n20, n21, s, NTK_E_N2, 0, beta);
    mpfr_set(f[0][0], k0, MPFR_RNDN);
    mpfr_set(f[1][0], k1, MPFR_RNDN);
    mpfr_set(f[0][1], s0, MPFR_RNDN);
    mpfr_set(f[1][1], s1, MPFR_RNDN);
    /* E[K^2]/E[K]^2 = (E_K2/d^2) / (E_K/d)^2 */
    mpfr_sqr(t0, k0, MPFR_RNDN);
    mpfr_mul(t1, k0, k1, MPFR_RNDN);
    mpfr_mul_2ui(t1, t1, 1, MPFR_RNDN);
    quotient(f[0][2], f[1][2], s0, s1, t0, t1);
    /* E[dK]/(lambda E[K] d beta) = (E_dK/d^2) / (E_K/d) / beta */
    quotient(f[0][3], f[1][3], d0, d1, k0, k1);
    mpfr_div(f[0][3], f[0][3], beta, MPFR_RNDN);
    mpfr_div(f[1][3], f[1][3], beta, MPFR_RNDN);
    /* E[N^4]/E[N^2]^2 */
    mpfr_sqr(t0, n20, MPFR_RNDN);
    mpfr_mul(t1, n20, n21, MPFR_RNDN);
    mpfr_mul_2ui(t1, t1, 1, MPFR_RNDN);
    quotient(f[0][4], f[1][4], n40, n41, t0, t1);
    mpfr_clears(k0, k1, s0, s1, d0, d1, n40, n41, n20, n21, t0, t1, (mpfr_ptr) 0);
}

/* 2. The leading-degree coefficients of the polynomials in d rebuild F_0
   (ntk_limit_compute), the next ones F_1 (ntk_limit_correction). */
static void
check_taylor(const conv_spec_t * c, const char * beta_str, double tol)
{
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_series_t s;
    ntk_limit_t l0, l1;
    fmpq_t a, beta, x2;
    mpfr_t f[2][NTK_LIMIT_N], b, zero;
    double worst[2] = { 0, 0 };
    int k, i, ok;
    ntk_conv_init(conv); ntk_exec_init(exec); ntk_series_init(s);
    ntk_limit_init(l0, PREC); ntk_limit_init(l1, PREC);
    fmpq_init(a); fmpq_init(beta); fmpq_init(x2);
    mpfr_inits2(PREC, b, zero, (mpfr_ptr) 0);
    mpfr_set_zero(zero, 1);
    for (i = 0; i < 2; i++)
        for (k = 0; k < NTK_LIMIT_N; k++)
            mpfr_init2(f[i][k], PREC);
    conv_from(conv, a, c);
    ntk_rational_set_str(x2, c->x2, "x2", NULL);
    ntk_rational_set_str(beta, beta_str, "beta", NULL);
    fmpq_get_mpfr(b, beta, MPFR_RNDN);
    ok = ntk_series_compute(s, NTK_SERIES_ORDER_MAX, c->n0, x2, conv, exec, NULL) == NTK_OK
         && ntk_limit_compute(l0, beta, a, conv, NULL) == NTK_OK
         && ntk_limit_correction(l1, beta, a, conv, NULL) == NTK_OK;
    if (ok)
    {
        values_from_series(f, s, b);
        for (k = 0; k < NTK_LIMIT_N; k++)
        {
            double r0 = rel_diff(f[0][k], limit_value(l0, k), zero);
            double r1 = rel_diff(f[1][k], limit_value(l1, k), limit_value(l0, k));
            worst[0] = FLINT_MAX(worst[0], r0);
            worst[1] = FLINT_MAX(worst[1], r1);
        }
    }
    tap_ok(ok && worst[0] <= tol && worst[1] <= tol, "%s mu4 %s c_out %s a = %s/%lu%s beta %s: "
           "the coefficients of d^(k+p) and d^(k+p-1) of the series to n^-%d rebuild F_0 and F_1 of "
           "the five values (worst relative differences %.2g, %.2g; tolerance %.0g)", c->act, c->mu4,
           c->co, c->x2, (unsigned long) c->n0, c->bias ? "" : " no-bias", beta_str,
           NTK_SERIES_ORDER_MAX, worst[0], worst[1], tol);
    for (i = 0; i < 2; i++)
        for (k = 0; k < NTK_LIMIT_N; k++)
            mpfr_clear(f[i][k]);
    mpfr_clears(b, zero, (mpfr_ptr) 0);
    fmpq_clear(a); fmpq_clear(beta); fmpq_clear(x2);
    ntk_limit_clear(l0); ntk_limit_clear(l1);
    ntk_series_clear(s); ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* The five values at the width n and depth d = beta n + 1 from the exact
   engine's floating-point mode. */
static int
finite_values(mpfr_t * v, const ntk_conv_t conv, const conv_spec_t * c, ulong n,
              const fmpq_t beta)
{
    ntk_profile_t p;
    ntk_moments_t m;
    ntk_exec_t exec;
    fmpq_t x2, val[NTK_N_QUANTITIES], bn;
    mpfr_t q[NTK_N_QUANTITIES], d, t;
    ulong * widths;
    slong depth, i;
    int ok, k;
    fmpq_init(bn);
    fmpq_mul_ui(bn, beta, n);
    if (!fmpz_is_one(fmpq_denref(bn)))
    {
        fmpq_clear(bn);
        return 0;
    }
    depth = fmpz_get_si(fmpq_numref(bn)) + 1;
    widths = flint_malloc((depth + 1) * sizeof(ulong));
    widths[0] = c->n0;
    for (i = 1; i < depth; i++)
        widths[i] = n;
    widths[depth] = 1;
    ntk_profile_init(p); ntk_moments_init(m); ntk_exec_init(exec);
    exec->precision = PREC;
    fmpq_init(x2);
    ntk_rational_set_str(x2, c->x2, "x2", NULL);
    ok = ntk_profile_set_widths(p, widths, depth + 1, NULL) == NTK_OK
         && ntk_moments_compute(m, p, conv, exec, NULL) == NTK_OK;
    mpfr_inits2(PREC, d, t, (mpfr_ptr) 0);
    for (k = 0; k < ntk_quantity_count(2); k++)
    {
        fmpq_init(val[k]);
        mpfr_init2(q[k], PREC);
        if (ok)
            ok = ntk_moments_eval(val[k], m, (ntk_quantity_t) k, x2) == NTK_OK;
        fmpq_get_mpfr(q[k], val[k], MPFR_RNDN);
    }
    mpfr_set_si(d, depth, MPFR_RNDN);
    mpfr_div(v[0], q[NTK_E_K], d, MPFR_RNDN);
    mpfr_div(v[1], q[NTK_E_K2], d, MPFR_RNDN);
    mpfr_div(v[1], v[1], d, MPFR_RNDN);
    mpfr_sqr(t, q[NTK_E_K], MPFR_RNDN);
    mpfr_div(v[2], q[NTK_E_K2], t, MPFR_RNDN);
    mpfr_mul(t, q[NTK_E_K], d, MPFR_RNDN);
    mpfr_div(v[3], q[NTK_E_DK], t, MPFR_RNDN);
    fmpq_get_mpfr(t, beta, MPFR_RNDN);
    mpfr_div(v[3], v[3], t, MPFR_RNDN);
    mpfr_sqr(t, q[NTK_E_N2], MPFR_RNDN);
    mpfr_div(v[4], q[NTK_E_N4], t, MPFR_RNDN);
    for (k = 0; k < ntk_quantity_count(2); k++)
    {
        fmpq_clear(val[k]);
        mpfr_clear(q[k]);
    }
    mpfr_clears(d, t, (mpfr_ptr) 0);
    fmpq_clear(x2); fmpq_clear(bn);
    flint_free(widths);
    ntk_profile_clear(p); ntk_moments_clear(m); ntk_exec_clear(exec);
    return ok;
}

/* The value at 1/n = 0 of the polynomial in 1/n through (1/n[i], y[i])
   (Neville; with h = 1/n the weights are exact integers). */
static void
neville(mpfr_t res, const ulong * n, mpfr_t * y, int len)
{
    mpfr_t * p = flint_malloc(len * sizeof(mpfr_t));
    mpfr_t t, u;
    int i, k;
    mpfr_inits2(PREC, t, u, (mpfr_ptr) 0);
    for (i = 0; i < len; i++)
    {
        mpfr_init2(p[i], PREC);
        mpfr_set(p[i], y[i], MPFR_RNDN);
    }
    for (k = 1; k < len; k++)
        for (i = 0; i + k < len; i++)
        {
            /* p[i] = (n[i] p[i] - n[i+k] p[i+1]) / (n[i] - n[i+k]) */
            mpfr_mul_ui(t, p[i], n[i], MPFR_RNDN);
            mpfr_mul_ui(u, p[i + 1], n[i + k], MPFR_RNDN);
            mpfr_sub(t, t, u, MPFR_RNDN);
            mpfr_div_si(p[i], t, (slong) n[i] - (slong) n[i + k], MPFR_RNDN);
        }
    mpfr_set(res, p[0], MPFR_RNDN);
    for (i = 0; i < len; i++)
        mpfr_clear(p[i]);
    mpfr_clears(t, u, (mpfr_ptr) 0);
    flint_free(p);
}

/* 250 .. 4000 in steps of about sqrt(2), multiples of 4 (beta n integral) */
#define N_WIDTHS 9
static const ulong widths_n[N_WIDTHS] = { 252, 352, 500, 704, 1000, 1412, 2000, 2828, 4000 };

/* 3. n (exact(n, d = beta n + 1) - F_0) at n = 252 .. 4000, extrapolated
   in 1/n, against F_1; and the rate: the raw differences from F_1 halve
   as n doubles. */
static void
check_richardson(const conv_spec_t * c, const char * beta_str, double tol)
{
    ntk_conv_t conv;
    ntk_limit_t l0, l1;
    fmpq_t a, beta;
    mpfr_t v[NTK_LIMIT_N], g[NTK_LIMIT_N][N_WIDTHS], ext, t;
    double worst = 0, rate = 0, raw_last = 0;
    int k, i, ok, worst_k = 0;
    ntk_conv_init(conv);
    ntk_limit_init(l0, PREC); ntk_limit_init(l1, PREC);
    fmpq_init(a); fmpq_init(beta);
    mpfr_inits2(PREC, ext, t, (mpfr_ptr) 0);
    conv_from(conv, a, c);
    ntk_rational_set_str(beta, beta_str, "beta", NULL);
    for (k = 0; k < NTK_LIMIT_N; k++)
    {
        mpfr_init2(v[k], PREC);
        for (i = 0; i < N_WIDTHS; i++)
            mpfr_init2(g[k][i], PREC);
    }
    ok = ntk_limit_compute(l0, beta, a, conv, NULL) == NTK_OK
         && ntk_limit_correction(l1, beta, a, conv, NULL) == NTK_OK;
    for (i = 0; i < N_WIDTHS && ok; i++)
    {
        ok = finite_values(v, conv, c, widths_n[i], beta);
        for (k = 0; k < NTK_LIMIT_N && ok; k++)
        {
            mpfr_sub(g[k][i], v[k], limit_value(l0, k), MPFR_RNDN);
            mpfr_mul_ui(g[k][i], g[k][i], widths_n[i], MPFR_RNDN);
        }
    }
    for (k = 0; k < NTK_LIMIT_N && ok; k++)
    {
        double r, r_prev, r_last;
        neville(ext, widths_n, g[k], N_WIDTHS);
        r = rel_diff(ext, limit_value(l1, k), limit_value(l0, k));
        if (r > worst)
        {
            worst = r;
            worst_k = k;
        }
        /* the rate of the raw values, where F_1 is not exact already */
        r_prev = rel_diff(g[k][N_WIDTHS - 3], limit_value(l1, k), limit_value(l0, k));
        r_last = rel_diff(g[k][N_WIDTHS - 1], limit_value(l1, k), limit_value(l0, k));
        if (k == 2)
        {
            rate = r_last > 0 ? r_prev / r_last : 0;
            raw_last = r_last;
        }
    }
    tap_ok(ok && worst <= tol && (raw_last == 0 || (rate > 1.8 && rate < 2.2)),
           "%s mu4 %s c_out %s a = %s/%lu%s beta %s: n (exact - F_0) at 9 widths n = 252..4000, "
           "extrapolated in 1/n, = F_1 within %.2g (worst: %s; tolerance %.0g); E[K^2]/E[K]^2 "
           "unextrapolated at n = 4000: %.2g, the error ratio 2000/4000 %.3f (O(1/n): 2)",
           c->act, c->mu4, c->co, c->x2, (unsigned long) c->n0, c->bias ? "" : " no-bias",
           beta_str, worst, names[worst_k], tol, raw_last, rate);
    for (k = 0; k < NTK_LIMIT_N; k++)
    {
        mpfr_clear(v[k]);
        for (i = 0; i < N_WIDTHS; i++)
            mpfr_clear(g[k][i]);
    }
    mpfr_clears(ext, t, (mpfr_ptr) 0);
    fmpq_clear(a); fmpq_clear(beta);
    ntk_limit_clear(l0); ntk_limit_clear(l1);
    ntk_conv_clear(conv);
}

static const conv_spec_t specs[] = {
    { "relu", "3", "1", "1", 10, 1 },
    { "relu", "9/5", "1/2", "1", 1, 0 },
    { "relu", "5", "2", "3", 10, 1 },
    { "leaky:1/2", "3", "1", "1", 10, 1 },
    { "linear", "9/5", "1", "2", 3, 1 },
};
#define N_SPECS ((int) (sizeof(specs) / sizeof(specs[0])))

static const char * const betas[] = { "1/4", "1/2", "1", "2" };

int
main(void)
{
    int i, j;
    for (i = 0; i < N_SPECS; i++)
        for (j = 0; j < 4; j += 3)
            check_closed(specs + i, betas[j]);
    for (i = 0; i < N_SPECS; i++)
    {
        check_taylor(specs + i, "1/4", 1e-40);
        check_taylor(specs + i, "1/2", 1e-25);
    }
    for (i = 0; i < N_SPECS; i++)
        for (j = 0; j < 4; j++)
            check_richardson(specs + i, betas[j], 1e-8);
    return tap_done();
}
