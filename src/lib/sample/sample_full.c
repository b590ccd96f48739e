/* The full method of the sampler: every weight of the network is drawn, for
   any weight law; K by backpropagation, and the first-SGD-update term g as an
   exact directional second derivative with the activation slopes frozen
   (doc/derivation.md, section 5).

   Along s v_w + t v_b, where v_w and v_b are the weight and bias gradients,
   N(theta + s v_w + t v_b) is a polynomial in (s, t) once the masks are
   frozen; its coefficients are propagated layer by layer ("jets"):
   N_s = K_w, N_t = K_b, 2 N_ss = g_ww, N_st = g_wb.  The weight direction is
   rank one per layer (lw_i delta^(i) a^(i-1)'), so a jet costs O(n^2), as
   does drawing the layer. */

#include <string.h>
#include "sample.h"

void
_ntk_sample_full_init(_ntk_sample_full_t * wk, const _ntk_sample_shape_t * sh)
{
    slong i;
    int k, h;
    wk->w = flint_malloc(FLINT_MAX(sh->n_weights, 1) * sizeof(double));
    wk->z = flint_malloc((sh->d + 1) * sizeof(double *));
    wk->a = flint_malloc((sh->d + 1) * sizeof(double *));
    wk->delta = flint_malloc((sh->d + 1) * sizeof(double *));
    for (i = 0; i <= sh->d; i++)
    {
        wk->z[i] = flint_calloc(sh->n[i], sizeof(double));
        wk->a[i] = flint_calloc(sh->n[i], sizeof(double));
        wk->delta[i] = flint_calloc(sh->n[i], sizeof(double));
    }
    for (h = 0; h < 2; h++)
        for (k = 0; k < 4; k++)
            wk->jet[h][k] = flint_calloc(sh->max_width, sizeof(double));
}

void
_ntk_sample_full_clear(_ntk_sample_full_t * wk, const _ntk_sample_shape_t * sh)
{
    slong i;
    int k, h;
    for (i = 0; i <= sh->d; i++)
    {
        flint_free(wk->z[i]);
        flint_free(wk->a[i]);
        flint_free(wk->delta[i]);
    }
    for (h = 0; h < 2; h++)
        for (k = 0; k < 4; k++)
            flint_free(wk->jet[h][k]);
    flint_free(wk->z); flint_free(wk->a); flint_free(wk->delta); flint_free(wk->w);
}

/* Draws row by row the weights of each layer, using each row at once for the
   forward pass while it is in cache, then runs the backward pass. */
static void
full_forward_backward(_ntk_sample_full_t * wk, const _ntk_sample_shape_t * sh, _ntk_rng_t * rng)
{
    slong i, j, k;
    const double sqrt3 = 1.7320508075688772;
    memset(wk->a[0], 0, sh->n[0] * sizeof(double));
    wk->a[0][0] = sh->x;
    for (i = 1; i <= sh->d; i++)
    {
        slong n_prev = (slong) sh->n[i - 1];
        double sc = sh->scale[i];
        for (j = 0; j < (slong) sh->n[i]; j++)
        {
            double * row = wk->w + sh->offset[i] + j * n_prev, z;
            if (sh->uniform)
                for (k = 0; k < n_prev; k++)
                    row[k] = sc * sqrt3 * (2.0 * _ntk_rng_uniform(rng) - 1.0);
            else
                _ntk_rng_normals(rng, row, n_prev, sc);
            z = _ntk_sample_dot(row, wk->a[i - 1], n_prev);
            wk->z[i][j] = z;
            wk->a[i][j] = i < sh->d ? _ntk_sample_slope(sh, z) * z : z;
        }
    }
    wk->delta[sh->d][0] = 1.0;
    for (i = sh->d; i >= 2; i--)
    {
        const double * w = wk->w + sh->offset[i];
        double * below = wk->delta[i - 1];
        slong n_prev = (slong) sh->n[i - 1];
        memset(below, 0, n_prev * sizeof(double));
        for (j = 0; j < (slong) sh->n[i]; j++)
        {
            double dj = wk->delta[i][j];
            if (dj == 0.0)
                continue;
            for (k = 0; k < n_prev; k++)
                below[k] += w[j * n_prev + k] * dj;
        }
        for (k = 0; k < n_prev; k++)
            below[k] *= _ntk_sample_slope(sh, wk->z[i - 1][k]);
    }
}

/* The jets (s, t, ss, st) up the layers; out = N_s, N_t, N_ss, N_st. */
static void
full_jets(double out[4], _ntk_sample_full_t * wk, const _ntk_sample_shape_t * sh)
{
    slong i, j, k;
    int h = 0, q;
    for (q = 0; q < 4; q++)
        memset(wk->jet[0][q], 0, sh->max_width * sizeof(double));
    for (i = 1; i <= sh->d; i++, h ^= 1)
    {
        const double * w = wk->w + sh->offset[i], * a = wk->a[i - 1];
        double ** lo = wk->jet[h], ** hi = wk->jet[h ^ 1];
        slong n_prev = (slong) sh->n[i - 1];
        double aa = _ntk_sample_dot(a, a, n_prev), as = _ntk_sample_dot(a, lo[0], n_prev),
               at = _ntk_sample_dot(a, lo[1], n_prev);
        for (j = 0; j < (slong) sh->n[i]; j++)
        {
            const double * row = w + j * n_prev;
            double zs = 0, zt = 0, zss = 0, zst = 0, dl = wk->delta[i][j], sl;
            for (k = 0; k < n_prev; k++)
            {
                zs += row[k] * lo[0][k];
                zt += row[k] * lo[1][k];
                zss += row[k] * lo[2][k];
                zst += row[k] * lo[3][k];
            }
            /* moving What by s lw delta a' and b by t lb delta */
            zs += sh->lw[i] * dl * aa;
            zt += (i < sh->d ? sh->lb : sh->lb_out) * dl;
            zss += sh->lw[i] * dl * as;
            zst += sh->lw[i] * dl * at;
            /* the frozen masks; the output is linear */
            sl = i < sh->d ? _ntk_sample_slope(sh, wk->z[i][j]) : 1.0;
            hi[0][j] = sl * zs; hi[1][j] = sl * zt; hi[2][j] = sl * zss; hi[3][j] = sl * zst;
        }
    }
    for (q = 0; q < 4; q++)
        out[q] = wk->jet[h][q][0];
}

void
_ntk_sample_full_one(double * v, _ntk_sample_full_t * wk, const _ntk_sample_shape_t * sh,
                     _ntk_rng_t * rng)
{
    double kw = 0.0, kb = 0.0, jet[4];
    slong i;
    full_forward_backward(wk, sh, rng);
    for (i = 1; i <= sh->d; i++)
    {
        double dd = _ntk_sample_dot(wk->delta[i], wk->delta[i], (slong) sh->n[i]);
        kw += sh->lw[i] * _ntk_sample_dot(wk->a[i - 1], wk->a[i - 1], (slong) sh->n[i - 1]) * dd;
        kb += (i < sh->d ? sh->lb : sh->lb_out) * dd;
    }
    full_jets(jet, wk, sh);
    _ntk_sample_values(v, wk->a[sh->d][0], kw, kb, 2.0 * jet[2], jet[3]);
}
