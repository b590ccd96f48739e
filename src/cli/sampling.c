/* The sampler across the ranks of the job, in rounds, with checkpoints
   (sampling.h). */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "checkpoint.h"
#include "dist.h"
#include "sampling.h"

/* A chunk's moments (or a two-input chunk's sums) travel as doubles. */
#define ACC_DOUBLES ((int) (sizeof(ntk_sample_acc_t) / sizeof(double)))
#define PAIR_DOUBLES ((int) (sizeof(ntk_sample_pair_acc_t) / sizeof(double)))

static int
acc_doubles(const cli_sampling_t * s)
{
    return s->pair ? PAIR_DOUBLES : ACC_DOUBLES;
}

/* What rank 0 says at the start of a round. */
typedef struct
{
    int64_t begin, end;     /* the chunks of the round */
    int64_t stop;           /* the signal that ends the run, or 0 */
}
round_t;

/* The progress of the whole job, from this rank's share of a round. */
typedef struct
{
    cli_progress_t * pr;    /* NULL on the ranks other than 0 */
    slong before, total;    /* samples done before the round; in the run */
    slong round_end;        /* samples done at the end of the round */
    double scale;           /* the round's samples per sample of this rank's share */
}
job_progress_t;

/* Rank 0 sees its own share only: the whole job's progress is its share's
   scaled to the round, short of the round's end until every rank is done. */
static int
job_progress(void * data, slong done, slong total)
{
    job_progress_t * jp = data;
    slong all = jp->before + (slong) ((double) done * jp->scale);
    if (jp->pr != NULL)
        cli_progress_update(jp->pr, FLINT_MIN(all, jp->round_end - 1), jp->total);
    return cli_interrupted();
}

double
cli_parse_seconds(const char * arg, const char * flag)
{
    char * end;
    double s = strtod(arg, &end);
    /* strtod would also take spaces, "inf" and hex: the grammar is decimal */
    if (!((*arg >= '0' && *arg <= '9') || *arg == '.') || *end != '\0' || !(s > 0)
        || !(s <= 1e9) || strspn(arg, "0123456789.eE+-") != strlen(arg))
        cli_die("%s '%s' is not a positive number of seconds (at most 1e9)", flag, arg);
    return s;
}

/* The keys of the run, as the checkpoint records them. */
static void
sampling_keys(cli_checkpoint_t * ck, const cli_sampling_t * s, const ntk_sample_plan_t * plan)
{
    const ntk_conv_struct * c = s->cli->conv;
    char * t, num[32];
    t = ntk_profile_get_str(s->profile);
    cli_checkpoint_key(ck, "widths", "--widths", t);
    flint_free(t);
    t = ntk_rational_get_str(s->cli->x2);
    cli_checkpoint_key(ck, "x2", "--x2", t);
    flint_free(t);
    if (s->pair)
    {
        t = ntk_rational_get_str(s->cli->y2);
        cli_checkpoint_key(ck, "y2", "--y2", t);
        flint_free(t);
        t = ntk_rational_get_str(s->cli->xy);
        cli_checkpoint_key(ck, "xy", "--xy", t);
        flint_free(t);
    }
    t = ntk_conv_get_activation_str(c);
    cli_checkpoint_key(ck, "activation", "--activation", t);
    flint_free(t);
    t = ntk_rational_get_str(c->cw_hidden);
    cli_checkpoint_key(ck, "cw_hidden", "--cw-hidden", t);
    flint_free(t);
    t = ntk_rational_get_str(c->cw_output);
    cli_checkpoint_key(ck, "cw_output", "--cw-output", t);
    flint_free(t);
    cli_checkpoint_key(ck, "param", "--param", c->param == NTK_PARAM_NTK ? "ntk" : "standard");
    cli_checkpoint_key(ck, "bias", "--no-bias", c->bias ? "true" : "false");
    cli_checkpoint_key(ck, "law", "--law or --mu4", ntk_law_name(s->cli->law));
    cli_checkpoint_key(ck, "method", "--method", ntk_sample_method_name(plan->method));
    snprintf(num, sizeof(num), "%lu", (unsigned long) s->seed);
    cli_checkpoint_key(ck, "seed", "--seed", num);
    snprintf(num, sizeof(num), "%ld", (long) s->samples);
    cli_checkpoint_key(ck, "samples", "--samples", num);
}

/* This rank's chunks of the round: a contiguous share. */
static void
round_share(slong * lo, slong * hi, const round_t * r, int rank, int size)
{
    slong n = (slong) (r->end - r->begin);
    *lo = (slong) r->begin + n * rank / size;
    *hi = (slong) r->begin + n * (rank + 1) / size;
}

/* Runs this rank's share of the round into mine (then its signal, if any,
   as one more double). */
static void
round_compute(double * mine, const cli_sampling_t * s, const round_t * r,
              const ntk_sample_plan_t * plan, slong before, cli_progress_t * pr)
{
    ntk_exec_t exec;
    ntk_error_t err;
    ntk_status_t status;
    job_progress_t jp;
    slong lo, hi, own;
    round_share(&lo, &hi, r, cli_dist_rank(), cli_dist_size());
    own = FLINT_MIN(plan->samples, hi * plan->chunk_size) - lo * plan->chunk_size;
    jp.pr = cli_dist_rank() == 0 ? pr : NULL;
    jp.before = before;
    jp.total = plan->samples;
    jp.round_end = FLINT_MIN(plan->samples, r->end * plan->chunk_size);
    jp.scale = own > 0 ? (double) (FLINT_MIN(plan->samples, r->end * plan->chunk_size)
                                   - r->begin * plan->chunk_size) / (double) own : 1.0;
    ntk_exec_init(exec);
    exec->threads = s->cli->exec->threads;
    exec->progress = job_progress;
    exec->progress_data = &jp;
    if (s->pair)
        status = ntk_sample_pair_run_chunks((ntk_sample_pair_acc_t *) mine, s->profile,
                                            s->cli->conv, s->cli->law, s->method, s->cli->x2,
                                            s->cli->y2, s->cli->xy, s->samples, s->seed, lo, hi,
                                            exec, &err);
    else
        status = ntk_sample_run_chunks((ntk_sample_acc_t *) mine, s->profile, s->cli->conv,
                                       s->cli->law, s->method, s->cli->x2, s->samples, s->seed,
                                       lo, hi, exec, &err);
    ntk_exec_clear(exec);
    if (status != NTK_OK && status != NTK_ERR_INTERRUPTED)
        cli_fail(&err, NULL);
    mine[(hi - lo) * acc_doubles(s)] = (double) cli_interrupt_signal();
}

/* On rank 0: merges the complete chunks of the gathered round in order
   into ck; returns the signal that any rank received, or 0. */
static int
round_merge(cli_checkpoint_t * ck, const cli_sampling_t * s, const double * all,
            const round_t * r, int size)
{
    slong c = (slong) r->begin, lo, hi;
    int rank, sig = 0, complete = 1;
    for (rank = 0; rank < size; rank++)
    {
        round_share(&lo, &hi, r, rank, size);
        for (c = lo; c < hi; c++, all += acc_doubles(s))
        {
            const ntk_sample_acc_t * acc = (const ntk_sample_acc_t *) all;
            const ntk_sample_pair_acc_t * pacc = (const ntk_sample_pair_acc_t *) all;
            complete = complete && (s->pair ? pacc->n : acc->q[0].n)
                                   == (double) ntk_sample_chunk_length(&ck->plan, c);
            if (!complete)
                continue;
            if (s->pair)
                ntk_sample_pair_acc_merge(&ck->pair_acc, pacc);
            else
                ntk_sample_acc_merge(&ck->acc, acc);
            if (s->blocks != NULL)
                ntk_sample_acc_merge(s->blocks + ntk_check_median_block(s->median, c), acc);
            ck->next = c + 1;
        }
        sig = FLINT_MAX(sig, (int) all[0]);     /* the rank's signal */
        all++;
    }
    return sig;
}

/* Rank 0: the next round, of about `every` seconds at the rate so far. */
static void
round_next(round_t * r, const cli_sampling_t * s, const cli_checkpoint_t * ck, slong * size,
           int stop)
{
    r->begin = ck->next;
    r->stop = stop;
    r->end = s->checkpoint == NULL ? ck->plan.n_chunks
                                   : FLINT_MIN(ck->plan.n_chunks, ck->next + *size);
}

static void
round_resize(slong * size, double seconds, slong chunks, double every)
{
    double want = seconds > 0 ? (double) chunks / seconds * every : 4.0 * (double) *size;
    *size = (slong) FLINT_MAX(1.0, FLINT_MIN(want, 4.0 * (double) *size));
    *size = FLINT_MAX(*size, cli_dist_size());
}

/* Rank 0: the checkpoint of this run, resumed from FILE when it exists. */
static void
sampling_resume(cli_checkpoint_t * ck, const cli_sampling_t * s)
{
    if (s->checkpoint == NULL || cli_dist_rank() != 0)
        return;
    sampling_keys(ck, s, &ck->plan);
    if (!cli_checkpoint_load(ck, s->checkpoint))
        cli_checkpoint_save(ck, s->checkpoint);     /* a path that cannot be written fails now */
}

static void
sampling_interrupted(const cli_sampling_t * s, const cli_checkpoint_t * ck, int sig)
{
    if (cli_dist_rank() == 0)
        fprintf(stderr, "\nntkexact: %s; the checkpoint %s holds %ld of the %ld samples: the "
                "same command resumes the run\n", sig == 2 ? "interrupted" : "terminated",
                s->checkpoint, (long) cli_checkpoint_samples(ck), (long) s->samples);
    cli_dist_finalize();
    exit(128 + sig);
}

/* The rounds of the run, from the checkpoint's state (sampling.h): on
   rank 0 ck then holds every chunk's moments (ends the program when
   stopped by a signal). */
static void
sampling_rounds(cli_checkpoint_t * ck, const cli_sampling_t * s, cli_progress_t * pr)
{
    round_t r;
    int size = cli_dist_size(), rank = cli_dist_rank(), * counts, k, sig = 0;
    int per = acc_doubles(s);
    double * mine = NULL, * all = NULL, last_save;
    slong round_size, n_chunks = ck->plan.n_chunks;
    sampling_resume(ck, s);
    if (s->checkpoint != NULL)
        cli_signals_defer();    /* a signal stops the round; the checkpoint is saved */
    cli_dist_work();
    pr->base = cli_checkpoint_samples(ck);
    round_size = (slong) size * s->cli->exec->threads;
    counts = flint_malloc(size * sizeof(int));
    last_save = cli_seconds();
    for (;;)
    {
        double start = cli_seconds();
        slong lo, hi;
        if (rank == 0)
            round_next(&r, s, ck, &round_size, sig);
        cli_dist_bcast(&r, sizeof(r));
        if (r.stop != 0 || r.begin >= n_chunks)
            break;
        for (k = 0; k < size; k++)
        {
            round_share(&lo, &hi, &r, k, size);
            counts[k] = (int) (hi - lo) * per + 1;
        }
        mine = flint_realloc(mine, counts[rank] * sizeof(double));
        if (rank == 0)
            all = flint_realloc(all, ((r.end - r.begin) * per + size) * sizeof(double));
        round_compute(mine, s, &r, &ck->plan, cli_checkpoint_samples(ck), pr);
        cli_dist_gather(all, mine, counts);
        if (rank != 0)
            continue;
        sig = round_merge(ck, s, all, &r, size);
        cli_progress_update(pr, cli_checkpoint_samples(ck), ck->plan.samples);
        round_resize(&round_size, cli_seconds() - start, (slong) (r.end - r.begin), s->every);
        if (s->checkpoint != NULL && (sig != 0 || ck->next == n_chunks
                                      || cli_seconds() - last_save >= s->every))
        {
            cli_checkpoint_save(ck, s->checkpoint);
            last_save = cli_seconds();
        }
    }
    flint_free(mine);
    flint_free(all);
    flint_free(counts);
    if (r.stop != 0)
        sampling_interrupted(s, ck, (int) r.stop);
}

void
cli_sampling_run(ntk_sample_result_t * res, const cli_sampling_t * s, cli_progress_t * pr)
{
    ntk_sample_plan_t plan;
    cli_checkpoint_t ck;
    ntk_error_t err;
    if (ntk_sample_plan(&plan, s->profile, s->cli->conv, s->cli->law, s->method, s->cli->x2,
                        s->samples, &err) != NTK_OK)
        cli_fail(&err, NULL);
    cli_checkpoint_init(&ck, &plan, 0);
    sampling_rounds(&ck, s, pr);
    if (cli_dist_rank() == 0 && ntk_sample_acc_result(res, &ck.acc, plan.method, &err) != NTK_OK)
        cli_fail(&err, NULL);
    cli_checkpoint_clear(&ck);
}

void
cli_sampling_run_pair(ntk_sample_pair_result_t * res, const cli_sampling_t * s,
                      cli_progress_t * pr)
{
    ntk_sample_plan_t plan;
    cli_checkpoint_t ck;
    ntk_error_t err;
    if (ntk_sample_pair_plan(&plan, s->profile, s->cli->conv, s->cli->law, s->method, s->cli->x2,
                             s->cli->y2, s->cli->xy, s->samples, &err) != NTK_OK)
        cli_fail(&err, NULL);
    cli_checkpoint_init(&ck, &plan, 1);
    sampling_rounds(&ck, s, pr);
    if (cli_dist_rank() == 0
        && ntk_sample_pair_acc_result(res, &ck.pair_acc, plan.method, &err) != NTK_OK)
        cli_fail(&err, NULL);
    cli_checkpoint_clear(&ck);
}
