/* Interaction patterns of 2 and 4 paths: set partitions of the present
   paths, and the state space (marks placed, pattern) of a term. */

#include <string.h>
#include "ntk-internal.h"

int
ntk_term_present(const ntk_term_t * term, int done)
{
    int present = (1 << term->n_paths) - 1, k;
    for (k = 0; k < term->n_marks; k++)
        if (term->mark[k].kind == NTK_MARK_BIAS && !(done & (1 << k)))
            present &= ~((1 << term->mark[k].p) | (1 << term->mark[k].q));
    return present;
}

int
ntk_term_n_full(const ntk_term_t * term)
{
    int present = ntk_term_present(term, 0), n = 0, p;
    for (p = 0; p < term->n_paths; p++)
        n += (present >> p) & 1;
    return n;
}

/* Extends a partial restricted-growth labelling from path p onwards. */
static void
pattern_extend(ntk_pattern_t * out, int * count, ntk_pattern_t * cur,
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
ntk_pattern_enumerate(ntk_pattern_t * out, int n_paths, int present)
{
    ntk_pattern_t cur;
    int count = 0;
    memset(&cur, -1, sizeof(cur));
    cur.n_blocks = 0;
    pattern_extend(out, &count, &cur, 0, n_paths, present);
    return count;
}

int
ntk_pattern_equal(const ntk_pattern_t * a, const ntk_pattern_t * b)
{
    return a->n_blocks == b->n_blocks
        && memcmp(a->block, b->block, sizeof(a->block)) == 0;
}

int
ntk_space_find(const ntk_space_t * space, int done, const ntk_pattern_t * pat)
{
    int s;
    for (s = 0; s < space->n_states; s++)
        if (space->state[s].done == done
            && ntk_pattern_equal(&space->state[s].pattern, pat))
            return s;
    return -1;
}

void
ntk_space_init(ntk_space_t * space, const ntk_term_t * term)
{
    ntk_pattern_t pats[15], one;
    int done, n, k, p, all_done = (1 << term->n_marks) - 1;
    space->term = *term;
    space->n_states = 0;
    space->empty = -1;
    for (done = 0; done <= all_done; done++)
    {
        n = ntk_pattern_enumerate(pats, term->n_paths, ntk_term_present(term, done));
        for (k = 0; k < n; k++)
        {
            ntk_state_t * st = &space->state[space->n_states];
            st->done = done;
            st->pattern = pats[k];
            if (pats[k].n_blocks == 0)
                space->empty = space->n_states;
            space->n_states++;
        }
    }
    /* start: the full paths all on the input neuron x = sqrt(x2) e_1 */
    memset(&one, -1, sizeof(one));
    one.n_blocks = 0;
    for (p = 0; p < term->n_paths; p++)
        if ((ntk_term_present(term, 0) >> p) & 1)
            one.block[p] = 0, one.n_blocks = 1;
    space->start = ntk_space_find(space, 0, &one);
    for (p = 0; p < term->n_paths; p++)
        one.block[p] = 0;
    one.n_blocks = 1;
    space->terminal = ntk_space_find(space, all_done, &one);
}
