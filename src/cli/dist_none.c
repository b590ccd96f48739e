/* The job as this one process (see dist.h): the build without MPI. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "dist.h"

/* The number of ranks and this one's, when an MPI launcher started us. */
static long
launcher_value(const char * open_mpi, const char * pmi)
{
    const char * s = getenv(open_mpi);
    if (s == NULL)
        s = getenv(pmi);
    return s == NULL ? -1 : atol(s);
}

void
cli_dist_init(int * argc, char *** argv, int divides)
{
    long size = launcher_value("OMPI_COMM_WORLD_SIZE", "PMI_SIZE");
    long rank = launcher_value("OMPI_COMM_WORLD_RANK", "PMI_RANK");
    if (size > 1 && !divides && rank > 0)
        exit(0);
    /* P copies of the same computation, each writing the same output, help nobody */
    if (size > 1 && divides)
    {
        if (rank == 0)
            fprintf(stderr, "ntkexact: started as %ld MPI ranks, but this ntkexact was built "
                    "without MPI (configure --with-mpi, with the Debian packages openmpi-bin "
                    "libopenmpi-dev)\n", size);
        exit(2);
    }
}

int
cli_dist_rank(void)
{
    return 0;
}

int
cli_dist_size(void)
{
    return 1;
}

int
cli_dist_threads(void)
{
    return 0;
}

void
cli_dist_work(void)
{
}

int
cli_dist_silent(void)
{
    return 0;
}

const char *
cli_dist_who(void)
{
    return "";
}

void
cli_dist_exit(int status)
{
    exit(status);
}

void
cli_dist_finalize(void)
{
}

void
cli_dist_bcast(void * buf, size_t bytes)
{
}

void
cli_dist_gather(double * all, const double * mine, const int * counts)
{
    if (all != mine)
        memmove(all, mine, (size_t) counts[0] * sizeof(double));
}

void
cli_dist_send(const char * buf, size_t bytes)
{
    fprintf(stderr, "ntkexact: internal error: a message to rank 0 without MPI\n");
    abort();
}

char *
cli_dist_recv(int from, size_t * bytes)
{
    fprintf(stderr, "ntkexact: internal error: a message from rank %d without MPI\n", from);
    abort();
}
