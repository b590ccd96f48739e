/* One layer of the transfer recursion (ALGORITHM.md), and the pass over all
   layers from the output down.

   The pass runs from the output layer down (the transposed recursion): the
   vector g holds, for each state after layer i, the sum over everything above
   layer i.  Going down keeps the dead-layer factors 1 - 2^-n, whose
   denominators have n bits, out of the vector: they only touch the value of
   the empty state, whose per-layer affine maps are composed by binary
   splitting (see affine_t). */

#include <string.h>
#include <flint/fmpz_poly.h>
#include "ntk-internal.h"

/* Non-zero when the marks in `placed` may all be placed at this layer. */
static int
placement_allowed(const ntk_space_t * space, const ntk_state_t * from,
                  int placed, int hidden)
{
    const ntk_term_t * term = &space->term;
    int k, used = 0;
    for (k = 0; k < term->n_marks; k++)
    {
        const ntk_mark_t * mk = &term->mark[k];
        if (!((placed >> k) & 1))
            continue;
        if (mk->kind == NTK_MARK_BIAS)
        {
            if (!hidden)
                return 0;
            continue;
        }
        /* a shared edge: both paths leave one neuron of the layer below */
        if (from->pattern.block[mk->p] < 0
            || from->pattern.block[mk->p] != from->pattern.block[mk->q])
            return 0;
        /* a path has one edge per layer: no two removed weights on it here */
        if (used & ((1 << mk->p) | (1 << mk->q)))
            return 0;
        used |= (1 << mk->p) | (1 << mk->q);
    }
    return 1;
}

/* The product of the edge factors (c/n_prev)^(m/2) mom(m), or 0 when some
   edge carries an odd number of weights. */
static int
edge_factor(fmpq_t f, const ntk_space_t * space, const ntk_state_t * from,
            int placed, const ntk_pattern_t * to, const ntk_layer_kind_t * kind)
{
    const ntk_term_t * term = &space->term;
    int mult[NTK_MAX_PATHS * NTK_MAX_PATHS] = { 0 };
    int removed = 0, k, p, e;
    for (k = 0; k < term->n_marks; k++)
        if (((placed >> k) & 1) && term->mark[k].kind == NTK_MARK_WEIGHT)
            removed |= (1 << term->mark[k].p) | (1 << term->mark[k].q);
    for (p = 0; p < term->n_paths; p++)
        if (from->pattern.block[p] >= 0 && !((removed >> p) & 1))
            mult[from->pattern.block[p] * NTK_MAX_PATHS + to->block[p]]++;
    fmpq_one(f);
    for (e = 0; e < NTK_MAX_PATHS * NTK_MAX_PATHS; e++)
    {
        if (mult[e] % 2 != 0)
        {
            fmpq_zero(f);
            break;
        }
        for (k = 0; k < mult[e] / 2; k++)
            fmpq_mul(f, f, kind->c_over_n);
        if (mult[e] == 4)
            fmpq_mul(f, f, kind->mu4);
    }
    return !fmpq_is_zero(f);
}

/* The factor of the transition from -> (from.done | placed, to), or 0. */
static int
transition_factor(fmpq_t f, const ntk_space_t * space, const ntk_state_t * from,
                  int placed, const ntk_pattern_t * to, const ntk_layer_kind_t * kind)
{
    const ntk_term_t * term = &space->term;
    int k, all_done = (1 << term->n_marks) - 1;
    ulong j;
    if (!kind->hidden && (to->n_blocks != 1 || (from->done | placed) != all_done))
        return 0;
    if ((ulong) to->n_blocks > kind->n_cur)
        return 0;
    for (k = 0; k < term->n_marks; k++)
        if (((placed >> k) & 1)
            && to->block[term->mark[k].p] != to->block[term->mark[k].q])
            return 0;
    if (!edge_factor(f, space, from, placed, to, kind))
        return 0;
    /* distinct neuron labels for the blocks: a falling factorial */
    for (j = 0; j < (ulong) to->n_blocks; j++)
        fmpq_mul_ui(f, f, kind->n_cur - j);
    /* one gate per occupied hidden neuron, each open with probability 1/2 */
    if (kind->hidden)
        fmpq_div_2exp(f, f, to->n_blocks);
    for (k = 0; k < term->n_marks; k++)
        if ((placed >> k) & 1)
            fmpq_mul(f, f, term->mark[k].kind == NTK_MARK_WEIGHT ? kind->lw : kind->lb);
    return !fmpq_is_zero(f);
}

/* Appends every transition out of state s to the table (true factors). */
static void
layer_add_state(ntk_layer_t * layer, fmpq * val, const ntk_space_t * space,
                int s, const ntk_layer_kind_t * kind)
{
    const ntk_state_t * from = &space->state[s];
    int all_done = (1 << space->term.n_marks) - 1;
    int pending = all_done & ~from->done, placed, n, k;
    ntk_pattern_t pats[15];
    for (placed = pending; ; placed = (placed - 1) & pending)
    {
        /* the empty state's stay is the dead-layer factor, kept apart */
        if (!(s == space->empty && placed == 0)
            && placement_allowed(space, from, placed, kind->hidden))
        {
            int done = from->done | placed;
            n = ntk_pattern_enumerate(pats, space->term.n_paths,
                                      ntk_term_present(&space->term, done));
            for (k = 0; k < n; k++)
            {
                fmpq * f = val + layer->n_trans;
                if (!transition_factor(f, space, from, placed, pats + k, kind))
                    continue;
                layer->from[layer->n_trans] = s;
                layer->to[layer->n_trans] = ntk_space_find(space, done, pats + k);
                layer->n_trans++;
            }
        }
        if (placed == 0)
            break;
    }
}

void
ntk_layer_init(ntk_layer_t * layer, const ntk_space_t * space,
               const ntk_layer_kind_t * kind)
{
    fmpq * val = _fmpq_vec_init(NTK_MAX_STATES * NTK_MAX_STATES);
    int s, k;
    layer->n_prev = kind->n_prev;
    layer->n_cur = kind->n_cur;
    layer->hidden = kind->hidden;
    layer->n_trans = 0;
    for (s = 0; s < space->n_states; s++)
        layer_add_state(layer, val, space, s, kind);
    /* a common denominator makes every factor an integer */
    fmpz_init_set_ui(layer->scale, 1);
    for (k = 0; k < layer->n_trans; k++)
        fmpz_lcm(layer->scale, layer->scale, fmpq_denref(val + k));
    layer->factor = _fmpz_vec_init(FLINT_MAX(layer->n_trans, 1));
    for (k = 0; k < layer->n_trans; k++)
    {
        fmpz_divexact(layer->factor + k, layer->scale, fmpq_denref(val + k));
        fmpz_mul(layer->factor + k, layer->factor + k, fmpq_numref(val + k));
    }
    _fmpq_vec_clear(val, NTK_MAX_STATES * NTK_MAX_STATES);
}

void
ntk_layer_clear(ntk_layer_t * layer)
{
    _fmpz_vec_clear(layer->factor, FLINT_MAX(layer->n_trans, 1));
    fmpz_clear(layer->scale);
}

int
ntk_progress_add(ntk_progress_t * progress, slong units)
{
    int stop;
    if (progress == NULL)
        return 0;
    pthread_mutex_lock(&progress->lock);
    progress->done += units;
    if (!progress->stop && progress->fn != NULL
        && progress->fn(progress->data, progress->done, progress->total))
        progress->stop = 1;
    stop = progress->stop;
    pthread_mutex_unlock(&progress->lock);
    return stop;
}

#define LAYER_CACHE 4

/* Layer tables of one run, keyed by (n_prev, n_cur, hidden). */
typedef struct
{
    const ntk_space_t * space;
    const ntk_options_struct * options;
    ntk_layer_t * slot[LAYER_CACHE];
    int next;
}
layer_cache_t;

void
ntk_layer_kind_set(ntk_layer_kind_t * kind, fmpq_t c_over_n, fmpq_t lw, fmpq_t lb,
                   const ntk_options_struct * opt, ulong n_prev, ulong n_cur, int hidden)
{
    fmpq_set_ui(lw, n_prev, 1);
    fmpq_div(c_over_n, hidden ? opt->cw_hidden : opt->cw_output, lw);
    /* in the NTK parametrization dN/dW carries the sqrt(c/n) of What */
    if (opt->param == NTK_PARAM_NTK)
        fmpq_set(lw, c_over_n);
    else
        fmpq_one(lw);
    fmpq_set_si(lb, opt->bias ? 1 : 0, 1);
    kind->n_prev = n_prev; kind->n_cur = n_cur; kind->hidden = hidden;
    kind->c_over_n = c_over_n; kind->mu4 = opt->mu4; kind->lw = lw; kind->lb = lb;
}

static const ntk_layer_t *
layer_cache_get(layer_cache_t * cache, ulong n_prev, ulong n_cur, int hidden)
{
    ntk_layer_kind_t kind;
    fmpq_t c_over_n, lw, lb;
    ntk_layer_t * layer;
    int k;
    for (k = 0; k < LAYER_CACHE; k++)
    {
        layer = cache->slot[k];
        if (layer && layer->n_prev == n_prev && layer->n_cur == n_cur
            && layer->hidden == hidden)
            return layer;
    }
    fmpq_init(c_over_n); fmpq_init(lw); fmpq_init(lb);
    ntk_layer_kind_set(&kind, c_over_n, lw, lb, cache->options, n_prev, n_cur, hidden);
    layer = cache->slot[cache->next];
    if (layer == NULL)
        layer = cache->slot[cache->next] = flint_malloc(sizeof(ntk_layer_t));
    else
        ntk_layer_clear(layer);
    cache->next = (cache->next + 1) % LAYER_CACHE;
    ntk_layer_init(layer, cache->space, &kind);
    fmpq_clear(c_over_n); fmpq_clear(lw); fmpq_clear(lb);
    return layer;
}

static void
layer_cache_clear(layer_cache_t * cache)
{
    int k;
    for (k = 0; k < LAYER_CACHE; k++)
        if (cache->slot[k] != NULL)
        {
            ntk_layer_clear(cache->slot[k]);
            flint_free(cache->slot[k]);
        }
}

/* The empty state's value, by binary splitting.  Going down, layer i maps
   the empty state's value y (over the common denominator den) to
   y' = scale (1 - 2^-n) y + births: the affine map y -> (a y + b) / 2^s with
   a = scale (2^n - 1), b = births 2^n, s = n (at the output: a = 0, b =
   births, s = 0).  The maps are composed as a balanced tree, kept as a stack
   of blocks of 1, 2, 4, ... layers, so the long dead-layer numbers are
   multiplied O(log d) times instead of once per layer. */
typedef struct
{
    fmpz_t a, b;
    ulong s;
    slong layers;
}
affine_t;

/* outer <- outer o inner: y -> (a_o (a_i y + b_i) / 2^s_i + b_o) / 2^s_o. */
static void
affine_compose(affine_t * outer, const affine_t * inner)
{
    fmpz_mul_2exp(outer->b, outer->b, inner->s);
    fmpz_addmul(outer->b, outer->a, inner->b);
    fmpz_mul(outer->a, outer->a, inner->a);
    outer->s += inner->s;
    outer->layers += inner->layers;
}

/* The running sums of a pass: the vector over states with its common
   denominator; the empty state's maps; or, with a formal dead-layer factor,
   the empty state's value empty_q(q) / den with q standing for 2^-n (uniform
   hidden widths). */
typedef struct
{
    fmpz * g;
    fmpz * g_next;
    fmpz_t den;
    affine_t * stack;
    slong n_stack, alloc_stack;
    fmpz_t tmp;
    fmpz_poly_struct * empty_q;
    fmpz_poly_t tmp_q;
}
pass_t;

/* Pushes the newest (outermost) map, merging blocks of equal size. */
static void
pass_push_map(pass_t * ps, const fmpz_t a, const fmpz_t b, ulong s)
{
    affine_t * top;
    if (ps->n_stack == ps->alloc_stack)
    {
        slong k;
        ps->alloc_stack = FLINT_MAX(8, 2 * ps->alloc_stack);
        ps->stack = flint_realloc(ps->stack, ps->alloc_stack * sizeof(affine_t));
        for (k = ps->n_stack; k < ps->alloc_stack; k++)
        {
            fmpz_init(ps->stack[k].a);
            fmpz_init(ps->stack[k].b);
        }
    }
    top = ps->stack + ps->n_stack++;
    fmpz_set(top->a, a);
    fmpz_set(top->b, b);
    top->s = s;
    top->layers = 1;
    while (ps->n_stack >= 2 && top[-1].layers == top->layers)
    {
        /* the new block is the outer one: fold the older one into it */
        affine_compose(top, top - 1);
        fmpz_swap(top[-1].a, top->a);
        fmpz_swap(top[-1].b, top->b);
        top[-1].s = top->s;
        top[-1].layers = top->layers;
        ps->n_stack--;
        top--;
    }
}

/* The composition of all maps applied to 0: b / 2^s (into stack[0]). */
static void
pass_fold_maps(pass_t * ps)
{
    slong k;
    for (k = ps->n_stack - 1; k >= 1; k--)
    {
        affine_compose(ps->stack + k, ps->stack + k - 1);
        fmpz_swap(ps->stack[k - 1].a, ps->stack[k].a);
        fmpz_swap(ps->stack[k - 1].b, ps->stack[k].b);
        ps->stack[k - 1].s = ps->stack[k].s;
        ps->stack[k - 1].layers = ps->stack[k].layers;
    }
    ps->n_stack = FLINT_MIN(ps->n_stack, 1);
}

/* The empty state's fold with a formal q: empty_q <- scale (1 - q) empty_q + births. */
static void
pass_fold_formal(pass_t * ps, const ntk_space_t * space, const ntk_layer_t * layer)
{
    if (layer->hidden)
    {
        fmpz_poly_shift_left(ps->tmp_q, ps->empty_q, 1);
        fmpz_poly_sub(ps->empty_q, ps->empty_q, ps->tmp_q);
        fmpz_poly_scalar_mul_fmpz(ps->empty_q, ps->empty_q, layer->scale);
    }
    else
        fmpz_poly_zero(ps->empty_q);
    fmpz_poly_get_coeff_fmpz(ps->tmp, ps->empty_q, 0);
    fmpz_add(ps->tmp, ps->tmp, ps->g + space->empty);
    fmpz_poly_set_coeff_fmpz(ps->empty_q, 0, ps->tmp);
    fmpz_zero(ps->g + space->empty);
}

/* One layer down: g <- T g, and the empty state folded in by Horner's rule. */
static void
pass_step(pass_t * ps, const ntk_space_t * space, const ntk_layer_t * layer)
{
    int k;
    _fmpz_vec_zero(ps->g_next, space->n_states);
    for (k = 0; k < layer->n_trans; k++)
        if (!fmpz_is_zero(ps->g + layer->to[k]))
            fmpz_addmul(ps->g_next + layer->from[k], layer->factor + k,
                        ps->g + layer->to[k]);
    { fmpz * t = ps->g; ps->g = ps->g_next; ps->g_next = t; }
    fmpz_mul(ps->den, ps->den, layer->scale);
    if (space->empty < 0)
        return;
    if (ps->empty_q != NULL)
    {
        pass_fold_formal(ps, space, layer);
        return;
    }
    /* the map y -> scale (1 - 2^-n) y + births, as (a y + b) / 2^n */
    if (layer->hidden)
    {
        fmpz_t a;
        fmpz_init(a);
        fmpz_one(a);
        fmpz_mul_2exp(a, a, layer->n_cur);
        fmpz_sub_ui(a, a, 1);
        fmpz_mul(a, a, layer->scale);
        fmpz_mul_2exp(ps->tmp, ps->g + space->empty, layer->n_cur);
        pass_push_map(ps, a, ps->tmp, layer->n_cur);
        fmpz_clear(a);
    }
    else
    {
        fmpz_zero(ps->tmp);
        pass_push_map(ps, ps->tmp, ps->g + space->empty, 0);
    }
    fmpz_zero(ps->g + space->empty);
}

static void
pass_init(pass_t * ps, const ntk_space_t * space, int formal)
{
    ps->g = _fmpz_vec_init(space->n_states);
    ps->g_next = _fmpz_vec_init(space->n_states);
    fmpz_init_set_ui(ps->den, 1); fmpz_init(ps->tmp);
    ps->stack = NULL;
    ps->n_stack = ps->alloc_stack = 0;
    ps->empty_q = NULL;
    if (formal)
    {
        ps->empty_q = flint_malloc(sizeof(fmpz_poly_struct));
        fmpz_poly_init(ps->empty_q);
        fmpz_poly_init(ps->tmp_q);
    }
    fmpz_one(ps->g + space->terminal);
}

static void
pass_clear(pass_t * ps, const ntk_space_t * space)
{
    slong k;
    _fmpz_vec_clear(ps->g, space->n_states);
    _fmpz_vec_clear(ps->g_next, space->n_states);
    for (k = 0; k < ps->alloc_stack; k++)
    {
        fmpz_clear(ps->stack[k].a);
        fmpz_clear(ps->stack[k].b);
    }
    flint_free(ps->stack);
    fmpz_clear(ps->den); fmpz_clear(ps->tmp);
    if (ps->empty_q != NULL)
    {
        fmpz_poly_clear(ps->empty_q);
        fmpz_poly_clear(ps->tmp_q);
        flint_free(ps->empty_q);
    }
}

/* Runs the layers from d down to 1 through the pass. */
static ntk_status_t
pass_run(pass_t * ps, const ntk_space_t * space, const ntk_run_t * run)
{
    const ntk_profile_struct * prof = run->profile;
    layer_cache_t cache;
    slong r, j, i = prof->depth, since = 0;
    ntk_status_t status = NTK_OK;
    memset(&cache, 0, sizeof(cache));
    cache.space = space;
    cache.options = run->options;
    /* layer i joins width i-1 to width i; i runs from d down to 1 */
    for (r = prof->n_runs - 1; r >= 0 && status == NTK_OK; r--)
        for (j = prof->count[r] - 1; j >= 0 && i >= 1; j--, i--)
        {
            ulong n_prev = j > 0 ? prof->width[r] : prof->width[r - 1];
            pass_step(ps, space, layer_cache_get(&cache, n_prev, prof->width[r], i < prof->depth));
            if (++since == 256 || i == 1)
            {
                if (ntk_progress_add(run->progress, since))
                {
                    status = NTK_ERR_INTERRUPTED;
                    break;
                }
                since = 0;
            }
        }
    layer_cache_clear(&cache);
    return status;
}

ntk_status_t
ntk_transfer_run(fmpq_t res, const ntk_term_t * term, const ntk_run_t * run)
{
    ntk_space_t space;
    pass_t ps;
    ntk_status_t status;
    ntk_space_init(&space, term);
    pass_init(&ps, &space, 0);
    status = pass_run(&ps, &space, run);
    if (space.start == space.empty)
    {
        pass_fold_maps(&ps);
        if (ps.n_stack == 0)
            fmpq_zero(res);
        else
        {
            fmpz_mul_2exp(ps.den, ps.den, ps.stack[0].s);
            fmpq_set_fmpz_frac(res, ps.stack[0].b, ps.den);
        }
    }
    else
        fmpq_set_fmpz_frac(res, ps.g + space.start, ps.den);
    pass_clear(&ps, &space);
    return status;
}

ntk_status_t
ntk_transfer_run_formal(fmpq_poly_t res, const ntk_term_t * term, const ntk_run_t * run)
{
    ntk_space_t space;
    pass_t ps;
    ntk_status_t status;
    ntk_space_init(&space, term);
    pass_init(&ps, &space, 1);
    status = pass_run(&ps, &space, run);
    if (space.start == space.empty)
        fmpq_poly_set_fmpz_poly(res, ps.empty_q);
    else
    {
        fmpq_poly_zero(res);
        fmpq_poly_set_coeff_fmpz(res, 0, ps.g + space.start);
    }
    fmpq_poly_scalar_div_fmpz(res, res, ps.den);
    pass_clear(&ps, &space);
    return status;
}
