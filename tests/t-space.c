/* The state spaces of the terms (doc/derivation.md, section 14): the even
   set partitions, and the classes of the symmetry of the future, whose
   numbers must match the count of the research prototype. */

#include <string.h>
#include "engine/space.h"
#include "tap.h"

/* Even partitions of n paths: 1, 4, 31, 379; every block even, every path
   in one block, blocks numbered by first appearance, no two the same. */
static void
check_patterns(void)
{
    static const int want[5] = { 1, 1, 4, 31, 379 };
    _ntk_pattern_t * pats = flint_malloc(_NTK_MAX_PATTERNS * sizeof(_ntk_pattern_t));
    int m, ok = 1;
    for (m = 0; m <= 4; m++)
    {
        int n = _ntk_pattern_enumerate(pats, 2 * m, (1 << (2 * m)) - 1), k, j, p;
        ok &= n == want[m];
        for (k = 0; k < n; k++)
        {
            int size[_NTK_MAX_BLOCKS] = { 0 }, next = 0;
            for (p = 0; p < 2 * m; p++)
            {
                ok &= pats[k].block[p] >= 0 && pats[k].block[p] <= next;
                next += pats[k].block[p] == next;
                size[(int) pats[k].block[p]]++;
            }
            ok &= next == pats[k].n_blocks;
            for (j = 0; j < pats[k].n_blocks; j++)
                ok &= size[j] % 2 == 0;
            for (j = 0; j < k; j++)
                ok &= !_ntk_pattern_equal(pats + j, pats + k);
        }
    }
    /* the paths outside the mask are absent */
    ok &= _ntk_pattern_enumerate(pats, 6, 0x2d) == 4 && pats[0].block[1] == -1 && pats[0].block[4] == -1;
    tap_ok(ok, "even partitions of 0, 2, 4, 6, 8 paths: 1, 1, 4, 31, 379, in restricted-growth form");
    flint_free(pats);
}

/* The number of states of each term's reachable space, and the explicit
   transitions out of the representatives of one hidden layer. */
static void
check_spaces(void)
{
    static const int states[_NTK_N_TERMS] = { 2, 2, 8, 4, 7, 16, 9, 1, 2,
                                              24, 26, 16, 7, 3, 84, 92, 67, 33, 12, 5 };
    static const int explicit_moves[_NTK_N_TERMS] = { 3, 3, 38, 14, 27, 56, 27, 1, 6,
                                                      543, 472, 248, 94, 47,
                                                      11743, 10557, 6625, 3024, 1000, 619 };
    int k, ok = 1, total = 0;
    for (k = 0; k < _NTK_N_TERMS; k++)
    {
        const _ntk_space_t * s = _ntk_space_get(k);
        slong j, n = 0;
        for (j = 0; j < s->n_moves; j++)
            n += s->move[j].count;
        if (s->n_states != states[k] || n != explicit_moves[k])
        {
            ok = 0;
            tap_diag("term %d: %d states, %ld explicit transitions", k, s->n_states, (long) n);
        }
        ok &= s->start >= 0 && s->terminal >= 0;
        ok &= (s->empty >= 0) == (_ntk_term_n_full(&s->term) == 0);
        ok &= s->reduced == _ntk_term_disjoint(&s->term);
        ok &= _ntk_space_get(k) == s && _ntk_space_of(_ntk_term_get(k)) == s;
        if (k >= _ntk_term_count(3))
            total += s->n_states;
    }
    tap_ok(ok && total == 293, "states and explicit transitions of the %d terms (order 4: %d states)",
           _NTK_N_TERMS, total);
}

int
main(void)
{
    check_patterns();
    check_spaces();
    flint_cleanup();
    return tap_done();
}
