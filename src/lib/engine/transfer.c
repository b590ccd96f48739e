/* The pass of the transfer recursion over all layers, from the output down.

   The pass runs from the output layer down (the transposed recursion): the
   vector g holds, for each state after layer i, the sum over everything above
   layer i.  Going down keeps the dead-layer factors 1 - 2^-n, whose
   denominators have n bits, out of the vector: they only touch the value of
   the empty state, whose per-layer affine maps are composed by binary
   splitting (see affine_t). */

#include <string.h>
#include <flint/fmpz_poly.h>
#include "transfer.h"
#include "base/progress.h"

#define LAYER_CACHE 4

/* Layer tables of one run, keyed by (n_prev, n_cur, hidden). */
typedef struct
{
    const _ntk_space_t * space;
    const ntk_conv_struct * conv;
    int dead_phase;
    _ntk_layer_t * slot[LAYER_CACHE];
    int next;
}
layer_cache_t;

static const _ntk_layer_t *
layer_cache_get(layer_cache_t * cache, ulong n_prev, ulong n_cur, int hidden)
{
    _ntk_layer_kind_t kind;
    _ntk_layer_t * layer;
    int k;
    for (k = 0; k < LAYER_CACHE; k++)
    {
        layer = cache->slot[k];
        if (layer && layer->n_prev == n_prev && layer->n_cur == n_cur
            && layer->hidden == hidden)
            return layer;
    }
    _ntk_layer_kind_init(&kind, cache->conv, n_prev, n_cur, hidden, cache->dead_phase);
    layer = cache->slot[cache->next];
    if (layer == NULL)
        layer = cache->slot[cache->next] = flint_malloc(sizeof(_ntk_layer_t));
    else
        _ntk_layer_clear(layer);
    cache->next = (cache->next + 1) % LAYER_CACHE;
    _ntk_layer_init(layer, cache->space, &kind);
    _ntk_layer_kind_clear(&kind);
    return layer;
}

static void
layer_cache_clear(layer_cache_t * cache)
{
    int k;
    for (k = 0; k < LAYER_CACHE; k++)
        if (cache->slot[k] != NULL)
        {
            _ntk_layer_clear(cache->slot[k]);
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
    int phases;      /* 2: the states of the dead phase follow the alive ones */
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

/* The empty state's fold with a formal q: empty_q <- scale ((1 - q) empty_q
   + q dead) + births, where dead is the dead empty state's value before the
   step (a layer that shuts, probability q = 2^-n, leaves the dead phase);
   without a zero slope no layer shuts: empty_q <- scale empty_q + births. */
static void
pass_fold_formal(pass_t * ps, const _ntk_space_t * space, const _ntk_layer_t * layer,
                 const fmpz_t dead)
{
    if (layer->hidden)
    {
        if (layer->dying)
        {
            fmpz_poly_shift_left(ps->tmp_q, ps->empty_q, 1);
            fmpz_poly_sub(ps->empty_q, ps->empty_q, ps->tmp_q);
            if (dead != NULL)
            {
                fmpz_poly_get_coeff_fmpz(ps->tmp, ps->empty_q, 1);
                fmpz_add(ps->tmp, ps->tmp, dead);
                fmpz_poly_set_coeff_fmpz(ps->empty_q, 1, ps->tmp);
            }
        }
        fmpz_poly_scalar_mul_fmpz(ps->empty_q, ps->empty_q, layer->scale);
    }
    else
        fmpz_poly_zero(ps->empty_q);
    fmpz_poly_get_coeff_fmpz(ps->tmp, ps->empty_q, 0);
    fmpz_add(ps->tmp, ps->tmp, ps->g + space->empty);
    fmpz_poly_set_coeff_fmpz(ps->empty_q, 0, ps->tmp);
    fmpz_zero(ps->g + space->empty);
}

/* The alive empty state's affine map of a hidden layer: a layer that can
   shut gives y -> scale ((1 - 2^-n) y + 2^-n dead) + births, as
   (a y + b) / 2^n; without a zero slope, y -> scale y + births. */
static void
pass_push_hidden(pass_t * ps, const _ntk_space_t * space, const _ntk_layer_t * layer,
                 const fmpz_t dead)
{
    fmpz_t a;
    fmpz_init(a);
    if (!layer->dying)
    {
        pass_push_map(ps, layer->scale, ps->g + space->empty, 0);
        fmpz_clear(a);
        return;
    }
    fmpz_one(a);
    fmpz_mul_2exp(a, a, layer->n_cur);
    fmpz_sub_ui(a, a, 1);
    fmpz_mul(a, a, layer->scale);
    fmpz_mul_2exp(ps->tmp, ps->g + space->empty, layer->n_cur);
    if (dead != NULL)
        fmpz_addmul(ps->tmp, layer->scale, dead);
    pass_push_map(ps, a, ps->tmp, layer->n_cur);
    fmpz_clear(a);
}

/* One layer down: g <- T g, and the alive empty state folded in. */
static void
pass_step(pass_t * ps, const _ntk_space_t * space, const _ntk_layer_t * layer)
{
    slong len = (slong) layer->phases * space->n_states;
    const fmpz * dead;
    int k;
    _fmpz_vec_zero(ps->g_next, len);
    for (k = 0; k < layer->n_trans; k++)
        if (!fmpz_is_zero(ps->g + layer->to[k]))
            fmpz_addmul(ps->g_next + layer->from[k], layer->factor + k,
                        ps->g + layer->to[k]);
    { fmpz * t = ps->g; ps->g = ps->g_next; ps->g_next = t; }
    fmpz_mul(ps->den, ps->den, layer->scale);
    if (space->empty < 0)
        return;
    /* the dead empty state before the step, where a shut layer leads */
    dead = layer->phases == 2 ? ps->g_next + space->n_states + space->empty : NULL;
    if (ps->empty_q != NULL)
    {
        pass_fold_formal(ps, space, layer, dead);
        return;
    }
    if (layer->hidden)
        pass_push_hidden(ps, space, layer, dead);
    else
    {
        fmpz_zero(ps->tmp);
        pass_push_map(ps, ps->tmp, ps->g + space->empty, 0);
    }
    fmpz_zero(ps->g + space->empty);
}

static void
pass_init(pass_t * ps, const _ntk_space_t * space, int formal, int phases)
{
    ps->phases = phases;
    ps->g = _fmpz_vec_init(FLINT_MAX(phases * space->n_states, 1));
    ps->g_next = _fmpz_vec_init(FLINT_MAX(phases * space->n_states, 1));
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
    if (space->terminal < 0)
        return;
    fmpz_one(ps->g + space->terminal);
    if (phases == 2)
        fmpz_one(ps->g + space->n_states + space->terminal);
}

static void
pass_clear(pass_t * ps, const _ntk_space_t * space)
{
    slong k;
    _fmpz_vec_clear(ps->g, FLINT_MAX(ps->phases * space->n_states, 1));
    _fmpz_vec_clear(ps->g_next, FLINT_MAX(ps->phases * space->n_states, 1));
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

/* Progress is counted in units of about one limb operation: a layer step
   multiplies every state value, whose size grows by the bits of the
   layer's scale, by small factors.  Counting steps alone would make the
   first (cheap) layers look like the last. */
#define STEP_OVERHEAD 8

/* The transitions and the scale bits of one layer kind. */
static void
layer_size(double * n_trans, double * bits, const _ntk_space_t * space,
           const ntk_conv_struct * conv, ulong n_prev, ulong n_cur, int hidden)
{
    _ntk_layer_kind_t kind;
    _ntk_layer_t * layer = flint_malloc(sizeof(_ntk_layer_t));
    _ntk_layer_kind_init(&kind, conv, n_prev, n_cur, hidden, 0);
    _ntk_layer_init(layer, space, &kind);
    *n_trans = (double) layer->n_trans;
    *bits = (double) fmpz_bits(layer->scale);
    _ntk_layer_clear(layer);
    _ntk_layer_kind_clear(&kind);
    flint_free(layer);
}

/* The units of `count` steps of one layer kind after `bits` bits of
   denominator, which then grows by the kind's bits per step. */
static double
steps_cost(double * bits, double count, const _ntk_space_t * space, const ntk_conv_struct * conv,
           ulong n_prev, ulong n_cur, int hidden)
{
    double t, b, units;
    if (count <= 0)
        return 0.0;
    layer_size(&t, &b, space, conv, n_prev, n_cur, hidden);
    units = t * (count * STEP_OVERHEAD + (count * *bits + b * count * (count + 1) / 2.0) / 64.0);
    *bits += count * b;
    return units;
}

double
_ntk_transfer_cost(const _ntk_term_t * term, const ntk_profile_struct * p,
                   const ntk_conv_struct * conv, double * scale_bits)
{
    const _ntk_space_t * space = _ntk_space_of(term);
    double units = 0.0, bits = 0.0;
    slong r, first = 0, d = p->depth;
    for (r = 0; r < p->n_runs; r++)
        first += p->count[r];
    /* run r holds the widths first .. first + count - 1; layer i joins
       widths i-1 and i; from the output down */
    for (r = p->n_runs - 1; r >= 0; r--)
    {
        ulong w = p->width[r];
        slong hi;
        first -= p->count[r];
        hi = first + p->count[r] - 1;
        if (hi == d)
        {
            units += steps_cost(&bits, 1, space, conv, p->count[r] > 1 ? w : p->width[r - 1], w, 0);
            hi--;
        }
        units += steps_cost(&bits, (double) (hi - FLINT_MAX(first + 1, 1) + 1), space, conv, w, w, 1);
        if (first >= 1 && first <= hi)
            units += steps_cost(&bits, 1, space, conv, p->width[r - 1], w, 1);
    }
    if (scale_bits != NULL)
        *scale_bits = bits;
    return units;
}

/* Runs the layers from d down to 1 through the pass. */
static ntk_status_t
pass_run(pass_t * ps, const _ntk_space_t * space, const _ntk_run_t * run)
{
    const ntk_profile_struct * prof = run->profile;
    layer_cache_t cache;
    slong r, j, i = prof->depth, since = 0, units = 0;
    ntk_status_t status = NTK_OK;
    memset(&cache, 0, sizeof(cache));
    cache.space = space;
    cache.conv = run->conv;
    cache.dead_phase = (ps->phases == 2);
    /* layer i joins width i-1 to width i; i runs from d down to 1 */
    for (r = prof->n_runs - 1; r >= 0 && status == NTK_OK; r--)
        for (j = prof->count[r] - 1; j >= 0 && i >= 1; j--, i--)
        {
            ulong n_prev = j > 0 ? prof->width[r] : prof->width[r - 1];
            {
                const _ntk_layer_t * layer = layer_cache_get(&cache, n_prev, prof->width[r],
                                                             i < prof->depth);
                pass_step(ps, space, layer);
                units += layer->n_trans * (STEP_OVERHEAD + (slong) fmpz_size(ps->den));
            }
            if (++since == 256 || i == 1)
            {
                if (_ntk_progress_add(run->progress, units))
                {
                    status = NTK_ERR_INTERRUPTED;
                    break;
                }
                since = units = 0;
            }
        }
    layer_cache_clear(&cache);
    return status;
}

int
_ntk_transfer_phases(const _ntk_term_t * term, const ntk_conv_struct * conv)
{
    /* only families without full paths outlive a shut layer, and they see
       its gates a_minus: the dead phase matters when a_minus != 0 */
    return (_ntk_term_n_full(term) == 0 && !fmpq_is_zero(conv->a_minus)) ? 2 : 1;
}

ntk_status_t
_ntk_transfer_run(fmpq_t res, fmpq_t at_zero, const _ntk_term_t * term, const _ntk_run_t * run)
{
    return _ntk_transfer_run_space(res, at_zero, _ntk_space_of(term), run);
}

ntk_status_t
_ntk_transfer_run_space(fmpq_t res, fmpq_t at_zero, const _ntk_space_t * space,
                        const _ntk_run_t * run)
{
    pass_t ps;
    ntk_status_t status;
    pass_init(&ps, space, 0, _ntk_transfer_phases(&space->term, run->conv));
    status = pass_run(&ps, space, run);
    if (space->start < 0)
        fmpq_zero(res);
    else if (space->start == space->empty)
    {
        pass_fold_maps(&ps);
        if (ps.n_stack == 0)
            fmpq_zero(res);
        else
        {
            fmpz_t den;
            fmpz_init(den);
            fmpz_mul_2exp(den, ps.den, ps.stack[0].s);
            fmpq_set_fmpz_frac(res, ps.stack[0].b, den);
            fmpz_clear(den);
        }
    }
    else
        fmpq_set_fmpz_frac(res, ps.g + space->start, ps.den);
    /* x = 0 is dead from the input on: the dead empty state at layer 0 */
    if (at_zero != NULL)
    {
        if (ps.phases == 2 && space->empty >= 0)
            fmpq_set_fmpz_frac(at_zero, ps.g + space->n_states + space->empty, ps.den);
        else
            fmpq_zero(at_zero);
    }
    pass_clear(&ps, space);
    return status;
}

ntk_status_t
_ntk_transfer_run_formal(fmpq_poly_t res, const _ntk_term_t * term, const _ntk_run_t * run)
{
    const _ntk_space_t * space = _ntk_space_of(term);
    pass_t ps;
    ntk_status_t status;
    pass_init(&ps, space, 1, _ntk_transfer_phases(term, run->conv));
    status = pass_run(&ps, space, run);
    fmpq_poly_zero(res);
    if (space->start >= 0 && space->start == space->empty)
        fmpq_poly_set_fmpz_poly(res, ps.empty_q);
    else if (space->start >= 0)
        fmpq_poly_set_coeff_fmpz(res, 0, ps.g + space->start);
    fmpq_poly_scalar_div_fmpz(res, res, ps.den);
    pass_clear(&ps, space);
    return status;
}
