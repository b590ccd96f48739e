/* The sampler with the activation family (doc/derivation.md, section 11):
   both methods draw networks with the given slopes, and every quantity
   agrees with the exact engine (|z| <= 5) on leaky, linear, |x| and other
   slope pairs, with and without biases, at x = 0 and on width-1 layers where
   the dead phase of slopes 0, a_minus shows; and the exact values computed as
   if the activation were ReLU (same variances) are rejected (|z| > 5), so
   the sampler does see the slopes.  Slopes of any size (issue 22, point 1):
   factored out of the weights, they are sampled exactly as the network of
   slopes in [1, 2) with the variance scaled (the same numbers bit for bit
   without biases), and refused by name ("activation") where the exact values
   are beyond double precision, never rounded to a wrong number.

   NTK_SAMPLE_SCALE = k divides every sample count by k (tests/valgrind.sh). */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ntkexact.h"
#include "tap.h"

typedef struct
{
    const char * widths, * x2, * activation;
    int bias;
    slong samples;
}
case_t;

static long scale_down = 1;

/* The profile, x2 and conventions of case c with the given activation, at
   the critical cw_hidden of c's own activation (so that a ReLU comparison
   differs in the gates only). */
static void
setup(ntk_profile_t p, ntk_conv_t conv, fmpq_t x2, const case_t * c, const char * activation)
{
    ntk_conv_t own;
    ntk_conv_init(own);
    ntk_profile_set_str(p, c->widths, NULL);
    ntk_rational_set_str(x2, c->x2, "x2", NULL);
    ntk_conv_set_activation_str(own, c->activation, NULL);
    ntk_conv_set_activation_str(conv, activation, NULL);
    ntk_conv_critical(conv->cw_hidden, own);
    conv->bias = c->bias;
    ntk_conv_clear(own);
}

/* The largest |z| of res against the exact moments for `activation` (its
   quantity in *worst_q). */
static double
worst_z(int * worst_q, const ntk_sample_result_t * res, const case_t * c, const char * activation)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_moments_t m;
    fmpq_t x2, v;
    double worst = 0.0;
    int q;
    ntk_profile_init(p); ntk_conv_init(conv); ntk_exec_init(exec); ntk_moments_init(m);
    fmpq_init(x2); fmpq_init(v);
    setup(p, conv, x2, c, activation);
    ntk_moments_compute(m, p, conv, exec, NULL);
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
    ntk_moments_clear(m); ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(p);
    return worst;
}

static ntk_status_t
run(ntk_sample_result_t * res, const case_t * c, ntk_sample_method_t method, ulong seed,
    ntk_error_t * err)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2;
    ntk_status_t status;
    ntk_profile_init(p); ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2);
    setup(p, conv, x2, c, c->activation);
    exec->threads = 2;
    status = ntk_sample_run(res, p, conv, NTK_LAW_GAUSSIAN, method, x2,
                            FLINT_MAX(2, c->samples / scale_down), seed, exec, err);
    fmpq_clear(x2);
    ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(p);
    return status;
}

static const char *
case_name(const case_t * c)
{
    static char name[200];
    snprintf(name, sizeof(name), "%s %s x2=%s%s", c->activation, c->widths, c->x2,
             c->bias ? "" : " no-bias");
    return name;
}

/* Both methods agree with the exact values of the case's activation. */
static void
check_case(const case_t * c, ntk_sample_method_t method)
{
    ntk_sample_result_t res;
    double z;
    int q, ran = run(&res, c, method, 2026, NULL) == NTK_OK && res.method == method;
    z = worst_z(&q, &res, c, c->activation);
    tap_ok(ran && fabs(z) <= 5.0, "%s, %s, %ld samples: all |z| <= 5 (largest %s: %+.2f)",
           ntk_sample_method_name(method), case_name(c), (long) res.samples,
           ntk_quantity_name(q), z);
}

/* The same samples against the values of a ReLU network: rejected. */
static void
check_not_relu(const case_t * c)
{
    ntk_sample_result_t res;
    double z;
    int q, ran = run(&res, c, NTK_SAMPLE_PROJECTED, 7, NULL) == NTK_OK;
    z = worst_z(&q, &res, c, "relu");
    tap_ok(ran && (fabs(z) > 5.0 || scale_down > 1),
           "%s, %ld samples, against the values of ReLU with the same variances: rejected "
           "(%s z = %+.1f)", case_name(c), (long) res.samples, ntk_quantity_name(q), z);
}

/* Every form at extreme exponents: sampled and equal to the exact values,
   or refused naming the activation when s^2 K_b is beyond 2^+-240. */
static void
check_extreme(void)
{
    static const struct { const char * activation; int bias, refused; } ext[] = {
        { "slopes:1e162,0", 1, 1 }, { "slopes:1e162,0", 0, 0 }, { "slopes:1e-200,0", 1, 1 },
        { "slopes:1e-200,0", 0, 0 }, { "leaky:-1e300", 1, 1 }, { "leaky:-1e300", 0, 0 },
        { "leaky:1e-300", 1, 0 }, { "slopes:0,1e20", 1, 0 }, { "slopes:-1e-20,1e-20", 1, 0 },
        { "slopes:1e30,-3e-30", 1, 0 }, { "slopes:0,-1e1000", 0, 0 }
    };
    size_t k;
    for (k = 0; k < sizeof(ext) / sizeof(ext[0]); k++)
    {
        case_t c = { "3,4,2,1", "1", ext[k].activation, ext[k].bias, 20000 };
        if (ext[k].refused)
        {
            ntk_sample_result_t res;
            ntk_error_t err;
            ntk_status_t st = run(&res, &c, NTK_SAMPLE_AUTO, 1, &err);
            tap_ok(st == NTK_ERR_RANGE && strcmp(err.param, "activation") == 0,
                   "%s: refused (%s)", case_name(&c), err.message);
        }
        else
        {
            check_case(&c, NTK_SAMPLE_PROJECTED);
            check_case(&c, NTK_SAMPLE_FULL);
        }
    }
}

/* Without biases (NTK parametrization) N is the same function of the
   unit-variance weights for slopes s a_plus, s a_minus and variance c/s^2:
   with s = 2^1000 and 2^-1000 the sampler gives the numbers of s = 1, bit for
   bit, by either method. */
static void
check_homogeneous(void)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_sample_result_t one, scaled;
    fmpq_t x2;
    int m, k, same = 1, ran = 1;
    ntk_profile_init(p); ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2);
    fmpq_set_si(x2, 3, 2);
    ntk_profile_set_str(p, "3,4x3,1", NULL);
    conv->bias = 0;
    for (m = 0; m < 2; m++)
    {
        ntk_sample_method_t method = m ? NTK_SAMPLE_FULL : NTK_SAMPLE_PROJECTED;
        ntk_conv_set_activation_str(conv, "slopes:3/2,-1/3", NULL);
        ntk_conv_critical(conv->cw_hidden, conv);
        ran &= ntk_sample_run(&one, p, conv, NTK_LAW_GAUSSIAN, method, x2, 3000, 5, exec, NULL) == NTK_OK;
        for (k = -1; k <= 1; k += 2)
        {
            ntk_conv_set_activation_str(conv, "slopes:3/2,-1/3", NULL);
            if (k > 0)
            {
                fmpq_mul_2exp(conv->a_plus, conv->a_plus, 1000);
                fmpq_mul_2exp(conv->a_minus, conv->a_minus, 1000);
            }
            else
            {
                fmpq_div_2exp(conv->a_plus, conv->a_plus, 1000);
                fmpq_div_2exp(conv->a_minus, conv->a_minus, 1000);
            }
            ntk_conv_critical(conv->cw_hidden, conv);
            ran &= ntk_sample_run(&scaled, p, conv, NTK_LAW_GAUSSIAN, method, x2, 3000, 5, exec,
                                  NULL) == NTK_OK;
            same &= memcmp(one.mean, scaled.mean, sizeof(one.mean)) == 0
                    && memcmp(one.std_error, scaled.std_error, sizeof(one.std_error)) == 0;
        }
    }
    tap_ok(ran && same, "no biases: slopes 2^+-1000 (3/2, -1/3) at the critical variance give the "
           "numbers of slopes 3/2, -1/3 bit for bit (both methods)");
    fmpq_clear(x2);
    ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(p);
}

int
main(void)
{
    /* widths, x2, activation, bias, samples */
    static const case_t cases[] = {
        { "4,6x4,1", "1", "leaky:1/2", 1, 400000 },
        { "4,6x4,1", "1", "leaky:1/2", 0, 400000 },
        { "4,6x4,1", "1", "linear", 1, 400000 },
        { "4,6x4,1", "1", "linear", 0, 400000 },
        { "4,6x4,1", "1", "abs", 1, 400000 },
        { "4,6x4,1", "1", "abs", 0, 400000 },
        { "10,20x5,1", "2", "leaky:1/10", 1, 200000 },
        { "3,5x3,1", "1", "slopes:3/2,-1/3", 1, 400000 },
        { "1,1,2,1,1", "1", "slopes:0,1", 1, 400000 },     /* the dead phase */
        { "1,1,2,1,1", "0", "slopes:0,-2", 1, 200000 },    /* x = 0: every gate a_minus */
        { "2,1,3,1", "1/2", "leaky:1/10", 1, 400000 },
        { "5,3x4,1", "0", "linear", 1, 200000 }            /* x = 0, linear: K_b random */
    };
    static const case_t not_relu[] = {
        { "4,6x4,1", "1", "leaky:1/2", 1, 200000 },
        { "4,6x4,1", "1", "linear", 1, 200000 },
        { "4,6x4,1", "1", "abs", 0, 200000 }
    };
    const char * s = getenv("NTK_SAMPLE_SCALE");
    size_t k;
    scale_down = FLINT_MAX(1, s ? atol(s) : 1);
    for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
    {
        check_case(cases + k, NTK_SAMPLE_PROJECTED);
        check_case(cases + k, NTK_SAMPLE_FULL);
    }
    for (k = 0; k < sizeof(not_relu) / sizeof(not_relu[0]); k++)
        check_not_relu(not_relu + k);
    check_extreme();
    check_homogeneous();
    flint_cleanup();
    return tap_done();
}
