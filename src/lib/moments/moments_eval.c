/* Evaluating the computed moments at an input norm x2 (and a target y for
   the update's second moment): the polynomial quantities, the ratios
   Skew2_K, Kurt_K and RelVar_dK where they are defined, and the digits a
   floating-point computation guarantees. */

#include <math.h>
#include <mpfr.h>
#include "base/error.h"
#include "moments.h"

/* A polynomial quantity at x2 (no checks), at the target y = 0. */
static void
moments_value(fmpq_t res, const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2)
{
    if (fmpq_is_zero(x2))
        fmpq_set(res, m->at_zero + q);
    else
        fmpq_poly_evaluate_fmpq(res, m->poly + q, x2);
}

/* The same at the target y (NULL: 0): E_dK2 and Var_dK gain
   4 y^2 E[g^2] (E[dK^2]/lambda^2 = 4 E[(N - y)^2 g^2], and E[N g^2] = 0). */
static void
moments_value_target(fmpq_t res, const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2,
                     const fmpq_t y)
{
    fmpq_t t;
    moments_value(res, m, q, x2);
    if (y == NULL || fmpq_is_zero(y) || (q != NTK_E_DK2 && q != NTK_VAR_DK))
        return;
    fmpq_init(t);
    moments_value(t, m, NTK_E_G2, x2);
    fmpq_mul(t, t, y);
    fmpq_mul(t, t, y);
    fmpq_mul_2exp(t, t, 2);
    fmpq_add(res, res, t);
    fmpq_clear(t);
}

/* RelVar_dK = Var_dK / E_dK^2 at (x2, y); 0 if E_dK = 0. */
static int
relvar_dk(fmpq_t res, const ntk_moments_t m, const fmpq_t x2, const fmpq_t y)
{
    fmpq_t e;
    int ok;
    fmpq_init(e);
    moments_value(e, m, NTK_E_DK, x2);
    ok = !fmpq_is_zero(e);
    fmpq_zero(res);
    if (ok)
    {
        moments_value_target(res, m, NTK_VAR_DK, x2, y);
        fmpq_mul(e, e, e);
        fmpq_div(res, res, e);
    }
    fmpq_clear(e);
    return ok;
}

/* Non-zero when q was computed by m. */
static int
moments_has(const ntk_moments_t m, ntk_quantity_t q)
{
    if (ntk_quantity_is_update(q))
        return m->update;
    return ntk_quantity_order(q) != 0 && ntk_quantity_order(q) <= m->order;
}

/* Skew2_K = M3^2 / Var^3 or Kurt_K = M4 / Var^2 - 3; 0 if Var = 0. */
static int
moments_ratio(fmpq_t res, const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2)
{
    fmpq_t var, num;
    int ok;
    fmpq_init(var); fmpq_init(num);
    moments_value(var, m, NTK_VAR_K, x2);
    ok = !fmpq_is_zero(var);
    fmpq_zero(res);
    if (ok && q == NTK_SKEW2_K)
    {
        moments_value(num, m, NTK_M3_K, x2);
        fmpq_mul(num, num, num);
        fmpq_pow_si(var, var, 3);
        fmpq_div(res, num, var);
    }
    else if (ok)
    {
        moments_value(num, m, NTK_M4_K, x2);
        fmpq_mul(var, var, var);
        fmpq_div(res, num, var);
        fmpq_sub_si(res, res, 3);
    }
    fmpq_clear(var); fmpq_clear(num);
    return ok;
}

int
ntk_moments_defined(const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2)
{
    fmpq_t v;
    int ok;
    if (m == NULL || x2 == NULL || !moments_has(m, q) || fmpq_sgn(x2) < 0)
        return 0;
    if (!ntk_quantity_is_ratio(q))
        return 1;
    fmpq_init(v);
    moments_value(v, m, q == NTK_RELVAR_DK ? NTK_E_DK : NTK_VAR_K, x2);
    ok = !fmpq_is_zero(v);
    fmpq_clear(v);
    return ok;
}

ntk_status_t
ntk_moments_eval_target(fmpq_t res, const ntk_moments_t m, ntk_quantity_t q,
                        const fmpq_t x2, const fmpq_t y)
{
    fmpq_t t;
    int ok = 1;
    if (res == NULL || m == NULL || x2 == NULL || y == NULL || !moments_has(m, q)
        || fmpq_sgn(x2) < 0)
    {
        if (res != NULL && res != x2 && res != y)
            fmpq_zero(res);
        return NTK_ERR_RANGE;
    }
    /* res may be x2 or y: compute aside */
    fmpq_init(t);
    if (q == NTK_RELVAR_DK)
        ok = relvar_dk(t, m, x2, y);
    else if (ntk_quantity_is_ratio(q))
        ok = moments_ratio(t, m, q, x2);
    else
        moments_value_target(t, m, q, x2, y);
    fmpq_swap(res, t);
    fmpq_clear(t);
    return ok ? NTK_OK : NTK_ERR_RANGE;
}

ntk_status_t
ntk_moments_poly_target(fmpq_poly_t res, const ntk_moments_t m, ntk_quantity_t q,
                        const fmpq_t y)
{
    fmpq_poly_t t;
    if (res == NULL || m == NULL || y == NULL || !moments_has(m, q) || ntk_quantity_is_ratio(q))
    {
        if (res != NULL)
            fmpq_poly_zero(res);
        return NTK_ERR_RANGE;
    }
    fmpq_poly_set(res, m->poly + q);
    if (ntk_quantity_has_target(q) && !fmpq_is_zero(y))
    {
        fmpq_t c;
        fmpq_init(c);
        fmpq_poly_init(t);
        fmpq_mul(c, y, y);
        fmpq_mul_2exp(c, c, 2);
        fmpq_poly_scalar_mul_fmpq(t, m->poly + NTK_E_G2, c);
        fmpq_poly_add(res, res, t);
        fmpq_poly_clear(t);
        fmpq_clear(c);
    }
    return NTK_OK;
}

ntk_status_t
ntk_moments_eval(fmpq_t res, const ntk_moments_t m, ntk_quantity_t q,
                 const fmpq_t x2)
{
    fmpq_t zero;
    ntk_status_t status;
    fmpq_init(zero);
    status = ntk_moments_eval_target(res, m, q, x2, zero);
    fmpq_clear(zero);
    return status;
}

/* ceil(log10(|a / b|)), huge for b = 0 != a, 0 for a = b = 0. */
static slong
log10_ratio(const fmpq_t a, const fmpq_t b)
{
    mpfr_t r;
    fmpq_t t;
    double v;
    if (fmpq_is_zero(b))
        return fmpq_is_zero(a) ? 0 : WORD(1000000000);
    fmpq_init(t);
    mpfr_init2(r, 64);
    fmpq_div(t, a, b);
    fmpq_abs(t, t);
    fmpq_get_mpfr(r, t, MPFR_RNDN);
    mpfr_log10(r, r, MPFR_RNDU);
    v = mpfr_get_d(r, MPFR_RNDU);
    mpfr_clear(r);
    fmpq_clear(t);
    return (slong) ceil(FLINT_MAX(FLINT_MIN(v, 1e9), -1e9));
}

/* The digits a subtraction cancels: log10(sum |terms| / |result|), for
   Var_K = E[K^2] - E[K]^2, M3_K and M4_K (the terms of section 14 of
   doc/derivation.md). */
/* E_K .. E_K4 by power (index 0 unused). */
static const int power_quantity[5] = { -1, NTK_E_K, NTK_E_K2, NTK_E_K3, NTK_E_K4 };

static slong
cancelled_digits(const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2)
{
    fmpq_t k1, sum, t, v;
    slong lost;
    int j;
    fmpq_init(k1); fmpq_init(sum); fmpq_init(t); fmpq_init(v);
    moments_value(k1, m, NTK_E_K, x2);
    fmpq_abs(k1, k1);
    /* sum_j |c_j| E[K]^j E[K^(k-j)], the terms of the k-th central moment */
    for (j = 0; j <= (q == NTK_VAR_K ? 2 : q == NTK_M3_K ? 3 : 4); j++)
    {
        static const int coeff[3][5] = { { 1, 0, 1, 0, 0 }, { 1, 0, 3, 2, 0 }, { 1, 4, 6, 0, 3 } };
        int k = q == NTK_VAR_K ? 2 : q == NTK_M3_K ? 3 : 4, c = coeff[k - 2][j];
        if (c == 0)
            continue;
        if (k - j >= 1)
            moments_value(t, m, power_quantity[k - j], x2);
        else
            fmpq_one(t);
        fmpq_abs(t, t);
        fmpq_pow_si(v, k1, j);
        fmpq_mul(t, t, v);
        fmpq_mul_si(t, t, c);
        fmpq_add(sum, sum, t);
    }
    moments_value(v, m, q, x2);
    lost = log10_ratio(sum, v);
    fmpq_clear(k1); fmpq_clear(sum); fmpq_clear(t); fmpq_clear(v);
    return lost;
}

/* The digits Var_dK = E_dK2 - E_dK^2 cancels at (x2, y). */
static slong
cancelled_digits_dk(const ntk_moments_t m, const fmpq_t x2, const fmpq_t y)
{
    fmpq_t sum, t, v;
    slong lost;
    fmpq_init(sum); fmpq_init(t); fmpq_init(v);
    moments_value_target(sum, m, NTK_E_DK2, x2, y);
    moments_value(t, m, NTK_E_DK, x2);
    fmpq_mul(t, t, t);
    fmpq_add(sum, sum, t);
    moments_value_target(v, m, NTK_VAR_DK, x2, y);
    lost = log10_ratio(sum, v);
    fmpq_clear(sum); fmpq_clear(t); fmpq_clear(v);
    return lost;
}

slong
ntk_moments_digits_target(const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2,
                          const fmpq_t y, slong precision)
{
    slong digits = (slong) (precision * 0.30102999566398120);
    if (m == NULL || x2 == NULL || y == NULL || (int) q < 0 || q >= NTK_N_QUANTITIES
        || precision < 0 || precision > NTK_PRECISION_MAX || fmpq_sgn(x2) < 0
        || !moments_has(m, q))
        return -1;
    if (precision == 0)
        return 0;
    if (q == NTK_VAR_K || q == NTK_M3_K || q == NTK_M4_K)
        digits -= cancelled_digits(m, q, x2);
    else if (q == NTK_VAR_DK)
        digits -= cancelled_digits_dk(m, x2, y);
    else if (q == NTK_RELVAR_DK)
    {
        /* a quotient of Var_dK by E_dK^2: one digit less than Var_dK */
        if (!ntk_moments_defined(m, q, x2))
            return 0;
        digits = ntk_moments_digits_target(m, NTK_VAR_DK, x2, y, precision) - 1;
    }
    else if (ntk_quantity_is_ratio(q))
    {
        /* a quotient of M3 or M4 by powers of Var: one digit less than the
           worse of them; Kurt_K then subtracts 3 */
        fmpq_t r, three;
        if (!ntk_moments_defined(m, q, x2))
            return 0;
        digits = FLINT_MIN(ntk_moments_digits(m, NTK_VAR_K, x2, precision),
                           ntk_moments_digits(m, q == NTK_SKEW2_K ? NTK_M3_K : NTK_M4_K, x2,
                                              precision)) - 1;
        if (q == NTK_KURT_K)
        {
            fmpq_init(r); fmpq_init(three);
            ntk_moments_eval(r, m, q, x2);
            fmpq_add_si(three, r, 3);
            digits -= log10_ratio(three, r);
            fmpq_clear(r); fmpq_clear(three);
        }
    }
    return FLINT_MAX(digits, 0);
}

slong
ntk_moments_digits(const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2,
                   slong precision)
{
    fmpq_t zero;
    slong digits;
    fmpq_init(zero);
    digits = ntk_moments_digits_target(m, q, x2, zero, precision);
    fmpq_clear(zero);
    return digits;
}
