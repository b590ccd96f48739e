/* Closed forms (doc/derivation.md, sections 3 and 7), and the one-hidden-layer E[dK] and
   second moment of the update derived in doc/derivation.md (sections 5, 15), against the
   engine on large profiles. */

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
}
fixture_t;

static void
fixture_init(fixture_t * fx, const char * widths, const char * x2)
{
    ntk_profile_init(fx->prof);
    ntk_conv_init(fx->conv); ntk_exec_init(fx->exec);
    ntk_moments_init(fx->m);
    fmpq_init(fx->x2);
    fx->exec->threads = 2;
    ntk_rational_set_str(fx->x2, x2, "x2", NULL);
    ntk_profile_set_str(fx->prof, widths, NULL);
}

static int
fixture_compute(fixture_t * fx)
{
    return ntk_moments_compute(fx->m, fx->prof, fx->conv, fx->exec, NULL) == NTK_OK;
}

static int
fixture_compute_order(fixture_t * fx, int order)
{
    return ntk_moments_compute_order(fx->m, fx->prof, fx->conv, order, fx->exec, NULL) == NTK_OK;
}

static void
fixture_clear(fixture_t * fx)
{
    ntk_profile_clear(fx->prof);
    ntk_conv_clear(fx->conv); ntk_exec_clear(fx->exec);
    ntk_moments_clear(fx->m);
    fmpq_clear(fx->x2);
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

/* E[N^2] = x2 c_d prod_hidden (c_h / 2) / n_0: full paths, no dead layers. */
static void
closed_n2(fmpq_t r, fixture_t * fx)
{
    slong i, d = ntk_profile_depth(fx->prof);
    fmpq_mul(r, fx->x2, fx->conv->cw_output);
    for (i = 1; i < d; i++)
    {
        fmpq_mul(r, r, fx->conv->cw_hidden);
        fmpq_div_2exp(r, r, 1);
    }
    div_ui(r, ntk_profile_width(fx->prof, 0));
}

/* E[K_b] = 1 + sum_{s=1}^{d-1} (1/2) c_d prod_{s<i<d} (c_h/2) prod_{i<s} (1 - 2^-n_i). */
static void
closed_kb(fmpq_t r, fixture_t * fx)
{
    slong s, i, d = ntk_profile_depth(fx->prof);
    fmpq_t term, alive;
    fmpq_init(term); fmpq_init(alive);
    fmpq_one(r);
    fmpq_one(alive);
    for (s = 1; s < d; s++)
    {
        fmpq_set(term, fx->conv->cw_output);
        fmpq_div_2exp(term, term, 1);
        for (i = s + 1; i < d; i++)
        {
            fmpq_mul(term, term, fx->conv->cw_hidden);
            fmpq_div_2exp(term, term, 1);
        }
        fmpq_mul(term, term, alive);
        fmpq_add(r, r, term);
        /* alive <- alive (1 - 2^-n_s) */
        fmpq_one(term);
        fmpq_div_2exp(term, term, ntk_profile_width(fx->prof, s));
        fmpq_mul(term, term, alive);
        fmpq_sub(alive, alive, term);
    }
    fmpq_clear(term); fmpq_clear(alive);
}

static void
check_first_moments(const char * widths, const char * x2, const char * ch, const char * co)
{
    fixture_t fx;
    fmpq_t got, want, n2;
    slong d, r;
    fmpq_init(got); fmpq_init(want); fmpq_init(n2);
    fixture_init(&fx, widths, x2);
    ntk_rational_set_str(fx.conv->cw_hidden, ch, "c", NULL);
    ntk_rational_set_str(fx.conv->cw_output, co, "c", NULL);
    d = ntk_profile_depth(fx.prof);
    fixture_compute(&fx);
    closed_n2(n2, &fx);
    value(got, &fx, NTK_E_N2);
    tap_ok(fmpq_equal(got, n2), "%s x2=%s c=%s,%s: E[N^2] = x2 c_d prod(c_h/2)/n_0", widths, x2, ch, co);
    value(got, &fx, NTK_E_KW);
    fmpq_mul_si(want, n2, d);
    tap_ok(fmpq_equal(got, want), "%s: E[K_w] = d E[N^2] (NTK parametrization)", widths);
    value(got, &fx, NTK_E_KB);
    closed_kb(want, &fx);
    tap_ok(fmpq_equal(got, want), "%s: E[K_b] = 1 + sum_s (c_d/2) prod(c_h/2) prod_{i<s}(1-2^-n_i)", widths);
    /* standard parametrization: dN/dWhat drops the c_i/n_{i-1} of each layer */
    fx.conv->param = NTK_PARAM_STANDARD;
    fixture_compute(&fx);
    fmpq_zero(want);
    for (r = 1; r <= d; r++)
    {
        fmpq_set_ui(got, ntk_profile_width(fx.prof, r - 1), 1);
        fmpq_div(got, got, r < d ? fx.conv->cw_hidden : fx.conv->cw_output);
        fmpq_add(want, want, got);
    }
    fmpq_mul(want, want, n2);
    value(got, &fx, NTK_E_KW);
    tap_ok(fmpq_equal(got, want), "%s: standard E[K_w] = E[N^2] sum_r n_{r-1}/c_r", widths);
    fixture_clear(&fx);
    fmpq_clear(got); fmpq_clear(want); fmpq_clear(n2);
}

/* E[N^4]/E[N^2]^2 = 3 prod_hidden (1 + 5/n_i), Gaussian weights, default c. */
static void
check_fourth_moment(const char * widths)
{
    fixture_t fx;
    fmpq_t got, want, t;
    slong i, d;
    fmpq_init(got); fmpq_init(want); fmpq_init(t);
    fixture_init(&fx, widths, "7/3");
    d = ntk_profile_depth(fx.prof);
    fixture_compute(&fx);
    fmpq_set_si(want, 3, 1);
    for (i = 1; i < d; i++)
    {
        fmpq_set_si(t, 5, ntk_profile_width(fx.prof, i));
        fmpq_add_si(t, t, 1);
        fmpq_mul(want, want, t);
    }
    value(got, &fx, NTK_E_N2);
    value(t, &fx, NTK_E_N4);
    fmpq_div(got, t, got);
    value(t, &fx, NTK_E_N2);
    fmpq_div(got, got, t);
    tap_ok(fmpq_equal(got, want), "%s: E[N^4]/E[N^2]^2 = 3 prod(1 + 5/n_i)", widths);
    fixture_clear(&fx);
    fmpq_clear(got); fmpq_clear(want); fmpq_clear(t);
}

/* (m)_(j,2) = m (m + 2) ... (m + 2j - 2), the j-th moment of chi^2 with m
   degrees of freedom. */
static void
chi2_moment(fmpz_t r, ulong m, int j)
{
    int i;
    fmpz_one(r);
    for (i = 0; i < j; i++)
        fmpz_mul_ui(r, r, m + 2 * (ulong) i);
}

/* One hidden layer of width n: given the layer below, |a|^2 is
   (c |a_below|^2 / n) (a_plus^2 X_+ + a_minus^2 X_-) with X_+ ~ chi^2_B,
   X_- ~ chi^2_(n-B) and B ~ Binomial(n, 1/2) (Gaussian rows: the signs and
   the magnitudes of the pre-activations are independent); r <- the k-th
   moment of the bracket, sum_B C(n,B) 2^-n sum_j C(k,j) a_plus^(2j)
   a_minus^(2k-2j) (B)_(j,2) (n-B)_(k-j,2). */
static void
layer_moment(fmpq_t r, ulong n, int k, const fmpq_t ap, const fmpq_t am)
{
    fmpz_t binom, x, y;
    fmpq_t t, u, inner;
    ulong b;
    int j;
    fmpz_init(binom); fmpz_init(x); fmpz_init(y);
    fmpq_init(t); fmpq_init(u); fmpq_init(inner);
    fmpq_zero(r);
    fmpz_one(binom);
    for (b = 0; b <= n; b++)
    {
        fmpq_zero(inner);
        for (j = 0; j <= k; j++)
        {
            chi2_moment(x, b, j);
            chi2_moment(y, n - b, k - j);
            fmpz_mul(x, x, y);
            fmpz_bin_uiui(y, (ulong) k, (ulong) j);
            fmpz_mul(x, x, y);
            fmpq_set_fmpz(t, x);
            fmpq_pow_si(u, ap, 2 * j);
            fmpq_mul(t, t, u);
            fmpq_pow_si(u, am, 2 * (k - j));
            fmpq_mul(t, t, u);
            fmpq_add(inner, inner, t);
        }
        fmpq_mul_fmpz(inner, inner, binom);
        fmpq_add(r, r, inner);
        /* C(n, b + 1) = C(n, b) (n - b) / (b + 1) */
        fmpz_mul_ui(binom, binom, n - b);
        fmpz_divexact_ui(binom, binom, b + 1);
    }
    fmpq_div_2exp(r, r, n);
    fmpz_clear(binom); fmpz_clear(x); fmpz_clear(y);
    fmpq_clear(t); fmpq_clear(u); fmpq_clear(inner);
}

/* want <- E[N^(2k)] = (2k-1)!! x2^k prod_l (c_l/n_(l-1))^k prod_hidden
   (layer moment) (doc/derivation.md, section 14), Gaussian weights, any
   variances and slopes. */
static void
closed_output(fmpq_t want, const fixture_t * fx, int k)
{
    const ntk_profile_struct * p = fx->prof;
    slong d = p->depth, layer = 0, r, i;
    fmpq_t t;
    fmpq_init(t);
    fmpq_pow_si(want, fx->x2, k);
    for (i = 1; i < 2 * k; i += 2)
        fmpq_mul_si(want, want, i);
    /* the layers by runs of equal widths: layer i joins n_(i-1) and n_i */
    for (r = 0; r < p->n_runs; r++)
        for (i = 0; i < p->count[r]; i++, layer++)
        {
            if (layer == 0)
                continue;
            fmpq_set_ui(t, ntk_profile_width(p, layer - 1), 1);
            fmpq_div(t, layer < d ? fx->conv->cw_hidden : fx->conv->cw_output, t);
            fmpq_pow_si(t, t, k);
            fmpq_mul(want, want, t);
            if (layer < d)
            {
                /* equal hidden widths: the run's layer moment, raised */
                slong same = FLINT_MIN(p->count[r] - i, d - layer);
                layer_moment(t, p->width[r], k, fx->conv->a_plus, fx->conv->a_minus);
                fmpq_pow_si(t, t, same);
                fmpq_mul(want, want, t);
                fmpq_set_ui(t, p->width[r], 1);
                fmpq_div(t, fx->conv->cw_hidden, t);
                fmpq_pow_si(t, t, k * (same - 1));
                fmpq_mul(want, want, t);
                i += same - 1;
                layer += same - 1;
            }
        }
    fmpq_clear(t);
}

/* The recursion at order 4 against the closed form, k = 1..4, and the
   library's closed form (a power series, not this sum over B) for k = 1..8
   (check takes the standard errors of E_N6, E_N8 from its k = 6, 8). */
static void
check_output_moments(const char * widths, const char * x2, const char * ch, const char * co,
                     const char * activation)
{
    static const ntk_quantity_t nq[5] = { NTK_E_N2, NTK_E_N2, NTK_E_N4, NTK_E_N6, NTK_E_N8 };
    fixture_t fx;
    fmpq_t got, want;
    ntk_error_t err;
    int k, ok, lib_ok = 1;
    fmpq_init(got); fmpq_init(want);
    fixture_init(&fx, widths, x2);
    ntk_rational_set_str(fx.conv->cw_hidden, ch, "c", NULL);
    ntk_rational_set_str(fx.conv->cw_output, co, "c", NULL);
    ntk_conv_set_activation_str(fx.conv, activation, NULL);
    ok = fixture_compute_order(&fx, 4);
    for (k = 1; k <= 8; k++)
    {
        closed_output(want, &fx, k);
        if (k <= 4)
        {
            value(got, &fx, nq[k]);
            ok &= fmpq_equal(got, want);
        }
        lib_ok &= ntk_moments_output_power(got, fx.prof, fx.conv, fx.x2, (ulong) k, &err) == NTK_OK
                  && fmpq_equal(got, want);
    }
    tap_ok(ok, "%s x2=%s c=%s,%s %s: E[N^(2k)], k = 1..4, = (2k-1)!! x2^k prod (c/n)^k "
           "prod_hidden E[(a+^2 chi2_B + a-^2 chi2_(n-B))^k]", widths, x2, ch, co, activation);
    tap_ok(lib_ok, "%s x2=%s c=%s,%s %s: ntk_moments_output_power, k = 1..8, equals the sum over B",
           widths, x2, ch, co, activation);
    fixture_clear(&fx);
    fmpq_clear(got); fmpq_clear(want);
}

/* x = 0 with ReLU: K = lb (the output bias) exactly, so E[K^k] = lb for
   every k, the central moments vanish and the ratios are undefined. */
static void
check_dead_input_order4(const char * widths, int param, int bias)
{
    static const ntk_quantity_t powers[4] = { NTK_E_K, NTK_E_K2, NTK_E_K3, NTK_E_K4 };
    fixture_t fx;
    fmpq_t got;
    int ok, k;
    fmpq_init(got);
    fixture_init(&fx, widths, "0");
    fx.conv->param = param ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
    fx.conv->bias = bias;
    ok = fixture_compute_order(&fx, 4);
    for (k = 0; k < 4; k++)
    {
        value(got, &fx, powers[k]);
        ok &= fmpq_equal_si(got, bias);
    }
    value(got, &fx, NTK_M3_K); ok &= fmpq_is_zero(got);
    value(got, &fx, NTK_M4_K); ok &= fmpq_is_zero(got);
    value(got, &fx, NTK_E_N8); ok &= fmpq_is_zero(got);
    ok &= !ntk_moments_defined(fx.m, NTK_SKEW2_K, fx.x2) && !ntk_moments_defined(fx.m, NTK_KURT_K, fx.x2);
    ok &= ntk_moments_eval(got, fx.m, NTK_KURT_K, fx.x2) == NTK_ERR_RANGE;
    tap_ok(ok, "%s %s%s at x2 = 0: E[K^k] = %d for k = 1..4, M3 = M4 = E[N^8] = 0, "
           "Skew2_K and Kurt_K undefined", widths, param ? "standard" : "ntk",
           bias ? "" : " no-bias", bias);
    fixture_clear(&fx);
    fmpq_clear(got);
}

/* x = 0: every gate is shut and K = 1 exactly (only the output bias). */
static void
check_dead_input(const char * widths)
{
    fixture_t fx;
    fmpq_t got;
    int ok = 1;
    fmpq_init(got);
    fixture_init(&fx, widths, "0");
    fixture_compute(&fx);
    value(got, &fx, NTK_E_K); ok &= fmpq_is_one(got);
    value(got, &fx, NTK_E_K2); ok &= fmpq_is_one(got);
    value(got, &fx, NTK_VAR_K); ok &= fmpq_is_zero(got);
    value(got, &fx, NTK_E_DK); ok &= fmpq_is_zero(got);
    value(got, &fx, NTK_E_KW); ok &= fmpq_is_zero(got);
    tap_ok(ok, "%s at x2 = 0: E_K = E_K2 = 1, Var_K = E_dK = E_Kw = 0", widths);
    fixture_clear(&fx);
    fmpq_clear(got);
}

/* d = 2, widths n_0, n, 1 (doc/derivation.md): with E[N^2] = c1 c2 x2/(2 n0),
   D_ww = 2 c1 c2 x2 E[N^2]/(n0 n) and D_wb = c2 E[N^2]/n (NTK),
   D_ww = 2 x2 E[N^2] and D_wb = E[N^2] (standard). */
static void
check_one_hidden_layer(ulong n0, ulong n, const char * x2, const char * ch, const char * co)
{
    fixture_t fx;
    char widths[64];
    fmpq_t got, n2, want, c12;
    int param;
    fmpq_init(got); fmpq_init(n2); fmpq_init(want); fmpq_init(c12);
    snprintf(widths, sizeof(widths), "%lu,%lu,1", (unsigned long) n0, (unsigned long) n);
    fixture_init(&fx, widths, x2);
    ntk_rational_set_str(fx.conv->cw_hidden, ch, "c", NULL);
    ntk_rational_set_str(fx.conv->cw_output, co, "c", NULL);
    ntk_rational_set_str(fx.conv->mu4, "17/5", "mu4", NULL);
    fmpq_mul(c12, fx.conv->cw_hidden, fx.conv->cw_output);
    for (param = 0; param < 2; param++)
    {
        fx.conv->param = param ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
        fixture_compute(&fx);
        fmpq_mul(n2, c12, fx.x2);
        fmpq_div_2exp(n2, n2, 1);
        div_ui(n2, n0);
        fmpq_mul(want, n2, fx.x2);
        fmpq_mul_2exp(want, want, 1);
        if (!param)
        {
            fmpq_mul(want, want, c12);
            div_ui(want, n0 * n);
        }
        value(got, &fx, NTK_E_DWW);
        tap_ok(fmpq_equal(got, want), "%s %s x2=%s c=%s,%s: D_ww closed form", widths,
               param ? "standard" : "ntk", x2, ch, co);
        fmpq_set(want, n2);
        if (!param)
        {
            fmpq_mul(want, want, fx.conv->cw_output);
            div_ui(want, n);
        }
        value(got, &fx, NTK_E_DWB);
        tap_ok(fmpq_equal(got, want), "%s %s: D_wb closed form", widths, param ? "standard" : "ntk");
    }
    fixture_clear(&fx);
    fmpq_clear(got); fmpq_clear(n2); fmpq_clear(want); fmpq_clear(c12);
}

/* The update's second moment at d = 2: there g = s N pathwise, with
   s = s_ww + 2 s_wb, s_ww = 2 c1 c2 x2/(n0 n), s_wb = c2/n (NTK; 2 x2 and 1
   standard), for the slopes in {0, 1, -1} (where sigma'^2 sigma = sigma):
   ReLU, |x|, linear.  So E[N^2 g_ww^a g_wb^b] = s_ww^a s_wb^b E[N^4] and
   E[g^2] = s^2 E[N^2], for any weight law. */
static void
check_one_hidden_layer_update(ulong n0, ulong n, const char * x2, const char * act)
{
    fixture_t fx;
    char widths[64];
    fmpq_t got, sww, swb, s, want, n2, n4;
    int param, ok = 1;
    fmpq_init(got); fmpq_init(sww); fmpq_init(swb); fmpq_init(s); fmpq_init(want);
    fmpq_init(n2); fmpq_init(n4);
    snprintf(widths, sizeof(widths), "%lu,%lu,1", (unsigned long) n0, (unsigned long) n);
    fixture_init(&fx, widths, x2);
    ntk_conv_set_activation_str(fx.conv, act, NULL);
    ntk_rational_set_str(fx.conv->cw_output, "3/2", "c", NULL);
    ntk_rational_set_str(fx.conv->mu4, "17/5", "mu4", NULL);
    ntk_rational_set_str(fx.conv->mu6, "15", "mu6", NULL);
    ntk_rational_set_str(fx.conv->mu8, "105", "mu8", NULL);
    for (param = 0; param < 2; param++)
    {
        fx.conv->param = param ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
        ok &= ntk_moments_compute_update(fx.m, fx.prof, fx.conv, 2, fx.exec, NULL) == NTK_OK;
        fmpq_mul_2exp(sww, fx.x2, 1);
        fmpq_one(swb);
        if (!param)
        {
            fmpq_mul(sww, sww, fx.conv->cw_hidden);
            fmpq_mul(sww, sww, fx.conv->cw_output);
            div_ui(sww, n0 * n);
            fmpq_set(swb, fx.conv->cw_output);
            div_ui(swb, n);
        }
        fmpq_mul_2exp(s, swb, 1);
        fmpq_add(s, s, sww);
        value(n2, &fx, NTK_E_N2);
        value(n4, &fx, NTK_E_N4);
        fmpq_mul(want, sww, sww);
        fmpq_mul(want, want, n4);
        value(got, &fx, NTK_E_N2GWW2);
        ok &= fmpq_equal(got, want);
        fmpq_mul(want, sww, swb);
        fmpq_mul(want, want, n4);
        value(got, &fx, NTK_E_N2GWWGWB);
        ok &= fmpq_equal(got, want);
        fmpq_mul(want, swb, swb);
        fmpq_mul(want, want, n4);
        value(got, &fx, NTK_E_N2GWB2);
        ok &= fmpq_equal(got, want);
        fmpq_mul(want, s, s);
        fmpq_mul(want, want, n4);
        value(got, &fx, NTK_E_N2G2);
        ok &= fmpq_equal(got, want);
        fmpq_mul(want, s, s);
        fmpq_mul(want, want, n2);
        value(got, &fx, NTK_E_G2);
        ok &= fmpq_equal(got, want);
        /* and E_dK = -2 s E[N^2] */
        fmpq_mul(want, s, n2);
        fmpq_mul_si(want, want, -2);
        value(got, &fx, NTK_E_DK);
        ok &= fmpq_equal(got, want);
    }
    tap_ok(ok, "%s x2=%s %s mu4=17/5, both parametrizations: g = s N, E[N^2 g_ww^a g_wb^b] = "
           "s_ww^a s_wb^b E[N^4], E[g^2] = s^2 E[N^2]", widths, x2, act);
    fixture_clear(&fx);
    fmpq_clear(got); fmpq_clear(sww); fmpq_clear(swb); fmpq_clear(s); fmpq_clear(want);
    fmpq_clear(n2); fmpq_clear(n4);
}

/* E[dK] <= 0 with equality only at x = 0, on every coefficient too. */
static void
check_sign(const char * widths, const char * mu4, int bias)
{
    fixture_t fx;
    fmpq_t c;
    int k, ok = 1;
    fmpq_init(c);
    fixture_init(&fx, widths, "1");
    ntk_rational_set_str(fx.conv->mu4, mu4, "mu4", NULL);
    fx.conv->bias = bias;
    fixture_compute(&fx);
    for (k = 0; k <= 2; k++)
    {
        fmpq_poly_get_coeff_fmpq(c, fx.m->poly + NTK_E_DK, k);
        ok &= fmpq_sgn(c) <= 0;
    }
    fmpq_poly_get_coeff_fmpq(c, fx.m->poly + NTK_E_DK, 2);
    ok &= fmpq_sgn(c) < 0;
    tap_ok(ok, "%s mu4=%s%s: E_dK(x2) has no positive coefficient", widths, mu4,
           bias ? "" : " no-bias");
    fixture_clear(&fx);
    fmpq_clear(c);
}

int
main(void)
{
    check_first_moments("10,1000x1000,1", "1", "2", "1");
    check_first_moments("5,1,2,30x20,3,1", "3/7", "2", "1");
    check_first_moments("7,50,200x30,3,1", "5/2", "9/4", "1/3");
    check_first_moments("1,1x12,1", "2", "2", "1");
    check_fourth_moment("10,1000x1000,1");
    check_fourth_moment("3,1,2,7x40,2,1");
    check_dead_input("10,100x50,1");
    check_dead_input("1x6,1");
    check_output_moments("10,100x30,1", "1", "2", "1", "relu");
    check_output_moments("10,1000x30,1", "3", "2", "1", "relu");
    check_output_moments("10,300x300,1", "1", "2", "1", "relu");
    check_output_moments("7,30,50,20,40,1", "5/3", "3", "1/2", "relu");
    check_output_moments("3,1,2,1,5,1", "2", "7/4", "3", "relu");
    check_output_moments("5,200x5,1", "1/7", "2", "1", "relu");
    check_output_moments("4,20x6,1", "3", "1", "1", "leaky:1/5");
    check_output_moments("3,7,2,9,1", "1", "1/3", "2", "abs");
    check_output_moments("2,5x4,1", "2/3", "3/2", "1", "slopes:2,-1/3");
    check_output_moments("3,6x3,1", "1", "1", "1", "linear");
    check_output_moments("2,3,4,1", "5", "4", "1", "slopes:0,3/2");
    check_dead_input_order4("10,100x20,1", 0, 1);
    check_dead_input_order4("3,2,5,1", 1, 1);
    check_dead_input_order4("4,3x3,1", 0, 0);
    check_dead_input_order4("1,1x6,1", 1, 0);
    check_one_hidden_layer(3, 2, "1", "2", "1");
    check_one_hidden_layer(10, 1000, "7/3", "2", "1");
    check_one_hidden_layer(1, 1, "5", "3/2", "4");
    check_one_hidden_layer_update(3, 2, "1", "relu");
    check_one_hidden_layer_update(10, 1000, "7/3", "relu");
    check_one_hidden_layer_update(1, 1, "5", "abs");
    check_one_hidden_layer_update(4, 30, "2/3", "linear");
    check_sign("3,2,1", "3", 1);
    check_sign("1,1,1,1", "9/5", 1);
    check_sign("10,100x50,1", "3", 1);
    check_sign("4,20x6,1", "9/5", 0);
    check_sign("2,3,1,5,2,1", "1", 1);
    flint_cleanup();
    return tap_done();
}
