/* The sampler in pieces (ntk_sample_plan, ntk_sample_run_chunks,
   ntk_sample_acc_merge, ntk_sample_acc_result): any split of the chunks
   into runs, on any number of threads, merged chunk by chunk in order,
   gives ntk_sample_run's result bit for bit; an interrupted run keeps its
   complete chunks, equal to the same chunks of a whole run; the ranges
   are checked.  (What the tool builds on for checkpoints and MPI ranks.) */

#include <string.h>
#include "ntkexact.h"
#include "tap.h"

typedef struct
{
    const char * widths;
    ntk_law_t law;
    ntk_sample_method_t method;
    slong samples;
}
case_t;

static const case_t cases[] = {
    { "10,100x100,1", NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, 3000 },        /* 15 chunks */
    { "3,5x4,1", NTK_LAW_UNIFORM, NTK_SAMPLE_FULL, 20000 },              /* chunks of 256 */
    { "3,4,1", NTK_LAW_GAUSSIAN, NTK_SAMPLE_PROJECTED, 1234567 },        /* 4088 chunks */
    { "2,3,1", NTK_LAW_GAUSSIAN, NTK_SAMPLE_FULL, 2 },                   /* one chunk */
};

/* The moments of chunks [c0, c1) on `threads` threads, merged into acc. */
static int
run_range(ntk_sample_acc_t * acc, const ntk_profile_t p, const ntk_conv_t conv, const fmpq_t x2,
          const case_t * c, slong c0, slong c1, int threads)
{
    ntk_sample_acc_t * part = flint_malloc(FLINT_MAX(c1 - c0, 1) * sizeof(ntk_sample_acc_t));
    ntk_exec_t exec;
    slong k;
    int ok;
    ntk_exec_init(exec);
    exec->threads = threads;
    ok = ntk_sample_run_chunks(part, p, conv, c->law, c->method, x2, c->samples, 99, c0, c1, exec,
                               NULL) == NTK_OK;
    for (k = 0; ok && k < c1 - c0; k++)
        ntk_sample_acc_merge(acc, part + k);
    ntk_exec_clear(exec);
    flint_free(part);
    return ok;
}

/* Deterministic pseudo-random split points. */
/* Bit for bit, field by field: the struct has padding after method, which
   memcmp would compare too. */
static int
same_result(const ntk_sample_result_t * a, const ntk_sample_result_t * b)
{
    return a->samples == b->samples && a->method == b->method
           && memcmp(a->mean, b->mean, sizeof(a->mean)) == 0
           && memcmp(a->std_error, b->std_error, sizeof(a->std_error)) == 0;
}

static ulong
next_rand(ulong * s)
{
    *s = *s * UWORD(6364136223846793005) + UWORD(1442695040888963407);
    return *s >> 33;
}

static void
check_case(const case_t * c)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_sample_plan_t plan;
    ntk_sample_result_t whole, pieces;
    ntk_sample_acc_t acc;
    fmpq_t x2;
    slong k, at, total = 0;
    ulong seed = 12345;
    int ok = 1, split;
    ntk_profile_init(p);
    ntk_conv_init(conv);
    ntk_exec_init(exec);
    fmpq_init(x2);
    fmpq_one(x2);
    ntk_profile_set_str(p, c->widths, NULL);
    if (c->law == NTK_LAW_UNIFORM)
        fmpq_set_si(conv->mu4, 9, 5);
    exec->threads = 2;
    ok = ntk_sample_plan(&plan, p, conv, c->law, c->method, x2, c->samples, NULL) == NTK_OK;
    tap_ok(ok && plan.method != NTK_SAMPLE_AUTO && plan.n_chunks >= 1 && plan.n_chunks <= 4096,
           "%s, %ld samples: %ld chunks of %ld (%s)", c->widths, (long) c->samples,
           (long) plan.n_chunks, (long) plan.chunk_size, ntk_sample_method_name(plan.method));
    for (k = 0; k < plan.n_chunks; k++)
        total += ntk_sample_chunk_length(&plan, k);
    tap_ok(total == c->samples && ntk_sample_chunk_length(&plan, -1) == 0
           && ntk_sample_chunk_length(&plan, plan.n_chunks) == 0,
           "%s: the chunks hold every sample once", c->widths);
    ntk_sample_run(&whole, p, conv, c->law, c->method, x2, c->samples, 99, exec, NULL);
    /* split 0: every chunk alone, one thread; then random runs, 1 to 3 threads */
    for (split = 0; split < 4 && ok; split++)
    {
        ntk_sample_acc_zero(&acc);
        for (at = 0; at < plan.n_chunks && ok; )
        {
            slong len = split == 0 ? 1 : 1 + (slong) (next_rand(&seed) % (ulong) FLINT_MAX(1, plan.n_chunks / 3));
            slong end = FLINT_MIN(plan.n_chunks, at + len);
            ok = run_range(&acc, p, conv, x2, c, at, end, split == 0 ? 1 : 1 + split % 3);
            at = end;
        }
        ok = ok && ntk_sample_acc_result(&pieces, &acc, plan.method, NULL) == NTK_OK
             && same_result(&pieces, &whole);
    }
    tap_ok(ok, "%s: chunk by chunk and in random runs on 1..3 threads, merged in order: "
           "ntk_sample_run's result bit for bit", c->widths);
    ntk_exec_clear(exec);
    ntk_conv_clear(conv);
    ntk_profile_clear(p);
    fmpq_clear(x2);
}

/* Stops the run after `limit` samples. */
static int
stop_after(void * data, slong done, slong total)
{
    return done >= *(slong *) data;
}

static void
check_interrupted(void)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_sample_plan_t plan;
    ntk_sample_acc_t * all, * cut;
    ntk_error_t err;
    fmpq_t x2;
    slong limit = 700, k, complete = 0;
    int same = 1, status;
    ntk_profile_init(p);
    ntk_conv_init(conv);
    ntk_exec_init(exec);
    fmpq_init(x2);
    fmpq_one(x2);
    ntk_profile_set_str(p, "10,100x100,1", NULL);
    ntk_sample_plan(&plan, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 5000, NULL);
    all = flint_malloc(plan.n_chunks * sizeof(ntk_sample_acc_t));
    cut = flint_malloc(plan.n_chunks * sizeof(ntk_sample_acc_t));
    exec->threads = 2;
    ntk_sample_run_chunks(all, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 5000, 1, 0,
                          plan.n_chunks, exec, NULL);
    exec->progress = stop_after;
    exec->progress_data = &limit;
    status = ntk_sample_run_chunks(cut, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 5000, 1, 0,
                                   plan.n_chunks, exec, &err);
    for (k = 0; k < plan.n_chunks; k++)
        if (cut[k].q[0].n == (double) ntk_sample_chunk_length(&plan, k))
        {
            complete++;
            same = same && memcmp(cut + k, all + k, sizeof(ntk_sample_acc_t)) == 0;
        }
    tap_ok(status == NTK_ERR_INTERRUPTED && complete >= 1 && complete < plan.n_chunks && same,
           "stopped after %ld samples: NTK_ERR_INTERRUPTED, %ld of %ld chunks complete, each equal "
           "to the whole run's", (long) limit, (long) complete, (long) plan.n_chunks);
    exec->progress = NULL;
    tap_ok(ntk_sample_run_chunks(cut, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 5000, 1, 2, 1,
                                 exec, &err) == NTK_ERR_RANGE && strcmp(err.param, "chunks") == 0
           && ntk_sample_run_chunks(cut, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 5000, 1, 0,
                                    plan.n_chunks + 1, exec, &err) == NTK_ERR_RANGE
           && ntk_sample_run_chunks(cut, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 5000, 1, -1,
                                    1, exec, &err) == NTK_ERR_RANGE
           && ntk_sample_run_chunks(NULL, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 5000, 1, 3,
                                    3, exec, &err) == NTK_OK
           && ntk_sample_run_chunks(cut, p, conv, NTK_LAW_UNIFORM, NTK_SAMPLE_PROJECTED, x2, 5000, 1,
                                    0, 1, exec, &err) == NTK_ERR_RANGE
           && strcmp(err.param, "method") == 0,
           "ranges out of the plan are NTK_ERR_RANGE (\"chunks\"), an empty one does nothing, and "
           "the arguments are checked as by ntk_sample_run");
    {
        ntk_sample_acc_t one;
        ntk_sample_result_t res;
        ntk_sample_acc_zero(&one);
        ntk_sample_acc_merge(&one, all);
        tap_ok(ntk_sample_acc_result(&res, &one, plan.method, NULL) == NTK_OK
               && res.samples == ntk_sample_chunk_length(&plan, 0),
               "the result of one chunk counts its samples");
        ntk_sample_acc_zero(&one);
        tap_ok(ntk_sample_acc_result(&res, &one, plan.method, &err) == NTK_ERR_RANGE,
               "the result of no sample is NTK_ERR_RANGE");
    }
    flint_free(all);
    flint_free(cut);
    ntk_exec_clear(exec);
    ntk_conv_clear(conv);
    ntk_profile_clear(p);
    fmpq_clear(x2);
}

int
main(void)
{
    size_t k;
    for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        check_case(cases + k);
    check_interrupted();
    flint_cleanup();
    return tap_done();
}
