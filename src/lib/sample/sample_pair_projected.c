/* The projected method of the two-input sampler, for Gaussian weights
   (doc/derivation.md, sections 12 and 16.7).  Each weight matrix
   What = sigma G of layer i (n_i x m, m = n_{i-1}) is needed only through
   its products with the two activations a_x, a_y of layer i-1 (the forward
   passes) and with the two backward vectors delta_x, delta_y of layer i:

   - forward: b_0 = a_x, b_1 = a_y - beta a_x (beta = a_x.a_y/|a_x|^2), an
     orthogonal basis of span(a_x, a_y) (b_1 dropped when a_y is parallel to
     a_x, b_0 = a_y when a_x = 0), and What b_j = sigma |b_j| g_j with g_j
     fresh: z_x = What b_0, z_y = beta What b_0 + What b_1.
   - backward: f_0 = delta_x, f_1 = delta_y - gamma delta_x likewise.  Given
     What B (B = [b_0 b_1]), What = sum_j What b_j b_j'/|b_j|^2
     + sigma G P (P the projection orthogonal to B) with G independent of
     What B, and G' f_0, G' f_1 are independent with covariances |f_k|^2 I,
     so What' delta = sum_j b_j (What b_j . delta)/|b_j|^2
     + sigma sum_k (delta . f_k / |f_k|^2) |f_k| P h_k, h_k fresh.

   2 n_i + 2 n_{i-1} normal variates and O(n_i + n_{i-1}) work per layer
   (the one-input method's single directions, twice).  A neuron with slope 0
   at both inputs (both gates shut) takes no further part: a layer keeps its
   live neurons only, and the left products are drawn on them alone.  Every
   coefficient is computed by the same expression for both inputs, so that
   at x' = x the two passes are the same to the bit (beta = gamma = 1, the
   second directions exactly 0). */

#include <math.h>
#include <string.h>
#include "sample.h"

/* Below this norm relative to the vector's, its part outside the first
   direction is rounding error (as in sample_projected.c). */
#define PAIR_SPAN_TOL 1e-12

void
_ntk_sample_pair_projected_init(_ntk_sample_pair_projected_t * wk,
                                const _ntk_sample_shape_t * sh)
{
    slong i, used = 0, total = 2 * sh->max_width + 4;
    int t;
    for (i = 1; i <= sh->d; i++)
        total += 8 * (slong) sh->n[i] + (i >= 2 ? (slong) sh->n[i - 1] : 2);
    wk->block = flint_calloc(total, sizeof(double));
    wk->rank = flint_calloc(2 * (sh->d + 1), sizeof(slong));
    wk->live = wk->rank + sh->d + 1;
    wk->bn = flint_calloc(2 * (sh->d + 1), sizeof(double));
    wk->z[0] = flint_calloc(9 * (sh->d + 1), sizeof(double *));
    wk->z[1] = wk->z[0] + (sh->d + 1);
    wk->a[0] = wk->z[1] + (sh->d + 1);
    wk->a[1] = wk->a[0] + (sh->d + 1);
    wk->delta[0] = wk->a[1] + (sh->d + 1);
    wk->delta[1] = wk->delta[0] + (sh->d + 1);
    wk->g[0] = wk->delta[1] + (sh->d + 1);
    wk->g[1] = wk->g[0] + (sh->d + 1);
    wk->resid = wk->g[1] + (sh->d + 1);
    wk->b0 = flint_calloc(sh->d + 1, sizeof(double *));
    for (t = 0; t < 2; t++)
    {
        /* layer 0: the inputs' two coordinates */
        wk->a[t][0] = wk->block + used;
        used += 2;
    }
    for (i = 1; i <= sh->d; i++)
    {
        slong n = (slong) sh->n[i];
        for (t = 0; t < 2; t++)
        {
            wk->z[t][i] = wk->block + used; used += n;
            wk->a[t][i] = wk->block + used; used += n;
            wk->delta[t][i] = wk->block + used; used += n;
            wk->g[t][i] = wk->block + used; used += n;
        }
        wk->resid[i] = wk->block + used;
        used += i >= 2 ? (slong) sh->n[i - 1] : 2;
    }
    for (t = 0; t < 2; t++, used += sh->max_width)
        wk->h[t] = wk->block + used;
}

void
_ntk_sample_pair_projected_clear(_ntk_sample_pair_projected_t * wk)
{
    flint_free(wk->block);
    flint_free(wk->rank);
    flint_free(wk->bn);
    flint_free(wk->z[0]);
    flint_free((void *) wk->b0);
}

/* u0 . u0, u0 . u1, u1 . u1 in one pass. */
static void
gram3(double r[3], const double * u0, const double * u1, slong m)
{
    double s00 = 0.0, s01 = 0.0, s11 = 0.0, t00 = 0.0, t01 = 0.0, t11 = 0.0;
    slong k;
    for (k = 0; k + 2 <= m; k += 2)
    {
        s00 += u0[k] * u0[k]; s01 += u0[k] * u1[k]; s11 += u1[k] * u1[k];
        t00 += u0[k + 1] * u0[k + 1]; t01 += u0[k + 1] * u1[k + 1];
        t11 += u1[k + 1] * u1[k + 1];
    }
    if (k < m)
    {
        s00 += u0[k] * u0[k]; s01 += u0[k] * u1[k]; s11 += u1[k] * u1[k];
    }
    r[0] = s00 + t00;
    r[1] = s01 + t01;
    r[2] = s11 + t11;
}

/* An orthogonal basis of span(u0, u1): *first = u0 (or u1 when u0 = 0), res
   <- u1 - beta u0; returns the rank, with the norms in bn and u0's and u1's
   coefficients on the basis in c[0][.] and c[1][.] (the same expressions
   for both, so that u1 = u0 gives the same coefficients to the bit). */
static int
pair_basis(const double ** first, double * res, double bn[2], double c[2][2], const double * u0,
           const double * u1, slong m)
{
    double r[3], beta, rr;
    slong k;
    c[0][0] = c[0][1] = c[1][0] = c[1][1] = 0.0;
    gram3(r, u0, u1, m);
    if (r[0] == 0.0)
    {
        if (r[2] == 0.0)
            return 0;
        *first = u1;
        bn[0] = sqrt(r[2]);
        c[1][0] = r[2] / r[2];
        return 1;
    }
    *first = u0;
    bn[0] = sqrt(r[0]);
    beta = r[1] / r[0];
    c[0][0] = r[0] / r[0];
    c[1][0] = beta;
    if (r[2] == 0.0)
        return 1;
    rr = 0.0;
    for (k = 0; k < m; k++)
    {
        res[k] = u1[k] - beta * u0[k];
        rr += res[k] * res[k];
    }
    if (rr <= PAIR_SPAN_TOL * PAIR_SPAN_TOL * r[2])
        return 1;
    bn[1] = sqrt(rr);
    c[1][1] = 1.0;
    return 2;
}

/* The slope at z without a branch (the signs of a layer are random: a
   branch would be mispredicted half the time); the same value as
   _ntk_sample_slope. */
static inline double
pair_slope(const double * slopes, double z)
{
    return slopes[z > 0.0];
}

/* Keeps the neurons of layer i live at either input (slope not 0 at z_x or
   z_y), in order, in every vector of the layer. */
static slong
compact_layer(_ntk_sample_pair_projected_t * wk, const _ntk_sample_shape_t * sh, slong i, slong n)
{
    double * zx = wk->z[0][i], * zy = wk->z[1][i], * ax = wk->a[0][i], * ay = wk->a[1][i];
    double * g0 = wk->g[0][i], * g1 = wk->g[1][i], slopes[2] = { sh->a_minus, sh->a_plus };
    slong r, live = 0;
    /* without a branch: every neuron is written at the next place, which
       advances when it is live */
    for (r = 0; r < n; r++)
    {
        double x = zx[r], y = zy[r];
        zx[live] = x; zy[live] = y; ax[live] = ax[r]; ay[live] = ay[r];
        g0[live] = g0[r]; g1[live] = g1[r];
        live += (pair_slope(slopes, x) != 0.0) | (pair_slope(slopes, y) != 0.0);
    }
    return live;
}

/* Layer i's forward products: z_t = What a_t for both inputs. */
static void
pair_forward_layer(_ntk_sample_pair_projected_t * wk, const _ntk_sample_shape_t * sh, slong i,
                   _ntk_rng_t * rng, int compact)
{
    slong m = wk->live[i - 1], n = (slong) sh->n[i], r;
    double c[2][2], * bn = wk->bn + 2 * i, s0, s1, cx0, cy0, cy1;
    double * zx = wk->z[0][i], * zy = wk->z[1][i], * ax = wk->a[0][i], * ay = wk->a[1][i];
    const double * g0 = wk->g[0][i], * g1 = wk->g[1][i];
    int k = pair_basis(wk->b0 + i, wk->resid[i], bn, c, wk->a[0][i - 1], wk->a[1][i - 1], m);
    wk->rank[i] = k;
    if (k == 0)
        memset(wk->g[0][i], 0, n * sizeof(double));
    if (k >= 1)
        _ntk_rng_normals(rng, wk->g[0][i], n, 1.0);
    if (k == 2)
        _ntk_rng_normals(rng, wk->g[1][i], n, 1.0);
    else
        memset(wk->g[1][i], 0, n * sizeof(double));
    s0 = sh->scale[i] * bn[0];
    s1 = k == 2 ? sh->scale[i] * bn[1] : 0.0;
    cx0 = c[0][0] * s0;
    cy0 = c[1][0] * s0;
    cy1 = c[1][1] * s1;
    for (r = 0; r < n; r++)
    {
        double x = cx0 * g0[r], y = cy0 * g0[r] + cy1 * g1[r];
        zx[r] = x;
        zy[r] = y;
    }
    if (i == sh->d)
    {
        wk->live[i] = n;
        return;
    }
    {
        double slopes[2] = { sh->a_minus, sh->a_plus };
        for (r = 0; r < n; r++)
        {
            ax[r] = pair_slope(slopes, zx[r]) * zx[r];
            ay[r] = pair_slope(slopes, zy[r]) * zy[r];
        }
    }
    wk->live[i] = compact ? compact_layer(wk, sh, i, n) : n;
}

/* h <- h - sum_j (b_j . h / |b_j|^2) b_j: its part orthogonal to the right
   directions of the layer. */
static void
project_out(double * h, const double * b0, const double * b1, const double * bn, int k, slong m)
{
    slong r;
    double p0 = 0.0, p1 = 0.0;
    if (k == 0)
        return;
    for (r = 0; r < m; r++)
    {
        p0 += b0[r] * h[r];
        if (k == 2)
            p1 += b1[r] * h[r];
    }
    p0 /= bn[0] * bn[0];
    p1 = k == 2 ? p1 / (bn[1] * bn[1]) : 0.0;
    if (k == 2)
        for (r = 0; r < m; r++)
            h[r] -= p0 * b0[r] + p1 * b1[r];
    else
        for (r = 0; r < m; r++)
            h[r] -= p0 * b0[r];
}

/* Layer i's backward products: delta_t^(i-1) = D (What' delta_t^(i)), given
   What B of the forward pass. */
static void
pair_backward_layer(_ntk_sample_pair_projected_t * wk, const _ntk_sample_shape_t * sh, slong i,
                    _ntk_rng_t * rng)
{
    slong m = wk->live[i - 1], n = wk->live[i], r;
    const double * b0 = wk->b0[i], * b1 = wk->resid[i], * bn = wk->bn + 2 * i;
    double c[2][2], fn[2] = { 0.0, 0.0 }, known[2][2] = { { 0.0, 0.0 }, { 0.0, 0.0 } };
    double fresh[2][2], sigma = sh->scale[i];
    const double * f0;
    int kb = (int) wk->rank[i], kf, t;
    /* the basis of the deltas (length n) goes in h[1]; its coefficients are
       all that is kept of it */
    kf = pair_basis(&f0, wk->h[1], fn, c, wk->delta[0][i], wk->delta[1][i], n);
    for (t = 0; t < 2; t++)
    {
        /* (What b_j . delta_t)/|b_j|^2 = sigma (g_j . delta_t)/|b_j| */
        if (kb >= 1)
            known[t][0] = sigma * _ntk_sample_dot(wk->g[0][i], wk->delta[t][i], n) / bn[0];
        if (kb == 2)
            known[t][1] = sigma * _ntk_sample_dot(wk->g[1][i], wk->delta[t][i], n) / bn[1];
        fresh[t][0] = sigma * (c[t][0] * fn[0]);
        fresh[t][1] = kf == 2 ? sigma * (c[t][1] * fn[1]) : 0.0;
    }
    if (kf >= 1)
    {
        _ntk_rng_normals(rng, wk->h[0], m, 1.0);
        project_out(wk->h[0], b0, b1, bn, kb, m);
    }
    if (kf == 2)
    {
        _ntk_rng_normals(rng, wk->h[1], m, 1.0);
        project_out(wk->h[1], b0, b1, bn, kb, m);
    }
    for (t = 0; t < 2; t++)
    {
        double * below = wk->delta[t][i - 1], k0 = known[t][0], k1 = known[t][1];
        double f0c = fresh[t][0], f1c = fresh[t][1];
        const double * zb = wk->z[t][i - 1], * h0 = wk->h[0], * h1 = wk->h[1];
        const double * q1 = kb == 2 ? b1 : b0;
        if (kb == 0)
            k0 = 0.0, b0 = h0;
        if (kf == 0)
            f0c = 0.0;
        if (kf < 2)
            h1 = h0, f1c = 0.0;
        if (kb < 2)
            k1 = 0.0;
        double slopes[2] = { sh->a_minus, sh->a_plus };
        for (r = 0; r < m; r++)
            below[r] = pair_slope(slopes, zb[r])
                       * (k0 * b0[r] + k1 * q1[r] + f0c * h0[r] + f1c * h1[r]);
    }
}

void
_ntk_sample_pair_projected_one(double * v, _ntk_sample_pair_projected_t * wk,
                               const _ntk_sample_shape_t * sh, const _ntk_sample_inputs_t * in,
                               _ntk_rng_t * rng, _ntk_sample_pair_fault_t fault)
{
    slong i;
    int compact = _ntk_sample_slope(sh, 1.0) == 0.0 || _ntk_sample_slope(sh, -1.0) == 0.0
                  || _ntk_sample_slope(sh, 0.0) == 0.0;
    wk->a[0][0][0] = in->x1;
    wk->a[0][0][1] = 0.0;
    wk->a[1][0][0] = in->y1;
    wk->a[1][0][1] = in->y2;
    wk->live[0] = 2;
    for (i = 1; i <= sh->d; i++)
        pair_forward_layer(wk, sh, i, rng, compact);
    wk->delta[0][sh->d][0] = wk->delta[1][sh->d][0] = 1.0;
    for (i = sh->d; i >= 2; i--)
        pair_backward_layer(wk, sh, i, rng);
    _ntk_sample_pair_kernels(v, sh, wk->live, wk->a[0], wk->a[1], wk->delta[0], wk->delta[1],
                             wk->z[0][sh->d][0], wk->z[1][sh->d][0], fault);
}
