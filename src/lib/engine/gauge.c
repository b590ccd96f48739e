/* The gauged layers of a term (gauge.h): the transitions of layer.c with the
   hidden width symbolic, each factor coef n^e ff(n, blocks) times the gauge
   n^(w(to) - w(from)) written as a polynomial in u = 1/n.  With
   ff(n, b) = n^b prod_{j<b} (1 - j u), every exponent of u that remains is
   the number of marks placed at the layer plus the path pairs that the state
   below has merged away (doc/derivation.md, section 13), never negative. */

#include "gauge.h"
#include "transfer.h"

enum { LAYER_FIRST, LAYER_MIDDLE, LAYER_LAST };

/* w(s) of the gauge (gauge.h). */
static int
gauge_weight(const _ntk_space_t * space, int s, int standard)
{
    const _ntk_state_t * st = &space->state[s];
    const _ntk_term_t * term = &space->term;
    int w = _ntk_pattern_n_present(&st->pattern, term->n_paths) / 2 - st->pattern.n_blocks, k;
    for (k = 0; k < term->n_marks; k++)
        if ((st->done >> k) & 1)
            w -= 1 + (term->mark[k].kind == _NTK_MARK_BIAS || standard);
    return w;
}

/* reach[s] <- non-zero for the states of the vector that some layer >= 1
   leads to from the start (the alive empty state stays; a layer that shuts
   leads from it to the dead empty state). */
static void
gauge_reach(char * reach, const _ntk_gauge_t * g, const _ntk_layer_sym_t * first,
            const _ntk_layer_sym_t * middle)
{
    const _ntk_space_t * sp = &g->space;
    int k, grew = 1, dead_empty = g->phases == 2 && sp->empty >= 0 ? sp->n_states + sp->empty : -1;
    for (k = 0; k < g->n_states; k++)
        reach[k] = 0;
    for (k = 0; k < first->n_trans; k++)
        if (first->from[k] == g->start)
            reach[first->to[k]] = 1;
    if (g->start % sp->n_states == sp->empty)
        reach[g->start] = 1;
    while (grew)
    {
        grew = 0;
        if (dead_empty >= 0 && reach[sp->empty] && !reach[dead_empty])
            reach[dead_empty] = grew = 1;
        for (k = 0; k < middle->n_trans; k++)
            if (reach[middle->from[k]] && !reach[middle->to[k]])
                reach[middle->to[k]] = grew = 1;
    }
}

/* p <- coef u^k prod_{j=1}^{blocks-1} (1 - j u). */
static void
gauge_entry(fmpq_poly_t p, const fmpq_t coef, int k, int blocks)
{
    fmpq_poly_t f;
    int j;
    fmpq_poly_init(f);
    fmpq_poly_zero(p);
    fmpq_poly_set_coeff_fmpq(p, k, coef);
    for (j = 1; j < blocks; j++)
    {
        fmpq_poly_zero(f);
        fmpq_poly_set_coeff_si(f, 0, 1);
        fmpq_poly_set_coeff_si(f, 1, -j);
        fmpq_poly_mul(p, p, f);
    }
    fmpq_poly_clear(f);
}

/* The number of bias marks placed in state s. */
static int
gauge_births(const _ntk_space_t * space, int s)
{
    int k, b = 0;
    for (k = 0; k < space->term.n_marks; k++)
        b += ((space->state[s].done >> k) & 1) && space->term.mark[k].kind == _NTK_MARK_BIAS;
    return b;
}

/* The gauged table of one layer from the symbolic one; -1 if an entry has a
   negative power of u.  State s is also scaled by c^b(s), b(s) its placed
   bias marks and c = cw_hidden: a birth's gate A_2 then comes with c A_2,
   which is 1 at the critical variance (for ReLU every middle-layer entry is
   then an integer, and no common denominator grows along the pass). */
static int
gauge_layer_init(_ntk_gauge_layer_t * gl, const _ntk_gauge_t * g, const _ntk_layer_sym_t * sym,
                 int which, const int * w, const char * reach, const fmpq_t c)
{
    int half = _ntk_term_n_full(&g->space.term) / 2, k, n = 0, ok = 1, ns = g->space.n_states;
    fmpq_t f;
    fmpq_init(f);
    fmpq_poly_struct * val = flint_malloc(FLINT_MAX(sym->n_trans, 1) * sizeof(fmpq_poly_struct));
    gl->from = flint_malloc(FLINT_MAX(sym->n_trans, 1) * sizeof(int));
    gl->to = flint_malloc(FLINT_MAX(sym->n_trans, 1) * sizeof(int));
    fmpz_init_set_ui(gl->scale, 1);
    for (k = 0; k < sym->n_trans && ok; k++)
    {
        int from = sym->from[k], to = sym->to[k], shift;
        if (which == LAYER_FIRST ? from != g->start : !reach[from])
            continue;
        shift = sym->n_power[k] + sym->blocks[k]
              + (which == LAYER_FIRST ? w[to] - half
                 : which == LAYER_MIDDLE ? w[to] - w[from] : half - g->power - w[from]);
        ok = shift <= 0;
        fmpq_pow_si(f, c, (which == LAYER_LAST ? 0 : gauge_births(&g->space, to % ns))
                          - (which == LAYER_FIRST ? 0 : gauge_births(&g->space, from % ns)));
        fmpq_mul(f, f, sym->coef + k);
        fmpq_poly_init(val + n);
        gauge_entry(val + n, f, -shift, sym->blocks[k]);
        fmpz_lcm(gl->scale, gl->scale, fmpq_poly_denref(val + n));
        gl->from[n] = from;
        gl->to[n++] = to;
    }
    gl->n_trans = n;
    gl->poly = flint_malloc(FLINT_MAX(n, 1) * sizeof(fmpz_poly_struct));
    for (k = 0; k < n; k++)
    {
        fmpz_t t;
        fmpz_init(t);
        fmpz_divexact(t, gl->scale, fmpq_poly_denref(val + k));
        fmpz_poly_init(gl->poly + k);
        fmpq_poly_get_numerator(gl->poly + k, val + k);
        fmpz_poly_scalar_mul_fmpz(gl->poly + k, gl->poly + k, t);
        fmpz_clear(t);
        fmpq_poly_clear(val + k);
    }
    flint_free(val);
    fmpq_clear(f);
    return ok ? 0 : -1;
}

static void
gauge_layer_clear(_ntk_gauge_layer_t * gl)
{
    int k;
    for (k = 0; k < gl->n_trans; k++)
        fmpz_poly_clear(gl->poly + k);
    flint_free(gl->poly);
    flint_free(gl->from);
    flint_free(gl->to);
    fmpz_clear(gl->scale);
}

/* The gauge from the start state (alive, or at x = 0 the dead empty one). */
static int
gauge_init(_ntk_gauge_t * g, const _ntk_term_t * term, const ntk_conv_struct * conv,
           ulong n0, int phases, int at_zero)
{
    _ntk_layer_kind_t kind;
    _ntk_layer_sym_t * sym = flint_malloc(3 * sizeof(_ntk_layer_sym_t));
    int w[2 * _NTK_MAX_STATES], k, bad, standard = conv->param == NTK_PARAM_STANDARD;
    char reach[2 * _NTK_MAX_STATES];
    /* the reachable space with its moves (the layers are built from them) */
    _ntk_space_init_reachable(&g->space, term);
    g->phases = phases == 2 && _ntk_transfer_phases(term, conv) == 2 ? 2 : 1;
    g->n_states = g->phases * g->space.n_states;
    g->start = g->space.start;
    g->terminal = g->space.terminal;
    if (at_zero)
    {
        if (g->phases != 2 || g->space.start != g->space.empty)
        {
            _ntk_space_clear(&g->space);
            flint_free(sym);
            return -1;
        }
        g->start = g->space.n_states + g->space.empty;
        g->terminal = g->space.n_states + g->space.terminal;
    }
    g->dying = fmpq_is_zero(conv->a_plus) != fmpq_is_zero(conv->a_minus);
    g->power = term->n_marks;
    for (k = 0; k < term->n_marks; k++)
        g->power += standard && term->mark[k].kind == _NTK_MARK_WEIGHT;
    for (k = 0; k < g->n_states; k++)
        w[k] = gauge_weight(&g->space, k % g->space.n_states, standard);
    for (k = 0; k < 3; k++)
    {
        _ntk_layer_kind_init_symbolic(&kind, conv, n0, k == LAYER_FIRST, k == LAYER_LAST,
                                      g->phases == 2);
        _ntk_layer_sym_init(sym + k, &g->space, &kind);
        _ntk_layer_kind_clear(&kind);
    }
    gauge_reach(reach, g, sym + LAYER_FIRST, sym + LAYER_MIDDLE);
    bad = gauge_layer_init(&g->first, g, sym + LAYER_FIRST, LAYER_FIRST, w, reach, conv->cw_hidden);
    bad |= gauge_layer_init(&g->middle, g, sym + LAYER_MIDDLE, LAYER_MIDDLE, w, reach, conv->cw_hidden);
    bad |= gauge_layer_init(&g->last, g, sym + LAYER_LAST, LAYER_LAST, w, reach, conv->cw_hidden);
    for (k = 0; k < 3; k++)
        _ntk_layer_sym_clear(sym + k);
    flint_free(sym);
    if (bad)
        _ntk_gauge_clear(g);
    return bad ? -1 : 0;
}

int
_ntk_gauge_init(_ntk_gauge_t * g, const _ntk_term_t * term, const ntk_conv_struct * conv,
                ulong n0, int phases)
{
    return gauge_init(g, term, conv, n0, phases, 0);
}

int
_ntk_gauge_init_zero(_ntk_gauge_t * g, const _ntk_term_t * term, const ntk_conv_struct * conv,
                     ulong n0)
{
    return gauge_init(g, term, conv, n0, 2, 1);
}

void
_ntk_gauge_clear(_ntk_gauge_t * g)
{
    gauge_layer_clear(&g->first);
    gauge_layer_clear(&g->middle);
    gauge_layer_clear(&g->last);
    _ntk_space_clear(&g->space);
}
