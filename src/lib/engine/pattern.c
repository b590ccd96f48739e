/* Set partitions of up to eight paths into blocks of even size. */

#include <string.h>
#include "pattern.h"

static int
popcount(int x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* Extends the blocks chosen so far: the lowest path not yet placed opens a
   new block, with an odd number of the other unplaced paths.  Blocks are
   thus numbered in order of their lowest path, i.e. of first appearance. */
static void
pattern_extend(_ntk_pattern_t * out, int * count, _ntk_pattern_t * cur, int rest)
{
    int low, others, sub;
    if (rest == 0)
    {
        out[(*count)++] = *cur;
        return;
    }
    low = rest & -rest;
    others = rest & ~low;
    /* every subset of the others, odd ones only */
    for (sub = others; ; sub = (sub - 1) & others)
    {
        if (popcount(sub) % 2 == 1)
        {
            int blk = sub | low, p;
            for (p = 0; p < _NTK_MAX_PATHS; p++)
                if ((blk >> p) & 1)
                    cur->block[p] = (signed char) cur->n_blocks;
            cur->n_blocks++;
            pattern_extend(out, count, cur, rest & ~blk);
            cur->n_blocks--;
        }
        if (sub == 0)
            break;
    }
}

int
_ntk_pattern_enumerate(_ntk_pattern_t * out, int n_paths, int present)
{
    _ntk_pattern_t cur;
    int count = 0;
    memset(&cur, -1, sizeof(cur));
    cur.n_blocks = 0;
    pattern_extend(out, &count, &cur, present & ((1 << n_paths) - 1));
    return count;
}

int
_ntk_pattern_equal(const _ntk_pattern_t * a, const _ntk_pattern_t * b)
{
    return a->n_blocks == b->n_blocks
        && memcmp(a->block, b->block, sizeof(a->block)) == 0;
}

int
_ntk_pattern_n_present(const _ntk_pattern_t * pat, int n_paths)
{
    int p, n = 0;
    for (p = 0; p < n_paths; p++)
        n += pat->block[p] >= 0;
    return n;
}

void
_ntk_pattern_masks(int * mask, const _ntk_pattern_t * pat, int n_paths)
{
    int p, b;
    for (b = 0; b < pat->n_blocks; b++)
        mask[b] = 0;
    for (p = 0; p < n_paths; p++)
        if (pat->block[p] >= 0)
            mask[(int) pat->block[p]] |= 1 << p;
}
