/* The processes of a job as MPI ranks (see dist.h); built by configure
   --with-mpi, in place of dist_none.c. */

#define _GNU_SOURCE     /* sched_getaffinity */
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mpi.h>
#include "cli.h"
#include "dist.h"

static int dist_on = 0, dist_rank = 0, dist_size = 1, dist_local = 1, dist_working = 0;

/* The variables that MPI launchers set in the processes they start: Open
   MPI's mpirun, PMIx (srun --mpi=pmix), PMI/PMI2 (MPICH's hydra, srun). */
static const char * const launcher_rank[] = { "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK" };

/* This process's rank as the launcher says, or -1 when no launcher started it. */
static long
launched_rank(void)
{
    int k;
    for (k = 0; k < 3; k++)
        if (getenv(launcher_rank[k]) != NULL)
            return atol(getenv(launcher_rank[k]));
    return -1;
}

void
cli_dist_init(int * argc, char *** argv, int divides)
{
    int provided;
    MPI_Comm node;
    long rank = launched_rank();
    if (rank < 0)
        return;
    if (!divides)
    {
        if (rank > 0)
            exit(0);
        return;
    }
    /* only the main thread calls MPI: the library's threads never do */
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    dist_on = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &dist_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &dist_size);
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    MPI_Comm_size(node, &dist_local);
    MPI_Comm_free(&node);
    /* results are rank 0's to write */
    if (dist_rank != 0 && freopen("/dev/null", "w", stdout) == NULL)
    {
        fprintf(stderr, "ntkexact: rank %d of %d: cannot open /dev/null\n", dist_rank, dist_size);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
}

int
cli_dist_rank(void)
{
    return dist_rank;
}

int
cli_dist_size(void)
{
    return dist_size;
}

int
cli_dist_threads(void)
{
    cpu_set_t set;
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    int cpus;
    if (!dist_on)
        return 0;
    if (sched_getaffinity(0, sizeof(set), &set) != 0 || (cpus = CPU_COUNT(&set)) < 1)
        cpus = (int) FLINT_MAX(online, 1);
    /* a rank bound to its own cores uses them all; unbound ranks share the node */
    if (cpus >= online && dist_local > 1)
        cpus = FLINT_MAX(1, cpus / dist_local);
    return FLINT_MIN(cpus, NTK_THREADS_MAX);
}

/* Rank 0's word before the work: 0 (go), or the status the job ends with. */
static int
dist_word(int status)
{
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return status;
}

void
cli_dist_work(void)
{
    if (dist_on && dist_size > 1 && !dist_working)
    {
        int status = dist_word(0);
        if (status != 0)
        {
            /* rank 0 has said why */
            MPI_Finalize();
            exit(status);
        }
    }
    dist_working = 1;
}

int
cli_dist_silent(void)
{
    return dist_on && dist_rank != 0 && !dist_working;
}

const char *
cli_dist_who(void)
{
    static char who[64];
    if (!dist_on || dist_rank == 0)
        return "";
    snprintf(who, sizeof(who), "rank %d of %d: ", dist_rank, dist_size);
    return who;
}

void
cli_dist_exit(int status)
{
    fflush(stdout);
    fflush(stderr);
    if (dist_on && dist_size > 1 && !dist_working)
    {
        /* before the work: rank 0 tells the others, who are waiting for its
           word (in cli_dist_work, or here with the same error) */
        int word;
        signal(SIGTERM, SIG_DFL);   /* the launcher's SIGTERM ends a rank without a word */
        signal(SIGINT, SIG_DFL);
        word = dist_word(dist_rank == 0 ? status : 0);
        if (dist_rank == 0 || word != 0)
        {
            MPI_Finalize();
            exit(dist_rank == 0 ? status : word);
        }
        /* rank 0 said go: an error of this rank alone (it should not be):
           the launcher ends the job */
    }
    /* without MPI_Finalize: the launcher ends every rank */
    exit(status);
}

void
cli_dist_finalize(void)
{
    if (dist_on)
        MPI_Finalize();
    dist_on = 0;
}

void
cli_dist_bcast(void * buf, size_t bytes)
{
    if (dist_size > 1)
        MPI_Bcast(buf, (int) bytes, MPI_BYTE, 0, MPI_COMM_WORLD);
}

void
cli_dist_gather(double * all, const double * mine, const int * counts)
{
    int * displ, r;
    if (dist_size == 1)
    {
        if (all != mine)
            memmove(all, mine, (size_t) counts[0] * sizeof(double));
        return;
    }
    displ = flint_malloc(dist_size * sizeof(int));
    displ[0] = 0;
    for (r = 1; r < dist_size; r++)
        displ[r] = displ[r - 1] + counts[r - 1];
    MPI_Gatherv(mine, counts[dist_rank], MPI_DOUBLE, all, counts, displ, MPI_DOUBLE, 0,
                MPI_COMM_WORLD);
    flint_free(displ);
}

/* Blocks longer than an int can count go in pieces of 2^30 bytes. */
#define PIECE (WORD(1) << 30)

void
cli_dist_send(const char * buf, size_t bytes)
{
    uint64_t len = bytes;
    size_t at;
    MPI_Send(&len, 1, MPI_UINT64_T, 0, 0, MPI_COMM_WORLD);
    for (at = 0; at < bytes; at += PIECE)
        MPI_Send(buf + at, (int) FLINT_MIN((size_t) PIECE, bytes - at), MPI_BYTE, 0, 0,
                 MPI_COMM_WORLD);
}

char *
cli_dist_recv(int from, size_t * bytes)
{
    uint64_t len;
    size_t at;
    char * buf;
    MPI_Recv(&len, 1, MPI_UINT64_T, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if ((buf = malloc(FLINT_MAX(len, 1))) == NULL)
    {
        fprintf(stderr, "ntkexact: out of memory for a message of %llu bytes\n",
                (unsigned long long) len);
        MPI_Abort(MPI_COMM_WORLD, 3);
    }
    for (at = 0; at < len; at += PIECE)
        MPI_Recv(buf + at, (int) FLINT_MIN((size_t) PIECE, len - at), MPI_BYTE, from, 0,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    *bytes = len;
    return buf;
}
