/* Expansions in the hidden width n of the moments up to E[K^3] and E[K^4]
   (ntk_expand_compute_order) against the exact engine of the same order at
   concrete widths n = 1, 2, 3, 7, 50, 1000 (the one pass interpolates
   nothing; 1000 is far beyond the widths n = 1 .. about 3d + 10 of the
   interpolation), the one pass against the interpolation,
   and the series of E[K^k]/E[K]^k against the exact ratios at large n. */

#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <string.h>
#include "ntkexact.h"
#include "tap.h"

typedef struct
{
    const char * x2, * mu4, * mu6, * mu8, * act;
    int standard, bias;
}
setup_t;

static void
setup_conv(ntk_conv_t conv, fmpq_t x2, const setup_t * s)
{
    ntk_rational_set_str(x2, s->x2, "x2", NULL);
    ntk_rational_set_str(conv->mu4, s->mu4, "mu4", NULL);
    ntk_rational_set_str(conv->mu6, s->mu6, "mu6", NULL);
    ntk_rational_set_str(conv->mu8, s->mu8, "mu8", NULL);
    conv->param = s->standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
    conv->bias = s->bias;
    ntk_conv_set_activation_str(conv, s->act, NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
}

static const char *
setup_str(const setup_t * s)
{
    static char buf[160];
    snprintf(buf, sizeof(buf), "x2 %s, mu %s,%s,%s,%s%s %s", s->x2, s->mu4, s->mu6, s->mu8,
             s->standard ? " standard" : " ntk", s->bias ? "" : " no-bias", s->act);
    return buf;
}

/* The expansion of order `order` at n = 1, 2, 3, 7, 50, 1000 against
   ntk_moments_compute_order: every quantity but the ratios. */
static void
check_exact(long depth, ulong n0, const setup_t * s, int order)
{
    static const ulong ns[] = { 1, 2, 3, 7, 50, 1000 };
    ntk_expand_t e;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2, got, want;
    int i, q, ok, dying, parts = 1, n_q = ntk_quantity_count(order);
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(got); fmpq_init(want);
    setup_conv(conv, x2, s);
    exec->threads = 2;
    ntk_expand_init(e);
    ok = ntk_expand_compute_order(e, depth, n0, x2, conv, NTK_EXPAND_PASS, 1, order, exec, NULL)
         == NTK_OK && e->moment_order == order;
    for (i = 0; ok && i < (int) (sizeof(ns) / sizeof(ns[0])); i++)
    {
        ntk_profile_t p;
        ntk_moments_t m;
        char spec[64];
        snprintf(spec, sizeof(spec), "%lu,%lux%ld,1", (unsigned long) n0, (unsigned long) ns[i], depth - 1);
        ntk_profile_init(p);
        ntk_moments_init(m);
        ntk_profile_set_str(p, spec, NULL);
        ok &= ntk_moments_compute_order(m, p, conv, order, exec, NULL) == NTK_OK;
        for (q = 0; ok && q < n_q; q++)
        {
            if (ntk_quantity_is_ratio(q))
            {
                ok &= e->n_parts[q] == 0 && ntk_expand_eval(got, e, q, ns[i]) == NTK_ERR_RANGE;
                continue;
            }
            ntk_moments_eval(want, m, q, x2);
            ok &= ntk_expand_eval(got, e, q, ns[i]) == NTK_OK;
            if (!fmpq_equal(got, want))
            {
                ok = 0;
                tap_diag("n = %lu: %s differs", (unsigned long) ns[i], ntk_quantity_name(q));
            }
        }
        ntk_moments_clear(m);
        ntk_profile_clear(p);
    }
    /* a 2^-n part exactly when a slope is 0, the biases are on, and a layer
       lies below a birth */
    dying = fmpq_is_zero(conv->a_plus) != fmpq_is_zero(conv->a_minus);
    for (q = 0; q < n_q; q++)
        parts = FLINT_MAX(parts, (int) e->n_parts[q]);
    ok &= (parts > 1) == (dying && s->bias && depth >= 3);
    tap_ok(ok, "order %d, depth %ld, n0 %lu, %s: expansion = exact engine at n = 1, 2, 3, 7, 50, 1000 "
           "(%d quantities), a 2^-n part iff a slope is 0", order, depth, (unsigned long) n0,
           setup_str(s), n_q - (order >= 3) - (order >= 4));
    ntk_expand_clear(e);
    fmpq_clear(x2); fmpq_clear(got); fmpq_clear(want);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* At x2 = 0 (the dead input: every gate a_minus) the expansion of order
   `order` at n = 1, 2, 3, 7, 50, 1000 against ntk_moments_compute_order's
   values at x2 = 0, by both methods: one part (no 2^-n) for every quantity,
   and for slopes (a, 0) K = 1 exactly with biases (0 without). */
static void
check_zero(long depth, ulong n0, const setup_t * s, int order)
{
    static const ulong ns[] = { 1, 2, 3, 7, 50, 1000 };
    ntk_expand_t e, f;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2, got, want;
    int i, q, ok, n_q = ntk_quantity_count(order);
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(got); fmpq_init(want);
    setup_conv(conv, x2, s);
    fmpq_zero(x2);
    exec->threads = 2;
    ntk_expand_init(e); ntk_expand_init(f);
    ok = ntk_expand_compute_order(e, depth, n0, x2, conv, NTK_EXPAND_PASS, 1, order, exec, NULL) == NTK_OK
         && ntk_expand_compute_order(f, depth, n0, x2, conv, NTK_EXPAND_INTERPOLATE, 1, order, exec, NULL)
            == NTK_OK && e->moment_order == order;
    for (q = 0; ok && q < n_q; q++)
        if (!ntk_quantity_is_ratio(q))
            ok &= e->n_parts[q] == 1 && f->n_parts[q] == 1 && fmpq_poly_equal(e->part[q], f->part[q]);
    for (i = 0; ok && i < (int) (sizeof(ns) / sizeof(ns[0])); i++)
    {
        ntk_profile_t p;
        ntk_moments_t m;
        char spec[64];
        snprintf(spec, sizeof(spec), "%lu,%lux%ld,1", (unsigned long) n0, (unsigned long) ns[i], depth - 1);
        ntk_profile_init(p);
        ntk_moments_init(m);
        ntk_profile_set_str(p, spec, NULL);
        ok &= ntk_moments_compute_order(m, p, conv, order, exec, NULL) == NTK_OK;
        for (q = 0; ok && q < n_q; q++)
        {
            if (ntk_quantity_is_ratio(q))
                continue;
            ntk_moments_eval(want, m, q, x2);
            ok &= ntk_expand_eval(got, e, q, ns[i]) == NTK_OK;
            if (!fmpq_equal(got, want))
            {
                ok = 0;
                tap_diag("n = %lu: %s differs", (unsigned long) ns[i], ntk_quantity_name(q));
            }
        }
        ntk_moments_clear(m);
        ntk_profile_clear(p);
    }
    if (fmpq_is_zero(conv->a_minus))
        for (q = 0; ok && q < n_q; q++)
        {
            ntk_expand_eval(got, e, q, 5);
            if (q == NTK_E_K || q == NTK_E_KB || q == NTK_E_K2 || q == NTK_E_KB2 || q == NTK_E_K3
                || q == NTK_E_KB3 || q == NTK_E_K4 || q == NTK_E_KB4)
                ok &= fmpq_equal_si(got, s->bias);
            else if (!ntk_quantity_is_ratio(q))
                ok &= fmpq_is_zero(got);
        }
    tap_ok(ok, "order %d, depth %ld, n0 %lu, %s at x2 = 0: expansion (pass = interpolation, no 2^-n) "
           "= exact engine at n = 1, 2, 3, 7, 50, 1000%s", order, depth, (unsigned long) n0,
           setup_str(s), fmpq_is_zero(conv->a_minus) ? "; K = the output bias" : "");
    ntk_expand_clear(e); ntk_expand_clear(f);
    fmpq_clear(x2); fmpq_clear(got); fmpq_clear(want);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* The one pass against the interpolation: every part of every quantity;
   without the dead-layer part, part 0. */
static void
check_methods(long depth, ulong n0, const setup_t * s, int order)
{
    ntk_expand_t a, b, c;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2;
    int q, ok;
    slong j;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2);
    setup_conv(conv, x2, s);
    exec->threads = 2;
    ntk_expand_init(a); ntk_expand_init(b); ntk_expand_init(c);
    ok = ntk_expand_compute_order(a, depth, n0, x2, conv, NTK_EXPAND_PASS, 1, order, exec, NULL) == NTK_OK
      && ntk_expand_compute_order(b, depth, n0, x2, conv, NTK_EXPAND_INTERPOLATE, 1, order, exec, NULL) == NTK_OK
      && ntk_expand_compute_order(c, depth, n0, x2, conv, NTK_EXPAND_PASS, 0, order, exec, NULL) == NTK_OK
      && a->shift == b->shift;
    for (q = 0; ok && q < ntk_quantity_count(order); q++)
    {
        ok &= a->n_parts[q] == b->n_parts[q];
        if (ntk_quantity_is_ratio(q))
            continue;
        ok &= c->n_parts[q] == 1 && fmpq_poly_equal(c->part[q], a->part[q]);
        for (j = 0; ok && j < a->n_parts[q]; j++)
            ok &= fmpq_poly_equal(a->part[q] + j, b->part[q] + j);
        if (!ok)
            tap_diag("%s differs", ntk_quantity_name(q));
    }
    tap_ok(ok, "order %d, depth %ld, n0 %lu, %s: one pass = interpolation, every part; "
           "without the dead-layer part, its part 0", order, depth, (unsigned long) n0, setup_str(s));
    ntk_expand_clear(a); ntk_expand_clear(b); ntk_expand_clear(c);
    fmpq_clear(x2);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* |x| as a double. */
static double
fmpq_abs_d(const fmpq_t x)
{
    mpfr_t m;
    double v;
    mpfr_init2(m, 64);
    fmpq_get_mpfr(m, x, MPFR_RNDN);
    v = fabs(mpfr_get_d(m, MPFR_RNDN));
    mpfr_clear(m);
    return v;
}

/* The series of E[K^k]/E[K]^k to n^-R against the exact ratio: the
   remainder r(n) = exact - series_R times n^(R+1) must tend to s_(R+1),
   with |n^(R+1) r(n) - s_(R+1)| <= 2 |s_(R+2)| / n + tiny at n = 10^4 and
   decreasing as n doubles (10^4, 2 10^4, 4 10^4). */
static void
check_series(long depth, ulong n0, const setup_t * s, int k, slong order)
{
    static const int quantity[5] = { -1, -1, NTK_E_K2, NTK_E_K3, NTK_E_K4 };
    ntk_expand_t e;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2, m1, mk, r, t;
    fmpq * c = _fmpq_vec_init(order + 3);
    fmpz_t nz;
    double gap[3], bound = 0;
    int i, step, ok;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(m1); fmpq_init(mk); fmpq_init(r); fmpq_init(t);
    fmpz_init(nz);
    setup_conv(conv, x2, s);
    ntk_expand_init(e);
    ok = ntk_expand_compute_order(e, depth, n0, x2, conv, NTK_EXPAND_PASS, 0, k, exec, NULL) == NTK_OK
         && ntk_expand_ratio_series(c, e, quantity[k], NTK_E_K, k, order + 2) == 1;
    for (step = 0; ok && step < 3; step++)
    {
        ulong n = 10000UL << step;
        fmpz_set_ui(nz, n);
        ntk_expand_eval(m1, e, NTK_E_K, n);
        ntk_expand_eval(mk, e, quantity[k], n);
        fmpq_pow_si(t, m1, k);
        fmpq_div(r, mk, t);
        fmpq_zero(t);                      /* sum_{i<=R} s_i n^-i by Horner */
        for (i = (int) order; i >= 0; i--)
        {
            fmpq_div_fmpz(t, t, nz);
            fmpq_add(t, t, c + i);
        }
        fmpq_sub(r, r, t);
        for (i = 0; i <= order; i++)
            fmpq_mul_fmpz(r, r, nz);
        fmpq_sub(r, r, c + order + 1);
        gap[step] = fmpq_abs_d(r);
        if (step == 0)
            bound = 2.0 * fmpq_abs_d(c + order + 2) / (double) n + 1e-300;
    }
    ok &= gap[0] <= bound && gap[1] <= gap[0] && gap[2] <= gap[1];
    tap_ok(ok, "depth %ld, n0 %lu, %s: E[K^%d]/E[K]^%d - series to n^-%ld = s_%ld n^-%ld + O(n^-%ld): "
           "gap %.3g <= %.3g (2 |s_%ld| / n), then %.3g, %.3g as n doubles", depth,
           (unsigned long) n0, setup_str(s), k, k, (long) order, (long) order + 1,
           (long) order + 1, (long) order + 2, gap[0], bound, (long) order + 2, gap[1], gap[2]);
    ntk_expand_clear(e);
    _fmpq_vec_clear(c, order + 3);
    fmpq_clear(x2); fmpq_clear(m1); fmpq_clear(mk); fmpq_clear(r); fmpq_clear(t);
    fmpz_clear(nz);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* Arguments out of range: the moment order, the depth caps, mu6. */
static void
check_errors(void)
{
    ntk_expand_t e;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_error_t err;
    fmpq_t x2;
    int ok, o;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2);
    fmpq_one(x2);
    ntk_expand_init(e);
    ok = ntk_expand_compute_order(e, 3, 1, x2, conv, NTK_EXPAND_PASS, 1, 5, exec, &err) == NTK_ERR_RANGE
      && strcmp(err.param, "order") == 0
      && ntk_expand_compute_order(e, 3, 1, x2, conv, NTK_EXPAND_PASS, 1, 1, exec, &err) == NTK_ERR_RANGE
      && ntk_expand_compute_order(e, NTK_EXPAND_DEPTH_MAX3 + 1, 1, x2, conv, NTK_EXPAND_PASS, 0, 3, exec, &err)
         == NTK_ERR_RANGE && strcmp(err.param, "depth") == 0
      && ntk_expand_compute_order(e, NTK_EXPAND_DEPTH_MAX4 + 1, 1, x2, conv, NTK_EXPAND_INTERPOLATE, 1, 4,
                                  exec, &err) == NTK_ERR_RANGE && strcmp(err.param, "depth") == 0;
    fmpq_set_si(conv->mu6, 8, 1);                  /* mu6 < mu4^2 */
    for (o = 3; o <= 4; o++)
        ok &= ntk_expand_compute_order(e, 3, 1, x2, conv, NTK_EXPAND_PASS, 1, o, exec, &err) == NTK_ERR_RANGE;
    ok &= ntk_expand_compute_order(e, 3, 1, x2, conv, NTK_EXPAND_PASS, 1, 2, exec, &err) == NTK_OK;
    tap_ok(ok, "expand: moment order 2..4, depth caps %d (order 3), %d (order 4), mu6 checked at order >= 3",
           (int) NTK_EXPAND_DEPTH_MAX3, (int) NTK_EXPAND_DEPTH_MAX4);
    ntk_expand_clear(e);
    fmpq_clear(x2);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

int
main(void)
{
    static const setup_t gauss = { "1", "3", "15", "105", "relu", 0, 1 };
    static const setup_t gauss_std = { "3/2", "3", "15", "105", "relu", 1, 1 };
    static const setup_t odd_ntk = { "5/2", "9/5", "4", "10", "relu", 0, 1 };
    static const setup_t odd_std = { "7/3", "9/5", "4", "10", "slopes:0,1", 1, 1 };
    static const setup_t nobias = { "2", "5/2", "9", "40", "relu", 0, 0 };
    static const setup_t nobias_std = { "1/2", "9/5", "4", "10", "leaky:1/2", 1, 0 };
    static const setup_t leaky = { "1", "9/5", "4", "10", "leaky:1/3", 0, 1 };
    static const setup_t lin_std = { "2", "3", "15", "105", "linear", 1, 1 };
    static const setup_t dead2 = { "3/2", "2", "5", "14", "slopes:2,0", 0, 1 };
    static const setup_t * all[] = { &gauss, &gauss_std, &odd_ntk, &odd_std, &nobias, &nobias_std,
                                     &leaky, &lin_std, &dead2 };
    int i;
    long d;
    for (i = 0; i < (int) (sizeof(all) / sizeof(all[0])); i++)
        for (d = 2; d <= 5; d++)
            check_exact(d, 1 + (ulong) (i + d) % 3, all[i], 4);
    check_exact(7, 3, &odd_std, 4);
    check_exact(10, 2, &dead2, 4);
    check_exact(3, 2, &odd_ntk, 3);
    check_exact(5, 1, &odd_std, 3);
    check_exact(6, 2, &dead2, 3);
    for (i = 0; i < (int) (sizeof(all) / sizeof(all[0])); i++)
        check_zero(2 + i % 4, 1 + (ulong) i % 3, all[i], 2 + i % 3);
    check_zero(6, 2, &leaky, 4);
    check_zero(5, 1, &odd_std, 4);
    check_methods(2, 1, &gauss, 4);
    check_methods(3, 2, &odd_ntk, 4);
    check_methods(4, 1, &odd_std, 4);
    check_methods(5, 3, &nobias_std, 4);
    check_methods(4, 2, &dead2, 3);
    check_methods(6, 1, &leaky, 3);
    check_methods(10, 3, &odd_std, 4);
    check_methods(12, 2, &dead2, 4);
    check_methods(15, 1, &gauss_std, 3);
    check_errors();
    check_series(4, 3, &gauss, 3, 3);
    check_series(5, 2, &odd_std, 3, 2);
    check_series(4, 1, &gauss, 4, 3);
    check_series(6, 2, &odd_ntk, 4, 2);
    check_series(5, 3, &nobias_std, 4, 3);
    flint_cleanup();
    return tap_done();
}
