/* The projected method of the sampler (src/lib/sample/sample_projected.c): |z| <= 5
   against the exact engine for every quantity on profiles chosen to cover
   its paths (width-1 layers where whole layers die, x = 0, no biases, the
   standard parametrization, other variances, widths up to 1000), with about
   1% standard errors on the second moments; two-sample z-scores against the
   full method; and the rejection of deliberately wrong conditionings.  Also
   the method's contract: AUTO, the uniform law, its size limit, and output
   that depends on the seed only.

   NTK_SAMPLE_SCALE = k divides every sample count by k (tests/valgrind.sh);
   NTK_SAMPLE_SLOW = 1 (make check-slow) multiplies them by 10 and adds wider
   and deeper profiles. */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ntkexact.h"
#include "sample/sample.h"
#include "tap.h"

typedef struct
{
    const char * widths, * x2, * cw_hidden, * cw_output;
    int bias, standard;
    slong samples;
}
case_t;

static long scale_down = 1, scale_up = 1;

static slong
scaled(slong samples)
{
    return FLINT_MAX(2, samples * scale_up / scale_down);
}

static void
setup(ntk_profile_t p, ntk_conv_t conv, fmpq_t x2, const case_t * c)
{
    ntk_profile_set_str(p, c->widths, NULL);
    ntk_rational_set_str(x2, c->x2, "x2", NULL);
    ntk_rational_set_str(conv->cw_hidden, c->cw_hidden, "cw_hidden", NULL);
    ntk_rational_set_str(conv->cw_output, c->cw_output, "cw_output", NULL);
    conv->bias = c->bias;
    conv->param = c->standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
}

/* Samples case c (and its exact moments when m is not NULL). */
static ntk_status_t
run(ntk_sample_result_t * res, ntk_moments_t m, const case_t * c, ntk_sample_method_t method,
    _ntk_sample_fault_t fault, slong samples, ulong seed, int threads)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2;
    ntk_status_t status;
    ntk_profile_init(p); ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2);
    setup(p, conv, x2, c);
    exec->threads = threads;
    if (m != NULL)
        ntk_moments_compute(m, p, conv, exec, NULL);
    status = _ntk_sample_run(res, p, conv, NTK_LAW_GAUSSIAN, method, x2, samples, seed, exec, fault,
                             NULL);
    fmpq_clear(x2);
    ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(p);
    return status;
}

/* The largest |z| of the estimates against the exact values (its quantity in *worst_q). */
static double
worst_z(int * worst_q, const ntk_sample_result_t * res, const ntk_moments_t m, const case_t * c)
{
    fmpq_t x2, v;
    double worst = 0.0;
    int q;
    fmpq_init(x2); fmpq_init(v);
    ntk_rational_set_str(x2, c->x2, "x2", NULL);
    *worst_q = 0;
    for (q = 0; q < ntk_quantity_count(2); q++)
    {
        double z;
        ntk_moments_eval(v, m, q, x2);
        z = ntk_sample_zscore(v, res->mean[q], res->std_error[q]);
        if (!(fabs(z) <= fabs(worst)))
        {
            worst = z;
            *worst_q = q;
        }
    }
    fmpq_clear(x2); fmpq_clear(v);
    return worst;
}

/* The largest standard error relative to the estimate among the second
   moments of K (0 when they are all exact: K deterministic). */
static double
second_moment_precision(const ntk_sample_result_t * res)
{
    static const ntk_quantity_t second[] = { NTK_E_K2, NTK_E_KW2, NTK_E_KB2, NTK_E_KWKB, NTK_VAR_K };
    double worst = 0.0;
    size_t k;
    for (k = 0; k < sizeof(second) / sizeof(second[0]); k++)
        if (res->mean[second[k]] != 0.0)
            worst = FLINT_MAX(worst, res->std_error[second[k]] / fabs(res->mean[second[k]]));
    return worst;
}

static const char *
case_name(const case_t * c)
{
    static char name[200];
    snprintf(name, sizeof(name), "%s x2=%s%s%s%s%s%s%s", c->widths, c->x2,
             strcmp(c->cw_hidden, "2") ? " cw_hidden=" : "", strcmp(c->cw_hidden, "2") ? c->cw_hidden : "",
             strcmp(c->cw_output, "1") ? " cw_output=" : "", strcmp(c->cw_output, "1") ? c->cw_output : "",
             c->bias ? "" : " no-bias", c->standard ? " standard" : "");
    return name;
}

/* Every quantity against the exact engine; the second moments to about 1%
   (where K is random and the samples are not scaled down). */
static void
check_exact(const case_t * c)
{
    ntk_moments_t m;
    ntk_sample_result_t res;
    double z, prec, dk;
    int q;
    ntk_moments_init(m);
    run(&res, m, c, NTK_SAMPLE_PROJECTED, _NTK_SAMPLE_FAULT_NONE, scaled(c->samples), 2024, 2);
    z = worst_z(&q, &res, m, c);
    prec = second_moment_precision(&res);
    dk = res.mean[NTK_E_DK] != 0.0 ? res.std_error[NTK_E_DK] / fabs(res.mean[NTK_E_DK]) : 0.0;
    tap_ok(fabs(z) <= 5.0 && res.method == NTK_SAMPLE_PROJECTED
           && (scale_down > 1 || prec <= 0.0125),
           "projected, %s, %ld samples: all |z| <= 5 (largest %s: %+.2f); second moments to "
           "%.2f%%, E_dK to %.2f%%", case_name(c), (long) res.samples, ntk_quantity_name(q), z,
           100.0 * prec, 100.0 * dk);
    ntk_moments_clear(m);
}

/* The largest two-sample |z| between two runs' estimates. */
static double
two_sample_z(int * worst_q, const ntk_sample_result_t * x, const ntk_sample_result_t * y)
{
    double worst = 0.0;
    int q;
    *worst_q = 0;
    for (q = 0; q < ntk_quantity_count(2); q++)
    {
        double se = sqrt(x->std_error[q] * x->std_error[q] + y->std_error[q] * y->std_error[q]);
        double z = se > 0.0 ? (x->mean[q] - y->mean[q]) / se
                   : (x->mean[q] == y->mean[q] ? 0.0 : INFINITY);
        if (!(fabs(z) <= fabs(worst)))
        {
            worst = z;
            *worst_q = q;
        }
    }
    return worst;
}

/* The projected and the full method estimate the same means. */
static void
check_against_full(const case_t * c, slong full_samples)
{
    ntk_sample_result_t p, f;
    double z;
    int q;
    run(&p, NULL, c, NTK_SAMPLE_PROJECTED, _NTK_SAMPLE_FAULT_NONE, scaled(c->samples), 77, 2);
    run(&f, NULL, c, NTK_SAMPLE_FULL, _NTK_SAMPLE_FAULT_NONE, scaled(full_samples), 78, 2);
    z = two_sample_z(&q, &p, &f);
    tap_ok(fabs(z) <= 5.0 && f.method == NTK_SAMPLE_FULL,
           "projected (%ld) against full (%ld samples), %s: all two-sample |z| <= 5 (largest %s: %+.2f)",
           (long) p.samples, (long) f.samples, case_name(c), ntk_quantity_name(q), z);
}

/* A wrong conditioning is rejected, against the exact values and against
   the full method. */
static void
check_fault(const case_t * c, _ntk_sample_fault_t fault, const char * what)
{
    ntk_moments_t m;
    ntk_sample_result_t bad, full;
    double ze, zf;
    int qe, qf;
    ntk_moments_init(m);
    run(&bad, m, c, NTK_SAMPLE_PROJECTED, fault, scaled(c->samples), 2024, 2);
    run(&full, NULL, c, NTK_SAMPLE_FULL, _NTK_SAMPLE_FAULT_NONE, scaled(c->samples), 78, 2);
    ze = worst_z(&qe, &bad, m, c);
    zf = two_sample_z(&qf, &bad, &full);
    tap_ok(fabs(ze) > 5.0 && fabs(zf) > 5.0,
           "%s, %s, %ld samples: rejected (against exact: %s z = %+.1f; against full: %s z = %+.1f)",
           what, case_name(c), (long) bad.samples, ntk_quantity_name(qe), ze,
           ntk_quantity_name(qf), zf);
    ntk_moments_clear(m);
}

/* AUTO, the uniform law, methods out of range, the size limits. */
static void
check_contract(void)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_sample_result_t res;
    ntk_error_t err;
    fmpq_t x2;
    ntk_profile_init(p); ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2);
    fmpq_one(x2);
    ntk_profile_set_str(p, "3,2,1", NULL);
    tap_ok(ntk_sample_run(&res, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 10, 0, exec, NULL)
           == NTK_OK && res.method == NTK_SAMPLE_PROJECTED
           && ntk_sample_run(&res, p, conv, NTK_LAW_UNIFORM, NTK_SAMPLE_AUTO, x2, 10, 0, exec, NULL)
           == NTK_OK && res.method == NTK_SAMPLE_FULL,
           "AUTO is projected for Gaussian weights, full for uniform ones");
    tap_ok(ntk_sample_run(&res, p, conv, NTK_LAW_UNIFORM, NTK_SAMPLE_PROJECTED, x2, 10, 0, exec, &err)
           == NTK_ERR_RANGE && strcmp(err.param, "method") == 0
           && strncmp(err.message, "method:", 7) == 0,
           "projected with uniform weights: NTK_ERR_RANGE naming the method (%s)", err.message);
    tap_ok(ntk_sample_run(&res, p, conv, NTK_LAW_GAUSSIAN, (ntk_sample_method_t) 3, x2, 10, 0, exec,
                          &err) == NTK_ERR_RANGE && strcmp(err.param, "method") == 0
           && strcmp(ntk_sample_method_name((ntk_sample_method_t) 3), "?") == 0
           && strcmp(ntk_sample_method_name(NTK_SAMPLE_PROJECTED), "projected") == 0,
           "method 3: NTK_ERR_RANGE; names of the methods");
    /* 2^24 + 1 neurons: refused before anything is allocated */
    ntk_profile_set_str(p, "3,16777213,1", NULL);
    tap_ok(ntk_sample_run(&res, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_PROJECTED, x2, 2, 0, exec, &err)
           == NTK_ERR_TOO_LARGE && strcmp(err.param, "widths") == 0,
           "more than 2^24 neurons: %s", err.message);
    /* 4 10^8 weights, far beyond the full method's 2^27, and 40004 neurons */
    ntk_profile_set_str(p, "3,20000,20000,1", NULL);
    tap_ok(ntk_sample_run(&res, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_FULL, x2, 2, 0, exec, &err)
           == NTK_ERR_TOO_LARGE
           && ntk_sample_run(&res, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 4, 0, exec, &err)
           == NTK_OK && res.method == NTK_SAMPLE_PROJECTED && isfinite(res.mean[NTK_E_DK]),
           "3,20000,20000,1: beyond the full method, the projected one samples it (E_K %.4g)",
           res.mean[NTK_E_K]);
    fmpq_clear(x2);
    ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(p);
}

/* The output depends on the seed only: not on the threads, and not on
   whether a worker's memory was used before. */
static void
check_determinism(void)
{
    static const case_t c = { "4,9x5,2,1", "3/2", "2", "1", 1, 0, 5000 };
    ntk_sample_result_t r1, r2, r3, r4;
    run(&r1, NULL, &c, NTK_SAMPLE_PROJECTED, _NTK_SAMPLE_FAULT_NONE, 5000, 9, 1);
    run(&r2, NULL, &c, NTK_SAMPLE_PROJECTED, _NTK_SAMPLE_FAULT_NONE, 5000, 9, 2);
    run(&r3, NULL, &c, NTK_SAMPLE_PROJECTED, _NTK_SAMPLE_FAULT_NONE, 5000, 9, 7);
    run(&r4, NULL, &c, NTK_SAMPLE_PROJECTED, _NTK_SAMPLE_FAULT_NONE, 5000, 10, 2);
    tap_ok(memcmp(r1.mean, r2.mean, sizeof(r1.mean)) == 0
           && memcmp(r1.std_error, r2.std_error, sizeof(r1.std_error)) == 0
           && memcmp(r1.mean, r3.mean, sizeof(r1.mean)) == 0
           && memcmp(r1.mean, r4.mean, sizeof(r1.mean)) != 0,
           "projected: identical for 1, 2 and 7 threads, different for another seed");
}

int
main(void)
{
    /* widths, x2, cw_hidden, cw_output, bias, standard, samples */
    static const case_t cases[] = {
        { "1,1,1,1", "1", "2", "1", 1, 0, 4000000 },          /* width 1: dead layers */
        { "2,1,2,1", "1/2", "2", "1", 1, 0, 2000000 },
        { "4,1,6,1", "1", "2", "1", 1, 0, 1000000 },
        { "4,1,8,8,1", "1", "2", "1", 0, 0, 2000000 },
        { "1,1", "3", "2", "1", 1, 0, 200000 },               /* depth 1: K is fixed */
        { "3,2,1", "1", "2", "1", 1, 0, 300000 },
        { "2,3,1,2,1", "2", "2", "1", 0, 0, 6000000 },
        { "3,2,2,1", "1", "2", "1", 1, 1, 1200000 },
        { "5,3x4,1", "0", "2", "1", 1, 0, 1000 },             /* x = 0: K = 1 */
        { "3,1,2,1", "0", "2", "1", 0, 1, 1000 },             /* x = 0 and no biases: K = 0 */
        { "10,8x3,1", "7/3", "2", "1", 1, 0, 600000 },
        { "4,20x6,1", "1", "2", "1", 1, 0, 800000 },
        { "4,20x6,1", "1", "3/2", "1", 0, 1, 800000 },
        { "3,5x3,1", "1", "9/4", "3", 1, 0, 1000000 },
        { "6,10x4,1", "2", "1", "1", 1, 0, 700000 },
        { "20,30x6,1", "1", "2", "1/2", 1, 0, 400000 },
        { "8,4,16,4,1", "1", "2", "1", 1, 1, 1000000 },
        { "10,50x5,1", "1", "2", "1", 1, 0, 150000 },
        { "5,100x3,1", "1", "2", "1", 1, 0, 100000 },
        { "50,200x3,1", "25", "2", "1", 1, 0, 60000 },
        { "10,1000x5,1", "1", "2", "1", 1, 0, 40000 }
    };
    /* make check-slow (ten times the samples): wider, deeper, and a chain of width-2 layers */
    static const case_t slow_cases[] = {
        { "10,100x10,1", "1", "2", "1", 1, 0, 150000 },
        { "10,1000x20,1", "1", "2", "1", 1, 0, 20000 },
        { "3,400x4,1", "3", "2", "1", 0, 1, 50000 },
        { "5,2x3,1", "1", "2", "1", 1, 0, 1000000 }
    };
    /* against the full method: case, full samples */
    static const struct { case_t c; slong full; } pairs[] = {
        { { "3,2,1", "1", "2", "1", 1, 0, 400000 }, 400000 },
        { { "2,1,2,1", "1/2", "2", "1", 1, 0, 2000000 }, 2000000 },
        { { "10,8x3,1", "7/3", "2", "1", 1, 0, 600000 }, 400000 },
        { { "8,4,16,4,1", "1", "2", "1", 1, 1, 600000 }, 400000 },
        { { "4,20x6,1", "1", "3/2", "1", 0, 1, 600000 }, 200000 }
    };
    static const case_t faulty = { "4,20x6,1", "1", "2", "1", 1, 0, 100000 };
    const char * s = getenv("NTK_SAMPLE_SCALE");
    size_t k;
    scale_down = FLINT_MAX(1, s ? atol(s) : 1);
    scale_up = getenv("NTK_SAMPLE_SLOW") ? 10 : 1;
    check_contract();
    check_determinism();
    for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        check_exact(cases + k);
    for (k = 0; scale_up > 1 && k < sizeof(slow_cases) / sizeof(slow_cases[0]); k++)
        check_exact(slow_cases + k);
    for (k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++)
        check_against_full(&pairs[k].c, pairs[k].full);
    check_fault(&faulty, _NTK_SAMPLE_FAULT_NO_MEAN,
                "W'delta drawn without its mean a (z . delta)/|a|^2");
    check_fault(&faulty, _NTK_SAMPLE_FAULT_NO_LEFT,
                "W v for the tangents drawn ignoring the revealed W'delta");
    flint_cleanup();
    return tap_done();
}
