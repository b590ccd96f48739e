/* The projected method of the sampler, for Gaussian weights
   (doc/derivation.md, section 12).  A network needs each weight matrix What
   only through a few products: the forward pass What a, the backward pass
   What' delta and, for g, What applied to two tangent vectors.  Given the
   products revealed so far, the next one is Gaussian with an explicit mean and
   covariance, so it is drawn directly: O(n_{i-1} + n_i) work and normal
   variates per product instead of n_{i-1} n_i, and the quantities have
   exactly the joint law of the full method.

   Per layer i (What = sigma G, G standard, sigma = sqrt(c_i/n_{i-1})), in the
   order the computation needs them:
   - forward: z = What a = sigma |a| g, g fresh;
   - backward (i >= 2): y = What' u for u = delta^(i) is
     a (z . u)/|a|^2 + sigma |u| (h - a (a . h)/|a|^2), h fresh;
   - tangents (2 <= i < d): for v with v_perp its part orthogonal to the right
     directions b_j revealed so far (b_0 = a), What v = sum_j c_j What b_j +
     What v_perp, and What v_perp = u (y . v_perp)/|u|^2
     + sigma |v_perp| (g - u (u . g)/|u|^2), g fresh.
   Every vector after the forward pass is masked by the slopes of its layer,
   and every formula above pairs vectors of one layer, so a dead neuron
   (slope 0) plays no further part: a layer keeps its live neurons only, and
   h and g are drawn on them alone.

   g itself comes from the adjoint form of the second derivatives:
   N_ss = sum_i lw_i |delta^(i)|^2 (a^(i-1) . a_s^(i-1)) and
   N_st = sum_i lw_i |delta^(i)|^2 (a^(i-1) . a_t^(i-1)), with the first-order
   tangents a_s = S + c_1 T and a_t = lb T, where c_i = lw_i |a^(i-1)|^2,
   T^(i) = D (What T^(i-1) + delta^(i)) and S^(i) = D (What S^(i-1)
   + (c_i - c_1) delta^(i)) (D the frozen slopes, T^(0) = S^(0) = 0).  a_s and
   a_t themselves are both multiples of delta^(1) at layer 1; S^(1) = 0
   instead, so no exact linear dependence has to be found by rounding. */

#include <math.h>
#include <string.h>
#include "sample.h"

/* Below this norm relative to the vector's, the part of a vector outside the
   revealed directions is rounding error: the vector is in their span. */
#define SPAN_TOL 1e-12

void
_ntk_sample_projected_init(_ntk_sample_projected_t * wk, const _ntk_sample_shape_t * sh)
{
    slong i, used = 0, total = 5 * sh->max_width + 1;
    int h, q;
    /* when every live neuron has slope 1 (relu), a = z and delta^(i-1) = y^(i)
       on the live neurons: one array serves for both */
    int unit = _ntk_sample_slope(sh, 1.0) == 1.0 && _ntk_sample_slope(sh, -1.0) == 0.0
               && _ntk_sample_slope(sh, 0.0) == 0.0;
    for (i = 1; i <= sh->d; i++)
        total += (unit ? 1 : 2) * (slong) sh->n[i] + (i >= 2 ? (slong) sh->n[i - 1] : 0)
                 + (i == sh->d || !unit ? (slong) sh->n[i] : 0);
    wk->block = flint_malloc(total * sizeof(double));
    wk->live = flint_malloc((sh->d + 1) * sizeof(slong));
    wk->z = flint_malloc(4 * (sh->d + 1) * sizeof(double *));
    wk->a = wk->z + (sh->d + 1);
    wk->delta = wk->a + (sh->d + 1);
    wk->y = wk->delta + (sh->d + 1);
    wk->aa = flint_malloc(2 * (sh->d + 1) * sizeof(double));
    wk->dd = wk->aa + sh->d + 1;
    wk->a[0] = wk->block + used++;
    wk->z[0] = wk->delta[0] = wk->y[0] = wk->y[1] = NULL;
    for (i = 1; i <= sh->d; i++)
    {
        slong n = (slong) sh->n[i];
        wk->z[i] = wk->block + used;
        used += n;
        wk->a[i] = unit ? wk->z[i] : wk->block + used;
        used += unit ? 0 : n;
        if (i >= 2)
        {
            wk->y[i] = wk->block + used;
            used += (slong) sh->n[i - 1];
        }
        if (i == sh->d || !unit)
        {
            wk->delta[i] = wk->block + used;
            used += n;
        }
    }
    for (i = 2; unit && i <= sh->d; i++)
        wk->delta[i - 1] = wk->y[i];
    for (h = 0; h < 2; h++)
        for (q = 0; q < 2; q++, used += sh->max_width)
            wk->tan[h][q] = wk->block + used;
    wk->image = wk->block + used;
}

void
_ntk_sample_projected_clear(_ntk_sample_projected_t * wk)
{
    flint_free(wk->block);
    flint_free(wk->live);
    flint_free(wk->z);
    flint_free(wk->aa);
}

/* The number of ones in x. */
static slong
popcount64(uint64_t x)
{
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
    return (slong) ((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* How many of n independent symmetric variates are positive: Binomial(n, 1/2),
   the number of ones among n random bits. */
static slong
positive_count(_ntk_rng_t * rng, slong n)
{
    slong k, count = 0;
    for (k = 0; k < n; k += 64)
    {
        uint64_t bits = _ntk_rng_next(rng);
        if (n - k < 64)
            bits &= (UINT64_C(1) << (n - k)) - 1;
        count += popcount64(bits);
    }
    return count;
}

/* Layer i's live neurons from z = sigma |a| g.  The slope depends on the sign
   of z only, and the layer's later products do not depend on the order of its
   neurons; so the law of the live neurons is: a Binomial(n, 1/2) number of
   positive entries, each sigma |a| |g_k|, and the rest negative, -sigma |a|
   |g_k|, a side being drawn only when its slope is not zero. */
static slong
forward_layer(double * z, double * a, slong n, double scale,
              const _ntk_sample_shape_t * sh, _ntk_rng_t * rng)
{
    slong live = 0, pos, k;
    int side;
    if (scale == 0.0)
    {
        /* a dead input: z = 0 everywhere */
        double g = _ntk_sample_slope(sh, 0.0);
        for (k = 0; g != 0.0 && k < n; k++)
            z[k] = a[k] = 0.0;
        return g != 0.0 ? n : 0;
    }
    pos = positive_count(rng, n);
    for (side = 0; side < 2; side++)
    {
        double sign = side == 0 ? 1.0 : -1.0, g = _ntk_sample_slope(sh, sign);
        slong count = side == 0 ? pos : n - pos;
        if (g == 0.0 || count == 0)
            continue;
        _ntk_rng_normals(rng, z + live, count, scale);
        for (k = live; k < live + count; k++)
            z[k] = sign * fabs(z[k]);
        for (k = live; a != z && k < live + count; k++)
            a[k] = g * z[k];
        live += count;
    }
    return live;
}

/* The forward pass: z^(i) = What a^(i-1), a fresh direction for every layer. */
static void
projected_forward(_ntk_sample_projected_t * wk, const _ntk_sample_shape_t * sh, _ntk_rng_t * rng)
{
    slong i;
    wk->a[0][0] = sh->x;
    wk->aa[0] = sh->x * sh->x;
    wk->live[0] = 1;
    for (i = 1; i < sh->d; i++)
    {
        double scale = sh->scale[i] * sqrt(wk->aa[i - 1]);
        wk->live[i] = forward_layer(wk->z[i], wk->a[i], (slong) sh->n[i], scale, sh, rng);
        wk->aa[i] = _ntk_sample_dot(wk->a[i], wk->a[i], wk->live[i]);
    }
    /* the output is linear (n_d = 1) */
    wk->z[i][0] = 0.0;
    if (wk->aa[i - 1] > 0.0)
        _ntk_rng_normals(rng, wk->z[i], 1, sh->scale[i] * sqrt(wk->aa[i - 1]));
    wk->live[i] = 1;
}

/* y^(i) = What' delta^(i), given z^(i) = What a^(i-1): its part along a is
   known, a (z . delta)/|a|^2, the rest is fresh. */
static void
projected_backward(_ntk_sample_projected_t * wk, const _ntk_sample_shape_t * sh,
                   _ntk_rng_t * rng, _ntk_sample_fault_t fault)
{
    slong i, k;
    wk->delta[sh->d][0] = 1.0;
    wk->dd[sh->d] = 1.0;
    for (i = sh->d; i >= 2; i--)
    {
        slong m = wk->live[i - 1];
        const double * a = wk->a[i - 1], * zb = wk->z[i - 1];
        double * y = wk->y[i], * below = wk->delta[i - 1], c = 0.0;
        if (wk->dd[i] == 0.0)
            memset(y, 0, m * sizeof(double));
        else
        {
            _ntk_rng_normals(rng, y, m, sh->scale[i] * sqrt(wk->dd[i]));
            if (wk->aa[i - 1] > 0.0)
            {
                double zu = fault == _NTK_SAMPLE_FAULT_NO_MEAN ? 0.0
                            : _ntk_sample_dot(wk->z[i], wk->delta[i], wk->live[i]);
                c = (zu - _ntk_sample_dot(a, y, m)) / wk->aa[i - 1];
            }
        }
        for (k = 0; k < m; k++)
            y[k] += c * a[k];
        for (k = 0; below != y && k < m; k++)
            below[k] = _ntk_sample_slope(sh, zb[k]) * y[k];
        wk->dd[i - 1] = _ntk_sample_dot(below, below, m);
    }
}

/* What one layer has revealed on the right: directions b_j (not normalized)
   with |b_j|^2 and What b_j; b_0 = a^(i-1) when it is not zero. */
typedef struct
{
    int k, has_a;
    const double * b[3];
    double bb[3];
    const double * wb[3];
}
basis_t;

/* The layer of a tangent product: sizes (live neurons), sigma, the left
   constraint u with y = What' u, and the output's z (for its slopes) and
   source term. */
typedef struct
{
    slong m, n;
    double sigma, uu;
    const double * u, * y, * z;
    const _ntk_sample_shape_t * shape;
    double src;      /* the output is D (What v + src u) */
    _ntk_sample_fault_t fault;
}
layer_t;

/* r[0] = v . v and r[1 + j] = b_j . v, in one pass (two partial sums each:
   independent chains of additions). */
static void
basis_dots(double * r, const double * v, const basis_t * B, slong m)
{
    const double * b0 = B->b[0], * b1 = B->b[B->k > 1 ? 1 : 0];
    double s0 = 0.0, s1 = 0.0, p0 = 0.0, p1 = 0.0, q0 = 0.0, q1 = 0.0;
    slong t;
    if (B->k == 0)
    {
        r[0] = _ntk_sample_dot(v, v, m);
        return;
    }
    for (t = 0; t + 2 <= m; t += 2)
    {
        double x0 = v[t], x1 = v[t + 1];
        s0 += x0 * x0; s1 += x1 * x1;
        p0 += b0[t] * x0; p1 += b0[t + 1] * x1;
        if (B->k > 1)
        {
            q0 += b1[t] * x0;
            q1 += b1[t + 1] * x1;
        }
    }
    if (t < m)
    {
        s0 += v[t] * v[t];
        p0 += b0[t] * v[t];
        q0 += b1[t] * v[t];
    }
    r[0] = s0 + s1;
    r[1] = p0 + p1;
    r[2] = q0 + q1;
}

/* v <- v - d_0 b_0 - d_1 b_1 (one or two basis vectors); returns |v|^2, and
   y . v in *yv. */
static double
basis_subtract(double * yv, double * v, const double * d, const basis_t * B, const double * y,
               slong m)
{
    const double * b0 = B->b[0], * b1 = B->b[B->k - 1];
    double d0 = d[0], d1 = B->k > 1 ? d[1] : 0.0, r0 = 0.0, r1 = 0.0, e0 = 0.0, e1 = 0.0;
    slong t;
    for (t = 0; t + 2 <= m; t += 2)
    {
        double x0 = v[t] - d0 * b0[t] - d1 * b1[t], x1 = v[t + 1] - d0 * b0[t + 1] - d1 * b1[t + 1];
        v[t] = x0; v[t + 1] = x1;
        r0 += x0 * x0; r1 += x1 * x1;
        e0 += y[t] * x0; e1 += y[t + 1] * x1;
    }
    if (t < m)
    {
        v[t] -= d0 * b0[t] + d1 * b1[t];
        r0 += v[t] * v[t];
        e0 += y[t] * v[t];
    }
    *yv = e0 + e1;
    return r0 + r1;
}

/* v <- its part orthogonal to the basis, c <- the coefficients; returns
   |v_perp|^2, with *vv = |v|^2, *yv = y . v_perp and *av = a . v.  When a
   pass cancels more than half of the squared norm, rounding may have left a
   part along the basis, and another pass removes it. */
static double
project_out(double * c, double * vv, double * yv, double * av, double * v, const basis_t * B,
            const layer_t * L)
{
    double r[4], d[3], rr, prev;
    int j, pass;
    basis_dots(r, v, B, L->m);
    *vv = r[0];
    *av = B->has_a ? r[1] : 0.0;
    for (j = 0; j < B->k; j++)
        c[j] = 0.0;
    if (r[0] == 0.0 || B->k == 0)
    {
        *yv = r[0] == 0.0 ? 0.0 : _ntk_sample_dot(L->y, v, L->m);
        return r[0];
    }
    rr = prev = r[0];
    for (pass = 0; pass < 3 && (pass == 0 || (rr < 0.5 * prev && rr > SPAN_TOL * SPAN_TOL * *vv));
         pass++)
    {
        if (pass > 0)
            basis_dots(r, v, B, L->m);
        for (j = 0; j < B->k; j++)
        {
            d[j] = r[j + 1] / B->bb[j];
            c[j] += d[j];
        }
        prev = rr;
        rr = basis_subtract(yv, v, d, B, L->y, L->m);
    }
    return rr;
}

/* The product's output: f = w + coef u (What v_perp; 0 when v brings no
   new direction) goes to img when img is not NULL, and
   out <- D (f + src u + c_0 What b_0 + c_1 What b_1). */
static void
combine(double * out, double * img, const double * w, double coef, const double * c,
        const basis_t * B, const layer_t * L)
{
    const double * u = L->u, * z = L->z, * w0 = B->wb[0], * w1 = B->wb[B->k > 1 ? 1 : 0];
    double src = L->src, c0 = B->k > 0 ? c[0] : 0.0, c1 = B->k > 1 ? c[1] : 0.0;
    slong k, n = L->n;
    if (B->k == 0)
        w0 = w1 = u;      /* with c0 = c1 = 0 */
    for (k = 0; k < n; k++)
    {
        double f = (w != NULL ? w[k] : 0.0) + coef * u[k];
        if (img != NULL)
            img[k] = f;
        out[k] = _ntk_sample_slope(L->shape, z[k]) * (f + src * u[k] + c0 * w0[k] + c1 * w1[k]);
    }
}

/* out <- D (What v + src u) for the next right product v of the layer, drawn
   given what the layer has revealed; v is overwritten.  When v brings a new
   direction and img is not NULL, v_perp and What v_perp (in img) join the
   basis.  Returns a . v (0 when a = 0). */
static double
right_product(double * out, double * img, double * v, basis_t * B, const layer_t * L,
              _ntk_rng_t * rng)
{
    double c[3], vv, yv, av, rr = project_out(c, &vv, &yv, &av, v, B, L), coef = 0.0;
    double * w = img != NULL ? img : out;
    int fresh;
    /* a direction beyond the live neurons, or below rounding, is not new */
    fresh = B->k < L->m && rr > SPAN_TOL * SPAN_TOL * vv;
    if (fresh)
    {
        _ntk_rng_normals(rng, w, L->n, L->sigma * sqrt(rr));
        /* the part along u is known, y . v_perp / |u|^2; the fresh part is orthogonal to u */
        if (L->uu > 0.0 && L->fault != _NTK_SAMPLE_FAULT_NO_LEFT)
            coef = (yv - _ntk_sample_dot(L->u, w, L->n)) / L->uu;
    }
    /* w[k] is read before out[k] is written (w may be out) */
    combine(out, img, fresh ? w : NULL, coef, c, B, L);
    if (fresh && img != NULL)
    {
        B->b[B->k] = v;
        B->bb[B->k] = rr;
        B->wb[B->k] = img;
        B->k++;
    }
    return av;
}

/* N_ss and N_st gain layer i's terms. */
static void
tangent_terms(double * nss, double * nst, double at, double as, double c1, slong i,
              const _ntk_sample_projected_t * wk, const _ntk_sample_shape_t * sh)
{
    double f = sh->lw[i] * wk->dd[i];
    *nss += f * (as + c1 * at);
    *nst += f * sh->lb * at;     /* T sums deltas of hidden layers only */
}

/* The tangents T, S up the layers, What applied to them drawn given the
   forward and backward products; out = N_ss, N_st by the adjoint sums. */
static void
projected_tangents(double out[2], _ntk_sample_projected_t * wk, const _ntk_sample_shape_t * sh,
                   _ntk_rng_t * rng, _ntk_sample_fault_t fault)
{
    slong i;
    int h = 0;
    double c1 = sh->lw[1] * wk->aa[0], at, as;
    out[0] = out[1] = 0.0;
    wk->tan[0][0][0] = wk->tan[0][1][0] = 0.0;
    for (i = 1; i < sh->d; i++, h ^= 1)
    {
        basis_t B;
        layer_t L;
        B.k = B.has_a = wk->aa[i - 1] > 0.0;
        B.b[0] = wk->a[i - 1];
        B.bb[0] = wk->aa[i - 1];
        B.wb[0] = wk->z[i];
        L.m = wk->live[i - 1];
        L.n = wk->live[i];
        L.sigma = sh->scale[i];
        L.u = wk->delta[i];
        L.uu = wk->dd[i];
        L.y = wk->y[i];
        L.z = wk->z[i];
        L.shape = sh;
        L.fault = fault;
        /* T^(i) = D (What T^(i-1) + delta^(i)), then S^(i) likewise */
        L.src = 1.0;
        at = right_product(wk->tan[h ^ 1][0], wk->image, wk->tan[h][0], &B, &L, rng);
        L.src = sh->lw[i] * wk->aa[i - 1] - c1;
        as = right_product(wk->tan[h ^ 1][1], NULL, wk->tan[h][1], &B, &L, rng);
        tangent_terms(out, out + 1, at, as, c1, i, wk, sh);
    }
    at = _ntk_sample_dot(wk->a[i - 1], wk->tan[h][0], wk->live[i - 1]);
    as = _ntk_sample_dot(wk->a[i - 1], wk->tan[h][1], wk->live[i - 1]);
    tangent_terms(out, out + 1, at, as, c1, i, wk, sh);
}

void
_ntk_sample_projected_one(double * v, _ntk_sample_projected_t * wk,
                          const _ntk_sample_shape_t * sh, _ntk_rng_t * rng,
                          _ntk_sample_fault_t fault)
{
    double kw = 0.0, kb = 0.0, g[2];
    slong i;
    projected_forward(wk, sh, rng);
    projected_backward(wk, sh, rng, fault);
    for (i = 1; i <= sh->d; i++)
    {
        kw += sh->lw[i] * wk->aa[i - 1] * wk->dd[i];
        kb += (i < sh->d ? sh->lb : sh->lb_out) * wk->dd[i];
    }
    projected_tangents(g, wk, sh, rng, fault);
    _ntk_sample_values(v, wk->z[sh->d][0], kw, kb, 2.0 * g[0], g[1]);
}
