/* The activation family (doc/derivation.md, section 11) against closed
   forms on large profiles: E[N^2] and E[N^4]/E[N^2]^2 with the gate moments
   A_2, A_4; E[K_b] with the dead phase of a zero slope; the deep linear
   network; the one-hidden-layer E[dK]; the floating-point mode. */

#include <string.h>
#include "ntkexact.h"
#include "tap.h"

typedef struct
{
    ntk_profile_t prof;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_moments_t m;
    fmpq_t x2;
    fmpq_t a2, a4;     /* the gate moments */
}
fixture_t;

static void
fixture_init(fixture_t * fx, const char * widths, const char * x2, const char * act)
{
    ntk_profile_init(fx->prof);
    ntk_conv_init(fx->conv);
    ntk_exec_init(fx->exec);
    ntk_moments_init(fx->m);
    fmpq_init(fx->x2); fmpq_init(fx->a2); fmpq_init(fx->a4);
    fx->exec->threads = 2;
    ntk_rational_set_str(fx->x2, x2, "x2", NULL);
    ntk_profile_set_str(fx->prof, widths, NULL);
    ntk_conv_set_activation_str(fx->conv, act, NULL);
    ntk_conv_critical(fx->conv->cw_hidden, fx->conv);
    /* A_m by hand, not by the library */
    fmpq_mul(fx->a2, fx->conv->a_plus, fx->conv->a_plus);
    fmpq_addmul(fx->a2, fx->conv->a_minus, fx->conv->a_minus);
    fmpq_div_2exp(fx->a2, fx->a2, 1);
    fmpq_mul(fx->a4, fx->conv->a_plus, fx->conv->a_plus);
    fmpq_mul(fx->a4, fx->a4, fx->a4);
    {
        fmpq_t t;
        fmpq_init(t);
        fmpq_mul(t, fx->conv->a_minus, fx->conv->a_minus);
        fmpq_addmul(fx->a4, t, t);
        fmpq_clear(t);
    }
    fmpq_div_2exp(fx->a4, fx->a4, 1);
}

static int
fixture_compute(fixture_t * fx)
{
    return ntk_moments_compute(fx->m, fx->prof, fx->conv, fx->exec, NULL) == NTK_OK;
}

static void
fixture_clear(fixture_t * fx)
{
    ntk_profile_clear(fx->prof);
    ntk_conv_clear(fx->conv);
    ntk_exec_clear(fx->exec);
    ntk_moments_clear(fx->m);
    fmpq_clear(fx->x2); fmpq_clear(fx->a2); fmpq_clear(fx->a4);
}

static void
value(fmpq_t r, fixture_t * fx, ntk_quantity_t q)
{
    ntk_moments_eval(r, fx->m, q, fx->x2);
}

static void
div_ui(fmpq_t r, ulong n)
{
    fmpz_t z;
    fmpz_init_set_ui(z, n);
    fmpq_div_fmpz(r, r, z);
    fmpz_clear(z);
}

/* E[N^2] = (x2/n_0) c_d prod_hidden (c_i A_2), and E[N^4]/E[N^2]^2 =
   3 prod_hidden (1 + (3 A_4/A_2^2 - 1)/n_i) for Gaussian weights. */
static void
check_output_moments(const char * widths, const char * act)
{
    fixture_t fx;
    fmpq_t got, want, t, g;
    slong i, d;
    fmpq_init(got); fmpq_init(want); fmpq_init(t); fmpq_init(g);
    fixture_init(&fx, widths, "3/2", act);
    d = ntk_profile_depth(fx.prof);
    fixture_compute(&fx);
    fmpq_mul(want, fx.x2, fx.conv->cw_output);
    div_ui(want, ntk_profile_width(fx.prof, 0));
    for (i = 1; i < d; i++)
    {
        fmpq_mul(want, want, fx.conv->cw_hidden);
        fmpq_mul(want, want, fx.a2);
    }
    value(got, &fx, NTK_E_N2);
    tap_ok(fmpq_equal(got, want), "%s %s: E[N^2] = (x2/n_0) c_d prod(c A_2)", widths, act);
    /* the growth constant 3 A_4/A_2^2 - 1 */
    fmpq_mul(g, fx.a2, fx.a2);
    fmpq_div(g, fx.a4, g);
    fmpq_mul_si(g, g, 3);
    fmpq_sub_si(g, g, 1);
    fmpq_set_si(want, 3, 1);
    for (i = 1; i < d; i++)
    {
        fmpq_set_si(t, 1, ntk_profile_width(fx.prof, i));
        fmpq_mul(t, t, g);
        fmpq_add_si(t, t, 1);
        fmpq_mul(want, want, t);
    }
    value(got, &fx, NTK_E_N4);
    value(t, &fx, NTK_E_N2);
    fmpq_div(got, got, t);
    fmpq_div(got, got, t);
    tap_ok(fmpq_equal(got, want), "%s %s: E[N^4]/E[N^2]^2 = 3 prod(1 + (3 A_4/A_2^2 - 1)/n_i)",
           widths, act);
    fixture_clear(&fx);
    fmpq_clear(got); fmpq_clear(want); fmpq_clear(t); fmpq_clear(g);
}

/* E[K_b] = lb + lb c_d sum_{s=1}^{d-1} [P_s A_2 prod_{i>s} (c A_2)
            + (1 - P_s) a_minus^2 prod_{i>s} (c a_minus^2)],
   P_s = 1{x != 0} prod_{i<s} (1 - p_i), p_i = 2^-n_i when one slope is 0:
   the bias of layer s is alive with probability P_s, else it sees the dead
   phase, where every gate is a_minus. */
static void
check_bias_part(const char * widths, const char * x2, const char * act)
{
    fixture_t fx;
    fmpq_t got, want, alive, term, dead, m2, p;
    slong s, i, d;
    int dying;
    fmpq_init(got); fmpq_init(want); fmpq_init(alive); fmpq_init(term);
    fmpq_init(dead); fmpq_init(m2); fmpq_init(p);
    fixture_init(&fx, widths, x2, act);
    d = ntk_profile_depth(fx.prof);
    fixture_compute(&fx);
    dying = fmpq_is_zero(fx.conv->a_plus) != fmpq_is_zero(fx.conv->a_minus);
    fmpq_mul(m2, fx.conv->a_minus, fx.conv->a_minus);
    fmpq_one(want);
    fmpq_set_si(alive, !fmpq_is_zero(fx.x2), 1);
    for (s = 1; s < d; s++)
    {
        fmpq_mul(term, fx.conv->cw_output, fx.a2);
        fmpq_mul(dead, fx.conv->cw_output, m2);
        for (i = s + 1; i < d; i++)
        {
            fmpq_mul(term, term, fx.conv->cw_hidden);
            fmpq_mul(term, term, fx.a2);
            fmpq_mul(dead, dead, fx.conv->cw_hidden);
            fmpq_mul(dead, dead, m2);
        }
        fmpq_mul(term, term, alive);
        fmpq_add(want, want, term);
        fmpq_one(term);
        fmpq_sub(term, term, alive);
        fmpq_mul(dead, dead, term);
        fmpq_add(want, want, dead);
        if (dying)
        {
            fmpq_one(p);
            fmpq_div_2exp(p, p, ntk_profile_width(fx.prof, s));
            fmpq_mul(p, p, alive);
            fmpq_sub(alive, alive, p);
        }
    }
    value(got, &fx, NTK_E_KB);
    tap_ok(fmpq_equal(got, want), "%s x2=%s %s: E[K_b] with the dead phase", widths, x2, act);
    fixture_clear(&fx);
    fmpq_clear(got); fmpq_clear(want); fmpq_clear(alive); fmpq_clear(term);
    fmpq_clear(dead); fmpq_clear(m2); fmpq_clear(p);
}

/* A deep linear network (slopes 1, 1), any c: E[K] = d c_d c^(d-1) x2/n_0
   + 1 + c_d sum_{s=1}^{d-1} c^(d-1-s), for every x2 >= 0. */
static void
check_linear(const char * widths, const char * x2, const char * c)
{
    fixture_t fx;
    fmpq_t got, want, t;
    slong s, d;
    fmpq_init(got); fmpq_init(want); fmpq_init(t);
    fixture_init(&fx, widths, x2, "linear");
    ntk_rational_set_str(fx.conv->cw_hidden, c, "c", NULL);
    d = ntk_profile_depth(fx.prof);
    fixture_compute(&fx);
    fmpq_pow_si(want, fx.conv->cw_hidden, d - 1);
    fmpq_mul(want, want, fx.conv->cw_output);
    fmpq_mul(want, want, fx.x2);
    fmpq_mul_si(want, want, d);
    div_ui(want, ntk_profile_width(fx.prof, 0));
    fmpq_add_si(want, want, 1);
    for (s = 1; s < d; s++)
    {
        fmpq_pow_si(t, fx.conv->cw_hidden, d - 1 - s);
        fmpq_mul(t, t, fx.conv->cw_output);
        fmpq_add(want, want, t);
    }
    value(got, &fx, NTK_E_K);
    tap_ok(fmpq_equal(got, want), "%s x2=%s linear c=%s: E[K] = d c_d c^(d-1) x2/n_0 + 1 + c_d sum c^(d-1-s)",
           widths, x2, c);
    fixture_clear(&fx);
    fmpq_clear(got); fmpq_clear(want); fmpq_clear(t);
}

/* One hidden layer: D_ww = 2 c_1^2 c_2^2 x2^2 A_4/(n_0^2 n), D_wb = lb c_1
   c_2^2 x2 A_4/(n_0 n) (a gate cubed is no longer the gate). */
static void
check_one_hidden_layer(ulong n0, ulong n, const char * act)
{
    fixture_t fx;
    fmpq_t got, want;
    char widths[64];
    fmpq_init(got); fmpq_init(want);
    snprintf(widths, sizeof(widths), "%lu,%lu,1", n0, n);
    fixture_init(&fx, widths, "5/3", act);
    ntk_rational_set_str(fx.conv->cw_output, "3/2", "c", NULL);
    fixture_compute(&fx);
    fmpq_mul(want, fx.conv->cw_hidden, fx.conv->cw_output);
    fmpq_mul(want, want, want);
    fmpq_mul(want, want, fx.x2);
    fmpq_mul(want, want, fx.x2);
    fmpq_mul(want, want, fx.a4);
    fmpq_mul_2exp(want, want, 1);
    div_ui(want, n0 * n0 * n);
    value(got, &fx, NTK_E_DWW);
    tap_ok(fmpq_equal(got, want), "%s %s: D_ww = 2 c1^2 c2^2 x2^2 A_4/(n0^2 n)", widths, act);
    fmpq_mul(want, fx.conv->cw_output, fx.conv->cw_output);
    fmpq_mul(want, want, fx.conv->cw_hidden);
    fmpq_mul(want, want, fx.x2);
    fmpq_mul(want, want, fx.a4);
    div_ui(want, n0 * n);
    value(got, &fx, NTK_E_DWB);
    tap_ok(fmpq_equal(got, want), "%s %s: D_wb = c1 c2^2 x2 A_4/(n0 n)", widths, act);
    fixture_clear(&fx);
    fmpq_clear(got); fmpq_clear(want);
}

/* The floating-point mode prints digits of the exact values; E[dK] <= 0. */
static void
check_float_and_sign(const char * widths, const char * act)
{
    fixture_t fx;
    ntk_moments_t fl;
    fmpq_t ex, f, c;
    int q, ok = 1, neg = 1, k;
    fmpq_init(ex); fmpq_init(f); fmpq_init(c);
    fixture_init(&fx, widths, "2", act);
    fixture_compute(&fx);
    ntk_moments_init(fl);
    fx.exec->precision = 96;
    ntk_moments_compute(fl, fx.prof, fx.conv, fx.exec, NULL);
    for (q = 0; q < ntk_quantity_count(2); q++)
    {
        slong digits = ntk_moments_digits(fl, q, fx.x2, 96);
        char * a, * b;
        ntk_moments_eval(ex, fx.m, q, fx.x2);
        ntk_moments_eval(f, fl, q, fx.x2);
        a = ntk_rational_get_decimal(ex, digits);
        b = ntk_rational_get_decimal(f, digits);
        ok &= digits > 20 && strcmp(a, b) == 0;
        flint_free(a); flint_free(b);
    }
    tap_ok(ok, "%s %s: --precision 96 prints the exact digits", widths, act);
    for (k = 0; k <= 2; k++)
    {
        fmpq_poly_get_coeff_fmpq(c, fx.m->poly + NTK_E_DK, k);
        neg &= fmpq_sgn(c) <= 0;
    }
    tap_ok(neg, "%s %s: every coefficient of E_dK(x2) is <= 0", widths, act);
    ntk_moments_clear(fl);
    fixture_clear(&fx);
    fmpq_clear(ex); fmpq_clear(f); fmpq_clear(c);
}

int
main(void)
{
    static const char * const acts[] = { "relu", "linear", "abs", "leaky:1/2", "leaky:1/10",
                                         "slopes:0,1", "slopes:3/2,-1/3", "slopes:2,0" };
    int k;
    for (k = 0; k < 8; k++)
    {
        check_output_moments("10,100x40,1", acts[k]);
        check_output_moments("3,1,2,7x30,2,1", acts[k]);
        check_bias_part("3,20x30,1", "1/2", acts[k]);
        check_bias_part("2,1,1,3,1x4,1", "3", acts[k]);
        check_bias_part("2,1,1,3,1x4,1", "0", acts[k]);
        check_one_hidden_layer(3, 7, acts[k]);
        check_float_and_sign("4,9x12,1", acts[k]);
    }
    /* the dead phase of slopes (0, 1) makes E[K_b] about 2^40 here */
    check_bias_part("3,20x60,1", "1/2", "slopes:0,1");
    check_linear("10,100x50,1", "1", "1");
    check_linear("10,100x50,1", "0", "1");
    check_linear("4,7,3x20,1", "7/2", "3/2");
    check_linear("4,7,3x20,1", "0", "1/2");
    flint_cleanup();
    return tap_done();
}
