/* Internal: the state space of a term (which marks are placed, and the
   pattern of the present paths) and the moves of one layer step between
   its states. */

#ifndef NTK_SPACE_H
#define NTK_SPACE_H

#include "pattern.h"

/* The most states of a term's space once reduced by its symmetry
   (doc/derivation.md, sections 14 and 15). */
#define _NTK_MAX_STATES 512

/* The key of a state, or of its class in a reduced space: equal keys, the
   same state (class). */
typedef struct
{
    ulong w[6];
}
_ntk_key_t;

/* A state of the recursion after some layer. */
typedef struct
{
    int done;
    _ntk_pattern_t pattern;
}
_ntk_state_t;

/* The transitions of one layer step out of state `from` into state `to`
   that share what their factor depends on (doc/derivation.md, sections 4
   and 14): the number of blocks (occupied neurons) of the target, how many
   of them hold 2, 4, 6, 8 paths (gate[1..4]), how many edges carry 2, 4, 6,
   8 weights (edge[1..4]) and the marks placed at the layer; `count` such
   transitions leave the representative of `from`. */
typedef struct
{
    short from, to;
    signed char n_blocks, n_weight, n_bias;
    signed char gate[_NTK_MAX_BLOCKS + 1];
    signed char edge[_NTK_MAX_BLOCKS + 1];
    int count;
}
_ntk_move_t;

/* The states of a term, with the indices of the distinguished ones, and
   (for a space of _ntk_space_init_reachable) the moves between them. */
typedef struct
{
    _ntk_term_t term;
    int reduced;   /* states exchanged by the term's symmetry are merged */
    int n_states;
    _ntk_state_t state[_NTK_MAX_STATES];
    _ntk_key_t key[_NTK_MAX_STATES];   /* the state's (or its class's) key */
    int start;     /* before layer 1: nothing placed, full paths together */
    int terminal;  /* after layer d: all placed, all paths on the output */
    int empty;     /* the state with no path present, or -1 */
    slong n_moves;
    _ntk_move_t * move;
}
_ntk_space_t;

/* Every state (done, pattern) of a term of at most four paths, patterns
   with even blocks only; no moves (nothing to clear). */
void _ntk_space_init(_ntk_space_t * space, const _ntk_term_t * term);

/* The states reachable from the start that can reach the terminal state,
   and every move of a layer step between them.  For a reduced term
   (_ntk_term_reduced: disjoint marks, or the update's terms) each state
   stands for its class under the symmetry of the future (doc/derivation.md,
   sections 14 and 15): the moves out of it are all the explicit transitions
   out of its representative, grouped by the class of their target, so that
   no orbit is ever counted.  Free with _ntk_space_clear. */
void _ntk_space_init_reachable(_ntk_space_t * space, const _ntk_term_t * term);

/* The same with every state kept (no merging by the symmetry), for a term
   whose explicit states fit in _NTK_MAX_STATES (at most six paths): tests
   compare the two spaces' sums. */
void _ntk_space_init_reachable_explicit(_ntk_space_t * space, const _ntk_term_t * term);

void _ntk_space_clear(_ntk_space_t * space);

/* The reachable space of term k (_ntk_term_get), built once per process
   and shared, read-only, by every thread. */
const _ntk_space_t * _ntk_space_get(int k);

/* The same for a term of the table of term.c, given by its definition. */
const _ntk_space_t * _ntk_space_of(const _ntk_term_t * term);

/* The index of the state (done, pattern), or of its class in a reduced
   space, or -1. */
int _ntk_space_find(const _ntk_space_t * space, int done, const _ntk_pattern_t * pat);

#endif
