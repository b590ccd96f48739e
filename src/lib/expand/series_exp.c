/* The coefficients of a term's series in 1/n away from the critical
   variance (doc/derivation.md, section 13): exponential polynomials
   sum_m base^(m d) P_m(d) in the depth, found from their values by partial
   fractions.

   With v(t) = the coefficient of u^i at the depth d0 + t (d0 = i + 3, from
   where the form is exact), sum_t v(t) z^t = H(z) / prod_m (1 - b_m z)^(J_m + 1),
   b_m = base^m, deg H < N = sum_m (J_m + 1): so H is the product of the
   values' series with the denominator, truncated, and its coefficients from
   N on vanish (the check).  At z = (1 - t)/b_m the pole of level m is
   t^-(J_m + 1) times H / (the other factors), whose expansion in t gives the
   coefficients c_s of 1/(1 - b_m z)^s, and [z^t] 1/(1 - b z)^s =
   C(t + s - 1, s - 1) b^t. */

#include "series.h"

/* Depths checked beyond those that fix the form. */
#define EXTRA_DEPTHS 3

/* The degree bound of level m in the coefficient of u^i: every chain of
   the pass ends at level m_hi, and each level it climbs costs a placed mark,
   one u (doc/derivation.md, section 13); -1 when the level cannot occur. */
static slong
level_degree(slong i, slong m, slong m_hi)
{
    return i - (m_hi - m);
}

/* The number of unknowns of the coefficient of u^i. */
static slong
fit_unknowns(slong i, slong m_lo, slong m_hi)
{
    slong m, n = 0;
    for (m = m_lo; m <= m_hi; m++)
        n += FLINT_MAX(level_degree(i, m, m_hi) + 1, 0);
    return n;
}

slong
_ntk_family_fit_exp_top(slong n, slong m_lo, slong m_hi)
{
    slong i, top = 2;
    for (i = 0; i < n; i++)
        top = FLINT_MAX(top, i + 3 + fit_unknowns(i, m_lo, m_hi) - 1 + EXTRA_DEPTHS);
    return top;
}

/* p <- prod over the levels m != skip of (1 - b^m z)^(J_m + 1). */
static void
denominator(fmpq_poly_t p, const fmpq_t base, slong i, slong m_lo, slong m_hi, slong skip)
{
    fmpq_poly_t f;
    fmpq_t b;
    slong m, e;
    fmpq_poly_init(f);
    fmpq_init(b);
    fmpq_poly_one(p);
    for (m = m_lo; m <= m_hi; m++)
    {
        if (m == skip)
            continue;
        fmpq_pow_si(b, base, m);
        fmpq_neg(b, b);
        fmpq_poly_one(f);
        fmpq_poly_set_coeff_fmpq(f, 1, b);
        for (e = 0; e <= level_degree(i, m, m_hi); e++)
            fmpq_poly_mul(p, p, f);
    }
    fmpq_poly_clear(f);
    fmpq_clear(b);
}

/* poly <- the part of level m (b = base^m, degree J) of the coefficient
   whose generating function from the depth d0 on is H / den. */
static void
level_part(fmpq_poly_t poly, const fmpq_poly_t H, const fmpq_t base, slong i, slong m,
           slong m_lo, slong m_hi, slong d0)
{
    slong J = level_degree(i, m, m_hi), s;
    fmpq_poly_t lin, hm, em, q, binom, step;
    fmpq_t b, c;
    fmpq_poly_init(lin); fmpq_poly_init(hm); fmpq_poly_init(em); fmpq_poly_init(q);
    fmpq_poly_init(binom); fmpq_poly_init(step);
    fmpq_init(b); fmpq_init(c);
    fmpq_pow_si(b, base, m);
    /* z = (1 - t) / b */
    fmpq_inv(c, b);
    fmpq_poly_set_coeff_fmpq(lin, 0, c);
    fmpq_neg(c, c);
    fmpq_poly_set_coeff_fmpq(lin, 1, c);
    fmpq_poly_compose(hm, H, lin);
    denominator(em, base, i, m_lo, m_hi, m);
    fmpq_poly_compose(em, em, lin);
    fmpq_poly_div_series(q, hm, em, J + 1);
    /* P(x) = sum_s c_s C(x + s - 1, s - 1), c_s = [t^(J + 1 - s)] q */
    fmpq_poly_zero(poly);
    fmpq_poly_one(binom);
    for (s = 1; s <= J + 1; s++)
    {
        fmpq_poly_get_coeff_fmpq(c, q, J + 1 - s);
        fmpq_poly_scalar_mul_fmpq(step, binom, c);
        fmpq_poly_add(poly, poly, step);
        /* C(x + s, s) = C(x + s - 1, s - 1) (x + s) / s */
        fmpq_poly_zero(step);
        fmpq_poly_set_coeff_si(step, 0, s);
        fmpq_poly_set_coeff_si(step, 1, 1);
        fmpq_poly_mul(binom, binom, step);
        fmpq_poly_scalar_div_si(binom, binom, s);
    }
    /* base^(m (d - d0)) P(d - d0) = base^(m d) [b^-d0 P(d - d0)] */
    fmpq_poly_zero(lin);
    fmpq_poly_set_coeff_si(lin, 0, -d0);
    fmpq_poly_set_coeff_si(lin, 1, 1);
    fmpq_poly_compose(poly, poly, lin);
    fmpq_pow_si(c, b, -d0);
    fmpq_poly_scalar_mul_fmpq(poly, poly, c);
    fmpq_poly_clear(lin); fmpq_poly_clear(hm); fmpq_poly_clear(em); fmpq_poly_clear(q);
    fmpq_poly_clear(binom); fmpq_poly_clear(step);
    fmpq_clear(b); fmpq_clear(c);
}

/* Coefficient i: its parts from the depths d0 = i + 3 .. top; 0, or -1 if
   the values there are not of the form. */
static int
fit_coeff(_ntk_family_t * f, slong i, slong m_lo, slong m_hi)
{
    slong d0 = i + 3, len = f->top - d0 + 1, N = fit_unknowns(i, m_lo, m_hi), t, m;
    fmpq_poly_t G, den;
    fmpq_t c;
    int ok = 1;
    if (len < N + EXTRA_DEPTHS)
        return -1;
    fmpq_poly_init(G); fmpq_poly_init(den);
    fmpq_init(c);
    for (t = 0; t < len; t++)
        fmpq_poly_set_coeff_fmpq(G, t, _NTK_FAMILY_VALUE(f, d0 + t, i));
    denominator(den, f->base, i, m_lo, m_hi, -1);
    fmpq_poly_mullow(G, G, den, len);
    for (t = N; t < len && ok; t++)
    {
        fmpq_poly_get_coeff_fmpq(c, G, t);
        ok = fmpq_is_zero(c);
    }
    fmpq_poly_truncate(G, N);
    for (m = 0; m < f->n_lam; m++)
        fmpq_poly_zero(_NTK_FAMILY_POLY(f, i, m));
    for (m = m_lo; m <= m_hi && ok; m++)
        if (level_degree(i, m, m_hi) >= 0)
            level_part(_NTK_FAMILY_POLY(f, i, m), G, f->base, i, m, m_lo, m_hi, d0);
    fmpq_poly_clear(G); fmpq_poly_clear(den);
    fmpq_clear(c);
    return ok ? 0 : -1;
}

int
_ntk_family_fit_exp(_ntk_family_t * f, slong m_lo, slong m_hi)
{
    slong i;
    if (m_hi >= f->n_lam || m_lo < 0 || fmpq_is_zero(f->base) || fmpq_is_one(f->base))
        return -1;
    for (i = 0; i < f->n; i++)
        if (fit_coeff(f, i, m_lo, m_hi) != 0)
            return -1;
    _ntk_family_check(f);
    /* exact from i + 3 on, where the fit began */
    for (i = 0; i < f->n; i++)
        if (f->d_min[i] > i + 3)
            return -1;
    return 0;
}
