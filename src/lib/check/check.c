/* The exact variances of the Monte Carlo estimates, and the comparison of an
   exact value with an estimate.  Every exact variance comes from the one
   table of check_variance_parts: a new exact variance is a line there. */

#include <math.h>
#include <mpfr.h>
#include "base/error.h"
#include "check.h"

void
ntk_check_init(ntk_check_t c)
{
    if (c == NULL)
        return;
    ntk_moments_init(&c->moments);
    fmpq_init(c->output_power);
    fmpq_init(c->output_power + 1);
    fmpq_init(&c->x2);
    c->gaussian = 0;
}

void
ntk_check_clear(ntk_check_t c)
{
    if (c == NULL)
        return;
    ntk_moments_clear(&c->moments);
    fmpq_clear(c->output_power);
    fmpq_clear(c->output_power + 1);
    fmpq_clear(&c->x2);
    ntk_check_init(c);
}

ntk_status_t
ntk_check_compute(ntk_check_t c, const ntk_profile_t p, const ntk_conv_t conv, const fmpq_t x2,
                  int order, int gaussian, const ntk_exec_t exec, ntk_error_t * err)
{
    ntk_status_t status;
    if (c == NULL || x2 == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, c == NULL ? "c" : "x2", "%s: NULL argument",
                              c == NULL ? "c" : "x2");
    if (fmpq_sgn(x2) < 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: ||x||^2 must be >= 0");
    c->gaussian = 0;
    /* order 4 has the law's moments up to the eighth, which the update's
       second moment needs too: it gives the variances of E_dK, E_Dww, E_Dwb */
    status = order >= NTK_ORDER_MAX
             ? ntk_moments_compute_update(&c->moments, p, conv, order, exec, err)
             : ntk_moments_compute_order(&c->moments, p, conv, order, exec, err);
    if (status != NTK_OK)
        return status;
    fmpq_set(&c->x2, x2);
    if (gaussian && order >= 3)
    {
        if ((status = ntk_moments_output_power(c->output_power, p, conv, x2, 6, err)) != NTK_OK
            || (status = ntk_moments_output_power(c->output_power + 1, p, conv, x2, 8, err))
               != NTK_OK)
            return status;
        c->gaussian = 1;
    }
    return NTK_OK;
}

/* The exact variance of one value X whose mean estimates a quantity:
   E[X^2] and E[X] as the quantities sq, q (or E[X^2] from the closed form
   of E[N^(2k)], power >= 0: c->output_power[power]). */
typedef struct
{
    ntk_quantity_t q, sq;
    int power;
}
variance_part_t;

/* THE table: quantity -> the moments of its per-network value, or none.
   The update's (E_dK, E_Dww, E_Dwb) are there when the update's second
   moment was computed (order 4): dK/lambda = -2 N g at the target y = 0
   (the sampler's and ntkexact.testing's), whose second moment is
   E_dK2 = 4 E_N2g2 at y = 0, so Var = 4 E_N2g2 - E_dK^2; Var(N g_ww) =
   E_N2gww2 - E_Dww^2, Var(N g_wb) = E_N2gwb2 - E_Dwb^2.  Var_K is not a
   mean: ntk_check_variance treats it on its own.  Returns 0 for none. */
static int
check_variance_part(variance_part_t * v, ntk_quantity_t q)
{
    static const struct { ntk_quantity_t q, sq; int power; } table[] = {
        { NTK_E_K, NTK_E_K2, -1 },
        { NTK_E_KW, NTK_E_KW2, -1 },
        { NTK_E_KB, NTK_E_KB2, -1 },
        { NTK_E_K2, NTK_E_K4, -1 },
        { NTK_E_KW2, NTK_E_KW4, -1 },
        { NTK_E_KB2, NTK_E_KB4, -1 },
        { NTK_E_KWKB, NTK_E_KW2KB2, -1 },
        { NTK_E_N2, NTK_E_N4, -1 },
        { NTK_E_N4, NTK_E_N8, -1 },
        { NTK_E_N6, NTK_N_QUANTITIES, 0 },     /* E[N^12]: Gaussian weights */
        { NTK_E_N8, NTK_N_QUANTITIES, 1 },     /* E[N^16]: Gaussian weights */
        { NTK_E_DK, NTK_E_DK2, -1 },           /* the update's second moment */
        { NTK_E_DWW, NTK_E_N2GWW2, -1 },
        { NTK_E_DWB, NTK_E_N2GWB2, -1 },
    };
    size_t i;
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (table[i].q == q)
        {
            v->q = q;
            v->sq = table[i].sq;
            v->power = table[i].power;
            return 1;
        }
    return 0;
}

/* Quantity q at x2, when computed. */
static int
check_value(fmpq_t res, const ntk_check_t c, ntk_quantity_t q)
{
    if (!ntk_moments_defined(&c->moments, q, &c->x2))
        return 0;
    return ntk_moments_eval(res, &c->moments, q, &c->x2) == NTK_OK;
}

/* res <- x / n, n > 0 */
static void
check_div_si(fmpq_t res, const fmpq_t x, slong n)
{
    fmpz_t d;
    fmpz_init_set_si(d, n);
    fmpq_div_fmpz(res, x, d);
    fmpz_clear(d);
}

/* (M4_K - (s-3)/(s-1) Var_K^2) / s: the variance of the unbiased sample
   variance of s values. */
static int
check_variance_of_variance(fmpq_t res, const ntk_check_t c, slong s)
{
    fmpq_t m4, var;
    int ok;
    fmpq_init(m4); fmpq_init(var);
    ok = check_value(m4, c, NTK_M4_K) && check_value(var, c, NTK_VAR_K);
    if (ok)
    {
        fmpq_mul(var, var, var);
        fmpq_mul_si(var, var, s - 3);
        check_div_si(var, var, s - 1);
        fmpq_sub(res, m4, var);
        check_div_si(res, res, s);
    }
    fmpq_clear(m4); fmpq_clear(var);
    return ok;
}

int
ntk_check_variance(fmpq_t res, const ntk_check_t c, ntk_quantity_t q, slong samples)
{
    variance_part_t part;
    fmpq_t mean;
    int ok;
    if (res == NULL)
        return 0;
    fmpq_zero(res);
    if (c == NULL || samples < 2)
        return 0;
    if (q == NTK_VAR_K)
        ok = check_variance_of_variance(res, c, samples);
    else if (!check_variance_part(&part, q))
        ok = 0;
    else
    {
        fmpq_init(mean);
        ok = check_value(mean, c, q);
        if (ok && part.power >= 0)
        {
            ok = c->gaussian;
            fmpq_set(res, c->output_power + part.power);
        }
        else if (ok)
            ok = check_value(res, c, part.sq);
        if (ok)
        {
            fmpq_mul(mean, mean, mean);
            fmpq_sub(res, res, mean);
            check_div_si(res, res, samples);
        }
        fmpq_clear(mean);
    }
    if (!ok || fmpq_sgn(res) < 0)      /* a variance is >= 0: never reached */
    {
        fmpq_zero(res);
        return 0;
    }
    return 1;
}

/* ------------------------------------------------ comparing */

ntk_check_verdict_t
ntk_check_compare(double * z, const fmpq_t exact, double estimate, const fmpq_t variance,
                  double stderr, double threshold)
{
    mpfr_t diff, e, s;
    ntk_check_verdict_t v;
    *z = NAN;
    if (exact == NULL || !isfinite(estimate) || (variance == NULL && !(stderr >= 0 && isfinite(stderr)))
        || (variance != NULL && fmpq_sgn(variance) < 0))
        return NTK_CHECK_NOT_ESTIMABLE;
    /* in MPFR: an exact value or variance beyond double precision (5e617)
       is no infinity */
    mpfr_init2(diff, 128);
    mpfr_init2(e, 128);
    mpfr_init2(s, 128);
    fmpq_get_mpfr(e, exact, MPFR_RNDN);
    mpfr_set_d(diff, estimate, MPFR_RNDN);
    mpfr_sub(diff, diff, e, MPFR_RNDN);
    if (variance != NULL)
    {
        fmpq_get_mpfr(s, variance, MPFR_RNDN);
        mpfr_sqrt(s, s, MPFR_RNDN);
    }
    else
        mpfr_set_d(s, stderr, MPFR_RNDN);
    if (mpfr_zero_p(s))
    {
        mpfr_abs(e, e, MPFR_RNDN);
        mpfr_mul_d(e, e, 1e-12, MPFR_RNDN);
        v = mpfr_cmpabs(diff, e) <= 0 ? NTK_CHECK_PASS : NTK_CHECK_NO_SPREAD;
        if (v == NTK_CHECK_PASS)
            *z = 0.0;
    }
    else
    {
        mpfr_div(diff, diff, s, MPFR_RNDN);
        *z = mpfr_get_d(diff, MPFR_RNDN);
        if (!isfinite(*z))
        {
            *z = NAN;
            v = NTK_CHECK_BEYOND;
        }
        else
            v = fabs(*z) <= threshold ? NTK_CHECK_PASS : NTK_CHECK_FAIL;
    }
    mpfr_clear(diff);
    mpfr_clear(e);
    mpfr_clear(s);
    return v;
}
