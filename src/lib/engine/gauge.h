/* Internal: the layers of the transfer recursion for the profile
   n_0, n x (d-1), 1 with the hidden width n symbolic, rescaled ("gauged") so
   that every entry is a polynomial in u = 1/n (doc/derivation.md,
   section 13). */

#ifndef NTK_GAUGE_H
#define NTK_GAUGE_H

#include "layer.h"

/* One gauged layer: the entry of transition k is poly[k] / scale, a
   polynomial in u.  States are numbered as in _ntk_layer_t (the dead phase
   after the alive one); the alive empty state's stay (1 - 2^-n when a layer
   can shut, else 1) and its move to the dead empty state (2^-n) are not in
   the list. */
typedef struct
{
    int n_trans;
    int * from, * to;
    fmpz_poly_struct * poly;
    fmpz_t scale;
}
_ntk_gauge_layer_t;

/* A term's gauged recursion: with the empty state's factors as above,
   E[term] (without its x2^(n_full/2)) = n^power first middle^(d-2) last,
   first the row of the start state.  The gauge multiplies the value of
   state s by n^w(s), w(s) = (present paths)/2 - blocks - (placed bias
   marks) - (placed marks) (- placed weight marks in the standard
   parametrization): a layer then costs one u per placed mark and per path
   pair that its state below has merged away. */
typedef struct
{
    _ntk_space_t space;
    int phases;            /* 2: the dead phase is carried (see layer.h) */
    int n_states;          /* phases * space.n_states */
    int power;             /* #marks (+ #weight marks, standard) */
    int dying;             /* a hidden layer can shut: the 1 - 2^-n of the empty state */
    int start, terminal;   /* the state below layer 1 and above the output: space.start
                              and space.terminal, or at x = 0 those of the dead phase */
    _ntk_gauge_layer_t first, middle, last;
}
_ntk_gauge_t;

/* Builds the gauged layers of a term for the conventions and the input
   width n0 (only the states reachable from the start); phases 1 leaves the
   dead phase out (the part without 2^-n needs none).  Returns 0, or -1 if
   some entry is not a polynomial in u (a bug: then nothing is allocated). */
int _ntk_gauge_init(_ntk_gauge_t * g, const _ntk_term_t * term, const ntk_conv_struct * conv,
                    ulong n0, int phases);

/* The same at the input x = 0 (doc/derivation.md, section 11): every
   pre-activation is 0 and every gate a_minus, so the pass starts in the dead
   phase, at its empty state (start = n_states + empty, terminal = n_states
   + terminal).  Only for terms without full paths (the others vanish there)
   and a_minus != 0 (else every term vanishes); -1 otherwise, or if an entry
   is not a polynomial in u. */
int _ntk_gauge_init_zero(_ntk_gauge_t * g, const _ntk_term_t * term, const ntk_conv_struct * conv,
                         ulong n0);

void _ntk_gauge_clear(_ntk_gauge_t * g);

#endif
