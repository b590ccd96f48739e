/* The C side of the Python overhead figure of bench/run.sh: what one call of
   ntkexact.moments costs without Python, i.e. parsing the profile, running
   ntk_moments_compute and evaluating the thirteen quantities at x2 = 1,
   averaged over a loop in one process.  Prints the seconds per call.
   Usage: moments_loop WIDTHS REPEATS THREADS */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "ntkexact.h"

static double
seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

/* One call as the Python package makes it; 0 on success. */
static int
one_call(const char * widths, int threads, fmpq * values)
{
    ntk_profile_t prof;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_moments_t m;
    ntk_error_t err;
    fmpq_t x2;
    int q, status;
    ntk_profile_init(prof); ntk_conv_init(conv); ntk_exec_init(exec); ntk_moments_init(m);
    fmpq_init(x2);
    fmpq_one(x2);
    exec->threads = threads;
    status = ntk_profile_set_str(prof, widths, &err);
    if (status == NTK_OK)
        status = ntk_moments_compute(m, prof, conv, exec, &err);
    for (q = 0; q < NTK_N_QUANTITIES && status == NTK_OK; q++)
        ntk_moments_eval(values + q, m, (ntk_quantity_t) q, x2);
    if (status != NTK_OK)
        fprintf(stderr, "moments_loop: %s\n", err.message);
    fmpq_clear(x2);
    ntk_moments_clear(m); ntk_exec_clear(exec); ntk_conv_clear(conv); ntk_profile_clear(prof);
    return status != NTK_OK;
}

int
main(int argc, char ** argv)
{
    fmpq * values;
    long repeats, k;
    int threads, failed = 0;
    double start;
    if (argc != 4 || (repeats = atol(argv[2])) < 1 || (threads = atoi(argv[3])) < 1)
    {
        fprintf(stderr, "usage: moments_loop WIDTHS REPEATS THREADS\n");
        return 2;
    }
    values = _fmpq_vec_init(NTK_N_QUANTITIES);
    failed = one_call(argv[1], threads, values);    /* warm up: caches, page faults */
    start = seconds();
    for (k = 0; k < repeats && !failed; k++)
        failed = one_call(argv[1], threads, values);
    if (!failed)
        printf("%.9f\n", (seconds() - start) / (double) repeats);
    _fmpq_vec_clear(values, NTK_N_QUANTITIES);
    flint_cleanup();
    return failed ? 1 : 0;
}
