/* E[N^(2k)] for Gaussian weights in closed form, any k (doc/derivation.md,
   section 14): what `check` needs for the standard errors of E_N6 and E_N8,
   whose estimates from the sample are too small where the tail is heavy. */

#include "ntkexact.h"
#include "base/error.h"

#include <flint/fmpq_poly.h>

/* res <- E[S^k] for S = sum of n independent s^2 Z^2, Z standard normal and
   s = a_plus or a_minus with probability 1/2 each (a hidden layer's
   |a|^2 / (c |a_below|^2 / n_below), given the layer below: with Gaussian
   rows the signs and the magnitudes of the pre-activations are independent).
   From the moment generating series: E[S^k] = k! [t^k] M(t)^n with
   M(t) = sum_j E[(s Z)^(2j)] t^j / j!, E[(s Z)^(2j)] = A_(2j) (2j-1)!!. */
static void
layer_moment(fmpq_t res, ulong n, ulong k, const ntk_conv_t conv)
{
    fmpq_poly_t m, p;
    fmpq_t c, g;
    fmpz_t f;
    ulong j;
    fmpq_poly_init(m); fmpq_poly_init(p);
    fmpq_init(c); fmpq_init(g);
    fmpz_init(f);
    for (j = 0; j <= k; j++)
    {
        /* (2j-1)!! / j! */
        fmpz_fac_ui(f, 2 * j);
        fmpq_set_fmpz(c, f);
        fmpz_fac_ui(f, j);
        fmpq_div_fmpz(c, c, f);
        fmpq_div_fmpz(c, c, f);
        fmpq_div_2exp(c, c, j);
        ntk_conv_gate_moment(g, conv, 2 * j);
        fmpq_mul(c, c, g);
        fmpq_poly_set_coeff_fmpq(m, j, c);
    }
    fmpq_poly_pow_trunc(p, m, n, (slong) k + 1);
    fmpq_poly_get_coeff_fmpq(res, p, (slong) k);
    fmpz_fac_ui(f, k);
    fmpq_mul_fmpz(res, res, f);
    fmpq_poly_clear(m); fmpq_poly_clear(p);
    fmpq_clear(c); fmpq_clear(g);
    fmpz_clear(f);
}

ntk_status_t
ntk_moments_output_power(fmpq_t res, const ntk_profile_t p, const ntk_conv_t conv,
                         const fmpq_t x2, ulong k, ntk_error_t * err)
{
    fmpq_t t, lm;
    slong r, layer = 0, c;
    ulong i;
    ntk_status_t status;
    if (res == NULL || conv == NULL || x2 == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, res == NULL ? "res" : conv == NULL ? "conv" : "x2",
                              "%s: NULL argument", res == NULL ? "res" : conv == NULL ? "conv" : "x2");
    if (p == NULL || p->depth < 1)
        return _ntk_error_set(err, NTK_ERR_RANGE, "widths", "widths: the width profile is not set");
    if (k < 1 || k > 64)
        return _ntk_error_set(err, NTK_ERR_RANGE, "k", "k: the power 2k of N needs 1 <= k <= 64");
    if (fmpq_sgn(x2) < 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: ||x||^2 must be >= 0");
    if ((status = ntk_conv_validate(conv, err)) != NTK_OK)
        return status;
    fmpq_init(t); fmpq_init(lm);
    /* (2k-1)!! x2^k */
    fmpq_pow_si(res, x2, (slong) k);
    for (i = 1; i < 2 * k; i += 2)
        fmpq_mul_ui(res, res, i);
    for (r = 0; r < p->n_runs; r++)
        for (c = 0; c < p->count[r]; c++, layer++)
        {
            if (c == 0)
                layer_moment(lm, p->width[r], k, conv);   /* once per run */
            if (layer == 0)
                continue;
            /* layer `layer` joins n_(layer-1) to n_layer: (c/n_(layer-1))^k */
            fmpq_set_ui(t, ntk_profile_width(p, layer - 1), 1);
            fmpq_div(t, layer < p->depth ? conv->cw_hidden : conv->cw_output, t);
            fmpq_pow_si(t, t, (slong) k);
            fmpq_mul(res, res, t);
            if (layer < p->depth)
                fmpq_mul(res, res, lm);
        }
    fmpq_clear(t); fmpq_clear(lm);
    return NTK_OK;
}
