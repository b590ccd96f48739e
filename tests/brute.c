/* Brute force: the averaging lemma (doc/derivation.md, sections 3 and 11)
   summed over explicit neuron indices, for families of up to eight paths.

   For every position of the marks, every path is given an explicit neuron
   at every layer it lives on; a labelling contributes
       x2^(#full/2) * prod_edges (c_i/n_{i-1})^(m/2) mom(m) * (mark factors)
       * [wA prod_hidden prod_neurons A_m + wD prod_hidden prod_neurons a_minus^m]
   when every edge carries an even number m of weights, m being the number of
   paths on the neuron, A_m = (a_plus^m + a_minus^m)/2 and mom(m) the m-th
   moment of the weight law.  The weights of the two cases: a family with a
   full path lives only while the input does (wA = 1{x != 0}); one without
   lives alive with the probability that the layers below its lowest birth
   are alive (wA, for ReLU the dead-layer factor D) and else after a shut
   layer, where every gate is a_minus (wD = 1 - wA; at x = 0, wD = 1).

   The summand is a product of factors of consecutive layers, so for each
   position of the marks the sum over the labellings is taken layer by layer:
   a vector indexed by the tuple of the paths' neurons at layer i (absent
   paths on neuron 0) holds the sum over the layers below.  From each tuple
   every tuple of the next layer whose edges are all even is visited: the
   paths leaving one neuron are relabelled so that every neuron gets an even
   number of them, the two paths of a removed weight or of a newborn bias
   pair get one neuron together. */

#include <string.h>
#include "brute.h"
#include "ntkexact.h"
#include "brute-sum.h"

/* One layer step of one position of the marks: the units relabelled
   together (a group of the paths leaving one neuron, or a pair that takes
   one neuron), the integer tables of the edge moments and the gates, and
   the vectors. */
typedef struct
{
    int w, hidden, n_units;
    int unit_size[MAXP], unit_pair[MAXP], unit_path[MAXP][MAXP];
    fmpz mom[3][2][2];             /* mu4^e4 mu6^e6 mu8^e8, scaled */
    fmpz gate[5][3][2][2];         /* prod A_m over the neurons, scaled */
    const fmpz * val_alive, * val_dead;
    fmpz * next_alive, * next_dead;
    int label[MAXP], count[MAXW], e[3];
    long index, pw[MAXP];
    fmpz_t tmp;
}
bstep_t;

void
brute_net_init(brute_net_t * net)
{
    memset(net, 0, sizeof(*net));
    fmpq_init(net->x2); fmpq_init(net->mu4);
    fmpq_init(net->cw_hidden); fmpq_init(net->cw_output);
    fmpq_init(net->mu6); fmpq_init(net->mu8);
    fmpq_init(net->a_plus); fmpq_init(net->a_minus);
    fmpq_one(net->a_plus);
    fmpq_set_si(net->mu6, 15, 1);
    fmpq_set_si(net->mu8, 105, 1);
}

void
brute_net_clear(brute_net_t * net)
{
    fmpq_clear(net->x2); fmpq_clear(net->mu4);
    fmpq_clear(net->cw_hidden); fmpq_clear(net->cw_output);
    fmpq_clear(net->mu6); fmpq_clear(net->mu8);
    fmpq_clear(net->a_plus); fmpq_clear(net->a_minus);
}

/* The even labellings of k paths by w neurons, built on first use. */
static const even_maps_t *
even_maps(bctx_t * ctx, int k, int w)
{
    even_maps_t * em = &ctx->maps[k][w];
    long total = 1, c;
    int j;
    if (ctx->built[k][w])
        return em;
    for (j = 0; j < k; j++)
        total *= w;
    em->n = 0;
    em->label = flint_malloc(FLINT_MAX(total * k, 1));
    em->heavy = flint_malloc(FLINT_MAX(total * 3, 1));
    for (c = 0; c < total; c++)
    {
        int cnt[MAXW] = { 0 }, lab[MAXP], ok = 1, v;
        long rest = c;
        for (j = 0; j < k; j++)
        {
            lab[j] = (int) (rest % w);
            rest /= w;
            cnt[lab[j]]++;
        }
        for (v = 0; v < w; v++)
            ok &= cnt[v] % 2 == 0;
        if (!ok)
            continue;
        for (j = 0; j < k; j++)
            em->label[em->n * k + j] = (unsigned char) lab[j];
        memset(em->heavy + 3 * em->n, 0, 3);
        for (v = 0; v < w; v++)
            if (cnt[v] >= 4)
                em->heavy[3 * em->n + cnt[v] / 2 - 2]++;
        em->n++;
    }
    ctx->built[k][w] = 1;
    return em;
}

void
bctx_clear(bctx_t * ctx)
{
    int k, w;
    for (k = 0; k <= MAXP; k++)
        for (w = 0; w <= MAXW; w++)
            if (ctx->built[k][w])
            {
                flint_free(ctx->maps[k][w].label);
                flint_free(ctx->maps[k][w].heavy);
            }
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

/* Visits every target labelling from unit u on, adding the factor times the
   source's values into the next vectors. */
static void
step_visit(bctx_t * ctx, bstep_t * st, int u)
{
    int j, v;
    if (u == st->n_units)
    {
        int g[5] = { 0 };
        const fmpz * gate;
        for (v = 0; v < st->w; v++)
            if (st->count[v] > 0)
                g[st->count[v] / 2]++;
        gate = st->hidden ? &st->gate[g[1]][g[2]][g[3]][g[4]] : NULL;
        if (!fmpz_is_zero(st->val_alive))
        {
            if (gate != NULL)
                fmpz_mul(st->tmp, &st->mom[st->e[0]][st->e[1]][st->e[2]], gate);
            else
                fmpz_set(st->tmp, &st->mom[st->e[0]][st->e[1]][st->e[2]]);
            fmpz_addmul(st->next_alive + st->index, st->tmp, st->val_alive);
        }
        if (st->val_dead != NULL && !fmpz_is_zero(st->val_dead))
            fmpz_addmul(st->next_dead + st->index, &st->mom[st->e[0]][st->e[1]][st->e[2]],
                        st->val_dead);
        return;
    }
    if (st->unit_pair[u])
    {
        int a = st->unit_path[u][0], b = st->unit_path[u][1];
        for (v = 0; v < st->w; v++)
        {
            st->count[v] += 2;
            st->index += v * (st->pw[a] + st->pw[b]);
            step_visit(ctx, st, u + 1);
            st->index -= v * (st->pw[a] + st->pw[b]);
            st->count[v] -= 2;
        }
        return;
    }
    {
        int k = st->unit_size[u], c;
        const even_maps_t * em = even_maps(ctx, k, st->w);
        for (c = 0; c < em->n; c++)
        {
            const unsigned char * lab = em->label + c * k;
            for (j = 0; j < k; j++)
            {
                st->count[lab[j]]++;
                st->index += lab[j] * st->pw[st->unit_path[u][j]];
            }
            for (j = 0; j < 3; j++)
                st->e[j] += em->heavy[3 * c + j];
            step_visit(ctx, st, u + 1);
            for (j = 0; j < 3; j++)
                st->e[j] -= em->heavy[3 * c + j];
            for (j = 0; j < k; j++)
            {
                st->count[lab[j]]--;
                st->index -= lab[j] * st->pw[st->unit_path[u][j]];
            }
        }
    }
}

/* The integer tables of layer i and the factors they leave out: the edge
   factor (c/n)^(M/2) (M moving paths), the scales of the tables, and after a
   shut layer a_minus^K (K paths present). */
static void
step_tables(bstep_t * st, fmpq_t scale_alive, fmpq_t scale_dead, const brute_net_t * net,
            int i, int moving, int present)
{
    fmpq vm[3][2][2], vg[5][3][2][2];
    fmpq_t t, a;
    fmpz_t den;
    int e4, e6, e8, g2, g4, g6, g8;
    fmpq_init(t); fmpq_init(a); fmpz_init(den);
    fmpz_one(den);
    for (e4 = 0; e4 < 3; e4++) for (e6 = 0; e6 < 2; e6++) for (e8 = 0; e8 < 2; e8++)
    {
        fmpq * x = &vm[e4][e6][e8];
        fmpq_init(x);
        fmpq_pow_si(x, net->mu4, e4);
        fmpq_pow_si(t, net->mu6, e6);
        fmpq_mul(x, x, t);
        fmpq_pow_si(t, net->mu8, e8);
        fmpq_mul(x, x, t);
        fmpz_lcm(den, den, fmpq_denref(x));
    }
    for (e4 = 0; e4 < 3; e4++) for (e6 = 0; e6 < 2; e6++) for (e8 = 0; e8 < 2; e8++)
    {
        fmpq_mul_fmpz(&vm[e4][e6][e8], &vm[e4][e6][e8], den);
        fmpz_init_set(&st->mom[e4][e6][e8], fmpq_numref(&vm[e4][e6][e8]));
        fmpq_clear(&vm[e4][e6][e8]);
    }
    weight_variance(a, net, i);
    fmpq_pow_si(a, a, moving / 2);
    fmpq_div_fmpz(a, a, den);
    fmpq_mul(scale_alive, scale_alive, a);
    fmpq_mul(scale_dead, scale_dead, a);
    fmpz_one(den);
    for (g2 = 0; g2 < 5; g2++) for (g4 = 0; g4 < 3; g4++) for (g6 = 0; g6 < 2; g6++) for (g8 = 0; g8 < 2; g8++)
    {
        fmpq * x = &vg[g2][g4][g6][g8];
        int m, c[5] = { 0, g2, g4, g6, g8 };
        fmpq_init(x);
        fmpq_one(x);
        for (m = 1; m <= 4; m++)
        {
            gate_average(t, net, 2 * m);
            fmpq_pow_si(t, t, c[m]);
            fmpq_mul(x, x, t);
        }
        fmpz_lcm(den, den, fmpq_denref(x));
    }
    for (g2 = 0; g2 < 5; g2++) for (g4 = 0; g4 < 3; g4++) for (g6 = 0; g6 < 2; g6++) for (g8 = 0; g8 < 2; g8++)
    {
        fmpq * x = &vg[g2][g4][g6][g8];
        fmpq_mul_fmpz(x, x, den);
        fmpz_init_set(&st->gate[g2][g4][g6][g8], fmpq_numref(x));
        fmpq_clear(x);
    }
    if (st->hidden)
    {
        fmpq_div_fmpz(scale_alive, scale_alive, den);
        fmpq_pow_si(t, net->a_minus, present);
        fmpq_mul(scale_dead, scale_dead, t);
    }
    fmpq_clear(t); fmpq_clear(a); fmpz_clear(den);
}

static void
step_tables_clear(bstep_t * st)
{
    int e4, e6, e8, g2, g4, g6, g8;
    for (e4 = 0; e4 < 3; e4++) for (e6 = 0; e6 < 2; e6++) for (e8 = 0; e8 < 2; e8++)
        fmpz_clear(&st->mom[e4][e6][e8]);
    for (g2 = 0; g2 < 5; g2++) for (g4 = 0; g4 < 3; g4++) for (g6 = 0; g6 < 2; g6++) for (g8 = 0; g8 < 2; g8++)
        fmpz_clear(&st->gate[g2][g4][g6][g8]);
}

/* The units of layer i from the source tuple src, or 0 when a removed
   weight's two paths leave different neurons. */
static int
step_units(bstep_t * st, const bsum_t * s, const int * pos, const int * start, int i,
           const int * src)
{
    int removed = 0, k, p, v, wp = MAXW;
    st->n_units = 0;
    for (k = 0; k < s->n_marks; k++)
        if (pos[k] == i)
        {
            if (s->kind[k] == 'w')
            {
                if (src[s->p[k]] != src[s->q[k]])
                    return 0;
                removed |= (1 << s->p[k]) | (1 << s->q[k]);
            }
            st->unit_pair[st->n_units] = 1;
            st->unit_size[st->n_units] = 2;
            st->unit_path[st->n_units][0] = s->p[k];
            st->unit_path[st->n_units++][1] = s->q[k];
        }
    /* the other paths present below, by the neuron they leave */
    for (v = 0; v < wp; v++)
    {
        int n = 0;
        for (p = 0; p < s->n_paths; p++)
            if (start[p] <= i - 1 && !((removed >> p) & 1) && src[p] == v)
                st->unit_path[st->n_units][n++] = p;
        if (n > 0)
        {
            st->unit_pair[st->n_units] = 0;
            st->unit_size[st->n_units++] = n;
        }
    }
    return 1;
}

/* The sum over the labellings for the marks at positions pos, times f (the
   alive case) and f_dead (after a shut layer; NULL when impossible). */
static void
config_sum(fmpq_t res, bctx_t * ctx, const bsum_t * s, const int * pos, const int * start,
           const fmpq_t f, const fmpq_t f_dead)
{
    const brute_net_t * net = ctx->net;
    fmpq_t scale_alive, scale_dead, t;
    fmpz * va, * vd, * na, * nd;
    long size = 1, nsize, idx;
    int i, p, d = net->depth, two = f_dead != NULL;
    bstep_t st;
    fmpq_init(scale_alive); fmpq_init(scale_dead); fmpq_init(t);
    fmpz_init(st.tmp);
    fmpq_set(scale_alive, f);
    if (two)
        fmpq_set(scale_dead, f_dead);
    va = _fmpz_vec_init(1);
    vd = _fmpz_vec_init(1);
    fmpz_one(va);
    fmpz_set_ui(vd, two);
    for (i = 1; i <= d; i++)
    {
        int w = net->width[i], wprev = i == 1 ? 1 : net->width[i - 1], moving = 0, present = 0, k;
        for (p = 0; p < s->n_paths; p++)
        {
            present += start[p] <= i;
            moving += start[p] <= i - 1;
        }
        for (k = 0; k < s->n_marks; k++)
            moving -= 2 * (pos[k] == i && s->kind[k] == 'w');
        st.w = w;
        st.hidden = i < d;
        step_tables(&st, scale_alive, scale_dead, net, i, moving, present);
        for (nsize = 1, p = 0; p < s->n_paths; p++)
        {
            st.pw[p] = nsize;
            nsize *= w;
        }
        na = _fmpz_vec_init(nsize);
        nd = _fmpz_vec_init(two ? nsize : 1);
        st.next_alive = na;
        st.next_dead = nd;
        for (idx = 0; idx < size; idx++)
        {
            int src[MAXP];
            long rest = idx;
            if (fmpz_is_zero(va + idx) && (!two || fmpz_is_zero(vd + idx)))
                continue;
            for (p = 0; p < s->n_paths; p++)
            {
                src[p] = (int) (rest % wprev);
                rest /= wprev;
            }
            if (!step_units(&st, s, pos, start, i, src))
                continue;
            st.val_alive = va + idx;
            st.val_dead = two ? vd + idx : NULL;
            st.index = 0;
            memset(st.count, 0, sizeof(st.count));
            memset(st.e, 0, sizeof(st.e));
            step_visit(ctx, &st, 0);
        }
        step_tables_clear(&st);
        _fmpz_vec_clear(va, size);
        _fmpz_vec_clear(vd, two ? size : 1);
        va = na;
        vd = nd;
        size = nsize;
    }
    /* the output: every path on neuron 0 */
    fmpq_mul_fmpz(res, scale_alive, va);
    if (two)
    {
        fmpq_mul_fmpz(t, scale_dead, vd);
        fmpq_add(res, res, t);
    }
    _fmpz_vec_clear(va, size);
    _fmpz_vec_clear(vd, two ? size : 1);
    fmpz_clear(st.tmp);
    fmpq_clear(scale_alive); fmpq_clear(scale_dead); fmpq_clear(t);
}

/* The factors that do not depend on the neurons: x2 and the mark factors
   (f), and the weights of the alive case (w) and of the case after a shut
   layer (w_dead). */
static void
config_factor(fmpq_t f, fmpq_t w, fmpq_t w_dead, const brute_net_t * net, const bsum_t * s,
              const int * pos, const int * start)
{
    int p, k, n_full = 0, s_low = net->depth + 1, i;
    fmpq_t t;
    fmpq_init(t);
    fmpq_one(f);
    for (p = 0; p < s->n_paths; p++)
    {
        if (start[p] == 0)
            n_full++;
        else if (start[p] < s_low)
            s_low = start[p];
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
    for (k = 0; k < s->n_marks; k++)
    {
        if (s->kind[k] == 'b')
            fmpq_mul_si(f, f, net->bias);
        else if (!net->standard)
        {
            weight_variance(t, net, pos[k]);
            fmpq_mul(f, f, t);
        }
    }
    fmpq_clear(t);
}

/* Non-zero when the marks may sit at these positions: a weight's edge lies
   above where its paths begin, and a path has one edge per layer (no second
   derivative with respect to two weights of one layer on one path). */
static int
config_valid(const bsum_t * s, const int * pos, const int * start)
{
    int j, k;
    for (j = 0; j < s->n_marks; j++)
    {
        if (s->kind[j] == 'w' && (start[s->p[j]] > pos[j] - 1 || start[s->q[j]] > pos[j] - 1))
            return 0;
        for (k = 0; k < j; k++)
            if (s->kind[j] == 'w' && s->kind[k] == 'w' && pos[j] == pos[k]
                && (s->p[j] == s->p[k] || s->p[j] == s->q[k] || s->q[j] == s->p[k]
                    || s->q[j] == s->q[k]))
                return 0;
    }
    return 1;
}

/* Enumerates the positions of marks k, k+1, ... then sums the labellings. */
static void
choose_marks(fmpq_t total, bctx_t * ctx, const bsum_t * s, int * pos, int k)
{
    const brute_net_t * net = ctx->net;
    int r, j, start[MAXP];
    if (k == s->n_marks)
    {
        fmpq_t f, w, w_dead, v;
        for (j = 0; j < s->n_paths; j++)
            start[j] = 0;
        for (j = 0; j < s->n_marks; j++)
            if (s->kind[j] == 'b')
                start[s->p[j]] = start[s->q[j]] = pos[j];
        if (!config_valid(s, pos, start))
            return;
        fmpq_init(f); fmpq_init(w); fmpq_init(w_dead); fmpq_init(v);
        config_factor(f, w, w_dead, net, s, pos, start);
        fmpq_mul(w, w, f);
        fmpq_mul(w_dead, w_dead, f);
        if (!fmpq_is_zero(w) || !fmpq_is_zero(w_dead))
        {
            config_sum(v, ctx, s, pos, start, w, fmpq_is_zero(w_dead) ? NULL : w_dead);
            fmpq_add(total, total, v);
        }
        fmpq_clear(f); fmpq_clear(w); fmpq_clear(w_dead); fmpq_clear(v);
        return;
    }
    for (r = 1; r <= (s->kind[k] == 'w' ? net->depth : net->depth - 1); r++)
    {
        pos[k] = r;
        choose_marks(total, ctx, s, pos, k + 1);
    }
}

void
brute_sum(fmpq_t res, bctx_t * ctx, const bsum_t * s)
{
    int pos[MAXM];
    fmpq_zero(res);
    choose_marks(res, ctx, s, pos, 0);
}
