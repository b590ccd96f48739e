/* The checkpoint file of a sampling run (sample and check --checkpoint
   FILE): the moments of the chunks merged so far, the next chunk, and
   everything that fixes the result, under a checksum.  A text file:

       ntkexact-checkpoint 3
       version 0.1.0
       widths 10,100x100,1        (one line per key: the option's value)
       ...
       chunk_size 207
       chunks 4831
       next 1200                  (chunks 0..1199 are merged below)
       q E_K N MEAN M2 M3 M4      (one line per quantity, C99 hex doubles:
       ...                         read back exactly)
       fnv1a64 0123456789abcdef   (FNV-1a 64 of every byte above)

   A two-input run (--xy) records y2 and xy after x2, and instead of the q
   lines the sums of its chunks (ntk_sample_pair_acc_t), also in hex:

       pair n N                   (the networks merged)
       pair shift A B C D E F     (network 0's values, the sums' origin)
       pair s IJK S               (35 lines: i + j + k <= 4)
       pair p I P1 P2             (3 lines)

   so that one kind of run never resumes the other's file.

   It is replaced atomically: written to FILE.tmp, synced, renamed over
   FILE, and the directory synced; a kill at any moment leaves the last
   complete checkpoint. */

#ifndef NTK_CLI_CHECKPOINT_H
#define NTK_CLI_CHECKPOINT_H

#include <stdint.h>
#include "cli.h"

/* FNV-1a, 64 bits, continued over s[0 .. len-1] from h (CLI_FNV1A64_START
   at first): a checksum against truncation and stray edits (not against
   malice), of checkpoints and of the units of table --output. */
#define CLI_FNV1A64_START UINT64_C(14695981039346656037)
uint64_t cli_fnv1a64(uint64_t h, const char * s, size_t len);

/* Version 3: the moments of the update's second moment (E_g2 .. RelVar_dK)
   follow those of version 2 */
#define CLI_CHECKPOINT_VERSION 3
#define CLI_CHECKPOINT_KEYS 16

typedef struct
{
    /* what fixes the result: key in the file, the option that sets it, value */
    int n_keys;
    const char * key[CLI_CHECKPOINT_KEYS];
    const char * flag[CLI_CHECKPOINT_KEYS];
    char * value[CLI_CHECKPOINT_KEYS];
    ntk_sample_plan_t plan;
    slong next;                 /* chunks 0 .. next-1 are merged in acc */
    int pair;                   /* a two-input run: pair_acc, not acc */
    ntk_sample_acc_t acc;
    ntk_sample_pair_acc_t pair_acc;
}
cli_checkpoint_t;

/* The file of --checkpoint FILE, checked before any work (rank 0 only; the
   other ranks' is FILE, never opened): FILE and FILE.tmp must be regular
   files or not exist -- a FIFO would block the run before it starts, a
   directory, a device or a socket cannot hold a checkpoint -- else exit 2
   naming --checkpoint.  A symbolic link FILE is followed to the regular
   file it names, which must exist: the path returned is then that file's
   (in a static buffer), so that the checkpoint is written beside it and the
   link stays a link. */
const char * cli_checkpoint_path(const char * path);

/* An empty checkpoint (next = 0) of plan, of a two-input run when pair. */
void cli_checkpoint_init(cli_checkpoint_t * ck, const ntk_sample_plan_t * plan, int pair);

/* Adds a key (value is copied). */
void cli_checkpoint_key(cli_checkpoint_t * ck, const char * key, const char * flag,
                        const char * value);

void cli_checkpoint_clear(cli_checkpoint_t * ck);

/* Reads FILE into ck (whose keys and plan are those of this run): 0 when
   FILE does not exist, 1 when ck now holds its chunks; a damaged file, or
   one from other options, ends the program with status 2 and a message
   naming the difference. */
int cli_checkpoint_load(cli_checkpoint_t * ck, const char * path);

/* Writes ck to FILE atomically, or ends the program with status 1. */
void cli_checkpoint_save(const cli_checkpoint_t * ck, const char * path);

/* The number of samples in chunks 0 .. next-1. */
slong cli_checkpoint_samples(const cli_checkpoint_t * ck);

#endif
