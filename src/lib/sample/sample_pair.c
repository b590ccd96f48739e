/* The two-input sampler: validation, the networks on worker threads, and
   the moments of K(x,x'), K(x,x), K(x',x'), N(x) N(x') merged in a fixed
   order.  A network is drawn by sample_pair_full.c (every weight, any law)
   or sample_pair_projected.c (Gaussian weights, O(d n)).

   The covariances' standard errors need mixed fourth moments, which do not
   merge as simply as the one-input accumulator's univariate ones: each
   chunk sums the powers (up to 4) of the values minus a fixed shift, the
   values of network 0 (computed by every caller alike, so that the run
   does not depend on the split), and the chunks' sums are added in chunk
   order.  A shift within a few standard deviations of the mean costs a few
   of the 53 bits of the central moments; the mean is exact to rounding. */

#include <math.h>
#include <mpfr.h>
#include <string.h>
#include "base/error.h"
#include "base/parallel.h"
#include "base/progress.h"
#include "sample.h"

/* A chunk's sums (ntk_sample_pair_acc_t): of the K values (0: Kxy, 1: Kxx,
   2: Kyy), the powers' sums s[i][j][k] of (Kxy - c)^i (Kxx - c)^j
   (Kyy - c)^k for i + j + k <= 4, and the first two powers of the shifted
   N products (0: Nx Ny, 1: Nx^2, 2: Ny^2). */
typedef ntk_sample_pair_acc_t pair_acc_t;

static const char * const pair_extra_names[NTK_SAMPLE_PAIR_N - NTK_KERNEL_N_COEFFS] = {
    "E_Kxx", "E_Kyy", "E_Nx2", "E_Ny2" };

const char *
ntk_sample_pair_name(int q)
{
    if (q >= 0 && q < NTK_KERNEL_N_COEFFS)
        return ntk_kernel_coeff_name((ntk_kernel_coeff_t) q);
    if (q >= NTK_KERNEL_N_COEFFS && q < NTK_SAMPLE_PAIR_N)
        return pair_extra_names[q - NTK_KERNEL_N_COEFFS];
    return "?";
}

/* Layer i's terms of K_w and K_b for the three pairs (0: x x', 1: x x,
   2: x' x') from its Gram entries. */
static void
pair_layer_terms(double kw[3], double kb[3], double lw, double lb, const double aa[3],
                 const double dd[3], _ntk_sample_pair_fault_t fault)
{
    /* the planted bug: x''s gradient pairs delta of x with the activations of x' */
    double dxx = dd[0], dxy = fault == _NTK_SAMPLE_PAIR_FAULT_CROSS ? dd[0] : dd[1],
           dyy = fault == _NTK_SAMPLE_PAIR_FAULT_CROSS ? dd[0] : dd[2];
    kw[1] += lw * aa[0] * dxx;
    kb[1] += lb * dxx;
    kw[0] += lw * aa[1] * dxy;
    kb[0] += lb * dxy;
    kw[2] += lw * aa[2] * dyy;
    kb[2] += lb * dyy;
}

static void
pair_values(double * v, const double kw[3], const double kb[3], double nx, double ny)
{
    v[NTK_PAIR_KXY] = kw[0] + kb[0];
    v[NTK_PAIR_KXX] = kw[1] + kb[1];
    v[NTK_PAIR_KYY] = kw[2] + kb[2];
    v[NTK_PAIR_NX] = nx;
    v[NTK_PAIR_NY] = ny;
}

void
_ntk_sample_pair_kernels_gram(double * v, const _ntk_sample_shape_t * sh, const double * ga,
                              const double * gd, double nx, double ny,
                              _ntk_sample_pair_fault_t fault)
{
    double kw[3] = { 0.0, 0.0, 0.0 }, kb[3] = { 0.0, 0.0, 0.0 };
    slong i;
    for (i = 1; i <= sh->d; i++)
        pair_layer_terms(kw, kb, sh->lw[i], i < sh->d ? sh->lb : sh->lb_out, ga + 3 * (i - 1),
                         gd + 3 * i, fault);
    pair_values(v, kw, kb, nx, ny);
}

/* The inputs' coordinates from the Gram entries, through MPFR:
   x = sqrt(x2) e_1, x' = (xy/sqrt(x2)) e_1 + sqrt(y2 - xy^2/x2) e_2. */
static void
pair_inputs(_ntk_sample_inputs_t * in, const fmpq_t x2, const fmpq_t y2, const fmpq_t xy)
{
    mpfr_t m, s;
    fmpq_t r;
    mpfr_init2(m, 128);
    mpfr_init2(s, 128);
    fmpq_init(r);
    in->x1 = sqrt(_ntk_sample_to_double(x2));
    if (fmpq_is_zero(x2))
    {
        in->y1 = sqrt(_ntk_sample_to_double(y2));
        in->y2 = 0.0;
    }
    else
    {
        fmpq_get_mpfr(m, x2, MPFR_RNDN);
        mpfr_sqrt(m, m, MPFR_RNDN);
        fmpq_get_mpfr(s, xy, MPFR_RNDN);
        mpfr_div(s, s, m, MPFR_RNDN);
        in->y1 = mpfr_get_d(s, MPFR_RNDN);
        /* y2 - xy^2/x2 >= 0 exactly (ntk_kernel_check_inputs) */
        fmpq_mul(r, xy, xy);
        fmpq_div(r, r, x2);
        fmpq_sub(r, y2, r);
        fmpq_get_mpfr(m, r, MPFR_RNDN);
        mpfr_sqrt(m, m, MPFR_RNDN);
        in->y2 = mpfr_get_d(m, MPFR_RNDN);
    }
    fmpq_clear(r);
    mpfr_clear(s);
    mpfr_clear(m);
}

/* One worker's network, of either method. */
typedef union
{
    _ntk_sample_pair_full_t full;
    _ntk_sample_pair_projected_t projected;
}
pair_work_t;

typedef struct
{
    const _ntk_sample_shape_t * shape;
    _ntk_sample_inputs_t in;
    ntk_sample_method_t method;
    _ntk_sample_pair_fault_t fault;
    slong samples, chunk, first;     /* first: the values' first network (values only) */
    slong c0;                        /* the first chunk (acc[0] is chunk c0's) */
    ulong seed;
    double shift[6];
    pair_acc_t * acc;                /* one per chunk of the range (run) */
    double * values;                 /* or the values themselves */
    pair_work_t * work;
    int * work_ready;
    _ntk_progress_t * progress;
}
pair_queue_t;

static void
pair_work_init(pair_queue_t * pq, int worker)
{
    if (pq->work_ready[worker])
        return;
    if (pq->method == NTK_SAMPLE_PROJECTED)
        _ntk_sample_pair_projected_init(&pq->work[worker].projected, pq->shape);
    else
        _ntk_sample_pair_full_init(&pq->work[worker].full, pq->shape);
    pq->work_ready[worker] = 1;
}

static void
pair_one(double * v, pair_queue_t * pq, int worker, slong s)
{
    _ntk_rng_t rng;
    _ntk_rng_init(&rng, pq->seed, (ulong) s);
    if (pq->method == NTK_SAMPLE_PROJECTED)
        _ntk_sample_pair_projected_one(v, &pq->work[worker].projected, pq->shape, &pq->in, &rng,
                                       pq->fault);
    else
        _ntk_sample_pair_full_one(v, &pq->work[worker].full, pq->shape, &pq->in, &rng, pq->fault);
}

static void
pair_acc_add(pair_acc_t * acc, const double * v)
{
    const double * sh = acc->shift;
    double u[3], pw[3][5], w[3];
    int i, j, k;
    u[0] = v[NTK_PAIR_KXY] - sh[0];
    u[1] = v[NTK_PAIR_KXX] - sh[1];
    u[2] = v[NTK_PAIR_KYY] - sh[2];
    for (i = 0; i < 3; i++)
    {
        pw[i][0] = 1.0;
        for (j = 1; j < 5; j++)
            pw[i][j] = pw[i][j - 1] * u[i];
    }
    for (i = 0; i <= 4; i++)
        for (j = 0; i + j <= 4; j++)
            for (k = 0; i + j + k <= 4; k++)
                acc->s[i][j][k] += pw[0][i] * pw[1][j] * pw[2][k];
    w[0] = v[NTK_PAIR_NX] * v[NTK_PAIR_NY] - sh[3];
    w[1] = v[NTK_PAIR_NX] * v[NTK_PAIR_NX] - sh[4];
    w[2] = v[NTK_PAIR_NY] * v[NTK_PAIR_NY] - sh[5];
    for (i = 0; i < 3; i++)
    {
        acc->p[i][0] += w[i];
        acc->p[i][1] += w[i] * w[i];
    }
    acc->n += 1.0;
}

static int
pair_chunk(void * args, slong item, int worker)
{
    pair_queue_t * pq = args;
    double v[NTK_PAIR_N_VALUES];
    slong s, since = 0, begin, end;
    pair_work_init(pq, worker);
    if (pq->values != NULL)
    {
        begin = end = pq->first + item;
        end++;
    }
    else
    {
        begin = (pq->c0 + item) * pq->chunk;
        end = FLINT_MIN(pq->samples, (pq->c0 + item + 1) * pq->chunk);
    }
    for (s = begin; s < end; s++)
    {
        if (pq->values != NULL)
        {
            pair_one(pq->values + (s - pq->first) * NTK_PAIR_N_VALUES, pq, worker, s);
            continue;
        }
        pair_one(v, pq, worker, s);
        pair_acc_add(pq->acc + item, v);
        if (++since == 16 || s + 1 == end)
        {
            if (_ntk_progress_add(pq->progress, since))
                return 1;
            since = 0;
        }
    }
    return 0;
}

/* The central moment E[(Kxy - mu)^e0 (Kxx - mu)^e1 (Kyy - mu)^e2] of the
   sample (divided by n), from the shifted power sums. */
static double
pair_central(const pair_acc_t * acc, int e0, int e1, int e2)
{
    static const double binom[5][5] = { { 1 }, { 1, 1 }, { 1, 2, 1 }, { 1, 3, 3, 1 },
                                        { 1, 4, 6, 4, 1 } };
    double d[3], total = 0.0;
    int i, j, k;
    for (i = 0; i < 3; i++)
        d[i] = -acc->s[i == 0][i == 1][i == 2] / acc->n;
    for (i = 0; i <= e0; i++)
        for (j = 0; j <= e1; j++)
            for (k = 0; k <= e2; k++)
                total += binom[e0][i] * binom[e1][j] * binom[e2][k] * pow(d[0], e0 - i)
                         * pow(d[1], e1 - j) * pow(d[2], e2 - k) * (acc->s[i][j][k] / acc->n);
    return total;
}

/* res <- the estimates from the merged sums. */
static void
pair_finish(ntk_sample_pair_result_t * res, const pair_acc_t * acc)
{
    /* (co)variances: the exponents of the product A B, by ntk_kernel_coeff_t */
    static const struct { int q, e[3]; } cov[6] = {
        { NTK_KERNEL_VAR_KXY, { 2, 0, 0 } }, { NTK_KERNEL_COV_KXX_KYY, { 0, 1, 1 } },
        { NTK_KERNEL_VAR_KXX, { 0, 2, 0 } }, { NTK_KERNEL_VAR_KYY, { 0, 0, 2 } },
        { NTK_KERNEL_COV_KXX_KXY, { 1, 1, 0 } }, { NTK_KERNEL_COV_KXY_KYY, { 1, 0, 1 } } };
    static const int k_mean[3] = { NTK_KERNEL_E_KXY, NTK_SAMPLE_PAIR_E_KXX,
                                   NTK_SAMPLE_PAIR_E_KYY };
    static const int n_mean[3] = { NTK_KERNEL_E_NXNY, NTK_SAMPLE_PAIR_E_NX2,
                                   NTK_SAMPLE_PAIR_E_NY2 };
    double n = acc->n;
    int i;
    res->samples = (slong) n;
    for (i = 0; i < 3; i++)
    {
        int e[3] = { 0, 0, 0 };
        e[i] = 2;
        res->mean[k_mean[i]] = acc->shift[i] + acc->s[i == 0][i == 1][i == 2] / n;
        res->std_error[k_mean[i]] = sqrt(FLINT_MAX(pair_central(acc, e[0], e[1], e[2]), 0.0)
                                         / (n - 1.0));
    }
    for (i = 0; i < 3; i++)
    {
        double m = acc->p[i][0] / n, var = FLINT_MAX(acc->p[i][1] / n - m * m, 0.0);
        res->mean[n_mean[i]] = acc->shift[3 + i] + m;
        res->std_error[n_mean[i]] = sqrt(var / (n - 1.0));
    }
    for (i = 0; i < 6; i++)
    {
        const int * e = cov[i].e;
        double c = pair_central(acc, e[0], e[1], e[2]);
        double m22 = pair_central(acc, 2 * e[0], 2 * e[1], 2 * e[2]);
        res->mean[cov[i].q] = c * n / (n - 1.0);
        res->std_error[cov[i].q] = sqrt(FLINT_MAX(m22 - c * c, 0.0) / n);
    }
}

/* Checks the arguments as ntk_sample_run does (at the larger norm) and the
   inputs; fills the shape and inputs when NTK_OK. */
static ntk_status_t
pair_setup(ntk_sample_plan_t * plan, _ntk_sample_shape_t * sh, _ntk_sample_inputs_t * in,
           const ntk_profile_t p, const ntk_conv_t conv, ntk_law_t law,
           ntk_sample_method_t method, const fmpq_t x2, const fmpq_t y2, const fmpq_t xy,
           slong samples, ntk_error_t * err)
{
    ntk_status_t status;
    const fmpq * big;
    if (p == NULL || x2 == NULL || y2 == NULL || xy == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, p == NULL ? "widths" : "x2",
                              "%s: NULL argument", p == NULL ? "widths" : "x2");
    if ((status = ntk_kernel_check_inputs(x2, y2, xy, err)) != NTK_OK)
        return status;
    big = fmpq_cmp(x2, y2) >= 0 ? x2 : y2;
    if ((status = ntk_sample_plan(plan, p, conv, law, method, big, samples, err)) != NTK_OK)
        return status;
    if (p->width[0] == 1)
    {
        fmpq_t a, b;
        int parallel;
        fmpq_init(a); fmpq_init(b);
        fmpq_mul(a, xy, xy);
        fmpq_mul(b, x2, y2);
        parallel = fmpq_equal(a, b);
        fmpq_clear(a); fmpq_clear(b);
        if (!parallel)
            return _ntk_error_set(err, NTK_ERR_RANGE, "xy",
                "xy: with one input coordinate (n_0 = 1) the inputs are parallel, xy^2 = x2 y2");
    }
    _ntk_sample_shape_init(sh, p, conv, law, x2);
    pair_inputs(in, x2, y2, xy);
    return NTK_OK;
}

/* Runs the queue's items on the workers and frees the networks. */
static ntk_status_t
pair_do(pair_queue_t * pq, slong items, slong units, const ntk_exec_t exec, ntk_error_t * err)
{
    _ntk_progress_t progress;
    ntk_status_t status;
    int w, workers = _ntk_parallel_workers(items, exec->threads);
    _ntk_rng_setup();
    pq->work = flint_malloc(workers * sizeof(pair_work_t));
    pq->work_ready = flint_calloc(workers, sizeof(int));
    _ntk_progress_init(&progress, exec, units);
    pq->progress = &progress;
    status = _ntk_parallel_do(pair_chunk, pq, items, workers, err);
    if (status == NTK_OK && _ntk_progress_stopped(&progress))
        status = _ntk_error_set(err, NTK_ERR_INTERRUPTED, "", "sampling was interrupted");
    for (w = 0; w < workers; w++)
        if (pq->work_ready[w])
        {
            if (pq->method == NTK_SAMPLE_PROJECTED)
                _ntk_sample_pair_projected_clear(&pq->work[w].projected);
            else
                _ntk_sample_pair_full_clear(&pq->work[w].full, pq->shape);
        }
    flint_free(pq->work);
    flint_free(pq->work_ready);
    _ntk_progress_clear(&progress);
    return status;
}

static void
pair_queue_init(pair_queue_t * pq, const _ntk_sample_shape_t * sh,
                const _ntk_sample_inputs_t * in, const ntk_sample_plan_t * plan, ulong seed,
                _ntk_sample_pair_fault_t fault)
{
    memset(pq, 0, sizeof(*pq));
    pq->shape = sh;
    pq->in = *in;
    pq->method = plan->method;
    pq->fault = fault;
    pq->samples = plan->samples;
    pq->chunk = plan->chunk_size;
    pq->seed = seed;
}

/* The chunks c0 .. c1-1 of the run into acc (the plan, shape and inputs set
   up): the shift, network 0's values, on one thread without progress, then
   the chunks on exec's threads. */
static ntk_status_t
pair_run_chunks(pair_acc_t * acc, const ntk_sample_plan_t * plan, const _ntk_sample_shape_t * sh,
                const _ntk_sample_inputs_t * in, ulong seed, slong c0, slong c1,
                const ntk_exec_t exec, _ntk_sample_pair_fault_t fault, ntk_error_t * err)
{
    pair_queue_t pq;
    double v0[NTK_PAIR_N_VALUES];
    ntk_status_t status;
    ntk_exec_t serial;
    slong c, units;
    ntk_exec_init(serial);
    pair_queue_init(&pq, sh, in, plan, seed, fault);
    pq.values = v0;
    pq.first = 0;
    status = pair_do(&pq, 1, 1, serial, err);
    ntk_exec_clear(serial);
    pq.values = NULL;
    pq.shift[0] = v0[NTK_PAIR_KXY];
    pq.shift[1] = v0[NTK_PAIR_KXX];
    pq.shift[2] = v0[NTK_PAIR_KYY];
    pq.shift[3] = v0[NTK_PAIR_NX] * v0[NTK_PAIR_NY];
    pq.shift[4] = v0[NTK_PAIR_NX] * v0[NTK_PAIR_NX];
    pq.shift[5] = v0[NTK_PAIR_NY] * v0[NTK_PAIR_NY];
    units = FLINT_MIN(plan->samples, c1 * plan->chunk_size) - c0 * plan->chunk_size;
    for (c = c0; c < c1; c++)
    {
        memset(acc + (c - c0), 0, sizeof(pair_acc_t));
        memcpy(acc[c - c0].shift, pq.shift, sizeof(pq.shift));
    }
    pq.acc = acc;
    pq.c0 = c0;
    if (status == NTK_OK && c1 > c0)
        status = pair_do(&pq, c1 - c0, units, exec, err);
    return status;
}

ntk_status_t
ntk_sample_pair_plan(ntk_sample_plan_t * plan, const ntk_profile_t p, const ntk_conv_t conv,
                     ntk_law_t law, ntk_sample_method_t method, const fmpq_t x2,
                     const fmpq_t y2, const fmpq_t xy, slong samples, ntk_error_t * err)
{
    _ntk_sample_shape_t sh;
    _ntk_sample_inputs_t in;
    ntk_status_t status = pair_setup(plan, &sh, &in, p, conv, law, method, x2, y2, xy, samples,
                                     err);
    if (status == NTK_OK)
        _ntk_sample_shape_clear(&sh);
    return status;
}

ntk_status_t
ntk_sample_pair_run_chunks(ntk_sample_pair_acc_t * acc, const ntk_profile_t p,
                           const ntk_conv_t conv, ntk_law_t law, ntk_sample_method_t method,
                           const fmpq_t x2, const fmpq_t y2, const fmpq_t xy, slong samples,
                           ulong seed, slong c0, slong c1, const ntk_exec_t exec,
                           ntk_error_t * err)
{
    ntk_sample_plan_t plan;
    _ntk_sample_shape_t sh;
    _ntk_sample_inputs_t in;
    ntk_status_t status;
    ntk_exec_t serial;
    ntk_exec_init(serial);
    if (exec == NULL)
        exec = serial;
    if ((status = ntk_exec_validate(exec, err)) == NTK_OK
        && (status = pair_setup(&plan, &sh, &in, p, conv, law, method, x2, y2, xy, samples, err))
           == NTK_OK)
    {
        if (c0 < 0 || c1 < c0 || c1 > plan.n_chunks || (acc == NULL && c1 > c0))
            status = _ntk_error_set(err, NTK_ERR_RANGE, "c0", "c0, c1: not a range of chunks "
                                    "0 .. %ld", (long) plan.n_chunks);
        else
            status = pair_run_chunks(acc, &plan, &sh, &in, seed, c0, c1, exec,
                                     _NTK_SAMPLE_PAIR_FAULT_NONE, err);
        _ntk_sample_shape_clear(&sh);
    }
    ntk_exec_clear(serial);
    return status;
}

void
ntk_sample_pair_acc_zero(ntk_sample_pair_acc_t * acc)
{
    if (acc != NULL)
        memset(acc, 0, sizeof(*acc));
}

void
ntk_sample_pair_acc_merge(ntk_sample_pair_acc_t * acc, const ntk_sample_pair_acc_t * next)
{
    int i, j, k;
    if (acc == NULL || next == NULL)
        return;
    if (acc->n == 0.0)
        memcpy(acc->shift, next->shift, sizeof(acc->shift));
    acc->n += next->n;
    for (i = 0; i <= 4; i++)
        for (j = 0; i + j <= 4; j++)
            for (k = 0; i + j + k <= 4; k++)
                acc->s[i][j][k] += next->s[i][j][k];
    for (i = 0; i < 3; i++)
        for (j = 0; j < 2; j++)
            acc->p[i][j] += next->p[i][j];
}

ntk_status_t
ntk_sample_pair_acc_result(ntk_sample_pair_result_t * res, const ntk_sample_pair_acc_t * acc,
                           ntk_sample_method_t method, ntk_error_t * err)
{
    int q;
    if (res == NULL || acc == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "res", "res, acc: NULL argument");
    if (!(acc->n >= 2.0))
        return _ntk_error_set(err, NTK_ERR_RANGE, "samples", "samples: fewer than 2 networks");
    pair_finish(res, acc);
    res->method = method;
    for (q = 0; q < NTK_SAMPLE_PAIR_N; q++)
        if (!isfinite(res->mean[q]) || !isfinite(res->std_error[q]))
            return _ntk_error_set(err, NTK_ERR_RANGE, "widths",
                "widths: a sampled %s overflowed double precision", ntk_sample_pair_name(q));
    return NTK_OK;
}

ntk_status_t
_ntk_sample_pair_run(ntk_sample_pair_result_t * res, const ntk_profile_t p,
                     const ntk_conv_t conv, ntk_law_t law, ntk_sample_method_t method,
                     const fmpq_t x2, const fmpq_t y2, const fmpq_t xy, slong samples,
                     ulong seed, const ntk_exec_t exec, _ntk_sample_pair_fault_t fault,
                     ntk_error_t * err)
{
    ntk_sample_plan_t plan;
    _ntk_sample_shape_t sh;
    _ntk_sample_inputs_t in;
    pair_acc_t * acc, all;
    ntk_status_t status;
    slong c;
    ntk_exec_t serial;
    if (res == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "res", "res: NULL argument");
    /* NULL: one thread, no progress */
    ntk_exec_init(serial);
    if (exec == NULL)
        exec = serial;
    if ((status = ntk_exec_validate(exec, err)) != NTK_OK
        || (status = pair_setup(&plan, &sh, &in, p, conv, law, method, x2, y2, xy, samples, err))
           != NTK_OK)
    {
        ntk_exec_clear(serial);
        return status;
    }
    acc = flint_malloc(plan.n_chunks * sizeof(pair_acc_t));
    status = pair_run_chunks(acc, &plan, &sh, &in, seed, 0, plan.n_chunks, exec, fault, err);
    if (status == NTK_OK)
    {
        ntk_sample_pair_acc_zero(&all);
        for (c = 0; c < plan.n_chunks; c++)
            ntk_sample_pair_acc_merge(&all, acc + c);
        status = ntk_sample_pair_acc_result(res, &all, plan.method, err);
    }
    flint_free(acc);
    _ntk_sample_shape_clear(&sh);
    ntk_exec_clear(serial);
    return status;
}

ntk_status_t
ntk_sample_pair_run(ntk_sample_pair_result_t * res, const ntk_profile_t p,
                    const ntk_conv_t conv, ntk_law_t law, ntk_sample_method_t method,
                    const fmpq_t x2, const fmpq_t y2, const fmpq_t xy, slong samples,
                    ulong seed, const ntk_exec_t exec, ntk_error_t * err)
{
    return _ntk_sample_pair_run(res, p, conv, law, method, x2, y2, xy, samples, seed, exec,
                                _NTK_SAMPLE_PAIR_FAULT_NONE, err);
}

ntk_status_t
ntk_sample_pair_values(double * v, const ntk_profile_t p, const ntk_conv_t conv, ntk_law_t law,
                       ntk_sample_method_t method, const fmpq_t x2, const fmpq_t y2,
                       const fmpq_t xy, ulong seed, slong first, slong count, ntk_error_t * err)
{
    ntk_sample_plan_t plan;
    _ntk_sample_shape_t sh;
    _ntk_sample_inputs_t in;
    pair_queue_t pq;
    ntk_exec_struct exec;
    ntk_status_t status;
    if (v == NULL && count > 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "v", "v: NULL argument");
    if (first < 0 || count < 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "first", "first, count: must be >= 0");
    if ((status = pair_setup(&plan, &sh, &in, p, conv, law, method, x2, y2, xy, 2, err))
        != NTK_OK)
        return status;
    ntk_exec_init(&exec);
    pair_queue_init(&pq, &sh, &in, &plan, seed, _NTK_SAMPLE_PAIR_FAULT_NONE);
    pq.values = v;
    pq.first = first;
    if (count > 0)
        status = pair_do(&pq, count, count, &exec, err);
    ntk_exec_clear(&exec);
    _ntk_sample_shape_clear(&sh);
    return status;
}
