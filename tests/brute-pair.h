/* A brute-force evaluator of the two-input moments of tiny LINEAR networks
   (sigma(z) = a z): the network's output is built as an exact polynomial in
   its weights and biases, the NTK of two inputs from its exact derivatives,
   and every moment is the Gaussian expectation of a polynomial, taken term
   by term.  Without gates the moments at finite width are rational.  It
   shares no code with the two-input recursion of libntkexact
   (src/lib/kernel). */

#ifndef NTK_BRUTE_PAIR_H
#define NTK_BRUTE_PAIR_H

#include <flint/fmpq.h>
#include <flint/fmpq_mpoly.h>

#define BPAIR_MAX_DEPTH 4
#define BPAIR_MAX_WIDTH 4

typedef struct
{
    int depth;                         /* d */
    int width[BPAIR_MAX_DEPTH + 1];    /* n_0 .. n_d, n_d = 1 */
    fmpq_t slope, cw_hidden, cw_output;
    int bias;
    fmpq_t x[2][BPAIR_MAX_WIDTH];      /* the coordinates of the inputs x, x' (n_0 each) */
}
bpair_net_t;

void bpair_net_init(bpair_net_t * net);
void bpair_net_clear(bpair_net_t * net);

/* The moments, as polynomials in lambda_1 .. lambda_d (ctx: d variables),
   where lambda_l multiplies the weight part of layer l of the NTK in the NTK
   parametrization (lambda = 1: the NTK parametrization; lambda_l =
   n_{l-1}/c_l: the standard one).  The pairs p = 0, 1, 2 are (x,x), (x,x'),
   (x',x'): e_k[p] = E[K_p], cov[3 p + r] = Cov[K_p, K_r], e_n[p] = E[N N]
   (constants). */
typedef struct
{
    fmpq_mpoly_struct e_k[3], cov[9], e_n[3];
}
bpair_out_t;

void bpair_out_init(bpair_out_t * out, const fmpq_mpoly_ctx_t ctx);
void bpair_out_clear(bpair_out_t * out, const fmpq_mpoly_ctx_t ctx);

void bpair_moments(bpair_out_t * out, const bpair_net_t * net, const fmpq_mpoly_ctx_t ctx);

#endif
