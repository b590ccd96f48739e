/* The brute force's one operation, shared by its two files: the sum of the
   averaging lemma over explicit neuron indices for one family of paths and
   marks (tests/brute.c), from which tests/brute-moments.c assembles the
   moments.  Internal to the brute force (tests/brute.h is its interface). */

#ifndef NTK_BRUTE_SUM_H
#define NTK_BRUTE_SUM_H

#include <flint/fmpq.h>
#include "brute.h"

#define MAXP 8
#define MAXM 4
#define MAXW BRUTE_MAX_WIDTH

/* A sum over paths: n_paths paths; mark k ties paths p[k], q[k], as a shared
   removed weight edge ('w') or a common birth neuron ('b'). */
typedef struct
{
    int n_paths, n_marks;
    char kind[MAXM];
    int p[MAXM], q[MAXM];
}
bsum_t;

/* The labellings of k paths by w neurons with every neuron used an even
   number of times, and for each how many neurons get 4, 6 and 8 paths. */
typedef struct
{
    int n;
    unsigned char * label;    /* n x k */
    unsigned char * heavy;    /* n x 3 */
}
even_maps_t;

/* What one brute_moments_order call shares. */
typedef struct
{
    const brute_net_t * net;
    even_maps_t maps[MAXP + 1][MAXW + 1];
    int built[MAXP + 1][MAXW + 1];
}
bctx_t;

/* res = the sum over every position of s's marks and every labelling. */
void brute_sum(fmpq_t res, bctx_t * ctx, const bsum_t * s);

/* Frees the labellings ctx built (ctx zeroed, with ctx->net set, at first). */
void bctx_clear(bctx_t * ctx);

#endif
