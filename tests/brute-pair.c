/* Brute force for two inputs of a linear network: exact polynomials in the
   weights and biases, exact derivatives, Gaussian expectations term by term
   (tests/brute-pair.h).  The weights are the scaled ones, What^(l) with
   variance c_l/n_{l-1}, so that E[What^(2m)] = (2m-1)!! (c_l/n_{l-1})^m. */

#include <string.h>
#include "brute-pair.h"

void
bpair_net_init(bpair_net_t * net)
{
    int a, k;
    memset(net, 0, sizeof(*net));
    fmpq_init(net->slope);
    fmpq_init(net->cw_hidden);
    fmpq_init(net->cw_output);
    fmpq_one(net->slope);
    fmpq_one(net->cw_hidden);
    fmpq_one(net->cw_output);
    for (a = 0; a < 2; a++)
        for (k = 0; k < BPAIR_MAX_WIDTH; k++)
            fmpq_init(net->x[a][k]);
}

void
bpair_net_clear(bpair_net_t * net)
{
    int a, k;
    fmpq_clear(net->slope);
    fmpq_clear(net->cw_hidden);
    fmpq_clear(net->cw_output);
    for (a = 0; a < 2; a++)
        for (k = 0; k < BPAIR_MAX_WIDTH; k++)
            fmpq_clear(net->x[a][k]);
}

void
bpair_out_init(bpair_out_t * out, const fmpq_mpoly_ctx_t ctx)
{
    int i;
    for (i = 0; i < 3; i++)
    {
        fmpq_mpoly_init(out->e_k + i, ctx);
        fmpq_mpoly_init(out->e_n + i, ctx);
    }
    for (i = 0; i < 9; i++)
        fmpq_mpoly_init(out->cov + i, ctx);
}

void
bpair_out_clear(bpair_out_t * out, const fmpq_mpoly_ctx_t ctx)
{
    int i;
    for (i = 0; i < 3; i++)
    {
        fmpq_mpoly_clear(out->e_k + i, ctx);
        fmpq_mpoly_clear(out->e_n + i, ctx);
    }
    for (i = 0; i < 9; i++)
        fmpq_mpoly_clear(out->cov + i, ctx);
}

/* The variables: weights What^(l)_{jk}, biases b^(l)_j, then lambda_l. */
typedef struct
{
    const bpair_net_t * net;
    slong w_off[BPAIR_MAX_DEPTH + 1], b_off[BPAIR_MAX_DEPTH + 1], lam_off, nvars;
    int layer_of[256];           /* the layer of each weight variable, 0 for the others */
    fmpq_mpoly_ctx_t ctx;        /* all variables */
}
vars_t;

static void
vars_init(vars_t * v, const bpair_net_t * net)
{
    slong n = 0;
    int l, j, k;
    v->net = net;
    memset(v->layer_of, 0, sizeof(v->layer_of));
    for (l = 1; l <= net->depth; l++)
    {
        v->w_off[l] = n;
        for (j = 0; j < net->width[l]; j++)
            for (k = 0; k < net->width[l - 1]; k++)
                v->layer_of[n++] = l;
    }
    for (l = 1; l <= net->depth; l++)
    {
        v->b_off[l] = n;
        n += net->width[l];
    }
    v->lam_off = n;
    v->nvars = n + net->depth;
    fmpq_mpoly_ctx_init(v->ctx, v->nvars, ORD_LEX);
}

/* E over the weights (the biases at 0) of f, as a polynomial in the lambdas. */
static void
expect(fmpq_mpoly_t res, const fmpq_mpoly_t f, const vars_t * v, const fmpq_mpoly_ctx_t sctx)
{
    const bpair_net_t * net = v->net;
    slong t, i;
    ulong * e = flint_malloc(v->nvars * sizeof(ulong));
    ulong se[BPAIR_MAX_DEPTH];
    fmpq_t c, m, var, old;
    fmpq_init(c);
    fmpq_init(m);
    fmpq_init(var);
    fmpq_init(old);
    fmpq_mpoly_zero(res, sctx);
    for (t = 0; t < fmpq_mpoly_length(f, v->ctx); t++)
    {
        int zero = 0;
        fmpq_mpoly_get_term_exp_ui(e, f, t, v->ctx);
        fmpq_mpoly_get_term_coeff_fmpq(c, f, t, v->ctx);
        for (i = 0; i < v->lam_off && !zero; i++)
        {
            if (e[i] == 0)
                continue;
            if (i >= v->b_off[1] || e[i] % 2)
            {
                zero = 1;      /* a bias (at 0), or an odd moment */
                break;
            }
            {
                int l = v->layer_of[i];
                ulong r;
                fmpq_set_si(m, net->width[l - 1], 1);
                fmpq_div(var, l < net->depth ? net->cw_hidden : net->cw_output, m);
                fmpq_pow_si(m, var, (slong) (e[i] / 2));
                fmpq_mul(c, c, m);
                for (r = e[i] - 1; r > 1; r -= 2)      /* (e - 1)!! */
                    fmpq_mul_ui(c, c, r);
            }
        }
        if (zero)
            continue;
        for (i = 0; i < net->depth; i++)
            se[i] = e[v->lam_off + i];
        fmpq_mpoly_get_coeff_fmpq_ui(old, res, se, sctx);
        fmpq_add(old, old, c);
        fmpq_mpoly_set_coeff_fmpq_ui(res, old, se, sctx);
    }
    flint_free(e);
    fmpq_clear(c);
    fmpq_clear(m);
    fmpq_clear(var);
    fmpq_clear(old);
}

/* N(x_a) as a polynomial: the forward pass with the weights and biases as variables. */
static void
output_poly(fmpq_mpoly_t N, const vars_t * v, int a)
{
    const bpair_net_t * net = v->net;
    fmpq_mpoly_struct prev[BPAIR_MAX_WIDTH], cur[BPAIR_MAX_WIDTH];
    fmpq_mpoly_t t;
    int l, j, k;
    fmpq_mpoly_init(t, v->ctx);
    for (k = 0; k < BPAIR_MAX_WIDTH; k++)
    {
        fmpq_mpoly_init(prev + k, v->ctx);
        fmpq_mpoly_init(cur + k, v->ctx);
    }
    for (k = 0; k < net->width[0]; k++)
        fmpq_mpoly_set_fmpq(prev + k, net->x[a][k], v->ctx);
    for (l = 1; l <= net->depth; l++)
    {
        for (j = 0; j < net->width[l]; j++)
        {
            fmpq_mpoly_gen(cur + j, v->b_off[l] + j, v->ctx);
            for (k = 0; k < net->width[l - 1]; k++)
            {
                fmpq_mpoly_gen(t, v->w_off[l] + j * net->width[l - 1] + k, v->ctx);
                fmpq_mpoly_mul(t, t, prev + k, v->ctx);
                fmpq_mpoly_add(cur + j, cur + j, t, v->ctx);
            }
            if (l < net->depth)
                fmpq_mpoly_scalar_mul_fmpq(cur + j, cur + j, net->slope, v->ctx);
        }
        for (j = 0; j < net->width[l]; j++)
            fmpq_mpoly_swap(prev + j, cur + j, v->ctx);
    }
    fmpq_mpoly_swap(N, prev + 0, v->ctx);
    for (k = 0; k < BPAIR_MAX_WIDTH; k++)
    {
        fmpq_mpoly_clear(prev + k, v->ctx);
        fmpq_mpoly_clear(cur + k, v->ctx);
    }
    fmpq_mpoly_clear(t, v->ctx);
}

/* f with every bias set to 0. */
static void
biases_to_zero(fmpq_mpoly_t f, const vars_t * v)
{
    fmpq_t zero;
    slong i;
    fmpq_init(zero);
    for (i = v->b_off[1]; i < v->lam_off; i++)
        fmpq_mpoly_evaluate_one_fmpq(f, f, i, zero, v->ctx);
    fmpq_clear(zero);
}

/* K(x_a, x_b) at zero biases: sum over the parameters of the products of
   the derivatives, lambda_l (c_l/n_{l-1}) for a weight of layer l. */
static void
ntk_poly(fmpq_mpoly_t K, const fmpq_mpoly_struct * g0, const fmpq_mpoly_struct * g1,
         const vars_t * v)
{
    const bpair_net_t * net = v->net;
    fmpq_mpoly_t t, lam;
    fmpq_t f, n;
    slong i;
    fmpq_mpoly_init(t, v->ctx);
    fmpq_mpoly_init(lam, v->ctx);
    fmpq_init(f);
    fmpq_init(n);
    fmpq_mpoly_zero(K, v->ctx);
    for (i = 0; i < v->lam_off; i++)
    {
        if (i >= v->b_off[1] && !net->bias)
            continue;
        fmpq_mpoly_mul(t, g0 + i, g1 + i, v->ctx);
        if (i < v->b_off[1])
        {
            int l = v->layer_of[i];
            fmpq_set_si(n, net->width[l - 1], 1);
            fmpq_div(f, l < net->depth ? net->cw_hidden : net->cw_output, n);
            fmpq_mpoly_scalar_mul_fmpq(t, t, f, v->ctx);
            fmpq_mpoly_gen(lam, v->lam_off + l - 1, v->ctx);
            fmpq_mpoly_mul(t, t, lam, v->ctx);
        }
        fmpq_mpoly_add(K, K, t, v->ctx);
    }
    fmpq_mpoly_clear(t, v->ctx);
    fmpq_mpoly_clear(lam, v->ctx);
    fmpq_clear(f);
    fmpq_clear(n);
}

void
bpair_moments(bpair_out_t * out, const bpair_net_t * net, const fmpq_mpoly_ctx_t sctx)
{
    vars_t v;
    fmpq_mpoly_struct N[2], K[3], * g[2];
    fmpq_mpoly_t t;
    slong i;
    int a, p, r;
    static const int pa[3] = { 0, 0, 1 }, pb[3] = { 0, 1, 1 };
    vars_init(&v, net);
    fmpq_mpoly_init(t, v.ctx);
    for (a = 0; a < 2; a++)
    {
        fmpq_mpoly_init(N + a, v.ctx);
        output_poly(N + a, &v, a);
        g[a] = flint_malloc(v.lam_off * sizeof(fmpq_mpoly_struct));
        for (i = 0; i < v.lam_off; i++)
        {
            fmpq_mpoly_init(g[a] + i, v.ctx);
            fmpq_mpoly_derivative(g[a] + i, N + a, i, v.ctx);
            biases_to_zero(g[a] + i, &v);
        }
        biases_to_zero(N + a, &v);
    }
    for (p = 0; p < 3; p++)
    {
        fmpq_mpoly_init(K + p, v.ctx);
        ntk_poly(K + p, g[pa[p]], g[pb[p]], &v);
        expect(out->e_k + p, K + p, &v, sctx);
        fmpq_mpoly_mul(t, N + pa[p], N + pb[p], v.ctx);
        expect(out->e_n + p, t, &v, sctx);
    }
    for (p = 0; p < 3; p++)
        for (r = 0; r < 3; r++)
        {
            fmpq_mpoly_t pr;
            fmpq_mpoly_init(pr, sctx);
            fmpq_mpoly_mul(t, K + p, K + r, v.ctx);
            expect(out->cov + 3 * p + r, t, &v, sctx);
            fmpq_mpoly_mul(pr, out->e_k + p, out->e_k + r, sctx);
            fmpq_mpoly_sub(out->cov + 3 * p + r, out->cov + 3 * p + r, pr, sctx);
            fmpq_mpoly_clear(pr, sctx);
        }
    for (a = 0; a < 2; a++)
    {
        for (i = 0; i < v.lam_off; i++)
            fmpq_mpoly_clear(g[a] + i, v.ctx);
        flint_free(g[a]);
        fmpq_mpoly_clear(N + a, v.ctx);
    }
    for (p = 0; p < 3; p++)
        fmpq_mpoly_clear(K + p, v.ctx);
    fmpq_mpoly_clear(t, v.ctx);
    fmpq_mpoly_ctx_clear(v.ctx);
}
