/* Brute force: the averaging lemma (doc/derivation.md, sections 3 and 11)
   summed over explicit neuron indices.

   For every position of the marks, every path is given an explicit neuron
   at every layer it lives on; a configuration contributes
       x2^(#full/2) * prod_edges (c_i/n_{i-1})^(m/2) mom(m) * (mark factors)
       * [wA prod_hidden prod_neurons A_m + wD prod_hidden prod_neurons a_minus^m]
   when every edge carries an even number m of weights, m being the number of
   paths on the neuron and A_m = (a_plus^m + a_minus^m)/2.  The weights of
   the two cases: a family with a full path lives only while the input does
   (wA = 1{x != 0}); one without lives alive with the probability that the
   layers below its lowest birth are alive (wA, for ReLU the dead-layer
   factor D) and else after a shut layer, where every gate is a_minus
   (wD = 1 - wA; at x = 0, wD = 1).  The neurons are chosen layer by layer so
   that odd edges are pruned early. */

#include <string.h>
#include "brute.h"
#include "ntkexact.h"

#define MAXP 4

/* A sum over paths: n_paths paths; mark k ties paths p[k], q[k], as a shared
   removed weight edge ('w') or a common birth neuron ('b'). */
typedef struct
{
    int n_paths, n_marks;
    char kind[2];
    int p[2], q[2];
}
bsum_t;

/* One configuration of mark positions being enumerated. */
typedef struct
{
    const brute_net_t * net;
    const bsum_t * sum;
    int pos[2];                          /* layer of each mark */
    int start[MAXP];                     /* first layer of each path */
    int nu[MAXP][BRUTE_MAX_DEPTH + 1];   /* neuron of path p at layer i */
    fmpq_t total;
}
bconf_t;

void
brute_net_init(brute_net_t * net)
{
    memset(net, 0, sizeof(*net));
    fmpq_init(net->x2); fmpq_init(net->mu4);
    fmpq_init(net->cw_hidden); fmpq_init(net->cw_output);
    fmpq_init(net->a_plus); fmpq_init(net->a_minus);
    fmpq_one(net->a_plus);
}

void
brute_net_clear(brute_net_t * net)
{
    fmpq_clear(net->x2); fmpq_clear(net->mu4);
    fmpq_clear(net->cw_hidden); fmpq_clear(net->cw_output);
    fmpq_clear(net->a_plus); fmpq_clear(net->a_minus);
}

/* The variance c_i / n_{i-1} of the weights of layer i. */
static void
weight_variance(fmpq_t r, const brute_net_t * net, int i)
{
    fmpq_t n;
    fmpq_init(n);
    fmpq_set_si(n, net->width[i - 1], 1);
    fmpq_div(r, i < net->depth ? net->cw_hidden : net->cw_output, n);
    fmpq_clear(n);
}

/* Is weight mark k's edge at layer i? Then path p's weight there is removed. */
static int
removed_at(const bconf_t * cf, int p, int i)
{
    int k;
    for (k = 0; k < cf->sum->n_marks; k++)
        if (cf->sum->kind[k] == 'w' && cf->pos[k] == i
            && (cf->sum->p[k] == p || cf->sum->q[k] == p))
            return 1;
    return 0;
}

/* f <- (a_plus^m + a_minus^m) / 2, the averaged gate of a neuron on m paths. */
static void
gate_average(fmpq_t f, const brute_net_t * net, int m)
{
    fmpq_t t;
    fmpq_init(t);
    fmpq_pow_si(f, net->a_plus, m);
    fmpq_pow_si(t, net->a_minus, m);
    fmpq_add(f, f, t);
    fmpq_div_2exp(f, f, 1);
    fmpq_clear(t);
}

/* The factor of layer i for the neurons chosen so far, in the alive case (f)
   and after a shut layer (g), or 0 (odd edge). */
static int
layer_factor(fmpq_t f, fmpq_t g, const bconf_t * cf, int i)
{
    const brute_net_t * net = cf->net;
    int p, r, k;
    fmpq_t v;
    fmpq_one(f);
    for (k = 0; k < cf->sum->n_marks; k++)
    {
        int a = cf->sum->p[k], b = cf->sum->q[k];
        if (cf->pos[k] != i)
            continue;
        if (cf->nu[a][i] != cf->nu[b][i])
            return 0;
        if (cf->sum->kind[k] == 'w' && cf->nu[a][i - 1] != cf->nu[b][i - 1])
            return 0;
    }
    fmpq_init(v);
    weight_variance(v, net, i);
    for (p = 0; p < cf->sum->n_paths; p++)
    {
        int m = 0, first = 1;
        if (cf->start[p] > i - 1 || removed_at(cf, p, i))
            continue;
        /* count the weights on p's edge; the first path on it pays */
        for (r = 0; r < cf->sum->n_paths; r++)
        {
            if (cf->start[r] > i - 1 || removed_at(cf, r, i))
                continue;
            if (cf->nu[r][i - 1] == cf->nu[p][i - 1] && cf->nu[r][i] == cf->nu[p][i])
            {
                m++;
                first &= (r >= p);
            }
        }
        if (m % 2)
        {
            fmpq_clear(v);
            return 0;
        }
        if (first)
        {
            for (r = 0; r < m / 2; r++)
                fmpq_mul(f, f, v);
            if (m == 4)
                fmpq_mul(f, f, net->mu4);
        }
    }
    fmpq_set(g, f);
    if (i < net->depth)
    {
        /* every path present at a hidden neuron carries its gate */
        for (p = 0; p < cf->sum->n_paths; p++)
        {
            int seen = 0, m = 0;
            if (cf->start[p] > i)
                continue;
            for (r = 0; r < cf->sum->n_paths; r++)
                if (cf->start[r] <= i && cf->nu[r][i] == cf->nu[p][i])
                {
                    m++;
                    seen |= (r < p);
                }
            if (seen)
                continue;
            gate_average(v, net, m);
            fmpq_mul(f, f, v);
            fmpq_pow_si(v, net->a_minus, m);
            fmpq_mul(g, g, v);
        }
    }
    fmpq_clear(v);
    return 1;
}

/* Chooses the neurons of all paths at layer i, then recurses; acc and
   acc_dead are the products so far in the two cases. */
static void
choose_layer(bconf_t * cf, int i, const fmpq_t acc, const fmpq_t acc_dead)
{
    const brute_net_t * net = cf->net;
    int live[MAXP], n_live = 0, p, k, combos = 1, c;
    fmpq_t f, g, next, next_dead;
    if (i > net->depth)
    {
        fmpq_add(cf->total, cf->total, acc);
        fmpq_add(cf->total, cf->total, acc_dead);
        return;
    }
    for (p = 0; p < cf->sum->n_paths; p++)
        if (cf->start[p] <= i)
        {
            live[n_live++] = p;
            combos *= net->width[i];
        }
    fmpq_init(f); fmpq_init(g); fmpq_init(next); fmpq_init(next_dead);
    for (c = 0; c < combos; c++)
    {
        int rest = c;
        for (k = 0; k < n_live; k++)
        {
            cf->nu[live[k]][i] = rest % net->width[i];
            rest /= net->width[i];
        }
        /* the input is x = sqrt(x2) e_1: full paths start on neuron 0 */
        if (i == 0 && c != 0)
            continue;
        if (i > 0 && !layer_factor(f, g, cf, i))
            continue;
        if (i > 0)
        {
            fmpq_mul(next, acc, f);
            fmpq_mul(next_dead, acc_dead, g);
        }
        else
        {
            fmpq_set(next, acc);
            fmpq_set(next_dead, acc_dead);
        }
        if (!fmpq_is_zero(next) || !fmpq_is_zero(next_dead))
            choose_layer(cf, i + 1, next, next_dead);
    }
    fmpq_clear(f); fmpq_clear(g); fmpq_clear(next); fmpq_clear(next_dead);
}

/* The factors that do not depend on the neurons: x2 and the mark factors
   (f), and the weights of the alive case (w) and of the case after a shut
   layer (w_dead). */
static void
config_factor(fmpq_t f, fmpq_t w, fmpq_t w_dead, const bconf_t * cf)
{
    const brute_net_t * net = cf->net;
    int p, k, n_full = 0, s_low = net->depth + 1, i;
    fmpq_t t;
    fmpq_init(t);
    fmpq_one(f);
    for (p = 0; p < cf->sum->n_paths; p++)
    {
        if (cf->start[p] == 0)
            n_full++;
        else if (cf->start[p] < s_low)
            s_low = cf->start[p];
    }
    for (k = 0; k < n_full / 2; k++)
        fmpq_mul(f, f, net->x2);
    if (fmpq_is_zero(net->x2))
    {
        /* x = 0: the full paths vanish, the others start dead */
        fmpq_zero(w);
        fmpq_set_si(w_dead, n_full == 0, 1);
    }
    else if (n_full > 0)
    {
        fmpq_one(w);
        fmpq_zero(w_dead);
    }
    else
    {
        /* alive while the layers below the lowest birth are, each of which
           shuts with 2^-n when a slope is 0; dead otherwise */
        fmpq_one(w);
        if (fmpq_is_zero(net->a_plus) != fmpq_is_zero(net->a_minus))
            for (i = 1; i < s_low; i++)
            {
                fmpq_one(t);
                fmpq_div_2exp(t, t, net->width[i]);
                fmpq_sub_si(t, t, 1);
                fmpq_neg(t, t);
                fmpq_mul(w, w, t);
            }
        fmpq_one(w_dead);
        fmpq_sub(w_dead, w_dead, w);
    }
    for (k = 0; k < cf->sum->n_marks; k++)
    {
        if (cf->sum->kind[k] == 'b')
            fmpq_mul_si(f, f, net->bias);
        else if (!net->standard)
        {
            weight_variance(t, net, cf->pos[k]);
            fmpq_mul(f, f, t);
        }
    }
    fmpq_clear(t);
}

/* Enumerates the positions of marks k, k+1, ... then the neurons. */
static void
choose_marks(bconf_t * cf, int k)
{
    const bsum_t * s = cf->sum;
    int lo, hi, r, j, p;
    if (k == s->n_marks)
    {
        fmpq_t f, w, w_dead;
        for (p = 0; p < s->n_paths; p++)
            cf->start[p] = 0;
        for (j = 0; j < s->n_marks; j++)
            if (s->kind[j] == 'b')
                cf->start[s->p[j]] = cf->start[s->q[j]] = cf->pos[j];
        for (j = 0; j < s->n_marks; j++)
            if (s->kind[j] == 'w' && (cf->start[s->p[j]] > cf->pos[j] - 1
                                      || cf->start[s->q[j]] > cf->pos[j] - 1))
                return;  /* the edge lies below where a path begins */
        /* a path passes through one edge per layer: no second derivative
           with respect to two weights of one layer */
        if (s->n_marks == 2 && s->kind[0] == 'w' && s->kind[1] == 'w'
            && cf->pos[0] == cf->pos[1]
            && (s->p[0] == s->p[1] || s->p[0] == s->q[1]
                || s->q[0] == s->p[1] || s->q[0] == s->q[1]))
            return;
        fmpq_init(f); fmpq_init(w); fmpq_init(w_dead);
        config_factor(f, w, w_dead, cf);
        fmpq_mul(w, w, f);
        fmpq_mul(w_dead, w_dead, f);
        if (!fmpq_is_zero(w) || !fmpq_is_zero(w_dead))
            choose_layer(cf, 0, w, w_dead);
        fmpq_clear(w); fmpq_clear(w_dead);
        fmpq_clear(f);
        return;
    }
    lo = 1;
    hi = s->kind[k] == 'w' ? cf->net->depth : cf->net->depth - 1;
    for (r = lo; r <= hi; r++)
    {
        cf->pos[k] = r;
        choose_marks(cf, k + 1);
    }
}

static void
brute_sum(fmpq_t res, const brute_net_t * net, const bsum_t * s)
{
    bconf_t cf;
    memset(&cf, 0, sizeof(cf));
    cf.net = net;
    cf.sum = s;
    fmpq_init(cf.total);
    choose_marks(&cf, 0);
    fmpq_set(res, cf.total);
    fmpq_clear(cf.total);
}

void
brute_moments(fmpq * out, const brute_net_t * net)
{
    static const bsum_t kw = { 2, 1, { 'w' }, { 0 }, { 1 } };
    static const bsum_t kb = { 2, 1, { 'b' }, { 0 }, { 1 } };
    static const bsum_t kw2 = { 4, 2, { 'w', 'w' }, { 0, 2 }, { 1, 3 } };
    static const bsum_t kb2 = { 4, 2, { 'b', 'b' }, { 0, 2 }, { 1, 3 } };
    static const bsum_t kwkb = { 4, 2, { 'w', 'b' }, { 0, 2 }, { 1, 3 } };
    static const bsum_t dww = { 4, 2, { 'w', 'w' }, { 0, 1 }, { 1, 2 } };
    static const bsum_t dwb = { 4, 2, { 'b', 'w' }, { 0, 1 }, { 1, 2 } };
    static const bsum_t n2 = { 2, 0, { 0 }, { 0 }, { 0 } };
    static const bsum_t n4 = { 4, 0, { 0 }, { 0 }, { 0 } };
    fmpq_t hb, t;
    int lb = net->bias;
    fmpq_init(hb); fmpq_init(t);
    brute_sum(out + NTK_E_KW, net, &kw);
    brute_sum(hb, net, &kb);                      /* hidden biases */
    fmpq_add_si(out + NTK_E_KB, hb, lb);          /* + the output bias */
    fmpq_add(out + NTK_E_K, out + NTK_E_KW, out + NTK_E_KB);
    brute_sum(out + NTK_E_KW2, net, &kw2);
    brute_sum(out + NTK_E_KB2, net, &kb2);        /* (hb + lb)^2 */
    fmpq_mul_si(t, hb, 2 * lb);
    fmpq_add(out + NTK_E_KB2, out + NTK_E_KB2, t);
    fmpq_add_si(out + NTK_E_KB2, out + NTK_E_KB2, lb);
    brute_sum(out + NTK_E_KWKB, net, &kwkb);      /* + lb K_w */
    fmpq_mul_si(t, out + NTK_E_KW, lb);
    fmpq_add(out + NTK_E_KWKB, out + NTK_E_KWKB, t);
    fmpq_mul_si(t, out + NTK_E_KWKB, 2);
    fmpq_add(out + NTK_E_K2, out + NTK_E_KW2, out + NTK_E_KB2);
    fmpq_add(out + NTK_E_K2, out + NTK_E_K2, t);
    fmpq_mul(t, out + NTK_E_K, out + NTK_E_K);
    fmpq_sub(out + NTK_VAR_K, out + NTK_E_K2, t);
    brute_sum(out + NTK_E_DWW, net, &dww);
    brute_sum(out + NTK_E_DWB, net, &dwb);
    fmpq_mul_si(t, out + NTK_E_DWB, 2);
    fmpq_add(t, t, out + NTK_E_DWW);
    fmpq_mul_si(out + NTK_E_DK, t, -2);
    brute_sum(out + NTK_E_N2, net, &n2);
    brute_sum(out + NTK_E_N4, net, &n4);
    fmpq_clear(hb); fmpq_clear(t);
}
