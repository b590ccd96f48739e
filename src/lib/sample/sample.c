/* The Monte Carlo sampler: validation, the samples on worker threads, and
   their moments merged in a fixed order.  One network is drawn by a method:
   sample_full.c (every weight, any law) or sample_projected.c (Gaussian
   weights: only the products the computation needs, O(d n) per network). */

#include <math.h>
#include <mpfr.h>
#include <string.h>
#include "base/error.h"
#include "base/parallel.h"
#include "base/progress.h"
#include "sample.h"

/* Running mean and central moment sums M2, M3, M4 of n values. */
typedef ntk_sample_moments_t moment_acc_t;

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

void
ntk_sample_acc_zero(ntk_sample_acc_t * acc)
{
    if (acc != NULL)
        memset(acc, 0, sizeof(*acc));
}

void
ntk_sample_acc_merge(ntk_sample_acc_t * acc, const ntk_sample_acc_t * next)
{
    int q;
    /* void: it cannot report a misuse, so a NULL argument changes nothing */
    if (acc == NULL || next == NULL)
        return;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        acc_merge(acc->q + q, next->q + q);
}

void
_ntk_sample_values(double * v, double n, double kw, double kb, double gww, double gwb)
{
    double k = kw + kb;
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
    /* the update's second moment, g = g_ww + 2 g_wb, at the target y = 0:
       dK/lambda = -2 N g (Var_dK: dK itself, as Var_K) */
    {
        double g = gww + 2.0 * gwb, n2 = n * n;
        v[NTK_E_G2] = g * g;
        v[NTK_E_N2G2] = n2 * g * g;
        v[NTK_E_N2GWW2] = n2 * gww * gww;
        v[NTK_E_N2GWWGWB] = n2 * gww * gwb;
        v[NTK_E_N2GWB2] = n2 * gwb * gwb;
        v[NTK_E_DK2] = v[NTK_E_DK] * v[NTK_E_DK];
        v[NTK_VAR_DK] = v[NTK_E_DK];
        v[NTK_RELVAR_DK] = 0.0;
    }
}

/* One worker's network, of either method. */
typedef union
{
    _ntk_sample_full_t full;
    _ntk_sample_projected_t projected;
}
net_work_t;

/* Work shared by the sampling workers: chunk c holds samples
   [c * chunk, (c+1) * chunk) and its own accumulators (item i of the loop
   is chunk c0 + i, in acc[i]); each worker has its own network. */
typedef struct
{
    const _ntk_sample_shape_t * shape;
    ntk_sample_method_t method;  /* FULL or PROJECTED */
    _ntk_sample_fault_t fault;
    slong samples, chunk, c0;
    ulong seed;
    ntk_sample_acc_t * acc;      /* one per chunk of the range */
    net_work_t * work;           /* one per worker, allocated on first use */
    int * work_ready;
    _ntk_progress_t * progress;
}
sample_queue_t;

static int
sample_chunk(void * args, slong item, int worker)
{
    sample_queue_t * sq = args;
    slong c = sq->c0 + item;
    net_work_t * wk = sq->work + worker;
    _ntk_rng_t rng;
    double v[NTK_N_QUANTITIES];
    slong s, end = FLINT_MIN(sq->samples, (c + 1) * sq->chunk), since = 0;
    int q;
    if (!sq->work_ready[worker])
    {
        if (sq->method == NTK_SAMPLE_PROJECTED)
            _ntk_sample_projected_init(&wk->projected, sq->shape);
        else
            _ntk_sample_full_init(&wk->full, sq->shape);
        sq->work_ready[worker] = 1;
    }
    for (s = c * sq->chunk; s < end; s++)
    {
        _ntk_rng_init(&rng, sq->seed, (ulong) s);
        if (sq->method == NTK_SAMPLE_PROJECTED)
            _ntk_sample_projected_one(v, &wk->projected, sq->shape, &rng, sq->fault);
        else
            _ntk_sample_full_one(v, &wk->full, sq->shape, &rng);
        for (q = 0; q < NTK_N_QUANTITIES; q++)
            acc_add(sq->acc[item].q + q, v[q]);
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

/* The number of neurons n_0 + ... + n_d, likewise (saturating at 2^62). */
static double
network_neurons(const ntk_profile_t p)
{
    double total = 0.0;
    slong r;
    for (r = 0; r < p->n_runs; r++)
    {
        total += (double) p->count[r] * (double) p->width[r];
        if (total > 4.6e18)
            return 4.6e18;
    }
    return total;
}

/* The method that AUTO stands for: projected for Gaussian weights. */
static ntk_sample_method_t
sample_resolve(ntk_sample_method_t method, ntk_law_t law)
{
    if (method != NTK_SAMPLE_AUTO)
        return method;
    return law == NTK_LAW_GAUSSIAN ? NTK_SAMPLE_PROJECTED : NTK_SAMPLE_FULL;
}

/* Everything is checked before the network is allocated: the full method
   holds every weight, the projected one a few doubles per neuron. */
static ntk_status_t
sample_validate(const ntk_profile_t p, const ntk_conv_t conv, ntk_law_t law,
                ntk_sample_method_t method, const fmpq_t x2, slong samples, ntk_error_t * err)
{
    ntk_status_t status;
    if (law != NTK_LAW_GAUSSIAN && law != NTK_LAW_UNIFORM)
        return _ntk_error_set(err, NTK_ERR_RANGE, "law", "law: %d is not a weight law", (int) law);
    if (method != NTK_SAMPLE_AUTO && method != NTK_SAMPLE_FULL && method != NTK_SAMPLE_PROJECTED)
        return _ntk_error_set(err, NTK_ERR_RANGE, "method", "method: %d is not a sampling method",
                              (int) method);
    if (method == NTK_SAMPLE_PROJECTED && law != NTK_LAW_GAUSSIAN)
        return _ntk_error_set(err, NTK_ERR_RANGE, "method",
            "method: the projected method needs Gaussian weights (it rests on their rotation "
            "invariance); the %s law takes the full method", ntk_law_name(law));
    if (fmpq_sgn(x2) < 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: must be >= 0");
    if (samples < 2)
        return _ntk_error_set(err, NTK_ERR_RANGE, "samples", "samples: need at least 2 samples");
    if (sample_resolve(method, law) == NTK_SAMPLE_FULL)
    {
        double weights = network_weights(p);
        if (weights > (double) NTK_SAMPLE_WEIGHTS_MAX)
            return _ntk_error_set(err, NTK_ERR_TOO_LARGE, "widths",
                "widths: the network has %.4g weights, more than the full method holds (2^27)",
                weights);
    }
    else
    {
        double neurons = network_neurons(p);
        if (neurons > (double) NTK_SAMPLE_NEURONS_MAX)
            return _ntk_error_set(err, NTK_ERR_TOO_LARGE, "widths",
                "widths: the network has %.4g neurons, more than the projected method holds "
                "(2^24)", neurons);
    }
    if ((status = ntk_conv_validate(conv, err)) != NTK_OK)
        return status;
    return _ntk_sample_check_range(p, conv, x2, err);
}

/* Fills res from the accumulator of all samples. */
static void
sample_finish(ntk_sample_result_t * res, const moment_acc_t * all)
{
    static const int variance[2] = { NTK_VAR_K, NTK_VAR_DK };
    int q, k;
    double n = all[0].n;
    res->samples = (slong) n;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        res->mean[q] = all[q].mean;
        res->std_error[q] = sqrt(all[q].m2 / (n - 1.0) / n);
    }
    /* the central moments and ratios of order 3, 4 and RelVar_dK are not
       sampled */
    res->mean[NTK_M3_K] = res->mean[NTK_SKEW2_K] = res->mean[NTK_M4_K] = NAN;
    res->mean[NTK_KURT_K] = res->mean[NTK_RELVAR_DK] = NAN;
    res->std_error[NTK_M3_K] = res->std_error[NTK_SKEW2_K] = res->std_error[NTK_M4_K] = NAN;
    res->std_error[NTK_KURT_K] = res->std_error[NTK_RELVAR_DK] = NAN;
    /* the unbiased variances of K and of dK; their standard errors from
       m4 - m2^2 */
    for (k = 0; k < 2; k++)
    {
        int q = variance[k];
        double m2 = all[q].m2 / n, m4 = all[q].m4 / n;
        res->mean[q] = all[q].m2 / (n - 1.0);
        res->std_error[q] = sqrt(FLINT_MAX(m4 - m2 * m2, 0.0) / n);
    }
}

/* Samples per chunk: at most 4096 chunks, and chunks of about 2^24 units of
   work (256 samples of small networks, fewer of large ones, so that a few
   samples of a large network still use every thread).  It depends on the
   network and the sample count only, so the merge order, and the result, do
   not depend on the threads. */
static slong
sample_chunk_size(const _ntk_sample_shape_t * sh, ntk_sample_method_t method, slong samples)
{
    double work = method == NTK_SAMPLE_FULL ? (double) sh->n_weights : 8.0 * (double) sh->n_neurons;
    slong least = (slong) FLINT_MAX(1.0, FLINT_MIN(256.0, 16777216.0 / FLINT_MAX(work, 1.0)));
    return FLINT_MAX(least, (samples + 4095) / 4096);
}

ntk_status_t
ntk_sample_acc_result(ntk_sample_result_t * res, const ntk_sample_acc_t * acc,
                      ntk_sample_method_t method, ntk_error_t * err)
{
    int q;
    if (res == NULL || acc == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, res == NULL ? "res" : "acc", "%s: NULL argument",
                              res == NULL ? "res" : "acc");
    if (!(acc->q[0].n >= 2.0))
        return _ntk_error_set(err, NTK_ERR_RANGE, "samples", "samples: need at least 2 samples");
    sample_finish(res, acc->q);
    res->method = method;
    for (q = 0; q < ntk_quantity_count(2); q++)
        if (!isfinite(res->mean[q]) || !isfinite(res->std_error[q]))
            return _ntk_error_set(err, NTK_ERR_RANGE, "widths",
                "widths: a sampled %s overflowed double precision", ntk_quantity_name(q));
    return NTK_OK;
}

/* Validates the arguments (shared by every entry point) and fills plan and
   the shape (to be cleared by the caller when NTK_OK). */
static ntk_status_t
sample_setup(ntk_sample_plan_t * plan, _ntk_sample_shape_t * sh, const ntk_profile_t p,
             const ntk_conv_t conv, ntk_law_t law, ntk_sample_method_t method, const fmpq_t x2,
             slong samples, ntk_error_t * err)
{
    ntk_status_t status;
    if (plan == NULL || p == NULL || x2 == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, plan == NULL ? "res" : p == NULL ? "widths" : "x2",
                              "%s: NULL argument",
                              plan == NULL ? "res" : p == NULL ? "widths" : "x2");
    if (p->depth < 1)
        return _ntk_error_set(err, NTK_ERR_RANGE, "widths", "widths: the width profile is not set");
    if ((status = sample_validate(p, conv, law, method, x2, samples, err)) != NTK_OK)
        return status;
    _ntk_sample_shape_init(sh, p, conv, law, x2);
    plan->samples = samples;
    plan->method = sample_resolve(method, law);
    plan->chunk_size = sample_chunk_size(sh, plan->method, samples);
    plan->n_chunks = (samples + plan->chunk_size - 1) / plan->chunk_size;
    return NTK_OK;
}

ntk_status_t
ntk_sample_plan(ntk_sample_plan_t * plan, const ntk_profile_t p, const ntk_conv_t conv,
                ntk_law_t law, ntk_sample_method_t method, const fmpq_t x2, slong samples,
                ntk_error_t * err)
{
    _ntk_sample_shape_t sh;
    ntk_status_t status = sample_setup(plan, &sh, p, conv, law, method, x2, samples, err);
    if (status == NTK_OK)
        _ntk_sample_shape_clear(&sh);
    return status;
}

slong
ntk_sample_chunk_length(const ntk_sample_plan_t * plan, slong c)
{
    if (plan == NULL || c < 0 || c >= plan->n_chunks)
        return 0;
    return FLINT_MIN(plan->samples, (c + 1) * plan->chunk_size) - c * plan->chunk_size;
}

/* The chunks c0 .. c1-1 of a checked plan, on the workers. */
static ntk_status_t
sample_chunks(ntk_sample_acc_t * acc, const _ntk_sample_shape_t * sh,
              const ntk_sample_plan_t * plan, ulong seed, slong c0, slong c1,
              const ntk_exec_t exec, _ntk_sample_fault_t fault, ntk_error_t * err)
{
    sample_queue_t sq;
    _ntk_progress_t progress;
    ntk_status_t status;
    int w, workers;
    _ntk_rng_setup();
    sq.shape = sh; sq.samples = plan->samples; sq.seed = seed;
    sq.method = plan->method;
    sq.fault = fault;
    sq.chunk = plan->chunk_size;
    sq.c0 = c0;
    sq.acc = acc;
    memset(acc, 0, (c1 - c0) * sizeof(ntk_sample_acc_t));
    workers = _ntk_parallel_workers(c1 - c0, exec->threads);
    sq.work = flint_malloc(workers * sizeof(net_work_t));
    sq.work_ready = flint_calloc(workers, sizeof(int));
    _ntk_progress_init(&progress, exec,
                       FLINT_MIN(plan->samples, c1 * plan->chunk_size) - c0 * plan->chunk_size);
    sq.progress = &progress;
    status = _ntk_parallel_do(sample_chunk, &sq, c1 - c0, workers, err);
    if (status == NTK_OK && _ntk_progress_stopped(&progress))
        status = _ntk_error_set(err, NTK_ERR_INTERRUPTED, "", "sampling was interrupted");
    for (w = 0; w < workers; w++)
        if (sq.work_ready[w])
        {
            if (sq.method == NTK_SAMPLE_PROJECTED)
                _ntk_sample_projected_clear(&sq.work[w].projected);
            else
                _ntk_sample_full_clear(&sq.work[w].full, sh);
        }
    flint_free(sq.work);
    flint_free(sq.work_ready);
    _ntk_progress_clear(&progress);
    return status;
}

static ntk_status_t
sample_run_chunks(ntk_sample_acc_t * acc, ntk_sample_plan_t * plan, const ntk_profile_t p,
                  const ntk_conv_t conv, ntk_law_t law, ntk_sample_method_t method,
                  const fmpq_t x2, slong samples, ulong seed, slong c0, slong c1,
                  const ntk_exec_t exec, _ntk_sample_fault_t fault, ntk_error_t * err)
{
    _ntk_sample_shape_t sh;
    ntk_status_t status;
    if ((status = ntk_exec_validate(exec, err)) != NTK_OK)
        return status;
    if ((status = sample_setup(plan, &sh, p, conv, law, method, x2, samples, err)) != NTK_OK)
        return status;
    if (c0 < 0 || c1 < c0 || c1 > plan->n_chunks || (acc == NULL && c1 > c0))
        status = _ntk_error_set(err, NTK_ERR_RANGE, "chunks",
            "chunks: %ld..%ld is not a range of the %ld chunks", (long) c0, (long) c1,
            (long) plan->n_chunks);
    else if (c1 > c0)
        status = sample_chunks(acc, &sh, plan, seed, c0, c1, exec, fault, err);
    _ntk_sample_shape_clear(&sh);
    return status;
}

ntk_status_t
ntk_sample_run_chunks(ntk_sample_acc_t * acc, const ntk_profile_t p, const ntk_conv_t conv,
                      ntk_law_t law, ntk_sample_method_t method, const fmpq_t x2, slong samples,
                      ulong seed, slong c0, slong c1, const ntk_exec_t exec, ntk_error_t * err)
{
    ntk_sample_plan_t plan;
    return sample_run_chunks(acc, &plan, p, conv, law, method, x2, samples, seed, c0, c1, exec,
                             _NTK_SAMPLE_FAULT_NONE, err);
}

ntk_status_t
_ntk_sample_run(ntk_sample_result_t * res, const ntk_profile_t p, const ntk_conv_t conv,
                ntk_law_t law, ntk_sample_method_t method, const fmpq_t x2, slong samples,
                ulong seed, const ntk_exec_t exec, _ntk_sample_fault_t fault, ntk_error_t * err)
{
    ntk_sample_plan_t plan;
    ntk_sample_acc_t * acc, all;
    ntk_status_t status;
    slong c;
    if (res == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "res", "res: NULL argument");
    if (p != NULL && x2 != NULL && p->depth >= 1 && (status = ntk_exec_validate(exec, err)) != NTK_OK)
        return status;
    if ((status = ntk_sample_plan(&plan, p, conv, law, method, x2, samples, err)) != NTK_OK)
        return status;
    acc = flint_malloc(plan.n_chunks * sizeof(ntk_sample_acc_t));
    status = sample_run_chunks(acc, &plan, p, conv, law, method, x2, samples, seed, 0,
                               plan.n_chunks, exec, fault, err);
    if (status == NTK_OK)
    {
        ntk_sample_acc_zero(&all);
        for (c = 0; c < plan.n_chunks; c++)
            ntk_sample_acc_merge(&all, acc + c);
        status = ntk_sample_acc_result(res, &all, plan.method, err);
    }
    flint_free(acc);
    return status;
}

ntk_status_t
ntk_sample_run(ntk_sample_result_t * res, const ntk_profile_t p, const ntk_conv_t conv,
               ntk_law_t law, ntk_sample_method_t method, const fmpq_t x2, slong samples,
               ulong seed, const ntk_exec_t exec, ntk_error_t * err)
{
    return _ntk_sample_run(res, p, conv, law, method, x2, samples, seed, exec,
                           _NTK_SAMPLE_FAULT_NONE, err);
}

const char *
ntk_sample_method_name(ntk_sample_method_t method)
{
    switch (method)
    {
        case NTK_SAMPLE_AUTO: return "auto";
        case NTK_SAMPLE_FULL: return "full";
        case NTK_SAMPLE_PROJECTED: return "projected";
        default: return "?";
    }
}

double
ntk_sample_zscore(const fmpq_t exact, double mean, double std_error)
{
    mpfr_t diff, e;
    double z;
    if (exact == NULL)
        return NAN;
    /* in MPFR: an exact value beyond double precision is no infinity (a
       difference of inf - inf would look like agreement) */
    mpfr_init2(diff, 128);
    mpfr_init2(e, 128);
    fmpq_get_mpfr(e, exact, MPFR_RNDN);
    mpfr_set_d(diff, mean, MPFR_RNDN);
    mpfr_sub(diff, diff, e, MPFR_RNDN);
    if (std_error > 0.0)
    {
        mpfr_div_d(diff, diff, std_error, MPFR_RNDN);
        z = mpfr_get_d(diff, MPFR_RNDN);
    }
    else
    {
        mpfr_abs(e, e, MPFR_RNDN);
        mpfr_mul_d(e, e, 1e-12, MPFR_RNDN);
        z = mpfr_cmpabs(diff, e) <= 0 ? 0.0 : mpfr_sgn(diff) > 0 ? INFINITY : -INFINITY;
    }
    mpfr_clear(diff);
    mpfr_clear(e);
    return z;
}
