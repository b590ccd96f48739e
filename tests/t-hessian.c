/* The Hessian term of the first SGD update, on explicit tiny networks with
   random rational weights (standard parametrization, masks frozen at the
   forward pass), computed two ways:

   - by exact differentiation: N(theta + t v) is a polynomial in t; its t^2
     coefficient gives g = v' H v for v = grad N restricted to the weights
     (g_ww), to the biases (g_bb), or to all parameters (g_ww + 2 g_wb + g_bb);
   - by the path sums that the engine's marks stand for (doc/derivation.md, section 2):
     g_ww = sum_{e,e'} [paths through e][paths through e and e'][paths
     through e'] with e, e' in different layers (marks W(0,1), W(1,2)), and
     g_wb = sum_{bias j, e} [paths from j][paths from j through e][paths
     through e] (marks b(0,1), W(1,2)).

   They must agree exactly, and g_bb must vanish. */

#include <string.h>
#include <flint/fmpq_poly.h>
#include "ntkexact.h"
#include "tap.h"

#define MAXD 4
#define MAXW 3

typedef struct
{
    int d, n[MAXD + 1];
    fmpq_t w[MAXD + 1][MAXW][MAXW];  /* w[i][j][k]: layer i, from k to j */
    fmpq_t x[MAXW];
    int gate[MAXD + 1][MAXW];        /* 1{z > 0}, hidden layers */
}
net_t;

static void
net_random(net_t * net, flint_rand_t st)
{
    int i, j, k;
    net->d = 1 + (int) n_randint(st, MAXD);
    for (i = 0; i < net->d; i++)
        net->n[i] = 1 + (int) n_randint(st, MAXW);
    net->n[net->d] = 1;
    for (i = 1; i <= net->d; i++)
        for (j = 0; j < MAXW; j++)
            for (k = 0; k < MAXW; k++)
            {
                fmpq_init(net->w[i][j][k]);
                fmpq_set_si(net->w[i][j][k], (slong) n_randint(st, 11) - 5, 1 + n_randint(st, 3));
            }
    for (k = 0; k < MAXW; k++)
    {
        fmpq_init(net->x[k]);
        fmpq_set_si(net->x[k], (slong) n_randint(st, 7) - 3, 1 + n_randint(st, 2));
    }
}

static void
net_clear(net_t * net)
{
    int i, j, k;
    for (i = 1; i <= net->d; i++)
        for (j = 0; j < MAXW; j++)
            for (k = 0; k < MAXW; k++)
                fmpq_clear(net->w[i][j][k]);
    for (k = 0; k < MAXW; k++)
        fmpq_clear(net->x[k]);
}

/* ------------------------------------------------ exact differentiation */

/* Forward pass in Q[t] with weights w + t vw, biases t vb, frozen gates;
   sets the gates first when set_gates.  Returns N(t) in out. */
static void
forward_poly(fmpq_poly_t out, net_t * net, fmpq_t vw[MAXD + 1][MAXW][MAXW],
             fmpq_t vb[MAXD + 1][MAXW], int set_gates)
{
    fmpq_poly_t a[MAXW], z[MAXW], wt;
    int i, j, k;
    for (j = 0; j < MAXW; j++)
    {
        fmpq_poly_init(a[j]); fmpq_poly_init(z[j]);
        if (j < net->n[0])
            fmpq_poly_set_fmpq(a[j], net->x[j]);
    }
    fmpq_poly_init(wt);
    for (i = 1; i <= net->d; i++)
    {
        for (j = 0; j < net->n[i]; j++)
        {
            fmpq_poly_zero(z[j]);
            if (vb)
                fmpq_poly_set_coeff_fmpq(z[j], 1, vb[i][j]);
            for (k = 0; k < net->n[i - 1]; k++)
            {
                fmpq_poly_zero(wt);
                fmpq_poly_set_coeff_fmpq(wt, 0, net->w[i][j][k]);
                if (vw)
                    fmpq_poly_set_coeff_fmpq(wt, 1, vw[i][j][k]);
                fmpq_poly_mul(wt, wt, a[k]);
                fmpq_poly_add(z[j], z[j], wt);
            }
        }
        for (j = 0; j < net->n[i]; j++)
        {
            if (i < net->d && set_gates)
            {
                fmpq_t z0;
                fmpq_init(z0);
                fmpq_poly_get_coeff_fmpq(z0, z[j], 0);
                net->gate[i][j] = fmpq_sgn(z0) > 0;
                fmpq_clear(z0);
            }
            if (i < net->d && !net->gate[i][j])
                fmpq_poly_zero(a[j]);
            else
                fmpq_poly_set(a[j], z[j]);
        }
    }
    fmpq_poly_set(out, a[0]);
    for (j = 0; j < MAXW; j++)
    {
        fmpq_poly_clear(a[j]); fmpq_poly_clear(z[j]);
    }
    fmpq_poly_clear(wt);
}

/* ------------------------------------------------ path sums */

/* The sum over paths from neuron j0 of layer s (s = 0: the input, weighted
   by x) to the output of the product of weights and gates, leaving out the
   weights of the edges skip[r] = (to, from) at the layers r with skip set,
   and only over paths through those edges. */
typedef struct
{
    int on;
    int to, from;
}
skip_t;

static void
path_sum_from(fmpq_t res, const net_t * net, int s, int j, const skip_t * skip, const fmpq_t acc)
{
    int k;
    fmpq_t next;
    if (s > 0 && s < net->d && !net->gate[s][j])
        return;
    if (s == net->d)
    {
        fmpq_add(res, res, acc);
        return;
    }
    fmpq_init(next);
    for (k = 0; k < net->n[s + 1]; k++)
    {
        if (skip[s + 1].on)
        {
            if (skip[s + 1].from != j || skip[s + 1].to != k)
                continue;
            fmpq_set(next, acc);
        }
        else
            fmpq_mul(next, acc, net->w[s + 1][k][j]);
        path_sum_from(res, net, s + 1, k, skip, next);
    }
    fmpq_clear(next);
}

/* Paths from layer s, neuron j (s = 0: all input neurons weighted by x). */
static void
path_sum(fmpq_t res, const net_t * net, int s, int j, const skip_t * skip)
{
    fmpq_t one;
    int k;
    fmpq_init(one);
    fmpq_zero(res);
    if (s == 0)
        for (k = 0; k < net->n[0]; k++)
            path_sum_from(res, net, 0, k, skip, net->x[k]);
    else
    {
        fmpq_one(one);
        path_sum_from(res, net, s, j, skip, one);
    }
    fmpq_clear(one);
}

/* Enumerates the edges: (layer r, to j, from k); returns how many. */
static int
list_edges(const net_t * net, int edge[][3])
{
    int r, j, k, m = 0;
    for (r = 1; r <= net->d; r++)
        for (j = 0; j < net->n[r]; j++)
            for (k = 0; k < net->n[r - 1]; k++)
            {
                edge[m][0] = r; edge[m][1] = j; edge[m][2] = k;
                m++;
            }
    return m;
}

static void
skip_edge(skip_t * skip, const int e[3])
{
    skip[e[0]].on = 1;
    skip[e[0]].to = e[1];
    skip[e[0]].from = e[2];
}

/* g_ww and g_wb by the path sums of the marks, and the gradient. */
static void
path_terms(fmpq_t gww, fmpq_t gwb, const net_t * net, fmpq_t vw[MAXD + 1][MAXW][MAXW],
           fmpq_t vb[MAXD + 1][MAXW])
{
    int edge[MAXD * MAXW * MAXW][3], m = list_edges(net, edge), a, b, s, j;
    skip_t skip[MAXD + 1];
    fmpq_t h, t;
    fmpq_init(h); fmpq_init(t);
    fmpq_zero(gww); fmpq_zero(gwb);
    for (a = 0; a < m; a++)        /* dN/dw_e: paths through e, e removed */
    {
        memset(skip, 0, sizeof(skip));
        skip_edge(skip, edge[a]);
        path_sum(vw[edge[a][0]][edge[a][1]][edge[a][2]], net, 0, 0, skip);
    }
    for (s = 1; s < net->d; s++)   /* dN/db_j: paths born at j */
        for (j = 0; j < net->n[s]; j++)
        {
            memset(skip, 0, sizeof(skip));
            path_sum(vb[s][j], net, s, j, skip);
        }
    for (a = 0; a < m; a++)
        for (b = 0; b < m; b++)
        {
            if (edge[a][0] == edge[b][0])
                continue;           /* one edge per layer per path */
            memset(skip, 0, sizeof(skip));
            skip_edge(skip, edge[a]);
            skip_edge(skip, edge[b]);
            path_sum(h, net, 0, 0, skip);
            fmpq_mul(t, h, vw[edge[a][0]][edge[a][1]][edge[a][2]]);
            fmpq_addmul(gww, t, vw[edge[b][0]][edge[b][1]][edge[b][2]]);
        }
    for (s = 1; s < net->d; s++)
        for (j = 0; j < net->n[s]; j++)
            for (b = 0; b < m; b++)
            {
                if (edge[b][0] <= s)
                    continue;       /* the bias sits below the weight */
                memset(skip, 0, sizeof(skip));
                skip_edge(skip, edge[b]);
                path_sum(h, net, s, j, skip);
                fmpq_mul(t, h, vb[s][j]);
                fmpq_addmul(gwb, t, vw[edge[b][0]][edge[b][1]][edge[b][2]]);
            }
    fmpq_clear(h); fmpq_clear(t);
}

/* The t^2 coefficient times 2: the second directional derivative. */
static void
second_derivative(fmpq_t res, net_t * net, fmpq_t vw[MAXD + 1][MAXW][MAXW],
                  fmpq_t vb[MAXD + 1][MAXW])
{
    fmpq_poly_t p;
    fmpq_poly_init(p);
    forward_poly(p, net, vw, vb, 0);
    fmpq_poly_get_coeff_fmpq(res, p, 2);
    fmpq_mul_2exp(res, res, 1);
    fmpq_poly_clear(p);
}

static int
check_network(net_t * net, int trial)
{
    fmpq_t vw[MAXD + 1][MAXW][MAXW], vb[MAXD + 1][MAXW], zero_w[MAXD + 1][MAXW][MAXW];
    fmpq_t gww, gwb, dww, dall, dbb, n_fwd, n_path;
    fmpq_poly_t p;
    skip_t skip[MAXD + 1];
    fmpq_t kw, kb, lin;
    int i, j, k, ok;
    fmpq_init(kw); fmpq_init(kb); fmpq_init(lin);
    for (i = 0; i <= MAXD; i++)
        for (j = 0; j < MAXW; j++)
        {
            fmpq_init(vb[i][j]);
            for (k = 0; k < MAXW; k++)
            {
                fmpq_init(vw[i][j][k]);
                fmpq_init(zero_w[i][j][k]);
            }
        }
    fmpq_init(gww); fmpq_init(gwb); fmpq_init(dww); fmpq_init(dall); fmpq_init(dbb);
    fmpq_init(n_fwd); fmpq_init(n_path);
    fmpq_poly_init(p);
    forward_poly(p, net, NULL, NULL, 1);          /* N and the gates */
    fmpq_poly_get_coeff_fmpq(n_fwd, p, 0);
    memset(skip, 0, sizeof(skip));
    path_sum(n_path, net, 0, 0, skip);
    path_terms(gww, gwb, net, vw, vb);
    second_derivative(dww, net, vw, NULL);        /* weights only */
    second_derivative(dbb, net, zero_w, vb);      /* biases only */
    second_derivative(dall, net, vw, vb);         /* both */
    fmpq_sub(dall, dall, dww);
    fmpq_sub(dall, dall, dbb);
    fmpq_div_2exp(dall, dall, 1);                 /* the mixed part g_wb */
    ok = fmpq_equal(n_fwd, n_path) && fmpq_equal(gww, dww) && fmpq_equal(gwb, dall)
         && fmpq_is_zero(dbb);
    /* the path-sum gradient is the gradient: d/dt N(theta + t v) = |v|^2,
       that is K_w (standard parametrization) and K_b minus the output bias */
    for (i = 1; i <= net->d; i++)
        for (j = 0; j < net->n[i]; j++)
        {
            for (k = 0; k < net->n[i - 1]; k++)
                fmpq_addmul(kw, vw[i][j][k], vw[i][j][k]);
            fmpq_addmul(kb, vb[i][j], vb[i][j]);
        }
    forward_poly(p, net, vw, NULL, 0);
    fmpq_poly_get_coeff_fmpq(lin, p, 1);
    ok &= fmpq_equal(lin, kw);
    forward_poly(p, net, zero_w, vb, 0);
    fmpq_poly_get_coeff_fmpq(lin, p, 1);
    ok &= fmpq_equal(lin, kb);
    tap_ok(ok, "network %d (depth %d, n_0 = %d, n_1 = %d): N, K_w, K_b, g_ww, g_wb by paths = by differentiation, g_bb = 0",
           trial, net->d, net->n[0], net->n[1]);
    fmpq_poly_clear(p);
    for (i = 0; i <= MAXD; i++)
        for (j = 0; j < MAXW; j++)
        {
            fmpq_clear(vb[i][j]);
            for (k = 0; k < MAXW; k++)
            {
                fmpq_clear(vw[i][j][k]);
                fmpq_clear(zero_w[i][j][k]);
            }
        }
    fmpq_clear(gww); fmpq_clear(gwb); fmpq_clear(dww); fmpq_clear(dall); fmpq_clear(dbb);
    fmpq_clear(n_fwd); fmpq_clear(n_path);
    fmpq_clear(kw); fmpq_clear(kb); fmpq_clear(lin);
    return ok;
}

int
main(void)
{
    flint_rand_t st;
    int trial;
    flint_randinit(st);
    for (trial = 0; trial < 40; trial++)
    {
        net_t net;
        net_random(&net, st);
        check_network(&net, trial);
        net_clear(&net);
    }
    flint_randclear(st);
    flint_cleanup();
    return tap_done();
}
