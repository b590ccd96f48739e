/* The brute force's moments: E[K^k] and its parts, the central moments,
   E[N^2k], E_Dww, E_Dwb and the update's second moment, each assembled from
   sums over families of paths (tests/brute.c, brute_sum). */

#include <string.h>
#include "brute-sum.h"
#include "ntkexact.h"

/* The sum E[K_w^a K_b'^b] (hidden biases only): 2(a + b) paths in pairs. */
static void
brute_kwkb(fmpq_t res, bctx_t * ctx, int a, int b)
{
    bsum_t s;
    int k;
    s.n_paths = 2 * (a + b);
    s.n_marks = a + b;
    for (k = 0; k < a + b; k++)
    {
        s.kind[k] = k < a ? 'w' : 'b';
        s.p[k] = 2 * k;
        s.q[k] = 2 * k + 1;
    }
    brute_sum(res, ctx, &s);
}

/* n! / (k! (n-k)!) for small n. */
static slong
choose(int n, int k)
{
    slong r = 1;
    int j;
    for (j = 0; j < k; j++)
        r = r * (n - j) / (j + 1);
    return r;
}

/* E[K^k] and its parts E[K_w^a K_b^(k-a)] from raw[a][j] = E[K_w^a K_b'^j]:
   K_b = K_b' + lb with the output bias lb. */
static void
assemble_powers(fmpq * out, fmpq (* raw)[5], int lb, int order)
{
    static const int part[5][5] = {
        { -1, NTK_E_KB, NTK_E_KB2, NTK_E_KB3, NTK_E_KB4 },
        { NTK_E_KW, NTK_E_KWKB, NTK_E_KWKB2, NTK_E_KWKB3, -1 },
        { NTK_E_KW2, NTK_E_KW2KB, NTK_E_KW2KB2, -1, -1 },
        { NTK_E_KW3, NTK_E_KW3KB, -1, -1, -1 },
        { NTK_E_KW4, -1, -1, -1, -1 }
    };
    static const int power[5] = { -1, NTK_E_K, NTK_E_K2, NTK_E_K3, NTK_E_K4 };
    fmpq_t t;
    int k, a, j;
    fmpq_init(t);
    for (k = 1; k <= order; k++)
    {
        fmpq_zero(out + power[k]);
        for (a = 0; a <= k; a++)
        {
            fmpq * v = out + part[a][k - a];
            fmpq_zero(v);
            for (j = 0; j <= k - a; j++)
            {
                fmpq_mul_si(t, &raw[a][j], choose(k - a, j) * (lb || j == k - a ? 1 : 0));
                fmpq_add(v, v, t);
            }
            fmpq_mul_si(t, v, choose(k, a));
            fmpq_add(out + power[k], out + power[k], t);
        }
    }
    fmpq_clear(t);
}

/* Var, M3, M4 from the raw moments; Skew2, Kurt where Var != 0. */
static void
assemble_central(fmpq * out, int order)
{
    fmpq_t m, t, u;
    fmpq_init(m); fmpq_init(t); fmpq_init(u);
    fmpq_set(m, out + NTK_E_K);
    fmpq_mul(t, m, m);
    fmpq_sub(out + NTK_VAR_K, out + NTK_E_K2, t);
    if (order >= 3)
    {
        /* E[(K - m)^3] = E[K^3] - 3 m E[K^2] + 3 m^2 E[K] - m^3 */
        fmpq_mul(t, m, out + NTK_E_K2);
        fmpq_mul_si(t, t, 3);
        fmpq_sub(out + NTK_M3_K, out + NTK_E_K3, t);
        fmpq_pow_si(t, m, 3);
        fmpq_mul_si(t, t, 2);
        fmpq_add(out + NTK_M3_K, out + NTK_M3_K, t);
        fmpq_zero(out + NTK_SKEW2_K);
        if (!fmpq_is_zero(out + NTK_VAR_K))
        {
            fmpq_mul(t, out + NTK_M3_K, out + NTK_M3_K);
            fmpq_pow_si(u, out + NTK_VAR_K, 3);
            fmpq_div(out + NTK_SKEW2_K, t, u);
        }
    }
    if (order >= 4)
    {
        /* E[(K - m)^4] = E[K^4] - 4 m E[K^3] + 6 m^2 E[K^2] - 3 m^4 */
        fmpq_mul(t, m, out + NTK_E_K3);
        fmpq_mul_si(t, t, 4);
        fmpq_sub(out + NTK_M4_K, out + NTK_E_K4, t);
        fmpq_mul(t, m, m);
        fmpq_mul(t, t, out + NTK_E_K2);
        fmpq_mul_si(t, t, 6);
        fmpq_add(out + NTK_M4_K, out + NTK_M4_K, t);
        fmpq_pow_si(t, m, 4);
        fmpq_mul_si(t, t, 3);
        fmpq_sub(out + NTK_M4_K, out + NTK_M4_K, t);
        fmpq_zero(out + NTK_KURT_K);
        if (!fmpq_is_zero(out + NTK_VAR_K))
        {
            fmpq_mul(u, out + NTK_VAR_K, out + NTK_VAR_K);
            fmpq_div(out + NTK_KURT_K, out + NTK_M4_K, u);
            fmpq_sub_si(out + NTK_KURT_K, out + NTK_KURT_K, 3);
        }
    }
    fmpq_clear(m); fmpq_clear(t); fmpq_clear(u);
}

void
brute_moments_order(fmpq * out, const brute_net_t * net, int order)
{
    static const bsum_t dww = { 4, 2, { 'w', 'w' }, { 0, 1 }, { 1, 2 } };
    static const bsum_t dwb = { 4, 2, { 'b', 'w' }, { 0, 1 }, { 1, 2 } };
    static const int output[5] = { -1, NTK_E_N2, NTK_E_N4, NTK_E_N6, NTK_E_N8 };
    fmpq raw[5][5];
    fmpq_t t;
    bctx_t ctx;
    int a, j, k;
    memset(&ctx, 0, sizeof(ctx));
    ctx.net = net;
    fmpq_init(t);
    for (a = 0; a < 5; a++)
        for (j = 0; j < 5; j++)
        {
            fmpq_init(&raw[a][j]);
            if (a + j == 0)
                fmpq_one(&raw[a][j]);
            else if (a + j <= order && (net->bias || j == 0))
                brute_kwkb(&raw[a][j], &ctx, a, j);
        }
    assemble_powers(out, raw, net->bias, order);
    assemble_central(out, order);
    for (k = 1; k <= order; k++)
    {
        bsum_t n = { 2 * k, 0, { 0 }, { 0 }, { 0 } };
        brute_sum(out + output[k], &ctx, &n);
    }
    brute_sum(out + NTK_E_DWW, &ctx, &dww);
    brute_sum(out + NTK_E_DWB, &ctx, &dwb);
    fmpq_mul_si(t, out + NTK_E_DWB, 2);
    fmpq_add(t, t, out + NTK_E_DWW);
    fmpq_mul_si(out + NTK_E_DK, t, -2);
    for (a = 0; a < 5; a++)
        for (j = 0; j < 5; j++)
            fmpq_clear(&raw[a][j]);
    fmpq_clear(t);
    bctx_clear(&ctx);
}

void
brute_update(fmpq * out, const brute_net_t * net)
{
    /* g = g_ww + 2 g_wb: g_ww the triples (gradient 0, Hessian 1, gradient 2)
       with weights on 0,1 and 1,2; g_wb a bias on 0,1 (both paths born on its
       neuron) and a weight on 1,2; the second triple on paths 3, 4, 5 and N^2
       on paths 6, 7 */
    static const bsum_t sums[6] = {
        { 6, 4, { 'w', 'w', 'w', 'w' }, { 0, 1, 3, 4 }, { 1, 2, 4, 5 } },
        { 6, 4, { 'w', 'w', 'b', 'w' }, { 0, 1, 3, 4 }, { 1, 2, 4, 5 } },
        { 6, 4, { 'b', 'w', 'b', 'w' }, { 0, 1, 3, 4 }, { 1, 2, 4, 5 } },
        { 8, 4, { 'w', 'w', 'w', 'w' }, { 0, 1, 3, 4 }, { 1, 2, 4, 5 } },
        { 8, 4, { 'w', 'w', 'b', 'w' }, { 0, 1, 3, 4 }, { 1, 2, 4, 5 } },
        { 8, 4, { 'b', 'w', 'b', 'w' }, { 0, 1, 3, 4 }, { 1, 2, 4, 5 } }
    };
    static const int weight[3] = { 1, 4, 4 };
    fmpq_t v;
    bctx_t ctx;
    int j;
    memset(&ctx, 0, sizeof(ctx));
    ctx.net = net;
    fmpq_init(v);
    fmpq_zero(out + NTK_E_G2);
    fmpq_zero(out + NTK_E_N2G2);
    for (j = 0; j < 3; j++)
    {
        brute_sum(v, &ctx, sums + j);
        fmpq_mul_si(v, v, weight[j]);
        fmpq_add(out + NTK_E_G2, out + NTK_E_G2, v);
        brute_sum(out + NTK_E_N2GWW2 + j, &ctx, sums + 3 + j);
        fmpq_mul_si(v, out + NTK_E_N2GWW2 + j, weight[j]);
        fmpq_add(out + NTK_E_N2G2, out + NTK_E_N2G2, v);
    }
    fmpq_clear(v);
    bctx_clear(&ctx);
}

void
brute_moments(fmpq * out, const brute_net_t * net)
{
    brute_moments_order(out, net, 2);
}
