/* Set partitions of up to four paths, enumerated as restricted-growth
   strings. */

#include <string.h>
#include "pattern.h"

/* Extends a partial restricted-growth labelling from path p onwards. */
static void
pattern_extend(_ntk_pattern_t * out, int * count, _ntk_pattern_t * cur,
               int p, int n_paths, int present)
{
    int b;
    if (p == n_paths)
    {
        out[(*count)++] = *cur;
        return;
    }
    if (!((present >> p) & 1))
    {
        cur->block[p] = -1;
        pattern_extend(out, count, cur, p + 1, n_paths, present);
        return;
    }
    for (b = 0; b <= cur->n_blocks; b++)
    {
        int grew = (b == cur->n_blocks);
        cur->block[p] = (signed char) b;
        cur->n_blocks += grew;
        pattern_extend(out, count, cur, p + 1, n_paths, present);
        cur->n_blocks -= grew;
    }
}

int
_ntk_pattern_enumerate(_ntk_pattern_t * out, int n_paths, int present)
{
    _ntk_pattern_t cur;
    int count = 0;
    memset(&cur, -1, sizeof(cur));
    cur.n_blocks = 0;
    pattern_extend(out, &count, &cur, 0, n_paths, present);
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
