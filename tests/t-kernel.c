/* The NTK of two inputs (src/lib/kernel, doc/derivation.md section 16):
   consistency checks that need no second implementation of the recursion.
   - x' = x: the infinite-width values and the 1/n coefficients equal the
     exact one-input values of the engine (expand, exact rationals) for many
     profiles and conventions, to every bit of the balls;
   - homogeneity without biases: K(x, c x) = c K(x, x) and K(c1 x, c2 x') =
     c1 c2 K(x, x') for every coefficient;
   - the linear activation is odd: K(x, -x) = -K(x, x) without biases, and
     with biases the identities through K(0, 0); |x| is even;
   - depth 2: E[K(x,x')] has no correction and Var[K(x,x')] is 1/n_1 times
     the variance of one neuron's term, from Cho and Saul's arc-cosine
     kernels J_0, J_1, J_2 (an independent closed form);
   - the pass up (the sums) and the pass down (per layer) agree; the angle
     to 0 is continuous.
   tests/t-kernel-brute.c compares with exact finite-width values,
   tests/t-kernel-api.c checks the certified decimals, the Gram matrix and
   bad input. */

#include <string.h>
#include "ntkexact.h"
#include "tap.h"

#define PREC 256

typedef struct
{
    const char * act, * co, * cw;   /* cw NULL: the critical 1/A_2 */
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

/* The kernel of the pair at widths spec, or 0 on an error. */
static int
kernel_of(ntk_kernel_t k, const char * widths, const char * x2, const char * y2,
          const char * xy, const ntk_conv_t conv, ntk_kernel_what_t what)
{
    ntk_profile_t p;
    fmpq_t a, b, c;
    int ok;
    ntk_profile_init(p);
    fmpq_init(a); fmpq_init(b); fmpq_init(c);
    ntk_profile_set_str(p, widths, NULL);
    ntk_rational_set_str(a, x2, "x2", NULL);
    ntk_rational_set_str(b, y2, "y2", NULL);
    ntk_rational_set_str(c, xy, "xy", NULL);
    ok = ntk_kernel_compute(k, p, a, b, c, conv, what, PREC, NULL, NULL) == NTK_OK;
    ntk_profile_clear(p);
    fmpq_clear(a); fmpq_clear(b); fmpq_clear(c);
    return ok;
}

/* x contains the rational q and is tight (or exactly q). */
static int
holds(const arb_t x, const fmpq_t q)
{
    return arb_contains_fmpq(x, q) && (arb_is_exact(x) || arb_rel_accuracy_bits(x) > 150
                                       || (fmpq_is_zero(q) && mag_cmp_2exp_si(arb_radref(x), -150) < 0));
}

/* x and y overlap and are tight: the same number as far as the balls tell. */
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

/* y = f x with f rational */
static int
scaled(const arb_t y, const arb_t x, const fmpq_t f)
{
    arb_t t;
    int ok;
    arb_init(t);
    arb_set_fmpq(t, f, PREC);
    arb_mul(t, t, x, PREC);
    ok = same(y, t);
    arb_clear(t);
    return ok;
}

/* ------------------------------------------------ x' = x against the engine */

static const conv_spec_t specs[] = {
    { "relu", "1", NULL, 1, 0 }, { "relu", "3/2", NULL, 0, 0 }, { "leaky:1/2", "1", NULL, 1, 0 },
    { "abs", "1", NULL, 1, 0 }, { "linear", "1/3", NULL, 1, 0 }, { "slopes:2,-1/3", "1", NULL, 1, 0 },
    { "slopes:0,3/2", "1", NULL, 1, 0 }, { "relu", "1", "3", 1, 0 }, { "leaky:1/10", "2", "1/2", 0, 0 },
    { "relu", "1", NULL, 1, 1 }, { "leaky:1/2", "3/2", NULL, 0, 1 }, { "abs", "1", "5/4", 1, 1 },
};
#define N_SPECS ((int) (sizeof(specs) / sizeof(specs[0])))

static void
check_same_input(const conv_spec_t * c, slong depth, ulong n0, const char * x2s)
{
    ntk_conv_t conv;
    ntk_expand_t e;
    ntk_exec_t exec;
    ntk_kernel_t k[3];
    fmpq_t x2, ek, var, en, v1;
    char widths[3][64];
    static const ulong ns[3] = { 5, 7, 11 };
    int ok = 1, i, q;
    conv_set(conv, c);
    ntk_exec_init(exec);
    ntk_expand_init(e);
    fmpq_init(x2); fmpq_init(ek); fmpq_init(var); fmpq_init(en); fmpq_init(v1);
    ntk_rational_set_str(x2, x2s, "x2", NULL);
    ok &= ntk_expand_compute_method(e, depth, n0, x2, conv, NTK_EXPAND_PASS, 0, exec, NULL) == NTK_OK;
    ok &= ntk_expand_coeff(en, e, NTK_E_N2, 0, 0) == NTK_OK;
    for (i = 0; i < 3; i++)
    {
        ntk_kernel_init(k[i]);
        snprintf(widths[i], sizeof(widths[i]), "%lu,%lux%ld,1", n0, ns[i], (long) depth - 1);
        ok &= kernel_of(k[i], widths[i], x2s, x2s, x2s, conv, NTK_KERNEL_FIRST_ORDER);
    }
    for (i = 0; i < 3 && ok; i++)
    {
        /* the infinite width: E[K] without its 2^-n part, at the width (it
           has no 1/n term; the standard parametrization grows with n) */
        ok &= ntk_expand_eval(ek, e, NTK_E_K, ns[i]) == NTK_OK;
        for (q = 0; q < 3; q++)
            ok &= holds(&k[i]->theta[q], ek) && holds(&k[i]->sigma[q], en);
        ok &= arb_is_zero(&k[i]->coeff_sum[NTK_KERNEL_E_KXY]);
        ok &= arb_is_zero(&k[i]->coeff_sum[NTK_KERNEL_E_NXNY]);
        /* every (co)variance of the 2 x 2 NTK is Var K */
        for (q = NTK_KERNEL_VAR_KXY; q < NTK_KERNEL_N_COEFFS; q++)
            if (q != NTK_KERNEL_E_NXNY)
                ok &= same(&k[i]->coeff_sum[q], &k[i]->coeff_sum[NTK_KERNEL_VAR_KXX]);
    }
    if (ok && !c->standard)
    {
        ok &= ntk_expand_coeff(var, e, NTK_VAR_K, 0, -1) == NTK_OK;
        ok &= holds(&k[1]->coeff_sum[NTK_KERNEL_VAR_KXY], var);
    }
    else if (ok)
    {
        /* standard: n sum_l c_l/n_l = alpha n^2 + beta n + gamma, and alpha is
           the coefficient of n of Var_K (the leading one) */
        arb_t f[3], d1, d2;
        for (i = 0; i < 3; i++)
        {
            arb_init(f[i]);
            arb_mul_ui(f[i], &k[i]->first_order[NTK_KERNEL_VAR_KXY], ns[i], PREC);
        }
        arb_init(d1);
        arb_init(d2);
        arb_sub(d1, f[1], f[0], PREC);
        arb_div_ui(d1, d1, ns[1] - ns[0], PREC);
        arb_sub(d2, f[2], f[1], PREC);
        arb_div_ui(d2, d2, ns[2] - ns[1], PREC);
        arb_sub(d2, d2, d1, PREC);
        arb_div_ui(d2, d2, ns[2] - ns[0], PREC);
        ok &= ntk_expand_coeff(v1, e, NTK_VAR_K, 0, 1) == NTK_OK;
        ok &= arb_contains_fmpq(d2, v1) && arb_rel_accuracy_bits(d2) > 100;
        for (i = 0; i < 3; i++)
            arb_clear(f[i]);
        arb_clear(d1);
        arb_clear(d2);
    }
    tap_ok(ok, "x' = x, %s, %s, depth %ld, n0 %lu, x2 %s: Theta, Sigma, every coefficient = the "
           "exact one-input values", c->act, c->standard ? "standard" : c->bias ? "ntk" : "ntk, no bias",
           (long) depth, n0, x2s);
    for (i = 0; i < 3; i++)
        ntk_kernel_clear(k[i]);
    ntk_expand_clear(e);
    ntk_exec_clear(exec);
    ntk_conv_clear(conv);
    fmpq_clear(x2); fmpq_clear(ek); fmpq_clear(var); fmpq_clear(en); fmpq_clear(v1);
}

/* ------------------------------------------------ homogeneity and symmetry */

/* K(c1 x, c2 x') against K(x, x') (no biases), every value and layer. */
static void
check_homogeneous(const char * act, const char * widths, const char * x2, const char * y2,
                  const char * xy, const char * c1s, const char * c2s)
{
    conv_spec_t cs = { act, "1", NULL, 0, 0 };
    ntk_conv_t conv;
    ntk_kernel_t k, h;
    fmpq_t c1, c2, a, b, g, f[NTK_KERNEL_N_COEFFS], s[3];
    char sx2[64], sy2[64], sxy[64];
    static const int pw1[NTK_KERNEL_N_COEFFS] = { 1, 2, 2, 1, 4, 0, 3, 1 };
    static const int pw2[NTK_KERNEL_N_COEFFS] = { 1, 2, 2, 1, 0, 4, 1, 3 };
    int q, ok = 1;
    slong l;
    char * t;
    conv_set(conv, &cs);
    ntk_kernel_init(k); ntk_kernel_init(h);
    fmpq_init(c1); fmpq_init(c2); fmpq_init(a); fmpq_init(b); fmpq_init(g);
    ntk_rational_set_str(c1, c1s, "c", NULL);
    ntk_rational_set_str(c2, c2s, "c", NULL);
    ntk_rational_set_str(a, x2, "x", NULL);
    fmpq_mul(a, a, c1); fmpq_mul(a, a, c1);
    t = ntk_rational_get_str(a); snprintf(sx2, sizeof(sx2), "%s", t); flint_free(t);
    ntk_rational_set_str(b, y2, "y", NULL);
    fmpq_mul(b, b, c2); fmpq_mul(b, b, c2);
    t = ntk_rational_get_str(b); snprintf(sy2, sizeof(sy2), "%s", t); flint_free(t);
    ntk_rational_set_str(g, xy, "xy", NULL);
    fmpq_mul(g, g, c1); fmpq_mul(g, g, c2);
    t = ntk_rational_get_str(g); snprintf(sxy, sizeof(sxy), "%s", t); flint_free(t);
    ok &= kernel_of(k, widths, x2, y2, xy, conv, NTK_KERNEL_PER_LAYER);
    ok &= kernel_of(h, widths, sx2, sy2, sxy, conv, NTK_KERNEL_PER_LAYER);
    for (q = 0; q < 3; q++)
        fmpq_init(s[q]);
    fmpq_mul(s[0], c1, c1); fmpq_mul(s[1], c1, c2); fmpq_mul(s[2], c2, c2);
    for (q = 0; q < 3 && ok; q++)
        ok &= scaled(&h->theta[q], &k->theta[q], s[q]) && scaled(&h->sigma[q], &k->sigma[q], s[q]);
    for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
    {
        fmpq_init(f[q]);
        fmpq_pow_si(f[q], c1, pw1[q]);
        fmpq_pow_si(a, c2, pw2[q]);
        fmpq_mul(f[q], f[q], a);
        for (l = 0; l < k->n_hidden && ok; l++)
            ok &= scaled(h->coeff[q] + l, k->coeff[q] + l, f[q]);
        fmpq_clear(f[q]);
    }
    tap_ok(ok, "%s, no biases, widths %s: K(%s x, %s x') = %s %s K(x, x'), every coefficient and "
           "layer (x2 %s, y2 %s, xy %s)", act, widths, c1s, c2s, c1s, c2s, x2, y2, xy);
    for (q = 0; q < 3; q++)
        fmpq_clear(s[q]);
    ntk_kernel_clear(k); ntk_kernel_clear(h); ntk_conv_clear(conv);
    fmpq_clear(c1); fmpq_clear(c2); fmpq_clear(a); fmpq_clear(b); fmpq_clear(g);
}

/* linear and |x| at x' = -x */
static void
check_odd_even(const char * widths)
{
    conv_spec_t lin = { "linear", "1", NULL, 0, 0 }, lin_b = { "slopes:3/2,3/2", "1", NULL, 1, 0 };
    conv_spec_t ab = { "abs", "1", NULL, 0, 0 };
    ntk_conv_t conv;
    ntk_kernel_t k, m, z;
    fmpq_t neg;
    slong l;
    int ok = 1, q;
    ntk_kernel_init(k); ntk_kernel_init(m); ntk_kernel_init(z);
    fmpq_init(neg);
    fmpq_set_si(neg, -1, 1);
    /* linear, no biases: K(x, -x) = -K(x, x) pathwise */
    conv_set(conv, &lin);
    ok &= kernel_of(k, widths, "2", "2", "2", conv, NTK_KERNEL_PER_LAYER);
    ok &= kernel_of(m, widths, "2", "2", "-2", conv, NTK_KERNEL_PER_LAYER);
    ok &= scaled(&m->theta[1], &k->theta[0], neg) && scaled(&m->sigma[1], &k->sigma[0], neg);
    for (l = 0; l < k->n_hidden && ok; l++)
    {
        ok &= arb_is_zero(m->coeff[NTK_KERNEL_E_KXY] + l);
        ok &= same(m->coeff[NTK_KERNEL_VAR_KXY] + l, k->coeff[NTK_KERNEL_VAR_KXX] + l);
        ok &= same(m->coeff[NTK_KERNEL_COV_KXX_KYY] + l, k->coeff[NTK_KERNEL_VAR_KXX] + l);
        ok &= scaled(m->coeff[NTK_KERNEL_COV_KXX_KXY] + l, k->coeff[NTK_KERNEL_VAR_KXX] + l, neg);
    }
    tap_ok(ok, "linear, no biases, widths %s: K(x, -x) = -K(x, x): Theta, Sigma, E[K] (no 1/n term), "
           "Var, Cov(K(x,x), K(-x,-x)) = Var, Cov(K(x,x), K(x,-x)) = -Var, per layer", widths);
    ntk_conv_clear(conv);
    /* linear with biases: K(x,-x) = -K_w + K_b, K(x,x) = K_w + K_b, K_b = K(0,0):
       Theta(x,-x) + Theta(x,x) = 2 Theta(0,0) and
       Var K(x,-x) - Var K(x,x) = -4 (Cov(K(x,x), K(0,0)) - Var K(0,0)) */
    conv_set(conv, &lin_b);
    ok = kernel_of(k, widths, "2", "2", "2", conv, NTK_KERNEL_PER_LAYER);
    ok &= kernel_of(m, widths, "2", "2", "-2", conv, NTK_KERNEL_PER_LAYER);
    ok &= kernel_of(z, widths, "2", "0", "0", conv, NTK_KERNEL_PER_LAYER);
    if (ok)
    {
        arb_t s, t;
        arb_init(s); arb_init(t);
        arb_add(s, &m->theta[1], &k->theta[0], PREC);
        arb_mul_2exp_si(t, &z->theta[2], 1);
        ok &= same(s, t);
        for (l = 0; l < k->n_hidden && ok; l++)
        {
            arb_sub(s, m->coeff[NTK_KERNEL_VAR_KXY] + l, k->coeff[NTK_KERNEL_VAR_KXX] + l, PREC);
            arb_sub(t, z->coeff[NTK_KERNEL_COV_KXX_KYY] + l, z->coeff[NTK_KERNEL_VAR_KYY] + l, PREC);
            arb_mul_si(t, t, -4, PREC);
            ok &= same(s, t) && !arb_is_zero(z->coeff[NTK_KERNEL_VAR_KYY] + l);
        }
        arb_clear(s); arb_clear(t);
    }
    tap_ok(ok, "linear (slope 3/2) with biases, widths %s: Theta(x,-x) + Theta(x,x) = 2 Theta(0,0), "
           "Var K(x,-x) - Var K(x,x) = -4 (Cov(K(x,x),K(0,0)) - Var K(0,0)) per layer", widths);
    ntk_conv_clear(conv);
    /* |x|, no biases: K(x, -x) = K(x, x) (the activations agree, delta_1 flips) */
    conv_set(conv, &ab);
    ok = kernel_of(k, widths, "2", "2", "2", conv, NTK_KERNEL_PER_LAYER);
    ok &= kernel_of(m, widths, "2", "2", "-2", conv, NTK_KERNEL_PER_LAYER);
    for (q = 0; q < 3 && ok; q++)
        ok &= same(&m->theta[q], &k->theta[q]) && same(&m->sigma[q], &k->sigma[q]);
    for (q = 0; q < NTK_KERNEL_N_COEFFS && ok; q++)
        for (l = 0; l < k->n_hidden && ok; l++)
            ok &= same(m->coeff[q] + l, k->coeff[q] + l);
    tap_ok(ok, "|x|, no biases, widths %s: K(x, -x) = K(x, x) for every coefficient and layer", widths);
    ntk_conv_clear(conv);
    ntk_kernel_clear(k); ntk_kernel_clear(m); ntk_kernel_clear(z);
    fmpq_clear(neg);
}

/* ------------------------------------------------ depth 2: Cho and Saul */

/* J_n(theta), the arc-cosine kernels of Cho and Saul: E[r(u)^n r(v)^n] =
   (q_u q_v)^(n/2) J_n(theta) / (2 pi), r(u) = max(u, 0), r^0 the step. */
static void
arccos_kernel(arb_t res, int n, const arb_t theta)
{
    arb_t pi, s, c, pmt, t;
    arb_init(pi); arb_init(s); arb_init(c); arb_init(pmt); arb_init(t);
    arb_const_pi(pi, PREC);
    arb_sin_cos(s, c, theta, PREC);
    arb_sub(pmt, pi, theta, PREC);
    if (n == 0)
        arb_set(res, pmt);
    else if (n == 1)
    {
        arb_mul(t, pmt, c, PREC);
        arb_add(res, s, t, PREC);
    }
    else
    {
        arb_mul(t, s, c, PREC);
        arb_mul_ui(t, t, 3, PREC);
        arb_sqr(res, c, PREC);
        arb_mul_2exp_si(res, res, 1);
        arb_add_ui(res, res, 1, PREC);
        arb_mul(res, res, pmt, PREC);
        arb_add(res, res, t, PREC);
    }
    arb_clear(pi); arb_clear(s); arb_clear(c); arb_clear(pmt); arb_clear(t);
}

/* E[F(u) F(v)], F(u) = al[+] r(u)^n + al[-] r(-u)^n (su and tv have the angle
   theta when s = t, pi - theta otherwise). */
static void
sign_sum(arb_t res, int n, const arb_t al_p, const arb_t al_m, const arb_t theta, const arb_t qq)
{
    arb_t pi, th2, j, t;
    arb_init(pi); arb_init(th2); arb_init(j); arb_init(t);
    arb_const_pi(pi, PREC);
    arb_sub(th2, pi, theta, PREC);
    arb_zero(res);
    arccos_kernel(j, n, theta);                    /* (+,+) and (-,-) */
    arb_mul(t, al_p, al_p, PREC);
    arb_addmul(t, al_m, al_m, PREC);
    arb_addmul(res, t, j, PREC);
    arccos_kernel(j, n, th2);                      /* (+,-) and (-,+) */
    arb_mul(t, al_p, al_m, PREC);
    arb_mul_2exp_si(t, t, 1);
    arb_addmul(res, t, j, PREC);
    arb_pow_ui(t, qq, n, PREC);
    arb_sqrt(t, t, PREC);                          /* (q_u q_v)^(n/2) */
    arb_mul(res, res, t, PREC);
    arb_div(res, res, pi, PREC);
    arb_mul_2exp_si(res, res, -1);
    arb_clear(pi); arb_clear(th2); arb_clear(j); arb_clear(t);
}

/* Depth 2, widths n0, n1, 1: K = lb + (c2/n1) sum_k X_k, X = mu2 sigma(u) sigma(v)
   + W^2 sigma'(u) sigma'(v) Theta1 with Theta1 = lb + mu1 c1 xy / n0, so that
   E[K] = lb + c2 E[X] and Var K = c2^2 Var X / n1 exactly.  sigma(u) = a+ r(u)
   - a- r(-u), sigma'(u) = a+ r^0(u) + a- r^0(-u), sigma sigma' = a+^2 r(u) -
   a-^2 r(-u), sigma^2 = a+^2 r(u)^2 + a-^2 r(-u)^2, sigma'^2 likewise. */
/* lb + c2 E[X] (ex) and c2^2 Var X (var) for depth 2 from the arc-cosine kernels. */
static void
depth2_closed_form(arb_t ex, arb_t var, const ntk_conv_t conv, const conv_spec_t * c, ulong n0,
                   const fmpq_t x2, const fmpq_t y2, const fmpq_t xy)
{
    arb_t ap, am, ap2, am2, nam, nam2, th, qq, mu1, mu2, c1, c2, T1, t, u, lb;
    arb_init(ap); arb_init(am); arb_init(ap2); arb_init(am2); arb_init(nam); arb_init(nam2);
    arb_init(th); arb_init(qq); arb_init(mu1); arb_init(mu2); arb_init(c1); arb_init(c2);
    arb_init(T1); arb_init(t); arb_init(u); arb_init(lb);
    arb_set_fmpq(ap, conv->a_plus, PREC);
    arb_set_fmpq(am, conv->a_minus, PREC);
    arb_neg(nam, am);
    arb_sqr(ap2, ap, PREC);
    arb_sqr(am2, am, PREC);
    arb_neg(nam2, am2);
    arb_set_fmpq(c1, conv->cw_hidden, PREC);
    arb_set_fmpq(c2, conv->cw_output, PREC);
    arb_set_si(lb, c->bias);
    arb_one(mu1);
    arb_one(mu2);
    if (c->standard)
    {
        arb_set_ui(mu1, n0);
        arb_div(mu1, mu1, c1, PREC);
        arb_set_ui(mu2, 13);
        arb_div(mu2, mu2, c2, PREC);
    }
    /* the layer-1 covariance: q_u q_v = (c1/n0)^2 x2 y2, angle from x.x' */
    arb_set_fmpq(qq, x2, PREC);
    arb_set_fmpq(t, y2, PREC);
    arb_mul(qq, qq, t, PREC);
    arb_sqrt(t, qq, PREC);
    arb_set_fmpq(u, xy, PREC);
    arb_div(u, u, t, PREC);
    arb_acos(th, u, PREC);
    arb_div_ui(t, c1, n0, PREC);
    arb_sqr(t, t, PREC);
    arb_mul(qq, qq, t, PREC);
    arb_set_fmpq(T1, xy, PREC);
    arb_mul(T1, T1, c1, PREC);
    arb_div_ui(T1, T1, n0, PREC);
    arb_mul(T1, T1, mu1, PREC);
    arb_add(T1, T1, lb, PREC);
    /* E[X] = mu2 E[sigma sigma] + Theta1 E[sigma' sigma'] */
    sign_sum(ex, 1, ap, nam, th, qq);
    arb_mul(ex, ex, mu2, PREC);
    sign_sum(t, 0, ap, am, th, qq);
    arb_addmul(ex, t, T1, PREC);
    /* E[X^2] = mu2^2 E[s^2 s^2] + 2 mu2 Theta1 E[s s' s s'] + 3 Theta1^2 E[s'^2 s'^2] */
    sign_sum(var, 2, ap2, am2, th, qq);
    arb_mul(var, var, mu2, PREC);
    arb_mul(var, var, mu2, PREC);
    sign_sum(t, 1, ap2, nam2, th, qq);
    arb_mul(t, t, mu2, PREC);
    arb_mul(t, t, T1, PREC);
    arb_addmul_ui(var, t, 2, PREC);
    sign_sum(t, 0, ap2, am2, th, qq);
    arb_mul(t, t, T1, PREC);
    arb_mul(t, t, T1, PREC);
    arb_addmul_ui(var, t, 3, PREC);
    arb_submul(var, ex, ex, PREC);
    arb_sqr(t, c2, PREC);
    arb_mul(var, var, t, PREC);                    /* c2^2 Var X */
    arb_mul(ex, ex, c2, PREC);
    arb_add(ex, ex, lb, PREC);                     /* lb + c2 E[X] */
    arb_clear(ap); arb_clear(am); arb_clear(ap2); arb_clear(am2); arb_clear(nam); arb_clear(nam2);
    arb_clear(th); arb_clear(qq); arb_clear(mu1); arb_clear(mu2); arb_clear(c1); arb_clear(c2);
    arb_clear(T1); arb_clear(t); arb_clear(u); arb_clear(lb);
}

/* Depth 2, widths n0, 13, 1: K = lb + (c2/n1) sum_k X_k, X = mu2 sigma(u) sigma(v)
   + W^2 sigma'(u) sigma'(v) Theta1 with Theta1 = lb + mu1 c1 xy / n0, so that
   E[K] = lb + c2 E[X] and Var K = c2^2 Var X / n1 exactly.  sigma(u) = a+ r(u)
   - a- r(-u), sigma'(u) = a+ r^0(u) + a- r^0(-u), sigma sigma' = a+^2 r(u) -
   a-^2 r(-u), sigma^2 = a+^2 r(u)^2 + a-^2 r(-u)^2, sigma'^2 likewise. */
static void
check_depth2(const conv_spec_t * c, ulong n0, const char * x2s, const char * y2s, const char * xys)
{
    ntk_conv_t conv;
    ntk_kernel_t k;
    arb_t ex, var;
    fmpq_t x2, y2, xy;
    char widths[64];
    int ok;
    conv_set(conv, c);
    ntk_kernel_init(k);
    arb_init(ex);
    arb_init(var);
    fmpq_init(x2); fmpq_init(y2); fmpq_init(xy);
    ntk_rational_set_str(x2, x2s, "x", NULL);
    ntk_rational_set_str(y2, y2s, "x", NULL);
    ntk_rational_set_str(xy, xys, "x", NULL);
    snprintf(widths, sizeof(widths), "%lu,13,1", n0);
    ok = kernel_of(k, widths, x2s, y2s, xys, conv, NTK_KERNEL_PER_LAYER);
    depth2_closed_form(ex, var, conv, c, n0, x2, y2, xy);
    ok = ok && arb_is_zero(k->coeff[NTK_KERNEL_E_KXY]) && same(&k->theta[1], ex)
         && same(k->coeff[NTK_KERNEL_VAR_KXY], var);
    tap_ok(ok, "depth 2, %s%s%s, n0 %lu, x2 %s, y2 %s, xy %s: E[K(x,x')] has no correction, Var = "
           "Var(one neuron)/n1 by the arc-cosine kernels", c->act, c->bias ? "" : ", no biases",
           c->standard ? ", standard" : "", n0, x2s, y2s, xys);
    arb_clear(ex);
    arb_clear(var);
    fmpq_clear(x2); fmpq_clear(y2); fmpq_clear(xy);
    ntk_kernel_clear(k);
    ntk_conv_clear(conv);
}

/* ------------------------------------------------ the two passes, the angle to 0 */

static void
check_passes(const conv_spec_t * c, const char * widths, const char * x2, const char * y2,
             const char * xy)
{
    ntk_conv_t conv;
    ntk_kernel_t f, r;
    int ok, q;
    conv_set(conv, c);
    ntk_kernel_init(f); ntk_kernel_init(r);
    ok = kernel_of(f, widths, x2, y2, xy, conv, NTK_KERNEL_FIRST_ORDER)
         && kernel_of(r, widths, x2, y2, xy, conv, NTK_KERNEL_PER_LAYER);
    for (q = 0; q < 3 && ok; q++)
        ok &= same(&f->theta[q], &r->theta[q]) && same(&f->sigma[q], &r->sigma[q]);
    for (q = 0; q < NTK_KERNEL_N_COEFFS && ok; q++)
        ok &= same(&f->coeff_sum[q], &r->coeff_sum[q]) && same(&f->first_order[q], &r->first_order[q]);
    tap_ok(ok, "%s, widths %s: the pass up (sums) and the pass down (per layer, A^T) agree", c->act,
           widths);
    ntk_kernel_clear(f); ntk_kernel_clear(r);
    ntk_conv_clear(conv);
}

/* x'_eps with 1 - cos = 10^-30 (theta ~ 1.4e-15) against x' = x: every value
   within 10^-10 relative (the coefficients move like theta). */
static void
check_small_angle(const conv_spec_t * c, const char * widths)
{
    ntk_conv_t conv;
    ntk_kernel_t e, z;
    arb_t d;
    int ok, q;
    conv_set(conv, c);
    ntk_kernel_init(e); ntk_kernel_init(z);
    arb_init(d);
    ok = kernel_of(z, widths, "2", "2", "2", conv, NTK_KERNEL_FIRST_ORDER)
         && kernel_of(e, widths, "2", "2", "1999999999999999999999999999999/1000000000000000000000000000000",
                      conv, NTK_KERNEL_FIRST_ORDER);
    for (q = 0; q < NTK_KERNEL_N_COEFFS && ok; q++)
    {
        arb_sub(d, &e->coeff_sum[q], &z->coeff_sum[q], PREC);
        arb_abs(d, d);
        ok &= arb_rel_accuracy_bits(&e->coeff_sum[q]) > 64 || arb_is_zero(&z->coeff_sum[q]);
        arb_mul_2exp_si(d, d, 33);
        ok &= arb_le(d, &z->coeff_sum[NTK_KERNEL_VAR_KXX]);
    }
    tap_ok(ok, "%s, widths %s: the angle theta -> 0 gives the x' = x coefficients (within 2^-33 at "
           "theta = 1.4e-15; the 1/n recursion cancels there, the balls stay tight)", c->act, widths);
    arb_clear(d);
    ntk_kernel_clear(e); ntk_kernel_clear(z);
    ntk_conv_clear(conv);
}

int
main(void)
{
    static const conv_spec_t two[] = { { "relu", "1", NULL, 1, 0 }, { "leaky:1/2", "3/2", NULL, 0, 0 },
        { "abs", "1", "3", 1, 0 }, { "slopes:2,-1/3", "1", NULL, 1, 1 }, { "slopes:0,3/2", "1/2", NULL, 0, 0 },
        { "linear", "1", NULL, 1, 1 }, { "leaky:1/10", "1", NULL, 1, 0 } };
    int i;
    slong d;
    for (i = 0; i < N_SPECS; i++)
        for (d = 2; d <= 6; d += 2)
            check_same_input(specs + i, d + (i % 2), 1 + (ulong) (i % 4), i % 3 ? "1" : "7/3");
    check_homogeneous("relu", "3,5,7,4,1", "1", "2", "1/3", "3/2", "2/5");
    check_homogeneous("leaky:1/3", "2,6,6,1", "2", "1", "-1", "3", "1/7");
    check_homogeneous("slopes:0,2", "1,4,9,1", "1", "1", "0", "5", "5");
    check_homogeneous("relu", "3,5,7,4,1", "1", "1", "1", "1", "3/2");
    check_homogeneous("abs", "2,6,6,6,1", "3", "3", "3", "1", "2/3");
    check_odd_even("3,4,5,6,1");
    check_odd_even("1,7,1");
    for (i = 0; i < (int) (sizeof(two) / sizeof(two[0])); i++)
    {
        check_depth2(two + i, 3, "1", "2", "1/2");
        check_depth2(two + i, 1, "3", "1/2", "-1");
        check_depth2(two + i, 2, "1", "1", "1/10");
        check_passes(two + i, "3,5,17,2,9,1", "1", "3", "1/4");
        check_small_angle(two + i, "2,7x5,1");
    }
    flint_cleanup();
    return tap_done();
}
