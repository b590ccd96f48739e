/* The projected method of the two-input sampler, for Gaussian weights
   (doc/derivation.md, sections 12 and 16.7).  Each weight matrix
   What = sigma G of layer i (n_i x m, m = n_{i-1}) is needed only through
   its products with the two activations a_x, a_y of layer i-1 (the forward
   passes) and with the two backward vectors delta_x, delta_y of layer i:

   - forward: q_1, q_2, an orthonormal basis of span(a_x, a_y) (one vector
     when they are parallel, none when both are 0), and What q_j = sigma g_j
     with g_j fresh; z_t = sum_j (a_t . q_j) What q_j.
   - backward: f_1, f_2, an orthonormal basis of span(delta_x, delta_y).
     Given What Q (Q = [q_1 q_2]), What = What Q Q' + sigma G (I - Q Q') with
     G independent of What Q, and G' f_1, G' f_2 are independent standard
     vectors, so What' delta_t = Q (What Q)' delta_t
     + sigma sum_k (delta_t . f_k) (I - Q Q') h_k, h_k fresh.

   2(n_i + n_{i-1}) normal variates and O(n_i + n_{i-1}) work per layer:
   about twice the one-input method, whose single right and left directions
   are these with one vector each.  Every coefficient is computed by the
   same expression for both inputs, so that at x' = x the two passes are
   the same to the bit (the second direction is then below rounding and
   dropped). */

#include <math.h>
#include <string.h>
#include "sample.h"

/* Below this norm relative to the vector's, its part outside the basis is
   rounding error (as in sample_projected.c). */
#define PAIR_SPAN_TOL 1e-12

void
_ntk_sample_pair_projected_init(_ntk_sample_pair_projected_t * wk,
                                const _ntk_sample_shape_t * sh)
{
    slong i, used = 0, total = 2 * sh->max_width + 2 * 2;
    int t;
    for (i = 1; i <= sh->d; i++)
        total += 2 * (4 * (slong) sh->n[i] + (i >= 2 ? (slong) sh->n[i - 1] : 2));
    wk->block = flint_calloc(total, sizeof(double));
    wk->rank = flint_calloc(sh->d + 1, sizeof(slong));
    for (t = 0; t < 2; t++)
    {
        wk->z[t] = flint_calloc(5 * (sh->d + 1), sizeof(double *));
        wk->a[t] = wk->z[t] + (sh->d + 1);
        wk->delta[t] = wk->a[t] + (sh->d + 1);
        wk->q[t] = wk->delta[t] + (sh->d + 1);
        wk->img[t] = wk->q[t] + (sh->d + 1);
        /* layer 0: the inputs' two coordinates */
        wk->a[t][0] = wk->block + used;
        used += 2;
    }
    for (i = 1; i <= sh->d; i++)
        for (t = 0; t < 2; t++)
        {
            slong n = (slong) sh->n[i], m = i >= 2 ? (slong) sh->n[i - 1] : 2;
            wk->z[t][i] = wk->block + used; used += n;
            wk->a[t][i] = wk->block + used; used += n;
            wk->delta[t][i] = wk->block + used; used += n;
            wk->img[t][i] = wk->block + used; used += n;
            wk->q[t][i] = wk->block + used; used += m;
        }
    for (t = 0; t < 2; t++, used += sh->max_width)
        wk->h[t] = wk->block + used;
}

void
_ntk_sample_pair_projected_clear(_ntk_sample_pair_projected_t * wk)
{
    flint_free(wk->block);
    flint_free(wk->rank);
    flint_free(wk->z[0]);
    flint_free(wk->z[1]);
}

/* An orthonormal basis q[0..k-1] of span(u_0, u_1) (length m), k returned,
   and the coefficients c[t][j] = u_t . q_j computed alike for both. */
static int
span_basis(double * const * q, double c[2][2], const double * u0, const double * u1, slong m)
{
    const double * u[2] = { u0, u1 };
    int k = 0, t, j;
    slong r;
    c[0][0] = c[0][1] = c[1][0] = c[1][1] = 0.0;
    for (t = 0; t < 2; t++)
    {
        double uu = _ntk_sample_dot(u[t], u[t], m), rr;
        if (uu == 0.0)
            continue;
        for (j = 0; j < k; j++)
            c[t][j] = _ntk_sample_dot(u[t], q[j], m);
        if (k == 2)
            continue;
        /* the part outside the basis so far */
        for (r = 0; r < m; r++)
        {
            double x = u[t][r];
            for (j = 0; j < k; j++)
                x -= c[t][j] * q[j][r];
            q[k][r] = x;
        }
        rr = _ntk_sample_dot(q[k], q[k], m);
        if (rr <= PAIR_SPAN_TOL * PAIR_SPAN_TOL * uu)
            continue;
        {
            double s = 1.0 / sqrt(rr);
            for (r = 0; r < m; r++)
                q[k][r] *= s;
        }
        c[t][k] = _ntk_sample_dot(u[t], q[k], m);
        k++;
    }
    return k;
}

/* Layer i's forward products: z_t = What a_t for both inputs. */
static void
pair_forward_layer(_ntk_sample_pair_projected_t * wk, const _ntk_sample_shape_t * sh, slong i,
                   _ntk_rng_t * rng)
{
    slong m = i >= 2 ? (slong) sh->n[i - 1] : 2, n = (slong) sh->n[i], r;
    double * q[2] = { wk->q[0][i], wk->q[1][i] }, c[2][2];
    int k = span_basis(q, c, wk->a[0][i - 1], wk->a[1][i - 1], m), t, j;
    wk->rank[i] = k;
    for (j = 0; j < k; j++)
        _ntk_rng_normals(rng, wk->img[j][i], n, sh->scale[i]);
    for (t = 0; t < 2; t++)
    {
        double * z = wk->z[t][i], * a = wk->a[t][i];
        for (r = 0; r < n; r++)
        {
            double x = 0.0;
            for (j = 0; j < k; j++)
                x += c[t][j] * wk->img[j][i][r];
            z[r] = x;
            a[r] = i < sh->d ? _ntk_sample_slope(sh, x) * x : x;
        }
    }
}

/* Layer i's backward products: delta_t^(i-1) = D (What' delta_t^(i)), given
   What Q of the forward pass. */
static void
pair_backward_layer(_ntk_sample_pair_projected_t * wk, const _ntk_sample_shape_t * sh, slong i,
                    _ntk_rng_t * rng)
{
    slong m = (slong) sh->n[i - 1], n = (slong) sh->n[i], r;
    double c[2][2], e[2][2];
    int kq = (int) wk->rank[i], kf, t, j;
    /* f_k (length n) only give the coefficients c; their buffers then hold
       the fresh h_k (length m) */
    double * fb[2] = { wk->h[0], wk->h[1] };
    kf = span_basis(fb, c, wk->delta[0][i], wk->delta[1][i], n);
    /* e[t][j] = (What q_j) . delta_t: the known part along q_j */
    for (t = 0; t < 2; t++)
        for (j = 0; j < kq; j++)
            e[t][j] = _ntk_sample_dot(wk->img[j][i], wk->delta[t][i], n);
    /* the fresh parts, (I - Q Q') h_k; h_k overwrite f_k once c is known */
    for (j = 0; j < kf; j++)
    {
        double * h = fb[j];
        int l;
        _ntk_rng_normals(rng, h, m, sh->scale[i]);
        for (l = 0; l < kq; l++)
        {
            double p = _ntk_sample_dot(h, wk->q[l][i], m);
            for (r = 0; r < m; r++)
                h[r] -= p * wk->q[l][i][r];
        }
    }
    for (t = 0; t < 2; t++)
    {
        double * below = wk->delta[t][i - 1];
        const double * zb = wk->z[t][i - 1];
        for (r = 0; r < m; r++)
        {
            double y = 0.0;
            for (j = 0; j < kq; j++)
                y += e[t][j] * wk->q[j][i][r];
            for (j = 0; j < kf; j++)
                y += c[t][j] * fb[j][r];
            below[r] = _ntk_sample_slope(sh, zb[r]) * y;
        }
    }
}

void
_ntk_sample_pair_projected_one(double * v, _ntk_sample_pair_projected_t * wk,
                               const _ntk_sample_shape_t * sh, const _ntk_sample_inputs_t * in,
                               _ntk_rng_t * rng, _ntk_sample_pair_fault_t fault)
{
    slong i;
    wk->a[0][0][0] = in->x1;
    wk->a[0][0][1] = 0.0;
    wk->a[1][0][0] = in->y1;
    wk->a[1][0][1] = in->y2;
    for (i = 1; i <= sh->d; i++)
        pair_forward_layer(wk, sh, i, rng);
    wk->delta[0][sh->d][0] = wk->delta[1][sh->d][0] = 1.0;
    for (i = sh->d; i >= 2; i--)
        pair_backward_layer(wk, sh, i, rng);
    _ntk_sample_pair_kernels(v, sh, 2, wk->a[0], wk->a[1], wk->delta[0], wk->delta[1],
                             wk->z[0][sh->d][0], wk->z[1][sh->d][0], fault);
}
