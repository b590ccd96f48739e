/* The depth-to-width limits F_0 of the moments up to E[K^4] and their 1/n
   corrections F_1, for the scale-invariant family, against the exact
   engine extrapolated (doc/derivation.md, sections 8 and 13): the moments
   of order 4 of n_0, n x beta n, 1 (ntk_moments_compute_order in its
   floating-point mode at PREC bits, which shares nothing with the limits
   but the layer factors) at nine widths n = 960 .. 15360, the eleven values
   v(n) and n (v(n) - F_0) extrapolated to 1/n = 0 by the polynomial in 1/n
   through all the points (Neville).  The error bar of an extrapolation is
   the largest of its distances from the ones without the smallest and
   without the largest width (a degree less) and its rounding noise; every
   F_0 and F_1 must lie within its error bar, and every bar must be below
   1e-8 of F_0.  The limits are computed for another law (mu6 = mu4^2,
   mu8 = mu4^3) than the engine's: they do not depend on mu6, mu8.  F_1
   computed for a wrong mu4 must fail (the power of the check).  make check
   runs ReLU (beta 1/4), leaky 1/2 (1/2), linear (2), slopes 3/2,-1/3 (1)
   and the dead phase of slopes 0,1 (1/8); NTK_LIMIT_SLOW=1 (make
   check-slow) also leaky 1/10, |x| without biases, slopes 0,1 without
   biases and linear at x = 0, every one at beta = 1/4, 1/2, 1, 2, and the
   dead phase at beta = 1/16, 1/12, 1/8, 1/6, 1/4 (F_0) and 1/3 (moments 3,
   F_0). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mpfr.h>
#include "ntkexact.h"
#include "tap.h"

#define PREC 320
#define N_VALUES NTK_LIMIT_N_MAX
#define N_WIDTHS 9

/* 960 .. 15360 in steps of about sqrt(2), multiples of 48 (beta n integral
   for the betas below); the floating-point mode costs O(log d) per run */
static const ulong widths_n[N_WIDTHS] = { 960, 1344, 1920, 2688, 3840, 5376, 7680, 10752,
                                          15360 };

static const int n_widths = N_WIDTHS;

static const char * const names[N_VALUES] = { "E[K]/d", "E[K^2]/d^2", "E[K^2]/E[K]^2",
    "E[dK]/(lambda E[K] d beta)", "E[N^4]/E[N^2]^2", "E[K^3]/d^3", "E[K^3]/E[K]^3",
    "E[N^6]/E[N^2]^3", "E[K^4]/d^4", "E[K^4]/E[K]^4", "E[N^8]/E[N^2]^4" };

typedef struct
{
    const char * act, * mu4, * mu6, * mu8, * co, * x2;
    ulong n0;
    int bias;
}
spec_t;

static mpfr_ptr
value(ntk_limit_t l, int k)
{
    mpfr_ptr v[N_VALUES] = { l->e_k, l->e_k2, l->ratio_k2, l->ratio_dk, l->ratio_n4, l->e_k3,
                             l->ratio_k3, l->ratio_n6, l->e_k4, l->ratio_k4, l->ratio_n8 };
    return v[k];
}

static void
conv_from(ntk_conv_t conv, fmpq_t a, const spec_t * s)
{
    fmpz_t n0;
    ntk_conv_init(conv);
    if (ntk_conv_set_activation_str(conv, s->act, NULL) != NTK_OK)
        abort();
    ntk_conv_critical(conv->cw_hidden, conv);
    ntk_rational_set_str(conv->mu4, s->mu4, "mu4", NULL);
    ntk_rational_set_str(conv->mu6, s->mu6, "mu6", NULL);
    ntk_rational_set_str(conv->mu8, s->mu8, "mu8", NULL);
    ntk_rational_set_str(conv->cw_output, s->co, "c", NULL);
    conv->bias = s->bias;
    ntk_rational_set_str(a, s->x2, "x2", NULL);
    fmpz_init_set_ui(n0, s->n0);
    fmpq_div_fmpz(a, a, n0);
    fmpz_clear(n0);
}

/* The eleven values at the width n and the depth d = beta n + 1, from the
   moments of order 4 in the floating-point mode; 0 if beta n is not an
   integer or the engine fails. */
static int
finite_values(mpfr_t * v, const ntk_conv_t conv, const spec_t * s, ulong n, const fmpq_t beta)
{
    static const int num[N_VALUES] = { NTK_E_K, NTK_E_K2, NTK_E_K2, NTK_E_DK, NTK_E_N4, NTK_E_K3,
                                       NTK_E_K3, NTK_E_N6, NTK_E_K4, NTK_E_K4, NTK_E_N8 };
    /* the denominator: -1 d^p, -2 E[K] d beta, else a quantity^p */
    static const int den[N_VALUES] = { -1, -1, NTK_E_K, -2, NTK_E_N2, -1, NTK_E_K, NTK_E_N2, -1,
                                       NTK_E_K, NTK_E_N2 };
    static const int pw[N_VALUES] = { 1, 2, 2, 1, 2, 3, 3, 3, 4, 4, 4 };
    ntk_profile_t p;
    ntk_moments_t m;
    ntk_exec_t exec;
    fmpq_t x2, q, bn;
    mpfr_t x, y, t;
    char spec[96];
    int ok, k;
    fmpq_init(bn);
    fmpq_mul_ui(bn, beta, n);
    if (!fmpz_is_one(fmpq_denref(bn)))
    {
        fmpq_clear(bn);
        return 0;
    }
    snprintf(spec, sizeof(spec), "%lu,%lux%ld,1", (unsigned long) s->n0, (unsigned long) n,
             (long) fmpz_get_si(fmpq_numref(bn)));
    ntk_profile_init(p); ntk_moments_init(m); ntk_exec_init(exec);
    exec->precision = PREC;
    exec->threads = 1;
    fmpq_init(x2); fmpq_init(q);
    mpfr_inits2(PREC, x, y, t, (mpfr_ptr) 0);
    ntk_rational_set_str(x2, s->x2, "x2", NULL);
    ok = ntk_profile_set_str(p, spec, NULL) == NTK_OK
         && ntk_moments_compute_order(m, p, conv, 4, exec, NULL) == NTK_OK;
    for (k = 0; k < N_VALUES && ok; k++)
    {
        ok = ntk_moments_eval(q, m, (ntk_quantity_t) num[k], x2) == NTK_OK;
        fmpq_get_mpfr(x, q, MPFR_RNDN);
        if (den[k] < 0)
        {
            mpfr_set_si(y, fmpz_get_si(fmpq_numref(bn)) + 1, MPFR_RNDN);    /* d */
            mpfr_pow_ui(y, y, (ulong) pw[k], MPFR_RNDN);
            if (den[k] == -2)
            {
                ok &= ntk_moments_eval(q, m, NTK_E_K, x2) == NTK_OK;
                fmpq_get_mpfr(t, q, MPFR_RNDN);
                mpfr_mul(y, y, t, MPFR_RNDN);
                fmpq_get_mpfr(t, beta, MPFR_RNDN);
                mpfr_mul(y, y, t, MPFR_RNDN);
            }
        }
        else
        {
            ok &= ntk_moments_eval(q, m, (ntk_quantity_t) den[k], x2) == NTK_OK;
            fmpq_get_mpfr(y, q, MPFR_RNDN);
            mpfr_pow_ui(y, y, (ulong) pw[k], MPFR_RNDN);
        }
        mpfr_div(v[k], x, y, MPFR_RNDN);
    }
    mpfr_clears(x, y, t, (mpfr_ptr) 0);
    fmpq_clear(x2); fmpq_clear(q); fmpq_clear(bn);
    ntk_profile_clear(p); ntk_moments_clear(m); ntk_exec_clear(exec);
    return ok;
}

/* The value at 1/n = 0 of the polynomial in 1/n through (1/n[i], y[i]),
   i = first .. len-1 (Neville). */
static void
neville(mpfr_t res, const ulong * n, mpfr_t * y, int first, int len)
{
    mpfr_t p[N_WIDTHS], t, u;
    int i, k, m = len - first;
    mpfr_inits2(PREC, t, u, (mpfr_ptr) 0);
    for (i = 0; i < m; i++)
    {
        mpfr_init2(p[i], PREC);
        mpfr_set(p[i], y[first + i], MPFR_RNDN);
    }
    for (k = 1; k < m; k++)
        for (i = 0; i + k < m; i++)
        {
            mpfr_mul_ui(t, p[i], n[first + i], MPFR_RNDN);
            mpfr_mul_ui(u, p[i + 1], n[first + i + k], MPFR_RNDN);
            mpfr_sub(t, t, u, MPFR_RNDN);
            mpfr_div_si(p[i], t, (slong) n[first + i] - (slong) n[first + i + k], MPFR_RNDN);
        }
    mpfr_set(res, p[0], MPFR_RNDN);
    for (i = 0; i < m; i++)
        mpfr_clear(p[i]);
    mpfr_clears(t, u, (mpfr_ptr) 0);
}

/* The rounding noise of the extrapolation of values of size mag[i]:
   sum_i |w_i| mag[i] 2^(40-PREC), w_i the Lagrange weights at 1/n = 0
   (the values carry a few dozen roundings, the extrapolation amplifies
   them by the weights). */
static void
noise(mpfr_t res, mpfr_t * mag)
{
    mpfr_t w;
    int i, j;
    mpfr_init2(w, 64);
    mpfr_set_zero(res, 1);
    for (i = 0; i < n_widths; i++)
    {
        /* w_i = prod_{j != i} h_j / (h_j - h_i) = prod n_i / (n_i - n_j) */
        mpfr_abs(w, mag[i], MPFR_RNDN);
        for (j = 0; j < n_widths; j++)
            if (j != i)
            {
                mpfr_mul_ui(w, w, widths_n[i], MPFR_RNDN);
                mpfr_div_si(w, w, (slong) widths_n[i] - (slong) widths_n[j], MPFR_RNDN);
            }
        mpfr_abs(w, w, MPFR_RNDN);
        mpfr_add(res, res, w, MPFR_RNDN);
    }
    mpfr_mul_2si(res, res, 40 - PREC, MPFR_RNDN);
    mpfr_clear(w);
}

/* The extrapolation of y to 1/n = 0, against want: *diff = |ext - want| and
   *bar = the largest of |ext - ext'| over ext' through all widths but the
   smallest or all but the largest, and the rounding noise (mag: the sizes
   of the values y is formed from), both relative to |scale|. */
static void
extrapolate(double * diff, double * bar, mpfr_t * y, mpfr_t * mag, const mpfr_t want,
            const mpfr_t scale)
{
    mpfr_t e, e1, t, u, s;
    mpfr_inits2(PREC, e, e1, t, u, s, (mpfr_ptr) 0);
    neville(e, widths_n, y, 0, n_widths);
    mpfr_abs(s, scale, MPFR_RNDN);
    mpfr_sub(t, e, want, MPFR_RNDN);
    mpfr_div(t, t, s, MPFR_RNDN);
    *diff = fabs(mpfr_get_d(t, MPFR_RNDN));
    neville(e1, widths_n, y, 1, n_widths);
    mpfr_sub(t, e, e1, MPFR_RNDN);
    mpfr_abs(t, t, MPFR_RNDN);
    neville(e1, widths_n, y, 0, n_widths - 1);
    mpfr_sub(u, e, e1, MPFR_RNDN);
    mpfr_abs(u, u, MPFR_RNDN);
    mpfr_max(t, t, u, MPFR_RNDN);
    noise(u, mag);
    mpfr_max(t, t, u, MPFR_RNDN);
    mpfr_div(t, t, s, MPFR_RNDN);
    *bar = fabs(mpfr_get_d(t, MPFR_RNDN));
    mpfr_clears(e, e1, t, u, s, (mpfr_ptr) 0);
}

/* The conventions of the limits: those of the engine but for the law, whose
   mu6, mu8 are mu4^2, mu4^3 (W^2 on {0, mu4}: another law than the engine's
   unless mu4 = 1), and whose mu4 is limit_mu4 if not NULL. */
static void
limit_conv(ntk_conv_t lc, const ntk_conv_t conv, const char * limit_mu4)
{
    ntk_conv_init(lc);
    ntk_conv_set(lc, conv);
    if (limit_mu4 != NULL)
        ntk_rational_set_str(lc->mu4, limit_mu4, "mu4", NULL);
    fmpq_mul(lc->mu6, lc->mu4, lc->mu4);
    fmpq_mul(lc->mu8, lc->mu6, lc->mu4);
}

/* How the extrapolations of the finite values compare with F_0 (f = 0) and
   F_1 (f = 1): the largest difference/bar, its value, the largest bar and
   the fewest digits of agreement. */
typedef struct
{
    double worst[2], bar_max[2], digits_min[2];
    int worst_k[2];
}
summary_t;

/* v[k][i]: value k at width i; the first count values of l0 (F_0) and l1
   (F_1, when with_f1) against their extrapolations. */
static void
compare(summary_t * sum, mpfr_t v[N_VALUES][N_WIDTHS], ntk_limit_t l0, ntk_limit_t l1,
        int count, int with_f1)
{
    mpfr_t g[N_WIDTHS], mag[N_WIDTHS];
    int k, i, f;
    for (f = 0; f < 2; f++)
    {
        sum->worst[f] = sum->bar_max[f] = 0;
        sum->digits_min[f] = 1000;
        sum->worst_k[f] = 0;
    }
    for (i = 0; i < N_WIDTHS; i++)
        mpfr_inits2(PREC, g[i], mag[i], (mpfr_ptr) 0);
    for (k = 0; k < count; k++)
        for (f = 0; f < 1 + with_f1 && !mpfr_nan_p(value(l0, k)); f++)
        {
            double diff, bar, r;
            /* F_0: v(n); F_1: n (v(n) - F_0), relative to F_0 (F_1 may be 0) */
            for (i = 0; i < n_widths; i++)
            {
                mpfr_set(g[i], v[k][i], MPFR_RNDN);
                mpfr_mul_ui(mag[i], v[k][i], f == 0 ? 1 : widths_n[i], MPFR_RNDN);
                if (f == 1)
                {
                    mpfr_sub(g[i], g[i], value(l0, k), MPFR_RNDN);
                    mpfr_mul_ui(g[i], g[i], widths_n[i], MPFR_RNDN);
                }
            }
            extrapolate(&diff, &bar, g, mag, f == 0 ? value(l0, k) : value(l1, k), value(l0, k));
            if (getenv("NTK_LIMIT_VERBOSE") != NULL)
                tap_diag("  %s F_%d: difference %.3g, bar %.3g", names[k], f, diff, bar);
            r = bar > 0 ? diff / bar : (diff > 0 ? 1e300 : 0);
            if (r > sum->worst[f])
            {
                sum->worst[f] = r;
                sum->worst_k[f] = k;
            }
            sum->bar_max[f] = fmax(sum->bar_max[f], bar);
            sum->digits_min[f] = fmin(sum->digits_min[f], diff > 0 ? -log10(diff) : 99);
        }
    for (i = 0; i < N_WIDTHS; i++)
        mpfr_clears(g[i], mag[i], (mpfr_ptr) 0);
}

static void
report(const summary_t * m, const spec_t * s, const char * beta_str, int count, int with_f1,
       double tol, const char * limit_mu4, int ok)
{
    if (limit_mu4 != NULL)
    {
        tap_ok(ok && m->worst[0] <= 1 && m->worst[1] > 1000, "%s beta %s, the engine at mu4 %s: "
               "F_0 computed with mu4 %s still within the bars (ratio %.2g), F_1 with mu4 %s "
               "found wrong (difference/bar %.2g for %s): mu4 enters F_1", s->act, beta_str,
               s->mu4, limit_mu4, m->worst[0], limit_mu4, m->worst[1], names[m->worst_k[1]]);
        return;
    }
    tap_ok(ok && m->worst[0] <= 1 && m->bar_max[0] <= tol, "%s%s mu4 %s mu6 %s mu8 %s (limits: "
           "mu6 = mu4^2, mu8 = mu4^3) c_out %s a = %s/%lu beta %s: the %d limits F_0 = the "
           "exact values at n = 960..%lu extrapolated, %.1f digits or more, within the "
           "error bars (difference/bar <= %.2g, %s; bars <= %.1e, tolerance %.0e)",
           s->act, s->bias ? "" : " no-bias", s->mu4, s->mu6, s->mu8, s->co, s->x2,
           (unsigned long) s->n0, beta_str, count, (unsigned long) widths_n[n_widths - 1],
           m->digits_min[0], m->worst[0], names[m->worst_k[0]], m->bar_max[0], tol);
    if (with_f1)
        tap_ok(ok && m->worst[1] <= 1 && m->bar_max[1] <= tol, "%s%s mu4 %s beta %s: the %d "
               "corrections F_1 = n (exact - F_0) extrapolated, %.1f digits (of F_0) or more, "
               "within the error bars (difference/bar <= %.2g, %s; bars <= %.1e, tolerance "
               "%.0e)", s->act, s->bias ? "" : " no-bias", s->mu4, beta_str, count,
               m->digits_min[1], m->worst[1], names[m->worst_k[1]], m->bar_max[1], tol);
}

/* F_0 and F_1 of the values up to the moments of order `moments` at beta
   (F_1 when with_f1) against the exact engine extrapolated: every
   difference within its error bar, every error bar below tol.  The limits
   are computed for another mu6, mu8 than the engine's (limit_conv); with
   limit_mu4 also for another mu4, and then F_1 must be found wrong (the
   power of the check). */
static void
check_spec(const spec_t * s, const char * beta_str, int moments, int with_f1, double tol,
           const char * limit_mu4)
{
    ntk_conv_t conv, lc;
    ntk_limit_t l0, l1;
    fmpq_t a, beta;
    mpfr_t v[N_VALUES][N_WIDTHS], row[N_VALUES];
    summary_t sum = { { 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, 0 } };
    int k, i, ok;
    fmpq_init(a); fmpq_init(beta);
    conv_from(conv, a, s);
    limit_conv(lc, conv, limit_mu4);
    ntk_rational_set_str(beta, beta_str, "beta", NULL);
    ntk_limit_init(l0, PREC); ntk_limit_init(l1, PREC);
    for (k = 0; k < N_VALUES; k++)
    {
        mpfr_init2(row[k], PREC);
        for (i = 0; i < N_WIDTHS; i++)
            mpfr_init2(v[k][i], PREC);
    }
    ok = ntk_limit_compute_moments(l0, beta, a, lc, moments, NULL) == NTK_OK
         && (!with_f1 || ntk_limit_correction_moments(l1, beta, a, lc, moments, NULL) == NTK_OK);
    for (i = 0; i < n_widths && ok; i++)
    {
        ok = finite_values(row, conv, s, widths_n[i], beta);
        for (k = 0; k < N_VALUES; k++)
            mpfr_set(v[k][i], row[k], MPFR_RNDN);
    }
    if (ok)
        compare(&sum, v, l0, l1, ntk_limit_n(moments), with_f1);
    report(&sum, s, beta_str, ntk_limit_n(moments), with_f1, tol, limit_mu4, ok);
    for (k = 0; k < N_VALUES; k++)
    {
        mpfr_clear(row[k]);
        for (i = 0; i < N_WIDTHS; i++)
            mpfr_clear(v[k][i]);
    }
    ntk_limit_clear(l0); ntk_limit_clear(l1);
    fmpq_clear(a); fmpq_clear(beta);
    ntk_conv_clear(conv); ntk_conv_clear(lc);
}

static const spec_t specs[] = {
    { "relu", "3", "15", "105", "1", "1", 10, 1 },
    { "leaky:1/2", "3", "15", "105", "1", "1", 10, 1 },
    { "leaky:1/10", "9/5", "27/7", "9", "2", "3", 10, 1 },
    { "linear", "3", "15", "105", "1", "2", 3, 1 },
    { "abs", "3", "15", "105", "1/2", "1", 10, 0 },
    { "slopes:3/2,-1/3", "5", "40", "400", "1", "1", 10, 1 },
    { "slopes:0,1", "3", "15", "105", "1", "1", 10, 0 },
    { "linear", "3", "15", "105", "3/2", "0", 10, 1 },     /* the input x = 0 */
};
#define N_SPECS ((int) (sizeof(specs) / sizeof(specs[0])))

/* slopes 0, a_minus with biases: the dead phase bounds beta by 1/k */
static const spec_t dead = { "slopes:0,1", "3", "15", "105", "1", "1", 10, 1 };

int
main(void)
{
    static const char * const betas[] = { "1/4", "1/2", "1", "2" };
    static const char * const dead_betas[] = { "1/16", "1/12", "1/8", "1/6" };
    static const int quick[N_SPECS] = { 0, 1, -1, 3, -1, 2, -1, -1 };   /* make check's beta */
    int i, j, slow = getenv("NTK_LIMIT_SLOW") != NULL;
    /* make check: five activations at one beta each (all four betas), the
       dead phase at 1/8 and the power; NTK_LIMIT_SLOW: all at every beta */
    for (i = 0; i < N_SPECS; i++)
        for (j = 0; j < 4; j++)
            if (slow || j == quick[i])
                check_spec(specs + i, betas[j], 4, 1, 1e-8, NULL);
    for (j = 0; j < 4; j++)
        if (slow || j == 2)
            check_spec(&dead, dead_betas[j], 4, 1, 1e-8, NULL);
    /* at beta = 1/k the dead part of E[K^k] is O(n^-k) of it: F_0 only */
    if (slow)
    {
        check_spec(&dead, "1/4", 4, 0, 1e-8, NULL);
        check_spec(&dead, "1/3", 3, 0, 1e-8, NULL);
    }
    /* the power: F_1 computed for the wrong mu4 */
    check_spec(specs + 2, "1/2", 4, 1, 1e-8, "3");
    flint_cleanup();
    return tap_done();
}
