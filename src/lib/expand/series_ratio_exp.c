/* The series in 1/n of a ratio num / den^k away from the critical variance
   (doc/derivation.md, section 13): each coefficient of num and den is an
   exponential polynomial sum_m base^(m d) P_m(d), that is a polynomial in d
   and L = base^d, and the quotient's coefficients are rational functions
   of d and L, computed by the series division of series_ratio.c over
   Q[d, L] and reduced to lowest terms by a bivariate gcd. */

#include <flint/fmpq_mpoly.h>
#include "series.h"

void
_ntk_exp_ratio_clear(_ntk_exp_ratio_t * r, slong n)
{
    slong i, m;
    for (i = 0; r != NULL && i < n; i++)
    {
        for (m = 0; m < r[i].n_parts; m++)
        {
            fmpq_poly_clear(r[i].num + m);
            fmpq_poly_clear(r[i].den + m);
        }
        flint_free(r[i].num);
        flint_free(r[i].den);
    }
}

/* A <- coefficient i of f as a polynomial in (L, d) (variables 0, 1). */
static void
mpoly_of_family(fmpq_mpoly_t A, const _ntk_family_t * f, slong i, const fmpq_mpoly_ctx_t ctx)
{
    ulong exp[2];
    fmpq_t c;
    slong m, e;
    fmpq_init(c);
    fmpq_mpoly_zero(A, ctx);
    for (m = 0; m < f->n_lam; m++)
        for (e = 0; e <= fmpq_poly_degree(_NTK_FAMILY_POLY(f, i, m)); e++)
        {
            fmpq_poly_get_coeff_fmpq(c, _NTK_FAMILY_POLY(f, i, m), e);
            if (fmpq_is_zero(c))
                continue;
            exp[0] = (ulong) m;
            exp[1] = (ulong) e;
            fmpq_mpoly_set_coeff_fmpq_ui(A, c, exp, ctx);
        }
    fmpq_clear(c);
}

/* parts[m] <- the polynomial in d of L^m in A, m < *n (set here). */
static void
parts_of_mpoly(fmpq_poly_struct ** parts, slong * n, const fmpq_mpoly_t A,
               const fmpq_mpoly_ctx_t ctx)
{
    ulong exp[2];
    fmpq_t c;
    slong k, m;
    fmpq_init(c);
    *n = fmpq_mpoly_is_zero(A, ctx) ? 1 : fmpq_mpoly_degree_si(A, 0, ctx) + 1;
    *parts = flint_malloc(*n * sizeof(fmpq_poly_struct));
    for (m = 0; m < *n; m++)
        fmpq_poly_init(*parts + m);
    for (k = 0; k < fmpq_mpoly_length(A, ctx); k++)
    {
        fmpq_mpoly_get_term_coeff_fmpq(c, A, k, ctx);
        fmpq_mpoly_get_term_exp_ui(exp, A, k, ctx);
        fmpq_poly_set_coeff_fmpq(*parts + exp[0], (slong) exp[1], c);
    }
    fmpq_clear(c);
}

/* num/den in lowest terms, den primitive with a positive leading term (the
   highest power of L, then of d). */
static void
canonicalise(fmpq_mpoly_t num, fmpq_mpoly_t den, const fmpq_mpoly_ctx_t ctx)
{
    fmpq_mpoly_t g;
    fmpq_t c, lead;
    fmpq_mpoly_init(g, ctx);
    fmpq_init(c);
    fmpq_init(lead);
    if (fmpq_mpoly_is_zero(num, ctx))
        fmpq_mpoly_one(den, ctx);
    else if (fmpq_mpoly_gcd(g, num, den, ctx) && !fmpq_mpoly_is_one(g, ctx))
    {
        fmpq_mpoly_div(num, num, g, ctx);
        fmpq_mpoly_div(den, den, g, ctx);
    }
    fmpq_mpoly_content(c, den, ctx);
    fmpq_mpoly_get_term_coeff_fmpq(lead, den, 0, ctx);
    if (fmpq_sgn(lead) < 0)
        fmpq_neg(c, c);
    fmpq_mpoly_scalar_div_fmpq(num, num, c, ctx);
    fmpq_mpoly_scalar_div_fmpq(den, den, c, ctx);
    fmpq_mpoly_clear(g, ctx);
    fmpq_clear(c);
    fmpq_clear(lead);
}

/* res <- sum_m L^m parts[m](d) at L = base^d. */
static void
parts_eval(fmpq_t res, const fmpq_poly_struct * parts, slong n, const fmpq_t base, slong d)
{
    fmpq_t x, L, p, v;
    slong m;
    fmpq_init(x); fmpq_init(L); fmpq_init(p); fmpq_init(v);
    fmpq_set_si(x, d, 1);
    fmpq_pow_si(L, base, d);
    fmpq_one(p);
    fmpq_zero(res);
    for (m = 0; m < n; m++)
    {
        fmpq_poly_evaluate_fmpq(v, parts + m, x);
        fmpq_mul(v, v, p);
        fmpq_add(res, res, v);
        fmpq_mul(p, p, L);
    }
    fmpq_clear(x); fmpq_clear(L); fmpq_clear(p); fmpq_clear(v);
}

/* d_min[i] <- the least depth from which num/den equals every value. */
static void
ratio_check(_ntk_family_t * f, const _ntk_exp_ratio_t * parts)
{
    fmpq_t a, b;
    slong i, d;
    fmpq_init(a); fmpq_init(b);
    for (i = 0; i < f->n; i++)
    {
        f->d_min[i] = f->lo;
        for (d = f->top; d >= f->lo; d--)
        {
            parts_eval(a, parts[i].num, parts[i].n_parts, f->base, d);
            parts_eval(b, parts[i].den, parts[i].n_parts, f->base, d);
            fmpq_mul(b, b, _NTK_FAMILY_VALUE(f, d, i));
            if (!fmpq_equal(a, b) || (fmpq_is_zero(b) && !fmpq_is_zero(_NTK_FAMILY_VALUE(f, d, i))))
            {
                f->d_min[i] = d + 1;
                break;
            }
        }
    }
    fmpq_clear(a); fmpq_clear(b);
}

/* Both parts of a coefficient with the same number of parts. */
static void
set_parts(_ntk_exp_ratio_t * r, const fmpq_mpoly_t num, const fmpq_mpoly_t den,
          const fmpq_mpoly_ctx_t ctx)
{
    fmpq_poly_struct * a, * b;
    slong na, nb, m;
    parts_of_mpoly(&a, &na, num, ctx);
    parts_of_mpoly(&b, &nb, den, ctx);
    r->n_parts = FLINT_MAX(na, nb);
    r->num = flint_malloc(r->n_parts * sizeof(fmpq_poly_struct));
    r->den = flint_malloc(r->n_parts * sizeof(fmpq_poly_struct));
    for (m = 0; m < r->n_parts; m++)
    {
        fmpq_poly_init(r->num + m);
        fmpq_poly_init(r->den + m);
        if (m < na)
            fmpq_poly_swap(r->num + m, a + m);
        if (m < nb)
            fmpq_poly_swap(r->den + m, b + m);
    }
    for (m = 0; m < na; m++)
        fmpq_poly_clear(a + m);
    for (m = 0; m < nb; m++)
        fmpq_poly_clear(b + m);
    flint_free(a);
    flint_free(b);
}

/* The values of the quotient at every depth: s_m = (a_m - sum_{l<m} s_l D_{m-l}) / D_0,
   with D = den^k from the values; 0 if a D_0 vanishes. */
static int
ratio_values(_ntk_family_t * ratio, const _ntk_family_t * num, const _ntk_family_t * den,
             int k, slong shift, slong len)
{
    fmpq * D = _fmpq_vec_init(len), * P = _fmpq_vec_init(len), * s;
    fmpq_t v;
    slong m, l, d;
    int j, ok = 1;
    fmpq_init(v);
    for (d = ratio->lo; d <= ratio->top && ok; d++)
    {
        for (m = 0; m < len; m++)
            if (m < den->n)
                fmpq_set(D + m, _NTK_FAMILY_VALUE(den, d, m));
            else
                fmpq_zero(D + m);
        for (j = 2; j <= k; j++)
        {
            for (m = 0; m < len; m++)
            {
                fmpq_zero(P + m);
                for (l = 0; l <= m && l < den->n; l++)
                {
                    fmpq_mul(v, _NTK_FAMILY_VALUE(den, d, l), D + m - l);
                    fmpq_add(P + m, P + m, v);
                }
            }
            for (m = 0; m < len; m++)
                fmpq_swap(D + m, P + m);
        }
        ok = !fmpq_is_zero(D + 0);
        for (m = 0; m + shift < len && ok; m++)
        {
            s = _NTK_FAMILY_VALUE(ratio, d, m + shift);
            fmpq_set(s, _NTK_FAMILY_VALUE(num, d, m));
            for (l = 0; l < m; l++)
            {
                fmpq_mul(v, _NTK_FAMILY_VALUE(ratio, d, l + shift), D + m - l);
                fmpq_sub(s, s, v);
            }
            fmpq_div(s, s, D + 0);
        }
    }
    _fmpq_vec_clear(D, len);
    _fmpq_vec_clear(P, len);
    fmpq_clear(v);
    return ok;
}

int
_ntk_series_ratio_exp(_ntk_family_t * ratio, _ntk_exp_ratio_t * parts,
                      const _ntk_family_t * num, const _ntk_family_t * den, int k, slong order)
{
    slong shift = k * den->hi - num->hi, len = order + 1, m, l, i;
    fmpq_mpoly_ctx_t ctx;
    fmpq_mpoly_struct * D, * N, * a;
    fmpq_mpoly_t t, p0, q;
    int j;
    if (shift < 0)
        return 0;
    if (num->n < len - shift || den->n < len - shift)
        return -2;
    _ntk_family_init(ratio, 0, len, den->lo, den->top, 1, den->base);
    if (!ratio_values(ratio, num, den, k, shift, len))
    {
        _ntk_family_clear(ratio);
        return -1;
    }
    fmpq_mpoly_ctx_init(ctx, 2, ORD_LEX);
    D = flint_malloc(3 * len * sizeof(fmpq_mpoly_struct));
    N = D + len;
    a = N + len;
    for (m = 0; m < 3 * len; m++)
        fmpq_mpoly_init(D + m, ctx);
    fmpq_mpoly_init(t, ctx); fmpq_mpoly_init(p0, ctx); fmpq_mpoly_init(q, ctx);
    /* D <- den^k, a <- num, to len - shift coefficients */
    for (m = 0; m + shift < len; m++)
    {
        mpoly_of_family(a + m, den, m, ctx);
        fmpq_mpoly_set(D + m, a + m, ctx);
    }
    for (j = 2; j <= k; j++)
        for (m = len - shift - 1; m >= 0; m--)
        {
            fmpq_mpoly_zero(t, ctx);
            for (l = 0; l <= m; l++)
            {
                fmpq_mpoly_mul(q, a + l, D + m - l, ctx);
                fmpq_mpoly_add(t, t, q, ctx);
            }
            fmpq_mpoly_swap(D + m, t, ctx);
        }
    for (m = 0; m + shift < len; m++)
        mpoly_of_family(a + m, num, m, ctx);
    /* N_m = a_m D_0^m - sum_{l<m} N_l D_{m-l} D_0^(m-1-l), by Horner in D_0 */
    fmpq_mpoly_one(p0, ctx);
    for (i = 0; i < len; i++)
        parts[i].n_parts = 0;
    for (m = 0; m + shift < len; m++)
    {
        fmpq_mpoly_zero(N + m, ctx);
        for (l = 0; l < m; l++)
        {
            fmpq_mpoly_mul(N + m, N + m, D + 0, ctx);
            fmpq_mpoly_mul(t, N + l, D + m - l, ctx);
            fmpq_mpoly_sub(N + m, N + m, t, ctx);
        }
        fmpq_mpoly_mul(t, a + m, p0, ctx);
        fmpq_mpoly_add(N + m, N + m, t, ctx);
        fmpq_mpoly_mul(p0, p0, D + 0, ctx);            /* D_0^(m+1) */
        fmpq_mpoly_set(t, N + m, ctx);
        fmpq_mpoly_set(q, p0, ctx);
        canonicalise(t, q, ctx);
        set_parts(parts + m + shift, t, q, ctx);
    }
    for (m = 0; m < shift && m < len; m++)
    {
        fmpq_mpoly_zero(t, ctx);
        fmpq_mpoly_one(q, ctx);
        set_parts(parts + m, t, q, ctx);
    }
    ratio_check(ratio, parts);
    for (m = 0; m < 3 * len; m++)
        fmpq_mpoly_clear(D + m, ctx);
    flint_free(D);
    fmpq_mpoly_clear(t, ctx); fmpq_mpoly_clear(p0, ctx); fmpq_mpoly_clear(q, ctx);
    fmpq_mpoly_ctx_clear(ctx);
    return 1;
}
