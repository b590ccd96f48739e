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
   (the one-input method's single directions, twice).  The work is a few
   passes over each layer: the projections P h_k are never formed (their
   parts along b_j are folded into the coefficients of b_j), and the Gram
   entries of each layer's vectors, which the basis and K need, are summed
   in the loop that writes the vectors.  The g_j are not kept: the
   backward step needs only g_j . delta, which it recovers from
   z_x . delta and z_y . delta.  A neuron with slope 0
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
        total += 6 * (slong) sh->n[i];
    wk->block = flint_calloc(total, sizeof(double));
    wk->rank = flint_calloc(2 * (sh->d + 1), sizeof(slong));
    wk->live = wk->rank + sh->d + 1;
    wk->bn = flint_calloc(12 * (sh->d + 1), sizeof(double));
    wk->ga = wk->bn + 6 * (sh->d + 1);
    wk->gd = wk->ga + 3 * (sh->d + 1);
    wk->z[0] = flint_calloc(6 * (sh->d + 1), sizeof(double *));
    wk->z[1] = wk->z[0] + (sh->d + 1);
    wk->a[0] = wk->z[1] + (sh->d + 1);
    wk->a[1] = wk->a[0] + (sh->d + 1);
    wk->delta[0] = wk->a[1] + (sh->d + 1);
    wk->delta[1] = wk->delta[0] + (sh->d + 1);
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
        }
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

/* An orthogonal basis of span(u0, u1) from their Gram entries r (u0.u0,
   u0.u1, u1.u1): b_0 = u0 (*first = 0), or u1 when u0 = 0 (*first = 1), and
   b_1 = u1 - beta u0.  Sets |b_0| in bn[0], beta in *beta and u0's and u1's
   coefficients on the basis in c[0][.] and c[1][.] (the same expressions
   for both, so that u1 = u0 gives the same coefficients to the bit);
   returns the rank, or 2 when it is 2 unless |b_1|, which the caller
   measures, is rounding error (pair_basis_finish). */
static int
pair_basis_start(double c[2][2], double bn[2], double * beta, int * first, const double r[3])
{
    c[0][0] = c[0][1] = c[1][0] = c[1][1] = 0.0;
    *beta = 0.0;
    *first = 0;
    if (r[0] == 0.0)
    {
        if (r[2] == 0.0)
            return 0;
        *first = 1;
        bn[0] = sqrt(r[2]);
        c[1][0] = r[2] / r[2];
        return 1;
    }
    bn[0] = sqrt(r[0]);
    *beta = r[1] / r[0];
    c[0][0] = r[0] / r[0];
    c[1][0] = *beta;
    return r[2] == 0.0 ? 1 : 2;
}

/* The rank given rr = |u1 - beta u0|^2 and r2 = |u1|^2. */
static int
pair_basis_finish(double c[2][2], double bn[2], double rr, double r2)
{
    if (rr <= PAIR_SPAN_TOL * PAIR_SPAN_TOL * r2)
        return 1;
    bn[1] = sqrt(rr);
    c[1][1] = 1.0;
    return 2;
}

/* |u1 - beta u0|^2, the residual computed as the backward pass computes it. */
static double
residual_norm2(const double * u0, const double * u1, double beta, slong m)
{
    double s0 = 0.0, s1 = 0.0;
    slong k;
    for (k = 0; k + 2 <= m; k += 2)
    {
        double e0 = u1[k] - beta * u0[k], e1 = u1[k + 1] - beta * u0[k + 1];
        s0 += e0 * e0;
        s1 += e1 * e1;
    }
    if (k < m)
    {
        double e0 = u1[k] - beta * u0[k];
        s0 += e0 * e0;
    }
    return s0 + s1;
}

/* The slope at z without a branch (the signs of a layer are random: a
   branch would be mispredicted half the time); the same value as
   _ntk_sample_slope. */
static inline double
pair_slope(const double * slopes, double z)
{
    return slopes[z > 0.0];
}

/* Two doubles at a time (GCC's and Clang's vector extension; SSE2 on
   x86-64): the per-neuron loops are bound by their instruction count. */
typedef double pair_v2 __attribute__((vector_size(16)));
typedef long long pair_m2 __attribute__((vector_size(16)));

static inline pair_v2
v2_load(const double * p)
{
    pair_v2 v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static inline void
v2_store(double * p, pair_v2 v)
{
    memcpy(p, &v, sizeof(v));
}

static inline pair_v2
v2_set(double x)
{
    return (pair_v2) { x, x };
}

/* the slopes at two z's without a branch: a_plus where z > 0, else a_minus
   (as pair_slope) */
static inline pair_v2
v2_slope(pair_v2 z, pair_m2 a_plus, pair_m2 a_minus)
{
    pair_m2 up = z > v2_set(0.0);
    return (pair_v2) ((a_plus & up) | (a_minus & ~up));
}

/* z_t = What a_t of layer i from g_0, g_1 drawn in the h buffers
   (coefficients coef), the activations, and the Gram entries of the
   activations, keeping (when compact) only the neurons live at either
   input, in order. */
static slong
pair_activate(_ntk_sample_pair_projected_t * wk, const _ntk_sample_shape_t * sh, slong i,
              const double coef[3], int compact)
{
    double * zx = wk->z[0][i], * zy = wk->z[1][i], * ax = wk->a[0][i], * ay = wk->a[1][i];
    const double * g0 = wk->h[0], * g1 = wk->h[1];
    double slopes[2] = { sh->a_minus, sh->a_plus }, c0 = coef[0], c1 = coef[1], c2 = coef[2];
    double g[3];
    pair_v2 vc0 = v2_set(c0), vc1 = v2_set(c1), vc2 = v2_set(c2), zero = v2_set(0.0);
    pair_v2 s00 = zero, s01 = zero, s11 = zero;
    pair_m2 up = (pair_m2) v2_set(sh->a_plus), down = (pair_m2) v2_set(sh->a_minus);
    pair_m2 all = (pair_m2) { compact ? 0 : 1, compact ? 0 : 1 };
    slong r, n = (slong) sh->n[i], live = 0;
    /* without a branch: every neuron is written at the next place, which
       advances when it is live; the arithmetic two neurons at a time */
    for (r = 0; r + 2 <= n; r += 2)
    {
        pair_v2 u = v2_load(g0 + r), w = v2_load(g1 + r);
        pair_v2 x = vc0 * u, y = vc1 * u + vc2 * w;
        pair_v2 sx = v2_slope(x, up, down), sy = v2_slope(y, up, down);
        pair_v2 px = sx * x, py = sy * y;
        pair_m2 keep = ((sx != zero) | (sy != zero) | -all) & 1;
        s00 += px * px; s01 += px * py; s11 += py * py;
        zx[live] = x[0]; zy[live] = y[0]; ax[live] = px[0]; ay[live] = py[0];
        live += keep[0];
        zx[live] = x[1]; zy[live] = y[1]; ax[live] = px[1]; ay[live] = py[1];
        live += keep[1];
    }
    g[0] = s00[0] + s00[1];
    g[1] = s01[0] + s01[1];
    g[2] = s11[0] + s11[1];
    for (; r < n; r++)
    {
        double u = g0[r], w = g1[r];
        double x = c0 * u, y = c1 * u + c2 * w;
        double sx = pair_slope(slopes, x), sy = pair_slope(slopes, y);
        double px = sx * x, py = sy * y;
        zx[live] = x; zy[live] = y; ax[live] = px; ay[live] = py;
        g[0] += px * px; g[1] += px * py; g[2] += py * py;
        live += compact ? (sx != 0.0) | (sy != 0.0) : 1;
    }
    wk->ga[3 * i] = g[0];
    wk->ga[3 * i + 1] = g[1];
    wk->ga[3 * i + 2] = g[2];
    return live;
}

/* Layer i's forward products: z_t = What a_t for both inputs. */
static void
pair_forward_layer(_ntk_sample_pair_projected_t * wk, const _ntk_sample_shape_t * sh, slong i,
                   _ntk_rng_t * rng, int compact)
{
    slong m = wk->live[i - 1], n = (slong) sh->n[i];
    double c[2][2], * bn = wk->bn + 6 * i, * coef = bn + 3, s0, s1;
    const double * ax = wk->a[0][i - 1], * ay = wk->a[1][i - 1];
    int first, k = pair_basis_start(c, bn, bn + 2, &first, wk->ga + 3 * (i - 1));
    if (k == 2)
        k = pair_basis_finish(c, bn, residual_norm2(ax, ay, bn[2], m), wk->ga[3 * i - 1]);
    wk->rank[i] = k;
    wk->b0[i] = first ? ay : ax;
    if (k == 0)
        memset(wk->h[0], 0, n * sizeof(double));
    if (k >= 1)
        _ntk_rng_normals(rng, wk->h[0], n, 1.0);
    if (k == 2)
        _ntk_rng_normals(rng, wk->h[1], n, 1.0);
    else
        memset(wk->h[1], 0, n * sizeof(double));
    s0 = sh->scale[i] * bn[0];
    s1 = k == 2 ? sh->scale[i] * bn[1] : 0.0;
    coef[0] = c[0][0] * s0;
    coef[1] = c[1][0] * s0;
    coef[2] = c[1][1] * s1;
    if (i == sh->d)
    {
        /* the output is linear (n_d = 1) */
        wk->z[0][i][0] = coef[0] * wk->h[0][0];
        wk->z[1][i][0] = coef[1] * wk->h[0][0] + coef[2] * wk->h[1][0];
        wk->live[i] = n;
        return;
    }
    wk->live[i] = pair_activate(wk, sh, i, coef, compact);
}

/* One pass over layer i's live neurons: dots[s][t] = z_s . delta_t and
   *rr = |delta_y - gamma delta_x|^2. */
static void
left_dots(double dots[2][2], double * rr, const double * zx, const double * zy,
          const double * dx, const double * dy, double gamma, slong n)
{
    pair_v2 s00 = v2_set(0.0), s01 = s00, s10 = s00, s11 = s00, e = s00, vg = v2_set(gamma);
    slong r;
    for (r = 0; r + 2 <= n; r += 2)
    {
        pair_v2 x = v2_load(dx + r), y = v2_load(dy + r), res = y - vg * x;
        pair_v2 u = v2_load(zx + r), w = v2_load(zy + r);
        s00 += u * x; s01 += u * y;
        s10 += w * x; s11 += w * y;
        e += res * res;
    }
    dots[0][0] = s00[0] + s00[1]; dots[0][1] = s01[0] + s01[1];
    dots[1][0] = s10[0] + s10[1]; dots[1][1] = s11[0] + s11[1];
    *rr = e[0] + e[1];
    for (; r < n; r++)
    {
        double x = dx[r], y = dy[r], res = y - gamma * x;
        dots[0][0] += zx[r] * x; dots[0][1] += zx[r] * y;
        dots[1][0] += zy[r] * x; dots[1][1] += zy[r] * y;
        *rr += res * res;
    }
}

/* The right directions of a backward step: b_0 = u0, b_1 = u1 - beta u0
   (formed on the fly, as residual_norm2 forms it). */
typedef struct
{
    const double * u0, * u1;
    double beta;
}
right_dirs_t;

/* p[j][k] = b_j . h_k in one pass. */
static void
right_dots(double p[2][2], const right_dirs_t * B, const double * h0, const double * h1, slong m)
{
    pair_v2 s00 = v2_set(0.0), s01 = s00, s10 = s00, s11 = s00, vb = v2_set(B->beta);
    const double * u0 = B->u0, * u1 = B->u1;
    slong r;
    for (r = 0; r + 2 <= m; r += 2)
    {
        pair_v2 b = v2_load(u0 + r), w = v2_load(u1 + r) - vb * b;
        pair_v2 x = v2_load(h0 + r), y = v2_load(h1 + r);
        s00 += b * x; s01 += b * y;
        s10 += w * x; s11 += w * y;
    }
    p[0][0] = s00[0] + s00[1]; p[0][1] = s01[0] + s01[1];
    p[1][0] = s10[0] + s10[1]; p[1][1] = s11[0] + s11[1];
    for (; r < m; r++)
    {
        double b = u0[r], w = u1[r] - B->beta * b;
        p[0][0] += b * h0[r]; p[0][1] += b * h1[r];
        p[1][0] += w * h0[r]; p[1][1] += w * h1[r];
    }
}

/* delta_t of layer i-1 = D_t (A[t][0] b_0 + A[t][1] b_1 + F[t][0] h_0
   + F[t][1] h_1), and its Gram entries. */
static void
left_combine(_ntk_sample_pair_projected_t * wk, const _ntk_sample_shape_t * sh, slong i,
             const right_dirs_t * B, double A[2][2], double F[2][2], const double * h0,
             const double * h1)
{
    slong r, m = wk->live[i - 1];
    double * ex = wk->delta[0][i - 1], * ey = wk->delta[1][i - 1], beta = B->beta;
    const double * zx = wk->z[0][i - 1], * zy = wk->z[1][i - 1], * u0 = B->u0, * u1 = B->u1;
    double slopes[2] = { sh->a_minus, sh->a_plus }, g[3];
    pair_v2 a00 = v2_set(A[0][0]), a01 = v2_set(A[0][1]), a10 = v2_set(A[1][0]);
    pair_v2 a11 = v2_set(A[1][1]), f00 = v2_set(F[0][0]), f01 = v2_set(F[0][1]);
    pair_v2 f10 = v2_set(F[1][0]), f11 = v2_set(F[1][1]), vb = v2_set(beta);
    pair_v2 s00 = v2_set(0.0), s01 = v2_set(0.0), s11 = v2_set(0.0);
    pair_m2 up = (pair_m2) v2_set(sh->a_plus), down = (pair_m2) v2_set(sh->a_minus);
    for (r = 0; r + 2 <= m; r += 2)
    {
        pair_v2 b = v2_load(u0 + r), w = v2_load(u1 + r) - vb * b;
        pair_v2 p = v2_load(h0 + r), q = v2_load(h1 + r);
        pair_v2 x = v2_slope(v2_load(zx + r), up, down) * (a00 * b + a01 * w + f00 * p + f01 * q);
        pair_v2 y = v2_slope(v2_load(zy + r), up, down) * (a10 * b + a11 * w + f10 * p + f11 * q);
        v2_store(ex + r, x);
        v2_store(ey + r, y);
        s00 += x * x; s01 += x * y; s11 += y * y;
    }
    g[0] = s00[0] + s00[1];
    g[1] = s01[0] + s01[1];
    g[2] = s11[0] + s11[1];
    for (; r < m; r++)
    {
        double b = u0[r], w = u1[r] - beta * b, p = h0[r], q = h1[r];
        double x = pair_slope(slopes, zx[r]) * (A[0][0] * b + A[0][1] * w + F[0][0] * p + F[0][1] * q);
        double y = pair_slope(slopes, zy[r]) * (A[1][0] * b + A[1][1] * w + F[1][0] * p + F[1][1] * q);
        ex[r] = x;
        ey[r] = y;
        g[0] += x * x; g[1] += x * y; g[2] += y * y;
    }
    wk->gd[3 * (i - 1)] = g[0];
    wk->gd[3 * (i - 1) + 1] = g[1];
    wk->gd[3 * (i - 1) + 2] = g[2];
}

/* dots[s][t] = z_s . delta_t -> g_j . delta_t, from z_x = coef[0] g_0 and
   z_y = coef[1] g_0 + coef[2] g_1 (the variates themselves are not kept).
   When the second direction is small (coef[2] << coef[1]), g_1 . delta_t
   loses bits to cancellation, but its term in the backward vector,
   b_1 (g_1 . delta_t)/|b_1|, keeps an absolute error of a rounding of the
   first direction's term. */
static void
known_dots(double dots[2][2], const double coef[3], int kb)
{
    int t;
    for (t = 0; t < 2; t++)
    {
        double zx = dots[0][t], zy = dots[1][t], d0 = 0.0, d1 = 0.0;
        if (kb >= 1)
            d0 = coef[0] != 0.0 ? zx / coef[0] : zy / coef[1];
        if (kb == 2)
            d1 = (zy - coef[1] * d0) / coef[2];
        dots[0][t] = d0;
        dots[1][t] = d1;
    }
}

/* Layer i's backward products: delta_t^(i-1) = D (What' delta_t^(i)), given
   What B of the forward pass.  With the projections' parts along b_j
   folded in: What' delta_t = sum_j A[t][j] b_j + sum_k F[t][k] h_k, where
   F[t][k] = sigma (delta_t . f_k)/|f_k| and A[t][j] = sigma (g_j . delta_t)/|b_j|
   - sum_k F[t][k] (b_j . h_k)/|b_j|^2. */
static void
pair_backward_layer(_ntk_sample_pair_projected_t * wk, const _ntk_sample_shape_t * sh, slong i,
                    _ntk_rng_t * rng)
{
    slong m = wk->live[i - 1], n = wk->live[i];
    const double * bn = wk->bn + 6 * i;
    double c[2][2], fn[2] = { 0.0, 0.0 }, gamma, dots[2][2], rr, sigma = sh->scale[i];
    double A[2][2], F[2][2], p[2][2] = { { 0.0, 0.0 }, { 0.0, 0.0 } };
    const double * h0 = wk->h[0], * h1 = wk->h[0];
    right_dirs_t B;
    int kb = (int) wk->rank[i], kf, first, t, j;
    kf = pair_basis_start(c, fn, &gamma, &first, wk->gd + 3 * i);
    left_dots(dots, &rr, wk->z[0][i], wk->z[1][i], wk->delta[0][i], wk->delta[1][i], gamma, n);
    known_dots(dots, bn + 3, kb);
    if (kf == 2)
        kf = pair_basis_finish(c, fn, rr, wk->gd[3 * i + 2]);
    if (kf >= 1)
        _ntk_rng_normals(rng, wk->h[0], m, 1.0);
    if (kf == 2)
    {
        _ntk_rng_normals(rng, wk->h[1], m, 1.0);
        h1 = wk->h[1];
    }
    /* b_1 = a_y - beta a_x when the rank is 2 (then b_0 = a_x); otherwise
       its coefficients are 0 and any finite vector stands in for it */
    B.u0 = kb >= 1 ? wk->b0[i] : h0;
    B.u1 = kb == 2 ? wk->a[1][i - 1] : B.u0;
    B.beta = kb == 2 ? bn[2] : 0.0;
    if (kb >= 1 && kf >= 1)
        right_dots(p, &B, h0, h1, m);
    for (t = 0; t < 2; t++)
    {
        F[t][0] = kf >= 1 ? sigma * (c[t][0] * fn[0]) : 0.0;
        F[t][1] = kf == 2 ? sigma * (c[t][1] * fn[1]) : 0.0;
        for (j = 0; j < 2; j++)
            A[t][j] = j < kb ? sigma * dots[j][t] / bn[j]
                               - (F[t][0] * p[j][0] + F[t][1] * p[j][1]) / (bn[j] * bn[j])
                             : 0.0;
    }
    left_combine(wk, sh, i, &B, A, F, h0, h1);
}

void
_ntk_sample_pair_projected_one(double * v, _ntk_sample_pair_projected_t * wk,
                               const _ntk_sample_shape_t * sh, const _ntk_sample_inputs_t * in,
                               _ntk_rng_t * rng, _ntk_sample_pair_fault_t fault)
{
    slong i, d = sh->d;
    int compact = _ntk_sample_slope(sh, 1.0) == 0.0 || _ntk_sample_slope(sh, -1.0) == 0.0
                  || _ntk_sample_slope(sh, 0.0) == 0.0;
    wk->a[0][0][0] = in->x1;
    wk->a[0][0][1] = 0.0;
    wk->a[1][0][0] = in->y1;
    wk->a[1][0][1] = in->y2;
    wk->ga[0] = in->x1 * in->x1;
    wk->ga[1] = in->x1 * in->y1;
    wk->ga[2] = in->y1 * in->y1 + in->y2 * in->y2;
    wk->live[0] = 2;
    for (i = 1; i <= d; i++)
        pair_forward_layer(wk, sh, i, rng, compact);
    wk->delta[0][d][0] = wk->delta[1][d][0] = 1.0;
    wk->gd[3 * d] = wk->gd[3 * d + 1] = wk->gd[3 * d + 2] = 1.0;
    for (i = d; i >= 2; i--)
        pair_backward_layer(wk, sh, i, rng);
    _ntk_sample_pair_kernels_gram(v, sh, wk->ga, wk->gd, wk->z[0][d][0], wk->z[1][d][0], fault);
}
