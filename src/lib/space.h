/* Internal: the state space of a term: which marks are placed, and the
   pattern of the present paths. */

#ifndef NTK_SPACE_H
#define NTK_SPACE_H

#include "pattern.h"

#define _NTK_MAX_STATES 64

/* A state of the recursion after some layer. */
typedef struct
{
    int done;
    _ntk_pattern_t pattern;
}
_ntk_state_t;

/* All states of a term, with the indices of the distinguished ones. */
typedef struct
{
    _ntk_term_t term;
    int n_states;
    _ntk_state_t state[_NTK_MAX_STATES];
    int start;     /* before layer 1: nothing placed, full paths together */
    int terminal;  /* after layer d: all placed, all paths on the output */
    int empty;     /* the state with no path present, or -1 */
}
_ntk_space_t;

/* Builds the state space of a term. */
void _ntk_space_init(_ntk_space_t * space, const _ntk_term_t * term);

/* The index of the state (done, pattern), or -1. */
int _ntk_space_find(const _ntk_space_t * space, int done, const _ntk_pattern_t * pat);

#endif
