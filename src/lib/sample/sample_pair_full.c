/* The full method of the two-input sampler: every weight of the network is
   drawn, for any weight law, in the order of the one-input full method
   (sample_full.c), and both inputs go through the same network.  Network k
   of a seed is therefore the one-input sampler's network k, and K(x,x) its
   K to the bit. */

#include <string.h>
#include "sample.h"

void
_ntk_sample_pair_full_init(_ntk_sample_pair_full_t * wk, const _ntk_sample_shape_t * sh)
{
    slong i;
    int j;
    wk->w = flint_malloc(FLINT_MAX(sh->n_weights, 1) * sizeof(double));
    wk->gram = flint_calloc(6 * (sh->d + 1), sizeof(double));
    for (j = 0; j < 2; j++)
    {
        wk->z[j] = flint_malloc((sh->d + 1) * sizeof(double *));
        wk->a[j] = flint_malloc((sh->d + 1) * sizeof(double *));
        wk->delta[j] = flint_malloc((sh->d + 1) * sizeof(double *));
        for (i = 0; i <= sh->d; i++)
        {
            wk->z[j][i] = flint_calloc(sh->n[i], sizeof(double));
            wk->a[j][i] = flint_calloc(sh->n[i], sizeof(double));
            wk->delta[j][i] = flint_calloc(sh->n[i], sizeof(double));
        }
    }
}

void
_ntk_sample_pair_full_clear(_ntk_sample_pair_full_t * wk, const _ntk_sample_shape_t * sh)
{
    slong i;
    int j;
    for (j = 0; j < 2; j++)
    {
        for (i = 0; i <= sh->d; i++)
        {
            flint_free(wk->z[j][i]);
            flint_free(wk->a[j][i]);
            flint_free(wk->delta[j][i]);
        }
        flint_free(wk->z[j]); flint_free(wk->a[j]); flint_free(wk->delta[j]);
    }
    flint_free(wk->w);
    flint_free(wk->gram);
}

/* The weights row by row (as sample_full.c draws them), each row used at
   once for both inputs' forward passes. */
static void
pair_full_forward(_ntk_sample_pair_full_t * wk, const _ntk_sample_shape_t * sh,
                  const _ntk_sample_inputs_t * in, _ntk_rng_t * rng)
{
    slong i, j, k;
    int t;
    const double sqrt3 = 1.7320508075688772;
    for (t = 0; t < 2; t++)
        memset(wk->a[t][0], 0, sh->n[0] * sizeof(double));
    wk->a[0][0][0] = in->x1;
    wk->a[1][0][0] = in->y1;
    if (sh->n[0] >= 2)
        wk->a[1][0][1] = in->y2;
    for (i = 1; i <= sh->d; i++)
    {
        slong n_prev = (slong) sh->n[i - 1];
        double sc = sh->scale[i];
        for (j = 0; j < (slong) sh->n[i]; j++)
        {
            double * row = wk->w + sh->offset[i] + j * n_prev;
            if (sh->uniform)
                for (k = 0; k < n_prev; k++)
                    row[k] = sc * sqrt3 * (2.0 * _ntk_rng_uniform(rng) - 1.0);
            else
                _ntk_rng_normals(rng, row, n_prev, sc);
            for (t = 0; t < 2; t++)
            {
                double z = _ntk_sample_dot(row, wk->a[t][i - 1], n_prev);
                wk->z[t][i][j] = z;
                wk->a[t][i][j] = i < sh->d ? _ntk_sample_slope(sh, z) * z : z;
            }
        }
    }
}

/* delta = dN/dz of input t, down the layers (as sample_full.c). */
static void
pair_full_backward(_ntk_sample_pair_full_t * wk, const _ntk_sample_shape_t * sh, int t)
{
    slong i, j, k;
    wk->delta[t][sh->d][0] = 1.0;
    for (i = sh->d; i >= 2; i--)
    {
        const double * w = wk->w + sh->offset[i];
        double * below = wk->delta[t][i - 1];
        slong n_prev = (slong) sh->n[i - 1];
        memset(below, 0, n_prev * sizeof(double));
        for (j = 0; j < (slong) sh->n[i]; j++)
        {
            double dj = wk->delta[t][i][j];
            if (dj == 0.0)
                continue;
            for (k = 0; k < n_prev; k++)
                below[k] += w[j * n_prev + k] * dj;
        }
        for (k = 0; k < n_prev; k++)
            below[k] *= _ntk_sample_slope(sh, wk->z[t][i - 1][k]);
    }
}

void
_ntk_sample_pair_full_one(double * v, _ntk_sample_pair_full_t * wk,
                          const _ntk_sample_shape_t * sh, const _ntk_sample_inputs_t * in,
                          _ntk_rng_t * rng, _ntk_sample_pair_fault_t fault)
{
    double * ga = wk->gram, * gd = wk->gram + 3 * (sh->d + 1);
    slong i;
    pair_full_forward(wk, sh, in, rng);
    pair_full_backward(wk, sh, 0);
    pair_full_backward(wk, sh, 1);
    /* the Gram entries as the one-input full method sums |a|^2, |delta|^2 */
    for (i = 1; i <= sh->d; i++)
    {
        slong m = (slong) sh->n[i - 1], n = (slong) sh->n[i];
        ga[3 * (i - 1)] = _ntk_sample_dot(wk->a[0][i - 1], wk->a[0][i - 1], m);
        ga[3 * (i - 1) + 1] = _ntk_sample_dot(wk->a[0][i - 1], wk->a[1][i - 1], m);
        ga[3 * (i - 1) + 2] = _ntk_sample_dot(wk->a[1][i - 1], wk->a[1][i - 1], m);
        gd[3 * i] = _ntk_sample_dot(wk->delta[0][i], wk->delta[0][i], n);
        gd[3 * i + 1] = _ntk_sample_dot(wk->delta[0][i], wk->delta[1][i], n);
        gd[3 * i + 2] = _ntk_sample_dot(wk->delta[1][i], wk->delta[1][i], n);
    }
    _ntk_sample_pair_kernels_gram(v, sh, ga, gd, wk->a[0][sh->d][0], wk->a[1][sh->d][0], fault);
}
