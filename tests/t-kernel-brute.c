/* The two-input kernels against exact finite-width values
   (doc/derivation.md, section 16).  Without dead layers (biases off, or no
   zero slope) the moments of order 2 are exactly multi-affine in the
   inverse widths u_l = 1/n_l of the hidden layers (checked at a point off
   the fit), so the coefficient of 1/n_l of each is exact from the values at
   u in {1, 1/2}^(d-1):
   - one input (x' = x, and x = x' = 0), per layer, against the exact
     engine (ntk_moments_compute);
   - two inputs of a linear network, per layer and every covariance of the
     2 x 2 NTK, against tests/brute-pair.c (exact polynomials, no code shared
     with the recursion), in both parametrizations. */

#include <stdlib.h>
#include <string.h>
#include "ntkexact.h"
#include "brute-pair.h"
#include "tap.h"

#define PREC 256
#define MAXH 3

static int
holds(const arb_t x, const fmpq_t q)
{
    return arb_contains_fmpq(x, q) && (arb_is_exact(x) || arb_rel_accuracy_bits(x) > 150
                                       || (fmpq_is_zero(q) && mag_cmp_2exp_si(arb_radref(x), -150) < 0));
}

/* The coefficient of u_j of a multi-affine function of h variables from its
   values at the corners u in {1, 1/2}^h (corner c: bit k set means u_k = 1/2):
   f(u) = f0 + f1 u per variable, f1 = 2 (f(1) - f(1/2)), f0 = 2 f(1/2) - f(1). */
static void
corner_coeff(fmpq_t res, const fmpq * val, int h, int j)
{
    int c, k;
    fmpq_t w;
    fmpq_init(w);
    fmpq_zero(res);
    for (c = 0; c < (1 << h); c++)
    {
        fmpq_one(w);
        for (k = 0; k < h; k++)
        {
            int half = (c >> k) & 1;
            if (k == j)
                fmpz_mul_si(fmpq_numref(w), fmpq_numref(w), half ? -2 : 2);
            else
                fmpz_mul_si(fmpq_numref(w), fmpq_numref(w), half ? 2 : -1);
        }
        fmpq_addmul(res, w, val + c);
    }
    fmpq_clear(w);
}

/* The multi-affine fit evaluated at u (to check the model off the corners). */
static void
corner_eval(fmpq_t res, const fmpq * val, int h, const fmpq * u)
{
    int c, k;
    fmpq_t w, t;
    fmpq_init(w);
    fmpq_init(t);
    fmpq_zero(res);
    for (c = 0; c < (1 << h); c++)
    {
        fmpq_one(w);
        for (k = 0; k < h; k++)
        {
            /* Lagrange on the nodes 1 and 1/2: (u - other)/(node - other) */
            int half = (c >> k) & 1;
            fmpq_set_si(t, 1, half ? 1 : 2);
            fmpq_sub(t, u + k, t);
            fmpz_mul_si(fmpq_numref(t), fmpq_numref(t), half ? -2 : 2);
            fmpq_canonicalise(t);
            fmpq_mul(w, w, t);
        }
        fmpq_addmul(res, w, val + c);
    }
    fmpq_clear(w);
    fmpq_clear(t);
}

/* ------------------------------------------------ one input: the exact engine */

static void
check_engine(const char * act, int bias, ulong n0, int h, const char * x2s)
{
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_moments_t m;
    ntk_profile_t p;
    ntk_kernel_t k;
    fmpq val[1 << MAXH], u[MAXH];
    fmpq_t x2, a, pred, ex;
    ulong w[MAXH + 2];
    int c, j, ok = 1, zero;
    ntk_conv_init(conv);
    ntk_conv_set_activation_str(conv, act, NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    conv->bias = bias;
    ntk_exec_init(exec);
    ntk_moments_init(m);
    ntk_profile_init(p);
    ntk_kernel_init(k);
    fmpq_init(x2); fmpq_init(a); fmpq_init(pred); fmpq_init(ex);
    ntk_rational_set_str(x2, x2s, "x2", NULL);
    zero = fmpq_is_zero(x2);
    for (c = 0; c < (1 << h); c++)
    {
        fmpq_init(val + c);
        w[0] = n0;
        for (j = 0; j < h; j++)
            w[j + 1] = ((c >> j) & 1) ? 2 : 1;
        w[h + 1] = 1;
        ok &= ntk_profile_set_widths(p, w, h + 2, NULL) == NTK_OK;
        ok &= ntk_moments_compute(m, p, conv, exec, NULL) == NTK_OK;
        if (zero)
            fmpq_set(val + c, m->at_zero + NTK_VAR_K);
        else
            fmpq_poly_evaluate_fmpq(val + c, m->poly + NTK_VAR_K, x2);
    }
    /* the model off the corners: widths 3, 1, 2, ... */
    for (j = 0; j < h; j++)
    {
        fmpq_init(u + j);
        w[j + 1] = 1 + (ulong) ((j + 2) % 3);
        fmpq_set_si(u + j, 1, (slong) w[j + 1]);
    }
    ok &= ntk_profile_set_widths(p, w, h + 2, NULL) == NTK_OK;
    ok &= ntk_moments_compute(m, p, conv, exec, NULL) == NTK_OK;
    if (zero)
        fmpq_set(ex, m->at_zero + NTK_VAR_K);
    else
        fmpq_poly_evaluate_fmpq(ex, m->poly + NTK_VAR_K, x2);
    corner_eval(pred, val, h, u);
    ok &= fmpq_equal(pred, ex);
    /* the kernel at x' = x (any widths: the NTK parametrization's coefficients do not depend on them) */
    ok &= ntk_kernel_compute(k, p, x2, x2, x2, conv, NTK_KERNEL_PER_LAYER, PREC, NULL, NULL) == NTK_OK;
    for (j = 0; j < h && ok; j++)
    {
        int q;
        corner_coeff(a, val, h, j);
        for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
            if (q != NTK_KERNEL_E_KXY && q != NTK_KERNEL_E_NXNY)
                ok &= holds(k->coeff[q] + j, a);
    }
    tap_ok(ok, "%s%s, widths %lu,u^-1 x %d,1, x = x' with |x|^2 = %s: Var K multi-affine in 1/n_l "
           "(exact at a point off the fit), and every (co)variance's c_l = its exact coefficient of "
           "1/n_l", act, bias ? "" : ", no biases", n0, h, x2s);
    for (c = 0; c < (1 << h); c++)
        fmpq_clear(val + c);
    for (j = 0; j < h; j++)
        fmpq_clear(u + j);
    fmpq_clear(x2); fmpq_clear(a); fmpq_clear(pred); fmpq_clear(ex);
    ntk_kernel_clear(k);
    ntk_profile_clear(p);
    ntk_moments_clear(m);
    ntk_exec_clear(exec);
    ntk_conv_clear(conv);
}

/* ------------------------------------------------ two inputs: the linear brute force */

typedef struct
{
    const char * slope, * cw, * co;
    int bias, standard;
    int x[2][2];           /* the inputs' coordinates (n_0 = 2) */
}
lin_spec_t;

/* quantity q of the kernel as the brute's covariance index, -1 for the means */
static const int cov_index[NTK_KERNEL_N_COEFFS] = { -1, 4, 2, -1, 0, 8, 1, 5 };

/* The kernel of a linear network of slope s->slope at the widths prof_w. */
static int
linear_kernel(ntk_kernel_t k, const lin_spec_t * s, const ulong * prof_w, int d, const fmpq_t x2,
              const fmpq_t y2, const fmpq_t xy)
{
    ntk_conv_t conv;
    ntk_profile_t p;
    char slopes[64];
    int ok;
    ntk_conv_init(conv);
    ntk_profile_init(p);
    snprintf(slopes, sizeof(slopes), "slopes:%s,%s", s->slope, s->slope);
    ntk_conv_set_activation_str(conv, slopes, NULL);
    ntk_rational_set_str(conv->cw_hidden, s->cw, "c", NULL);
    ntk_rational_set_str(conv->cw_output, s->co, "c", NULL);
    conv->bias = s->bias;
    conv->param = s->standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
    ok = ntk_profile_set_widths(p, prof_w, d + 1, NULL) == NTK_OK
         && ntk_kernel_compute(k, p, x2, y2, xy, conv, NTK_KERNEL_PER_LAYER, PREC, NULL, NULL) == NTK_OK;
    ntk_profile_clear(p);
    ntk_conv_clear(conv);
    return ok;
}

/* The brute force's E[K_p] and E[N N] (no gates: the same at every width)
   inside the kernel's Theta and Sigma. */
static int
means_hold(const ntk_kernel_t k, const bpair_out_t * out, fmpq * const * lamp,
           const fmpq_mpoly_ctx_t ctx)
{
    fmpq_t a;
    int q, ok = 1;
    fmpq_init(a);
    for (q = 0; q < 3; q++)
    {
        fmpq_mpoly_evaluate_all_fmpq(a, out->e_k + q, lamp, ctx);
        ok &= holds(&k->theta[q], a);
        fmpq_mpoly_evaluate_all_fmpq(a, out->e_n + q, lamp, ctx);
        ok &= holds(&k->sigma[q], a);
    }
    fmpq_clear(a);
    return ok;
}

/* The multi-affine fit through the corners predicts the value ex at widths w. */
static int
fits(const fmpq * val, int h, const ulong * w, const fmpq_t ex)
{
    fmpq u[MAXH];
    fmpq_t pred;
    int j, ok;
    fmpq_init(pred);
    for (j = 0; j < h; j++)
    {
        fmpq_init(u + j);
        fmpq_set_si(u + j, 1, (slong) w[j]);
    }
    corner_eval(pred, val, h, u);
    ok = fmpq_equal(pred, ex);
    for (j = 0; j < h; j++)
        fmpq_clear(u + j);
    fmpq_clear(pred);
    return ok;
}

/* The brute force's network of the spec (depth d, n_0 = 2; the hidden
   widths are set per point), the kernel's profile, the inputs' Gram entries
   and the weight factors lambda_l of the kernel's parametrization. */
static void
pair_setup(bpair_net_t * net, ulong * prof_w, fmpq * lam, fmpq_t x2, fmpq_t y2, fmpq_t xy,
           const lin_spec_t * s, int d)
{
    int j;
    ntk_rational_set_str(net->slope, s->slope, "a", NULL);
    ntk_rational_set_str(net->cw_hidden, s->cw, "c", NULL);
    ntk_rational_set_str(net->cw_output, s->co, "c", NULL);
    net->bias = s->bias;
    net->depth = d;
    net->width[0] = 2;
    net->width[d] = 1;
    for (j = 0; j < 2; j++)
    {
        fmpq_set_si(net->x[0][j], s->x[0][j], 1);
        fmpq_set_si(net->x[1][j], s->x[1][j], 1);
    }
    fmpq_set_si(x2, s->x[0][0] * s->x[0][0] + s->x[0][1] * s->x[0][1], 1);
    fmpq_set_si(y2, s->x[1][0] * s->x[1][0] + s->x[1][1] * s->x[1][1], 1);
    fmpq_set_si(xy, s->x[0][0] * s->x[1][0] + s->x[0][1] * s->x[1][1], 1);
    prof_w[0] = 2;
    for (j = 1; j < d; j++)
        prof_w[j] = 3 + (ulong) j;
    prof_w[d] = 1;
    for (j = 0; j < d; j++)
    {
        if (s->standard)
        {
            fmpq_set_si(lam + j, (slong) prof_w[j], 1);
            fmpq_div(lam + j, lam + j, j + 1 == d ? net->cw_output : net->cw_hidden);
        }
        else
            fmpq_one(lam + j);
    }
}

static void
check_linear_pair(const lin_spec_t * s, int h)
{
    bpair_net_t net;
    bpair_out_t out;
    fmpq_mpoly_ctx_t ctx;
    fmpq val[NTK_KERNEL_N_COEFFS][1 << MAXH], lam[MAXH + 1];
    fmpq_t a, ex, x2, y2, xy;
    fmpq * lamp[MAXH + 1];
    ntk_kernel_t k;
    ulong w[MAXH + 2], prof_w[MAXH + 2];
    int c, j, q, ok = 1, d = h + 1;
    bpair_net_init(&net);
    fmpq_mpoly_ctx_init(ctx, d, ORD_LEX);
    fmpq_init(a); fmpq_init(ex); fmpq_init(x2); fmpq_init(y2); fmpq_init(xy);
    for (j = 0; j < d; j++)
    {
        fmpq_init(lam + j);
        lamp[j] = lam + j;
    }
    pair_setup(&net, prof_w, lam, x2, y2, xy, s, d);
    for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
        for (c = 0; c < (1 << h); c++)
            fmpq_init(&val[q][c]);
    ntk_kernel_init(k);
    ok &= linear_kernel(k, s, prof_w, d, x2, y2, xy);
    for (c = 0; c <= (1 << h); c++)
    {
        /* the corners, then one point off them */
        for (j = 0; j < h; j++)
            w[j] = c < (1 << h) ? (((c >> j) & 1) ? 2 : 1) : 1 + (ulong) ((j + 2) % 3);
        for (j = 0; j < h; j++)
            net.width[j + 1] = (int) w[j];
        bpair_out_init(&out, ctx);
        bpair_moments(&out, &net, ctx);
        for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
            if (cov_index[q] >= 0)
            {
                fmpq_mpoly_evaluate_all_fmpq(c < (1 << h) ? &val[q][c] : ex, out.cov + cov_index[q],
                                             lamp, ctx);
                if (c == (1 << h))
                    ok &= fits(val[q], h, w, ex);
            }
        if (c == 0)
            ok &= means_hold(k, &out, lamp, ctx);   /* exact at every width */
        bpair_out_clear(&out, ctx);
    }
    for (q = 0; q < NTK_KERNEL_N_COEFFS && ok; q++)
        for (j = 0; j < h && ok; j++)
        {
            if (cov_index[q] < 0)
            {
                ok &= arb_is_zero(k->coeff[q] + j);    /* no gates: the means are exact */
                continue;
            }
            corner_coeff(a, val[q], h, j);
            ok &= holds(k->coeff[q] + j, a);
        }
    tap_ok(ok, "linear slope %s, cw %s/%s%s%s, depth %d, x = (%d,%d), x' = (%d,%d): the brute force "
           "(exact polynomials) gives Theta, Sigma and every covariance's c_l of the 2 x 2 NTK",
           s->slope, s->cw, s->co, s->bias ? "" : ", no biases", s->standard ? ", standard" : "", d,
           s->x[0][0], s->x[0][1], s->x[1][0], s->x[1][1]);
    for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
        for (c = 0; c < (1 << h); c++)
            fmpq_clear(&val[q][c]);
    for (j = 0; j < d; j++)
        fmpq_clear(lam + j);
    fmpq_clear(a); fmpq_clear(ex); fmpq_clear(x2); fmpq_clear(y2); fmpq_clear(xy);
    ntk_kernel_clear(k);
    fmpq_mpoly_ctx_clear(ctx);
    bpair_net_clear(&net);
}

int
main(void)
{
    static const lin_spec_t lin[] = {
        { "1", "1", "1", 1, 0, { { 1, 0 }, { 1, 2 } } },
        { "3/2", "1/2", "2", 1, 0, { { 2, -1 }, { -1, 3 } } },
        { "1", "2", "1", 0, 0, { { 1, 1 }, { 2, -2 } } },
        { "2/3", "1", "3/2", 1, 1, { { 1, 2 }, { 3, 0 } } },
        { "1", "1", "1", 1, 1, { { 0, 0 }, { 1, 1 } } },
        { "1", "3", "1", 1, 0, { { 1, 1 }, { -1, -1 } } },
    };
    int i, quick = getenv("NTK_KERNEL_QUICK") != NULL;    /* valgrind: depth <= 3 */
    check_engine("relu", 0, 2, 2, "1");
    if (!quick)
        check_engine("relu", 0, 3, 3, "5/2");
    check_engine("leaky:1/2", 1, 1, 2, "1");
    check_engine("leaky:1/2", 1, 2, 3, "0");
    check_engine("slopes:2,-1/3", 1, 3, 3, "2");
    check_engine("abs", 1, 2, 2, "1/3");
    check_engine("linear", 1, 2, 3, "0");
    check_engine("linear", 0, 1, 2, "3");
    for (i = 0; i < (int) (sizeof(lin) / sizeof(lin[0])); i++)
    {
        check_linear_pair(lin + i, 1);
        check_linear_pair(lin + i, 2);
    }
    if (!quick)
    {
        check_linear_pair(lin + 1, 3);
        check_linear_pair(lin + 3, 3);
    }
    flint_cleanup();
    return tap_done();
}
