/* A brute-force evaluator of the moments for tiny networks: it sums the
   averaging lemma (doc/derivation.md, section 3) over explicit neuron indices of every
   path, for every position of the marked parameters.  It shares no code with
   the transfer recursion of libntkexact. */

#ifndef NTK_BRUTE_H
#define NTK_BRUTE_H

#include <flint/fmpq.h>

#define BRUTE_MAX_DEPTH 6

/* A tiny network and its conventions. */
typedef struct
{
    int depth;                        /* d */
    int width[BRUTE_MAX_DEPTH + 1];   /* n_0 .. n_d, n_d = 1 */
    fmpq_t x2, mu4, cw_hidden, cw_output;
    int standard;                     /* standard parametrization */
    int bias;                         /* biases are trainable */
    fmpq_t a_plus, a_minus;           /* the activation's slopes (ReLU: 1, 0) */
}
brute_net_t;

void brute_net_init(brute_net_t * net);
void brute_net_clear(brute_net_t * net);

/* out[q] for every q of ntk_quantity_t (NTK_N_QUANTITIES values), at net->x2. */
void brute_moments(fmpq * out, const brute_net_t * net);

#endif
