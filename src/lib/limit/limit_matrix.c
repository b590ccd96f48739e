/* Dense MPFR matrices (row major) and their exponentials, shared by the
   depth-to-width limits (limit.c) and their 1/n
   corrections (limit_f1.c). */

#include <mpfr.h>
#include "limit.h"

mpfr_t *
_ntk_mat_new(slong n, mpfr_prec_t prec)
{
    mpfr_t * m = flint_malloc(FLINT_MAX(n * n, 1) * sizeof(mpfr_t));
    slong k;
    for (k = 0; k < n * n; k++)
    {
        mpfr_init2(m[k], prec);
        mpfr_set_zero(m[k], 1);
    }
    return m;
}

void
_ntk_mat_free(mpfr_t * m, slong n)
{
    slong k;
    for (k = 0; k < n * n; k++)
        mpfr_clear(m[k]);
    flint_free(m);
}

void
_ntk_mat_mul(mpfr_t * c, mpfr_t * a, mpfr_t * b, slong n, mpfr_t tmp)
{
    slong i, j, k;
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
        {
            mpfr_set_zero(c[i * n + j], 1);
            for (k = 0; k < n; k++)
                if (!mpfr_zero_p(a[i * n + k]) && !mpfr_zero_p(b[k * n + j]))
                {
                    mpfr_mul(tmp, a[i * n + k], b[k * n + j], MPFR_RNDN);
                    mpfr_add(c[i * n + j], c[i * n + j], tmp, MPFR_RNDN);
                }
        }
}

/* The largest absolute entry. */
static void
mat_max_abs(mpfr_t res, mpfr_t * m, slong n)
{
    slong k;
    mpfr_set_zero(res, 1);
    for (k = 0; k < n * n; k++)
        if (mpfr_cmpabs(m[k], res) > 0)
            mpfr_abs(res, m[k], MPFR_RNDU);
}

/* a <- exp(a), entries of any sign: scaling (the row sums of |a| below 1/2)
   and squaring with a Taylor series run until its terms are below
   2^-(wp + 8); the s squarings cost s bits, paid for in wp.  Entries much
   smaller than the largest lose accuracy when signs cancel: the callers
   add guard bits and compare two precisions. */
void
_ntk_mat_exp(mpfr_t * a, slong n, mpfr_prec_t prec)
{
    mpfr_t * sc, * term, * sum, * t2;
    mpfr_t norm, row, tmp, eps;
    mpfr_prec_t wp;
    long s = 0, k, i, j;
    mpfr_inits2(64, norm, row, eps, (mpfr_ptr) 0);
    mpfr_set_zero(norm, 1);
    for (i = 0; i < n; i++)
    {
        mpfr_set_zero(row, 1);
        for (j = 0; j < n; j++)
        {
            mpfr_abs(eps, a[i * n + j], MPFR_RNDU);
            mpfr_add(row, row, eps, MPFR_RNDU);
        }
        mpfr_max(norm, norm, row, MPFR_RNDU);
    }
    if (!mpfr_zero_p(norm))
        s = FLINT_MAX(0, mpfr_get_exp(norm) + 1);    /* norm / 2^s <= 1/2 */
    wp = prec + s + 2 * FLINT_BIT_COUNT(n) + 16;
    sc = _ntk_mat_new(n, wp); term = _ntk_mat_new(n, wp); sum = _ntk_mat_new(n, wp); t2 = _ntk_mat_new(n, wp);
    mpfr_init2(tmp, wp);
    for (k = 0; k < n * n; k++)
    {
        mpfr_div_2si(sc[k], a[k], s, MPFR_RNDN);
        mpfr_set_ui(term[k], (k % (n + 1)) == 0, MPFR_RNDN);
        mpfr_set(sum[k], term[k], MPFR_RNDN);
    }
    mpfr_set_ui_2exp(eps, 1, -(long) wp - 8, MPFR_RNDN);
    for (k = 1; k < 10 + (long) wp; k++)
    {
        _ntk_mat_mul(t2, term, sc, n, tmp);
        for (i = 0; i < n * n; i++)
        {
            mpfr_div_ui(term[i], t2[i], (ulong) k, MPFR_RNDN);
            mpfr_add(sum[i], sum[i], term[i], MPFR_RNDN);
        }
        mat_max_abs(norm, term, n);
        if (mpfr_cmp(norm, eps) < 0)
            break;
    }
    for (; s > 0; s--)
    {
        _ntk_mat_mul(t2, sum, sum, n, tmp);
        { mpfr_t * t = sum; sum = t2; t2 = t; }
    }
    for (k = 0; k < n * n; k++)
        mpfr_set(a[k], sum[k], MPFR_RNDN);
    mpfr_clears(norm, row, eps, tmp, (mpfr_ptr) 0);
    _ntk_mat_free(sc, n); _ntk_mat_free(term, n); _ntk_mat_free(sum, n); _ntk_mat_free(t2, n);
}

/* The largest entry of m, and the smallest positive one (0 if none). */
static void
mat_range(mpfr_t max, mpfr_t min_pos, mpfr_t * m, slong n)
{
    int k;
    mpfr_set_zero(max, 1);
    mpfr_set_zero(min_pos, 1);
    for (k = 0; k < n * n; k++)
    {
        mpfr_max(max, max, m[k], MPFR_RNDU);
        if (mpfr_sgn(m[k]) > 0 && (mpfr_zero_p(min_pos) || mpfr_cmp(m[k], min_pos) < 0))
            mpfr_set(min_pos, m[k], MPFR_RNDD);
    }
}

/* a <- exp(a) for a non-negative matrix, every entry to prec bits: scaling
   and squaring with a Taylor series.  No term or sum cancels (every term is
   non-negative); the series runs until its terms are below 2^-(prec + 8)
   of the smallest positive entry of the sum (and for at least n terms, so
   that every entry that is not zero has appeared), and the s squarings,
   which double the relative error each, are paid for with s more bits. */
void
_ntk_mat_exp_nonneg(mpfr_t * a, slong n, mpfr_prec_t prec)
{
    mpfr_t * sc, * term, * sum, * t2;
    mpfr_t norm, row, tmp, lo;
    mpfr_prec_t wp;
    long s = 0, k, i, j;
    mpfr_inits2(64, norm, row, (mpfr_ptr) 0);
    mpfr_set_zero(norm, 1);
    for (i = 0; i < n; i++)
    {
        mpfr_set_zero(row, 1);
        for (j = 0; j < n; j++)
            mpfr_add(row, row, a[i * n + j], MPFR_RNDU);
        mpfr_max(norm, norm, row, MPFR_RNDU);
    }
    if (!mpfr_zero_p(norm))
        s = FLINT_MAX(0, mpfr_get_exp(norm) + 1);    /* norm / 2^s <= 1/2 */
    wp = prec + s + 2 * FLINT_BIT_COUNT(n) + 16;
    sc = _ntk_mat_new(n, wp); term = _ntk_mat_new(n, wp); sum = _ntk_mat_new(n, wp); t2 = _ntk_mat_new(n, wp);
    mpfr_inits2(wp, tmp, lo, (mpfr_ptr) 0);
    for (k = 0; k < n * n; k++)
    {
        mpfr_div_2si(sc[k], a[k], s, MPFR_RNDN);
        mpfr_set_ui(term[k], (k % (n + 1)) == 0, MPFR_RNDN);
        mpfr_set(sum[k], term[k], MPFR_RNDN);
    }
    for (k = 1; k < 10 + (long) wp; k++)
    {
        _ntk_mat_mul(t2, term, sc, n, tmp);
        for (i = 0; i < n * n; i++)
        {
            mpfr_div_ui(term[i], t2[i], (ulong) k, MPFR_RNDN);
            mpfr_add(sum[i], sum[i], term[i], MPFR_RNDN);
        }
        mat_range(norm, lo, term, n);
        if (mpfr_zero_p(norm))
            break;
        mat_range(row, lo, sum, n);
        mpfr_mul_2si(lo, lo, -(long) (prec + 8), MPFR_RNDD);
        if (k >= n && mpfr_cmp(norm, lo) < 0)
            break;
    }
    for (; s > 0; s--)
    {
        _ntk_mat_mul(t2, sum, sum, n, tmp);
        { mpfr_t * t = sum; sum = t2; t2 = t; }
    }
    for (k = 0; k < n * n; k++)
        mpfr_set(a[k], sum[k], MPFR_RNDN);
    mpfr_clears(norm, row, tmp, lo, (mpfr_ptr) 0);
    _ntk_mat_free(sc, n); _ntk_mat_free(term, n); _ntk_mat_free(sum, n); _ntk_mat_free(t2, n);
}

