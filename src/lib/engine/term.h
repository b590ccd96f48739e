/* Internal: the term types of the moments (doc/derivation.md, sections 4
   and 14): families of paths tied by marks. */

#ifndef NTK_TERM_H
#define NTK_TERM_H

#include "ntkexact.h"

/* E[K^4] is a sum over families of eight paths with four marks. */
#define _NTK_MAX_PATHS 8
#define _NTK_MAX_MARKS 4

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
   kept out of them.  KWaKBb is E[K_w^a K_b'^b] (K_b' the hidden biases),
   Nk is E[N^k].  The terms of the moments up to order k come first
   (_ntk_term_count). */
enum
{
    _NTK_TERM_KW, _NTK_TERM_KB, _NTK_TERM_KW2, _NTK_TERM_KB2, _NTK_TERM_KWKB,
    _NTK_TERM_DWW, _NTK_TERM_DWB, _NTK_TERM_N2, _NTK_TERM_N4,
    _NTK_TERM_KW3, _NTK_TERM_KW2KB, _NTK_TERM_KWKB2, _NTK_TERM_KB3, _NTK_TERM_N6,
    _NTK_TERM_KW4, _NTK_TERM_KW3KB, _NTK_TERM_KW2KB2, _NTK_TERM_KWKB3, _NTK_TERM_KB4,
    _NTK_TERM_N8,
    _NTK_N_TERMS,
    /* The second moment of the first SGD update (doc/derivation.md, section
       15), after the moments of K: E[g_ww^2], E[g_ww g_wb], E[g_wb^2] (six
       paths, two gradient-Hessian-gradient triples) and the same times N^2
       (eight paths, the two of N^2 last). */
    _NTK_TERM_GWW2 = _NTK_N_TERMS, _NTK_TERM_GWWGWB, _NTK_TERM_GWB2,
    _NTK_TERM_NGWW2, _NTK_TERM_NGWWGWB, _NTK_TERM_NGWB2,
    _NTK_N_TERMS_ALL
};

/* The term types of the moments of order <= 2 (_ntk_term_count(2)). */
#define _NTK_N_TERMS2 (_NTK_TERM_N4 + 1)

/* The term types of the update's second moment: _NTK_TERM_GWW2 and the
   _NTK_N_TERMS_UPDATE after it. */
#define _NTK_N_TERMS_UPDATE (_NTK_N_TERMS_ALL - _NTK_N_TERMS)

/* The definition of term type k, 0 <= k < _NTK_N_TERMS_ALL. */
const _ntk_term_t * _ntk_term_get(int k);

/* The number of term types that the moments up to E[K^order] need
   (order 2, 3 or 4): the first ones of the list. */
int _ntk_term_count(int order);

/* The index of the term E[K_w^a K_b'^b], 1 <= a + b <= 4, or -1. */
int _ntk_term_kwkb(int a, int b);

/* The index of the term E[N^(2k)], 1 <= k <= 4, or -1. */
int _ntk_term_n(int k);

/* Bit mask of the paths present once the marks in `done` are placed: the full
   paths and the paths of placed bias marks. */
int _ntk_term_present(const _ntk_term_t * term, int done);

/* The number of full paths (paths that start at the input). */
int _ntk_term_n_full(const _ntk_term_t * term);

/* Non-zero when the term has a bias mark (it vanishes without biases). */
int _ntk_term_has_bias(const _ntk_term_t * term);

/* Non-zero when no two marks share a path (the terms of the powers of K):
   then the recursion may merge the states its symmetry exchanges. */
int _ntk_term_disjoint(const _ntk_term_t * term);

/* Non-zero when the recursion merges the states of the term that the
   symmetry of the future exchanges: the terms with disjoint marks and those
   of the update's second moment (D_ww and D_wb keep every state). */
int _ntk_term_reduced(const _ntk_term_t * term);

#endif
