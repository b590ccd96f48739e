/* The state space of a term: the states reachable from the input, merged
   by the symmetry of the future, and the moves of one layer step.

   In the pass from the output down, the value of a state (done, pattern) is
   the sum over everything above its layer.  That sum depends on the state
   only through the pending weight marks (as pairs of paths, unordered among
   themselves), the number of pending bias marks (their paths are absent),
   and the other present paths, which are all alike: full paths whose weight
   mark is placed, paths of placed bias marks, the paths of N^k.  For a term
   with disjoint marks the states with the same such description form a
   class with one value; the space keeps one representative per class, and
   the moves out of it are all the explicit transitions out of the
   representative, counted by the class of their target (doc/derivation.md,
   section 14).  The update's terms, whose marks share paths (two gradient-
   Hessian-gradient triples), are reduced the same way: pending marks that
   share paths form a component, described up to a relabelling of its paths
   (section 17).  D_ww and D_wb keep every state. */

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "space.h"

static int
popcount(int x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* The key of a state without reduction: done and the block of each path. */
static _ntk_key_t
explicit_key(const _ntk_term_t * term, int done, const _ntk_pattern_t * pat)
{
    _ntk_key_t key;
    int p;
    memset(&key, 0, sizeof(key));
    key.w[0] = (ulong) done;
    for (p = 0; p < term->n_paths; p++)
        key.w[0] |= (ulong) (pat->block[p] + 1) << (4 + 3 * p);
    return key;
}

/* The 24 orders of four blocks. */
static const unsigned char block_orders[24][4] = {
    {0,1,2,3},{0,1,3,2},{0,2,1,3},{0,2,3,1},{0,3,1,2},{0,3,2,1},
    {1,0,2,3},{1,0,3,2},{1,2,0,3},{1,2,3,0},{1,3,0,2},{1,3,2,0},
    {2,0,1,3},{2,0,3,1},{2,1,0,3},{2,1,3,0},{2,3,0,1},{2,3,1,0},
    {3,0,1,2},{3,0,2,1},{3,1,0,2},{3,1,2,0},{3,2,0,1},{3,2,1,0}
};

/* The pending marks of a state, split into connected components (marks
   that share a path): for each component its paths and its marks. */
typedef struct
{
    int n_comp;
    int n_paths[_NTK_MAX_MARKS], path[_NTK_MAX_MARKS][_NTK_MAX_PATHS];
    int n_marks[_NTK_MAX_MARKS], mark[_NTK_MAX_MARKS][_NTK_MAX_MARKS];
    int in_pending;   /* mask of the paths of pending marks */
}
pending_t;

static void
pending_components(pending_t * pc, const _ntk_term_t * term, int done)
{
    int comp_of_mark[_NTK_MAX_MARKS], k, j, p, c, changed = 1;
    memset(pc, 0, sizeof(*pc));
    for (k = 0; k < term->n_marks; k++)
        comp_of_mark[k] = ((done >> k) & 1) ? -1 : k;
    /* merge the components of marks that share a path, to a fixed point */
    while (changed)
    {
        changed = 0;
        for (k = 0; k < term->n_marks; k++)
            for (j = 0; j < term->n_marks; j++)
            {
                const _ntk_mark_t * a = &term->mark[k], * b = &term->mark[j];
                if (comp_of_mark[k] < 0 || comp_of_mark[j] < 0
                    || comp_of_mark[j] <= comp_of_mark[k]
                    || !(a->p == b->p || a->p == b->q || a->q == b->p || a->q == b->q))
                    continue;
                comp_of_mark[j] = comp_of_mark[k];
                changed = 1;
            }
    }
    for (k = 0; k < term->n_marks; k++)
    {
        int mask;
        if (comp_of_mark[k] != k)
            continue;
        c = pc->n_comp++;
        mask = 0;
        for (j = 0; j < term->n_marks; j++)
            if (comp_of_mark[j] == k)
            {
                pc->mark[c][pc->n_marks[c]++] = j;
                mask |= (1 << term->mark[j].p) | (1 << term->mark[j].q);
            }
        for (p = 0; p < term->n_paths; p++)
            if ((mask >> p) & 1)
                pc->path[c][pc->n_paths[c]++] = p;
        pc->in_pending |= mask;
    }
}

/* The permutations of up to four local indices. */
static int
next_permutation(int * a, int n)
{
    int i = n - 2, j, t;
    while (i >= 0 && a[i] >= a[i + 1])
        i--;
    if (i < 0)
        return 0;
    for (j = n - 1; a[j] <= a[i]; j--)
        ;
    t = a[i]; a[i] = a[j]; a[j] = t;
    for (i++, j = n - 1; i < j; i++, j--)
    {
        t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return 1;
}

/* The code of component c with the blocks at positions pos: the least, over
   the orders of its paths, of (its number of paths, each path's block
   position (7: absent), its marks as sorted (kind, local p, local q)). */
static ulong
component_code(const pending_t * pc, int c, const _ntk_term_t * term,
               const _ntk_pattern_t * pat, const int * pos)
{
    int perm[_NTK_MAX_PATHS], local[_NTK_MAX_PATHS], m = pc->n_paths[c], i, k;
    ulong best = UWORD_MAX;
    for (i = 0; i < m; i++)
        perm[i] = i;
    do
    {
        ulong code = (ulong) m, mc[_NTK_MAX_MARKS];
        for (i = 0; i < m; i++)
        {
            int b = pat->block[pc->path[c][perm[i]]];
            local[pc->path[c][perm[i]]] = i;
            code = (code << 3) | (ulong) (b < 0 ? 7 : pos[b]);
        }
        for (k = 0; k < pc->n_marks[c]; k++)
        {
            const _ntk_mark_t * mk = &term->mark[pc->mark[c][k]];
            int u = local[mk->p], v = local[mk->q];
            mc[k] = ((ulong) mk->kind << 6) | (ulong) (u < v ? 8 * u + v : 8 * v + u);
        }
        for (k = 1; k < pc->n_marks[c]; k++)
            for (i = k; i > 0 && mc[i - 1] > mc[i]; i--)
            {
                ulong t = mc[i]; mc[i] = mc[i - 1]; mc[i - 1] = t;
            }
        for (k = 0; k < pc->n_marks[c]; k++)
            code = (code << 7) | mc[k];
        if (code < best)
            best = code;
    }
    while (next_permutation(perm, m));
    return best;
}

static int
key_cmp(const _ntk_key_t * a, const _ntk_key_t * b)
{
    int k;
    for (k = 0; k < 6; k++)
        if (a->w[k] != b->w[k])
            return a->w[k] < b->w[k] ? -1 : 1;
    return 0;
}

/* The key of the class of a state under the symmetry of the future: the
   least over the orders of the blocks of (the number of blocks, the number
   of free present paths of each block in that order, the sorted codes of
   the components of the pending marks).  Two states with the same key have
   the same future: some relabelling of the paths maps the one's blocks,
   free paths and pending marks onto the other's. */
static _ntk_key_t
class_key(const _ntk_term_t * term, int done, const _ntk_pattern_t * pat)
{
    int free[_NTK_MAX_BLOCKS] = { 0 }, nb = pat->n_blocks, o, p, j, k, i;
    pending_t pc;
    _ntk_key_t best;
    memset(&best, 0xff, sizeof(best));
    pending_components(&pc, term, done);
    for (p = 0; p < term->n_paths; p++)
        if (pat->block[p] >= 0 && !((pc.in_pending >> p) & 1))
            free[(int) pat->block[p]]++;
    for (o = 0; o < 24; o++)
    {
        const unsigned char * ord = block_orders[o];
        int pos[_NTK_MAX_BLOCKS], ok = 1;
        _ntk_key_t cand;
        memset(&cand, 0, sizeof(cand));
        for (j = 0; j < nb; j++)
            ok &= ord[j] < nb;
        /* the orders of fewer blocks: the first of each (the rest in order) */
        for (j = nb; j < _NTK_MAX_BLOCKS; j++)
            ok &= ord[j] == j;
        if (!ok)
            continue;
        for (j = 0; j < nb; j++)
            pos[ord[j]] = j;
        cand.w[0] = ((ulong) nb << 8) | (ulong) pc.n_comp;
        for (j = 0; j < nb; j++)
            cand.w[0] = (cand.w[0] << 4) | (ulong) free[ord[j]];
        for (k = 0; k < pc.n_comp; k++)
            cand.w[1 + k] = component_code(&pc, k, term, pat, pos);
        for (k = 1; k < pc.n_comp; k++)
            for (i = 1 + k; i > 1 && cand.w[i - 1] > cand.w[i]; i--)
            {
                ulong t = cand.w[i]; cand.w[i] = cand.w[i - 1]; cand.w[i - 1] = t;
            }
        if (key_cmp(&cand, &best) < 0)
            best = cand;
    }
    return best;
}

static _ntk_key_t
state_key(const _ntk_space_t * space, int done, const _ntk_pattern_t * pat)
{
    return space->reduced ? class_key(&space->term, done, pat)
                          : explicit_key(&space->term, done, pat);
}

int
_ntk_space_find(const _ntk_space_t * space, int done, const _ntk_pattern_t * pat)
{
    _ntk_key_t key = state_key(space, done, pat);
    int s;
    for (s = 0; s < space->n_states; s++)
        if (key_cmp(space->key + s, &key) == 0)
            return s;
    return -1;
}

/* The index of the state (or class) of (done, pat), added if new. */
static int
space_add(_ntk_space_t * space, int done, const _ntk_pattern_t * pat)
{
    int s = _ntk_space_find(space, done, pat);
    if (s >= 0)
        return s;
    if (space->n_states == _NTK_MAX_STATES)
    {
        /* cannot happen for the terms of term.c */
        fprintf(stderr, "ntkexact: more than %d states in a term's space\n", _NTK_MAX_STATES);
        flint_abort();
    }
    s = space->n_states++;
    space->state[s].done = done;
    space->state[s].pattern = *pat;
    space->key[s] = state_key(space, done, pat);
    return s;
}

/* The state with all the full paths on the input neuron, and the one with
   every path on the output neuron. */
static void
space_start_terminal(_ntk_pattern_t * start, _ntk_pattern_t * terminal, const _ntk_term_t * term)
{
    int p, full = _ntk_term_present(term, 0);
    memset(start, -1, sizeof(*start));
    memset(terminal, -1, sizeof(*terminal));
    start->n_blocks = full != 0;
    terminal->n_blocks = 1;
    for (p = 0; p < term->n_paths; p++)
    {
        if ((full >> p) & 1)
            start->block[p] = 0;
        terminal->block[p] = 0;
    }
}

static void
space_base_init(_ntk_space_t * space, const _ntk_term_t * term, int reduced)
{
    memset(space, 0, sizeof(*space));
    space->term = *term;
    space->reduced = reduced;
    space->start = space->terminal = space->empty = -1;
}

/* The empty state: the one without blocks, if any. */
static int
space_empty(const _ntk_space_t * space)
{
    int s;
    for (s = 0; s < space->n_states; s++)
        if (space->state[s].pattern.n_blocks == 0)
            return s;
    return -1;
}

void
_ntk_space_init(_ntk_space_t * space, const _ntk_term_t * term)
{
    _ntk_pattern_t pats[_NTK_MAX_PATTERNS], start, terminal;
    int done, n, k, all_done = (1 << term->n_marks) - 1;
    space_base_init(space, term, 0);
    for (done = 0; done <= all_done; done++)
    {
        n = _ntk_pattern_enumerate(pats, term->n_paths, _ntk_term_present(term, done));
        for (k = 0; k < n; k++)
            space_add(space, done, pats + k);
    }
    space_start_terminal(&start, &terminal, term);
    space->start = _ntk_space_find(space, 0, &start);
    space->terminal = _ntk_space_find(space, all_done, &terminal);
    space->empty = space_empty(space);
}

/* A growing list of moves. */
typedef struct
{
    _ntk_move_t * move;
    slong n, alloc, first;   /* first: the first move of the state being expanded */
}
move_list_t;

/* Adds one explicit transition, merged with an equal move of the same state. */
static void
move_list_add(move_list_t * ml, const _ntk_move_t * mv)
{
    slong k;
    for (k = ml->first; k < ml->n; k++)
    {
        _ntk_move_t * o = ml->move + k;
        if (o->to == mv->to && o->n_blocks == mv->n_blocks && o->n_weight == mv->n_weight
            && o->n_bias == mv->n_bias && memcmp(o->gate, mv->gate, sizeof(o->gate)) == 0
            && memcmp(o->edge, mv->edge, sizeof(o->edge)) == 0)
        {
            o->count += mv->count;
            return;
        }
    }
    if (ml->n == ml->alloc)
    {
        ml->alloc = FLINT_MAX(64, 2 * ml->alloc);
        ml->move = flint_realloc(ml->move, ml->alloc * sizeof(_ntk_move_t));
    }
    ml->move[ml->n++] = *mv;
}

/* Which paths the marks in `placed` remove (weight marks: their edge at this
   layer) and bring to life (bias marks); 0 when they cannot all be placed at
   one layer: a weight mark needs its two paths on one neuron below, and a
   path has one edge per layer. */
static int
placement(int * removed, int * born, _ntk_move_t * mv, const _ntk_term_t * term,
          const _ntk_state_t * from, int placed)
{
    int k, used = 0;
    *removed = *born = 0;
    mv->n_weight = mv->n_bias = 0;
    for (k = 0; k < term->n_marks; k++)
    {
        const _ntk_mark_t * mk = &term->mark[k];
        int pq = (1 << mk->p) | (1 << mk->q);
        if (!((placed >> k) & 1))
            continue;
        if (mk->kind == _NTK_MARK_BIAS)
        {
            *born |= pq;
            mv->n_bias++;
            continue;
        }
        if (from->pattern.block[mk->p] < 0
            || from->pattern.block[mk->p] != from->pattern.block[mk->q] || (used & pq))
            return 0;
        used |= pq;
        *removed |= pq;
        mv->n_weight++;
    }
    return 1;
}

/* The edges from the source blocks (the moving paths of each, `group`) into
   the target pattern: 0 if one carries an odd number of weights. */
static int
move_edges(_ntk_move_t * mv, const int * group, int n_groups, const int * tmask, int n_blocks)
{
    int g, b;
    memset(mv->edge, 0, sizeof(mv->edge));
    memset(mv->gate, 0, sizeof(mv->gate));
    for (g = 0; g < n_groups; g++)
        for (b = 0; b < n_blocks; b++)
        {
            int m = popcount(group[g] & tmask[b]);
            if (m % 2 != 0)
                return 0;
            if (m > 0)
                mv->edge[m / 2]++;
        }
    for (b = 0; b < n_blocks; b++)
        mv->gate[popcount(tmask[b]) / 2]++;
    return 1;
}

/* Every explicit transition out of state s (its representative), for every
   subset of the pending marks placed at the layer. */
static void
space_expand(_ntk_space_t * space, move_list_t * ml, int s, _ntk_pattern_t * pats)
{
    const _ntk_term_t * term = &space->term;
    const _ntk_state_t from = space->state[s];
    int all_done = (1 << term->n_marks) - 1, pending = all_done & ~from.done;
    int present = _ntk_term_present(term, from.done), smask[_NTK_MAX_BLOCKS], placed;
    _ntk_pattern_masks(smask, &from.pattern, term->n_paths);
    ml->first = ml->n;
    for (placed = pending; ; placed = (placed - 1) & pending)
    {
        _ntk_move_t mv;
        int removed, born, group[_NTK_MAX_BLOCKS], b, n, k, j;
        memset(&mv, 0, sizeof(mv));
        if (placement(&removed, &born, &mv, term, &from, placed))
        {
            for (b = 0; b < from.pattern.n_blocks; b++)
                group[b] = smask[b] & ~removed;
            n = _ntk_pattern_enumerate(pats, term->n_paths, present | born);
            for (k = 0; k < n; k++)
            {
                int tmask[_NTK_MAX_BLOCKS], ok = 1;
                _ntk_pattern_masks(tmask, pats + k, term->n_paths);
                /* a placed mark's two paths end on one neuron */
                for (j = 0; j < term->n_marks && ok; j++)
                    if ((placed >> j) & 1)
                        ok = pats[k].block[term->mark[j].p] == pats[k].block[term->mark[j].q];
                if (!ok || !move_edges(&mv, group, from.pattern.n_blocks, tmask, pats[k].n_blocks))
                    continue;
                mv.from = (short) s;
                mv.to = (short) space_add(space, from.done | placed, pats + k);
                mv.n_blocks = (signed char) pats[k].n_blocks;
                mv.count = 1;
                move_list_add(ml, &mv);
            }
        }
        if (placed == 0)
            break;
    }
}

/* Keeps the states that reach the terminal state, renumbered in order. */
static void
space_prune(_ntk_space_t * space, move_list_t * ml)
{
    int alive[_NTK_MAX_STATES] = { 0 }, index[_NTK_MAX_STATES], changed = 1, s, n = 0;
    slong k, m = 0;
    if (space->terminal >= 0)
        alive[space->terminal] = 1;
    while (changed)
    {
        changed = 0;
        for (k = 0; k < ml->n; k++)
            if (alive[ml->move[k].to] && !alive[ml->move[k].from])
                alive[ml->move[k].from] = changed = 1;
    }
    for (s = 0; s < space->n_states; s++)
    {
        index[s] = alive[s] ? n : -1;
        if (alive[s])
        {
            space->state[n] = space->state[s];
            space->key[n] = space->key[s];
            n++;
        }
    }
    space->n_states = n;
    for (k = 0; k < ml->n; k++)
        if (alive[ml->move[k].from] && alive[ml->move[k].to])
        {
            ml->move[m] = ml->move[k];
            ml->move[m].from = (short) index[ml->move[k].from];
            ml->move[m].to = (short) index[ml->move[k].to];
            m++;
        }
    ml->n = m;
#define REMAP_(x) ((x) = ((x) >= 0 ? index[x] : -1))
    REMAP_(space->start);
    REMAP_(space->terminal);
#undef REMAP_
}

static void
space_init_reachable(_ntk_space_t * space, const _ntk_term_t * term, int reduced)
{
    _ntk_pattern_t * pats = flint_malloc(_NTK_MAX_PATTERNS * sizeof(_ntk_pattern_t));
    _ntk_pattern_t start, terminal;
    move_list_t ml = { NULL, 0, 0, 0 };
    int s;
    space_base_init(space, term, reduced);
    space_start_terminal(&start, &terminal, term);
    space->start = space_add(space, 0, &start);
    for (s = 0; s < space->n_states; s++)
        space_expand(space, &ml, s, pats);
    space->terminal = _ntk_space_find(space, (1 << term->n_marks) - 1, &terminal);
    space_prune(space, &ml);
    space->empty = space_empty(space);
    space->n_moves = ml.n;
    space->move = flint_realloc(ml.move, FLINT_MAX(ml.n, 1) * sizeof(_ntk_move_t));
    flint_free(pats);
}

void
_ntk_space_init_reachable(_ntk_space_t * space, const _ntk_term_t * term)
{
    space_init_reachable(space, term, _ntk_term_reduced(term));
}

void
_ntk_space_init_reachable_explicit(_ntk_space_t * space, const _ntk_term_t * term)
{
    space_init_reachable(space, term, 0);
}

void
_ntk_space_clear(_ntk_space_t * space)
{
    flint_free(space->move);
    space->move = NULL;
    space->n_moves = 0;
}

/* The spaces of the terms, built on first use: a space is immutable once
   built, so threads share it after the lock hands it out. */
static _ntk_space_t space_cache[_NTK_N_TERMS_ALL];
static int space_built[_NTK_N_TERMS_ALL];
static pthread_mutex_t space_lock = PTHREAD_MUTEX_INITIALIZER;

const _ntk_space_t *
_ntk_space_get(int k)
{
    pthread_mutex_lock(&space_lock);
    if (!space_built[k])
    {
        _ntk_space_init_reachable(space_cache + k, _ntk_term_get(k));
        space_built[k] = 1;
    }
    pthread_mutex_unlock(&space_lock);
    return space_cache + k;
}

const _ntk_space_t *
_ntk_space_of(const _ntk_term_t * term)
{
    int k;
    for (k = 0; k < _NTK_N_TERMS_ALL; k++)
        if (_ntk_term_get(k) == term || memcmp(_ntk_term_get(k), term, sizeof(*term)) == 0)
            return _ntk_space_get(k);
    fprintf(stderr, "ntkexact: a term outside the table of term.c\n");
    flint_abort();
    return NULL;
}
