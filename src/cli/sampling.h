/* The sampler of 'sample' and 'check' as the tool runs it: across the MPI
   ranks of the job (dist.h), and with a checkpoint file (checkpoint.h).

   The run is a sequence of rounds.  At the start of a round rank 0 says
   which chunks it covers (and whether to stop); each rank computes a
   contiguous share of them on its threads; rank 0 gathers every chunk's
   moments and merges them in chunk order into the moments of the chunks
   so far, which the checkpoint holds.  Each chunk is merged on its own, in
   the order ntk_sample_run merges them, so the result is the same bits for
   any number of ranks, threads and rounds, and across resumed runs.
   Without a checkpoint the whole run is one round; with one, a round lasts
   about --checkpoint-every seconds and ends with a checkpoint. */

#ifndef NTK_CLI_SAMPLING_H
#define NTK_CLI_SAMPLING_H

#include "cli.h"

#define CLI_CHECKPOINT_EVERY_DEFAULT 60.0

typedef struct
{
    const cli_t * cli;                  /* conventions, x2, law, threads */
    const ntk_profile_struct * profile;
    ntk_sample_method_t method;
    int pair;                           /* two inputs: cli's y2 and xy (no blocks) */
    slong samples;
    ulong seed;
    const char * checkpoint;            /* --checkpoint FILE, or NULL */
    double every;                       /* --checkpoint-every SECONDS */
    /* check --guarantee: chunk c is also merged into blocks[the block of c
       in median], on rank 0 (NULL: no blocks) */
    const ntk_check_median_t * median;
    ntk_sample_acc_t * blocks;
}
cli_sampling_t;

/* Runs the sampler; on rank 0 res holds the result (the other ranks'
   res is not set).  Errors end the program; SIGINT and SIGTERM with a
   checkpoint save it first, then end the program with 128 + the signal. */
void cli_sampling_run(ntk_sample_result_t * res, const cli_sampling_t * s, cli_progress_t * pr);

/* The same for a two-input run (s->pair): the chunks of ntk_sample_pair_run,
   merged alike, give its result to the bit. */
void cli_sampling_run_pair(ntk_sample_pair_result_t * res, const cli_sampling_t * s,
                           cli_progress_t * pr);

/* --checkpoint-every: a positive decimal number of seconds. */
double cli_parse_seconds(const char * arg, const char * flag);

#endif
