/* One layer of the transfer recursion: the factor of each move of the
   term's space (the labels of the blocks, the gates, the edge moments, the
   marks) at this layer, summed into a table of integers over a common scale
   (doc/derivation.md, sections 4, 11 and 14). */

#include <string.h>
#include "layer.h"

void
_ntk_layer_kind_init(_ntk_layer_kind_t * kind, const ntk_conv_struct * conv,
                     ulong n_prev, ulong n_cur, int hidden, int dead_phase)
{
    const fmpq * mom[_NTK_MAX_BLOCKS + 1] = { NULL, NULL, conv->mu4, conv->mu6, conv->mu8 };
    int m, j;
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
    for (j = 0; j <= _NTK_MAX_BLOCKS; j++)
    {
        fmpq_init(kind->edge + j);
        fmpq_pow_si(kind->edge + j, kind->c_over_n, j);
        if (mom[j] != NULL)
            fmpq_mul(kind->edge + j, kind->edge + j, mom[j]);
    }
    for (m = 0; m <= _NTK_MAX_PATHS; m++)
    {
        fmpq_init(kind->gate + m);
        fmpq_init(kind->gate_dead + m);
        ntk_conv_gate_moment(kind->gate + m, conv, (ulong) m);
        fmpq_pow_si(kind->gate_dead + m, conv->a_minus, m);
    }
    kind->n_prev = n_prev; kind->n_cur = n_cur; kind->hidden = hidden;
    kind->dying = fmpq_is_zero(conv->a_plus) != fmpq_is_zero(conv->a_minus);
    kind->dead_phase = dead_phase && !fmpq_is_zero(conv->a_minus);
    kind->sym_prev = kind->sym_cur = 0;
}

void
_ntk_layer_kind_init_symbolic(_ntk_layer_kind_t * kind, const ntk_conv_struct * conv,
                              ulong n0, int first, int last, int dead_phase)
{
    /* n set to 1 where it is symbolic: c/n becomes c, and the powers of n
       are counted by move_factor */
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
    for (m = 0; m <= _NTK_MAX_BLOCKS; m++)
        fmpq_clear(kind->edge + m);
    for (m = 0; m <= _NTK_MAX_PATHS; m++)
    {
        fmpq_clear(kind->gate + m);
        fmpq_clear(kind->gate_dead + m);
    }
}

/* f <- f x^e for a small e >= 0. */
static void
mul_pow(fmpq_t f, const fmpq_t x, int e)
{
    for (; e > 0; e--)
        fmpq_mul(f, f, x);
}

/* The factor of a move in the alive or the dead phase (0: none); with a
   symbolic width, *n_power gets the power of n of the factor (its falling
   factorial aside). */
static void
move_factor(fmpq_t f, int * n_power, const _ntk_move_t * mv, const _ntk_layer_kind_t * kind,
            int dead)
{
    int j;
    ulong b;
    fmpq_set_si(f, mv->count, 1);
    /* each weight pair carries c/n_prev, and in the NTK parametrization so
       does each placed weight mark (lw) */
    *n_power = 0;
    if (kind->sym_prev)
    {
        for (j = 1; j <= _NTK_MAX_BLOCKS; j++)
            *n_power -= j * mv->edge[j];
        if (kind->lw_over_n)
            *n_power -= mv->n_weight;
    }
    if (kind->hidden)
    {
        /* distinct neuron labels for the blocks: a falling factorial */
        if (!kind->sym_cur && (ulong) mv->n_blocks > kind->n_cur)
        {
            fmpq_zero(f);
            return;
        }
        for (b = 0; !kind->sym_cur && b < (ulong) mv->n_blocks; b++)
            fmpq_mul_ui(f, f, kind->n_cur - b);
        /* the gates of the occupied neurons: averaged over the sign of the
           pre-activation, A_m for a neuron on m paths (ReLU: 1/2); after a
           shut layer every pre-activation is 0 and every gate is a_minus */
        for (j = 1; j <= _NTK_MAX_BLOCKS; j++)
            mul_pow(f, (dead ? kind->gate_dead : kind->gate) + 2 * j, mv->gate[j]);
    }
    for (j = 1; j <= _NTK_MAX_BLOCKS; j++)
        mul_pow(f, kind->edge + j, mv->edge[j]);
    mul_pow(f, kind->lw, mv->n_weight);
    mul_pow(f, kind->lb, mv->n_bias);
}

/* Non-zero when the move belongs to this layer: at the output every path
   ends on the one output neuron with every mark placed, and no bias is born;
   the alive empty state's stay is the dead-layer factor, kept apart. */
static int
move_applies(const _ntk_move_t * mv, const _ntk_space_t * space, int hidden, int dead)
{
    if (!hidden && (mv->to != space->terminal || mv->n_bias != 0))
        return 0;
    return dead || !(mv->from == space->empty && mv->to == space->empty);
}

/* Adds the factors of the moves of one phase into the table (true values
   in val), merging the moves with the same source and target. */
static void
layer_add_phase(_ntk_layer_t * layer, fmpq * val, int * slot, const _ntk_space_t * space,
                const _ntk_layer_kind_t * kind, int dead)
{
    int offset = dead ? space->n_states : 0, s = -1, n_power;
    fmpq_t f;
    slong k;
    fmpq_init(f);
    for (k = 0; k < space->n_moves; k++)
    {
        const _ntk_move_t * mv = space->move + k;
        if (mv->from != s)
        {
            /* the moves of a state are consecutive: a fresh slot map for it */
            for (s = 0; s < space->n_states; s++)
                slot[s] = -1;
            s = mv->from;
        }
        if (!move_applies(mv, space, kind->hidden, dead))
            continue;
        move_factor(f, &n_power, mv, kind, dead);
        if (fmpq_is_zero(f))
            continue;
        if (slot[mv->to] < 0)
        {
            slot[mv->to] = layer->n_trans;
            layer->from[layer->n_trans] = offset + mv->from;
            layer->to[layer->n_trans] = offset + mv->to;
            fmpq_zero(val + layer->n_trans);
            layer->n_trans++;
        }
        fmpq_add(val + slot[mv->to], val + slot[mv->to], f);
    }
    fmpq_clear(f);
}

/* Appends the moves of one phase to the symbolic list, one entry each. */
static void
layer_sym_add_phase(_ntk_layer_sym_t * layer, const _ntk_space_t * space,
                    const _ntk_layer_kind_t * kind, int dead)
{
    int offset = dead ? space->n_states : 0, n_power;
    slong k;
    for (k = 0; k < space->n_moves; k++)
    {
        const _ntk_move_t * mv = space->move + k;
        fmpq * f = layer->coef + layer->n_trans;
        if (!move_applies(mv, space, kind->hidden, dead))
            continue;
        move_factor(f, &n_power, mv, kind, dead);
        if (fmpq_is_zero(f))
            continue;
        layer->from[layer->n_trans] = offset + mv->from;
        layer->to[layer->n_trans] = offset + mv->to;
        layer->n_power[layer->n_trans] = n_power;
        layer->blocks[layer->n_trans] = kind->sym_cur ? mv->n_blocks : 0;
        layer->n_trans++;
    }
}

void
_ntk_layer_sym_init(_ntk_layer_sym_t * layer, const _ntk_space_t * space,
                    const _ntk_layer_kind_t * kind)
{
    int ph, phases = kind->dead_phase ? 2 : 1;
    layer->room = FLINT_MAX(phases * space->n_moves, 1);
    layer->coef = _fmpq_vec_init(layer->room);
    layer->from = flint_malloc(layer->room * sizeof(int));
    layer->to = flint_malloc(layer->room * sizeof(int));
    layer->n_power = flint_malloc(layer->room * sizeof(int));
    layer->blocks = flint_malloc(layer->room * sizeof(int));
    layer->n_trans = 0;
    for (ph = 0; ph < phases; ph++)
        layer_sym_add_phase(layer, space, kind, ph);
}

void
_ntk_layer_sym_clear(_ntk_layer_sym_t * layer)
{
    _fmpq_vec_clear(layer->coef, layer->room);
    flint_free(layer->from);
    flint_free(layer->to);
    flint_free(layer->n_power);
    flint_free(layer->blocks);
}

void
_ntk_layer_init(_ntk_layer_t * layer, const _ntk_space_t * space,
                const _ntk_layer_kind_t * kind)
{
    slong room;
    fmpq * val;
    int * slot = flint_malloc(FLINT_MAX(space->n_states, 1) * sizeof(int));
    int k, ph;
    layer->n_prev = kind->n_prev;
    layer->n_cur = kind->n_cur;
    layer->hidden = kind->hidden;
    layer->phases = kind->dead_phase ? 2 : 1;
    layer->dying = kind->dying;
    layer->n_trans = 0;
    room = FLINT_MAX(layer->phases * space->n_moves, 1);
    val = _fmpq_vec_init(room);
    layer->from = flint_malloc(room * sizeof(int));
    layer->to = flint_malloc(room * sizeof(int));
    for (ph = 0; ph < layer->phases; ph++)
        layer_add_phase(layer, val, slot, space, kind, ph);
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
    flint_free(slot);
}

void
_ntk_layer_clear(_ntk_layer_t * layer)
{
    _fmpz_vec_clear(layer->factor, FLINT_MAX(layer->n_trans, 1));
    flint_free(layer->from);
    flint_free(layer->to);
    fmpz_clear(layer->scale);
}
