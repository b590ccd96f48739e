/* Internal: one layer's transitions between the states of a term
   (doc/derivation.md, sections 4, 11 and 14). */

#ifndef NTK_LAYER_H
#define NTK_LAYER_H

#include "space.h"

/* What a layer step depends on: the widths, whether the layer is hidden,
   and the factors of the conventions. */
typedef struct
{
    ulong n_prev, n_cur;
    int hidden;
    fmpq_t c_over_n;     /* c_i / n_{i-1}: the variance of What */
    fmpq edge[_NTK_MAX_BLOCKS + 1];      /* an edge of 2j weights: (c/n)^j E[W^(2j)] */
    fmpq_t lw;           /* factor of a placed weight mark */
    int lw_over_n;       /* lw is c_over_n (the NTK parametrization) */
    fmpq_t lb;           /* factor of a placed bias mark */
    fmpq gate[_NTK_MAX_PATHS + 1];       /* A_m: a neuron on m paths, alive */
    fmpq gate_dead[_NTK_MAX_PATHS + 1];  /* a_minus^m: after a shut layer */
    int dying;           /* a layer can shut (exactly one slope is 0) */
    int dead_phase;      /* also the transitions of the dead phase */
    int sym_prev;        /* n_prev is the symbolic hidden width n (set to 1) */
    int sym_cur;         /* n_cur is n: no falling factorial, its blocks counted */
}
_ntk_layer_kind_t;

/* One layer's transitions, scaled to integers: the true factor of transition
   k is factor[k] / scale.  With two phases, states s of the term's space are
   numbered s (alive) and n_states + s (dead: after a shut layer, where every
   gate is a_minus).  The alive empty state's stay (the layer is not entirely
   dead, 1 - 2^-n_cur) and its move to the dead empty state (2^-n_cur) are not
   in the list: see _ntk_transfer_run. */
typedef struct
{
    ulong n_prev, n_cur;
    int hidden;
    int phases;
    int dying;          /* the layer can shut: the alive empty state's 1 - 2^-n */
    int n_trans;
    int * from;
    int * to;
    fmpz * factor;
    fmpz_t scale;
}
_ntk_layer_t;

/* The kind of a layer of the conventions conv.  The dead phase is built
   when dead_phase is non-zero and a_minus != 0 (else it is identically 0). */
void _ntk_layer_kind_init(_ntk_layer_kind_t * kind, const ntk_conv_struct * conv,
                          ulong n_prev, ulong n_cur, int hidden, int dead_phase);

void _ntk_layer_kind_clear(_ntk_layer_kind_t * kind);

/* The kind of a layer with the uniform hidden width n kept symbolic:
   `first` is layer 1 (n_0 -> n), `last` the output layer (n -> 1), else a
   hidden layer n -> n.  Every factor is then coef * n^n_power *
   ff(n, blocks), ff the falling factorial (see _ntk_layer_sym_t). */
void _ntk_layer_kind_init_symbolic(_ntk_layer_kind_t * kind, const ntk_conv_struct * conv,
                                   ulong n0, int first, int last, int dead_phase);

/* One layer's transitions with the hidden width n symbolic: the factor of
   transition k is coef[k] n^n_power[k] n (n - 1) ... (n - blocks[k] + 1)
   (blocks[k] = 0 when the new layer's width is a number).  The same
   transitions as _ntk_layer_t (one per move, not merged), the alive empty
   state's stay left out. */
typedef struct
{
    int n_trans;
    int * from;
    int * to;
    int * n_power;
    int * blocks;
    fmpq * coef;
    slong room;
}
_ntk_layer_sym_t;

void _ntk_layer_sym_init(_ntk_layer_sym_t * layer, const _ntk_space_t * space,
                         const _ntk_layer_kind_t * kind);

void _ntk_layer_sym_clear(_ntk_layer_sym_t * layer);

/* Builds the transition table of one layer from the moves of a term's
   reachable space. */
void _ntk_layer_init(_ntk_layer_t * layer, const _ntk_space_t * space,
                     const _ntk_layer_kind_t * kind);

/* Frees a transition table. */
void _ntk_layer_clear(_ntk_layer_t * layer);

#endif
