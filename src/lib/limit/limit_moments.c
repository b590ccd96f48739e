/* The depth-to-width limits of the moments of order 3 and 4 (E[K^3],
   E[K^4], E[N^6], E[N^8]) from the generator of the continuum states
   (doc/derivation.md, section 8, "The moments of order 3 and 4").

   In the limit only states whose blocks are pairs survive; a state is
   (the marks still to place, the pairing of the present paths).  Per unit
   of t = layer/n, with m present pairs and r = A_4/A_2^2:
     stay        (r - 1) C(m,2)   (-C(m,2) from the falling factorial, r
                                   per pair of pairs that merges into a
                                   4-block and splits back the same way)
     re-pair     r                (the two other pairings of two pairs)
     weight mark 1                (its two paths are a pair of the state)
     bias mark   A_2              (its paths are born as a new pair)
   (limit.c is the case of four paths: -I + r J on the three pairings.)
   Blocks of 6 or 8 paths and the weight moments mu4, mu6, mu8 are
   O(1/n^2) per layer and drop out.  The terms of the powers of K tie the
   paths two by two (disjoint marks), so the future of a state depends only
   on the isomorphism class of the graph whose vertices are the present
   paths, whose edges are the pairs and the pending weight marks, and on
   the number of pending bias marks: chains (with two paths no pending mark
   holds at their ends) and cycles, counted by their numbers of marks.  The
   states of a class have the same rates into every class (the relabellings
   are automorphisms of the chain), so the chain on the classes is exact;
   the start weight of a class is the number of start states in it. */

#include <mpfr.h>
#include <flint/fmpq_mat.h>
#include "base/error.h"
#include "limit.h"
#include "engine/term.h"

#define CLASSES_MAX 64

/* A labelled state: the pending marks and the partner of each present path
   (-1: absent). */
typedef struct
{
    int pending;
    signed char partner[_NTK_MAX_PATHS];
}
cstate_t;

typedef struct
{
    const _ntk_term_t * term;
    int n;
    cstate_t rep[CLASSES_MAX];
    ulong key[CLASSES_MAX];
    slong start[CLASSES_MAX];   /* the number of start states in the class */
}
cspace_t;

/* The path that shares a pending weight mark with p, or -1. */
static int
mark_mate(const _ntk_term_t * term, int pending, int p)
{
    int k;
    for (k = 0; k < term->n_marks; k++)
        if (((pending >> k) & 1) && term->mark[k].kind == _NTK_MARK_WEIGHT)
        {
            if (term->mark[k].p == p)
                return term->mark[k].q;
            if (term->mark[k].q == p)
                return term->mark[k].p;
        }
    return -1;
}

/* The class key: 3 bits each for the pending bias marks, the chains with
   0 .. 4 marks and the cycles with 1 .. 4 marks. */
static ulong
class_key(const _ntk_term_t * term, const cstate_t * s)
{
    int seen[_NTK_MAX_PATHS] = { 0 }, chains[_NTK_MAX_MARKS + 1] = { 0 };
    int cycles[_NTK_MAX_MARKS + 1] = { 0 }, p, k, bias = 0;
    ulong key = 0;
    for (k = 0; k < term->n_marks; k++)
        bias += ((s->pending >> k) & 1) && term->mark[k].kind == _NTK_MARK_BIAS;
    for (p = 0; p < term->n_paths; p++)    /* chains, from a free end */
        if (s->partner[p] >= 0 && !seen[p] && mark_mate(term, s->pending, p) < 0)
        {
            int q = s->partner[p], len = 0;
            seen[p] = 1;
            while (mark_mate(term, s->pending, q) >= 0)
            {
                seen[q] = 1;
                q = mark_mate(term, s->pending, q);
                seen[q] = 1;
                q = s->partner[q];
                len++;
            }
            seen[q] = 1;
            chains[len]++;
        }
    for (p = 0; p < term->n_paths; p++)    /* the rest are cycles */
        if (s->partner[p] >= 0 && !seen[p])
        {
            int q = p, len = 0;
            do
            {
                seen[q] = 1;
                q = mark_mate(term, s->pending, q);
                seen[q] = 1;
                q = s->partner[q];
                len++;
            }
            while (q != p);
            cycles[len]++;
        }
    key = (ulong) bias;
    for (k = 0; k <= _NTK_MAX_MARKS; k++)
        key = (key << 3) | (ulong) chains[k];
    for (k = 1; k <= _NTK_MAX_MARKS; k++)
        key = (key << 3) | (ulong) cycles[k];
    return key;
}

/* The index of the class of s, added if new. */
static int
class_of(cspace_t * cs, const cstate_t * s)
{
    ulong key = class_key(cs->term, s);
    int i;
    for (i = 0; i < cs->n; i++)
        if (cs->key[i] == key)
            return i;
    if (cs->n == CLASSES_MAX)
        flint_abort();    /* cannot happen for <= 8 paths (at most 25 classes) */
    cs->key[cs->n] = key;
    cs->rep[cs->n] = *s;
    cs->start[cs->n] = 0;
    return cs->n++;
}

/* Every pairing of the paths in `free` (a bit mask) added to s, each
   counted as a start state. */
static void
add_start_states(cspace_t * cs, cstate_t * s, int free)
{
    int p, q;
    if (free == 0)
    {
        cs->start[class_of(cs, s)]++;
        return;
    }
    for (p = 0; !((free >> p) & 1); p++)
        ;
    for (q = p + 1; q < cs->term->n_paths; q++)
        if ((free >> q) & 1)
        {
            s->partner[p] = (signed char) q;
            s->partner[q] = (signed char) p;
            add_start_states(cs, s, free & ~(1 << p) & ~(1 << q));
            s->partner[p] = s->partner[q] = -1;
        }
}

/* g[i][j] += w for the class j of s. */
static void
add_rate(fmpq_mat_t g, cspace_t * cs, int i, const cstate_t * s, const fmpq_t w)
{
    int j = class_of(cs, s);
    fmpq_add(fmpq_mat_entry(g, i, j), fmpq_mat_entry(g, i, j), w);
}

/* The rates out of the representative of class i into g (CLASSES_MAX
   square). */
static void
class_rates(fmpq_mat_t g, cspace_t * cs, int i, const fmpq_t r, const fmpq_t a2, int bias)
{
    const _ntk_term_t * term = cs->term;
    cstate_t s = cs->rep[i], t;
    int p, q, u, v, k, m = 0;
    fmpq_t w;
    fmpq_init(w);
    for (p = 0; p < term->n_paths; p++)
        m += s.partner[p] > p;
    fmpq_sub_ui(w, r, 1);
    fmpq_mul_ui(w, w, (ulong) (m * (m - 1) / 2));
    fmpq_add(fmpq_mat_entry(g, i, i), fmpq_mat_entry(g, i, i), w);
    for (p = 0; p < term->n_paths; p++)          /* pairs (p, q), (u, v), p < u */
        for (u = p + 1; u < term->n_paths; u++)
        {
            q = s.partner[p];
            v = s.partner[u];
            if (q <= p || v <= u || u == q)
                continue;
            t = s;                               /* p-u, q-v and p-v, q-u */
            t.partner[p] = (signed char) u; t.partner[u] = (signed char) p;
            t.partner[q] = (signed char) v; t.partner[v] = (signed char) q;
            add_rate(g, cs, i, &t, r);
            t.partner[p] = (signed char) v; t.partner[v] = (signed char) p;
            t.partner[q] = (signed char) u; t.partner[u] = (signed char) q;
            add_rate(g, cs, i, &t, r);
        }
    for (k = 0; k < term->n_marks; k++)
    {
        const _ntk_mark_t * mk = &term->mark[k];
        if (!((s.pending >> k) & 1))
            continue;
        t = s;
        t.pending &= ~(1 << k);
        if (mk->kind == _NTK_MARK_WEIGHT && s.partner[mk->p] == mk->q)
        {
            fmpq_one(w);
            add_rate(g, cs, i, &t, w);
        }
        else if (mk->kind == _NTK_MARK_BIAS && bias)
        {
            t.partner[mk->p] = (signed char) mk->q;
            t.partner[mk->q] = (signed char) mk->p;
            add_rate(g, cs, i, &t, a2);
        }
    }
    fmpq_clear(w);
}

int
_ntk_limit_generator(fmpq_mat_t gen, slong * start, int * end, int which, const fmpq_t r,
                     const fmpq_t a2, int bias)
{
    cspace_t cs;
    cstate_t s;
    fmpq_mat_t g;
    int i, j, full = 0, p;
    cs.term = _ntk_term_get(which);
    cs.n = 0;
    s.pending = (1 << cs.term->n_marks) - 1;
    for (p = 0; p < _NTK_MAX_PATHS; p++)
        s.partner[p] = -1;
    for (p = 0; p < cs.term->n_paths; p++)
        full |= 1 << p;
    for (i = 0; i < cs.term->n_marks; i++)
        if (cs.term->mark[i].kind == _NTK_MARK_BIAS)
            full &= ~(1 << cs.term->mark[i].p) & ~(1 << cs.term->mark[i].q);
    add_start_states(&cs, &s, full);
    fmpq_mat_init(g, CLASSES_MAX, CLASSES_MAX);
    for (i = 0; i < cs.n; i++)    /* cs.n grows as the classes are reached */
        class_rates(g, &cs, i, r, a2, bias);
    /* the end: nothing pending, all paths present (a single class) */
    for (p = 0; p < cs.term->n_paths; p++)
        s.partner[p] = (signed char) (p ^ 1);
    s.pending = 0;
    *end = class_of(&cs, &s);
    fmpq_mat_init(gen, cs.n, cs.n);
    for (i = 0; i < cs.n; i++)
    {
        start[i] = cs.start[i];
        for (j = 0; j < cs.n; j++)
            fmpq_set(fmpq_mat_entry(gen, i, j), fmpq_mat_entry(g, i, j));
    }
    fmpq_mat_clear(g);
    return cs.n;
}

ntk_status_t
_ntk_limit_check_moments(int moments, int order, const fmpq_t beta, const ntk_conv_t conv,
                         ntk_error_t * err)
{
    fmpq_t bound;
    int beyond;
    if (moments < 2 || moments > 4)
        return _ntk_error_set(err, NTK_ERR_RANGE, "moments",
            "moments: must be 2, 3 or 4 (the highest power of K)");
    if (moments == 2 || beta == NULL || conv == NULL || !conv->bias
        || !fmpq_is_zero(conv->a_plus) || fmpq_is_zero(conv->a_minus))
        return NTK_OK;
    /* the dead phase: a shut layer (probability 2^-n) leaves a linear
       network of gain c a_minus^2 = 2 per layer above it, so the k-th power
       of the hidden biases' part grows like 2^(k(d-1)-n) against n^k */
    fmpq_init(bound);
    fmpq_set_si(bound, 1, moments);
    beyond = order == 0 ? fmpq_cmp(beta, bound) > 0 : fmpq_cmp(beta, bound) >= 0;
    fmpq_clear(bound);
    if (beyond && order == 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "beta",
            "beta: with slopes 0,a_minus and biases the bias part of K^%d grows like 2^(%d(d-1)-n) "
            "(the dead phase): E[K^%d]/d^%d diverges for beta > 1/%d", moments, moments, moments,
            moments, moments);
    if (beyond)
        return _ntk_error_set(err, NTK_ERR_RANGE, "beta",
            "beta: with slopes 0,a_minus and biases the dead phase's 2^(%d(d-1)-n) in E[K^%d] is not "
            "smaller than every power of 1/n at beta = 1/%d: F_1 of the moments of order %d needs "
            "beta < 1/%d", moments, moments, moments, moments, moments);
    return NTK_OK;
}

/* The limit of E[term] / n^#marks: start' exp(beta G) end, with a per
   pair of full paths at the start and c_out per pair at the end. */
static void
moment_term(mpfr_t res, int which, const mpfr_t beta, const mpfr_t a, const mpfr_t c_out,
            const fmpq_t r, const fmpq_t a2, int bias, mpfr_prec_t prec)
{
    const _ntk_term_t * term = _ntk_term_get(which);
    fmpq_mat_t g;
    slong start[CLASSES_MAX];
    mpfr_t * m, t;
    int i, n, end;
    n = _ntk_limit_generator(g, start, &end, which, r, a2, bias);
    m = _ntk_mat_new(n, prec);
    mpfr_init2(t, prec);
    for (i = 0; i < n * n; i++)
    {
        fmpq_get_mpfr(m[i], fmpq_mat_entry(g, i / n, i % n), MPFR_RNDN);
        mpfr_mul(m[i], m[i], beta, MPFR_RNDN);
    }
    _ntk_mat_exp_nonneg(m, n, prec);
    mpfr_set_zero(res, 1);
    for (i = 0; i < n; i++)
        if (start[i] != 0)
        {
            mpfr_mul_si(t, m[i * n + end], start[i], MPFR_RNDN);
            mpfr_add(res, res, t, MPFR_RNDN);
        }
    mpfr_pow_ui(t, a, (ulong) _ntk_term_n_full(term) / 2, MPFR_RNDN);
    mpfr_mul(res, res, t, MPFR_RNDN);
    mpfr_pow_ui(t, c_out, (ulong) term->n_paths / 2, MPFR_RNDN);
    mpfr_mul(res, res, t, MPFR_RNDN);
    mpfr_clear(t);
    _ntk_mat_free(m, n);
    fmpq_mat_clear(g);
}

static int
binomial(int k, int i)
{
    int c = 1, j;
    for (j = 1; j <= i; j++)
        c = c * (k - i + j) / j;
    return c;
}

/* The values of order 3 .. moments of l from the limits of the terms:
   kwkb[k][i] = E[K_w^i K_b'^(k-i)]/n^k (k = 1 and 3 .. moments),
   n2k[k] = E[N^(2k)]. */
static void
assemble(ntk_limit_t l, int moments, mpfr_t kwkb[5][5], mpfr_t * n2k, const mpfr_t beta,
         mpfr_prec_t prec)
{
    mpfr_t ek, sum, t;
    int k, i;
    mpfr_inits2(prec, ek, sum, t, (mpfr_ptr) 0);
    mpfr_add(ek, kwkb[1][1], kwkb[1][0], MPFR_RNDN);    /* E[K]/n -> Kw + Kb' */
    mpfr_set_nan(l->e_k4);
    mpfr_set_nan(l->ratio_k4);
    mpfr_set_nan(l->ratio_n8);
    for (k = 3; k <= moments; k++)
    {
        mpfr_ptr e = k == 3 ? l->e_k3 : l->e_k4, ratio = k == 3 ? l->ratio_k3 : l->ratio_k4;
        mpfr_ptr rn = k == 3 ? l->ratio_n6 : l->ratio_n8;
        /* E[K^k]/n^k -> sum_i C(k,i) E[K_w^i K_b'^(k-i)]/n^k */
        mpfr_set_zero(sum, 1);
        for (i = 0; i <= k; i++)
        {
            mpfr_mul_ui(t, kwkb[k][i], (ulong) binomial(k, i), MPFR_RNDN);
            mpfr_add(sum, sum, t, MPFR_RNDN);
        }
        mpfr_pow_ui(t, ek, (ulong) k, MPFR_RNDN);
        mpfr_div(ratio, sum, t, MPFR_RNDN);
        mpfr_pow_ui(t, beta, (ulong) k, MPFR_RNDN);
        mpfr_div(e, sum, t, MPFR_RNDN);
        mpfr_pow_ui(t, n2k[1], (ulong) k, MPFR_RNDN);
        mpfr_div(rn, n2k[k], t, MPFR_RNDN);
    }
    mpfr_clears(ek, sum, t, (mpfr_ptr) 0);
}

void
_ntk_limit_moments_from(ntk_limit_t l, int moments, const mpfr_t beta, mpfr_prec_t prec,
                        _ntk_limit_term_fn term, const void * ctx)
{
    mpfr_t v[5][5], n2k[5];
    int k, i;
    for (k = 1; k <= moments; k++)
        if (k != 2)
        {
            for (i = 0; i <= k; i++)
            {
                mpfr_init2(v[k][i], prec);
                term(v[k][i], k, i, ctx);
            }
            mpfr_init2(n2k[k], prec);
            term(n2k[k], k, -1, ctx);
        }
    assemble(l, moments, v, n2k, beta, prec);
    for (k = 1; k <= moments; k++)
        if (k != 2)
        {
            for (i = 0; i <= k; i++)
                mpfr_clear(v[k][i]);
            mpfr_clear(n2k[k]);
        }
}

/* What moment_term needs besides the term. */
typedef struct
{
    mpfr_srcptr beta, a, c_out;
    fmpq_t r, a2;
    int bias;
    mpfr_prec_t prec;
}
generator_ctx_t;

static void
generator_term(mpfr_t res, int k, int i, const void * ctx)
{
    const generator_ctx_t * g = ctx;
    int which = i < 0 ? _ntk_term_n(k) : _ntk_term_kwkb(i, k - i);
    moment_term(res, which, g->beta, g->a, g->c_out, g->r, g->a2, g->bias, g->prec);
}

ntk_status_t
ntk_limit_compute_moments(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                          const ntk_conv_t conv, int moments, ntk_error_t * err)
{
    mpfr_t b, av, co;
    fmpq_t a4;
    generator_ctx_t g;
    ntk_status_t status;
    if ((status = _ntk_limit_check_moments(moments, 0, beta, conv, err)) != NTK_OK
        || (status = ntk_limit_compute(l, beta, a, conv, err)) != NTK_OK || moments == 2)
        return status;
    if (fmpq_is_zero(a) && fmpq_is_zero(conv->a_minus))    /* the dead input: K = lb */
    {
        _ntk_limit_dead_input(l);
        return NTK_OK;
    }
    /* the matrix exponentials are exact to their precision; the assembly
       adds a few roundings */
    g.prec = mpfr_get_prec(l->e_k) + 32;
    mpfr_inits2(g.prec, b, av, co, (mpfr_ptr) 0);
    fmpq_get_mpfr(b, beta, MPFR_RNDN);
    fmpq_get_mpfr(av, a, MPFR_RNDN);
    fmpq_get_mpfr(co, conv->cw_output, MPFR_RNDN);
    g.beta = b; g.a = av; g.c_out = co; g.bias = conv->bias;
    fmpq_init(g.r); fmpq_init(g.a2); fmpq_init(a4);
    ntk_conv_gate_moment(g.a2, conv, 2);
    ntk_conv_gate_moment(a4, conv, 4);
    fmpq_mul(g.r, g.a2, g.a2);
    fmpq_div(g.r, a4, g.r);
    _ntk_limit_moments_from(l, moments, b, g.prec, generator_term, &g);
    fmpq_clear(g.r); fmpq_clear(g.a2); fmpq_clear(a4);
    mpfr_clears(b, av, co, (mpfr_ptr) 0);
    return NTK_OK;
}
