/* The network the sampler draws, in doubles (sample.h): the shape, with the
   slopes factored out of the weights, and the check that every quantity
   stays within the double precision of the sampler. */

#include <math.h>
#include <mpfr.h>
#include "base/error.h"
#include "sample.h"

double
_ntk_sample_to_double(const fmpq_t x)
{
    mpfr_t m;
    double d;
    mpfr_init2(m, 64);
    fmpq_get_mpfr(m, x, MPFR_RNDN);
    d = mpfr_get_d(m, MPFR_RNDN);
    mpfr_clear(m);
    return d;
}

/* floor(log2 |x|) for a rational x != 0. */
static slong
fmpq_floor_log2(const fmpq_t x)
{
    slong k = (slong) fmpz_bits(fmpq_numref(x)) - (slong) fmpz_bits(fmpq_denref(x));
    fmpz_t t;
    int below;
    fmpz_init(t);
    /* 2^(k-1) < |x| < 2^(k+1): is |x| < 2^k? */
    if (k >= 0)
    {
        fmpz_mul_2exp(t, fmpq_denref(x), (ulong) k);
        below = fmpz_cmpabs(fmpq_numref(x), t) < 0;
    }
    else
    {
        fmpz_mul_2exp(t, fmpq_numref(x), (ulong) -k);
        below = fmpz_cmpabs(t, fmpq_denref(x)) < 0;
    }
    fmpz_clear(t);
    return below ? k - 1 : k;
}

/* The slopes' scale s = 2^k: max(|a_plus|, |a_minus|) lies in [2^k, 2^(k+1))
   (the slopes are not both 0). */
static slong
slope_exponent(const ntk_conv_t conv)
{
    slong k = WORD_MIN;
    if (!fmpq_is_zero(conv->a_plus))
        k = fmpq_floor_log2(conv->a_plus);
    if (!fmpq_is_zero(conv->a_minus))
        k = FLINT_MAX(k, fmpq_floor_log2(conv->a_minus));
    return k;
}

/* x 2^e in double (x rational, e of either sign), exact before the rounding. */
static double
fmpq_scaled_double(const fmpq_t x, slong e)
{
    fmpq_t t;
    double d;
    fmpq_init(t);
    if (e >= 0)
        fmpq_mul_2exp(t, x, (ulong) e);
    else
        fmpq_div_2exp(t, x, (ulong) -e);
    d = _ntk_sample_to_double(t);
    fmpq_clear(t);
    return d;
}

void
_ntk_sample_shape_init(_ntk_sample_shape_t * sh, const ntk_profile_t p, const ntk_conv_t conv, ntk_law_t law,
           const fmpq_t x2)
{
    slong r, j, i = 0, k = slope_exponent(conv);
    double ch = fmpq_scaled_double(conv->cw_hidden, 2 * k), co = _ntk_sample_to_double(conv->cw_output);
    /* s^2: within range whenever it is used (sample_check_range) */
    double s2 = ldexp(1.0, (int) FLINT_MAX(FLINT_MIN(2 * k, 2000), -2000));
    sh->d = p->depth;
    sh->n = flint_malloc((sh->d + 1) * sizeof(ulong));
    sh->offset = flint_malloc((sh->d + 2) * sizeof(slong));
    sh->scale = flint_malloc((sh->d + 1) * sizeof(double));
    sh->lw = flint_malloc((sh->d + 1) * sizeof(double));
    for (r = 0; r < p->n_runs; r++)
        for (j = 0; j < p->count[r]; j++)
            sh->n[i++] = p->width[r];
    sh->max_width = 0;
    sh->n_neurons = 0;
    sh->offset[1] = 0;
    for (i = 0; i <= sh->d; i++)
    {
        sh->max_width = FLINT_MAX(sh->max_width, (slong) sh->n[i]);
        sh->n_neurons += (slong) sh->n[i];
    }
    for (i = 1; i <= sh->d; i++)
    {
        double c = i < sh->d ? ch : co;
        sh->scale[i] = sqrt(c / (double) sh->n[i - 1]);
        sh->lw[i] = conv->param == NTK_PARAM_NTK ? c / (double) sh->n[i - 1]
                                                  : i < sh->d ? s2 : 1.0;
        sh->offset[i + 1] = sh->offset[i] + (slong) (sh->n[i] * sh->n[i - 1]);
    }
    sh->n_weights = sh->offset[sh->d + 1];
    sh->lb = conv->bias ? s2 : 0.0;
    sh->lb_out = conv->bias ? 1.0 : 0.0;
    sh->x = sqrt(_ntk_sample_to_double(x2));
    sh->a_plus = fmpq_scaled_double(conv->a_plus, -k);
    sh->a_minus = fmpq_scaled_double(conv->a_minus, -k);
    sh->uniform = (law == NTK_LAW_UNIFORM);
}

void
_ntk_sample_shape_clear(_ntk_sample_shape_t * sh)
{
    flint_free(sh->n); flint_free(sh->offset); flint_free(sh->scale); flint_free(sh->lw);
}

/* log2 |x| for a rational x != 0, without overflow. */
static double
fmpq_log2(const fmpq_t x)
{
    mpfr_t m;
    double r;
    mpfr_init2(m, 64);
    fmpq_get_mpfr(m, x, MPFR_RNDN);
    mpfr_abs(m, m, MPFR_RNDN);
    mpfr_log2(m, m, MPFR_RNDN);
    r = mpfr_get_d(m, MPFR_RNDN);
    mpfr_clear(m);
    return r;
}

/* log2 of the gain per hidden layer of the squared activations, c A_2, and
   in the dead phase (after a shut layer, or from x = 0, every gate is
   a_minus) c a_minus^2 when a_minus is not 0. */
static double
sample_layer_gain(const ntk_conv_t conv, int dead)
{
    fmpq_t g;
    double r;
    fmpq_init(g);
    if (dead)
        fmpq_mul(g, conv->a_minus, conv->a_minus);
    else
        ntk_conv_gate_moment(g, conv, 2);
    fmpq_mul(g, g, conv->cw_hidden);
    r = fmpq_is_zero(g) ? -HUGE_VAL : fmpq_log2(g);
    fmpq_clear(g);
    return r;
}

/* The sampler works in doubles and sums fourth powers of K (for the
   standard error of Var_K): every part of K must stay within 2^+-240.  The
   typical sizes are E[K_w] = d c_d (x2/n_0) (c A_2)^(d-1) and, for the
   biases, c_d (c A_2)^(s) summed over the layers s, or (c a_minus^2)^s in
   the dead phase (ReLU: c A_2 = c/2), for slopes of size about 1.  Slopes of
   size s = 2^k scale the hidden biases' part of K_b, E_Dwb with it, by s^2
   (sample.h), and in the standard parametrization the hidden weights' part
   of K_w too: the exact values are then beyond double precision as well
   (slopes:1e162,0 at the critical variance: E_K = 5.0e+323), and are
   refused, never rounded to 0 or infinity.  The network with the slopes
   factored out is what the sampler draws, and is checked as before. */
ntk_status_t
_ntk_sample_check_range(const ntk_profile_t p, const ntk_conv_t conv, const fmpq_t x2,
                        ntk_error_t * err)
{
    double d = (double) p->depth, growth = sample_layer_gain(conv, 0);
    double lco = fmpq_log2(conv->cw_output), lkw = 0.0, lkb, ls2 = 2.0 * (double) slope_exponent(conv);
    lkb = lco + FLINT_MAX(0.0, (d - 1.0) * FLINT_MAX(growth, sample_layer_gain(conv, 1)))
          + log2(d);
    if (conv->bias && fabs(lkb) > 240.0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "cw_hidden",
            "cw_hidden: K_b of this network is about 2^%.0f, beyond the double precision of the "
            "sampler (2^-240..2^240); keep the variances near the critical cw_hidden 1/A_2", lkb);
    if (!fmpq_is_zero(x2))
    {
        lkw = log2(d) + lco + fmpq_log2(x2) - log2((double) p->width[0]) + (d - 1.0) * growth;
        if (fabs(lkw) > 240.0)
            return _ntk_error_set(err, NTK_ERR_RANGE, "x2",
                "x2: K_w of this network is about 2^%.0f, beyond the double precision of the "
                "sampler (2^-240..2^240); scale x2 or the variances", lkw);
    }
    /* no hidden layer: the slopes play no part */
    if (p->depth < 2)
        return NTK_OK;
    if (conv->bias && fabs(lkb + ls2) > 240.0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "activation",
            "activation: slopes of size 2^%.0f make the hidden biases' part of K_b about 2^%.0f, "
            "beyond the double precision of the sampler (2^-240..2^240), and the exact values "
            "with it; %s", ls2 / 2.0, lkb + ls2, conv->param == NTK_PARAM_NTK
            ? "without biases the sampler takes slopes of any size" : "scale the slopes");
    if (conv->param == NTK_PARAM_STANDARD && fabs(lkw + ls2) > 240.0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "activation",
            "activation: slopes of size 2^%.0f make the hidden weights' part of K_w (standard "
            "parametrization) about 2^%.0f, beyond the double precision of the sampler "
            "(2^-240..2^240), and the exact values with it; scale the slopes", ls2 / 2.0,
            lkw + ls2);
    return NTK_OK;
}
