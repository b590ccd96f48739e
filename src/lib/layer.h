/* Internal: one layer's transitions between the states of a term
   (doc/derivation.md, section 4). */

#ifndef NTK_LAYER_H
#define NTK_LAYER_H

#include "space.h"

/* What a layer step depends on: widths, kind, and the conventions. */
typedef struct
{
    ulong n_prev, n_cur;
    int hidden;
    const fmpq * c_over_n;  /* c_i / n_{i-1}: the variance of What */
    const fmpq * mu4;
    const fmpq * lw;    /* factor of a placed weight mark */
    const fmpq * lb;    /* factor of a placed bias mark */
}
_ntk_layer_kind_t;

/* One layer's transitions, scaled to integers: the true factor of transition
   k is factor[k] / scale.  The empty state's self-transition (layer not
   entirely dead, 1 - 2^-n_cur) is not in the list: see _ntk_transfer_run. */
typedef struct
{
    ulong n_prev, n_cur;
    int hidden;
    int n_trans;
    int from[_NTK_MAX_STATES * _NTK_MAX_STATES];
    int to[_NTK_MAX_STATES * _NTK_MAX_STATES];
    fmpz * factor;
    fmpz_t scale;
}
_ntk_layer_t;

/* Fills kind for a layer of the conventions conv; c_over_n, lw, lb are
   initialised rationals that hold its factors. */
void _ntk_layer_kind_set(_ntk_layer_kind_t * kind, fmpq_t c_over_n, fmpq_t lw, fmpq_t lb,
                         const ntk_conv_struct * conv, ulong n_prev, ulong n_cur, int hidden);

/* Builds the transition table of one layer for a term's state space. */
void _ntk_layer_init(_ntk_layer_t * layer, const _ntk_space_t * space,
                     const _ntk_layer_kind_t * kind);

/* Frees a transition table. */
void _ntk_layer_clear(_ntk_layer_t * layer);

#endif
