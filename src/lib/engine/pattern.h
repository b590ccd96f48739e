/* Internal: interaction patterns, the set partitions of the paths present
   at a layer by the neuron they sit on. */

#ifndef NTK_PATTERN_H
#define NTK_PATTERN_H

#include "term.h"

/* block[p] is the block of path p (blocks numbered in order of first
   appearance), -1 for an absent path. */
typedef struct
{
    signed char block[_NTK_MAX_PATHS];
    int n_blocks;
}
_ntk_pattern_t;

/* Only patterns whose blocks hold an even number of paths can carry weight
   (doc/derivation.md, section 14): at most _NTK_MAX_PATHS / 2 blocks, and
   _NTK_MAX_PATTERNS of them for eight paths (1 + 28 + 35 + 210 + 105). */
#define _NTK_MAX_BLOCKS (_NTK_MAX_PATHS / 2)
#define _NTK_MAX_PATTERNS 379

/* Writes every pattern of the paths in `present` (a mask over n_paths paths)
   whose blocks all hold an even number of paths to out, which has room for
   _NTK_MAX_PATTERNS; returns how many (1 for no path: the empty pattern). */
int _ntk_pattern_enumerate(_ntk_pattern_t * out, int n_paths, int present);

/* Non-zero when a and b are the same pattern. */
int _ntk_pattern_equal(const _ntk_pattern_t * a, const _ntk_pattern_t * b);

/* The number of present paths. */
int _ntk_pattern_n_present(const _ntk_pattern_t * pat, int n_paths);

/* mask[b] <- the paths of block b, for every block. */
void _ntk_pattern_masks(int * mask, const _ntk_pattern_t * pat, int n_paths);

#endif
