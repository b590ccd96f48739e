/* The series in 1/n of a ratio num / den^k over Q(d): with num = n^hi_a sum_m
   a_m u^m and den^k = n^hi_d sum_m D_m u^m (u = 1/n), the m-th coefficient
   of the quotient is N_m / D_0^(m+1), N_m = a_m D_0^m - sum_{l<m} N_l D_{m-l}
   D_0^(m-1-l), reduced to lowest terms. */

#include "series.h"

/* D <- the coefficients 0 .. len-1 of den^k (k >= 1), polynomials and
   values at every depth (at the critical variance: part 0 only). */
static void
power_family(_ntk_family_t * D, const _ntk_family_t * den, int k, slong len)
{
    _ntk_family_t P;
    fmpq_poly_t t;
    fmpq_t v;
    slong m, l, d;
    int j;
    fmpq_poly_init(t);
    fmpq_init(v);
    _ntk_family_init(D, k * den->hi, len, den->lo, den->top, 1, NULL);
    for (m = 0; m < len && m < den->n; m++)
    {
        fmpq_poly_set(D->poly + m, den->poly + m * den->n_lam);
        for (d = D->lo; d <= D->top; d++)
            fmpq_set(_NTK_FAMILY_VALUE(D, d, m), _NTK_FAMILY_VALUE(den, d, m));
    }
    for (j = 2; j <= k; j++)
    {
        _ntk_family_init(&P, j * den->hi, len, den->lo, den->top, 1, NULL);
        for (m = 0; m < len; m++)
            for (l = 0; l <= m && l < den->n; l++)
            {
                fmpq_poly_mul(t, den->poly + l * den->n_lam, D->poly + m - l);
                fmpq_poly_add(P.poly + m, P.poly + m, t);
                for (d = P.lo; d <= P.top; d++)
                {
                    fmpq_mul(v, _NTK_FAMILY_VALUE(den, d, l), _NTK_FAMILY_VALUE(D, d, m - l));
                    fmpq_add(_NTK_FAMILY_VALUE(&P, d, m), _NTK_FAMILY_VALUE(&P, d, m), v);
                }
            }
        _ntk_family_clear(D);
        *D = P;
    }
    fmpq_poly_clear(t);
    fmpq_clear(v);
}

/* num/den in lowest terms, den primitive with a positive leading coefficient. */
static void
rational_canonicalise(fmpq_poly_t num, fmpq_poly_t den)
{
    fmpq_poly_t g;
    fmpq_t c;
    fmpq_poly_init(g);
    fmpq_init(c);
    fmpq_poly_gcd(g, num, den);
    if (!fmpq_poly_is_zero(g))
    {
        fmpq_poly_div(num, num, g);
        fmpq_poly_div(den, den, g);
    }
    if (fmpq_poly_is_zero(num))
        fmpq_poly_one(den);
    fmpq_poly_content(c, den);
    if (fmpz_sgn(fmpq_poly_numref(den) + fmpq_poly_degree(den)) < 0)
        fmpq_neg(c, c);
    fmpq_poly_scalar_div_fmpq(num, num, c);
    fmpq_poly_scalar_div_fmpq(den, den, c);
    fmpq_poly_clear(g);
    fmpq_clear(c);
}

/* d_min[i] <- the least depth from which num/den equals every value. */
static void
ratio_check(_ntk_family_t * f, const fmpq_poly_struct * den)
{
    fmpq_t x, a, b;
    slong i, d;
    fmpq_init(x); fmpq_init(a); fmpq_init(b);
    for (i = 0; i < f->n; i++)
    {
        f->d_min[i] = f->lo;
        for (d = f->top; d >= f->lo; d--)
        {
            fmpq_set_si(x, d, 1);
            fmpq_poly_evaluate_fmpq(a, f->poly + i, x);
            fmpq_poly_evaluate_fmpq(b, den + i, x);
            fmpq_mul(b, b, _NTK_FAMILY_VALUE(f, d, i));
            if (!fmpq_equal(a, b))
            {
                f->d_min[i] = d + 1;
                break;
            }
        }
    }
    fmpq_clear(x); fmpq_clear(a); fmpq_clear(b);
}

int
_ntk_series_ratio(_ntk_family_t * ratio, fmpq_poly_struct * ratio_den,
                  const _ntk_family_t * num, const _ntk_family_t * den, int k, slong order)
{
    slong shift = k * den->hi - num->hi, m, l, d, len = order + 1;
    _ntk_family_t D;
    fmpq_poly_struct * N;
    fmpq_poly_t t, p0;
    fmpq_t v;
    int ok = 1;
    if (shift < 0)
        return 0;
    /* the quotient to n^-order needs num and den to n^(hi - order + shift) */
    if (num->n < len - shift || den->n < len - shift)
        return -2;
    /* ratio coefficient i (of n^-i) is quotient coefficient m = i - shift */
    power_family(&D, den, k, len);
    _ntk_family_init(ratio, 0, len, den->lo, den->top, 1, NULL);
    N = flint_malloc(len * sizeof(fmpq_poly_struct));
    fmpq_poly_init(t); fmpq_poly_init(p0);
    fmpq_init(v);
    for (d = D.lo; d <= D.top; d++)
        ok &= !fmpq_is_zero(_NTK_FAMILY_VALUE(&D, d, 0));
    fmpq_poly_one(p0);
    for (m = 0; m < len; m++)
        fmpq_poly_init(N + m);
    for (m = 0; m + shift < len && ok; m++)
    {
        slong i = m + shift;
        /* N_m = a_m D_0^m - sum_{l<m} N_l D_{m-l} D_0^(m-1-l), by Horner in D_0 */
        fmpq_poly_zero(N + m);
        for (l = 0; l < m; l++)
        {
            fmpq_poly_mul(N + m, N + m, D.poly + 0);
            fmpq_poly_mul(t, N + l, D.poly + m - l);
            fmpq_poly_sub(N + m, N + m, t);
        }
        fmpq_poly_mul(t, num->poly + m * num->n_lam, p0);
        fmpq_poly_add(N + m, N + m, t);
        fmpq_poly_mul(p0, p0, D.poly + 0);               /* D_0^(m+1) */
        fmpq_poly_set(ratio->poly + i, N + m);
        fmpq_poly_set(ratio_den + i, p0);
        rational_canonicalise(ratio->poly + i, ratio_den + i);
        /* the values: s_m = (a_m - sum_{l<m} s_l D_{m-l}) / D_0 */
        for (d = D.lo; d <= D.top; d++)
        {
            fmpq * s = _NTK_FAMILY_VALUE(ratio, d, i);
            fmpq_set(s, _NTK_FAMILY_VALUE(num, d, m));
            for (l = 0; l < m; l++)
            {
                fmpq_mul(v, _NTK_FAMILY_VALUE(ratio, d, l + shift), _NTK_FAMILY_VALUE(&D, d, m - l));
                fmpq_sub(s, s, v);
            }
            fmpq_div(s, s, _NTK_FAMILY_VALUE(&D, d, 0));
        }
    }
    for (m = 0; m < shift && m < len; m++)
        fmpq_poly_one(ratio_den + m);
    if (ok)
        ratio_check(ratio, ratio_den);
    for (m = 0; m < len; m++)
        fmpq_poly_clear(N + m);
    flint_free(N);
    fmpq_poly_clear(t); fmpq_poly_clear(p0);
    fmpq_clear(v);
    _ntk_family_clear(&D);
    if (!ok)
        _ntk_family_clear(ratio);
    return ok ? 1 : -1;
}
