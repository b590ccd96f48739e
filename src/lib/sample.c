/* Monte Carlo: real random ReLU networks, K by backpropagation, and the
   first-SGD-update term g as an exact directional second derivative with the
   relu masks frozen (doc/derivation.md, section 5).

   Along s v_w + t v_b, where v_w and v_b are the weight and bias gradients,
   N(theta + s v_w + t v_b) is a polynomial in (s, t) once the masks are
   frozen; its coefficients are propagated layer by layer ("jets"):
   N_s = K_w, N_t = K_b, 2 N_ss = g_ww, N_st = g_wb.  The weight direction is
   rank one per layer (lw_i delta^(i) a^(i-1)'), so a jet costs O(n^2). */

#include <math.h>
#include <mpfr.h>
#include <string.h>
#include "error.h"
#include "parallel.h"
#include "progress.h"
#include "rng.h"

/* Running mean and central moment sums M2, M3, M4 of n values. */
typedef struct
{
    double n, mean, m2, m3, m4;
}
moment_acc_t;

/* a <- a merged with b (Pebay's formulas; b a single value when b->n = 1). */
static void
acc_merge(moment_acc_t * a, const moment_acc_t * b)
{
    double na = a->n, nb = b->n, n = na + nb, d, d2, m2, m3;
    if (nb == 0)
        return;
    if (na == 0)
    {
        *a = *b;
        return;
    }
    d = b->mean - a->mean;
    d2 = d * d;
    m2 = a->m2 + b->m2 + d2 * na * nb / n;
    m3 = a->m3 + b->m3 + d2 * d * na * nb * (na - nb) / (n * n)
         + 3.0 * d * (na * b->m2 - nb * a->m2) / n;
    a->m4 = a->m4 + b->m4 + d2 * d2 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n)
            + 6.0 * d2 * (na * na * b->m2 + nb * nb * a->m2) / (n * n)
            + 4.0 * d * (na * b->m3 - nb * a->m3) / n;
    a->m3 = m3;
    a->m2 = m2;
    a->mean += d * nb / n;
    a->n = n;
}

static void
acc_add(moment_acc_t * a, double x)
{
    moment_acc_t b = { 1.0, x, 0.0, 0.0, 0.0 };
    acc_merge(a, &b);
}

/* The network shape and conventions, in doubles. */
typedef struct
{
    slong d;
    ulong * n;          /* n_0 .. n_d */
    slong * offset;     /* first weight of layer i in the weight array */
    double * scale;     /* sqrt(c_i / n_{i-1}) */
    double * lw;        /* weight-mark factor: c_i/n_{i-1} (NTK) or 1 */
    double lb, x;       /* bias on (1) or off (0); the input sqrt(x2) */
    int uniform;        /* uniform weights instead of Gaussian */
    slong n_weights, max_width;
}
net_shape_t;

/* One thread's network and work vectors. */
typedef struct
{
    double * w;                       /* What, layer by layer, row-major */
    double ** a;                      /* activations a^(0..d) */
    double ** delta;                  /* dN/dz^(1..d) */
    double * jet[2][4];               /* (s, t, ss, st) of the layer below / this layer */
}
net_work_t;

static double
fmpq_to_double(const fmpq_t x)
{
    mpfr_t m;
    double d;
    mpfr_init2(m, 64);
    fmpq_get_mpfr(m, x, MPFR_RNDN);
    d = mpfr_get_d(m, MPFR_RNDN);
    mpfr_clear(m);
    return d;
}

static void
shape_init(net_shape_t * sh, const ntk_profile_t p, const ntk_conv_t conv, ntk_law_t law,
           const fmpq_t x2)
{
    slong r, j, i = 0;
    double ch = fmpq_to_double(conv->cw_hidden), co = fmpq_to_double(conv->cw_output);
    sh->d = p->depth;
    sh->n = flint_malloc((sh->d + 1) * sizeof(ulong));
    sh->offset = flint_malloc((sh->d + 2) * sizeof(slong));
    sh->scale = flint_malloc((sh->d + 1) * sizeof(double));
    sh->lw = flint_malloc((sh->d + 1) * sizeof(double));
    for (r = 0; r < p->n_runs; r++)
        for (j = 0; j < p->count[r]; j++)
            sh->n[i++] = p->width[r];
    sh->max_width = 0;
    sh->offset[1] = 0;
    for (i = 0; i <= sh->d; i++)
        sh->max_width = FLINT_MAX(sh->max_width, (slong) sh->n[i]);
    for (i = 1; i <= sh->d; i++)
    {
        double c = i < sh->d ? ch : co;
        sh->scale[i] = sqrt(c / (double) sh->n[i - 1]);
        sh->lw[i] = conv->param == NTK_PARAM_NTK ? c / (double) sh->n[i - 1] : 1.0;
        sh->offset[i + 1] = sh->offset[i] + (slong) (sh->n[i] * sh->n[i - 1]);
    }
    sh->n_weights = sh->offset[sh->d + 1];
    sh->lb = conv->bias ? 1.0 : 0.0;
    sh->x = sqrt(fmpq_to_double(x2));
    sh->uniform = (law == NTK_LAW_UNIFORM);
}

static void
shape_clear(net_shape_t * sh)
{
    flint_free(sh->n); flint_free(sh->offset); flint_free(sh->scale); flint_free(sh->lw);
}

static void
work_init(net_work_t * wk, const net_shape_t * sh)
{
    slong i;
    int k, h;
    wk->w = flint_malloc(FLINT_MAX(sh->n_weights, 1) * sizeof(double));
    wk->a = flint_malloc((sh->d + 1) * sizeof(double *));
    wk->delta = flint_malloc((sh->d + 1) * sizeof(double *));
    for (i = 0; i <= sh->d; i++)
    {
        wk->a[i] = flint_calloc(sh->n[i], sizeof(double));
        wk->delta[i] = flint_calloc(sh->n[i], sizeof(double));
    }
    for (h = 0; h < 2; h++)
        for (k = 0; k < 4; k++)
            wk->jet[h][k] = flint_calloc(sh->max_width, sizeof(double));
}

static void
work_clear(net_work_t * wk, const net_shape_t * sh)
{
    slong i;
    int k, h;
    for (i = 0; i <= sh->d; i++)
    {
        flint_free(wk->a[i]);
        flint_free(wk->delta[i]);
    }
    for (h = 0; h < 2; h++)
        for (k = 0; k < 4; k++)
            flint_free(wk->jet[h][k]);
    flint_free(wk->a); flint_free(wk->delta); flint_free(wk->w);
}

static double
dot(const double * x, const double * y, slong n)
{
    /* four partial sums: independent chains of additions */
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    slong k;
    for (k = 0; k + 4 <= n; k += 4)
    {
        s0 += x[k] * y[k];
        s1 += x[k + 1] * y[k + 1];
        s2 += x[k + 2] * y[k + 2];
        s3 += x[k + 3] * y[k + 3];
    }
    for (; k < n; k++)
        s0 += x[k] * y[k];
    return (s0 + s1) + (s2 + s3);
}

/* Draws row by row the weights of each layer, using each row at once for the
   forward pass while it is in cache, then runs the backward pass. */
static void
net_forward_backward(net_work_t * wk, const net_shape_t * sh, _ntk_rng_t * rng)
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
                for (k = 0; k < n_prev; k++)
                    row[k] = sc * _ntk_rng_normal(rng);
            z = dot(row, wk->a[i - 1], n_prev);
            wk->a[i][j] = (i < sh->d && !(z > 0.0)) ? 0.0 : z;
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
            if (!(wk->a[i - 1][k] > 0.0))
                below[k] = 0.0;
    }
}

/* The jets (s, t, ss, st) up the layers; out = N_s, N_t, N_ss, N_st. */
static void
net_jets(double out[4], net_work_t * wk, const net_shape_t * sh)
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
        double aa = dot(a, a, n_prev), as = dot(a, lo[0], n_prev), at = dot(a, lo[1], n_prev);
        for (j = 0; j < (slong) sh->n[i]; j++)
        {
            const double * row = w + j * n_prev;
            double zs = 0, zt = 0, zss = 0, zst = 0, dl = wk->delta[i][j];
            for (k = 0; k < n_prev; k++)
            {
                zs += row[k] * lo[0][k];
                zt += row[k] * lo[1][k];
                zss += row[k] * lo[2][k];
                zst += row[k] * lo[3][k];
            }
            /* moving What by s lw delta a' and b by t lb delta */
            zs += sh->lw[i] * dl * aa;
            zt += sh->lb * dl;
            zss += sh->lw[i] * dl * as;
            zst += sh->lw[i] * dl * at;
            if (i < sh->d && !(wk->a[i][j] > 0.0))
                zs = zt = zss = zst = 0.0;
            hi[0][j] = zs; hi[1][j] = zt; hi[2][j] = zss; hi[3][j] = zst;
        }
    }
    for (q = 0; q < 4; q++)
        out[q] = wk->jet[h][q][0];
}

/* One sample's value of every quantity (Var_K: K itself). */
static void
sample_one(double * v, net_work_t * wk, const net_shape_t * sh, _ntk_rng_t * rng)
{
    double kw = 0.0, kb = 0.0, k, n, jet[4], gww, gwb;
    slong i;
    net_forward_backward(wk, sh, rng);
    for (i = 1; i <= sh->d; i++)
    {
        double dd = dot(wk->delta[i], wk->delta[i], (slong) sh->n[i]);
        kw += sh->lw[i] * dot(wk->a[i - 1], wk->a[i - 1], (slong) sh->n[i - 1]) * dd;
        kb += sh->lb * dd;
    }
    net_jets(jet, wk, sh);
    n = wk->a[sh->d][0];
    k = kw + kb;
    gww = 2.0 * jet[2];
    gwb = jet[3];
    v[NTK_E_K] = k; v[NTK_E_KW] = kw; v[NTK_E_KB] = kb;
    v[NTK_E_K2] = k * k; v[NTK_E_KW2] = kw * kw; v[NTK_E_KB2] = kb * kb;
    v[NTK_E_KWKB] = kw * kb; v[NTK_VAR_K] = k;
    v[NTK_E_DWW] = n * gww; v[NTK_E_DWB] = n * gwb;
    v[NTK_E_DK] = -2.0 * n * (gww + 2.0 * gwb);
    v[NTK_E_N2] = n * n; v[NTK_E_N4] = n * n * n * n;
    /* order 3 and 4: the products themselves; the ratios are not means */
    v[NTK_E_K3] = k * k * k; v[NTK_E_KW3] = kw * kw * kw; v[NTK_E_KW2KB] = kw * kw * kb;
    v[NTK_E_KWKB2] = kw * kb * kb; v[NTK_E_KB3] = kb * kb * kb;
    v[NTK_E_N6] = v[NTK_E_N2] * v[NTK_E_N4];
    v[NTK_E_K4] = v[NTK_E_K2] * v[NTK_E_K2]; v[NTK_E_KW4] = v[NTK_E_KW2] * v[NTK_E_KW2];
    v[NTK_E_KW3KB] = v[NTK_E_KW3] * kb; v[NTK_E_KW2KB2] = v[NTK_E_KW2] * v[NTK_E_KB2];
    v[NTK_E_KWKB3] = kw * v[NTK_E_KB3]; v[NTK_E_KB4] = v[NTK_E_KB2] * v[NTK_E_KB2];
    v[NTK_E_N8] = v[NTK_E_N4] * v[NTK_E_N4];
    v[NTK_M3_K] = v[NTK_SKEW2_K] = v[NTK_M4_K] = v[NTK_KURT_K] = 0.0;
}

/* Work shared by the sampling workers: chunk c holds samples
   [c * chunk, (c+1) * chunk) and its own accumulators; each worker has its
   own network. */
typedef struct
{
    const net_shape_t * shape;
    slong samples, chunk, n_chunks;
    ulong seed;
    moment_acc_t * acc;          /* n_chunks x NTK_N_QUANTITIES */
    net_work_t * work;           /* one per worker, allocated on first use */
    int * work_ready;
    _ntk_progress_t * progress;
}
sample_queue_t;

static int
sample_chunk(void * args, slong c, int worker)
{
    sample_queue_t * sq = args;
    net_work_t * wk = sq->work + worker;
    _ntk_rng_t rng;
    double v[NTK_N_QUANTITIES];
    slong s, end = FLINT_MIN(sq->samples, (c + 1) * sq->chunk), since = 0;
    int q;
    if (!sq->work_ready[worker])
    {
        work_init(wk, sq->shape);
        sq->work_ready[worker] = 1;
    }
    for (s = c * sq->chunk; s < end; s++)
    {
        _ntk_rng_init(&rng, sq->seed, (ulong) s);
        sample_one(v, wk, sq->shape, &rng);
        for (q = 0; q < NTK_N_QUANTITIES; q++)
            acc_add(sq->acc + c * NTK_N_QUANTITIES + q, v[q]);
        /* report every 16 samples: often enough for big networks */
        if (++since == 16 || s + 1 == end)
        {
            if (_ntk_progress_add(sq->progress, since))
                return 1;
            since = 0;
        }
    }
    return 0;
}

/* The number of weights of the network, n_0 n_1 + ... + n_{d-1} n_d,
   from the run-length profile without building it (saturating at 2^62). */
static double
network_weights(const ntk_profile_t p)
{
    double total = 0.0, prev = 0.0;
    slong r;
    for (r = 0; r < p->n_runs; r++)
    {
        double w = (double) p->width[r];
        if (r > 0)
            total += prev * w;                          /* the run's first layer */
        total += (double) (p->count[r] - 1) * w * w;    /* the layers within it */
        prev = w;
        if (total > 4.6e18)
            return 4.6e18;
    }
    return total;
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

/* The sampler works in doubles and sums fourth powers of K (for the
   standard error of Var_K): every part of K must stay within 2^+-240.  The
   typical sizes are E[K_w] = d c_d (x2/n_0) (c/2)^(d-1) and, for the biases,
   c_d (c/2)^(s) summed over the layers s. */
static ntk_status_t
sample_check_range(const ntk_profile_t p, const ntk_conv_t conv, const fmpq_t x2,
                   ntk_error_t * err)
{
    double d = (double) p->depth, growth = fmpq_log2(conv->cw_hidden) - 1.0;
    double lco = fmpq_log2(conv->cw_output), lkw, lkb;
    lkb = lco + FLINT_MAX(0.0, (d - 1.0) * growth) + log2(d);
    if (conv->bias && fabs(lkb) > 240.0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "cw_hidden",
            "cw_hidden: K_b of this network is about 2^%.0f, beyond the double precision of the "
            "sampler (2^-240..2^240); keep the variances near the critical cw_hidden 2", lkb);
    if (fmpq_is_zero(x2))
        return NTK_OK;
    lkw = log2(d) + lco + fmpq_log2(x2) - log2((double) p->width[0]) + (d - 1.0) * growth;
    if (fabs(lkw) > 240.0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2",
            "x2: K_w of this network is about 2^%.0f, beyond the double precision of the sampler "
            "(2^-240..2^240); scale x2 or the variances", lkw);
    return NTK_OK;
}

/* Everything is checked before the network is allocated. */
static ntk_status_t
sample_validate(const ntk_profile_t p, const ntk_conv_t conv, ntk_law_t law, const fmpq_t x2,
                slong samples, ntk_error_t * err)
{
    double weights = network_weights(p);
    ntk_status_t status;
    if (law != NTK_LAW_GAUSSIAN && law != NTK_LAW_UNIFORM)
        return _ntk_error_set(err, NTK_ERR_RANGE, "law", "law: %d is not a weight law", (int) law);
    if (fmpq_sgn(x2) < 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: must be >= 0");
    if (samples < 2)
        return _ntk_error_set(err, NTK_ERR_RANGE, "samples", "samples: need at least 2 samples");
    if (weights > (double) NTK_SAMPLE_WEIGHTS_MAX)
        return _ntk_error_set(err, NTK_ERR_TOO_LARGE, "widths",
            "widths: the network has %.4g weights, more than the sampler holds (2^27)", weights);
    if ((status = ntk_conv_validate(conv, err)) != NTK_OK)
        return status;
    return sample_check_range(p, conv, x2, err);
}

/* Fills res from the accumulator of all samples. */
static void
sample_finish(ntk_sample_result_t * res, const moment_acc_t * all)
{
    int q;
    double n = all[0].n;
    res->samples = (slong) n;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        res->mean[q] = all[q].mean;
        res->std_error[q] = sqrt(all[q].m2 / (n - 1.0) / n);
    }
    /* the central moments and ratios of order 3, 4 are not sampled */
    res->mean[NTK_M3_K] = res->mean[NTK_SKEW2_K] = res->mean[NTK_M4_K] = NAN;
    res->mean[NTK_KURT_K] = NAN;
    res->std_error[NTK_M3_K] = res->std_error[NTK_SKEW2_K] = res->std_error[NTK_M4_K] = NAN;
    res->std_error[NTK_KURT_K] = NAN;
    /* the unbiased variance of K; its standard error from m4 - m2^2 */
    res->mean[NTK_VAR_K] = all[NTK_VAR_K].m2 / (n - 1.0);
    {
        double m2 = all[NTK_VAR_K].m2 / n, m4 = all[NTK_VAR_K].m4 / n;
        res->std_error[NTK_VAR_K] = sqrt(FLINT_MAX(m4 - m2 * m2, 0.0) / n);
    }
}

ntk_status_t
ntk_sample_run(ntk_sample_result_t * res, const ntk_profile_t p, const ntk_conv_t conv,
               ntk_law_t law, const fmpq_t x2, slong samples, ulong seed,
               const ntk_exec_t exec, ntk_error_t * err)
{
    net_shape_t sh;
    sample_queue_t sq;
    _ntk_progress_t progress;
    moment_acc_t all[NTK_N_QUANTITIES];
    ntk_status_t status;
    slong c;
    int q, w, workers;
    if (res == NULL || p == NULL || x2 == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, res == NULL ? "res" : p == NULL ? "widths" : "x2",
                              "%s: NULL argument", res == NULL ? "res" : p == NULL ? "widths" : "x2");
    if (p->depth < 1)
        return _ntk_error_set(err, NTK_ERR_RANGE, "widths", "widths: the width profile is not set");
    if ((status = ntk_exec_validate(exec, err)) != NTK_OK)
        return status;
    if ((status = sample_validate(p, conv, law, x2, samples, err)) != NTK_OK)
        return status;
    shape_init(&sh, p, conv, law, x2);
    _ntk_rng_setup();
    /* the chunk size depends on the sample count only: reproducible */
    sq.shape = &sh; sq.samples = samples; sq.seed = seed;
    sq.chunk = FLINT_MAX(256, (samples + 4095) / 4096);
    sq.n_chunks = (samples + sq.chunk - 1) / sq.chunk;
    sq.acc = flint_calloc(sq.n_chunks * NTK_N_QUANTITIES, sizeof(moment_acc_t));
    workers = _ntk_parallel_workers(sq.n_chunks, exec->threads);
    sq.work = flint_malloc(workers * sizeof(net_work_t));
    sq.work_ready = flint_calloc(workers, sizeof(int));
    _ntk_progress_init(&progress, exec, samples);
    sq.progress = &progress;
    status = _ntk_parallel_do(sample_chunk, &sq, sq.n_chunks, workers, err);
    if (status == NTK_OK && _ntk_progress_stopped(&progress))
        status = _ntk_error_set(err, NTK_ERR_INTERRUPTED, "", "sampling was interrupted");
    if (status == NTK_OK)
    {
        memset(all, 0, sizeof(all));
        for (c = 0; c < sq.n_chunks; c++)
            for (q = 0; q < NTK_N_QUANTITIES; q++)
                acc_merge(all + q, sq.acc + c * NTK_N_QUANTITIES + q);
        sample_finish(res, all);
        for (q = 0; q < ntk_quantity_count(2) && status == NTK_OK; q++)
            if (!isfinite(res->mean[q]) || !isfinite(res->std_error[q]))
                status = _ntk_error_set(err, NTK_ERR_RANGE, "widths",
                    "widths: a sampled %s overflowed double precision", ntk_quantity_name(q));
    }
    for (w = 0; w < workers; w++)
        if (sq.work_ready[w])
            work_clear(sq.work + w, &sh);
    flint_free(sq.work);
    flint_free(sq.work_ready);
    flint_free(sq.acc);
    _ntk_progress_clear(&progress);
    shape_clear(&sh);
    return status;
}

double
ntk_sample_zscore(const fmpq_t exact, double mean, double std_error)
{
    double e;
    if (exact == NULL)
        return NAN;
    e = fmpq_to_double(exact);
    if (std_error > 0.0)
        return (mean - e) / std_error;
    if (fabs(mean - e) <= 1e-12 * FLINT_MAX(1.0, fabs(e)))
        return 0.0;
    return mean > e ? INFINITY : -INFINITY;
}
