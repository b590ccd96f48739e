/* Assembling the moments of K and of the first SGD update from the term
   sums of the transfer recursion (ALGORITHM.md, "Terms"). */

#include <math.h>
#include <mpfr.h>
#include <pthread.h>
#include <string.h>
#include "ntk-internal.h"

#define W_(p, q) { NTK_MARK_WEIGHT, p, q }
#define B_(p, q) { NTK_MARK_BIAS, p, q }

static const ntk_term_t term_table[N_TERMS] = {
    { 2, 1, { W_(0, 1) } },            /* K_w */
    { 2, 1, { B_(0, 1) } },            /* K_b' (hidden biases) */
    { 4, 2, { W_(0, 1), W_(2, 3) } },  /* K_w^2 */
    { 4, 2, { B_(0, 1), B_(2, 3) } },  /* K_b'^2 */
    { 4, 2, { W_(0, 1), B_(2, 3) } },  /* K_w K_b' */
    /* N g: gradient path 0, Hessian path 1, gradient path 2, N is path 3 */
    { 4, 2, { W_(0, 1), W_(1, 2) } },  /* D_ww */
    { 4, 2, { B_(0, 1), W_(1, 2) } },  /* D_wb: the bias sits below the weight */
    { 2, 0, { { 0, 0, 0 } } },          /* N^2 (no marks) */
    { 4, 0, { { 0, 0, 0 } } }           /* N^4 (no marks) */
};

static const char * const quantity_names[NTK_N_QUANTITIES] = {
    "E_K", "E_Kw", "E_Kb", "E_K2", "E_Kw2", "E_Kb2", "E_KwKb", "Var_K",
    "E_dK", "E_Dww", "E_Dwb", "E_N2", "E_N4"
};

const ntk_term_t *
ntk_term_get(int k)
{
    return term_table + k;
}

const char *
ntk_quantity_name(ntk_quantity_t q)
{
    return (q >= 0 && q < NTK_N_QUANTITIES) ? quantity_names[q] : "?";
}

void
ntk_moments_init(ntk_moments_t m)
{
    int q;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        fmpq_poly_init(m->poly + q);
        fmpq_init(m->at_zero + q);
    }
}

void
ntk_moments_clear(ntk_moments_t m)
{
    int q;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        fmpq_poly_clear(m->poly + q);
        fmpq_clear(m->at_zero + q);
    }
}

static int
term_has_bias(const ntk_term_t * term)
{
    int k;
    for (k = 0; k < term->n_marks; k++)
        if (term->mark[k].kind == NTK_MARK_BIAS)
            return 1;
    return 0;
}

/* Work shared by the threads: terms are taken in order from `next`. */
typedef struct
{
    const ntk_run_t * run;
    fmpq * value;
    int todo[N_TERMS];
    int n_todo;
    int next;
    pthread_mutex_t lock;
    ntk_status_t status;
}
term_queue_t;

static void *
term_worker(void * arg)
{
    term_queue_t * queue = arg;
    for (;;)
    {
        int k;
        ntk_status_t status;
        pthread_mutex_lock(&queue->lock);
        k = queue->next < queue->n_todo ? queue->todo[queue->next++] : -1;
        pthread_mutex_unlock(&queue->lock);
        if (k < 0)
            return NULL;
        if (queue->run->options->precision > 0)
            status = ntk_transfer_run_mpfr(queue->value + k, term_table + k, queue->run,
                                           queue->run->options->precision + NTK_GUARD_BITS);
        else
            status = ntk_transfer_run(queue->value + k, term_table + k, queue->run);
        if (status != NTK_OK)
        {
            pthread_mutex_lock(&queue->lock);
            queue->status = status;
            pthread_mutex_unlock(&queue->lock);
        }
    }
}

/* A spawned worker: FLINT keeps a cache of mpz's per thread, which the
   thread must release before it ends (values it made stay valid). */
static void *
term_thread(void * arg)
{
    term_worker(arg);
    flint_cleanup();
    return NULL;
}

/* Runs every needed term, on opt->threads threads. */
static ntk_status_t
terms_compute(fmpq * value, const ntk_profile_t p, const ntk_options_t opt)
{
    ntk_progress_t progress;
    ntk_run_t run;
    term_queue_t queue;
    pthread_t thread[N_TERMS];
    int k, n_threads, t;
    /* the four-path terms first: they take longest */
    static const int order[N_TERMS] = { TERM_KW2, TERM_KB2, TERM_KWKB, TERM_DWW,
        TERM_DWB, TERM_N4, TERM_KW, TERM_KB, TERM_N2 };
    pthread_mutex_init(&progress.lock, NULL);
    progress.done = 0;
    progress.fn = opt->progress;
    progress.data = opt->progress_data;
    progress.stop = 0;
    run.profile = p; run.options = opt; run.progress = &progress;
    queue.run = &run; queue.value = value; queue.n_todo = 0; queue.next = 0;
    queue.status = NTK_OK;
    pthread_mutex_init(&queue.lock, NULL);
    for (k = 0; k < N_TERMS; k++)
        if (opt->bias || !term_has_bias(term_table + order[k]))
            queue.todo[queue.n_todo++] = order[k];
    progress.total = queue.n_todo * p->depth;
    n_threads = FLINT_MAX(1, FLINT_MIN(opt->threads, queue.n_todo));
    for (t = 1; t < n_threads; t++)
        pthread_create(thread + t, NULL, term_thread, &queue);
    term_worker(&queue);
    for (t = 1; t < n_threads; t++)
        pthread_join(thread[t], NULL);
    pthread_mutex_destroy(&queue.lock);
    pthread_mutex_destroy(&progress.lock);
    return queue.status;
}

/* poly <- value * x2^power */
static void
poly_set_term(fmpq_poly_t poly, const fmpq_t value, int power)
{
    fmpq_poly_zero(poly);
    fmpq_poly_set_coeff_fmpq(poly, power, value);
}

/* The quantities from the term values (all zero: a dead input, x2 = 0). */
static void
moments_assemble(fmpq_poly_struct * q, const fmpq * v, int bias)
{
    fmpq_poly_t t;
    fmpq_poly_init(t);
    poly_set_term(q + NTK_E_KW, v + TERM_KW, 1);
    poly_set_term(q + NTK_E_KB, v + TERM_KB, 0);
    fmpq_poly_add_si(q + NTK_E_KB, q + NTK_E_KB, bias);
    fmpq_poly_add(q + NTK_E_K, q + NTK_E_KW, q + NTK_E_KB);
    poly_set_term(q + NTK_E_KW2, v + TERM_KW2, 2);
    /* K_b^2 = (K_b' + lb)^2 and K_w K_b = K_w K_b' + lb K_w */
    poly_set_term(q + NTK_E_KB2, v + TERM_KB2, 0);
    poly_set_term(t, v + TERM_KB, 0);
    fmpq_poly_scalar_mul_si(t, t, 2 * bias);
    fmpq_poly_add(q + NTK_E_KB2, q + NTK_E_KB2, t);
    fmpq_poly_add_si(q + NTK_E_KB2, q + NTK_E_KB2, bias);
    poly_set_term(q + NTK_E_KWKB, v + TERM_KWKB, 1);
    fmpq_poly_scalar_mul_si(t, q + NTK_E_KW, bias);
    fmpq_poly_add(q + NTK_E_KWKB, q + NTK_E_KWKB, t);
    fmpq_poly_scalar_mul_si(t, q + NTK_E_KWKB, 2);
    fmpq_poly_add(q + NTK_E_K2, q + NTK_E_KW2, t);
    fmpq_poly_add(q + NTK_E_K2, q + NTK_E_K2, q + NTK_E_KB2);
    fmpq_poly_mul(t, q + NTK_E_K, q + NTK_E_K);
    fmpq_poly_sub(q + NTK_VAR_K, q + NTK_E_K2, t);
    /* E[dK]/lambda = -2 E[N g] = -2 (D_ww + 2 D_wb), D_bb = 0 */
    poly_set_term(q + NTK_E_DWW, v + TERM_DWW, 2);
    poly_set_term(q + NTK_E_DWB, v + TERM_DWB, 1);
    fmpq_poly_scalar_mul_si(t, q + NTK_E_DWB, 2);
    fmpq_poly_add(q + NTK_E_DK, q + NTK_E_DWW, t);
    fmpq_poly_scalar_mul_si(q + NTK_E_DK, q + NTK_E_DK, -2);
    poly_set_term(q + NTK_E_N2, v + TERM_N2, 1);
    poly_set_term(q + NTK_E_N4, v + TERM_N4, 2);
    fmpq_poly_clear(t);
}

/* sum_{i=1}^{d-1} n_i: the bits of the exact dead-layer factors. */
static double
dead_layer_bits(const ntk_profile_t p)
{
    double bits = 0;
    slong r, i = 0;
    for (r = 0; r < p->n_runs; r++)
    {
        slong lo = FLINT_MAX(i, 1), hi = FLINT_MIN(i + p->count[r], p->depth);
        if (hi > lo)
            bits += (double) (hi - lo) * (double) p->width[r];
        i += p->count[r];
    }
    return bits;
}

int
ntk_moments_fits(const ntk_profile_t p, const ntk_options_t opt)
{
    return !opt->bias || opt->precision > 0 || dead_layer_bits(p) <= (double) NTK_DEAD_BITS_MAX;
}

ntk_status_t
ntk_moments_compute(ntk_moments_t m, const ntk_profile_t p,
                    const ntk_options_t opt, ntk_error_t * err)
{
    fmpq * value;
    fmpq_poly_struct zero[NTK_N_QUANTITIES];
    ntk_status_t status;
    int q;
    if (p->depth < 1)
        return ntk_error_set(err, NTK_ERR_RANGE, "the width profile is not set");
    if ((status = ntk_options_validate(opt, err)) != NTK_OK)
        return status;
    if (!ntk_moments_fits(p, opt))
        return ntk_error_set(err, NTK_ERR_TOO_LARGE,
            "the exact dead-layer factors prod (1 - 2^-n_i) need %.3g bits (sum of the hidden widths), more than 2^31; use --no-bias or --precision",
            dead_layer_bits(p));
    value = _fmpq_vec_init(N_TERMS);
    status = terms_compute(value, p, opt);
    if (status == NTK_OK)
    {
        moments_assemble(m->poly, value, opt->bias ? 1 : 0);
        for (q = 0; q < NTK_N_QUANTITIES; q++)
            fmpq_poly_init(zero + q);
        for (q = 0; q < N_TERMS; q++)
            fmpq_zero(value + q);
        moments_assemble(zero, value, opt->bias ? 1 : 0);
        for (q = 0; q < NTK_N_QUANTITIES; q++)
        {
            fmpq_poly_get_coeff_fmpq(m->at_zero + q, zero + q, 0);
            fmpq_poly_clear(zero + q);
        }
    }
    else
        ntk_error_set(err, status, "the computation was interrupted");
    _fmpq_vec_clear(value, N_TERMS);
    return status;
}

void
ntk_moments_eval(fmpq_t res, const ntk_moments_t m, ntk_quantity_t q,
                 const fmpq_t x2)
{
    if (fmpq_is_zero(x2))
        fmpq_set(res, m->at_zero + q);
    else
        fmpq_poly_evaluate_fmpq(res, m->poly + q, x2);
}

slong
ntk_moments_digits(const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2,
                   slong precision)
{
    slong digits = (slong) (precision * 0.30102999566398120);
    if (precision == 0)
        return 0;
    if (q == NTK_VAR_K)
    {
        /* Var = E[K^2] - E[K]^2 loses log10((E[K^2] + E[K]^2) / Var) digits */
        fmpq_t a, b, v;
        double ratio;
        fmpq_init(a); fmpq_init(b); fmpq_init(v);
        ntk_moments_eval(a, m, NTK_E_K, x2);
        fmpq_mul(a, a, a);
        ntk_moments_eval(b, m, NTK_E_K2, x2);
        fmpq_add(a, a, b);
        ntk_moments_eval(v, m, NTK_VAR_K, x2);
        if (fmpq_is_zero(v))
            ratio = fmpq_is_zero(a) ? 0.0 : 1e300;
        else
        {
            mpfr_t r;
            mpfr_init2(r, 64);
            fmpq_div(a, a, v);
            fmpq_abs(a, a);
            fmpq_get_mpfr(r, a, MPFR_RNDN);
            mpfr_log10(r, r, MPFR_RNDU);
            ratio = mpfr_get_d(r, MPFR_RNDU);
            mpfr_clear(r);
        }
        digits -= (slong) ceil(FLINT_MIN(ratio, 1e9));
        fmpq_clear(a); fmpq_clear(b); fmpq_clear(v);
    }
    return FLINT_MAX(digits, 0);
}

void
ntk_moments_assemble_formal(fmpq_poly_struct * out, const fmpq_poly_struct * term,
                            const fmpq_t x2, int bias)
{
    fmpq_poly_struct q[NTK_N_QUANTITIES], base[NTK_N_QUANTITIES];
    fmpq * v = _fmpq_vec_init(N_TERMS);
    fmpq_t c;
    slong j, len = 1;
    int k;
    fmpq_init(c);
    for (k = 0; k < NTK_N_QUANTITIES; k++)
    {
        fmpq_poly_init(q + k);
        fmpq_poly_init(base + k);
        fmpq_poly_zero(out + k);
    }
    for (k = 0; k < N_TERMS; k++)
        len = FLINT_MAX(len, fmpq_poly_length(term + k));
    /* the assembly is affine in the term values: the constants belong to q^0 */
    moments_assemble(base, v, bias);
    for (j = 0; j < len; j++)
    {
        for (k = 0; k < N_TERMS; k++)
            fmpq_poly_get_coeff_fmpq(v + k, term + k, j);
        moments_assemble(q, v, bias);
        for (k = 0; k < NTK_N_QUANTITIES; k++)
        {
            if (j > 0)
                fmpq_poly_sub(q + k, q + k, base + k);
            fmpq_poly_evaluate_fmpq(c, q + k, x2);
            fmpq_poly_set_coeff_fmpq(out + k, j, c);
        }
    }
    /* except Var_K = E[K^2] - E[K]^2, not affine */
    fmpq_poly_mul(q, out + NTK_E_K, out + NTK_E_K);
    fmpq_poly_sub(out + NTK_VAR_K, out + NTK_E_K2, q);
    for (k = 0; k < NTK_N_QUANTITIES; k++)
    {
        fmpq_poly_clear(q + k);
        fmpq_poly_clear(base + k);
    }
    _fmpq_vec_clear(v, N_TERMS);
    fmpq_clear(c);
}
