/* The processes of a job.  Started by an MPI launcher (mpirun, srun) and
   built with MPI (configure --with-mpi), ntkexact runs as the ranks of
   MPI_COMM_WORLD: sample, check and table divide their work among them,
   every other command runs on rank 0 alone, and only rank 0 writes to
   stdout (the others' stdout is /dev/null) and shows progress.  Otherwise,
   and always in a build without MPI (dist_none.c), the job is this one
   process, rank 0 of 1, and nothing here costs anything.  MPI is only ever
   called from the main thread (MPI_THREAD_FUNNELED): the library's worker
   threads never see it.

   Errors: every rank checks the options alike, so until cli_dist_work()
   the ranks other than 0 leave the message of an error to rank 0 (which
   finds the same one) and exit silently; rank 0 alone checks what only it
   touches (the checkpoint, --output FILE, table --resume), while the others
   wait in cli_dist_work() for its word: go, or the status it ends with,
   which they then end with too, without a word.  From then on any rank
   reports its own errors, prefixed with "rank R of P".  A rank that exits
   with a non-zero status, or dies, makes the launcher end the whole job
   (MPI's default error handler aborts the job on a failed call): no rank is
   left waiting; and only rank 0 says "interrupted" or "terminated" when the
   launcher's signal ends the ranks, so that a job ends with one message. */

#ifndef NTK_CLI_DIST_H
#define NTK_CLI_DIST_H

#include <stddef.h>

/* Launched as ranks, for a command that divides its work (`divides`):
   starts MPI, or in a build without MPI ends with a message instead of
   running the same computation P times.  For any other command the ranks
   other than 0 end at once (status 0) and rank 0 runs it alone, without
   MPI. */
void cli_dist_init(int * argc, char *** argv, int divides);

int cli_dist_rank(void);
int cli_dist_size(void);

/* The default --threads under MPI: the CPUs this rank may run on, shared
   with the ranks of its node (0: no MPI, the caller's default). */
int cli_dist_threads(void);

/* The checks of the options are over: errors are now each rank's own.
   Every rank calls it (rank 0 once its own checks have passed): the others
   wait there for rank 0. */
void cli_dist_work(void);

/* Non-zero on a rank other than 0 before cli_dist_work(): an error message
   there is rank 0's to print. */
int cli_dist_silent(void);

/* "" on rank 0 or without MPI, else "rank R of P: " (for error messages). */
const char * cli_dist_who(void);

/* Ends this process with an error status.  Before cli_dist_work() rank 0
   first tells the ranks waiting for it (which then end with its status,
   silently), and a silent rank waits for that word. */
void cli_dist_exit(int status) __attribute__((noreturn));

/* Ends MPI before a normal exit (every rank calls it). */
void cli_dist_finalize(void);

/* Every rank calls these together. */

/* buf <- rank 0's buf. */
void cli_dist_bcast(void * buf, size_t bytes);

/* On rank 0, all <- the doubles of every rank, rank by rank (counts[r]
   from rank r); mine is this rank's counts[rank] doubles. */
void cli_dist_gather(double * all, const double * mine, const int * counts);

/* Point to point, between rank 0 and rank r: a block of bytes to rank 0
   (in the order sent), and its receipt there (malloc'd, *bytes set). */
void cli_dist_send(const char * buf, size_t bytes);
char * cli_dist_recv(int from, size_t * bytes);

#endif
