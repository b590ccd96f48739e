/* The coefficients of a term's value in 1/n at every depth up to a few
   dozen, by one pass up the gauged layers, and their polynomials in the
   depth (doc/derivation.md, section 13).

   In the gauge every middle layer is P + O(u) with P a projection (at the
   critical variance), so the coefficient of u^j of first middle^R last is
   a polynomial in R of degree <= j for R >= j + 1: it is fitted through
   j + 1 depths from d = j + 3 on, and every other depth is compared. */

#include "series.h"

void
_ntk_family_init(_ntk_family_t * f, slong hi, slong n, slong lo, slong top, slong n_lam,
                 const fmpq_t base)
{
    slong i;
    f->hi = hi;
    f->n = n;
    f->lo = lo;
    f->top = top;
    f->n_lam = FLINT_MAX(n_lam, 1);
    fmpq_init(f->base);
    if (base != NULL)
        fmpq_set(f->base, base);
    else
        fmpq_one(f->base);
    f->value = _fmpq_vec_init(FLINT_MAX(n * (top - lo + 1), 1));
    f->poly = flint_malloc(FLINT_MAX(n * f->n_lam, 1) * sizeof(fmpq_poly_struct));
    f->d_min = flint_malloc(FLINT_MAX(n, 1) * sizeof(slong));
    for (i = 0; i < n * f->n_lam; i++)
        fmpq_poly_init(f->poly + i);
    for (i = 0; i < n; i++)
        f->d_min[i] = 2;
}

void
_ntk_family_clear(_ntk_family_t * f)
{
    slong i;
    _fmpq_vec_clear(f->value, FLINT_MAX(f->n * (f->top - f->lo + 1), 1));
    for (i = 0; i < f->n * f->n_lam; i++)
        fmpq_poly_clear(f->poly + i);
    flint_free(f->poly);
    flint_free(f->d_min);
    fmpq_clear(f->base);
}

/* A gauged layer with rational entries. */
typedef struct
{
    int n_trans;
    const int * from, * to;
    fmpq_poly_struct * entry;
}
qlayer_t;

static void
qlayer_init(qlayer_t * q, const _ntk_gauge_layer_t * gl)
{
    int k;
    q->n_trans = gl->n_trans;
    q->from = gl->from;
    q->to = gl->to;
    q->entry = flint_malloc(FLINT_MAX(gl->n_trans, 1) * sizeof(fmpq_poly_struct));
    for (k = 0; k < gl->n_trans; k++)
    {
        fmpq_poly_init(q->entry + k);
        fmpq_poly_set_fmpz_poly(q->entry + k, gl->poly + k);
        fmpq_poly_scalar_div_fmpz(q->entry + k, q->entry + k, gl->scale);
    }
}

static void
qlayer_clear(qlayer_t * q)
{
    int k;
    for (k = 0; k < q->n_trans; k++)
        fmpq_poly_clear(q->entry + k);
    flint_free(q->entry);
}

/* out[to] += v[from] entry, over the transitions, mod u^len; the alive
   empty state stays with factor 1 (q = 0) at a hidden layer. */
static void
qlayer_apply(fmpq_poly_struct * out, const fmpq_poly_struct * v, const qlayer_t * q,
             const _ntk_space_t * space, int stay, slong len, fmpq_poly_t tmp)
{
    int k;
    for (k = 0; k < q->n_trans; k++)
    {
        if (fmpq_poly_is_zero(v + q->from[k]))
            continue;
        fmpq_poly_mullow(tmp, v + q->from[k], q->entry + k, len);
        fmpq_poly_add(out + q->to[k], out + q->to[k], tmp);
    }
    if (stay && space->empty >= 0)
        fmpq_poly_add(out + space->empty, out + space->empty, v + space->empty);
}

void
_ntk_series_term_values(_ntk_family_t * f, const _ntk_gauge_t * g)
{
    const _ntk_space_t * space = &g->space;
    int s, ns = g->n_states;
    fmpq_poly_struct * v = flint_malloc(2 * ns * sizeof(fmpq_poly_struct)), * w = v + ns;
    fmpq_poly_t tmp, one;
    qlayer_t first, middle, last;
    slong d, i;
    fmpq_poly_init(tmp);
    fmpq_poly_init(one);
    fmpq_poly_one(one);
    for (s = 0; s < 2 * ns; s++)
        fmpq_poly_init(v + s);
    qlayer_init(&first, &g->first);
    qlayer_init(&middle, &g->middle);
    qlayer_init(&last, &g->last);
    /* layer 1 from the start state (the empty state stays) */
    fmpq_poly_set(w + g->start, one);
    qlayer_apply(v, w, &first, space, g->start == space->empty, f->n, tmp);
    for (d = 2; d <= f->top; d++)
    {
        for (s = 0; s < ns; s++)
            fmpq_poly_zero(w + s);
        if (d >= f->lo)
        {
            qlayer_apply(w, v, &last, space, 0, f->n, tmp);
            for (i = 0; i < f->n; i++)
                fmpq_poly_get_coeff_fmpq(_NTK_FAMILY_VALUE(f, d, i), w + g->terminal, i);
        }
        if (d == f->top)
            break;
        for (s = 0; s < ns; s++)
            fmpq_poly_zero(w + s);
        qlayer_apply(w, v, &middle, space, 1, f->n, tmp);
        for (s = 0; s < ns; s++)
            fmpq_poly_swap(v + s, w + s);
    }
    qlayer_clear(&first);
    qlayer_clear(&middle);
    qlayer_clear(&last);
    for (s = 0; s < 2 * ns; s++)
        fmpq_poly_clear(v + s);
    flint_free(v);
    fmpq_poly_clear(tmp);
    fmpq_poly_clear(one);
}

/* poly <- the polynomial through (d, y(d)) for d = from .. from + deg. */
static void
interpolate_depths(fmpq_poly_t poly, const _ntk_family_t * f, slong i, slong from, slong deg)
{
    fmpz * xs = _fmpz_vec_init(deg + 1), * ys = _fmpz_vec_init(deg + 1);
    fmpz_t den;
    slong k;
    fmpz_init_set_ui(den, 1);
    for (k = 0; k <= deg; k++)
        fmpz_lcm(den, den, fmpq_denref(_NTK_FAMILY_VALUE(f, from + k, i)));
    for (k = 0; k <= deg; k++)
    {
        const fmpq * y = _NTK_FAMILY_VALUE(f, from + k, i);
        fmpz_set_si(xs + k, from + k);
        fmpz_divexact(ys + k, den, fmpq_denref(y));
        fmpz_mul(ys + k, ys + k, fmpq_numref(y));
    }
    fmpq_poly_interpolate_fmpz_vec(poly, xs, ys, deg + 1);
    fmpq_poly_scalar_div_fmpz(poly, poly, den);
    _fmpz_vec_clear(xs, deg + 1);
    _fmpz_vec_clear(ys, deg + 1);
    fmpz_clear(den);
}

void
_ntk_family_eval(fmpq_t res, const _ntk_family_t * f, slong i, slong d)
{
    fmpq_t x, v, b, bd;
    slong m;
    fmpq_init(x); fmpq_init(v); fmpq_init(b); fmpq_init(bd);
    fmpq_set_si(x, d, 1);
    fmpq_zero(res);
    fmpq_one(b);
    if (f->n_lam > 1)
        fmpq_pow_si(bd, f->base, d);
    for (m = 0; m < f->n_lam; m++)
    {
        if (m > 0)
            fmpq_mul(b, b, bd);
        if (fmpq_poly_is_zero(_NTK_FAMILY_POLY(f, i, m)))
            continue;
        fmpq_poly_evaluate_fmpq(v, _NTK_FAMILY_POLY(f, i, m), x);
        fmpq_mul(v, v, b);
        fmpq_add(res, res, v);
    }
    fmpq_clear(x); fmpq_clear(v); fmpq_clear(b); fmpq_clear(bd);
}

void
_ntk_family_check(_ntk_family_t * f)
{
    fmpq_t v;
    slong i, d;
    fmpq_init(v);
    for (i = 0; i < f->n; i++)
    {
        f->d_min[i] = f->lo;
        for (d = f->top; d >= f->lo; d--)
        {
            _ntk_family_eval(v, f, i, d);
            if (!fmpq_equal(v, _NTK_FAMILY_VALUE(f, d, i)))
            {
                f->d_min[i] = d + 1;
                break;
            }
        }
    }
    fmpq_clear(v);
}

int
_ntk_family_fit(_ntk_family_t * f)
{
    slong i;
    for (i = 0; i < f->n; i++)
    {
        if (2 * i + 3 > f->top)
            return -1;
        interpolate_depths(_NTK_FAMILY_POLY(f, i, 0), f, i, i + 3, i);
    }
    _ntk_family_check(f);
    /* exact from i + 3 on: the depths after the fitted ones must agree */
    for (i = 0; i < f->n; i++)
        if (f->d_min[i] > i + 3)
            return -1;
    return 0;
}
