/* The exact function of n of every quantity in one pass (doc/derivation.md,
   section 13): the transfer recursion down the gauged layers of gauge.c,
   every state's value a polynomial in u = 1/n with integer coefficients over
   one common denominator, and the empty state's value a polynomial in
   q = 2^-n whose coefficients are such polynomials (the dead-layer factor
   1 - q of each hidden layer folded in by Horner's rule, as transfer.c does
   for one concrete width). */

#include "base/error.h"
#include "expand_pass.h"
#include "moments/moments.h"
#include "base/parallel.h"
#include "base/progress.h"
#include "engine/transfer.h"

/* res += a * b, b a short polynomial: one scalar addmul per term of b. */
static void
poly_addmul_short(fmpz_poly_t res, const fmpz_poly_t a, const fmpz_poly_t b)
{
    slong la = fmpz_poly_length(a), lb = fmpz_poly_length(b), len = la + lb - 1, k;
    if (la == 0 || lb == 0)
        return;
    fmpz_poly_fit_length(res, len);
    if (fmpz_poly_length(res) < len)
    {
        _fmpz_vec_zero(res->coeffs + res->length, len - res->length);
        _fmpz_poly_set_length(res, len);
    }
    for (k = 0; k < lb; k++)
        if (!fmpz_is_zero(b->coeffs + k))
            _fmpz_vec_scalar_addmul_fmpz(res->coeffs + k, a->coeffs, la, b->coeffs + k);
    _fmpz_poly_normalise(res);
}

/* The running sums of the pass: g[s] for the states after the current
   layer, over the common denominator den; the empty state's value
   sum_j q^j empty[j] when the term starts empty. */
typedef struct
{
    const _ntk_gauge_t * gauge;
    fmpz_poly_struct * g, * g_next;
    fmpz_t den;
    fmpz_poly_struct * empty;
    slong n_empty, alloc_empty;
    int dying;          /* a hidden layer can shut, and 2^-n is kept */
}
pass_t;

/* One layer down: g <- T g (from the states after the layer to those
   before). */
static void
pass_step(pass_t * ps, const _ntk_gauge_layer_t * gl)
{
    int k, n = ps->gauge->n_states;
    fmpz_poly_struct * t;
    for (k = 0; k < n; k++)
        fmpz_poly_zero(ps->g_next + k);
    for (k = 0; k < gl->n_trans; k++)
        poly_addmul_short(ps->g_next + gl->from[k], ps->g + gl->to[k], gl->poly + k);
    t = ps->g; ps->g = ps->g_next; ps->g_next = t;
    fmpz_mul(ps->den, ps->den, gl->scale);
}

/* Room for n polynomials in q's coefficients of the empty state. */
static void
pass_fit_empty(pass_t * ps, slong n)
{
    slong j;
    if (n <= ps->alloc_empty)
        return;
    n = FLINT_MAX(n, 2 * ps->alloc_empty);
    ps->empty = flint_realloc(ps->empty, n * sizeof(fmpz_poly_struct));
    for (j = ps->alloc_empty; j < n; j++)
        fmpz_poly_init(ps->empty + j);
    ps->alloc_empty = n;
}

/* The empty state after a step: empty <- scale ((1 - q) empty + q dead) +
   births at a hidden layer that can shut (dead: the dead empty state's value
   before the step), empty <- scale empty + births at one that cannot, and
   empty <- births at the output layer. */
static void
pass_fold(pass_t * ps, const _ntk_gauge_layer_t * gl, int hidden)
{
    const _ntk_gauge_t * g = ps->gauge;
    int e = g->space.empty;
    slong j;
    if (!hidden)
    {
        ps->n_empty = 1;
        fmpz_poly_zero(ps->empty + 0);
    }
    else
    {
        if (ps->dying)
        {
            pass_fit_empty(ps, ps->n_empty + 1);
            fmpz_poly_zero(ps->empty + ps->n_empty);
            for (j = ps->n_empty; j >= 1; j--)
                fmpz_poly_sub(ps->empty + j, ps->empty + j, ps->empty + j - 1);
            ps->n_empty++;
            if (g->phases == 2)
                fmpz_poly_add(ps->empty + 1, ps->empty + 1, ps->g_next + g->space.n_states + e);
        }
        for (j = 0; j < ps->n_empty; j++)
            fmpz_poly_scalar_mul_fmpz(ps->empty + j, ps->empty + j, gl->scale);
    }
    fmpz_poly_add(ps->empty + 0, ps->empty + 0, ps->g + e);
    fmpz_poly_zero(ps->g + e);
    while (ps->n_empty > 1 && fmpz_poly_is_zero(ps->empty + ps->n_empty - 1))
        ps->n_empty--;
}

/* The value of a term: sum_j q^j phi[j](u) n^power / den. */
typedef struct
{
    slong n_q;
    fmpz_poly_struct * phi;
    fmpz_t den;
}
term_value_t;

static void
pass_init(pass_t * ps, const _ntk_gauge_t * g, int keep_q)
{
    int k;
    ps->gauge = g;
    ps->g = flint_malloc(2 * g->n_states * sizeof(fmpz_poly_struct));
    ps->g_next = ps->g + g->n_states;
    for (k = 0; k < 2 * g->n_states; k++)
        fmpz_poly_init(ps->g + k);
    fmpz_init_set_ui(ps->den, 1);
    ps->empty = NULL;
    ps->n_empty = ps->alloc_empty = 0;
    pass_fit_empty(ps, 1);
    ps->n_empty = 1;
    ps->dying = g->dying && keep_q;
}

/* Moves the result into v and frees the rest of the pass. */
static void
pass_finish(term_value_t * v, pass_t * ps)
{
    const _ntk_gauge_t * g = ps->gauge;
    fmpz_poly_struct * base = ps->g < ps->g_next ? ps->g : ps->g_next;
    slong j;
    int k, starts_empty = g->space.start == g->space.empty;
    /* at x = 0 (g->start in the dead phase) no 2^-n: the value of the start */
    starts_empty = starts_empty && g->start == g->space.start;
    v->n_q = starts_empty ? ps->n_empty : 1;
    v->phi = flint_malloc(v->n_q * sizeof(fmpz_poly_struct));
    for (j = 0; j < v->n_q; j++)
    {
        fmpz_poly_init(v->phi + j);
        fmpz_poly_swap(v->phi + j, starts_empty ? ps->empty + j : ps->g + g->start);
    }
    fmpz_init(v->den);
    fmpz_swap(v->den, ps->den);
    for (k = 0; k < 2 * g->n_states; k++)
        fmpz_poly_clear(base + k);
    flint_free(base);
    for (j = 0; j < ps->alloc_empty; j++)
        fmpz_poly_clear(ps->empty + j);
    flint_free(ps->empty);
    fmpz_clear(ps->den);
}

/* Runs the pass of one term from the output layer down to layer 1. */
static ntk_status_t
term_pass(term_value_t * v, const _ntk_gauge_t * g, slong depth, int keep_q,
          _ntk_progress_t * progress)
{
    pass_t ps;
    slong r, units = 0;
    int folds = g->space.start == g->space.empty, stop = 0;
    pass_init(&ps, g, keep_q);
    fmpz_poly_one(ps.g + g->space.terminal);
    if (g->phases == 2)
        fmpz_poly_one(ps.g + g->space.n_states + g->space.terminal);
    pass_step(&ps, &g->last);
    if (folds)
        pass_fold(&ps, &g->last, 0);
    for (r = 0; r < depth - 2 && !stop; r++)
    {
        pass_step(&ps, &g->middle);
        if (folds)
            pass_fold(&ps, &g->middle, 1);
        units += g->middle.n_trans * (r + 1);
        if (r % 16 == 15 || r == depth - 3)
        {
            stop = _ntk_progress_add(progress, units);
            units = 0;
        }
    }
    pass_step(&ps, &g->first);
    if (folds)
        pass_fold(&ps, &g->first, 1);
    pass_finish(v, &ps);
    return stop ? NTK_ERR_INTERRUPTED : NTK_OK;
}

/* The terms, one item of the parallel loop each. */
typedef struct
{
    const ntk_conv_struct * conv;
    ulong n0;
    slong depth;
    int keep_q, at_zero;
    _ntk_progress_t * progress;
    term_value_t value[_NTK_N_TERMS];
    int power[_NTK_N_TERMS];
    int todo[_NTK_N_TERMS];
    int ran[_NTK_N_TERMS];        /* value[todo[i]] is set */
    ntk_status_t status[_NTK_N_TERMS];
}
pass_work_t;

static int
pass_item(void * args, slong i, int worker)
{
    pass_work_t * w = args;
    int k = w->todo[i];
    _ntk_gauge_t g;
    if ((w->at_zero ? _ntk_gauge_init_zero(&g, _ntk_term_get(k), w->conv, w->n0)
         : _ntk_gauge_init(&g, _ntk_term_get(k), w->conv, w->n0, w->keep_q ? 2 : 1)) != 0)
    {
        w->status[i] = NTK_ERR_RANGE;
        return 1;
    }
    w->power[k] = g.power;
    w->ran[i] = 1;
    w->status[i] = term_pass(w->value + k, &g, w->depth, w->keep_q, w->progress);
    _ntk_gauge_clear(&g);
    return w->status[i] != NTK_OK;
}

/* parts[j] <- n^(shift + power) phi_j(1/n) / den as a polynomial in n
   (j < n_q); -1 if a power of n would be below n^-shift. */
static int
term_parts(fmpq_poly_struct * parts, const term_value_t * v, int power, slong shift)
{
    slong j, k;
    for (j = 0; j < v->n_q; j++)
    {
        slong len = fmpz_poly_length(v->phi + j);
        fmpq_poly_zero(parts + j);
        if (len > shift + power + 1)
            return -1;
        for (k = 0; k < len; k++)
            fmpq_poly_set_coeff_fmpz(parts + j, shift + power - k, v->phi[j].coeffs + k);
        fmpq_poly_scalar_div_fmpz(parts + j, parts + j, v->den);
    }
    return 0;
}

/* The lowest power of a non-zero polynomial. */
static slong
poly_valuation(const fmpq_poly_t a)
{
    slong v = 0;
    while (fmpz_is_zero(fmpq_poly_numref(a) + v))
        v++;
    return v;
}

/* res <- a b / n^shift, the product of two parts (multiplied without their
   powers below the lowest, which a shift of d + 2 makes many); 0 if it is
   not a polynomial. */
static int
part_mul_shifted(fmpq_poly_t res, const fmpq_poly_t a, const fmpq_poly_t b, slong shift)
{
    fmpq_poly_t x, y;
    slong va, vb;
    if (fmpq_poly_is_zero(a) || fmpq_poly_is_zero(b))
    {
        fmpq_poly_zero(res);
        return 1;
    }
    va = poly_valuation(a);
    vb = poly_valuation(b);
    if (va + vb < shift)
        return 0;
    fmpq_poly_init(x); fmpq_poly_init(y);
    fmpq_poly_shift_right(x, a, va);
    fmpq_poly_shift_right(y, b, vb);
    fmpq_poly_mul(res, x, y);
    fmpq_poly_shift_left(res, res, va + vb - shift);
    fmpq_poly_clear(x); fmpq_poly_clear(y);
    return 1;
}

/* A quantity as its parts: sum_j q^j p[j] / n^shift. */
typedef struct
{
    slong n;
    fmpq_poly_struct * p;
}
qparts_t;

/* res += c a b, the product of two quantities (the convolution in q of
   their parts); 0 if a power of n falls below n^-shift. */
static int
qparts_addmul(qparts_t * res, const qparts_t * a, const qparts_t * b, slong c, slong shift)
{
    fmpq_poly_t t;
    slong j, j1;
    int ok = 1;
    fmpq_poly_init(t);
    for (j = 0; j < res->n; j++)
        for (j1 = 0; j1 <= j; j1++)
        {
            if (j1 >= a->n || j - j1 >= b->n)
                continue;
            ok &= part_mul_shifted(t, a->p + j1, b->p + j - j1, shift);
            fmpq_poly_scalar_mul_si(t, t, c);
            fmpq_poly_add(res->p + j, res->p + j, t);
        }
    fmpq_poly_clear(t);
    return ok;
}

/* The central moments from the powers, in the arithmetic of the parts:
   Var_K = E_K2 - E_K^2, M3_K = E_K3 - 3 E_K E_K2 + 2 E_K^3 and
   M4_K = E_K4 - 4 E_K E_K3 + 6 E_K^2 E_K2 - 3 E_K^4 (as moments.c). */
static int
expand_central(ntk_expand_t e, int order)
{
    static const int central[3] = { NTK_VAR_K, NTK_M3_K, NTK_M4_K };
    static const int power[5] = { -1, NTK_E_K, NTK_E_K2, NTK_E_K3, NTK_E_K4 };
    /* c[k][i]: the coefficient of E_K^i E_K(k-i) in the k-th central moment */
    static const slong c[5][5] = { { 0 }, { 0 }, { -1, 0, 1, 0, 0 },
        { 2, 0, -3, 1, 0 }, { -3, 0, 6, -4, 1 } };
    qparts_t pw[5], k1, x, y, res;
    slong j;
    int k, i, ok = 1;
    for (k = 1; k <= order; k++)
    {
        pw[k].n = e->n_parts[power[k]];
        pw[k].p = e->part[power[k]];
    }
    k1 = pw[1];
    for (k = 2; k <= order; k++)
    {
        res.n = e->n_parts[central[k - 2]];
        res.p = e->part[central[k - 2]];
        for (j = 0; j < res.n && j < pw[k].n; j++)
            fmpq_poly_set(res.p + j, pw[k].p + j);
        /* E_K^(k-i) E_K(i) by repeated multiplication by E_K, i = k-1 .. 0 */
        for (i = k - 1; i >= 0; i--)
        {
            slong len = (i >= 1 ? pw[i].n : 1) + (k - i) * (k1.n - 1);
            int m;
            if (c[k][i] == 0)
                continue;
            x.n = i >= 1 ? pw[i].n : 1;
            x.p = flint_malloc(len * sizeof(fmpq_poly_struct));
            for (j = 0; j < len; j++)
                fmpq_poly_init(x.p + j);
            if (i >= 1)
                for (j = 0; j < x.n; j++)
                    fmpq_poly_set(x.p + j, pw[i].p + j);
            else
                fmpq_poly_set_coeff_si(x.p + 0, e->shift, 1);
            for (m = 0; m < k - i; m++)
            {
                y.n = x.n + k1.n - 1;
                y.p = flint_malloc(y.n * sizeof(fmpq_poly_struct));
                for (j = 0; j < y.n; j++)
                    fmpq_poly_init(y.p + j);
                ok &= qparts_addmul(&y, &x, &k1, m + 1 == k - i ? c[k][i] : 1, e->shift);
                for (j = 0; j < y.n; j++)
                    fmpq_poly_swap(x.p + j, y.p + j);
                for (j = 0; j < y.n; j++)
                    fmpq_poly_clear(y.p + j);
                flint_free(y.p);
                x.n = y.n;
            }
            for (j = 0; j < res.n && j < x.n; j++)
                fmpq_poly_add(res.p + j, res.p + j, x.p + j);
            for (j = 0; j < len; j++)
                fmpq_poly_clear(x.p + j);
            flint_free(x.p);
        }
    }
    return ok;
}

/* e's quantities from the terms' parts: the affine assembly, then the
   central moments (products of parts over n^shift once more). */
static int
expand_assemble(ntk_expand_t e, fmpq_poly_struct * const * parts, const slong * n_q,
                const fmpq_t x2, int bias, int order)
{
    int n_terms = _ntk_term_count(order), n_quant = ntk_quantity_count(order),
        row = n_terms + 1, q, k, ok;
    fmpq * lin = _fmpq_vec_init(n_quant * row);
    fmpq_poly_t t;
    slong j, len;
    fmpq_poly_init(t);
    _ntk_moments_affine_order(lin, x2, bias, order);
    for (q = 0; q < n_quant; q++)
    {
        if (ntk_quantity_is_ratio(q))
            continue;
        len = 1;
        for (k = 0; k < n_terms; k++)
            if (!fmpq_is_zero(lin + q * row + k))
                len = FLINT_MAX(len, n_q[k]);
        if (q == NTK_VAR_K || q == NTK_M3_K || q == NTK_M4_K)
        {
            /* E_K^k has k (n_parts(E_K) - 1) + 1 parts */
            int kk = q == NTK_VAR_K ? 2 : q == NTK_M3_K ? 3 : 4;
            static const int power[5] = { -1, NTK_E_K, NTK_E_K2, NTK_E_K3, NTK_E_K4 };
            len = FLINT_MAX(e->n_parts[power[kk]], kk * (e->n_parts[NTK_E_K] - 1) + 1);
        }
        e->n_parts[q] = len;
        e->part[q] = flint_malloc(len * sizeof(fmpq_poly_struct));
        for (j = 0; j < len; j++)
            fmpq_poly_init(e->part[q] + j);
        if (q == NTK_VAR_K || q == NTK_M3_K || q == NTK_M4_K)
            continue;
        fmpq_poly_set_coeff_fmpq(e->part[q] + 0, e->shift, lin + q * row + n_terms);
        for (k = 0; k < n_terms; k++)
            for (j = 0; j < n_q[k] && !fmpq_is_zero(lin + q * row + k); j++)
            {
                fmpq_poly_scalar_mul_fmpq(t, parts[k] + j, lin + q * row + k);
                fmpq_poly_add(e->part[q] + j, e->part[q] + j, t);
            }
    }
    ok = expand_central(e, order);
    /* the parts after the last non-zero one are left out */
    for (q = 0; q < n_quant; q++)
        while (e->n_parts[q] > 1 && fmpq_poly_is_zero(e->part[q] + e->n_parts[q] - 1))
            fmpq_poly_clear(e->part[q] + --e->n_parts[q]);
    fmpq_poly_clear(t);
    _fmpq_vec_clear(lin, n_quant * row);
    return ok;
}

/* The terms of the moments up to E[K^order] in the order of the parallel
   loop (those with the most paths first: they take longest); returns their
   number.  At x = 0 only the terms without full paths that the dead phase
   carries (a_minus != 0): the others vanish. */
static int
pass_todo(int * todo, const ntk_conv_t conv, int order, int at_zero)
{
    static const int order2[_NTK_N_TERMS2] = { _NTK_TERM_KB2, _NTK_TERM_KW2, _NTK_TERM_KWKB,
        _NTK_TERM_DWW, _NTK_TERM_DWB, _NTK_TERM_N4, _NTK_TERM_KW, _NTK_TERM_KB, _NTK_TERM_N2 };
    int paths, k, t, n = 0;
    for (paths = 2 * NTK_ORDER_MAX; paths >= 2; paths -= 2)
        for (k = 0; k < _ntk_term_count(order); k++)
        {
            t = order == 2 ? order2[k] : k;
            if (_ntk_term_get(t)->n_paths == paths
                && (conv->bias || !_ntk_term_has_bias(_ntk_term_get(t)))
                && (!at_zero || (_ntk_term_n_full(_ntk_term_get(t)) == 0
                                 && _ntk_transfer_phases(_ntk_term_get(t), conv) == 2)))
                todo[n++] = t;
        }
    return n;
}

ntk_status_t
_ntk_expand_pass(ntk_expand_t e, slong depth, ulong n0, const fmpq_t x2,
                 const ntk_conv_t conv, int dead_part, int order, const ntk_exec_t exec,
                 ntk_error_t * err)
{
    /* the transitions of a middle layer, roughly, by the number of paths */
    static const slong trans[5] = { 0, 64, 512, 4000, 16000 };
    pass_work_t * w = flint_calloc(1, sizeof(pass_work_t));
    fmpq_poly_struct * parts[_NTK_N_TERMS];
    slong n_q[_NTK_N_TERMS], j, total = 0;
    _ntk_progress_t progress;
    ntk_status_t status;
    int k, i, n_todo, ok = 1;
    w->conv = conv; w->n0 = n0; w->depth = depth;
    w->at_zero = fmpq_is_zero(x2);
    w->keep_q = dead_part && !w->at_zero;
    w->progress = &progress;
    for (k = 0; k < _NTK_N_TERMS; k++)
        n_q[k] = 0;
    n_todo = pass_todo(w->todo, conv, order, w->at_zero);
    for (i = 0; i < n_todo; i++)
        total += (order == 2 ? 512 : trans[_ntk_term_get(w->todo[i])->n_paths / 2])
                 * (depth - 1) * (depth - 1) / 2;
    _ntk_progress_init(&progress, exec, FLINT_MAX(total, 1));
    status = _ntk_parallel_do(pass_item, w, n_todo, exec->threads, err);
    for (i = 0; i < n_todo && status == NTK_OK; i++)
        if (w->status[i] != NTK_OK)
            status = _ntk_error_set(err, w->status[i], "", w->status[i] == NTK_ERR_INTERRUPTED
                ? "the computation was interrupted" : "a layer is not a polynomial in 1/n (please report)");
    ntk_expand_clear(e);
    e->depth = depth;
    e->n0 = n0;
    e->shift = _ntk_expand_shift(depth, order);
    e->dead_part = dead_part;
    e->moment_order = order;
    for (i = 0; i < n_todo; i++)
    {
        k = w->todo[i];
        if (!w->ran[i])
            continue;
        n_q[k] = w->keep_q ? w->value[k].n_q : 1;
        parts[k] = flint_malloc(w->value[k].n_q * sizeof(fmpq_poly_struct));
        for (j = 0; j < w->value[k].n_q; j++)
            fmpq_poly_init(parts[k] + j);
        ok &= term_parts(parts[k], w->value + k, w->power[k], e->shift) == 0;
    }
    if (status == NTK_OK && ok)
        ok &= expand_assemble(e, parts, n_q, x2, conv->bias ? 1 : 0, order);
    if (status == NTK_OK && !ok)
        status = _ntk_error_set(err, NTK_ERR_RANGE, "", "a power of n below n^-%ld (please report)",
                                (long) e->shift);
    for (i = 0; i < n_todo; i++)
    {
        k = w->todo[i];
        if (!w->ran[i])
            continue;
        for (j = 0; j < w->value[k].n_q; j++)
        {
            fmpq_poly_clear(parts[k] + j);
            fmpz_poly_clear(w->value[k].phi + j);
        }
        flint_free(parts[k]);
        flint_free(w->value[k].phi);
        fmpz_clear(w->value[k].den);
    }
    _ntk_progress_clear(&progress);
    flint_free(w);
    if (status != NTK_OK)
        ntk_expand_clear(e);
    return status;
}
