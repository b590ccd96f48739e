/* A brute-force evaluator of the moments for tiny networks: it sums the
   averaging lemma (doc/derivation.md, sections 3 and 11) over explicit
   neuron indices of every path, for every position of the marked
   parameters.  It shares no code with the transfer recursion of
   libntkexact. */

#ifndef NTK_BRUTE_H
#define NTK_BRUTE_H

#include <flint/fmpq.h>

#define BRUTE_MAX_DEPTH 6
#define BRUTE_MAX_WIDTH 4     /* of the layers after the input */

/* A tiny network and its conventions. */
typedef struct
{
    int depth;                        /* d */
    int width[BRUTE_MAX_DEPTH + 1];   /* n_0 .. n_d, n_d = 1 */
    fmpq_t x2, mu4, cw_hidden, cw_output;
    fmpq_t mu6, mu8;                  /* the law's higher moments (order 3, 4) */
    int standard;                     /* standard parametrization */
    int bias;                         /* biases are trainable */
    fmpq_t a_plus, a_minus;           /* the activation's slopes (ReLU: 1, 0) */
}
brute_net_t;

/* Defaults: ReLU, mu6 = 15, mu8 = 105; the rest zero. */
void brute_net_init(brute_net_t * net);
void brute_net_clear(brute_net_t * net);

/* out[q] for every quantity q of the moments up to order 2
   (ntk_quantity_count(2) values), at net->x2. */
void brute_moments(fmpq * out, const brute_net_t * net);

/* The same up to order 2, 3 or 4 (ntk_quantity_count(order) values; the
   ratios Skew2_K, Kurt_K are 0 where Var_K = 0). */
void brute_moments_order(fmpq * out, const brute_net_t * net, int order);

/* The exact quantities of the update's second moment: out[NTK_E_G2],
   out[NTK_E_N2G2] and out[NTK_E_N2GWW2 .. NTK_E_N2GWB2] (the derived values
   at a target are left to the caller). */
void brute_update(fmpq * out, const brute_net_t * net);

/* r <- a random rational (lo..hi)/(1..4), lo..hi and 1..4 uniform. */
void brute_random_rational(fmpq_t r, flint_rand_t state, slong lo, slong hi);

/* net's law: at random the Gaussian, the uniform or one that exists with
   mu4 > 1, mu6 >= mu4^2, mu8 on or above its bound. */
void brute_net_random_law(brute_net_t * net, flint_rand_t state);

#endif
