/* One layer of the transfer recursion: which marks may be placed, the new
   patterns, the edge moments, the labels of the blocks and the gates
   (doc/derivation.md, sections 4 and 11). */

#include "layer.h"

void
_ntk_layer_kind_init(_ntk_layer_kind_t * kind, const ntk_conv_struct * conv,
                     ulong n_prev, ulong n_cur, int hidden, int dead_phase)
{
    int m;
    fmpq_init(kind->c_over_n);
    fmpq_init(kind->lw);
    fmpq_init(kind->lb);
    fmpq_set_ui(kind->lw, n_prev, 1);
    fmpq_div(kind->c_over_n, hidden ? conv->cw_hidden : conv->cw_output, kind->lw);
    /* in the NTK parametrization dN/dW carries the sqrt(c/n) of What */
    kind->lw_over_n = conv->param == NTK_PARAM_NTK;
    if (kind->lw_over_n)
        fmpq_set(kind->lw, kind->c_over_n);
    else
        fmpq_one(kind->lw);
    fmpq_set_si(kind->lb, conv->bias ? 1 : 0, 1);
    for (m = 0; m <= _NTK_MAX_PATHS; m++)
    {
        fmpq_init(kind->gate + m);
        fmpq_init(kind->gate_dead + m);
        ntk_conv_gate_moment(kind->gate + m, conv, (ulong) m);
        fmpq_pow_si(kind->gate_dead + m, conv->a_minus, m);
    }
    kind->n_prev = n_prev; kind->n_cur = n_cur; kind->hidden = hidden;
    kind->mu4 = conv->mu4;
    kind->dying = fmpq_is_zero(conv->a_plus) != fmpq_is_zero(conv->a_minus);
    kind->dead_phase = dead_phase && !fmpq_is_zero(conv->a_minus);
    kind->sym_prev = kind->sym_cur = 0;
}

void
_ntk_layer_kind_init_symbolic(_ntk_layer_kind_t * kind, const ntk_conv_struct * conv,
                              ulong n0, int first, int last, int dead_phase)
{
    /* n set to 1 where it is symbolic: c/n becomes c, and the powers of n
       are counted by transition_factor */
    _ntk_layer_kind_init(kind, conv, first ? n0 : 1, 1, !last, dead_phase);
    kind->sym_prev = !first;
    kind->sym_cur = !last;
}

void
_ntk_layer_kind_clear(_ntk_layer_kind_t * kind)
{
    int m;
    fmpq_clear(kind->c_over_n);
    fmpq_clear(kind->lw);
    fmpq_clear(kind->lb);
    for (m = 0; m <= _NTK_MAX_PATHS; m++)
    {
        fmpq_clear(kind->gate + m);
        fmpq_clear(kind->gate_dead + m);
    }
}

/* Non-zero when the marks in `placed` may all be placed at this layer. */
static int
placement_allowed(const _ntk_space_t * space, const _ntk_state_t * from,
                  int placed, int hidden)
{
    const _ntk_term_t * term = &space->term;
    int k, used = 0;
    for (k = 0; k < term->n_marks; k++)
    {
        const _ntk_mark_t * mk = &term->mark[k];
        if (!((placed >> k) & 1))
            continue;
        if (mk->kind == _NTK_MARK_BIAS)
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
edge_factor(fmpq_t f, int * pairs, const _ntk_space_t * space, const _ntk_state_t * from,
            int placed, const _ntk_pattern_t * to, const _ntk_layer_kind_t * kind)
{
    const _ntk_term_t * term = &space->term;
    int mult[_NTK_MAX_PATHS * _NTK_MAX_PATHS] = { 0 };
    int removed = 0, k, p, e;
    for (k = 0; k < term->n_marks; k++)
        if (((placed >> k) & 1) && term->mark[k].kind == _NTK_MARK_WEIGHT)
            removed |= (1 << term->mark[k].p) | (1 << term->mark[k].q);
    for (p = 0; p < term->n_paths; p++)
        if (from->pattern.block[p] >= 0 && !((removed >> p) & 1))
            mult[from->pattern.block[p] * _NTK_MAX_PATHS + to->block[p]]++;
    fmpq_one(f);
    *pairs = 0;
    for (e = 0; e < _NTK_MAX_PATHS * _NTK_MAX_PATHS; e++)
    {
        if (mult[e] % 2 != 0)
        {
            fmpq_zero(f);
            break;
        }
        *pairs += mult[e] / 2;
        for (k = 0; k < mult[e] / 2; k++)
            fmpq_mul(f, f, kind->c_over_n);
        if (mult[e] == 4)
            fmpq_mul(f, f, kind->mu4);
    }
    return !fmpq_is_zero(f);
}

/* The factor of the transition from -> (from.done | placed, to) in the
   alive or the dead phase, or 0; with a symbolic width, *n_power gets the
   power of n of the factor (its falling factorial aside). */
static int
transition_factor(fmpq_t f, int * n_power, const _ntk_space_t * space, const _ntk_state_t * from,
                  int placed, const _ntk_pattern_t * to, const _ntk_layer_kind_t * kind,
                  int dead)
{
    const _ntk_term_t * term = &space->term;
    int k, pairs, all_done = (1 << term->n_marks) - 1;
    ulong j;
    if (!kind->hidden && (to->n_blocks != 1 || (from->done | placed) != all_done))
        return 0;
    if (!kind->sym_cur && (ulong) to->n_blocks > kind->n_cur)
        return 0;
    for (k = 0; k < term->n_marks; k++)
        if (((placed >> k) & 1)
            && to->block[term->mark[k].p] != to->block[term->mark[k].q])
            return 0;
    if (!edge_factor(f, &pairs, space, from, placed, to, kind))
        return 0;
    /* each edge pair carries c/n_prev, and in the NTK parametrization so
       does each placed weight mark (lw) */
    *n_power = 0;
    if (kind->sym_prev)
    {
        *n_power = -pairs;
        if (kind->lw_over_n)
            for (k = 0; k < term->n_marks; k++)
                *n_power -= ((placed >> k) & 1) && term->mark[k].kind == _NTK_MARK_WEIGHT;
    }
    /* distinct neuron labels for the blocks: a falling factorial */
    for (j = 0; !kind->sym_cur && j < (ulong) to->n_blocks; j++)
        fmpq_mul_ui(f, f, kind->n_cur - j);
    /* the gates of the occupied hidden neurons: averaged over the sign of
       the pre-activation, A_m for a neuron on m paths (ReLU: 1/2); after a
       shut layer every pre-activation is 0 and every gate is a_minus */
    if (kind->hidden)
    {
        int size[_NTK_MAX_PATHS] = { 0 }, p, b;
        for (p = 0; p < term->n_paths; p++)
            if (to->block[p] >= 0)
                size[(int) to->block[p]]++;
        for (b = 0; b < to->n_blocks; b++)
            fmpq_mul(f, f, (dead ? kind->gate_dead : kind->gate) + size[b]);
    }
    for (k = 0; k < term->n_marks; k++)
        if ((placed >> k) & 1)
            fmpq_mul(f, f, term->mark[k].kind == _NTK_MARK_WEIGHT ? kind->lw : kind->lb);
    return !fmpq_is_zero(f);
}

/* Where the transitions of a layer go: their ends, true factors and, with
   a symbolic width, powers of n and blocks (NULL otherwise). */
typedef struct
{
    int n;
    int * from, * to, * n_power, * blocks;
    fmpq * val;
}
trans_list_t;

/* Appends every transition out of state s of the given phase to the list. */
static void
layer_add_state(trans_list_t * out, const _ntk_space_t * space, int s,
                const _ntk_layer_kind_t * kind, int dead)
{
    const _ntk_state_t * from = &space->state[s];
    int all_done = (1 << space->term.n_marks) - 1, offset = dead ? space->n_states : 0;
    int pending = all_done & ~from->done, placed, n, k, n_power;
    _ntk_pattern_t pats[_NTK_MAX_PATTERNS];
    for (placed = pending; ; placed = (placed - 1) & pending)
    {
        /* the alive empty state's stay is the dead-layer factor, kept apart;
           the dead one stays with factor 1 */
        if (!(s == space->empty && placed == 0 && !dead)
            && placement_allowed(space, from, placed, kind->hidden))
        {
            int done = from->done | placed;
            n = _ntk_pattern_enumerate(pats, space->term.n_paths,
                                       _ntk_term_present(&space->term, done));
            for (k = 0; k < n; k++)
            {
                if (!transition_factor(out->val + out->n, &n_power, space, from, placed,
                                       pats + k, kind, dead))
                    continue;
                out->from[out->n] = offset + s;
                out->to[out->n] = offset + _ntk_space_find(space, done, pats + k);
                if (out->n_power != NULL)
                {
                    out->n_power[out->n] = n_power;
                    out->blocks[out->n] = kind->sym_cur ? pats[k].n_blocks : 0;
                }
                out->n++;
            }
        }
        if (placed == 0)
            break;
    }
}

/* Every transition of the layer, in both phases when it has two. */
static void
layer_list(trans_list_t * out, const _ntk_space_t * space, const _ntk_layer_kind_t * kind)
{
    int s, ph;
    out->n = 0;
    for (ph = 0; ph < (kind->dead_phase ? 2 : 1); ph++)
        for (s = 0; s < space->n_states; s++)
            layer_add_state(out, space, s, kind, ph);
}

void
_ntk_layer_sym_init(_ntk_layer_sym_t * layer, const _ntk_space_t * space,
                    const _ntk_layer_kind_t * kind)
{
    trans_list_t out;
    slong room = 2 * _NTK_MAX_STATES * _NTK_MAX_STATES;
    layer->coef = _fmpq_vec_init(room);
    out.from = layer->from; out.to = layer->to;
    out.n_power = layer->n_power; out.blocks = layer->blocks;
    out.val = layer->coef;
    layer_list(&out, space, kind);
    layer->n_trans = out.n;
}

void
_ntk_layer_sym_clear(_ntk_layer_sym_t * layer)
{
    _fmpq_vec_clear(layer->coef, 2 * _NTK_MAX_STATES * _NTK_MAX_STATES);
}

void
_ntk_layer_init(_ntk_layer_t * layer, const _ntk_space_t * space,
                const _ntk_layer_kind_t * kind)
{
    slong room = 2 * _NTK_MAX_STATES * _NTK_MAX_STATES;
    fmpq * val = _fmpq_vec_init(room);
    trans_list_t out;
    int k;
    layer->n_prev = kind->n_prev;
    layer->n_cur = kind->n_cur;
    layer->hidden = kind->hidden;
    layer->phases = kind->dead_phase ? 2 : 1;
    layer->dying = kind->dying;
    out.from = layer->from; out.to = layer->to;
    out.n_power = out.blocks = NULL;
    out.val = val;
    layer_list(&out, space, kind);
    layer->n_trans = out.n;
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
    _fmpq_vec_clear(val, room);
}

void
_ntk_layer_clear(_ntk_layer_t * layer)
{
    _fmpz_vec_clear(layer->factor, FLINT_MAX(layer->n_trans, 1));
    fmpz_clear(layer->scale);
}
