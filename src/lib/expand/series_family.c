/* The algebra of the families of series.h: the quantities from the terms
   (affine, as moments.c assembles them) and the central moments (products
   of families), on the exponential polynomials in d and on the values at
   every depth alike.  A product is kept only down to the lowest power where
   it is complete. */

#include "series.h"

void
_ntk_family_assemble(_ntk_family_t * f, const fmpq * lin, const fmpq_t c0,
                     const _ntk_family_t * fam, int n_terms, slong low, slong lo, slong top,
                     slong n_lam, const fmpq_t base)
{
    slong hi = fmpq_is_zero(c0) ? low : 0, i, d, m;
    int k;
    fmpq_poly_t t;
    fmpq_t v;
    for (k = 0; k < n_terms; k++)
        if (!fmpq_is_zero(lin + k) && fam[k].n > 0)
        {
            hi = FLINT_MAX(hi, fam[k].hi);
            low = FLINT_MAX(low, _NTK_FAMILY_LOW(fam + k));
        }
    hi = FLINT_MAX(hi, 0);
    _ntk_family_init(f, hi, hi - low + 1, lo, top, n_lam, base);
    fmpq_poly_init(t);
    fmpq_init(v);
    for (i = 0; i < f->n; i++)
    {
        if (hi - i == 0)
        {
            fmpq_poly_set_fmpq(_NTK_FAMILY_POLY(f, i, 0), c0);
            for (d = f->lo; d <= f->top; d++)
                fmpq_set(_NTK_FAMILY_VALUE(f, d, i), c0);
        }
        for (k = 0; k < n_terms; k++)
        {
            slong j = fam[k].hi - (hi - i);
            if (fmpq_is_zero(lin + k) || j < 0 || j >= fam[k].n)
                continue;
            for (m = 0; m < fam[k].n_lam && m < f->n_lam; m++)
            {
                fmpq_poly_scalar_mul_fmpq(t, _NTK_FAMILY_POLY(fam + k, j, m), lin + k);
                fmpq_poly_add(_NTK_FAMILY_POLY(f, i, m), _NTK_FAMILY_POLY(f, i, m), t);
            }
            for (d = f->lo; d <= f->top; d++)
            {
                fmpq_mul(v, _NTK_FAMILY_VALUE(fam + k, d, j), lin + k);
                fmpq_add(_NTK_FAMILY_VALUE(f, d, i), _NTK_FAMILY_VALUE(f, d, i), v);
            }
        }
    }
    fmpq_poly_clear(t);
    fmpq_clear(v);
}

int
_ntk_family_mul(_ntk_family_t * f, const _ntk_family_t * a, const _ntk_family_t * b)
{
    slong hi = a->hi + b->hi, low = FLINT_MAX(_NTK_FAMILY_LOW(a) + b->hi, _NTK_FAMILY_LOW(b) + a->hi);
    slong n_lam = fmpq_is_one(a->base) ? 1 : a->n_lam + b->n_lam - 1, i, i1, d, m1, m2;
    fmpq_poly_t t;
    fmpq_t v;
    _ntk_family_init(f, hi, FLINT_MAX(hi - low + 1, 0), a->lo, a->top, n_lam, a->base);
    if (!fmpq_equal(a->base, b->base))
        return -1;
    fmpq_poly_init(t);
    fmpq_init(v);
    for (i = 0; i < f->n; i++)
        for (i1 = 0; i1 <= i && i1 < a->n; i1++)
        {
            slong i2 = i - i1;          /* powers add: (a->hi - i1) + (b->hi - i2) = hi - i */
            if (i2 >= b->n)
                continue;
            for (m1 = 0; m1 < a->n_lam; m1++)
                for (m2 = 0; m2 < b->n_lam && m1 + m2 < n_lam; m2++)
                {
                    if (fmpq_poly_is_zero(_NTK_FAMILY_POLY(a, i1, m1))
                        || fmpq_poly_is_zero(_NTK_FAMILY_POLY(b, i2, m2)))
                        continue;
                    fmpq_poly_mul(t, _NTK_FAMILY_POLY(a, i1, m1), _NTK_FAMILY_POLY(b, i2, m2));
                    fmpq_poly_add(_NTK_FAMILY_POLY(f, i, m1 + m2), _NTK_FAMILY_POLY(f, i, m1 + m2), t);
                }
            for (d = f->lo; d <= f->top; d++)
            {
                fmpq_mul(v, _NTK_FAMILY_VALUE(a, d, i1), _NTK_FAMILY_VALUE(b, d, i2));
                fmpq_add(_NTK_FAMILY_VALUE(f, d, i), _NTK_FAMILY_VALUE(f, d, i), v);
            }
        }
    fmpq_poly_clear(t);
    fmpq_clear(v);
    return 0;
}

int
_ntk_family_addmul_si(_ntk_family_t * f, const _ntk_family_t * a, slong c)
{
    slong i, d, m;
    fmpq_poly_t t;
    fmpq_t v;
    if (_NTK_FAMILY_LOW(a) > _NTK_FAMILY_LOW(f))
        return -1;
    fmpq_poly_init(t);
    fmpq_init(v);
    for (i = 0; i < f->n; i++)
    {
        slong j = a->hi - (f->hi - i);
        if (j < 0)
            continue;
        for (m = 0; m < a->n_lam; m++)
        {
            if (fmpq_poly_is_zero(_NTK_FAMILY_POLY(a, j, m)))
                continue;
            if (m >= f->n_lam)
            {
                fmpq_poly_clear(t);
                fmpq_clear(v);
                return -1;
            }
            fmpq_poly_scalar_mul_si(t, _NTK_FAMILY_POLY(a, j, m), c);
            fmpq_poly_add(_NTK_FAMILY_POLY(f, i, m), _NTK_FAMILY_POLY(f, i, m), t);
        }
        for (d = f->lo; d <= f->top; d++)
        {
            fmpq_mul_si(v, _NTK_FAMILY_VALUE(a, d, j), c);
            fmpq_add(_NTK_FAMILY_VALUE(f, d, i), _NTK_FAMILY_VALUE(f, d, i), v);
        }
    }
    fmpq_poly_clear(t);
    fmpq_clear(v);
    return 0;
}

void
_ntk_family_copy(_ntk_family_t * f, const _ntk_family_t * a, slong hi, slong low)
{
    slong i, d, m;
    _ntk_family_init(f, hi, FLINT_MAX(hi - low + 1, 0), a->lo, a->top, a->n_lam, a->base);
    for (i = 0; i < f->n; i++)
    {
        slong j = a->hi - (hi - i);
        if (j < 0 || j >= a->n)
            continue;
        f->d_min[i] = a->d_min[j];
        for (m = 0; m < a->n_lam; m++)
            fmpq_poly_set(_NTK_FAMILY_POLY(f, i, m), _NTK_FAMILY_POLY(a, j, m));
        for (d = f->lo; d <= f->top; d++)
            fmpq_set(_NTK_FAMILY_VALUE(f, d, i), _NTK_FAMILY_VALUE(a, d, j));
    }
}

int
_ntk_family_coeff_is_zero(const _ntk_family_t * f, slong i)
{
    slong d, m;
    for (m = 0; m < f->n_lam; m++)
        if (!fmpq_poly_is_zero(_NTK_FAMILY_POLY(f, i, m)))
            return 0;
    for (d = f->lo; d <= f->top; d++)
        if (!fmpq_is_zero(_NTK_FAMILY_VALUE(f, d, i)))
            return 0;
    return 1;
}

void
_ntk_family_trim(_ntk_family_t * f, int all_zeros)
{
    _ntk_family_t t;
    slong lead = 0;
    while ((all_zeros ? lead + 1 < f->n : lead < f->hi) && _ntk_family_coeff_is_zero(f, lead))
        lead++;
    if (lead == 0)
        return;
    _ntk_family_copy(&t, f, f->hi - lead, _NTK_FAMILY_LOW(f));
    _ntk_family_clear(f);
    *f = t;
}

/* f <- sum_k c[k] parts[k] (n_k of them), down to the lowest power that
   every part holds; -1 if an exponential part leaves n_lam. */
static int
family_sum(_ntk_family_t * f, const _ntk_family_t * const * parts, const slong * c, int n_k,
           slong n_lam)
{
    slong hi = parts[0]->hi, low = _NTK_FAMILY_LOW(parts[0]);
    int k, bad = 0;
    for (k = 1; k < n_k; k++)
    {
        hi = FLINT_MAX(hi, parts[k]->hi);
        low = FLINT_MAX(low, _NTK_FAMILY_LOW(parts[k]));
    }
    _ntk_family_init(f, hi, FLINT_MAX(hi - low + 1, 0), parts[0]->lo, parts[0]->top,
                     fmpq_is_one(parts[0]->base) ? 1 : n_lam, parts[0]->base);
    for (k = 0; k < n_k; k++)
        bad |= _ntk_family_addmul_si(f, parts[k], c[k]);
    return bad ? -1 : 0;
}

int
_ntk_family_central(_ntk_family_t * qf, int moment_order)
{
    _ntk_family_t pw[5], k2k2, k2k3, k1k2;    /* pw[j] = E_K^j */
    const _ntk_family_t * parts[4];
    slong c[4], n_lam = moment_order + 1;
    int bad = 0, j;
    _ntk_family_copy(pw + 1, qf + NTK_E_K, qf[NTK_E_K].hi, _NTK_FAMILY_LOW(qf + NTK_E_K));
    for (j = 2; j <= moment_order; j++)
        bad |= _ntk_family_mul(pw + j, pw + j - 1, pw + 1);
    /* Var_K = E_K2 - E_K^2 */
    parts[0] = qf + NTK_E_K2; parts[1] = pw + 2; c[0] = 1; c[1] = -1;
    bad |= family_sum(qf + NTK_VAR_K, parts, c, 2, n_lam);
    if (moment_order >= 3)
    {
        /* M3 = E_K3 - 3 E_K E_K2 + 2 E_K^3 */
        bad |= _ntk_family_mul(&k1k2, pw + 1, qf + NTK_E_K2);
        parts[0] = qf + NTK_E_K3; parts[1] = &k1k2; parts[2] = pw + 3;
        c[0] = 1; c[1] = -3; c[2] = 2;
        bad |= family_sum(qf + NTK_M3_K, parts, c, 3, n_lam);
        _ntk_family_clear(&k1k2);
    }
    if (moment_order >= 4)
    {
        /* M4 = E_K4 - 4 E_K E_K3 + 6 E_K^2 E_K2 - 3 E_K^4 */
        bad |= _ntk_family_mul(&k2k3, pw + 1, qf + NTK_E_K3);
        bad |= _ntk_family_mul(&k2k2, pw + 2, qf + NTK_E_K2);
        parts[0] = qf + NTK_E_K4; parts[1] = &k2k3; parts[2] = &k2k2; parts[3] = pw + 4;
        c[0] = 1; c[1] = -4; c[2] = 6; c[3] = -3;
        bad |= family_sum(qf + NTK_M4_K, parts, c, 4, n_lam);
        _ntk_family_clear(&k2k3);
        _ntk_family_clear(&k2k2);
    }
    for (j = 1; j <= moment_order; j++)
        _ntk_family_clear(pw + j);
    return bad ? -1 : 0;
}

void
_ntk_family_sub_const_values(_ntk_family_t * f, slong c)
{
    slong d;
    for (d = f->lo; d <= f->top; d++)
        fmpq_sub_si(_NTK_FAMILY_VALUE(f, d, 0), _NTK_FAMILY_VALUE(f, d, 0), c);
}
