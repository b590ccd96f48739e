/* Expansions in the hidden width n against the exact engine at many concrete
   widths (inside and far outside the interpolation points), and the ratio
   series against the exact ratios at a large width. */

#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <string.h>
#include "ntkexact.h"
#include "tap.h"

static void
check_act(long depth, ulong n0, const char * x2s, const char * mu4, const char * ch,
          const char * co, int standard, int bias, const char * act)
{
    static const ulong ns[] = { 1, 2, 3, 5, 8, 37, 101, 1000, 4096 };
    ntk_expand_t e;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2, got, want;
    int i, q, ok = 1, computed;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(got); fmpq_init(want);
    ntk_rational_set_str(x2, x2s, "x2", NULL);
    ntk_rational_set_str(conv->mu4, mu4, "mu4", NULL);
    if (ch != NULL)
        ntk_rational_set_str(conv->cw_hidden, ch, "c", NULL);
    ntk_rational_set_str(conv->cw_output, co, "c", NULL);
    conv->param = standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
    conv->bias = bias;
    ntk_conv_set_activation_str(conv, act, NULL);
    if (ch == NULL)
        ntk_conv_critical(conv->cw_hidden, conv);
    ntk_expand_init(e);
    computed = ntk_expand_compute(e, depth, n0, x2, conv, exec, NULL) == NTK_OK;
    for (i = 0; computed && i < (int) (sizeof(ns) / sizeof(ns[0])); i++)
    {
        ntk_profile_t p;
        ntk_moments_t m;
        char spec[64];
        snprintf(spec, sizeof(spec), "%lu,%lux%ld,1", (unsigned long) n0, (unsigned long) ns[i], depth - 1);
        ntk_profile_init(p);
        ntk_moments_init(m);
        ntk_profile_set_str(p, spec, NULL);
        ntk_moments_compute(m, p, conv, exec, NULL);
        for (q = 0; q < ntk_quantity_count(2); q++)
        {
            ntk_moments_eval(want, m, q, x2);
            ntk_expand_eval(got, e, q, ns[i]);
            if (!fmpq_equal(got, want))
            {
                ok = 0;
                tap_diag("n = %lu: %s differs", (unsigned long) ns[i], ntk_quantity_name(q));
            }
        }
        ntk_moments_clear(m);
        ntk_profile_clear(p);
    }
    /* a 2^-n part exactly when a slope is 0 and the biases are trained */
    {
        int dying = fmpq_is_zero(conv->a_plus) != fmpq_is_zero(conv->a_minus), parts = 1;
        for (q = 0; q < ntk_quantity_count(2); q++)
            parts = FLINT_MAX(parts, (int) e->n_parts[q]);
        ok &= (parts > 1) == (dying && bias && depth >= 3);   /* a layer below a birth */
    }
    tap_ok(computed && ok, "depth %ld, n0 %lu, x2 %s, mu4 %s, c %s,%s%s%s %s: expansion = exact at n = 1..4096 "
           "(9 widths, 13 quantities), a 2^-n part iff a slope is 0",
           depth, (unsigned long) n0, x2s, mu4, ch ? ch : "critical", co, standard ? " standard" : "",
           bias ? "" : " no-bias", act);
    ntk_expand_clear(e);
    fmpq_clear(x2); fmpq_clear(got); fmpq_clear(want);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

static void
check(long depth, ulong n0, const char * x2s, const char * mu4, const char * ch,
      const char * co, int standard, int bias)
{
    check_act(depth, n0, x2s, mu4, ch, co, standard, bias, "relu");
}

/* The series of E[K^2]/E[K]^2 against the exact ratio at n = 10^5: with
   r = exact - (series to n^-4), n^5 r must be the next coefficient s_5 up to
   about s_6 / n. */
static void
check_series(long depth, ulong n0)
{
    ntk_expand_t e;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2, k, k2, r, t;
    fmpq s[7];
    fmpz_t nz;
    mpfr_t m;
    ulong n = 100000;
    int i;
    double gap, bound;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(k); fmpq_init(k2); fmpq_init(r); fmpq_init(t);
    fmpz_init_set_ui(nz, n);
    mpfr_init2(m, 64);
    for (i = 0; i < 7; i++)
        fmpq_init(s + i);
    fmpq_one(x2);
    ntk_expand_init(e);
    ntk_expand_compute(e, depth, n0, x2, conv, exec, NULL);
    ntk_expand_ratio_series(s, e, NTK_E_K2, NTK_E_K, 2, 6);
    ntk_expand_eval(k, e, NTK_E_K, n);
    ntk_expand_eval(k2, e, NTK_E_K2, n);
    fmpq_div(r, k2, k);
    fmpq_div(r, r, k);
    fmpq_zero(t);                      /* sum_{i<=4} s_i n^-i by Horner */
    for (i = 4; i >= 0; i--)
    {
        fmpq_div_fmpz(t, t, nz);
        fmpq_add(t, t, s + i);
    }
    fmpq_sub(r, r, t);
    for (i = 0; i < 5; i++)
        fmpq_mul_fmpz(r, r, nz);
    fmpq_sub(r, r, s + 5);
    fmpq_get_mpfr(m, r, MPFR_RNDN);
    gap = fabs(mpfr_get_d(m, MPFR_RNDN));
    fmpq_get_mpfr(m, s + 6, MPFR_RNDN);
    bound = 2.0 * fabs(mpfr_get_d(m, MPFR_RNDN)) / (double) n + 1e-30;
    fmpq_get_mpfr(m, s + 5, MPFR_RNDN);
    tap_ok(gap <= bound, "depth %ld: n^5 (exact - series to n^-4) = s_5 = %.6g within %.3g (s_6/n) at n = 10^5",
           depth, mpfr_get_d(m, MPFR_RNDN), gap);
    ntk_expand_clear(e);
    for (i = 0; i < 7; i++)
        fmpq_clear(s + i);
    fmpq_clear(x2); fmpq_clear(k); fmpq_clear(k2); fmpq_clear(r); fmpq_clear(t);
    fmpz_clear(nz);
    mpfr_clear(m);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* The one-pass expansion against the interpolated one: every part of every
   quantity equal, with and without the dead-layer part. */
static void
check_methods(long depth, ulong n0, const char * x2s, const char * mu4, const char * ch,
              const char * co, int standard, int bias, const char * act)
{
    ntk_expand_t a, b, c;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2;
    int q, ok;
    slong j;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2);
    ntk_rational_set_str(x2, x2s, "x2", NULL);
    ntk_rational_set_str(conv->mu4, mu4, "mu4", NULL);
    ntk_rational_set_str(conv->cw_output, co, "c", NULL);
    conv->param = standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
    conv->bias = bias;
    ntk_conv_set_activation_str(conv, act, NULL);
    if (ch != NULL)
        ntk_rational_set_str(conv->cw_hidden, ch, "c", NULL);
    else
        ntk_conv_critical(conv->cw_hidden, conv);
    exec->threads = 2;
    ntk_expand_init(a); ntk_expand_init(b); ntk_expand_init(c);
    ok = ntk_expand_compute_method(a, depth, n0, x2, conv, NTK_EXPAND_PASS, 1, exec, NULL) == NTK_OK
      && ntk_expand_compute_method(b, depth, n0, x2, conv, NTK_EXPAND_INTERPOLATE, 1, exec, NULL) == NTK_OK
      && ntk_expand_compute_method(c, depth, n0, x2, conv, NTK_EXPAND_PASS, 0, exec, NULL) == NTK_OK;
    for (q = 0; ok && q < ntk_quantity_count(2); q++)
    {
        ok &= a->n_parts[q] == b->n_parts[q] && c->n_parts[q] == 1 && a->shift == b->shift
              && fmpq_poly_equal(c->part[q], a->part[q]) && a->dead_part && !c->dead_part;
        for (j = 0; ok && j < a->n_parts[q]; j++)
            ok &= fmpq_poly_equal(a->part[q] + j, b->part[q] + j);
        if (!ok)
            tap_diag("%s differs", ntk_quantity_name(q));
    }
    tap_ok(ok, "depth %ld, n0 %lu, x2 %s, mu4 %s, c %s,%s%s%s %s: one pass = interpolation, every part "
           "of the 13 quantities; without the dead-layer part, its part 0",
           depth, (unsigned long) n0, x2s, mu4, ch ? ch : "critical", co, standard ? " standard" : "",
           bias ? "" : " no-bias", act);
    ntk_expand_clear(a); ntk_expand_clear(b); ntk_expand_clear(c);
    fmpq_clear(x2);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* Arguments out of range. */
static void
check_errors(void)
{
    ntk_expand_t e;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_error_t err;
    fmpq_t x2;
    int ok;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2);
    fmpq_one(x2);
    ntk_expand_init(e);
    ok = ntk_expand_compute_method(e, 401, 1, x2, conv, NTK_EXPAND_PASS, 1, exec, &err) == NTK_ERR_RANGE
      && strcmp(err.param, "depth") == 0
      && ntk_expand_compute_method(e, 1001, 1, x2, conv, NTK_EXPAND_PASS, 0, exec, &err) == NTK_ERR_RANGE
      && ntk_expand_compute_method(e, 401, 1, x2, conv, NTK_EXPAND_INTERPOLATE, 0, exec, &err) == NTK_ERR_RANGE
      && ntk_expand_compute_method(e, 4, 1, x2, conv, (ntk_expand_method_t) 7, 1, exec, &err) == NTK_ERR_RANGE
      && strcmp(err.param, "method") == 0;
    conv->bias = 0;   /* no dead-layer part at all: the deeper bound (then 0 threads are refused) */
    exec->threads = 0;
    ok &= ntk_expand_compute_method(e, 401, 1, x2, conv, NTK_EXPAND_PASS, 1, exec, &err) == NTK_ERR_RANGE
          && strcmp(err.param, "threads") == 0;
    tap_ok(ok, "expand: depth bounds 400 (dead-layer part), 1000 (without it), the method checked");
    ntk_expand_clear(e);
    fmpq_clear(x2);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

int
main(void)
{
    check(2, 1, "1", "3", "2", "1", 0, 1);
    check(3, 2, "1", "3", "2", "1", 0, 1);
    check(4, 3, "5/2", "9/5", "2", "1", 0, 1);
    check(5, 10, "7/3", "3", "3/2", "2/3", 0, 1);
    check(4, 2, "1", "4", "2", "1", 1, 1);
    check(6, 1, "2", "3", "2", "1", 0, 0);
    check(8, 4, "1", "3", "2", "1", 0, 1);
    check(16, 3, "3/2", "9/5", "2", "1", 1, 1);     /* standard: positive powers of n */
    check(30, 10, "1", "3", "2", "1", 0, 1);
    check_act(4, 3, "1", "3", NULL, "1", 0, 1, "leaky:1/2");
    check_act(5, 2, "3/2", "9/5", NULL, "2", 1, 1, "linear");
    check_act(4, 3, "2", "3", NULL, "1", 0, 1, "slopes:0,1");
    check_act(4, 1, "1", "3", "5/4", "1", 0, 0, "slopes:0,1");
    check_act(6, 2, "1/3", "3", NULL, "1", 0, 1, "slopes:3/2,-1/3");
    check_act(5, 2, "1", "3", NULL, "1/2", 1, 1, "slopes:2,0");
    check_methods(2, 1, "1", "3", NULL, "1", 0, 1, "relu");
    check_methods(3, 2, "1", "3", NULL, "1", 0, 1, "relu");
    check_methods(9, 3, "5/2", "9/5", NULL, "1", 0, 1, "relu");
    check_methods(12, 10, "7/3", "3", "3/2", "2/3", 0, 1, "relu");
    check_methods(10, 2, "1", "4", NULL, "1", 1, 1, "relu");
    check_methods(11, 1, "2", "3", NULL, "1", 0, 0, "relu");
    check_methods(24, 10, "1", "3", NULL, "1", 0, 1, "relu");
    check_methods(10, 3, "3/2", "9/5", NULL, "3", 1, 0, "relu");
    check_methods(9, 3, "1", "3", NULL, "1", 0, 1, "leaky:1/2");
    check_methods(8, 2, "3/2", "9/5", NULL, "2", 1, 1, "linear");
    check_methods(9, 3, "2", "3", NULL, "1", 0, 1, "slopes:0,1");
    check_methods(7, 1, "1", "3", "5/4", "1", 1, 1, "slopes:0,1");
    check_methods(8, 2, "1/3", "5", NULL, "1", 0, 1, "slopes:3/2,-1/3");
    check_methods(8, 2, "1", "3", "3", "1/2", 1, 1, "slopes:2,0");
    check_errors();
    check_series(4, 3);
    check_series(8, 10);
    check_series(12, 1);
    flint_cleanup();
    return tap_done();
}
