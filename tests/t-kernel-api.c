/* The API of the two-input kernels (src/lib/kernel): certified decimals
   against a much more precise computation, the Gram matrix of many inputs
   against the pairs, and bad input. */

#include <string.h>
#include "ntkexact.h"
#include "tap.h"

#define PREC 256

typedef struct
{
    const char * act, * co, * cw;
    int bias, standard;
}
conv_spec_t;

static void
conv_set(ntk_conv_t conv, const conv_spec_t * c)
{
    ntk_conv_init(conv);
    ntk_conv_set_activation_str(conv, c->act, NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    if (c->cw != NULL)
        ntk_rational_set_str(conv->cw_hidden, c->cw, "cw", NULL);
    ntk_rational_set_str(conv->cw_output, c->co, "co", NULL);
    conv->bias = c->bias;
    conv->param = c->standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
}

/* x and y overlap and are tight */
static int
same(const arb_t x, const arb_t y)
{
    arb_t d;
    int ok;
    arb_init(d);
    arb_sub(d, x, y, PREC);
    ok = arb_contains_zero(d) && mag_cmp_2exp_si(arb_radref(d), -120) < 0;
    arb_clear(d);
    return ok;
}

/* ------------------------------------------------ certified decimals */

static void
check_digits(void)
{
    conv_spec_t c = { "relu", "1", NULL, 1, 0 };
    ntk_conv_t conv;
    ntk_profile_t p;
    ntk_kernel_t k, h;
    fmpq_t x2, y2, xy, v;
    char * s, * t;
    int ok, q;
    slong digits = 40;
    conv_set(conv, &c);
    ntk_profile_init(p);
    ntk_kernel_init(k); ntk_kernel_init(h);
    fmpq_init(x2); fmpq_init(y2); fmpq_init(xy); fmpq_init(v);
    ntk_profile_set_str(p, "2,5,5,1", NULL);
    fmpq_one(x2);
    fmpq_one(y2);
    fmpq_one(xy);
    /* x' = x, depth 3, n0 2: Var K = 141/4 n^-1 + ... (ntkexact expand) */
    ok = ntk_kernel_compute_digits(k, p, x2, y2, xy, conv, NTK_KERNEL_PER_LAYER, digits, NULL, NULL) == NTK_OK;
    fmpq_set_si(v, 141, 4);
    s = ntk_kernel_get_decimal(&k->coeff_sum[NTK_KERNEL_VAR_KXY], digits);
    t = ntk_rational_get_decimal(v, digits);
    ok &= s != NULL && t != NULL && strcmp(s, t) == 0;
    flint_free(s); flint_free(t);
    s = ntk_kernel_get_decimal(&k->coeff_sum[NTK_KERNEL_E_KXY], digits);
    ok &= s != NULL && strcmp(s, "0") == 0;
    flint_free(s);
    tap_ok(ok, "certified decimals: Var K at x' = x prints 141/4 to %ld digits, E[K] correction '0'",
           (long) digits);
    /* a general pair: each printed value is the rounding of a 600-bit ball */
    fmpq_set_si(y2, 2, 1);
    fmpq_set_si(xy, -7, 10);
    ntk_profile_set_str(p, "3,10,20,30,1", NULL);
    ok = ntk_kernel_compute_digits(k, p, x2, y2, xy, conv, NTK_KERNEL_FIRST_ORDER, digits, NULL, NULL) == NTK_OK
         && ntk_kernel_compute(h, p, x2, y2, xy, conv, NTK_KERNEL_FIRST_ORDER, 600, NULL, NULL) == NTK_OK;
    for (q = 0; q < NTK_KERNEL_N_COEFFS + 3 && ok; q++)
    {
        const arb_struct * a = q < 3 ? &k->theta[q] : &k->coeff_sum[q - 3];
        const arb_struct * b = q < 3 ? &h->theta[q] : &h->coeff_sum[q - 3];
        s = ntk_kernel_get_decimal(a, digits);
        t = ntk_kernel_get_decimal(b, digits);
        ok &= s != NULL && t != NULL && strcmp(s, t) == 0;
        flint_free(s); flint_free(t);
    }
    /* a ball that straddles a rounding boundary gives no digits */
    {
        arb_t x;
        arb_init(x);
        arb_set_str(x, "[1.5 +/- 1e-30]", 100);
        s = ntk_kernel_get_decimal(x, 1);
        ok &= s == NULL;
        flint_free(s);
        s = ntk_kernel_get_decimal(x, 20);
        ok &= s != NULL && strcmp(s, "1.5000000000000000000") == 0;
        flint_free(s);
        arb_clear(x);
    }
    tap_ok(ok, "certified decimals of a general pair agree with a 600-bit computation; a ball across "
           "a rounding boundary is refused");
    ntk_kernel_clear(k); ntk_kernel_clear(h);
    ntk_profile_clear(p);
    ntk_conv_clear(conv);
    fmpq_clear(x2); fmpq_clear(y2); fmpq_clear(xy); fmpq_clear(v);
}

/* ------------------------------------------------ the Gram matrix */

static void
check_gram(void)
{
    /* five inputs in Q^3, one of them 0, two parallel */
    static const int coord[5][3] = { { 1, 0, 2 }, { 0, 3, 1 }, { 2, 0, 4 }, { 0, 0, 0 }, { -1, 1, 1 } };
    conv_spec_t c = { "leaky:1/5", "1", NULL, 1, 0 };
    ntk_conv_t conv;
    ntk_profile_t p;
    ntk_exec_t exec;
    ntk_kernel_t k;
    fmpq * gram = _fmpq_vec_init(25);
    arb_ptr th = _arb_vec_init(25), sg = _arb_vec_init(25);
    char * st[25], * ss[25];
    ntk_error_t err;
    int i, j, d, ok = 1;
    conv_set(conv, &c);
    ntk_profile_init(p);
    ntk_exec_init(exec);
    exec->threads = 2;
    ntk_kernel_init(k);
    ntk_profile_set_str(p, "3,50x4,1", NULL);
    for (i = 0; i < 5; i++)
        for (j = 0; j < 5; j++)
        {
            slong s = 0;
            for (d = 0; d < 3; d++)
                s += coord[i][d] * coord[j][d];
            fmpq_set_si(gram + 5 * i + j, s, 1);
        }
    ok &= ntk_kernel_gram(th, sg, gram, 5, p, conv, PREC, exec, NULL) == NTK_OK;
    ok &= ntk_kernel_gram_get_strs(st, ss, gram, 5, p, conv, 25, exec, NULL) == NTK_OK;
    for (i = 0; i < 5 && ok; i++)
        for (j = 0; j < 5 && ok; j++)
        {
            char * s;
            ok &= ntk_kernel_compute(k, p, gram + 5 * i + i, gram + 5 * j + j, gram + 5 * i + j,
                                     conv, NTK_KERNEL_INFINITE, PREC, NULL, NULL) == NTK_OK;
            ok &= same(th + 5 * i + j, &k->theta[1]) && same(sg + 5 * i + j, &k->sigma[1]);
            ok &= same(th + 5 * i + j, th + 5 * j + i);
            ok &= ntk_kernel_compute_digits(k, p, gram + 5 * i + i, gram + 5 * j + j, gram + 5 * i + j,
                                            conv, NTK_KERNEL_INFINITE, 25, NULL, NULL) == NTK_OK;
            s = ntk_kernel_get_decimal(&k->theta[1], 25);
            ok &= s != NULL && strcmp(s, st[5 * i + j]) == 0;
            flint_free(s);
            s = ntk_kernel_get_decimal(&k->sigma[1], 25);
            ok &= s != NULL && strcmp(s, ss[5 * i + j]) == 0;
            flint_free(s);
        }
    tap_ok(ok, "the Gram matrix of 5 inputs (a zero and two parallel ones among them), 2 threads: "
           "every entry the pair's kernel, symmetric, its strings the pair's certified decimals");
    for (i = 0; i < 25; i++)
    {
        flint_free(st[i]);
        flint_free(ss[i]);
    }
    fmpq_set_si(gram + 1, 100, 1);            /* not symmetric */
    ok = ntk_kernel_gram(th, NULL, gram, 5, p, conv, PREC, exec, &err) == NTK_ERR_RANGE
         && strcmp(err.param, "gram") == 0;
    fmpq_set_si(gram + 5, 100, 1);            /* symmetric, but |x.x'| > |x||x'| */
    ok &= ntk_kernel_gram(th, NULL, gram, 5, p, conv, PREC, exec, &err) == NTK_ERR_RANGE
          && strcmp(err.param, "gram") == 0;
    tap_ok(ok, "the Gram matrix: an asymmetric one and one breaking Cauchy-Schwarz are refused");
    _fmpq_vec_clear(gram, 25);
    _arb_vec_clear(th, 25);
    _arb_vec_clear(sg, 25);
    ntk_kernel_clear(k);
    ntk_exec_clear(exec);
    ntk_profile_clear(p);
    ntk_conv_clear(conv);
}

/* ------------------------------------------------ bad input */

static void
check_errors(void)
{
    conv_spec_t c = { "relu", "1", NULL, 1, 0 };
    ntk_conv_t conv;
    ntk_profile_t p, unset;
    ntk_kernel_t k;
    ntk_error_t err;
    fmpq_t a, b, x;
    int ok = 1;
    conv_set(conv, &c);
    ntk_profile_init(p);
    ntk_profile_init(unset);
    ntk_kernel_init(k);
    fmpq_init(a); fmpq_init(b); fmpq_init(x);
    ntk_profile_set_str(p, "3,10,1", NULL);
    fmpq_one(a);
    fmpq_one(b);
    /* x.x' = 1 + 10^-40 with |x| = |x'| = 1 */
    ntk_rational_set_str(x, "1.0000000000000000000000000000000000000001", "xy", NULL);
    ok &= ntk_kernel_check_inputs(a, b, x, &err) == NTK_ERR_RANGE && !strcmp(err.param, "xy");
    ok &= ntk_kernel_compute(k, p, a, b, x, conv, NTK_KERNEL_INFINITE, 64, NULL, &err) == NTK_ERR_RANGE;
    fmpq_one(x);
    ok &= ntk_kernel_check_inputs(a, b, x, NULL) == NTK_OK;
    fmpq_set_si(a, -1, 3);
    ok &= ntk_kernel_check_inputs(a, b, x, &err) == NTK_ERR_RANGE && !strcmp(err.param, "x2");
    fmpq_one(a);
    ntk_rational_set_str(conv->mu4, "9/5", "mu4", NULL);
    ok &= ntk_kernel_compute(k, p, a, b, x, conv, NTK_KERNEL_INFINITE, 64, NULL, &err) == NTK_ERR_RANGE
          && !strcmp(err.param, "mu4");
    fmpq_set_si(conv->mu4, 3, 1);
    ok &= ntk_kernel_compute(k, unset, a, b, x, conv, NTK_KERNEL_INFINITE, 64, NULL, &err) == NTK_ERR_RANGE;
    ok &= ntk_kernel_compute(k, p, a, b, x, conv, (ntk_kernel_what_t) 7, 64, NULL, &err) == NTK_ERR_RANGE;
    ok &= ntk_kernel_compute(k, p, a, b, x, conv, NTK_KERNEL_INFINITE, 1, NULL, &err) == NTK_ERR_RANGE;
    ok &= ntk_kernel_compute_digits(k, p, a, b, x, conv, NTK_KERNEL_INFINITE, 0, NULL, &err) == NTK_ERR_RANGE
          && !strcmp(err.param, "digits");
    ok &= ntk_kernel_compute_digits(k, p, a, b, x, conv, NTK_KERNEL_INFINITE, NTK_KERNEL_DIGITS_MAX + 1,
                                    NULL, &err) == NTK_ERR_RANGE;
    ok &= ntk_kernel_compute(NULL, p, a, b, x, conv, NTK_KERNEL_INFINITE, 64, NULL, NULL) == NTK_ERR_RANGE;
    ok &= ntk_kernel_get_decimal(&k->theta[0], 0) == NULL;
    tap_ok(ok, "bad input: Cauchy-Schwarz broken by 10^-40, negative |x|^2, mu4 != 3, no profile, "
           "bad what, precision and digits, NULL: NTK_ERR_RANGE naming the parameter");
    ntk_kernel_clear(k);
    ntk_kernel_clear(k);
    ntk_kernel_init(NULL);
    ntk_kernel_clear(NULL);
    tap_ok(1, "clearing twice and NULL are harmless");
    ntk_profile_clear(p);
    ntk_profile_clear(unset);
    ntk_conv_clear(conv);
    fmpq_clear(a); fmpq_clear(b); fmpq_clear(x);
}

/* A progress callback that stops after `limit` units. */
static int
stop_after(void * data, slong done, slong total)
{
    slong * seen = data;
    seen[0] = done;
    seen[1] = total;
    return done >= seen[2];
}

static void
check_progress(void)
{
    conv_spec_t c = { "relu", "1", NULL, 1, 0 };
    ntk_conv_t conv;
    ntk_profile_t p;
    ntk_exec_t exec;
    ntk_kernel_t k;
    ntk_error_t err;
    fmpq_t one, half;
    slong seen[3] = { 0, 0, WORD_MAX };
    int ok;
    conv_set(conv, &c);
    ntk_profile_init(p);
    ntk_exec_init(exec);
    ntk_kernel_init(k);
    fmpq_init(one);
    fmpq_init(half);
    fmpq_one(one);
    fmpq_set_si(half, 1, 2);
    ntk_profile_set_str(p, "3,50x1000,1", NULL);
    exec->progress = stop_after;
    exec->progress_data = seen;
    ok = ntk_kernel_compute(k, p, one, one, half, conv, NTK_KERNEL_PER_LAYER, 64, exec, &err) == NTK_OK
         && seen[0] == 1984 && seen[1] == 2000;
    seen[2] = 512;
    ok &= ntk_kernel_compute(k, p, one, one, half, conv, NTK_KERNEL_FIRST_ORDER, 64, exec, &err)
          == NTK_ERR_INTERRUPTED && seen[0] == 512;
    ok &= ntk_kernel_compute_digits(k, p, one, one, half, conv, NTK_KERNEL_INFINITE, 10, exec, &err)
          == NTK_ERR_INTERRUPTED && err.status == NTK_ERR_INTERRUPTED;
    tap_ok(ok, "progress: 2000 layer steps (1000 up, 1000 down) reported in units of 64, and a "
           "callback that asks to stop ends the computation with NTK_ERR_INTERRUPTED");
    ntk_kernel_clear(k);
    ntk_exec_clear(exec);
    ntk_profile_clear(p);
    ntk_conv_clear(conv);
    fmpq_clear(one);
    fmpq_clear(half);
}

int
main(void)
{
    check_progress();
    check_digits();
    check_gram();
    check_errors();
    flint_cleanup();
    return tap_done();
}
