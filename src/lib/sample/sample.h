/* Internal: the Monte Carlo sampler.  sample.c validates, runs the samples
   on worker threads and merges their moments; sample_shape.c lays the
   network out in doubles (the slopes factored out) and checks its range; a
   method draws one network and computes its quantities: sample_full.c with
   every weight (any law), sample_projected.c with only the action of each
   Gaussian weight matrix on the vectors the computation touches
   (doc/derivation.md, section 12). */

#ifndef NTK_SAMPLE_H
#define NTK_SAMPLE_H

#include "ntkexact.h"
#include "rng.h"

/* The network shape and conventions, in doubles, with the slopes factored
   out: the activation is positively homogeneous, so the network with slopes
   s a_plus, s a_minus and hidden variance c is the network with slopes
   a_plus, a_minus and variance s^2 c, its hidden pre-activations (and the
   hidden biases) scaled by s and its hidden activations unchanged.  N is
   the same function of the unit-variance weights, and each derivative by a
   hidden bias (by a hidden weight What in the standard parametrization)
   carries a factor s: the sampler draws the network of slopes
   max(|a_plus|, |a_minus|) in [1, 2) (s a power of 2, so that nothing is
   rounded otherwise) and puts s^2 into those parameters' marks.  Slopes of
   any size then stay within double precision; only quantities that are
   themselves beyond it (K_b grows like s^2) are refused. */
typedef struct
{
    slong d;
    ulong * n;          /* n_0 .. n_d */
    slong * offset;     /* first weight of layer i in the full method's weight array */
    double * scale;     /* sqrt(c_i / n_{i-1}), c_i the scaled s^2 c below the output */
    double * lw;        /* weight-mark factor: c_i/n_{i-1} (NTK) or 1, s^2 below the output
                           (standard) */
    double lb;          /* bias-mark factor of the hidden layers: s^2, 0 without biases */
    double lb_out;      /* bias-mark factor of the output layer: 1, 0 without biases */
    double x;           /* the input sqrt(x2) */
    double a_plus, a_minus; /* the activation's slopes divided by s */
    int uniform;        /* uniform weights instead of Gaussian */
    slong n_weights, n_neurons, max_width;
}
_ntk_sample_shape_t;

/* x rounded to double (through MPFR: no overflow in the conversion). */
double _ntk_sample_to_double(const fmpq_t x);

/* The shape of the network of p under conv, law and x2, with the slopes
   factored out (above); cleared by _ntk_sample_shape_clear.  conv is valid
   (ntk_conv_validate). */
void _ntk_sample_shape_init(_ntk_sample_shape_t * sh, const ntk_profile_t p, const ntk_conv_t conv,
                            ntk_law_t law, const fmpq_t x2);

void _ntk_sample_shape_clear(_ntk_sample_shape_t * sh);

/* NTK_ERR_RANGE ("cw_hidden", "x2" or "activation") when a part of K (or
   of the quantities with it) would be beyond 2^+-240, the range in which
   the sampler's doubles hold every moment it needs. */
ntk_status_t _ntk_sample_check_range(const ntk_profile_t p, const ntk_conv_t conv,
                                     const fmpq_t x2, ntk_error_t * err);

/* The activation's slope at z.  The activation is slope(z) z, and with the
   masks frozen its derivative is slope(z): a_plus for z > 0 and a_minus
   otherwise (sigma'(0) = a_minus, the left derivative; relu: 1, 0).  Both
   methods gate through this one function; the projected method draws the
   positive and the negative entries of a layer apart, so it relies on the
   slope depending on the sign only. */
static inline double
_ntk_sample_slope(const _ntk_sample_shape_t * sh, double z)
{
    return z > 0.0 ? sh->a_plus : sh->a_minus;
}

/* x . y, with four partial sums: independent chains of additions. */
static inline double
_ntk_sample_dot(const double * x, const double * y, slong n)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    slong k;
    for (k = 0; k + 4 <= n; k += 4)
    {
        s0 += x[k] * y[k];
        s1 += x[k + 1] * y[k + 1];
        s2 += x[k + 2] * y[k + 2];
        s3 += x[k + 3] * y[k + 3];
    }
    for (; k < n; k++)
        s0 += x[k] * y[k];
    return (s0 + s1) + (s2 + s3);
}

/* v[q] <- every quantity of one network from its output n, K_w, K_b and the
   second-derivative terms g_ww = 2 N_ss, g_wb = N_st (Var_K: K itself;
   the update's at the target y = 0, Var_dK: dK/lambda itself). */
void _ntk_sample_values(double * v, double n, double kw, double kb, double gww, double gwb);

/* Deliberate faults for the tests (never reachable from the public API):
   the test programs check that a wrong sampler is detected. */
typedef enum
{
    _NTK_SAMPLE_FAULT_NONE = 0,
    /* the projected method draws W'delta without its mean a (z . delta)/|a|^2,
       as if it were independent of z = W a */
    _NTK_SAMPLE_FAULT_NO_MEAN = 1,
    /* the projected method draws What v for a tangent v ignoring the revealed
       What' delta: no known part along delta, no fresh part orthogonal to it */
    _NTK_SAMPLE_FAULT_NO_LEFT = 2
}
_ntk_sample_fault_t;

/* ntk_sample_run with a fault injected; fault = _NTK_SAMPLE_FAULT_NONE is
   ntk_sample_run itself. */
ntk_status_t _ntk_sample_run(ntk_sample_result_t * res, const ntk_profile_t p,
                             const ntk_conv_t conv, ntk_law_t law, ntk_sample_method_t method,
                             const fmpq_t x2, slong samples, ulong seed, const ntk_exec_t exec,
                             _ntk_sample_fault_t fault, ntk_error_t * err);

/* ------------------------------------------------ the full method (sample_full.c) */

/* One thread's network: every weight, and the vectors of the passes. */
typedef struct
{
    double * w;                       /* What, layer by layer, row-major */
    double ** z;                      /* pre-activations z^(1..d) */
    double ** a;                      /* activations a^(0..d) */
    double ** delta;                  /* dN/dz^(1..d) */
    double * jet[2][4];               /* (s, t, ss, st) of the layer below / this layer */
}
_ntk_sample_full_t;

void _ntk_sample_full_init(_ntk_sample_full_t * wk, const _ntk_sample_shape_t * sh);

void _ntk_sample_full_clear(_ntk_sample_full_t * wk, const _ntk_sample_shape_t * sh);

/* Draws one network from rng and fills v (see _ntk_sample_values). */
void _ntk_sample_full_one(double * v, _ntk_sample_full_t * wk, const _ntk_sample_shape_t * sh,
                          _ntk_rng_t * rng);

/* ------------------------------------------------ the projected method (sample_projected.c) */

/* One thread's network: O(n_0 + ... + n_d) doubles, no weight matrix.  A
   layer's vectors hold only its live neurons (non-zero slope), in order:
   the others take no further part, and no variate is drawn for them. */
typedef struct
{
    double * block;       /* the one allocation the vectors below share */
    slong * live;         /* live[i]: the number of live neurons of layer i */
    double ** z;          /* z^(i) = What^(i) a^(i-1), i = 1..d, live neurons */
    double ** a;          /* a^(i), i = 0..d-1 (layer 0: the input, one coordinate) */
    double ** delta;      /* dN/dz^(i), i = 1..d */
    double ** y;          /* y^(i) = What^(i)' delta^(i), i = 2..d, on the live neurons of
                             layer i-1: the revealed left action */
    double * aa, * dd;    /* |a^(i)|^2 and |delta^(i)|^2 */
    double * tan[2][2];   /* the tangents (T, S) of the layer below / this layer */
    double * image;       /* What^(i) applied to the second right direction */
}
_ntk_sample_projected_t;

void _ntk_sample_projected_init(_ntk_sample_projected_t * wk, const _ntk_sample_shape_t * sh);

void _ntk_sample_projected_clear(_ntk_sample_projected_t * wk);

/* Draws one network from rng and fills v (see _ntk_sample_values); sh must
   have Gaussian weights. */
void _ntk_sample_projected_one(double * v, _ntk_sample_projected_t * wk,
                               const _ntk_sample_shape_t * sh, _ntk_rng_t * rng,
                               _ntk_sample_fault_t fault);

/* ------------------------------------------------ two inputs (sample_pair*.c) */

/* The two inputs: x = x1 e_1, x' = y1 e_1 + y2 e_2 (n_0 >= 2 when y2 != 0). */
typedef struct
{
    double x1, y1, y2;
}
_ntk_sample_inputs_t;

/* Deliberate faults of the two-input sampler, for the tests' power: the
   backward vector of x' is paired with the activations of x. */
typedef enum
{
    _NTK_SAMPLE_PAIR_FAULT_NONE = 0,
    _NTK_SAMPLE_PAIR_FAULT_CROSS = 1
}
_ntk_sample_pair_fault_t;

/* One thread's network, full method: every weight, both inputs' passes. */
typedef struct
{
    double * w;
    double ** z[2], ** a[2], ** delta[2];
    double * gram;        /* the Gram entries of the layers' vectors (6 per layer) */
}
_ntk_sample_pair_full_t;

void _ntk_sample_pair_full_init(_ntk_sample_pair_full_t * wk, const _ntk_sample_shape_t * sh);
void _ntk_sample_pair_full_clear(_ntk_sample_pair_full_t * wk, const _ntk_sample_shape_t * sh);

/* v <- Kxy, Kxx, Kyy, Nx, Ny of one network drawn from rng. */
void _ntk_sample_pair_full_one(double * v, _ntk_sample_pair_full_t * wk,
                               const _ntk_sample_shape_t * sh, const _ntk_sample_inputs_t * in,
                               _ntk_rng_t * rng, _ntk_sample_pair_fault_t fault);

/* One thread's network, projected method: O(n_0 + ... + n_d) doubles.  A
   layer keeps only its neurons live for x or x' (non-zero slope at either):
   the others take no further part. */
typedef struct
{
    double * block;
    double ** z[2], ** a[2], ** delta[2];   /* per layer, both inputs, live neurons */
    const double ** b0;   /* b0[i]: the first right direction (an activation of layer i-1);
                             the second is a_y - beta a_x of layer i-1 */
    double * bn;          /* |b_0|, |b_1|, beta and the coefficients of z_x = c_0 g_0,
                             z_y = c_1 g_0 + c_2 g_1 of each layer (6 per layer) */
    double * ga, * gd;    /* the Gram entries xx, xy, yy of each layer's activations
                             and backward vectors (3 per layer) */
    slong * rank;         /* rank[i]: how many right directions layer i has */
    slong * live;         /* live[i]: the live neurons of layer i */
    double * h[2];        /* the variates' buffers (max width): g_0, g_1 of a
                             forward step, h_0, h_1 of a backward one */
}
_ntk_sample_pair_projected_t;

void _ntk_sample_pair_projected_init(_ntk_sample_pair_projected_t * wk,
                                     const _ntk_sample_shape_t * sh);
void _ntk_sample_pair_projected_clear(_ntk_sample_pair_projected_t * wk);

void _ntk_sample_pair_projected_one(double * v, _ntk_sample_pair_projected_t * wk,
                                    const _ntk_sample_shape_t * sh,
                                    const _ntk_sample_inputs_t * in, _ntk_rng_t * rng,
                                    _ntk_sample_pair_fault_t fault);

/* v <- Kxy, Kxx, Kyy, Nx, Ny from the Gram entries (xx, xy, yy) of every
   layer's activations, ga + 3 i for layer i = 0..d-1, and backward
   vectors, gd + 3 i for i = 1..d, and the outputs nx, ny; K(x,x) is summed
   as the one-input methods sum K. */
void _ntk_sample_pair_kernels_gram(double * v, const _ntk_sample_shape_t * sh, const double * ga,
                                   const double * gd, double nx, double ny,
                                   _ntk_sample_pair_fault_t fault);

/* ntk_sample_pair_run with a fault injected. */
ntk_status_t _ntk_sample_pair_run(ntk_sample_pair_result_t * res, const ntk_profile_t p,
                                  const ntk_conv_t conv, ntk_law_t law,
                                  ntk_sample_method_t method, const fmpq_t x2, const fmpq_t y2,
                                  const fmpq_t xy, slong samples, ulong seed,
                                  const ntk_exec_t exec, _ntk_sample_pair_fault_t fault,
                                  ntk_error_t * err);

#endif
