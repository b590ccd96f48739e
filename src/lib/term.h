/* Internal: the term types of the moments (doc/derivation.md, section 4):
   families of paths tied by marks. */

#ifndef NTK_TERM_H
#define NTK_TERM_H

#include "ntkexact.h"

#define _NTK_MAX_PATHS 4
#define _NTK_MAX_MARKS 2

/* A mark ties two paths: a shared, removed weight edge at some layer
   (_NTK_MARK_WEIGHT), or a common birth neuron at some hidden layer. */
typedef enum { _NTK_MARK_WEIGHT = 0, _NTK_MARK_BIAS = 1 } _ntk_mark_kind_t;

typedef struct
{
    _ntk_mark_kind_t kind;
    int p, q;
}
_ntk_mark_t;

/* A term type: n_paths paths tied by the marks. */
typedef struct
{
    int n_paths;
    int n_marks;
    _ntk_mark_t mark[_NTK_MAX_MARKS];
}
_ntk_term_t;

/* The term types of the moments; the output bias (derivative exactly 1) is
   kept out of them. */
enum
{
    _NTK_TERM_KW, _NTK_TERM_KB, _NTK_TERM_KW2, _NTK_TERM_KB2, _NTK_TERM_KWKB,
    _NTK_TERM_DWW, _NTK_TERM_DWB, _NTK_TERM_N2, _NTK_TERM_N4, _NTK_N_TERMS
};

/* The definition of term type k. */
const _ntk_term_t * _ntk_term_get(int k);

/* Bit mask of the paths present once the marks in `done` are placed: the full
   paths and the paths of placed bias marks. */
int _ntk_term_present(const _ntk_term_t * term, int done);

/* The number of full paths (paths that start at the input). */
int _ntk_term_n_full(const _ntk_term_t * term);

/* Non-zero when the term has a bias mark (it vanishes without biases). */
int _ntk_term_has_bias(const _ntk_term_t * term);

#endif
