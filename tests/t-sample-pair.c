/* The two-input sampler (src/lib/sample/sample_pair*.c) against the exact
   answers that exist:
   - x' = x: K(x,x') = K(x,x) = K(x',x') and N(x) = N(x') network by network
     (both methods, bit for bit);
   - full method: K(x,x) is the one-input full method's K of the same
     network (same seed and stream), bit for bit;
   - x' = c x without biases: K(x,cx) = c K(x,x), K(cx,cx) = c^2 K(x,x),
     N(cx) = c N(x) per network (to 1e-10 relative: x' is rounded);
   - linear activation: every estimate against the exact rational moments of
     tests/brute-pair.c (brute force, no code shared) at tiny widths;
   - depth 2: E[K(x,x')] = the infinite-width Theta(x,x') at every width;
   - the full and projected methods agree in law (two-sample z);
   - the planted cross-input bug (x''s backward vector paired with x's
     activations) is caught.
   Every statistical row accepts |z| <= 5.5: for normal estimates a false
   alarm has probability 3.8e-8 per row, about 1e-5 for the ~250 rows here
   (standard errors of (co)variances from fourth moments at >= 20000
   samples; the seeds are fixed, so a run is reproducible).

   NTK_SAMPLE_SCALE = k divides the sample counts by k (tests/valgrind.sh);
   NTK_SAMPLE_SLOW = 1 multiplies them by 10 (make check-long). */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ntkexact.h"
#include "sample/sample.h"
#include "brute-pair.h"
#include "tap.h"

#define ZMAX 5.5

static long scale_down = 1, scale_up = 1;

static slong
scaled(slong samples)
{
    return FLINT_MAX(2, samples * scale_up / scale_down);
}

typedef struct
{
    const char * widths, * activation, * cw_hidden, * cw_output;
    int bias, standard;
}
net_t;

static void
setup(ntk_profile_t p, ntk_conv_t conv, const net_t * c)
{
    ntk_profile_set_str(p, c->widths, NULL);
    ntk_conv_set_activation_str(conv, c->activation, NULL);
    ntk_rational_set_str(conv->cw_hidden, c->cw_hidden, "c", NULL);
    ntk_rational_set_str(conv->cw_output, c->cw_output, "c", NULL);
    conv->bias = c->bias;
    conv->param = c->standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
}

static void
gram(fmpq_t x2, fmpq_t y2, fmpq_t xy, const char * a, const char * b, const char * c)
{
    ntk_rational_set_str(x2, a, "x2", NULL);
    ntk_rational_set_str(y2, b, "y2", NULL);
    ntk_rational_set_str(xy, c, "xy", NULL);
}

static const net_t nets[] = {
    { "3,8,8,1", "relu", "2", "1", 1, 0 },
    { "2,5,7,4,1", "leaky:1/5", "3", "2", 1, 1 },
    { "4,6,6,1", "abs", "1", "1", 0, 0 },
    { "1,9,1", "slopes:3/2,-1/3", "1", "1", 1, 0 },
    { "3,1,6,1", "relu", "2", "1", 1, 0 },
};

/* x' = x and x' = c x, network by network. */
static void
check_identities(void)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    fmpq_t x2, y2, xy;
    double v[40 * NTK_PAIR_N_VALUES];
    size_t c;
    int m, s;
    ntk_profile_init(p); ntk_conv_init(conv);
    fmpq_init(x2); fmpq_init(y2); fmpq_init(xy);
    for (c = 0; c < sizeof(nets) / sizeof(nets[0]); c++)
        for (m = NTK_SAMPLE_FULL; m <= NTK_SAMPLE_PROJECTED; m++)
        {
            int same = 1, homog = 1, ok;
            setup(p, conv, nets + c);
            gram(x2, y2, xy, "3/2", "3/2", "3/2");
            ok = ntk_sample_pair_values(v, p, conv, NTK_LAW_GAUSSIAN, m, x2, y2, xy, 7, 3, 40, NULL)
                 == NTK_OK;
            for (s = 0; s < 40 && ok; s++)
            {
                const double * w = v + s * NTK_PAIR_N_VALUES;
                same &= w[NTK_PAIR_KXY] == w[NTK_PAIR_KXX] && w[NTK_PAIR_KYY] == w[NTK_PAIR_KXX]
                        && w[NTK_PAIR_NX] == w[NTK_PAIR_NY];
            }
            tap_ok(ok && same, "%s %s, %s method, x' = x: K(x,x') = K(x,x) = K(x',x') and "
                   "N(x) = N(x') in each of 40 networks, bit for bit", nets[c].widths,
                   nets[c].activation, ntk_sample_method_name(m));
            /* x' = 3 x without biases: |x'|^2 = 9 x2 */
            conv->bias = 0;
            gram(x2, y2, xy, "2/3", "6", "2");
            ok = ntk_sample_pair_values(v, p, conv, NTK_LAW_GAUSSIAN, m, x2, y2, xy, 11, 0, 40, NULL)
                 == NTK_OK;
            for (s = 0; s < 40 && ok; s++)
            {
                const double * w = v + s * NTK_PAIR_N_VALUES;
                double k = w[NTK_PAIR_KXX];
                homog &= fabs(w[NTK_PAIR_KXY] - 3 * k) <= 1e-10 * fabs(3 * k)
                         && fabs(w[NTK_PAIR_KYY] - 9 * k) <= 1e-10 * fabs(9 * k)
                         && fabs(w[NTK_PAIR_NY] - 3 * w[NTK_PAIR_NX]) <= 1e-10 * fabs(3 * w[NTK_PAIR_NX]);
            }
            tap_ok(ok && homog, "%s %s, %s method, no biases, x' = 3x: K(x,x') = 3 K(x,x), "
                   "K(x',x') = 9 K(x,x), N(x') = 3 N(x) in each of 40 networks (1e-10)",
                   nets[c].widths, nets[c].activation, ntk_sample_method_name(m));
        }
    fmpq_clear(x2); fmpq_clear(y2); fmpq_clear(xy);
    ntk_profile_clear(p); ntk_conv_clear(conv);
}

/* The full method's K(x,x) is the one-input full method's K, network by
   network. */
static void
check_one_input_full(void)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    fmpq_t x2, y2, xy;
    size_t c;
    int s, law;
    ntk_profile_init(p); ntk_conv_init(conv);
    fmpq_init(x2); fmpq_init(y2); fmpq_init(xy);
    for (c = 0; c < sizeof(nets) / sizeof(nets[0]); c++)
        for (law = 0; law < 2; law++)
        {
            _ntk_sample_shape_t sh;
            _ntk_sample_full_t wk;
            _ntk_rng_t rng;
            double v[20 * NTK_PAIR_N_VALUES], one[NTK_N_QUANTITIES];
            ntk_law_t L = law ? NTK_LAW_UNIFORM : NTK_LAW_GAUSSIAN;
            int ok, same = 1;
            setup(p, conv, nets + c);
            gram(x2, y2, xy, "5/4", "5", "-5/2");    /* x' = -2x: any n_0 */
            ok = ntk_sample_pair_values(v, p, conv, L, NTK_SAMPLE_FULL, x2, y2, xy, 99, 5, 20,
                                        NULL) == NTK_OK;
            _ntk_rng_setup();
            _ntk_sample_shape_init(&sh, p, conv, L, x2);
            _ntk_sample_full_init(&wk, &sh);
            for (s = 0; s < 20 && ok; s++)
            {
                _ntk_rng_init(&rng, 99, (ulong) (5 + s));
                _ntk_sample_full_one(one, &wk, &sh, &rng);
                same &= one[NTK_E_K] == v[s * NTK_PAIR_N_VALUES + NTK_PAIR_KXX]
                        && one[NTK_E_N2] == v[s * NTK_PAIR_N_VALUES + NTK_PAIR_NX]
                                            * v[s * NTK_PAIR_N_VALUES + NTK_PAIR_NX];
            }
            _ntk_sample_full_clear(&wk, &sh);
            _ntk_sample_shape_clear(&sh);
            tap_ok(ok && same, "%s %s, %s law: the full method's K(x,x) and N(x)^2 are the "
                   "one-input sampler's of the same 20 networks, bit for bit", nets[c].widths,
                   nets[c].activation, ntk_law_name(L));
        }
    fmpq_clear(x2); fmpq_clear(y2); fmpq_clear(xy);
    ntk_profile_clear(p); ntk_conv_clear(conv);
}

/* |z| <= ZMAX for estimate q against the exact value ex (a double). */
static int
z_ok(const ntk_sample_pair_result_t * r, int q, double ex, double * zout)
{
    double z = (r->mean[q] - ex) / r->std_error[q];
    if (r->std_error[q] == 0.0)
        z = fabs(r->mean[q] - ex) <= 1e-12 * fabs(ex) ? 0.0 : INFINITY;
    if (zout != NULL)
        *zout = z;
    return fabs(z) <= ZMAX;
}

/* The brute force's moment of estimate q (a double) at lambda lam. */
static double
brute_value(const bpair_out_t * out, int q, fmpq * const * lamp, const fmpq_mpoly_ctx_t ctx)
{
    static const int cov_index[NTK_KERNEL_N_COEFFS] = { -1, 4, 2, -1, 0, 8, 1, 5 };
    const fmpq_mpoly_struct * poly;
    fmpq_t a;
    double r;
    if (q < NTK_KERNEL_N_COEFFS && cov_index[q] >= 0)
        poly = out->cov + cov_index[q];
    else if (q == NTK_KERNEL_E_KXY)
        poly = out->e_k + 1;
    else if (q == NTK_KERNEL_E_NXNY)
        poly = out->e_n + 1;
    else if (q == NTK_SAMPLE_PAIR_E_KXX)
        poly = out->e_k;
    else if (q == NTK_SAMPLE_PAIR_E_KYY)
        poly = out->e_k + 2;
    else if (q == NTK_SAMPLE_PAIR_E_NX2)
        poly = out->e_n;
    else
        poly = out->e_n + 2;
    fmpq_init(a);
    fmpq_mpoly_evaluate_all_fmpq(a, poly, lamp, ctx);
    r = fmpq_get_d(a);
    fmpq_clear(a);
    return r;
}

typedef struct
{
    int depth, width[4];
    const char * slope, * cw, * co;
    int bias, standard;
    int x[2][2];
}
lin_t;

/* The brute force's network of L and the same network for the sampler
   (profile, conventions, Gram entries), with the weight factors lambda of
   the parametrization. */
static void
linear_setup(bpair_net_t * net, fmpq * lam, ntk_profile_t p, ntk_conv_t conv, fmpq_t x2,
             fmpq_t y2, fmpq_t xy, const lin_t * L)
{
    ulong w[4];
    char slopes[64];
    int j;
    ntk_rational_set_str(net->slope, L->slope, "a", NULL);
    ntk_rational_set_str(net->cw_hidden, L->cw, "c", NULL);
    ntk_rational_set_str(net->cw_output, L->co, "c", NULL);
    net->bias = L->bias;
    net->depth = L->depth;
    for (j = 0; j <= L->depth; j++)
    {
        net->width[j] = L->width[j];
        w[j] = (ulong) L->width[j];
    }
    for (j = 0; j < 2; j++)
    {
        fmpq_set_si(net->x[0][j], L->x[0][j], 1);
        fmpq_set_si(net->x[1][j], L->x[1][j], 1);
    }
    fmpq_set_si(x2, L->x[0][0] * L->x[0][0] + L->x[0][1] * L->x[0][1], 1);
    fmpq_set_si(y2, L->x[1][0] * L->x[1][0] + L->x[1][1] * L->x[1][1], 1);
    fmpq_set_si(xy, L->x[0][0] * L->x[1][0] + L->x[0][1] * L->x[1][1], 1);
    for (j = 0; j < L->depth; j++)
    {
        if (L->standard)
        {
            fmpq_set_si(lam + j, L->width[j], 1);
            fmpq_div(lam + j, lam + j, j + 1 == L->depth ? net->cw_output : net->cw_hidden);
        }
        else
            fmpq_one(lam + j);
    }
    ntk_profile_set_widths(p, w, L->depth + 1, NULL);
    snprintf(slopes, sizeof(slopes), "slopes:%s,%s", L->slope, L->slope);
    ntk_conv_set_activation_str(conv, slopes, NULL);
    ntk_rational_set_str(conv->cw_hidden, L->cw, "c", NULL);
    ntk_rational_set_str(conv->cw_output, L->co, "c", NULL);
    conv->bias = L->bias;
    conv->param = L->standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
}

/* Linear networks at tiny widths: every estimate against the brute force. */
static void
check_linear(void)
{
    static const lin_t lins[] = {
        { 2, { 2, 3, 1 }, "1", "1", "1", 1, 0, { { 1, 0 }, { 1, 2 } } },
        { 3, { 2, 2, 3, 1 }, "1", "2", "1", 1, 0, { { 2, 1 }, { -1, 1 } } },
        { 3, { 2, 3, 2, 1 }, "1/2", "3", "2", 0, 1, { { 1, 1 }, { 2, -1 } } },
        { 3, { 2, 2, 2, 1 }, "-1", "1", "1", 1, 1, { { 1, 0 }, { -2, 1 } } },
    };
    size_t c;
    int m, q, j;
    for (c = 0; c < sizeof(lins) / sizeof(lins[0]); c++)
    {
        const lin_t * L = lins + c;
        bpair_net_t net;
        bpair_out_t out;
        fmpq_mpoly_ctx_t ctx;
        fmpq lam[4];
        fmpq * lamp[4];
        fmpq_t x2, y2, xy;
        ntk_profile_t p;
        ntk_conv_t conv;
        bpair_net_init(&net);
        fmpq_mpoly_ctx_init(ctx, L->depth, ORD_LEX);
        fmpq_init(x2); fmpq_init(y2); fmpq_init(xy);
        ntk_profile_init(p); ntk_conv_init(conv);
        for (j = 0; j < L->depth; j++)
        {
            fmpq_init(lam + j);
            lamp[j] = lam + j;
        }
        linear_setup(&net, lam, p, conv, x2, y2, xy, L);
        bpair_out_init(&out, ctx);
        bpair_moments(&out, &net, ctx);
        for (m = NTK_SAMPLE_FULL; m <= NTK_SAMPLE_PROJECTED; m++)
        {
            ntk_sample_pair_result_t r;
            ntk_exec_t exec;
            double worst = 0.0, z;
            int ok, all = 1;
            ntk_exec_init(exec);
            exec->threads = 2;
            ok = ntk_sample_pair_run(&r, p, conv, NTK_LAW_GAUSSIAN, m, x2, y2, xy,
                                     scaled(40000), 17 + c, exec, NULL) == NTK_OK;
            for (q = 0; q < NTK_SAMPLE_PAIR_N && ok; q++)
            {
                all &= z_ok(&r, q, brute_value(&out, q, lamp, ctx), &z);
                if (fabs(z) > fabs(worst))
                    worst = z;
            }
            tap_ok(ok && all, "linear slope %s, depth %d, widths %d,%d,..., %s%s, %s method: all %d "
                   "estimates within |z| <= %.1f of the brute force's exact moments (worst %+.2f)",
                   L->slope, L->depth, L->width[0], L->width[1], L->bias ? "biases" : "no biases",
                   L->standard ? ", standard" : "", ntk_sample_method_name(m), NTK_SAMPLE_PAIR_N,
                   ZMAX, worst);
            ntk_exec_clear(exec);
        }
        for (j = 0; j < L->depth; j++)
            fmpq_clear(lam + j);
        bpair_out_clear(&out, ctx);
        fmpq_mpoly_ctx_clear(ctx);
        bpair_net_clear(&net);
        fmpq_clear(x2); fmpq_clear(y2); fmpq_clear(xy);
        ntk_profile_clear(p); ntk_conv_clear(conv);
    }
}

/* Depth 2: E[K(x,x')] and E[N(x)N(x')] are the infinite-width values at
   every width; and the planted cross-input bug moves E[K(x,x')] away. */
static void
check_depth2(void)
{
    static const net_t d2[] = {
        { "3,4,1", "relu", "2", "1", 1, 0 },
        { "2,16,1", "leaky:1/5", "3/2", "2", 0, 0 },
        { "5,3,1", "abs", "1", "1", 1, 1 },
        { "2,64,1", "slopes:1,-1/2", "1", "1", 1, 0 },
    };
    static const char * const geo[][3] = { { "1", "1", "1/2" }, { "2", "1/2", "-9/10" },
                                           { "1", "3", "0" } };
    size_t c, g;
    int m;
    for (c = 0; c < sizeof(d2) / sizeof(d2[0]); c++)
        for (g = 0; g < 3; g++)
        {
            ntk_profile_t p;
            ntk_conv_t conv;
            fmpq_t x2, y2, xy;
            ntk_kernel_t k;
            double theta, sigma, zf = 0.0;
            int ok, all = 1;
            ntk_profile_init(p); ntk_conv_init(conv); ntk_kernel_init(k);
            fmpq_init(x2); fmpq_init(y2); fmpq_init(xy);
            setup(p, conv, d2 + c);
            gram(x2, y2, xy, geo[g][0], geo[g][1], geo[g][2]);
            ok = ntk_kernel_compute(k, p, x2, y2, xy, conv, NTK_KERNEL_INFINITE, 128, NULL, NULL)
                 == NTK_OK;
            theta = arf_get_d(arb_midref(&k->theta[1]), ARF_RND_NEAR);
            sigma = arf_get_d(arb_midref(&k->sigma[1]), ARF_RND_NEAR);
            for (m = NTK_SAMPLE_FULL; m <= NTK_SAMPLE_PROJECTED && ok; m++)
            {
                ntk_sample_pair_result_t r;
                ok = ntk_sample_pair_run(&r, p, conv, NTK_LAW_GAUSSIAN, m, x2, y2, xy,
                                         scaled(20000), 5 + g, NULL, NULL) == NTK_OK;
                all &= ok && z_ok(&r, NTK_KERNEL_E_KXY, theta, NULL)
                       && z_ok(&r, NTK_KERNEL_E_NXNY, sigma, NULL);
            }
            tap_ok(ok && all, "depth 2, %s %s, x2 %s, y2 %s, xy %s: E[K(x,x')] = Theta(x,x') "
                   "and E[N(x)N(x')] = Sigma(x,x') at this width (|z| <= %.1f, both methods)",
                   d2[c].widths, d2[c].activation, geo[g][0], geo[g][1], geo[g][2], ZMAX);
            if (g == 0 && c != 2)
            {
                /* power: the bug pairs delta(x) with a(x') */
                ntk_sample_pair_result_t r;
                ok = _ntk_sample_pair_run(&r, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_PROJECTED, x2,
                                          y2, xy, scaled(20000), 3, NULL,
                                          _NTK_SAMPLE_PAIR_FAULT_CROSS, NULL) == NTK_OK;
                z_ok(&r, NTK_KERNEL_E_KXY, theta, &zf);
                tap_ok(ok && !z_ok(&r, NTK_KERNEL_E_KXY, theta, NULL), "depth 2, %s %s: the "
                       "planted cross-input bug is caught (z = %+.1f)", d2[c].widths,
                       d2[c].activation, zf);
            }
            fmpq_clear(x2); fmpq_clear(y2); fmpq_clear(xy);
            ntk_kernel_clear(k); ntk_profile_clear(p); ntk_conv_clear(conv);
        }
}

/* The two methods agree in law: two-sample z on every estimate. */
static void
check_methods_agree(void)
{
    static const net_t nl[] = {
        { "3,12,12,12,1", "relu", "2", "1", 1, 0 },
        { "2,8,10,1", "slopes:3/2,-1/3", "1", "1", 0, 1 },
        { "4,2,5,1", "leaky:1/10", "2", "1", 1, 0 },
    };
    size_t c;
    int q;
    for (c = 0; c < sizeof(nl) / sizeof(nl[0]); c++)
    {
        ntk_profile_t p;
        ntk_conv_t conv;
        fmpq_t x2, y2, xy;
        ntk_sample_pair_result_t r[2];
        double worst = 0.0;
        int ok, all = 1;
        ntk_profile_init(p); ntk_conv_init(conv);
        fmpq_init(x2); fmpq_init(y2); fmpq_init(xy);
        setup(p, conv, nl + c);
        gram(x2, y2, xy, "1", "2", c == 1 ? "-13/10" : "1/3");
        ok = ntk_sample_pair_run(r, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_FULL, x2, y2, xy,
                                 scaled(20000), 21, NULL, NULL) == NTK_OK
             && ntk_sample_pair_run(r + 1, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_PROJECTED, x2, y2,
                                    xy, scaled(20000), 22, NULL, NULL) == NTK_OK;
        for (q = 0; q < NTK_SAMPLE_PAIR_N && ok; q++)
        {
            double z = (r[0].mean[q] - r[1].mean[q])
                       / sqrt(r[0].std_error[q] * r[0].std_error[q]
                              + r[1].std_error[q] * r[1].std_error[q]);
            all &= fabs(z) <= ZMAX;
            if (fabs(z) > fabs(worst))
                worst = z;
        }
        tap_ok(ok && all, "%s %s: full and projected agree on all %d estimates (two-sample "
               "|z| <= %.1f, worst %+.2f)", nl[c].widths, nl[c].activation, NTK_SAMPLE_PAIR_N,
               ZMAX, worst);
        fmpq_clear(x2); fmpq_clear(y2); fmpq_clear(xy);
        ntk_profile_clear(p); ntk_conv_clear(conv);
    }
}

/* The contract: bad inputs are refused, the result does not depend on the
   threads. */
static void
check_contract(void)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    fmpq_t x2, y2, xy;
    ntk_sample_pair_result_t r[2];
    ntk_exec_t exec;
    ntk_error_t err;
    int ok;
    ntk_profile_init(p); ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(y2); fmpq_init(xy);
    setup(p, conv, nets);
    gram(x2, y2, xy, "1", "1", "2");
    tap_ok(ntk_sample_pair_run(r, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, y2, xy, 10, 0,
                               NULL, &err) == NTK_ERR_RANGE, "xy^2 > x2 y2 is refused (%s)",
           err.message);
    ntk_profile_set_str(p, "1,4,1", NULL);
    gram(x2, y2, xy, "1", "1", "1/2");
    tap_ok(ntk_sample_pair_run(r, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, y2, xy, 10, 0,
                               NULL, &err) == NTK_ERR_RANGE && strcmp(err.param, "xy") == 0,
           "n_0 = 1 with inputs not parallel is refused (%s)", err.message);
    gram(x2, y2, xy, "1", "4", "-2");
    tap_ok(ntk_sample_pair_run(r, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, y2, xy, 10, 0,
                               NULL, &err) == NTK_OK, "n_0 = 1 with x' = -2x is sampled");
    tap_ok(ntk_sample_pair_run(r, p, conv, NTK_LAW_UNIFORM, NTK_SAMPLE_PROJECTED, x2, y2, xy, 10, 0,
                               NULL, &err) == NTK_ERR_RANGE, "projected with uniform weights is "
           "refused");
    setup(p, conv, nets + 1);
    gram(x2, y2, xy, "1", "2", "1/2");
    exec->threads = 1;
    ok = ntk_sample_pair_run(r, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, y2, xy, 3000, 4,
                             exec, NULL) == NTK_OK;
    exec->threads = 3;
    ok &= ntk_sample_pair_run(r + 1, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, y2, xy, 3000,
                              4, exec, NULL) == NTK_OK;
    tap_ok(ok && memcmp(r[0].mean, r[1].mean, sizeof(r[0].mean)) == 0
           && memcmp(r[0].std_error, r[1].std_error, sizeof(r[0].std_error)) == 0
           && r[0].method == NTK_SAMPLE_PROJECTED,
           "1 and 3 threads give the same bits; AUTO runs the projected method");
    fmpq_clear(x2); fmpq_clear(y2); fmpq_clear(xy);
    ntk_profile_clear(p); ntk_conv_clear(conv); ntk_exec_clear(exec);
}

int
main(void)
{
    const char * s = getenv("NTK_SAMPLE_SCALE");
    if (s != NULL && atol(s) > 0)
        scale_down = atol(s);
    s = getenv("NTK_SAMPLE_SLOW");
    if (s != NULL && atol(s) > 0)
        scale_up = 10;
    check_identities();
    check_one_input_full();
    check_contract();
    check_depth2();
    check_linear();
    check_methods_agree();
    flint_cleanup_master();
    return tap_done();
}
