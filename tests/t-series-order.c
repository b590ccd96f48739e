/* The series in 1/n of the moments up to E[K^3] and E[K^4] at the critical
   variance, with coefficients polynomial in the depth d: against the exact
   expansion of the same order (ntk_expand_compute_order, one pass) at every
   depth d = 2 .. D (D = 40 for a few cases, 20 for the others;
   NTK_SERIES_DEPTH to change it), every quantity and the six ratios; the
   degree bounds of doc/derivation.md, section 13; the normalisations
   E[K^k]/E[K]^k = 1 + C(k,2) c_1 n^-1 + ..., M4_K = 3 Var_K^2 + O(n^-3); the
   leading coefficients against the depth-to-width limits of limit --moments
   4 (independent code: the continuum generator); the truncated expansion at
   one depth (ntk_expand_series_order); the order cap. */

#include <math.h>
#include <stdlib.h>
#include <mpfr.h>
#include "series_check.h"

#define PREC 256

static long
max_depth(long dflt)
{
    const char * s = getenv("NTK_SERIES_DEPTH");
    long d = s != NULL ? atol(s) : dflt;
    return d < 2 ? 2 : d;
}

/* The marks of quantity q: the degree bound of its coefficient of n^-k is
   k + marks (NTK), and that of n^p is 2 marks - p (standard). */
static int
quantity_marks(int q)
{
    if (q == NTK_E_N2 || q == NTK_E_N4 || q == NTK_E_N6 || q == NTK_E_N8)
        return 0;
    if (q < NTK_E_K3)
        return q == NTK_E_K || q == NTK_E_KW || q == NTK_E_KB ? 1 : 2;
    return q < NTK_E_K4 ? 3 : 4;
}

/* The degrees: <= the bound, attained by some coefficient, exact from
   d = bound + 3 at the latest; and the normalisations of the ratios. */
static void
check_degrees(const case_t * c, int moment_order, slong order)
{
    ntk_series_t s;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2, t;
    fmpq_poly_t a, b;
    slong p;
    int q, k, ok, top = 0;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(t);
    fmpq_poly_init(a); fmpq_poly_init(b);
    case_conv(conv, x2, c);
    ntk_series_init(s);
    ok = ntk_series_compute_order(s, order, c->n0, x2, conv, moment_order, exec, NULL) == NTK_OK;
    for (q = 0; q < ntk_quantity_count(moment_order) && ok; q++)
        for (p = s->hi[q]; !ntk_quantity_is_ratio(q) && p >= -order; p--)
        {
            const ntk_series_coeff_struct * cf = ntk_series_coeff(s, q, p);
            slong m = quantity_marks(q), bound = c->standard ? 2 * m - p : m - p;
            ok &= fmpq_poly_degree(&cf->num) <= bound && cf->d_min <= bound + 3
                  && fmpq_poly_is_one(&cf->den) && cf->n_lambda == 0;
            top |= q >= NTK_E_K3 && fmpq_poly_degree(&cf->num) == bound;
            if (!ok)
            {
                tap_diag("%s n^%ld: degree %ld > %ld", ntk_quantity_name(q), (long) p,
                         (long) fmpq_poly_degree(&cf->num), (long) bound);
                break;
            }
        }
    /* E[K^k]/E[K]^k = 1 + C(k,2) (E[K^2]/E[K]^2 - 1) at n^0 and n^-1 (NTK:
       E[K] has no 1/n term) */
    for (k = 3; k <= moment_order && ok && !c->standard; k++)
    {
        const ntk_series_coeff_struct * r = ntk_series_ratio(s, k == 3 ? NTK_RATIO_K3 : NTK_RATIO_K4, 1),
            * r2 = ntk_series_ratio(s, NTK_RATIO_K2, 1);
        ok &= fmpq_poly_is_one(&ntk_series_ratio(s, k == 3 ? NTK_RATIO_K3 : NTK_RATIO_K4, 0)->num);
        fmpq_poly_mul(a, &r->num, &r2->den);
        fmpq_poly_mul(b, &r2->num, &r->den);
        fmpq_poly_scalar_mul_si(b, b, k * (k - 1) / 2);
        ok &= fmpq_poly_equal(a, b);
    }
    /* Kurt_K and Skew2_K start at n^-1 (the cumulants of order k at n^-(k-1)) */
    for (k = NTK_RATIO_SKEW2; k < ntk_ratio_count(moment_order) && ok; k += 2)
        ok &= s->ratio_ok[k] == 1 && fmpq_poly_is_zero(&ntk_series_ratio(s, k, 0)->num)
              && !fmpq_poly_is_zero(&ntk_series_ratio(s, k, 1)->num);
    tap_ok(ok && top, "moments %d, %s: degree of n^p <= %s (attained), exact from d = degree + 3; "
           "E[K^k]/E[K]^k - 1 = C(k,2) c_1/n + O(n^-2), Skew2_K, Kurt_K = O(1/n)", moment_order,
           case_str(c), c->standard ? "2 marks - p" : "marks - p");
    ntk_series_clear(s);
    fmpq_clear(x2); fmpq_clear(t);
    fmpq_poly_clear(a); fmpq_poly_clear(b);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* The truncated expansion at one (large) depth against the exact one's
   coefficients, or against the series evaluated. */
static void
check_truncated(const case_t * c, int moment_order, long depth, slong order)
{
    ntk_expand_t t, e;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2, v, w;
    slong p, lo, hi;
    int q, ok;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(v); fmpq_init(w);
    case_conv(conv, x2, c);
    exec->threads = 2;
    ntk_expand_init(t); ntk_expand_init(e);
    ok = ntk_expand_series_order(t, depth, order, c->n0, x2, conv, moment_order, exec, NULL) == NTK_OK
      && ntk_expand_compute_order(e, depth, c->n0, x2, conv, NTK_EXPAND_PASS, 0, moment_order, exec,
                                  NULL) == NTK_OK
      && t->order == order && !t->dead_part && t->moment_order == moment_order;
    for (q = 0; q < ntk_quantity_count(moment_order) && ok; q++)
    {
        if (ntk_quantity_is_ratio(q))
        {
            ok &= t->n_parts[q] == 0;
            continue;
        }
        ntk_expand_powers(&lo, &hi, e, q, 0);
        for (p = FLINT_MAX(hi, 0); p >= -order; p--)
        {
            ntk_expand_coeff(v, e, q, 0, p);
            ntk_expand_coeff(w, t, q, 0, p);
            ok &= fmpq_equal(v, w);
        }
        ntk_expand_powers(&lo, &hi, t, q, 0);
        ok &= lo > hi || lo >= -order;
    }
    tap_ok(ok, "moments %d, %s, depth %ld: the series to n^-%ld = the exact function's coefficients",
           moment_order, case_str(c), depth, (long) order);
    ntk_expand_clear(t); ntk_expand_clear(e);
    fmpq_clear(x2); fmpq_clear(v); fmpq_clear(w);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* F_0 of X/d^p, X = E[K^p]: sum_k [d^(k+p)] ([n^-k] X) beta^k (the leading
   coefficients of the polynomials, at d = beta n + 1, n -> infinity). */
static void
leading_sum(mpfr_t f0, const ntk_series_t s, ntk_quantity_t q, int p, const mpfr_t beta)
{
    mpfr_t t, bk;
    fmpq_t x;
    slong k;
    mpfr_inits2(PREC, t, bk, (mpfr_ptr) 0);
    fmpq_init(x);
    mpfr_set_zero(f0, 1);
    mpfr_set_ui(bk, 1, MPFR_RNDN);
    for (k = 0; k <= s->order; k++)
    {
        fmpq_poly_get_coeff_fmpq(x, &ntk_series_coeff(s, q, -k)->num, k + p);
        fmpq_get_mpfr(t, x, MPFR_RNDN);
        mpfr_mul(t, t, bk, MPFR_RNDN);
        mpfr_add(f0, f0, t, MPFR_RNDN);
        mpfr_mul(bk, bk, beta, MPFR_RNDN);
    }
    fmpq_clear(x);
    mpfr_clears(t, bk, (mpfr_ptr) 0);
}

/* |x/y - 1|. */
static double
rel_diff(const mpfr_t x, const mpfr_t y)
{
    mpfr_t d;
    double r;
    mpfr_init2(d, PREC);
    mpfr_div(d, x, y, MPFR_RNDN);
    mpfr_sub_ui(d, d, 1, MPFR_RNDN);
    r = fabs(mpfr_get_d(d, MPFR_RNDN));
    mpfr_clear(d);
    return r;
}

/* The depth-to-width limits of E[K^3]/d^3, E[K^3]/E[K]^3, E[K^4]/d^4 and
   E[K^4]/E[K]^4 (ntk_limit_compute_moments: the continuum generator, code
   independent of the series) against the leading coefficients of the
   polynomials in d (degree k + 3, k + 4 for n^-k) to n^-order. */
static void
check_limit(const case_t * c, const char * beta_str, slong order, double tol)
{
    ntk_series_t s;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_limit_t l;
    fmpq_t x2, beta, a;
    mpfr_t b, k1, k3, k4, r3, r4;
    double worst = 0;
    int ok;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(beta); fmpq_init(a);
    mpfr_inits2(PREC, b, k1, k3, k4, r3, r4, (mpfr_ptr) 0);
    case_conv(conv, x2, c);
    exec->threads = 2;
    ntk_rational_set_str(beta, beta_str, "beta", NULL);
    ntk_series_init(s);
    ntk_limit_init(l, PREC);
    ok = ntk_series_compute_order(s, order, c->n0, x2, conv, 4, exec, NULL) == NTK_OK;
    {
        fmpz_t n0;
        fmpz_init_set_ui(n0, c->n0);
        fmpq_div_fmpz(a, x2, n0);
        fmpz_clear(n0);
    }
    ok = ok && ntk_limit_compute_moments(l, beta, a, conv, 4, NULL) == NTK_OK;
    if (ok)
    {
        fmpq_get_mpfr(b, beta, MPFR_RNDN);
        leading_sum(k1, s, NTK_E_K, 1, b);
        leading_sum(k3, s, NTK_E_K3, 3, b);
        leading_sum(k4, s, NTK_E_K4, 4, b);
        mpfr_pow_ui(r3, k1, 3, MPFR_RNDN);
        mpfr_div(r3, k3, r3, MPFR_RNDN);
        mpfr_pow_ui(r4, k1, 4, MPFR_RNDN);
        mpfr_div(r4, k4, r4, MPFR_RNDN);
        worst = FLINT_MAX(worst, rel_diff(k3, l->e_k3));
        worst = FLINT_MAX(worst, rel_diff(r3, l->ratio_k3));
        worst = FLINT_MAX(worst, rel_diff(k4, l->e_k4));
        worst = FLINT_MAX(worst, rel_diff(r4, l->ratio_k4));
    }
    tap_ok(ok && worst <= tol, "%s, beta %s: the leading coefficients of the polynomials in d to n^-%ld "
           "rebuild limit --moments 4 (E[K^3]/d^3, E[K^3]/E[K]^3, E[K^4]/d^4, E[K^4]/E[K]^4; "
           "worst relative difference %.2g, tolerance %.0g)", case_str(c), beta_str, (long) order,
           worst, tol);
    ntk_limit_clear(l);
    ntk_series_clear(s);
    mpfr_clears(b, k1, k3, k4, r3, r4, (mpfr_ptr) 0);
    fmpq_clear(x2); fmpq_clear(beta); fmpq_clear(a);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

static void
check_errors(void)
{
    ntk_series_t s;
    ntk_expand_t e;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_error_t err;
    fmpq_t x2;
    int ok;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2);
    fmpq_one(x2);
    ntk_series_init(s);
    ntk_expand_init(e);
    ok = ntk_series_compute_order(s, NTK_SERIES_ORDER_MAX + 1, 1, x2, conv, 3, exec, &err) == NTK_ERR_RANGE
         && strcmp(err.param, "order") == 0
         && ntk_series_compute_order(s, NTK_SERIES_ORDER_MAX + 1, 1, x2, conv, 4, exec, &err) == NTK_ERR_RANGE
         && ntk_series_compute_order(s, 2, 1, x2, conv, 5, exec, &err) == NTK_ERR_RANGE
         && ntk_series_compute_order(s, 2, 1, x2, conv, 1, exec, &err) == NTK_ERR_RANGE
         && ntk_expand_series_order(e, 5, NTK_SERIES_ORDER_MAX + 1, 1, x2, conv, 4, exec, &err) == NTK_ERR_RANGE
         && ntk_ratio_count(2) == 2 && ntk_ratio_count(3) == 4 && ntk_ratio_count(4) == 6
         && ntk_ratio_count(5) == 0 && strcmp(ntk_ratio_name(NTK_RATIO_KURT), "Kurt_K") == 0;
    fmpq_set_si(conv->mu6, 8, 1);                  /* mu6 < mu4^2 */
    ok &= ntk_series_compute_order(s, 2, 1, x2, conv, 3, exec, &err) == NTK_ERR_RANGE;
    fmpq_set_si(conv->mu6, 15, 1);
    /* the old entry point: moment order 2, critical, x2 > 0 only */
    fmpq_zero(x2);
    ok &= ntk_series_compute(s, 2, 1, x2, conv, exec, &err) == NTK_ERR_RANGE && strcmp(err.param, "x2") == 0
          && ntk_expand_series(e, 5, 2, 1, x2, conv, exec, &err) == NTK_ERR_RANGE;
    fmpq_one(x2);
    ok &= ntk_series_compute_order(s, 12, 1, x2, conv, 4, exec, &err) == NTK_OK
          && s->ratio_ok[NTK_RATIO_KURT] == 1 && ntk_series_ratio(s, NTK_RATIO_KURT, 12) != NULL
          && ntk_series_ratio(s, NTK_RATIO_KURT, 13) == NULL;
    tap_ok(ok, "series: order cap %d at moment orders 3 and 4, moment order, mu6, the old entry "
           "points; the ratio names and counts", NTK_SERIES_ORDER_MAX);
    ntk_series_clear(s);
    ntk_expand_clear(e);
    fmpq_clear(x2);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

int
main(void)
{
    static const case_t cases[] = {
        { "relu", "3", "15", "105", NULL, "1", "1", 10, 0, 1 },
        { "relu", "9/5", "27/7", "9", NULL, "1", "7/2", 3, 1, 1 },
        { "relu", "5/2", "9", "40", NULL, "1/2", "2", 1, 0, 0 },
        { "leaky:1/3", "9/5", "4", "10", NULL, "2", "1", 4, 0, 1 },
        { "slopes:0,1", "2", "5", "14", NULL, "1", "3/2", 2, 1, 1 },
        { "linear", "3", "15", "105", NULL, "1", "1/3", 7, 1, 0 },
        { "abs", "3", "15", "105", NULL, "3", "1", 2, 0, 1 }
    };
    int k, n = (int) (sizeof(cases) / sizeof(cases[0]));
    check_series_expand(cases + 0, 4, 4, max_depth(40));
    check_series_expand(cases + 1, 4, 3, max_depth(40));
    check_series_expand(cases + 0, 3, 6, max_depth(40));
    for (k = 2; k < n; k++)
        check_series_expand(cases + k, 3 + (k % 2), 3, max_depth(20));
    for (k = 0; k < n; k++)
        check_degrees(cases + k, 3 + (k + 1) % 2, 4);
    check_truncated(cases + 0, 4, 60, 4);
    check_truncated(cases + 1, 3, 90, 3);
    check_truncated(cases + 4, 4, 30, 3);
    /* the Taylor series in beta of the limits converge like (30 beta)^k/k!
       (the exponents of their closed forms reach 30 beta): at beta = 1/8
       the terms after n^-30 add less than 1e-18 (measured: 4e-21, 3e-19;
       at n^-20 3e-12, at beta = 1/4 and n^-20, 30, 40: 1e-6, 1e-12, 1e-19) */
    check_limit(cases + 0, "1/8", 30, 1e-16);
    check_limit(cases + 2, "1/8", 30, 1e-16);
    check_errors();
    flint_cleanup();
    return tap_done();
}
