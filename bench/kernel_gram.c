/* The Gram-matrix figure of bench/run.sh: the infinite-width NTK of m inputs
   (m x m entries, every digit certified) by ntk_kernel_gram_get_strs.  The
   inputs are m fixed pseudo-random vectors of small integers in Z^n0, so
   that their Gram entries are exact integers; prints the seconds, and one
   entry to show the digits.
   Usage: kernel_gram WIDTHS M DIGITS THREADS */

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

int
main(int argc, char ** argv)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_error_t err;
    fmpq * gram;
    char ** theta;
    long * x;
    slong m, digits, i, j, k, n0;
    double t;
    ulong state = 12345;
    int status;
    if (argc != 5)
    {
        fprintf(stderr, "usage: kernel_gram WIDTHS M DIGITS THREADS\n");
        return 2;
    }
    ntk_profile_init(p);
    ntk_conv_init(conv);
    ntk_exec_init(exec);
    if (ntk_profile_set_str(p, argv[1], &err) != NTK_OK)
    {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    m = atol(argv[2]);
    digits = atol(argv[3]);
    exec->threads = atoi(argv[4]);
    n0 = (slong) ntk_profile_width(p, 0);
    x = flint_malloc(m * n0 * sizeof(long));
    for (i = 0; i < m * n0; i++)
    {
        state = state * 6364136223846793005UL + 1442695040888963407UL;
        x[i] = (long) ((state >> 33) % 7) - 3;
    }
    gram = _fmpq_vec_init(m * m);
    for (i = 0; i < m; i++)
        for (j = 0; j < m; j++)
        {
            long s = 0;
            for (k = 0; k < n0; k++)
                s += x[i * n0 + k] * x[j * n0 + k];
            fmpq_set_si(gram + i * m + j, s, 1);
        }
    theta = flint_malloc(m * m * sizeof(char *));
    t = seconds();
    status = ntk_kernel_gram_get_strs(theta, NULL, gram, m, p, conv, digits, exec, &err);
    t = seconds() - t;
    if (status != NTK_OK)
    {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    printf("%.3f s; Theta(x_0, x_1) = %s\n", t, m > 1 ? theta[1] : theta[0]);
    for (i = 0; i < m * m; i++)
        flint_free(theta[i]);
    flint_free(theta);
    flint_free(x);
    _fmpq_vec_clear(gram, m * m);
    ntk_exec_clear(exec);
    ntk_conv_clear(conv);
    ntk_profile_clear(p);
    flint_cleanup();
    return 0;
}
