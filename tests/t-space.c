/* The state spaces of the terms (doc/derivation.md, sections 14 and 15): the
   even set partitions, and the classes of the symmetry of the future, whose
   numbers must match the count of the research prototype; for the update's
   terms, whose marks share paths, the reduced spaces against the explicit
   ones, summed exactly over the layers. */

#include <string.h>
#include "engine/transfer.h"
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

/* The update's terms: their reduced spaces (states, moves), and for the six
   paths ones the sums over the reduced and the explicit spaces, equal on
   profiles with widths of 1, other variances, slopes and laws. */
static void
check_update_spaces(void)
{
    static const int states[_NTK_N_TERMS_UPDATE] = { 53, 50, 24, 188, 149, 57 };
    static const char * const widths[4] = { "3,2,2,1", "2,3,1,2,1", "1,1,1,1,1", "4,5,3,1" };
    int k, c, ok = 1, agree = 1;
    for (k = _NTK_N_TERMS; k < _NTK_N_TERMS_ALL; k++)
    {
        const _ntk_space_t * s = _ntk_space_get(k);
        ok &= s->reduced && s->n_states == states[k - _NTK_N_TERMS] && s->start >= 0
              && s->terminal >= 0 && s->empty < 0 && _ntk_term_reduced(&s->term)
              && !_ntk_term_disjoint(&s->term) && s->term.n_marks == 4;
        if (s->term.n_paths != 6)
            continue;
        for (c = 0; c < 4; c++)
        {
            _ntk_space_t e;
            ntk_profile_t p;
            ntk_conv_t conv;
            _ntk_run_t run;
            fmpq_t a, b;
            ntk_profile_init(p); ntk_conv_init(conv);
            fmpq_init(a); fmpq_init(b);
            ntk_profile_set_str(p, widths[c], NULL);
            if (c == 1)
            {
                conv->param = NTK_PARAM_STANDARD;
                fmpq_set_si(conv->a_minus, -1, 3);
                fmpq_set_si(conv->mu4, 9, 5);
                fmpq_set_si(conv->mu6, 27, 7);
                fmpq_set_si(conv->mu8, 9, 1);
            }
            if (c == 2)
                fmpq_set_si(conv->a_minus, -1, 1);
            if (c == 3)
                fmpq_set_si(conv->cw_output, 7, 3);
            run.profile = p; run.conv = conv; run.progress = NULL;
            _ntk_space_init_reachable_explicit(&e, _ntk_term_get(k));
            agree &= e.n_states > s->n_states && !e.reduced
                     && _ntk_transfer_run_space(a, NULL, s, &run) == NTK_OK
                     && _ntk_transfer_run_space(b, NULL, &e, &run) == NTK_OK
                     && fmpq_equal(a, b) && !fmpq_is_zero(a);
            _ntk_space_clear(&e);
            ntk_profile_clear(p); ntk_conv_clear(conv);
            fmpq_clear(a); fmpq_clear(b);
        }
    }
    tap_ok(ok, "the update's terms: reduced spaces of 53, 50, 24, 188, 149, 57 states");
    tap_ok(agree, "the update's six-path terms: reduced and explicit spaces give equal sums "
           "on 4 profiles");
}

int
main(void)
{
    check_patterns();
    check_spaces();
    check_update_spaces();
    flint_cleanup();
    return tap_done();
}
