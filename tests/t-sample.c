/* The full method of the sampler against the exact engine: |z| <= 5 for
   every quantity on a set of profiles (dead layers, uniform weights, no
   biases, the standard parametrization, x = 0), and the detection of wrong
   "exact" values: the paper's E[K] = d (1/2 + x2/n_0) and the Bernoulli
   picture's E[K_b]; at order 4 the sampled E_K3 .. E_N8 (by both methods)
   and a wrong mu6, mu8 detected.  Also the random streams.  (The projected
   method: tests/t-sample-projected.c.) */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ntkexact.h"
#include "sample/rng.h"
#include "tap.h"

typedef struct
{
    const char * widths, * x2, * mu4;
    int bias, standard;
    slong samples;
}
case_t;

static void
setup(ntk_profile_t p, ntk_conv_t conv, ntk_exec_t exec, ntk_law_t * law, fmpq_t x2,
      const case_t * c)
{
    ntk_profile_set_str(p, c->widths, NULL);
    ntk_rational_set_str(x2, c->x2, "x2", NULL);
    ntk_rational_set_str(conv->mu4, c->mu4, "mu4", NULL);
    ntk_law_from_mu4(law, conv->mu4, NULL);
    conv->bias = c->bias;
    conv->param = c->standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
    exec->threads = 2;
}

/* NTK_SAMPLE_SCALE = k divides every sample count by k (tests/valgrind.sh
   uses it: there only memory errors count, not the z-scores). */
static slong
scaled(slong samples)
{
    const char * s = getenv("NTK_SAMPLE_SCALE");
    long k = s ? atol(s) : 1;
    return FLINT_MAX(2, samples / FLINT_MAX(k, 1));
}

/* Runs the sampler on case c; fills the exact values and the estimates. */
static void
run_case(ntk_moments_t m, ntk_sample_result_t * res, fmpq_t x2, const case_t * c)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_law_t law = NTK_LAW_GAUSSIAN;
    ntk_profile_init(p);
    ntk_conv_init(conv); ntk_exec_init(exec);
    setup(p, conv, exec, &law, x2, c);
    ntk_moments_compute(m, p, conv, exec, NULL);
    ntk_sample_run(res, p, conv, law, NTK_SAMPLE_FULL, x2, scaled(c->samples), 12345, exec, NULL);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
    ntk_profile_clear(p);
}

static void
check_case(const case_t * c)
{
    ntk_moments_t m;
    ntk_sample_result_t res;
    fmpq_t x2, v;
    double worst = 0.0;
    int q, worst_q = 0;
    ntk_moments_init(m);
    fmpq_init(x2); fmpq_init(v);
    run_case(m, &res, x2, c);
    for (q = 0; q < ntk_quantity_count(2); q++)
    {
        double z;
        ntk_moments_eval(v, m, q, x2);
        z = ntk_sample_zscore(v, res.mean[q], res.std_error[q]);
        if (!(fabs(z) <= fabs(worst)))
        {
            worst = z;
            worst_q = q;
        }
    }
    tap_ok(fabs(worst) <= 5.0, "%s x2=%s mu4=%s%s%s, %ld samples: all |z| <= 5 (largest %s: %+.2f)",
           c->widths, c->x2, c->mu4, c->bias ? "" : " no-bias", c->standard ? " standard" : "",
           (long) c->samples, ntk_quantity_name(worst_q), worst);
    fmpq_clear(x2); fmpq_clear(v);
    ntk_moments_clear(m);
}

/* A wrong value for E_K must give |z| > 5. */
static void
check_wrong(const case_t * c, const char * wrong, const char * what, ntk_quantity_t q)
{
    ntk_moments_t m;
    ntk_sample_result_t res;
    fmpq_t x2, v;
    double z;
    ntk_moments_init(m);
    fmpq_init(x2); fmpq_init(v);
    run_case(m, &res, x2, c);
    ntk_rational_set_str(v, wrong, "wrong", NULL);
    z = ntk_sample_zscore(v, res.mean[q], res.std_error[q]);
    tap_ok(fabs(z) > 5.0, "%s: %s = %s is detected (z = %+.1f)", c->widths, what, wrong, z);
    ntk_moments_eval(v, m, q, x2);
    z = ntk_sample_zscore(v, res.mean[q], res.std_error[q]);
    tap_ok(fabs(z) <= 5.0, "%s: the exact %s passes (z = %+.2f)", c->widths, ntk_quantity_name(q), z);
    fmpq_clear(x2); fmpq_clear(v);
    ntk_moments_clear(m);
}

static void
check_rng(void)
{
    _ntk_rng_t rng;
    double s1 = 0, s2 = 0, s4 = 0, u2 = 0, u4 = 0, x;
    slong k, n = scaled(2000000);
    _ntk_rng_setup();
    _ntk_rng_init(&rng, 99, 0);
    for (k = 0; k < n; k++)
    {
        x = _ntk_rng_normal(&rng);
        s1 += x; s2 += x * x; s4 += x * x * x * x;
        x = 1.7320508075688772 * (2.0 * _ntk_rng_uniform(&rng) - 1.0);
        u2 += x * x; u4 += x * x * x * x;
    }
    /* standard errors: mean 1/sqrt(n), E x^2: sqrt(2/n), E x^4: sqrt(96/n) */
    tap_ok(fabs(s1 / n) < 5 * sqrt(1.0 / n) && fabs(s2 / n - 1) < 5 * sqrt(2.0 / n)
           && fabs(s4 / n - 3) < 5 * sqrt(96.0 / n),
           "normal variates: mean %.4f, E x^2 %.4f, E x^4 %.4f", s1 / n, s2 / n, s4 / n);
    tap_ok(fabs(u2 / n - 1) < 5 * sqrt(0.8 / n) && fabs(u4 / n - 1.8) < 5 * sqrt(4.0 / n),
           "uniform variates: E x^2 %.4f, E x^4 %.4f (9/5)", u2 / n, u4 / n);
}

/* Orders 3 and 4 (E_K3 .. E_N8, the ratios are not sampled): the exact values
   pass (|z| <= 5); the engine run with the wrong law moments mu6, mu8
   (`wrong6`, `wrong8`: an admissible law, but not the sampled one) fails
   on E_K3 (|z| > 5).  With Gaussian weights N^6 and N^8 (products of
   Gaussians over the layers) are so heavy-tailed that their sample means
   and standard errors are not near-normal at 10^6 samples (z from -8.6 to
   +0.6 over seeds on 3,4,4,1): `output` = 0 leaves E_N6, E_N8 out, which
   t-closed.c checks exactly against the closed form instead. */
static void
check_order4(const case_t * c, ntk_sample_method_t method, int output, const char * wrong6,
             const char * wrong8)
{
    ntk_moments_t m, bad;
    ntk_sample_result_t res;
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_law_t law = NTK_LAW_GAUSSIAN;
    fmpq_t x2, v;
    double worst = 0.0, z;
    int q, worst_q = NTK_E_K3, ok;
    ntk_moments_init(m); ntk_moments_init(bad);
    ntk_profile_init(p); ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(v);
    setup(p, conv, exec, &law, x2, c);
    ntk_law_moment(conv->mu6, law, 6);
    ntk_law_moment(conv->mu8, law, 8);
    ok = ntk_moments_compute_order(m, p, conv, 4, exec, NULL) == NTK_OK;
    ok &= ntk_sample_run(&res, p, conv, law, method, x2, scaled(c->samples), 4321, exec, NULL) == NTK_OK;
    for (q = ntk_quantity_count(2); ok && q < ntk_quantity_count(4); q++)
    {
        if (ntk_quantity_is_ratio((ntk_quantity_t) q) || q == NTK_M3_K || q == NTK_M4_K)
        {
            ok &= isnan(res.mean[q]);
            continue;
        }
        if (!output && (q == NTK_E_N6 || q == NTK_E_N8))
            continue;
        ntk_moments_eval(v, m, (ntk_quantity_t) q, x2);
        z = ntk_sample_zscore(v, res.mean[q], res.std_error[q]);
        if (!(fabs(z) <= fabs(worst)))
        {
            worst = z;
            worst_q = q;
        }
    }
    tap_ok(ok && fabs(worst) <= 5.0, "%s mu4=%s order 4, %s method, %ld samples: E_K3 .. E_Kb4%s all |z| <= 5 (largest %s: %+.2f)",
           c->widths, c->mu4, ntk_sample_method_name(res.method), (long) c->samples, output ? ", E_N6, E_N8" : "", ntk_quantity_name((ntk_quantity_t) worst_q), worst);
    ntk_rational_set_str(conv->mu6, wrong6, "mu6", NULL);
    ntk_rational_set_str(conv->mu8, wrong8, "mu8", NULL);
    ok = ntk_moments_compute_order(bad, p, conv, 4, exec, NULL) == NTK_OK;
    z = 0.0;
    if (ok)
    {
        ntk_moments_eval(v, bad, NTK_E_K3, x2);
        z = ntk_sample_zscore(v, res.mean[NTK_E_K3], res.std_error[NTK_E_K3]);
    }
    tap_ok(ok && fabs(z) > 5.0, "%s, %s method: the engine with mu6 = %s, mu8 = %s is rejected (z(E_K3) = %+.1f)",
           c->widths, ntk_sample_method_name(res.method), wrong6, wrong8, z);
    fmpq_clear(x2); fmpq_clear(v);
    ntk_profile_clear(p); ntk_conv_clear(conv); ntk_exec_clear(exec);
    ntk_moments_clear(m); ntk_moments_clear(bad);
}

/* _ntk_rng_normals gives the values of repeated _ntk_rng_normal, times the
   scale, and leaves the stream where they would (the slow branches of the
   ziggurat included: 100000 variates take them about a thousand times). */
static void
check_rng_bulk(void)
{
    _ntk_rng_t one, bulk;
    double * x = flint_malloc(100000 * sizeof(double));
    slong k, same = 1, n = 100000;
    _ntk_rng_init(&one, 5, 17);
    bulk = one;
    _ntk_rng_normals(&bulk, x, 7, 1.0);
    _ntk_rng_normals(&bulk, x + 7, n - 7, -0.5);
    for (k = 0; k < n; k++)
    {
        double v = _ntk_rng_normal(&one) * (k < 7 ? 1.0 : -0.5);
        same &= memcmp(&v, x + k, sizeof(v)) == 0;
    }
    tap_ok(same && memcmp(&one, &bulk, sizeof(one)) == 0,
           "bulk normal variates: bit for bit those of one at a time, the same state after");
    flint_free(x);
}

int
main(void)
{
    static const case_t cases[] = {
        { "1,1,1,1", "1", "3", 1, 0, 1000000 },
        { "2,1,2,1", "1/2", "3", 1, 0, 1000000 },
        { "1,1", "3", "3", 1, 0, 200000 },
        { "3,2,1", "1", "9/5", 1, 0, 400000 },
        { "2,3,1,2,1", "2", "3", 0, 0, 400000 },
        { "3,2,2,1", "1", "3", 1, 1, 400000 },
        { "3,1,3,1", "5/4", "9/5", 0, 1, 400000 },
        { "5,3x4,1", "0", "3", 1, 0, 20000 },
        { "10,8x3,1", "7/3", "9/5", 1, 0, 200000 },
        { "4,20x6,1", "1", "3", 1, 0, 200000 },
        { "4,20x6,1", "1", "9/5", 1, 1, 200000 }
    };
    static const case_t paper = { "1,1,1,1", "1", "3", 1, 0, 1000000 };
    static const case_t moderate = { "4,20x6,1", "1", "3", 1, 0, 100000 };
    static const case_t order4_gauss = { "3,4,4,1", "1", "3", 1, 0, 1000000 };
    static const case_t order4_uniform = { "3,4,4,1", "1", "9/5", 1, 0, 1000000 };
    size_t k;
    check_rng();
    check_rng_bulk();
    for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        check_case(cases + k);
    /* Theorem 1's E[K] = d (1/2 + x2/n_0), and E[K_b] = 1 + (d-1)/2 without dead layers */
    check_wrong(&paper, "9/2", "the paper's E[K] = d(1/2 + x2/n_0)", NTK_E_K);
    check_wrong(&paper, "2", "E[K_b] without the dead-layer factor", NTK_E_KB);
    check_wrong(&moderate, "21/4", "the paper's E[K] = d(1/2 + x2/n_0)", NTK_E_K);
    check_order4(&order4_gauss, NTK_SAMPLE_PROJECTED, 0, "9", "27");
    check_order4(&order4_gauss, NTK_SAMPLE_FULL, 0, "9", "27");
    check_order4(&order4_uniform, NTK_SAMPLE_FULL, 1, "6", "26");
    flint_cleanup();
    return tap_done();
}
