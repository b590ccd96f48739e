/* The check module: the table of exact variances (against the moments of a
   law written by hand, the variance of the sample variance by enumerating
   every sample, and the sampler's own standard errors on a light-tailed
   profile), the verdicts of ntk_check_compare (a z that is no number), the
   Bonferroni threshold, the binomial tail against exact rationals, the plan
   of the median of means, and its false-alarm rate on a heavy-tailed law
   (a Pareto/log-normal mixture of known variance): below the bound, on
   both tails. */

#include <math.h>
#include <stdlib.h>
#include "ntkexact.h"
#include "check/check.h"
#include "sample/rng.h"
#include "tap.h"

/* NTK_SAMPLE_SCALE = k divides the sample counts and trials by k
   (tests/valgrind.sh: there only memory errors count). */
static slong
scaled(slong n)
{
    const char * s = getenv("NTK_SAMPLE_SCALE");
    long k = s != NULL ? atol(s) : 1;
    return k > 1 ? FLINT_MAX(n / k, 50) : n;
}

/* ------------------------------------------------ the table, by hand */

/* res <- x / n, n > 0 */
static void
div_si(fmpq_t res, const fmpq_t x, slong n)
{
    fmpz_t d;
    fmpz_init_set_si(d, n);
    fmpq_div_fmpz(res, x, d);
    fmpz_clear(d);
}

/* The law of K: the values 0, 1, 5 with probabilities 1/2, 1/3, 1/6. */
static const slong law_value[3] = { 0, 1, 5 };
static const slong law_weight[3] = { 3, 2, 1 };     /* over 6 */

static void
law_moment(fmpq_t res, int k, const fmpq_t centre)
{
    fmpq_t t;
    int i;
    fmpq_init(t);
    fmpq_zero(res);
    for (i = 0; i < 3; i++)
    {
        fmpq_set_si(t, law_value[i], 1);
        fmpq_sub(t, t, centre);
        fmpq_pow_si(t, t, k);
        fmpq_mul_si(t, t, law_weight[i]);
        fmpq_add(res, res, t);
    }
    div_si(res, res, 6);
    fmpq_clear(t);
}

/* A check struct whose moments are those of the law above (K = X, no parts). */
static void
fake_check(ntk_check_t c)
{
    fmpq_t v, zero, mean;
    fmpq_init(v); fmpq_init(zero); fmpq_init(mean);
    law_moment(mean, 1, zero);
    fmpq_poly_set_fmpq(c->moments.poly + NTK_E_K, mean);
    law_moment(v, 2, zero);
    fmpq_poly_set_fmpq(c->moments.poly + NTK_E_K2, v);
    law_moment(v, 4, zero);
    fmpq_poly_set_fmpq(c->moments.poly + NTK_E_K4, v);
    law_moment(v, 2, mean);
    fmpq_poly_set_fmpq(c->moments.poly + NTK_VAR_K, v);
    law_moment(v, 4, mean);
    fmpq_poly_set_fmpq(c->moments.poly + NTK_M4_K, v);
    c->moments.order = 4;
    fmpq_one(&c->x2);
    fmpq_clear(v); fmpq_clear(zero); fmpq_clear(mean);
}

/* Var(s^2) of n draws of the law, s^2 the unbiased sample variance: by
   enumerating the 3^n samples. */
static void
enumerate_variance_of_variance(fmpq_t res, int n)
{
    fmpq_t p, s2, e1, e2, t, mean;
    int idx[8], i, done = 0;
    fmpq_init(p); fmpq_init(s2); fmpq_init(e1); fmpq_init(e2); fmpq_init(t); fmpq_init(mean);
    for (i = 0; i < n; i++)
        idx[i] = 0;
    while (!done)
    {
        fmpq_one(p);
        fmpq_zero(mean);
        for (i = 0; i < n; i++)
        {
            fmpq_mul_si(p, p, law_weight[idx[i]]);
            div_si(p, p, 6);
            fmpq_add_si(mean, mean, law_value[idx[i]]);
        }
        div_si(mean, mean, n);
        fmpq_zero(s2);
        for (i = 0; i < n; i++)
        {
            fmpq_set_si(t, law_value[idx[i]], 1);
            fmpq_sub(t, t, mean);
            fmpq_mul(t, t, t);
            fmpq_add(s2, s2, t);
        }
        div_si(s2, s2, n - 1);
        fmpq_mul(t, p, s2);
        fmpq_add(e1, e1, t);
        fmpq_mul(t, t, s2);
        fmpq_add(e2, e2, t);
        for (i = 0; i < n && ++idx[i] == 3; i++)
            idx[i] = 0;
        done = (i == n);
    }
    fmpq_mul(e1, e1, e1);
    fmpq_sub(res, e2, e1);
    fmpq_clear(p); fmpq_clear(s2); fmpq_clear(e1); fmpq_clear(e2); fmpq_clear(t);
    fmpq_clear(mean);
}

static void
check_table_by_hand(void)
{
    ntk_check_t c;
    fmpq_t v, w, zero;
    int n, ok = 1;
    ntk_check_init(c);
    fmpq_init(v); fmpq_init(w); fmpq_init(zero);
    fake_check(c);
    /* E_K: (E X^2 - E X^2) / n; mean 7/6, E X^2 = 9/2 */
    ok = ntk_check_variance(v, c, NTK_E_K, 10);
    fmpq_set_si(w, 113, 360);       /* (9/2 - 49/36) / 10 */
    tap_ok(ok && fmpq_equal(v, w), "Var of the mean of 10 K: (E_K2 - E_K^2)/10 = 113/360");
    /* E_K2: (E X^4 - (E X^2)^2) / n; E X^4 = 627/6 = 209/2 */
    ok = ntk_check_variance(v, c, NTK_E_K2, 4);
    fmpq_set_si(w, 337, 16);        /* (209/2 - 81/4) / 4 */
    tap_ok(ok && fmpq_equal(v, w), "Var of the mean of 4 K^2: (E_K4 - E_K2^2)/4 = 337/16");
    for (n = 2; n <= 7; n++)
    {
        int known = ntk_check_variance(v, c, NTK_VAR_K, n);
        enumerate_variance_of_variance(w, n);
        ok = ok && known && fmpq_equal(v, w);
    }
    tap_ok(ok, "Var of the unbiased sample variance of n = 2..7 draws: "
           "(M4 - (n-3)/(n-1) Var^2)/n equals the enumeration of every sample");
    ok = !ntk_check_variance(v, c, NTK_E_DK, 10) && fmpq_is_zero(v)
         && !ntk_check_variance(v, c, NTK_E_DWW, 10) && !ntk_check_variance(v, c, NTK_E_DWB, 10)
         && !ntk_check_variance(v, c, NTK_E_K3, 10) && !ntk_check_variance(v, c, NTK_E_K4, 10)
         && !ntk_check_variance(v, c, NTK_M3_K, 10) && !ntk_check_variance(v, c, NTK_KURT_K, 10)
         && !ntk_check_variance(v, c, NTK_E_N6, 10) && !ntk_check_variance(v, c, NTK_E_N8, 10);
    tap_ok(ok, "no exact variance: E_dK, E_Dww, E_Dwb without the update's second moment, "
           "E_K3, E_K4, the central moments and ratios, E_N6 and E_N8 without the Gaussian "
           "closed form");
    tap_ok(!ntk_check_variance(v, c, NTK_E_K, 1) && !ntk_check_variance(v, c, NTK_N_QUANTITIES, 10)
           && !ntk_check_variance(v, c, (ntk_quantity_t) -1, 10),
           "no exact variance for one sample or a quantity out of range");
    fmpq_clear(v); fmpq_clear(w); fmpq_clear(zero);
    ntk_check_clear(c);
}

/* ------------------------------------------------ the table, from the engine */

static void
check_table_engine(void)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_check_t c;
    ntk_moments_t m;
    fmpq_t x2, v, a, b;
    int ok = 1;
    ntk_profile_init(p); ntk_conv_init(conv); ntk_exec_init(exec); ntk_check_init(c);
    ntk_moments_init(m);
    fmpq_init(x2); fmpq_init(v); fmpq_init(a); fmpq_init(b);
    ntk_profile_set_str(p, "3,4,2,1", NULL);
    fmpq_set_si(x2, 3, 2);
    exec->threads = 1;
    tap_ok(ntk_check_compute(c, p, conv, x2, 4, 1, exec, NULL) == NTK_OK,
           "ntk_check_compute 3,4,2,1 at x2 = 3/2, order 4, Gaussian");
    ntk_moments_compute_update(m, p, conv, 4, exec, NULL);
    /* each line of the table, from the moments computed on their own; the
       update's per-network values -2 N g, N g_ww, N g_wb have the second
       moments 4 E_N2g2, E_N2gww2, E_N2gwb2 (E_N2g2 scaled by 4 below) */
    {
        static const ntk_quantity_t pairs[][2] = {
            { NTK_E_K, NTK_E_K2 }, { NTK_E_KW, NTK_E_KW2 }, { NTK_E_KB, NTK_E_KB2 },
            { NTK_E_K2, NTK_E_K4 }, { NTK_E_KW2, NTK_E_KW4 }, { NTK_E_KB2, NTK_E_KB4 },
            { NTK_E_KWKB, NTK_E_KW2KB2 }, { NTK_E_N2, NTK_E_N4 }, { NTK_E_N4, NTK_E_N8 },
            { NTK_E_DK, NTK_E_N2G2 }, { NTK_E_DWW, NTK_E_N2GWW2 }, { NTK_E_DWB, NTK_E_N2GWB2 } };
        size_t i;
        for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        {
            ntk_moments_eval(a, m, pairs[i][0], x2);
            ntk_moments_eval(b, m, pairs[i][1], x2);
            if (pairs[i][0] == NTK_E_DK)
                fmpq_mul_si(b, b, 4);
            fmpq_mul(a, a, a);
            fmpq_sub(b, b, a);
            div_si(b, b, 7);
            ok = ok && ntk_check_variance(v, c, pairs[i][0], 7) && fmpq_equal(v, b)
                 && fmpq_sgn(v) > 0;
        }
    }
    tap_ok(ok, "Var of E_K .. E_N4 from 7 samples: E[X^2] - E[X]^2 of the moments, over 7; "
           "E_dK: (4 E_N2g2 - E_dK^2)/7, E_Dww: (E_N2gww2 - E_Dww^2)/7, E_Dwb: "
           "(E_N2gwb2 - E_Dwb^2)/7");
    ntk_moments_eval(a, m, NTK_VAR_DK, x2);
    div_si(a, a, 7);
    tap_ok(ntk_check_variance(v, c, NTK_E_DK, 7) && fmpq_equal(v, a),
           "Var of E_dK from 7 samples: Var_dK/7 at the target y = 0 (the sampler's)");
    ntk_check_compute(c, p, conv, x2, 3, 1, exec, NULL);
    tap_ok(!ntk_check_variance(v, c, NTK_E_DK, 7) && !ntk_check_variance(v, c, NTK_E_DWW, 7)
           && !ntk_check_variance(v, c, NTK_E_DWB, 7) && ntk_check_variance(v, c, NTK_E_N6, 7),
           "order 3 (no update's second moment): no exact variance for E_dK, E_Dww, E_Dwb");
    ntk_check_compute(c, p, conv, x2, 4, 1, exec, NULL);
    ntk_moments_output_power(b, p, conv, x2, 6, NULL);
    ntk_moments_eval(a, m, NTK_E_N6, x2);
    fmpq_mul(a, a, a);
    fmpq_sub(b, b, a);
    div_si(b, b, 7);
    tap_ok(ntk_check_variance(v, c, NTK_E_N6, 7) && fmpq_equal(v, b),
           "Var of E_N6 (Gaussian): (E[N^12] - E_N6^2)/7 from the closed form");
    ntk_check_compute(c, p, conv, x2, 4, 0, exec, NULL);
    tap_ok(!ntk_check_variance(v, c, NTK_E_N6, 7) && ntk_check_variance(v, c, NTK_E_N4, 7),
           "other laws: no exact variance for E_N6 (E[N^12] unknown), one for E_N4");
    ntk_check_compute(c, p, conv, x2, 2, 1, exec, NULL);
    tap_ok(ntk_check_variance(v, c, NTK_E_K, 7) && ntk_check_variance(v, c, NTK_E_N2, 7)
           && !ntk_check_variance(v, c, NTK_E_K2, 7) && !ntk_check_variance(v, c, NTK_VAR_K, 7)
           && !ntk_check_variance(v, c, NTK_E_N4, 7),
           "moments of order 2 only (a law whose mu6, mu8 are unknown): E_K, E_Kw, E_Kb, E_N2");
    fmpq_set_si(x2, -1, 1);
    tap_ok(ntk_check_compute(c, p, conv, x2, 4, 1, exec, NULL) == NTK_ERR_RANGE
           && ntk_check_compute(NULL, p, conv, x2, 4, 1, exec, NULL) == NTK_ERR_RANGE,
           "ntk_check_compute: x2 < 0 and NULL refused");
    fmpq_clear(x2); fmpq_clear(v); fmpq_clear(a); fmpq_clear(b);
    ntk_moments_clear(m);
    ntk_check_clear(c); ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(p);
}

/* The exact standard errors agree with the sampler's own on a light-tailed
   profile (10,50x2,1: K, N^2, N g are nearly normal), for every quantity that
   has one. */
static void
check_against_sampler(void)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_check_t c;
    ntk_sample_result_t res;
    fmpq_t x2, v;
    int q, ok = 1, n = 0;
    double worst = 1.0;
    const slong samples = scaled(40000);
    ntk_profile_init(p); ntk_conv_init(conv); ntk_exec_init(exec); ntk_check_init(c);
    fmpq_init(x2); fmpq_init(v);
    ntk_profile_set_str(p, "10,50x2,1", NULL);
    fmpq_one(x2);
    exec->threads = 2;
    ntk_check_compute(c, p, conv, x2, 4, 1, exec, NULL);
    ntk_sample_run(&res, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, samples, 7, exec, NULL);
    for (q = 0; q < ntk_quantity_count(2); q++)
    {
        double r;
        if (!ntk_check_variance(v, c, (ntk_quantity_t) q, samples))
            continue;
        r = sqrt(fmpq_get_d(v)) / res.std_error[q];
        n++;
        if (fabs(log(r)) > fabs(log(worst)))
            worst = r;
        ok = ok && r > 1 / 1.1 && r < 1.1;
    }
    tap_ok(ok && n == 13, "10,50x2,1, %ld samples: the %d exact standard errors within 10%% of "
           "the sample's (the furthest ratio %.3f)", (long) samples, n, worst);
    fmpq_clear(x2); fmpq_clear(v);
    ntk_check_clear(c); ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(p);
}

/* ------------------------------------------------ verdicts and thresholds */

static void
check_compare(void)
{
    fmpq_t e, var;
    double z;
    fmpq_init(e); fmpq_init(var);
    fmpq_set_si(e, 3, 2);
    tap_ok(ntk_check_compare(&z, e, 1.7, NULL, 0.1, 5.0) == NTK_CHECK_PASS && fabs(z - 2.0) < 1e-12,
           "compare: (1.7 - 3/2)/0.1 = 2 passes at 5");
    tap_ok(ntk_check_compare(&z, e, 2.2, NULL, 0.1, 5.0) == NTK_CHECK_FAIL && fabs(z - 7.0) < 1e-12,
           "compare: z = 7 fails at 5");
    fmpq_set_si(var, 1, 100);
    tap_ok(ntk_check_compare(&z, e, 1.2, var, 55.0, 5.0) == NTK_CHECK_PASS && fabs(z + 3.0) < 1e-12,
           "compare: the exact variance 1/100 is used, not the stderr argument");
    tap_ok(ntk_check_compare(&z, e, 1.5, NULL, 0.0, 5.0) == NTK_CHECK_PASS && z == 0.0,
           "compare: no spread and equal: passes with z = 0");
    tap_ok(ntk_check_compare(&z, e, 1.6, NULL, 0.0, 5.0) == NTK_CHECK_NO_SPREAD && isnan(z),
           "compare: the sample has no spread and the exact value differs: NO_SPREAD, z NaN");
    fmpq_zero(var);
    tap_ok(ntk_check_compare(&z, e, 1.4, var, 1.0, 5.0) == NTK_CHECK_NO_SPREAD && isnan(z),
           "compare: an exact variance 0 and a differing estimate: NO_SPREAD");
    /* 5e617 (beyond double precision) against 1 */
    fmpz_set_ui(fmpq_numref(e), 10);
    fmpz_pow_ui(fmpq_numref(e), fmpq_numref(e), 617);
    fmpz_mul_ui(fmpq_numref(e), fmpq_numref(e), 5);
    fmpz_one(fmpq_denref(e));
    tap_ok(ntk_check_compare(&z, e, 1.0, NULL, 0.0, 5.0) == NTK_CHECK_NO_SPREAD,
           "compare: 5e617 exact, 1 estimated, no spread: differs (not inf - inf = equal)");
    fmpq_mul(var, e, e);
    fmpz_mul_ui(fmpq_denref(var), fmpq_denref(var), 400);
    tap_ok(ntk_check_compare(&z, e, 1.0, var, 0.0, 5.0) == NTK_CHECK_FAIL && fabs(z + 20.0) < 1e-9,
           "compare: 5e617 exact with an exact SE of 2.5e616: z = -20, finite");
    tap_ok(ntk_check_compare(&z, e, 1.0, NULL, 1.0, 5.0) == NTK_CHECK_BEYOND && isnan(z),
           "compare: z beyond double precision: BEYOND");
    tap_ok(ntk_sample_zscore(e, 1.0, 0.0) == -INFINITY && ntk_sample_zscore(e, 1.0, 1.0) == -INFINITY,
           "ntk_sample_zscore: 5e617 exact against 1 is -inf, not 0");
    tap_ok(ntk_check_compare(&z, e, NAN, NULL, 1.0, 5.0) == NTK_CHECK_NOT_ESTIMABLE
           && ntk_check_compare(&z, e, INFINITY, NULL, 1.0, 5.0) == NTK_CHECK_NOT_ESTIMABLE
           && ntk_check_compare(&z, NULL, 1.0, NULL, 1.0, 5.0) == NTK_CHECK_NOT_ESTIMABLE
           && ntk_check_compare(&z, e, 1.0, NULL, NAN, 5.0) == NTK_CHECK_NOT_ESTIMABLE && isnan(z),
           "compare: no estimate, no exact value, a NaN standard error: NOT_ESTIMABLE");
    fmpq_clear(e); fmpq_clear(var);
}

static void
check_threshold(void)
{
    double t1 = ntk_check_threshold(0.05, 1), t13 = ntk_check_threshold(1e-4, 13);
    tap_ok(fabs(t1 - 1.959963984540054) < 1e-9, "threshold: alpha 0.05, one test: 1.95996 (%.9f)", t1);
    tap_ok(fabs(erfc(t13 / sqrt(2.0)) * 13 - 1e-4) < 1e-12 && t13 > 4.47 && t13 < 4.48,
           "threshold: alpha 1e-4 over 13 tests: %.6f, P(|Z| > it) = alpha/13", t13);
    tap_ok(isnan(ntk_check_threshold(0, 3)) && isnan(ntk_check_threshold(1, 3))
           && isnan(ntk_check_threshold(0.1, 0)) && isfinite(ntk_check_threshold(1e-100, 30)),
           "threshold: alpha out of (0, 1) or no test: NaN; alpha 1e-100 is finite");
}

/* ------------------------------------------------ the median of means */

/* P(Binomial(k, a/b) >= (k+1)/2), exactly. */
static double
exact_tail(slong k, slong a, slong b)
{
    fmpz_t c, t, sum, den;
    slong i;
    double r;
    fmpz_init(c); fmpz_init(t); fmpz_init(sum); fmpz_init(den);
    for (i = (k + 1) / 2; i <= k; i++)
    {
        fmpz_bin_uiui(c, (ulong) k, (ulong) i);
        fmpz_set_si(t, a);
        fmpz_pow_ui(t, t, (ulong) i);
        fmpz_mul(c, c, t);
        fmpz_set_si(t, b - a);
        fmpz_pow_ui(t, t, (ulong) (k - i));
        fmpz_mul(c, c, t);
        fmpz_add(sum, sum, c);
    }
    fmpz_set_si(den, b);
    fmpz_pow_ui(den, den, (ulong) k);
    r = fmpz_get_d(sum) / fmpz_get_d(den);
    fmpz_clear(c); fmpz_clear(t); fmpz_clear(sum); fmpz_clear(den);
    return r;
}

static void
check_binomial(void)
{
    static const slong ks[] = { 1, 3, 5, 11, 21, 39, 101 };
    static const slong ps[][2] = { { 1, 2 }, { 1, 5 }, { 1, 17 }, { 3, 1000 } };
    size_t i, j;
    int ok = 1;
    for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
        for (j = 0; j < sizeof(ps) / sizeof(ps[0]); j++)
        {
            double e = exact_tail(ks[i], ps[j][0], ps[j][1]);
            double b = _ntk_check_binomial_tail(ks[i], (double) ps[j][0] / (double) ps[j][1]);
            ok = ok && b >= e && b <= e * (1 + 1e-8);
        }
    tap_ok(ok, "binomial tail: an upper bound within 1e-8 of the exact rational, k up to 101");
}

static void
check_plan(void)
{
    static const struct { double alpha; slong samples, chunk; } cases[] = {
        { 1e-4 / 13, 10000, 256 }, { 1e-4, 4000, 1 }, { 1e-6, 100000, 256 }, { 0.05, 1000, 1 },
        { 1e-4, 100, 256 }, { 1e-4, 2, 1 }, { 1e-30, 1000000, 245 }, { 0.3, 10, 3 } };
    size_t i;
    ntk_check_median_t pl;
    ntk_error_t err;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        slong b, c, least = cases[i].samples, prev = 0;
        int ok = ntk_check_median_plan(&pl, cases[i].alpha, cases[i].samples, cases[i].chunk, &err)
                 == NTK_OK;
        ok = ok && pl.blocks % 2 == 1 && pl.blocks <= pl.n_chunks && pl.min_block >= 2;
        /* the blocks: contiguous, in order, none empty, the smallest min_block */
        for (b = 0; ok && b < pl.blocks; b++)
        {
            slong size = 0;
            for (c = 0; c < pl.n_chunks; c++)
                if (ntk_check_median_block(&pl, c) == b)
                    size += FLINT_MIN(pl.samples, (c + 1) * pl.chunk_size) - c * pl.chunk_size;
            ok = ok && size > 0;
            least = FLINT_MIN(least, size);
        }
        for (c = 0; ok && c < pl.n_chunks; c++)
        {
            slong bc = ntk_check_median_block(&pl, c);
            ok = bc >= prev && bc <= prev + 1 && (c > 0 || bc == 0);
            prev = bc;
        }
        ok = ok && prev == pl.blocks - 1 && least == pl.min_block;
        /* the bound holds, and t is the smallest that makes it hold */
        ok = ok && pl.bound <= cases[i].alpha
             && _ntk_check_median_bound(pl.blocks, pl.t * (1 - 1e-6)) > cases[i].alpha
             && fabs(pl.threshold - pl.t * sqrt((double) pl.samples / (double) pl.min_block))
                < 1e-9 * pl.threshold
             && pl.catches > pl.threshold;
        tap_ok(ok, "median plan alpha %g, %ld samples in chunks of %ld: %ld blocks of >= %ld, "
               "t %.4f, bound %.3g, threshold %.3f, catches %.3f sigma/sqrt(N)", cases[i].alpha,
               (long) cases[i].samples, (long) cases[i].chunk, (long) pl.blocks,
               (long) pl.min_block, pl.t, pl.bound, pl.threshold, pl.catches);
    }
    ntk_check_median_plan(&pl, 1e-4 / 13, 10000, 256, NULL);
    tap_ok(pl.threshold < 13.5, "at the defaults of check (alpha 1e-4 over 13, 10000 samples): "
           "%.2f sigma/sqrt(N), not the 21 of exp(-k/8) at 1e-6", pl.threshold);
    tap_ok(ntk_check_median_plan(&pl, 0, 100, 1, &err) == NTK_ERR_RANGE
           && ntk_check_median_plan(&pl, 1, 100, 1, &err) == NTK_ERR_RANGE
           && ntk_check_median_plan(&pl, 0.1, 1, 1, &err) == NTK_ERR_RANGE
           && ntk_check_median_plan(&pl, 0.1, 100, 0, &err) == NTK_ERR_RANGE
           && ntk_check_median_plan(NULL, 0.1, 100, 1, &err) == NTK_ERR_RANGE,
           "median plan: alpha 0 or 1, one sample, empty chunks, NULL refused");
}

/* ------------------------------------------------ a heavy-tailed law */

/* With probability 1/2 a Pareto variate of index 5/2 (x >= 1: E X^2 = 5,
   E X^3 infinite), else a log-normal exp(Z): mean (5/3 + e^(1/2))/2,
   E X^2 = (5 + e^2)/2. */
static double
heavy_draw(_ntk_rng_t * rng)
{
    if (_ntk_rng_next(rng) >> 63)
        return pow(1.0 - _ntk_rng_uniform(rng), -0.4);
    return exp(_ntk_rng_normal(rng));
}

static int
compare_doubles(const void * a, const void * b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* The median of k block means of `samples` draws per trial, at t block
   standard deviations: the false alarms above and below. */
static void
heavy_run(slong * upper, slong * lower, slong trials, slong samples, slong k, double t,
          double mean, double var)
{
    double * x = flint_malloc(samples * sizeof(double)), * med = flint_malloc(k * sizeof(double));
    _ntk_rng_t rng;
    slong trial, i, b, least = samples;
    *upper = *lower = 0;
    for (b = 0; b < k; b++)
        least = FLINT_MIN(least, (b + 1) * samples / k - b * samples / k);
    for (trial = 0; trial < trials; trial++)
    {
        double m, eps = t * sqrt(var / (double) least);
        _ntk_rng_init(&rng, 2021, (ulong) trial);
        for (i = 0; i < samples; i++)
            x[i] = heavy_draw(&rng);
        for (b = 0; b < k; b++)
        {
            slong c0 = b * samples / k, c1 = (b + 1) * samples / k;
            double s = 0.0;
            for (i = c0; i < c1; i++)
                s += x[i];
            med[b] = s / (double) (c1 - c0);
        }
        qsort(med, (size_t) k, sizeof(double), compare_doubles);
        m = med[k / 2];
        *upper += m > mean + eps;
        *lower += m < mean - eps;
    }
    flint_free(x);
    flint_free(med);
}

static void
check_heavy_tail(void)
{
    const slong trials = scaled(4000), samples = 1000, ks[] = { 0, 15, 41 };
    const double alpha = 0.05;
    double mean = (5.0 / 3.0 + exp(0.5)) / 2.0, var = (5.0 + exp(2.0)) / 2.0 - mean * mean;
    ntk_check_median_t pl;
    slong upper, lower;
    size_t i;
    _ntk_rng_setup();
    ntk_check_median_plan(&pl, alpha, samples, 1, NULL);
    for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
    {
        slong k = ks[i] ? ks[i] : pl.blocks;
        double t = ks[i] ? _ntk_check_median_t(k, alpha, 1) : pl.t;
        heavy_run(&upper, &lower, trials, samples, k, t, mean, var);
        /* P(Binomial(4000, 0.05) > 300) < 1e-10: a correct bound never fails this */
        tap_ok(upper + lower <= 300, "a Pareto(5/2)/log-normal mixture, %ld trials of %ld draws: "
               "the median of %ld block means at t = %.3f (alpha = %g%s) false-alarms %ld times "
               "(%ld high, %ld low), of at most %.0f", (long) trials, (long) samples, (long) k, t,
               alpha, ks[i] ? "" : ", the plan", (long) (upper + lower), (long) upper,
               (long) lower, alpha * (double) trials);
    }
    /* the normal rule with the exact standard error, for comparison */
    heavy_run(&upper, &lower, trials, samples, 1, ntk_check_threshold(alpha, 1), mean, var);
    tap_diag("the normal rule (|z| > %.2f, exact standard error) on the same draws: %ld high, "
             "%ld low, of %.0f for a normal mean", ntk_check_threshold(alpha, 1), (long) upper,
             (long) lower, alpha * (double) trials);
}

int
main(void)
{
    check_table_by_hand();
    check_table_engine();
    check_against_sampler();
    check_compare();
    check_threshold();
    check_binomial();
    check_plan();
    check_heavy_tail();
    flint_cleanup();
    return tap_done();
}
