/* The state space (marks placed, pattern) of a term. */

#include <string.h>
#include "space.h"

int
_ntk_space_find(const _ntk_space_t * space, int done, const _ntk_pattern_t * pat)
{
    int s;
    for (s = 0; s < space->n_states; s++)
        if (space->state[s].done == done
            && _ntk_pattern_equal(&space->state[s].pattern, pat))
            return s;
    return -1;
}

void
_ntk_space_init(_ntk_space_t * space, const _ntk_term_t * term)
{
    _ntk_pattern_t pats[_NTK_MAX_PATTERNS], one;
    int done, n, k, p, all_done = (1 << term->n_marks) - 1;
    space->term = *term;
    space->n_states = 0;
    space->empty = -1;
    for (done = 0; done <= all_done; done++)
    {
        n = _ntk_pattern_enumerate(pats, term->n_paths, _ntk_term_present(term, done));
        for (k = 0; k < n; k++)
        {
            _ntk_state_t * st = &space->state[space->n_states];
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
        if ((_ntk_term_present(term, 0) >> p) & 1)
            one.block[p] = 0, one.n_blocks = 1;
    space->start = _ntk_space_find(space, 0, &one);
    for (p = 0; p < term->n_paths; p++)
        one.block[p] = 0;
    one.n_blocks = 1;
    space->terminal = _ntk_space_find(space, all_done, &one);
}
