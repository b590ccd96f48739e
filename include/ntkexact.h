/* ntkexact: exact moments of the neural tangent kernel of deep ReLU networks
   at initialization.  Public API; doc/api.md is its reference (generated from
   this file) and doc/derivation.md the mathematics.

   The contract of every function:
   - an object is used between its *_init and its *_clear; *_clear leaves it
     as *_init did (without memory), so clearing twice is harmless, and
     *_init(NULL), *_clear(NULL) do nothing;
   - pointer arguments must not be NULL unless the comment says so; the
     functions that return an ntk_status_t check them and every enum and
     integer argument, and return NTK_ERR_RANGE for one out of range; err may
     always be NULL; the others, which cannot report, do nothing with a NULL
     pointer (or return 0, NULL or -1 as their comment says);
   - an object that no computation has filled yet (initialised only, or
     cleared) is refused by every function that reads a result from it;
   - results are FLINT fmpq/fmpq_poly or MPFR values owned by the caller; an
     output may not alias an input unless the comment says so;
   - distinct objects may be used from different threads at once, and one
     object may be read (not written) by several.
   Only names beginning with ntk_ or NTK_ are part of the API. */

#ifndef NTKEXACT_H
#define NTKEXACT_H

#include <stdint.h>
#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fmpq.h>
#include <flint/fmpq_poly.h>
#include <mpfr.h>
#include <arb.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NTK_VERSION_STRING "0.1.0"

/* ---------------------------------------------------------------- errors */

/* Status codes returned by every fallible function. */
typedef enum
{
    NTK_OK = 0,
    NTK_ERR_SYNTAX,      /* malformed input text */
    NTK_ERR_RANGE,       /* a value outside its admissible range */
    NTK_ERR_TOO_LARGE,   /* an exact answer would not fit in memory */
    NTK_ERR_INTERRUPTED, /* the progress callback asked to stop */
    NTK_ERR_RESOURCE     /* the system refused a resource (a thread) */
}
ntk_status_t;

/* What a failing call reports: the status, the name of the parameter at
   fault ("widths", "mu4", ...; empty when none is), and a one-line message
   that begins with that name. */
typedef struct
{
    ntk_status_t status;
    char param[32];
    char message[256];
}
ntk_error_t;

/* The generic description of a status code ("success" for NTK_OK). */
const char * ntk_error_string(ntk_status_t status);

/* ---------------------------------------------------------------- rationals */

/* Parses an exact rational: an integer, "p/q", or a terminating decimal such as
   "2.27" or "-1.5e-3" (at most 10^6 digits, exponents up to 10^5); param
   names the value in the error message.  Every function takes rationals of
   any size, and the time of the exact computations grows with the size of
   their numerators and denominators, fast at the higher orders and in the
   limits (1e100000 as a slope: minutes); the command-line tool bounds them
   per command (doc/ntkexact.1), the library leaves that to its caller, who
   may well want such values and can see what they cost. */
ntk_status_t ntk_rational_set_str(fmpq_t res, const char * str, const char * param,
                                  ntk_error_t * err);

/* x as "p/q", or "p" when q = 1; free with flint_free. */
char * ntk_rational_get_str(const fmpq_t x);

/* x rounded to nearest with `digits` significant digits (1 if less; NULL if
   more than 10^6), in the style of printf's %g but keeping trailing zeros;
   free with flint_free. */
char * ntk_rational_get_decimal(const fmpq_t x, slong digits);

/* The strings of n values at once, on up to `threads` threads when they are
   long (writing a fraction of millions of digits takes as long as computing
   it): exact[i] = ntk_rational_get_str(x + i) and decimal[i] =
   ntk_rational_get_decimal(x + i, digits[i]), NULL where digits[i] <= 0;
   either output array may be NULL.  Free every string with flint_free. */
ntk_status_t ntk_rational_get_strs(char ** exact, char ** decimal, const fmpq * x,
                                   const slong * digits, slong n, int threads,
                                   ntk_error_t * err);

/* ---------------------------------------------------------------- profile */

/* Widths n_0, ..., n_d stored run-length encoded: run r is count[r] layers
   of width[r].  Depth d = (total number of widths) - 1, and n_d = 1. */
typedef struct
{
    slong n_runs;
    ulong * width;
    slong * count;
    slong depth;
}
ntk_profile_struct;

typedef ntk_profile_struct ntk_profile_t[1];

/* Largest width accepted: the dead-layer factor 1 - 2^-n needs n bits. */
#define NTK_WIDTH_MAX (UWORD(1) << 40)
/* Largest number of widths accepted in one profile. */
#define NTK_LAYERS_MAX (WORD(1) << 40)

/* Initialises p to the empty profile (not valid until parsed or set). */
void ntk_profile_init(ntk_profile_t p);

/* Frees the memory held by p. */
void ntk_profile_clear(ntk_profile_t p);

/* Parses "n_0,n_1,...,n_d" where an item NxK means K widths of N; checks that
   every width is a positive integer <= NTK_WIDTH_MAX and that n_d = 1. */
ntk_status_t ntk_profile_set_str(ntk_profile_t p, const char * spec,
                                 ntk_error_t * err);

/* Sets p from an explicit array of len >= 2 widths, with the same checks. */
ntk_status_t ntk_profile_set_widths(ntk_profile_t p, const ulong * widths,
                                    slong len, ntk_error_t * err);

/* Copies q into p (p and q may be the same). */
void ntk_profile_set(ntk_profile_t p, const ntk_profile_t q);

/* The depth d (number of weight layers); -1 for a profile not set. */
slong ntk_profile_depth(const ntk_profile_t p);

/* The width n_i, 0 <= i <= d (time linear in the number of runs); 0 when i
   is out of range. */
ulong ntk_profile_width(const ntk_profile_t p, slong i);

/* The profile in run-length form "10,1000x3,1"; free the result with flint_free. */
char * ntk_profile_get_str(const ntk_profile_t p);

/* sum_{i=1}^{d-1} 1/n_i, the depth-to-width ratio beta, rounded to double. */
double ntk_profile_beta(const ntk_profile_t p);

/* ---------------------------------------------------------------- conventions */

/* Parametrization of the weight derivatives in K_w (doc/derivation.md, section 1). */
typedef enum
{
    NTK_PARAM_NTK = 0,      /* derivatives w.r.t. the unit-variance W */
    NTK_PARAM_STANDARD = 1  /* derivatives w.r.t. What = sqrt(c/n) W */
}
ntk_param_t;

/* The conventions of the network: what is computed.  x2 is not here: it is
   the point at which the moments are evaluated.  The activation of the
   hidden layers is sigma(z) = a_plus z for z > 0, a_minus z for z < 0, with
   sigma'(0) = a_minus (ReLU: 1, 0; linear: 1, 1; |x|: 1, -1; leaky ReLU:
   1, alpha); doc/derivation.md, section 11. */
typedef struct
{
    fmpq_t mu4;        /* fourth moment of the weight law, >= 1 */
    fmpq_t cw_hidden;  /* c_i of the hidden layers, > 0 */
    fmpq_t cw_output;  /* c_d of the output layer, > 0 */
    ntk_param_t param;
    int bias;          /* non-zero: biases are trainable parameters */
    fmpq_t a_plus;     /* the slopes of the activation, not both 0 */
    fmpq_t a_minus;
    fmpq_t mu6;        /* sixth moment of the weight law (moments of order >= 3) */
    fmpq_t mu8;        /* eighth moment (moments of order 4) */
}
ntk_conv_struct;

typedef ntk_conv_struct ntk_conv_t[1];

/* Initialises c to the defaults: mu4 = 3, mu6 = 15, mu8 = 105 (Gaussian),
   c = 2 (hidden), 1 (output), NTK parametrization, biases on, ReLU. */
void ntk_conv_init(ntk_conv_t c);

/* Frees the memory held by c. */
void ntk_conv_clear(ntk_conv_t c);

/* Copies d into c (c and d may be the same). */
void ntk_conv_set(ntk_conv_t c, const ntk_conv_t d);

/* Checks mu4 >= 1, cw_hidden, cw_output > 0, param and bias in range, and
   that the slopes are not both 0. */
ntk_status_t ntk_conv_validate(const ntk_conv_t c, ntk_error_t * err);

/* The moments of order `order` (2, 3 or 4) use the law's moments up to the
   (2 order)-th: checks ntk_conv_validate and that 1, mu4, mu6 (order >= 3)
   and mu8 (order 4) are the moments of a symmetric law of variance 1, i.e.
   that its Hankel matrices are positive semi-definite: mu6 >= mu4^2;
   (mu4 - 1)(mu8 - mu4^2) >= (mu6 - mu4)^2 and mu4 mu8 >= mu6^2; and, on the
   boundary, the values the law is then forced to have (mu4 = 1: the law is
   +-1, mu6 = mu8 = 1; mu6 = mu4^2: W^2 in {0, mu4}, mu8 = mu4^3). */
ntk_status_t ntk_conv_validate_order(const ntk_conv_t c, int order, ntk_error_t * err);

/* Sets the slopes from "relu", "linear", "abs", "leaky:ALPHA" (slopes 1,
   ALPHA) or "slopes:A_PLUS,A_MINUS" (exact rationals); cw_hidden is not
   changed (see ntk_conv_critical). */
ntk_status_t ntk_conv_set_activation_str(ntk_conv_t c, const char * spec, ntk_error_t * err);

/* The activation's name: one of the forms ntk_conv_set_activation_str
   reads, the shortest that fits ("leaky:1/2", "slopes:0,1"); free with
   flint_free. */
char * ntk_conv_get_activation_str(const ntk_conv_t c);

/* res <- A_m = (a_plus^m + a_minus^m) / 2, the average of a gate's m-th
   power over the sign of its pre-activation (ReLU: 1/2); nothing when res
   or c is NULL. */
void ntk_conv_gate_moment(fmpq_t res, const ntk_conv_t c, ulong m);

/* res <- the critical hidden variance 1/A_2, which keeps the moments from
   growing or shrinking geometrically with depth (ReLU: 2, linear: 1);
   NTK_ERR_RANGE if both slopes are 0. */
ntk_status_t ntk_conv_critical(fmpq_t res, const ntk_conv_t c);

/* Non-zero when the activation is ReLU (slopes 1, 0). */
int ntk_conv_is_relu(const ntk_conv_t c);

/* ---------------------------------------------------------------- weight laws */

/* The law of the unit-variance weights, for the sampler (the exact engine
   needs only its moments). */
typedef enum
{
    NTK_LAW_GAUSSIAN = 0,
    NTK_LAW_UNIFORM = 1     /* uniform on [-sqrt 3, sqrt 3] */
}
ntk_law_t;

/* res <- E[W^k] for the law (Gaussian: (k-1)!!; uniform: 3^(k/2)/(k+1); 0 for
   odd k); NTK_ERR_RANGE for a law out of range or k > 64. */
ntk_status_t ntk_law_moment(fmpq_t res, ntk_law_t law, ulong k);

/* "gaussian" or "uniform" ("?" out of range). */
const char * ntk_law_name(ntk_law_t law);

/* The law whose fourth moment is mu4 (3: Gaussian, 9/5: uniform), or
   NTK_ERR_RANGE when no law of the sampler has it. */
ntk_status_t ntk_law_from_mu4(ntk_law_t * law, const fmpq_t mu4, ntk_error_t * err);

/* ---------------------------------------------------------------- execution */

/* Progress callback: done out of total work units; return non-zero to stop. */
typedef int (* ntk_progress_fn)(void * data, slong done, slong total);

/* How a computation runs: the result never depends on threads, and the
   floating-point mode is chosen by precision. */
typedef struct
{
    int threads;       /* worker threads, >= 1 */
    slong precision;   /* 0: exact; else bits of the floating-point mode */
    ntk_progress_fn progress;   /* may be NULL */
    void * progress_data;
}
ntk_exec_struct;

typedef ntk_exec_struct ntk_exec_t[1];

/* Initialises e: one thread, exact, no progress callback. */
void ntk_exec_init(ntk_exec_t e);

/* Frees the memory held by e (none today; pairs with ntk_exec_init). */
void ntk_exec_clear(ntk_exec_t e);

#define NTK_THREADS_MAX 64
#define NTK_PRECISION_MAX (WORD(1) << 20)

/* Checks 1 <= threads <= NTK_THREADS_MAX and precision 0 or 2..NTK_PRECISION_MAX. */
ntk_status_t ntk_exec_validate(const ntk_exec_t e, ntk_error_t * err);

/* ---------------------------------------------------------------- quantities */

/* The quantities.  Order 2: the eleven of the JSON "exact" object, then
   E_N2 and E_N4 (the moments of the output itself).  Order 3: E[K^3], its
   parts E[K_w^a K_b^(3-a)], the third central moment M3_K, the squared
   skewness Skew2_K = M3_K^2 / Var_K^3 (rational; the skewness is not), and
   E[N^6].  Order 4: E[K^4], its parts, M4_K, the excess kurtosis
   Kurt_K = M4_K / Var_K^2 - 3, and E[N^8].  The quantities of the moments up
   to order k are the first ntk_quantity_count(k).

   Then, at any order, the second moment of the first SGD update
   (doc/derivation.md, section 17), computed on request
   (ntk_moments_compute_update): with dK = -2 lambda (N - y) g and
   g = g_ww + 2 g_wb (the Hessian terms of E_Dww, E_Dwb), E[g^2],
   E[N^2 g^2] and its parts E[N^2 g_ww^2], E[N^2 g_ww g_wb], E[N^2 g_wb^2];
   and, at a target y, E_dK2 = E[dK^2]/lambda^2 = 4 (E[N^2 g^2] + y^2 E[g^2]),
   Var_dK = E_dK2 - E_dK^2 and the ratio RelVar_dK = Var_dK / E_dK^2. */
typedef enum
{
    NTK_E_K = 0, NTK_E_KW, NTK_E_KB, NTK_E_K2, NTK_E_KW2, NTK_E_KB2,
    NTK_E_KWKB, NTK_VAR_K, NTK_E_DK, NTK_E_DWW, NTK_E_DWB,
    NTK_E_N2, NTK_E_N4,
    NTK_E_K3, NTK_E_KW3, NTK_E_KW2KB, NTK_E_KWKB2, NTK_E_KB3, NTK_M3_K, NTK_SKEW2_K,
    NTK_E_N6,
    NTK_E_K4, NTK_E_KW4, NTK_E_KW3KB, NTK_E_KW2KB2, NTK_E_KWKB3, NTK_E_KB4, NTK_M4_K,
    NTK_KURT_K, NTK_E_N8,
    NTK_E_G2, NTK_E_N2G2, NTK_E_N2GWW2, NTK_E_N2GWWGWB, NTK_E_N2GWB2,
    NTK_E_DK2, NTK_VAR_DK, NTK_RELVAR_DK,
    NTK_N_QUANTITIES
}
ntk_quantity_t;

/* The first quantity of the update's second moment, and how many there are. */
#define NTK_UPDATE_FIRST NTK_E_G2
#define NTK_N_UPDATE_QUANTITIES (NTK_N_QUANTITIES - NTK_E_G2)

/* The number of quantities of the JSON "exact" object of the command line
   (at order 2). */
#define NTK_N_INTERFACE_QUANTITIES 11

/* The highest order of the moments (E[K^4]). */
#define NTK_ORDER_MAX 4

/* The key of quantity q, e.g. "E_K" ("?" out of range). */
const char * ntk_quantity_name(ntk_quantity_t q);

/* The number of quantities of the moments up to order `order` (13, 21, 30
   for order 2, 3, 4), 0 for an order out of range. */
int ntk_quantity_count(int order);

/* The order of the moments that quantity q belongs to (2, 3 or 4), 0 out of
   range and for the quantities of the update's second moment, which belong
   to no order (ntk_quantity_is_update). */
int ntk_quantity_order(ntk_quantity_t q);

/* Non-zero for the quantities of the update's second moment, E_g2 ..
   RelVar_dK. */
int ntk_quantity_is_update(ntk_quantity_t q);

/* Non-zero for the quantities that depend on the target y: E_dK2, Var_dK,
   RelVar_dK. */
int ntk_quantity_has_target(ntk_quantity_t q);

/* Non-zero for the quantities that are ratios (rational functions of x2,
   Skew2_K, Kurt_K and RelVar_dK), zero for the polynomials in x2. */
int ntk_quantity_is_ratio(ntk_quantity_t q);

/* ---------------------------------------------------------------- moments */

/* Every quantity of the moments up to E[K^order] as a polynomial in x2 of
   degree <= max(2, order), exact for all x2 > 0, and its value at x2 = 0
   (where every gate is shut: a dead input).  The ratios Skew2_K, Kurt_K
   and RelVar_dK are not polynomials: poly and at_zero hold 0 for them and
   ntk_moments_eval computes them.  With update set, also the quantities of
   the update's second moment, polynomials of degree <= 4 in x2; E_dK2 and
   Var_dK are held at the target y = 0 (ntk_moments_eval_target adds the
   target's part). */
typedef struct
{
    fmpq_poly_struct poly[NTK_N_QUANTITIES];
    fmpq at_zero[NTK_N_QUANTITIES];
    int order;         /* 2, 3 or 4: set by the computation; 0 before it */
    int update;        /* non-zero: the update's second moment was computed */
}
ntk_moments_struct;

typedef ntk_moments_struct ntk_moments_t[1];

/* Initialises m to zero, not computed (order 0): ntk_moments_eval,
   ntk_moments_defined, ntk_moments_digits and ntk_paper_ratios refuse it
   until a computation fills it. */
void ntk_moments_init(ntk_moments_t m);

/* Frees the memory held by m. */
void ntk_moments_clear(ntk_moments_t m);

/* Computes every quantity exactly by the transfer recursion: O(d) layer steps
   per term, exact integers, on exec->threads threads.  Fails with
   NTK_ERR_TOO_LARGE when the exact dead-layer factors would need more than
   NTK_DEAD_BITS_MAX bits.  With exec->precision = p > 0 the term sums are
   computed in floating point with p + 32 bits (O(log d) matrix products per
   run of equal widths) and m holds the exact values of the rounded sums: see
   ntk_moments_digits. */
ntk_status_t ntk_moments_compute(ntk_moments_t m, const ntk_profile_t p,
                                 const ntk_conv_t conv, const ntk_exec_t exec,
                                 ntk_error_t * err);

/* The same for the moments up to E[K^order], order 2, 3 or 4 (families of
   up to 2 order paths; ntk_moments_compute is order 2); the law's moments
   are checked by ntk_conv_validate_order. */
ntk_status_t ntk_moments_compute_order(ntk_moments_t m, const ntk_profile_t p,
                                       const ntk_conv_t conv, int order,
                                       const ntk_exec_t exec, ntk_error_t * err);

/* The same plus the second moment of the first SGD update (E_g2 ..
   RelVar_dK, m->update set): families of up to eight paths, so the law's
   moments are checked as for order 4 (ntk_conv_validate_order(conv, 4))
   whatever `order` is; ntk_moments_compute_order is this without them.
   The target y is an argument of the evaluation, not of the computation
   (ntk_moments_eval_target): one computation serves every y. */
ntk_status_t ntk_moments_compute_update(ntk_moments_t m, const ntk_profile_t p,
                                        const ntk_conv_t conv, int order,
                                        const ntk_exec_t exec, ntk_error_t * err);

#define NTK_DEAD_BITS_MAX (WORD(1) << 31)

/* Non-zero when the moments of p fit (NTK_DEAD_BITS_MAX) under conv and exec. */
int ntk_moments_fits(const ntk_profile_t p, const ntk_conv_t conv, const ntk_exec_t exec);

/* The number of significant decimal digits of quantity q at x2 >= 0 that a
   floating-point computation with
   `precision` bits guarantees (all of them, 0, in the exact mode): the
   precision less what the subtractions in Var_K, M3_K, M4_K, Kurt_K and
   Var_dK (at y = 0), RelVar_dK cancel; -1 for an argument out of range or a
   quantity not computed. */
slong ntk_moments_digits(const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2,
                         slong precision);

/* The same at the target y. */
slong ntk_moments_digits_target(const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2,
                                const fmpq_t y, slong precision);

/* res <- E[N^(2k)], 1 <= k <= 64, in closed form for Gaussian weights (the
   law's moments in conv are not used; the variances and slopes are):
   (2k-1)!! x2^k prod_l (c_l/n_(l-1))^k prod over hidden layers of
   E[(sum over the layer's neurons of s^2 Z^2)^k], s = a_plus or a_minus
   with probability 1/2, Z standard normal.  `check` takes the standard
   errors of E_N6 and E_N8 from it.  conv is checked by ntk_conv_validate. */
ntk_status_t ntk_moments_output_power(fmpq_t res, const ntk_profile_t p, const ntk_conv_t conv,
                                      const fmpq_t x2, ulong k, ntk_error_t * err);

/* Non-zero when quantity q was computed (its order is at most m->order, or
   it is one of the update's and m->update is set) and is defined at
   x2 >= 0: the ratios Skew2_K and Kurt_K are not where Var_K = 0 (x2 = 0
   for ReLU, depth 1), RelVar_dK is not where E_dK = 0 (x2 = 0, depth 1). */
int ntk_moments_defined(const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2);

/* Sets res to quantity q at the input norm x2 >= 0 (res may be x2), at the
   target y = 0 for E_dK2, Var_dK and RelVar_dK; NTK_ERR_RANGE (res 0) for q
   out of range or not computed, x2 < 0, or a ratio where it is undefined
   (ntk_moments_defined). */
ntk_status_t ntk_moments_eval(fmpq_t res, const ntk_moments_t m, ntk_quantity_t q,
                              const fmpq_t x2);

/* The same at the target y (any rational; res may be x2 or y): E_dK2 and
   Var_dK gain 4 y^2 E_g2, RelVar_dK is their quotient by E_dK^2; every other
   quantity does not depend on y. */
ntk_status_t ntk_moments_eval_target(fmpq_t res, const ntk_moments_t m, ntk_quantity_t q,
                                     const fmpq_t x2, const fmpq_t y);

/* res <- quantity q at the target y as a polynomial in x2, valid for x2 > 0
   (m->poly[q], plus 4 y^2 m->poly[NTK_E_G2] for E_dK2 and Var_dK);
   NTK_ERR_RANGE (res 0) for q out of range, not computed, or a ratio. */
ntk_status_t ntk_moments_poly_target(fmpq_poly_t res, const ntk_moments_t m, ntk_quantity_t q,
                                     const fmpq_t y);

/* ---------------------------------------------------------------- sampling */

/* How the sampler draws a network (doc/derivation.md, section 12). */
typedef enum
{
    NTK_SAMPLE_AUTO = 0,      /* projected for Gaussian weights, full for the others */
    NTK_SAMPLE_FULL = 1,      /* every weight: O(d n^2) work and memory per network, any law */
    NTK_SAMPLE_PROJECTED = 2  /* Gaussian weights only: each weight matrix's action on the
                                 few vectors the computation touches, drawn given what is
                                 already revealed; O(d n) work and memory, the same law */
}
ntk_sample_method_t;

/* "auto", "full" or "projected" ("?" out of range). */
const char * ntk_sample_method_name(ntk_sample_method_t method);

/* Monte Carlo estimates of every quantity, with standard errors.  Var_K is the
   unbiased sample variance of K, its standard error from the fourth central
   moment.  The orders 3 and 4 are sample means of the products (E_K3 ..
   E_N8); M3_K, Skew2_K, M4_K and Kurt_K are not estimated (NAN).  The
   update's second moment is estimated at the target y = 0 from each
   network's g_ww and g_wb: E_g2 .. E_N2gwb2 and E_dK2 = E[(2 N g)^2] are
   sample means, Var_dK the unbiased sample variance of dK/lambda = -2 N g
   (as Var_K), RelVar_dK is not estimated (NAN).  method is the method that
   ran (never NTK_SAMPLE_AUTO). */
typedef struct
{
    slong samples;
    ntk_sample_method_t method;
    double mean[NTK_N_QUANTITIES];
    double std_error[NTK_N_QUANTITIES];
}
ntk_sample_result_t;

/* Most weights one sampling thread may hold (one network at a time) with
   NTK_SAMPLE_FULL. */
#define NTK_SAMPLE_WEIGHTS_MAX (WORD(1) << 27)

/* Most neurons n_0 + ... + n_d of a network with NTK_SAMPLE_PROJECTED (a
   thread holds two doubles per neuron, 256 MiB at the limit). */
#define NTK_SAMPLE_NEURONS_MAX (WORD(1) << 24)

/* Draws `samples` networks with weights of the given law (conv->mu4 is not
   used: the law fixes every moment) and the variances, parametrization,
   biases and activation slopes of conv, input sqrt(x2) e_1, zero biases;
   computes K by backpropagation and g as an exact second derivative with
   the slopes frozen.  method chooses how a network is drawn; NTK_SAMPLE_PROJECTED with
   a law other than NTK_LAW_GAUSSIAN is NTK_ERR_RANGE (parameter "method").
   The two methods give estimates with the same law, not the same numbers.
   Sample k uses stream k of `seed`, and chunks are merged in order, so the
   result does not depend on exec->threads.  The slopes' size s factors out
   of the weights (doc/derivation.md, section 11): any size is sampled, but
   with biases (or the standard parametrization) parts of the quantities
   grow like s^2, and where they are beyond 2^+-240 the result is
   NTK_ERR_RANGE (parameter "activation"), as it is for variances or an x2
   that put K beyond that range ("cw_hidden", "x2"). */
ntk_status_t ntk_sample_run(ntk_sample_result_t * res, const ntk_profile_t p,
                            const ntk_conv_t conv, ntk_law_t law,
                            ntk_sample_method_t method, const fmpq_t x2, slong samples,
                            ulong seed, const ntk_exec_t exec, ntk_error_t * err);

/* (mean - exact) / std_error, computed without overflow for an exact value
   beyond double precision (the result may still be +-inf); when std_error =
   0, 0 if mean equals exact to 1e-12 relative, else +-inf; NaN when exact
   is NULL.  ntk_check_compare says the same in words. */
double ntk_sample_zscore(const fmpq_t exact, double mean, double std_error);

/* A run in pieces (checkpoints, several processes): the samples are split
   into chunks fixed by the network, the method and the sample count only;
   each chunk's moments are computed on their own and merged one by one in
   chunk order.  That order is the one ntk_sample_run merges in, so any
   split of the chunks among runs and processes gives its result bit for
   bit (the merge is not associative in floating point: merging runs of
   chunks first would not). */

/* The moments of the values of one quantity over consecutive samples: how
   many, their mean and their central moment sums M2, M3, M4. */
typedef struct
{
    double n, mean, m2, m3, m4;
}
ntk_sample_moments_t;

/* The moments of every quantity over the same consecutive samples. */
typedef struct
{
    ntk_sample_moments_t q[NTK_N_QUANTITIES];
}
ntk_sample_acc_t;

/* The split of a run: chunk c holds the samples [c chunk_size,
   min((c+1) chunk_size, samples)); method is the one that runs (never
   NTK_SAMPLE_AUTO). */
typedef struct
{
    slong samples, chunk_size, n_chunks;
    ntk_sample_method_t method;
}
ntk_sample_plan_t;

/* Checks the arguments as ntk_sample_run does and fills plan. */
ntk_status_t ntk_sample_plan(ntk_sample_plan_t * plan, const ntk_profile_t p,
                             const ntk_conv_t conv, ntk_law_t law, ntk_sample_method_t method,
                             const fmpq_t x2, slong samples, ntk_error_t * err);

/* acc[c - c0] <- the moments of chunk c, for c0 <= c < c1 <= n_chunks of
   the plan of the same arguments, on exec->threads threads; exec->progress
   counts the samples of the range.  When the progress callback stops the
   run (NTK_ERR_INTERRUPTED), the chunks whose count equals their length
   are complete and the others are to be discarded. */
ntk_status_t ntk_sample_run_chunks(ntk_sample_acc_t * acc, const ntk_profile_t p,
                                   const ntk_conv_t conv, ntk_law_t law,
                                   ntk_sample_method_t method, const fmpq_t x2, slong samples,
                                   ulong seed, slong c0, slong c1, const ntk_exec_t exec,
                                   ntk_error_t * err);

/* The number of samples of chunk c of plan (0 out of range or for a NULL
   plan). */
slong ntk_sample_chunk_length(const ntk_sample_plan_t * plan, slong c);

/* acc <- no sample (nothing when acc is NULL). */
void ntk_sample_acc_zero(ntk_sample_acc_t * acc);

/* acc <- the moments of the samples of acc followed by those of next
   (nothing when either is NULL). */
void ntk_sample_acc_merge(ntk_sample_acc_t * acc, const ntk_sample_acc_t * next);

/* Fills res from the moments of every sample of a run (method: the plan's);
   NTK_ERR_RANGE when an estimate overflowed double precision or acc holds
   fewer than 2 samples. */
ntk_status_t ntk_sample_acc_result(ntk_sample_result_t * res, const ntk_sample_acc_t * acc,
                                   ntk_sample_method_t method, ntk_error_t * err);

/* ---------------------------------------------------------------- checks */

/* What testing the exact moments against a Monte Carlo estimate needs
   beyond the values (ntkexact check, ntkexact.testing; doc/derivation.md,
   section 15): the exact variance of each estimate, the threshold of a
   family-wise test, and the median of means whose false-alarm rate holds
   for any law.  The struct holds the moments up to E[K^order] (at order 4
   with the update's second moment) and, with Gaussian weights, E[N^12] and
   E[N^16] in closed form. */
typedef struct
{
    ntk_moments_struct moments;
    fmpq output_power[2];     /* E[N^12], E[N^16] when gaussian */
    int gaussian;
    fmpq x2;
}
ntk_check_struct;

typedef ntk_check_struct ntk_check_t[1];

/* Initialises c (no moments: every variance is unknown). */
void ntk_check_init(ntk_check_t c);

/* Frees the memory held by c. */
void ntk_check_clear(ntk_check_t c);

/* Computes the moments of p up to E[K^order] at x2 (ntk_moments_compute_order:
   conv's mu6, mu8 must be the law's for order 3, 4), at order 4 with the
   second moment of the first SGD update (ntk_moments_compute_update, which
   needs the same mu6, mu8), and, when gaussian is non-zero (the weights
   are Gaussian), E[N^12] and E[N^16] by ntk_moments_output_power.  Order 4
   gives the exact variance of every estimate of order 2 (see
   ntk_check_variance); order 2 (a law whose mu6, mu8 are not known) those
   of E_K, E_Kw, E_Kb and E_N2 only. */
ntk_status_t ntk_check_compute(ntk_check_t c, const ntk_profile_t p, const ntk_conv_t conv,
                               const fmpq_t x2, int order, int gaussian, const ntk_exec_t exec,
                               ntk_error_t * err);

/* res <- the exact variance of the Monte Carlo estimate of quantity q from
   `samples` >= 2 independent networks, and returns 1; or returns 0 (res 0)
   when it is not known.  The estimate is the mean of the per-network value
   (K, K^2, K_w K_b, N^2, N^4, ...): its variance is (E[X^2] - E[X]^2)/samples,
   e.g. (E_K4 - E_K2^2)/samples for E_K2; for Var_K, the unbiased sample
   variance, it is (M4_K - (samples-3)/(samples-1) Var_K^2)/samples.  Not
   known: the quantities of order 3 and 4 but E_N6, E_N8 with Gaussian
   weights (they would need E[K^6], E[K^8]), the ratios and central moments
   (not estimated), and, when c holds no second moment of the update
   (order below 4), E_dK, E_Dww, E_Dwb.  Their per-network values are, at
   the target y = 0, dK/lambda = -2 N g, N g_ww and N g_wb, of variances
   4 E_N2g2 - E_dK^2 (E_dK2 - E_dK^2), E_N2gww2 - E_Dww^2 and
   E_N2gwb2 - E_Dwb^2. */
int ntk_check_variance(fmpq_t res, const ntk_check_t c, ntk_quantity_t q, slong samples);

/* The outcome of comparing an exact value with its estimate. */
typedef enum
{
    NTK_CHECK_PASS = 0,        /* |z| <= threshold (z = 0 when the standard error is
                                  0 and the estimate equals the exact value) */
    NTK_CHECK_FAIL,            /* |z| > threshold */
    NTK_CHECK_NO_SPREAD,       /* the standard error is 0 and the estimate differs
                                  from the exact value: z is not a number (a failure) */
    NTK_CHECK_BEYOND,          /* |z| is beyond double precision (a failure) */
    NTK_CHECK_NOT_ESTIMABLE    /* no estimate (NaN or infinite): not compared */
}
ntk_check_verdict_t;

/* Compares `estimate` with exact: *z <- (estimate - exact)/s, where the
   standard error s is sqrt(variance), exactly, when variance is not NULL
   (an exact variance, of any size), else stderr >= 0 (the sample's).  z is
   computed without overflow for any exact value, and is NaN for
   NO_SPREAD, BEYOND and NOT_ESTIMABLE.  "Equal" for s = 0 means within
   1e-12 relative to the exact value (the rounding of double precision). */
ntk_check_verdict_t ntk_check_compare(double * z, const fmpq_t exact, double estimate,
                                      const fmpq_t variance, double stderr, double threshold);

/* The family-wise threshold of `quantities` >= 1 tests at level alpha in
   (0, 1) (Bonferroni, each z normal): |z| > Phi^-1(1 - alpha/(2 quantities))
   fails some test with probability at most alpha when every estimate is
   normal with the exact standard error; NaN for arguments out of range. */
double ntk_check_threshold(double alpha, slong quantities);

/* The median-of-means test with exact variances: the samples split into
   `blocks` (odd) consecutive blocks of whole chunks (chunk c holds samples
   [c chunk_size, min((c+1) chunk_size, samples))); block b holds the chunks
   [b n_chunks/blocks, (b+1) n_chunks/blocks), at least min_block samples.
   A quantity fails when the median of its block estimates is further than
   t block standard deviations (those of an estimate from min_block samples)
   from the exact value.  For ANY law with the exact variance the
   probability of that is at most `bound` <= alpha (Cantelli's inequality per
   block, then the exact binomial tail of the blocks: doc/derivation.md,
   section 15).  threshold = t sqrt(samples/min_block): the same in units of
   sigma/sqrt(samples) for a mean; a mean off by `catches` sigma/sqrt(samples)
   or more (with a variance at most sigma^2) fails with probability at least
   1 - alpha. */
typedef struct
{
    slong samples, chunk_size, n_chunks;
    slong blocks, min_block;
    double t, bound, threshold, catches;
}
ntk_check_median_t;

/* The plan of the median of means at level alpha in (0, 1) for one
   quantity (divide alpha among several): the number of blocks (odd, at most
   n_chunks and 1001, blocks of >= 2 samples) that minimizes the threshold.
   NTK_ERR_RANGE for samples < 2, chunk_size < 1 or alpha out of range. */
ntk_status_t ntk_check_median_plan(ntk_check_median_t * plan, double alpha, slong samples,
                                   slong chunk_size, ntk_error_t * err);

/* The block of chunk c (0 <= c < n_chunks) in plan. */
slong ntk_check_median_block(const ntk_check_median_t * plan, slong c);

/* ---------------------------------------------------------------- expansions */

/* Every quantity for the profile n_0, n x (d-1), 1 as an exact function of the
   hidden width n: sum_j 2^(-j n) n^(-shift) part[q][j](n), where part[q][j]
   is a polynomial in n.  j = 0 is the part that is a polynomial in 1/n (a
   Laurent polynomial in general), j >= 1 the dead-layer part.  An expansion
   may leave out the dead-layer part (dead_part = 0; then n_parts[q] = 1) and
   the powers n^p with p < -order (order >= 0; -1: all powers kept).  It holds
   the quantities of the moments up to E[K^moment_order] (2, 3 or 4) but the
   ratios Skew2_K and Kurt_K, which are not of this form (n_parts 0). */
typedef struct
{
    slong depth;
    ulong n0;
    slong shift;
    slong n_parts[NTK_N_QUANTITIES];
    fmpq_poly_struct * part[NTK_N_QUANTITIES];
    int dead_part;
    slong order;
    int moment_order;
}
ntk_expand_struct;

typedef ntk_expand_struct ntk_expand_t[1];

/* Initialises e to the empty expansion. */
void ntk_expand_init(ntk_expand_t e);

/* Frees the memory held by e. */
void ntk_expand_clear(ntk_expand_t e);

/* How ntk_expand_compute_method computes an expansion. */
typedef enum
{
    NTK_EXPAND_PASS = 0,        /* one pass whose state values are polynomials in 1/n */
    NTK_EXPAND_INTERPOLATE = 1  /* the exact recursion at d + 14 widths, interpolated */
}
ntk_expand_method_t;

/* The largest depth of ntk_expand_compute, and of an expansion whose dead-layer
   part is kept (its size grows like d^3). */
#define NTK_EXPAND_DEPTH_MAX 1000
#define NTK_EXPAND_DEAD_DEPTH_MAX 400

/* Computes the expansion at x2 >= 0, 2 <= depth <= NTK_EXPAND_DEAD_DEPTH_MAX, by
   NTK_EXPAND_PASS; reports progress through exec.  At x2 = 0 (the dead
   input: every gate is a_minus) there is no 2^-n part, every quantity with
   K_w, N or the update is 0, and for slopes (a, 0) K is the output bias
   exactly (doc/derivation.md, section 9). */
ntk_status_t ntk_expand_compute(ntk_expand_t e, slong depth, ulong n0, const fmpq_t x2,
                                const ntk_conv_t conv, const ntk_exec_t exec,
                                ntk_error_t * err);

/* The same by either method, with the dead-layer part left out when
   dead_part is 0 (then the depth may reach NTK_EXPAND_DEPTH_MAX with
   NTK_EXPAND_PASS).  NTK_EXPAND_PASS runs the recursion once with the width
   symbolic: every state's value is a polynomial in 1/n, and the dead-layer
   factor 1 - 2^-n of the empty state a formal 1 - q (O(d^3) bit operations;
   doc/derivation.md, section 13).  NTK_EXPAND_INTERPOLATE runs the exact
   recursion with 1 - q at d + 14 concrete widths n and interpolates, with
   three widths to spare that must agree (else NTK_ERR_RANGE): O(d^4), an
   independent check of the first. */
ntk_status_t ntk_expand_compute_method(ntk_expand_t e, slong depth, ulong n0, const fmpq_t x2,
                                       const ntk_conv_t conv, ntk_expand_method_t method,
                                       int dead_part, const ntk_exec_t exec, ntk_error_t * err);

/* The largest depth of ntk_expand_compute_order at moment order 3 and 4 (either
   method, with or without the dead-layer part): the polynomials of a term
   with k path pairs reach n^-((k-1)(d-1)), so the cost grows like d^3 to d^4. */
#define NTK_EXPAND_DEPTH_MAX3 200
#define NTK_EXPAND_DEPTH_MAX4 100

/* The same with the moments up to E[K^moment_order], moment_order = 2 (as
   ntk_expand_compute_method), 3 or 4 (conv's mu6, mu8 checked as by
   ntk_moments_compute_order; 2 <= depth <= NTK_EXPAND_DEPTH_MAX3 or
   NTK_EXPAND_DEPTH_MAX4). */
ntk_status_t ntk_expand_compute_order(ntk_expand_t e, slong depth, ulong n0, const fmpq_t x2,
                                      const ntk_conv_t conv, ntk_expand_method_t method,
                                      int dead_part, int moment_order, const ntk_exec_t exec,
                                      ntk_error_t * err);

/* The largest depth of ntk_expand_series (any depth at the critical
   variance), and of its direct pass otherwise. */
#define NTK_SERIES_DEPTH_MAX (WORD(1) << 40)
#define NTK_SERIES_DIRECT_DEPTH_MAX 10000

/* The expansion at depth 2 <= depth <= NTK_SERIES_DEPTH_MAX truncated after
   n^-order, without its dead-layer part (dead_part = 0, e->order = order):
   at the critical cw_hidden the polynomials in d of ntk_series_compute
   evaluated at depth (microseconds), else a direct pass up the layers with
   the values truncated (depth <= NTK_SERIES_DIRECT_DEPTH_MAX). */
ntk_status_t ntk_expand_series(ntk_expand_t e, slong depth, slong order, ulong n0,
                               const fmpq_t x2, const ntk_conv_t conv, const ntk_exec_t exec,
                               ntk_error_t * err);

/* The same for the moments up to E[K^moment_order] (2, 3 or 4) and any
   x2 >= 0, with the orders of ntk_series_compute_order: the polynomials in d
   evaluated where they exist (any depth), else, at moment order 2, the
   direct pass, and at moment orders 3 and 4 the exponential polynomials of
   ntk_series_compute_order evaluated (depth <= NTK_SERIES_DIRECT_DEPTH_MAX). */
ntk_status_t ntk_expand_series_order(ntk_expand_t e, slong depth, slong order, ulong n0,
                                     const fmpq_t x2, const ntk_conv_t conv, int moment_order,
                                     const ntk_exec_t exec, ntk_error_t * err);

/* res <- quantity q at the hidden width n >= 1 (2^-n substituted exactly);
   NTK_ERR_RANGE for q or n out of range (n <= 2^40) or an empty expansion. */
ntk_status_t ntk_expand_eval(fmpq_t res, const ntk_expand_t e, ntk_quantity_t q, ulong n);

/* The coefficient of n^power in part j >= 0 of quantity q (0 beyond the
   parts); NTK_ERR_RANGE for q or j out of range. */
ntk_status_t ntk_expand_coeff(fmpq_t res, const ntk_expand_t e, ntk_quantity_t q, slong j,
                              slong power);

/* The lowest and highest powers of n in part j of quantity q (lo > hi: the
   part is zero); NTK_ERR_RANGE for q or j out of range. */
ntk_status_t ntk_expand_powers(slong * lo, slong * hi, const ntk_expand_t e, ntk_quantity_t q,
                               slong j);

/* The series in 1/n of num/den^k (k = 1 .. 4) from the parts j = 0, as
   coefficients s[i] of n^(-i) for i = 0..order (s has order + 1 entries);
   returns 1, or 0 when the series starts with a positive power of n (then s
   is zero), or -1 for an argument out of range, or -2 when den is 0 (E[K]
   at x2 = 0 without biases; then s is zero). */
int ntk_expand_ratio_series(fmpq * s, const ntk_expand_t e, ntk_quantity_t num,
                            ntk_quantity_t den, int k, slong order);

/* ---------------------------------------------------------------- series in 1/n */

/* One coefficient of a series in 1/n as a function of the depth d: num(d) /
   den(d) (polynomials in d; den = 1 for a moment) for every depth d >= d_min,
   and the exact values at the depths 2 .. d_min - 1 (below[d - 2]), where the
   polynomial does not hold.  Where the coefficients are not polynomials in d
   (ntk_series_compute_order off the critical cw_hidden, or at x2 = 0) they
   are exponential polynomials: num(d) + sum_l lambda[l]^d num_lambda[l](d)
   over den(d) + sum_l lambda[l]^d den_lambda[l](d), l < n_lambda, with
   lambda[l] = (c A_2)^(l+1) (at x2 = 0: (c a_minus^2)^(l+1)); n_lambda is 0
   for polynomials. */
typedef struct
{
    fmpq_poly_struct num, den;
    slong d_min;
    fmpq * below;
    slong n_lambda;
    fmpq * lambda;
    fmpq_poly_struct * num_lambda, * den_lambda;
}
ntk_series_coeff_struct;

/* The ratios whose series ntk_series_compute_order gives: the first
   ntk_ratio_count(moment_order). */
typedef enum
{
    NTK_RATIO_K2 = 0,     /* E[K^2]/E[K]^2 - 1 */
    NTK_RATIO_DK = 1,     /* E[dK]/(lambda E[K]) */
    NTK_RATIO_K3 = 2,     /* E[K^3]/E[K]^3 (moment order 3 and 4) */
    NTK_RATIO_SKEW2 = 3,  /* Skew2_K = M3_K^2 / Var_K^3 (moment order 3 and 4) */
    NTK_RATIO_K4 = 4,     /* E[K^4]/E[K]^4 (moment order 4) */
    NTK_RATIO_KURT = 5,   /* Kurt_K = M4_K / Var_K^2 - 3 (moment order 4) */
    NTK_N_RATIOS
}
ntk_ratio_t;

/* The name of ratio r, e.g. "E[K^2]/E[K]^2 - 1" ("?" out of range). */
const char * ntk_ratio_name(ntk_ratio_t r);

/* The number of ratios of the moments up to E[K^moment_order]: 2, 4 or 6
   (0 for an order out of 2..4). */
int ntk_ratio_count(int moment_order);

/* Every quantity of the profile n_0, n x (d-1), 1, without its 2^-n part, as
   a series in 1/n whose coefficients are functions of the depth d: the
   coefficient of n^p of quantity q is coeff[q][hi[q] - p] for
   -order <= p <= hi[q] (hi[q] is 0 in the NTK parametrization, up to 2 in
   the standard one; higher powers are 0); the coefficient of n^-k of ratio r
   is ratio[r][k], 0 <= k <= order, where ratio_ok[r] is 1 (0: the ratio's
   series starts with a positive power of n, and ratio[r] is NULL; -1: its
   denominator is 0, at x2 = 0 only).  The quantities and ratios are those of
   the moments up to E[K^moment_order] (the ratios Skew2_K and Kurt_K among
   the ratios, not the quantities); at moment order 3 and 4 hi[q] reaches 3
   and 4 in the standard parametrization. */
typedef struct
{
    slong order;
    ulong n0;
    slong hi[NTK_N_QUANTITIES];
    ntk_series_coeff_struct * coeff[NTK_N_QUANTITIES];
    int ratio_ok[NTK_N_RATIOS];
    ntk_series_coeff_struct * ratio[NTK_N_RATIOS];
    int moment_order;
}
ntk_series_struct;

typedef ntk_series_struct ntk_series_t[1];

/* The largest order of ntk_series_compute and ntk_series_compute_order
   where the coefficients are polynomials in d (at the critical cw_hidden),
   and of ntk_series_compute_order where they are exponential polynomials
   (away from it, or at x2 = 0). */
#define NTK_SERIES_ORDER_MAX 40
#define NTK_SERIES_EXP_ORDER_MAX 20

void ntk_series_init(ntk_series_t s);

void ntk_series_clear(ntk_series_t s);

/* Computes the series to n^-order (0 <= order <= NTK_SERIES_ORDER_MAX) at
   x2 > 0: a pass up the layers gives each term's coefficients at the depths
   2 .. 2 order + O(1), and each coefficient of n^-k, a polynomial in d of
   degree <= k + (its marks) from a proven depth on, is interpolated there and
   checked at every other depth (doc/derivation.md, section 13); the ratios'
   coefficients are rational functions of d in lowest terms.  Only at the
   critical cw_hidden 1/A_2: otherwise the coefficients are sums of
   lambda^d P_lambda(d), lambda in {1, c A_2, (c A_2)^2}, not polynomials,
   and the result is NTK_ERR_RANGE (ntk_series_compute_order gives them). */
ntk_status_t ntk_series_compute(ntk_series_t s, slong order, ulong n0, const fmpq_t x2,
                                const ntk_conv_t conv, const ntk_exec_t exec,
                                ntk_error_t * err);

/* The same for the moments up to E[K^moment_order] (2, 3 or 4; conv's mu6,
   mu8 checked as by ntk_moments_compute_order), at any cw_hidden and any
   x2 >= 0.  At the critical cw_hidden (and x2 > 0) the coefficient of n^-k of
   a term with M marks is a polynomial in d of degree <= k + M (order up to
   NTK_SERIES_ORDER_MAX).
   Elsewhere it is sum_m (c A_2)^(m d) P_m(d) over the numbers m of path pairs
   that the term's paths reach (E[K^k]: m = 0 .. k), deg P_m <= k + M - (k_max - m),
   fitted by partial fractions and checked at every other depth (order up to
   NTK_SERIES_EXP_ORDER_MAX); the ratios' coefficients are then quotients of
   such sums, in lowest terms as polynomials in d and lambda^d.  At x2 = 0 the
   terms with full paths vanish, every gate is a_minus, and c a_minus^2 takes
   the place of c A_2 (for ReLU everything is constant: K = 1 with biases). */
ntk_status_t ntk_series_compute_order(ntk_series_t s, slong order, ulong n0, const fmpq_t x2,
                                      const ntk_conv_t conv, int moment_order,
                                      const ntk_exec_t exec, ntk_error_t * err);

/* The coefficient of n^power of quantity q, or NULL when power > hi[q],
   power < -order, or q is out of range (or not of the moment order). */
const ntk_series_coeff_struct * ntk_series_coeff(const ntk_series_t s, ntk_quantity_t q,
                                                 slong power);

/* The coefficient of n^-k of ratio r, or NULL (out of range, or the ratio
   starts with a positive power of n, or is undefined). */
const ntk_series_coeff_struct * ntk_series_ratio(const ntk_series_t s, ntk_ratio_t r, slong k);

/* res <- the coefficient c at the depth d >= 2; NTK_ERR_RANGE for d < 2 or
   a zero denominator (a pole).  An exponential polynomial needs lambda^d
   exactly: d <= NTK_SERIES_DIRECT_DEPTH_MAX then (else NTK_ERR_RANGE). */
ntk_status_t ntk_series_coeff_eval(fmpq_t res, const ntk_series_coeff_struct * c, slong d);

/* ---------------------------------------------------------------- the paper */

/* Ratios exact / shape for Hanin and Nica's statements (doc/derivation.md,
   section 10): E_K, E_K2, |E_dK|, E_Kw, E_Kw2, E_Kb, E_Kb2, E_KwKb, in this order. */
#define NTK_PAPER_N 8

/* A short label of ratio k ("?" out of range). */
const char * ntk_paper_name(int k);

/* Fills ratio[0 .. NTK_PAPER_N-1] for the moments m (computed) of profile p
   (depth >= 2) at x2 > 0; NTK_ERR_RANGE otherwise. */
ntk_status_t ntk_paper_ratios(double * ratio, const ntk_moments_t m, const ntk_profile_t p,
                              const fmpq_t x2);

/* ---------------------------------------------------------------- limits */

/* Limits as the hidden width n and the depth d grow together with
   beta = sum of 1/n_i over the hidden layers fixed (uniform hidden widths,
   cw_hidden = 2, NTK parametrization) and a = x2/n_0 fixed. */
typedef struct
{
    mpfr_t e_k;        /* E[K] / d */
    mpfr_t e_k2;       /* E[K^2] / d^2 */
    mpfr_t ratio_k2;   /* E[K^2] / E[K]^2 */
    mpfr_t ratio_dk;   /* E[dK] / (lambda E[K] d beta) */
    mpfr_t ratio_n4;   /* E[N^4] / E[N^2]^2, which is 3 exp(5 beta) */
    mpfr_t e_k3;       /* E[K^3] / d^3 (ntk_limit_compute_moments, moments >= 3) */
    mpfr_t ratio_k3;   /* E[K^3] / E[K]^3 */
    mpfr_t ratio_n6;   /* E[N^6] / E[N^2]^3, which is 15 exp(15 beta) */
    mpfr_t e_k4;       /* E[K^4] / d^4 (moments 4) */
    mpfr_t ratio_k4;   /* E[K^4] / E[K]^4 */
    mpfr_t ratio_n8;   /* E[N^8] / E[N^2]^4, which is 105 exp(30 beta) */
    int initialised;   /* set by ntk_limit_init, cleared by ntk_limit_clear */
}
ntk_limit_struct;

typedef ntk_limit_struct ntk_limit_t[1];

/* Initialises the values with prec bits (MPFR_PREC_MIN .. 2^24). */
void ntk_limit_init(ntk_limit_t l, mpfr_prec_t prec);

/* Frees the values. */
void ntk_limit_clear(ntk_limit_t l);

/* Computes the limits from the generator of the transfer recursion: one
   matrix exponential per term (doc/derivation.md, section 8), each value
   with a relative error below 2^-prec.  mu4 and the dead-layer factors drop
   out; cw_output and biases on/off are honoured.  beta must lie in
   [10^-1000, 10^6] and a in [0, 10^100]; a = 0 is the input x = 0, where
   K = 1: E[K]/d, E[K^2]/d^2 and the dK ratio are 0, E[K^2]/E[K]^2 is 1 and
   E[N^4]/E[N^2]^2 is NaN (N = 0). */
ntk_status_t ntk_limit_compute(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                               const ntk_conv_t conv, ntk_error_t * err);

/* The same limits from their closed forms in exp(5 beta), exp(-beta) and
   beta (derived by doc/tools/limit_closed_form.py; doc/derivation.md), with
   the precision raised for the cancellation at small beta. */
ntk_status_t ntk_limit_closed_form(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                   const ntk_conv_t conv, ntk_error_t * err);

/* The number of limit values, and the most digits ntk_limit_get_strs gives. */
#define NTK_LIMIT_N 5
#define NTK_LIMIT_DIGITS_MAX 100000

/* The most limit values (ntk_limit_get_strs_moments at moments 4). */
#define NTK_LIMIT_N_MAX 11

/* The number of limit values up to the moments of order `moments`: 5 (2),
   8 (3: E[K^3]/d^3, E[K^3]/E[K]^3, E[N^6]/E[N^2]^3 added), 11 (4:
   E[K^4]/d^4, E[K^4]/E[K]^4, E[N^8]/E[N^2]^4 added); 0 for other orders. */
int ntk_limit_n(int moments);

/* ntk_limit_compute, and for moments 3 or 4 also the limits of the moments
   of order 3 (e_k3, ratio_k3, ratio_n6) and 4 (e_k4, ratio_k4, ratio_n8;
   NaN at moments 3), each from the generator of the continuum states
   (which marks are placed, the pairing of the present paths), reduced by
   the symmetry of the future (doc/derivation.md, section 8), for every
   activation; mu4, mu6 and mu8 drop out.  moments 2, 3 or 4.  With slopes
   0, a_minus != 0 and biases the dead phase bounds beta: beta <= 1/moments
   (NTK_ERR_RANGE beyond).  At a = 0 with a_minus = 0 (K = 1) the
   E[K^k]/d^k are 0, the E[K^k]/E[K]^k are 1 and the N ratios NaN; with
   |a_plus| = |a_minus| the N ratios are NaN (N = 0). */
ntk_status_t ntk_limit_compute_moments(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                       const ntk_conv_t conv, int moments, ntk_error_t * err);

/* The same from the closed forms: every term an exponential polynomial in
   beta with exact rational coefficients.  With a slope 0 (A_4 = 2 A_2^2)
   the exponents are 30, 16, 15, 10, 5, 0, -1 and the coefficients a table
   (fitted to the generator's Taylor coefficients by
   doc/tools/limit_moments_closed_form.py); otherwise the exponents are
   eigenvalues of the generator, -C(m,2) + r (m^2 - 2m + content(2 mu))/2
   (r = A_4/A_2^2, mu a partition of m <= 4), and the coefficients are
   fitted exactly at run time to the Taylor coefficients of the spectral
   reduction of the transfer recursion's layer maps (the data of
   ntk_limit_correction), not to the generator.  The precision is raised
   for the cancellation at small beta and between close exponents. */
ntk_status_t ntk_limit_closed_form_moments(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                           const ntk_conv_t conv, int moments,
                                           ntk_error_t * err);

/* The five limits (E[K]/d, E[K^2]/d^2, E[K^2]/E[K]^2, the dK ratio,
   E[N^4]/E[N^2]^2) as decimal strings of `digits` significant digits, every
   digit correct: each is computed at two precisions 64 bits apart, more when
   they disagree in those digits.  values[k] is NULL where a value is
   undefined (E[N^4]/E[N^2]^2 at a = 0); closed (may be NULL) gets the same
   from the closed forms, and agree (may be NULL) the number of significant
   digits the two share (digits when they agree).  Free every string with
   flint_free. */
ntk_status_t ntk_limit_get_strs(char ** values, char ** closed, slong * agree,
                                const fmpq_t beta, const fmpq_t a, const ntk_conv_t conv,
                                slong digits, ntk_error_t * err);

/* The 1/n corrections: at beta = (d-1)/n and a fixed, each limit value is
   F_0(beta) + F_1(beta)/n + O(1/n^2) (with d = beta n + 1 in E[K]/d, E[K^2]/d^2
   and the dK ratio); sets the five values of l to their F_1 (NaN where the
   value is undefined).  From the spectral reduction of the layer map at
   order 1/n: per term one block-triangular matrix exponential
   exp(beta [[L1, H], [0, L1]]) (doc/derivation.md, section 13).  The same
   conditions as ntk_limit_compute and, with slopes 0, a_minus != 0 and
   biases, beta < 1/2. */
ntk_status_t ntk_limit_correction(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                  const ntk_conv_t conv, ntk_error_t * err);

/* The same from the closed forms: per term an exponential polynomial
   sum c beta^i e^(lambda beta) (lambda the eigenvalues of the generator)
   whose exact rational coefficients are fitted to as many exact Taylor
   coefficients as its dimension. */
ntk_status_t ntk_limit_correction_closed_form(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                              const ntk_conv_t conv, ntk_error_t * err);

/* ntk_limit_get_strs for order 0 (the limits F_0) or order 1 (their 1/n
   corrections F_1, by ntk_limit_correction and its closed form), with the
   same guarantee that every digit is correct. */
ntk_status_t ntk_limit_get_strs_order(char ** values, char ** closed, slong * agree,
                                      const fmpq_t beta, const fmpq_t a, const ntk_conv_t conv,
                                      int order, slong digits, ntk_error_t * err);

/* ntk_limit_correction and ntk_limit_correction_closed_form up to the
   moments of order `moments` (2, 3 or 4): also F_1 of E[K^3]/d^3,
   E[K^3]/E[K]^3, E[N^6]/E[N^2]^3 (3) and E[K^4]/d^4, E[K^4]/E[K]^4,
   E[N^8]/E[N^2]^4 (4; NaN at 3), for every activation.  F_1 depends on mu4
   but not on mu6 or mu8.  With slopes 0, a_minus != 0 and biases,
   beta < 1/moments. */
ntk_status_t ntk_limit_correction_moments(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                          const ntk_conv_t conv, int moments, ntk_error_t * err);

ntk_status_t ntk_limit_correction_closed_form_moments(ntk_limit_t l, const fmpq_t beta,
                                                      const fmpq_t a, const ntk_conv_t conv,
                                                      int moments, ntk_error_t * err);

/* As ntk_limit_get_strs, the ntk_limit_n(moments) limits up to the moments
   of order `moments` (2, 3 or 4; 2 gives ntk_limit_get_strs), in the order
   of ntk_limit_struct, by ntk_limit_compute_moments and
   ntk_limit_closed_form_moments, with the same guarantee that every digit
   is correct.  values and closed (if not NULL) have room for
   ntk_limit_n(moments) strings. */
ntk_status_t ntk_limit_get_strs_moments(char ** values, char ** closed, slong * agree,
                                        const fmpq_t beta, const fmpq_t a,
                                        const ntk_conv_t conv, int moments, slong digits,
                                        ntk_error_t * err);

/* Both: the ntk_limit_n(moments) values of order `order` (0: the limits
   F_0, as ntk_limit_get_strs_moments; 1: their 1/n corrections F_1, by
   ntk_limit_correction_moments and its closed form) up to the moments of
   order `moments`, every digit correct. */
ntk_status_t ntk_limit_get_strs_order_moments(char ** values, char ** closed, slong * agree,
                                              const fmpq_t beta, const fmpq_t a,
                                              const ntk_conv_t conv, int order, int moments,
                                              slong digits, ntk_error_t * err);

/* ---------------------------------------------------------------- two inputs: the kernel */

/* The NTK across two inputs x, x', given by their Gram entries x2 = |x|^2,
   y2 = |x'|^2, xy = x.x' (exact rationals, with n_0 the input width of the
   profile): the infinite-width kernels and the coefficients of 1/n_l of the
   moments of K(x, x') (doc/derivation.md, section 16).  Gaussian weights
   only (mu4 = 3): with another law the first layer's pre-activations are
   not Gaussian (n_0 is finite), and even the infinite-width kernel depends
   on the law beyond mu4 and on the inputs' coordinates.  Every number is an
   Arb ball that contains the true value; the 2^-n dead-layer parts of the
   exact moments (one slope 0, biases on) are smaller than every power of
   1/n and are not included. */

/* The moments whose 1/n coefficients are computed (K = K(x, x'), Kxx =
   K(x, x), Kyy = K(x', x')).  E[K(x,x)] and E[K(x',x')] have none, and
   E[N(x)^2], E[N(x')^2] none either. */
typedef enum
{
    NTK_KERNEL_E_KXY = 0,      /* E[K(x,x')] */
    NTK_KERNEL_VAR_KXY,        /* Var[K(x,x')] */
    NTK_KERNEL_COV_KXX_KYY,    /* Cov[K(x,x), K(x',x')] */
    NTK_KERNEL_E_NXNY,         /* E[N(x) N(x')] */
    NTK_KERNEL_VAR_KXX,        /* Var[K(x,x)] */
    NTK_KERNEL_VAR_KYY,        /* Var[K(x',x')] */
    NTK_KERNEL_COV_KXX_KXY,    /* Cov[K(x,x), K(x,x')] */
    NTK_KERNEL_COV_KXY_KYY,    /* Cov[K(x,x'), K(x',x')] */
    NTK_KERNEL_N_COEFFS
}
ntk_kernel_coeff_t;

/* The key of coefficient q ("E_Kxy", "Var_Kxy", ...; "?" out of range). */
const char * ntk_kernel_coeff_name(ntk_kernel_coeff_t q);

/* What ntk_kernel_compute computes: the infinite-width kernels only; also
   the coefficients summed over the layers (coeff_sum, first_order; one pass
   up the layers); also every layer's coefficient (coeff; a pass up and one
   back down). */
typedef enum
{
    NTK_KERNEL_INFINITE = 0,
    NTK_KERNEL_FIRST_ORDER = 1,
    NTK_KERNEL_PER_LAYER = 2
}
ntk_kernel_what_t;

/* The kernels of a pair of inputs.  The pairs are indexed 0: (x, x),
   1: (x, x'), 2: (x', x').  theta[p] is the infinite-width NTK and sigma[p]
   the infinite-width NNGP kernel E[N N].  With the corrections, each
   moment M of quantity q is, for hidden widths n_1 .. n_{d-1},

       M = M_inf + sum_l coeff[q][l - 1] / n_l + O(1/n^2),

   M_inf being theta[1] for E[K(x,x')], sigma[1] for E[N(x)N(x')] and 0 for
   the (co)variances; coeff_sum[q] is sum_l coeff[q][l - 1] (the coefficient
   of 1/n when every hidden width is n) and first_order[q] the sum of
   coeff[q][l - 1]/n_l at the profile's widths.  In the standard
   parametrization the weight part of layer l carries the factor
   n_{l-1}/c_l, held at the profile's value in the coefficients. */
typedef struct
{
    arb_struct theta[3], sigma[3];
    slong n_hidden;                              /* d - 1 */
    ntk_kernel_what_t what;                      /* what was computed */
    arb_ptr coeff[NTK_KERNEL_N_COEFFS];          /* n_hidden entries each (PER_LAYER; else NULL) */
    arb_struct coeff_sum[NTK_KERNEL_N_COEFFS];
    arb_struct first_order[NTK_KERNEL_N_COEFFS];
}
ntk_kernel_struct;

typedef ntk_kernel_struct ntk_kernel_t[1];

/* The largest depth of ntk_kernel_compute (time and memory are O(depth)). */
#define NTK_KERNEL_DEPTH_MAX (WORD(1) << 20)

/* The most digits ntk_kernel_compute_digits and ntk_kernel_gram_get_strs give. */
#define NTK_KERNEL_DIGITS_MAX 10000

/* Initialises k to an empty result. */
void ntk_kernel_init(ntk_kernel_t k);

/* Frees the memory held by k. */
void ntk_kernel_clear(ntk_kernel_t k);

/* Checks that x2, y2, xy are the Gram entries of two real vectors: x2, y2 >= 0
   and xy^2 <= x2 y2, exactly. */
ntk_status_t ntk_kernel_check_inputs(const fmpq_t x2, const fmpq_t y2, const fmpq_t xy,
                                     ntk_error_t * err);

/* Computes what `what` says of the pair in ball arithmetic with prec bits
   (the balls' radii say how many digits are right): the infinite-width
   values by the arc-cosine recursion, and the coefficients from the 1/n
   recursion of the layers' collective variables (the mean corrections and
   covariances of the activations' Gram matrix and of the NTK's mean, and two
   tensors of the NTK's correlations across neurons), O(depth) layer steps
   and, for PER_LAYER, O(depth) memory.  conv: mu4 must be 3; any slopes,
   biases, either parametrization, cw_hidden, cw_output.  Depth at most
   NTK_KERNEL_DEPTH_MAX.  exec (may be NULL) only for its progress callback
   (layer steps; the computation is sequential): NTK_ERR_INTERRUPTED when it
   asks to stop, k then being undefined until the next call. */
ntk_status_t ntk_kernel_compute(ntk_kernel_t k, const ntk_profile_t p, const fmpq_t x2,
                                const fmpq_t y2, const fmpq_t xy, const ntk_conv_t conv,
                                ntk_kernel_what_t what, slong prec, const ntk_exec_t exec,
                                ntk_error_t * err);

/* The same with the precision raised until every value computed (theta,
   sigma, and coeff_sum, first_order, coeff as `what` says) determines its
   first `digits` significant digits: both ends of its ball round to the same
   decimal (ntk_kernel_get_decimal), so that the printed digits are those of
   the true value, correctly rounded; a value that is exactly 0 is 0.
   1 <= digits <= NTK_KERNEL_DIGITS_MAX; NTK_ERR_RANGE (param "digits") if the
   precision would exceed 2^20 bits; exec as for ntk_kernel_compute (the
   progress restarts with each precision tried). */
ntk_status_t ntk_kernel_compute_digits(ntk_kernel_t k, const ntk_profile_t p, const fmpq_t x2,
                                       const fmpq_t y2, const fmpq_t xy, const ntk_conv_t conv,
                                       ntk_kernel_what_t what, slong digits,
                                       const ntk_exec_t exec, ntk_error_t * err);

/* The value of x with `digits` significant digits (in the style of
   ntk_rational_get_decimal), or NULL when the ball does not determine them
   (its ends round differently); "0" for an exact zero.  Free with flint_free. */
char * ntk_kernel_get_decimal(const arb_t x, slong digits);

/* The infinite-width NTK (theta) and NNGP kernel (sigma) of m inputs given
   by their Gram matrix gram (m x m, row-major, exact rationals): theta and
   sigma (either may be NULL) get m x m balls, row-major, computed with prec
   bits, on exec->threads threads.  gram must be symmetric with every 2 x 2
   principal minor admissible (ntk_kernel_check_inputs); positive
   semi-definiteness of the whole matrix is not required (each entry depends
   on its pair only). */
ntk_status_t ntk_kernel_gram(arb_ptr theta, arb_ptr sigma, const fmpq * gram, slong m,
                             const ntk_profile_t p, const ntk_conv_t conv, slong prec,
                             const ntk_exec_t exec, ntk_error_t * err);

/* The same as decimal strings of `digits` significant digits, every digit
   correct (each entry's precision raised until its ball determines them);
   theta and sigma (either may be NULL) get m x m strings, free each with
   flint_free. */
ntk_status_t ntk_kernel_gram_get_strs(char ** theta, char ** sigma, const fmpq * gram, slong m,
                                      const ntk_profile_t p, const ntk_conv_t conv, slong digits,
                                      const ntk_exec_t exec, ntk_error_t * err);

/* ---------------------------------------------------------------- two inputs: sampling */

/* Monte Carlo estimates of the moments of the NTK across two inputs x, x'
   (doc/derivation.md, section 16.7): x = sqrt(x2) e_1 and x' in the span of
   e_1, e_2 with |x'|^2 = y2 and x.x' = xy, zero biases, the conventions and
   weight law of ntk_sample_run.  Each network gives K(x,x'), K(x,x),
   K(x',x'), N(x), N(x'); the estimates are indexed by ntk_kernel_coeff_t
   for the moments of ntk_kernel_compute (E_Kxy, Var_Kxy, Cov_Kxx_Kyy,
   E_NxNy, Var_Kxx, Var_Kyy, Cov_Kxx_Kxy, Cov_Kxy_Kyy) and by the values
   below for the means of the diagonal, which the one-input engine gives
   exactly (E_K and E_N2 of ntk_moments at x2 and at y2). */
typedef enum
{
    NTK_SAMPLE_PAIR_E_KXX = NTK_KERNEL_N_COEFFS,   /* E[K(x,x)] */
    NTK_SAMPLE_PAIR_E_KYY,                         /* E[K(x',x')] */
    NTK_SAMPLE_PAIR_E_NX2,                         /* E[N(x)^2] */
    NTK_SAMPLE_PAIR_E_NY2,                         /* E[N(x')^2] */
    NTK_SAMPLE_PAIR_N
}
ntk_sample_pair_extra_t;

/* The key of estimate q: ntk_kernel_coeff_name(q) for q < NTK_KERNEL_N_COEFFS,
   then "E_Kxx", "E_Kyy", "E_Nx2", "E_Ny2" ("?" out of range). */
const char * ntk_sample_pair_name(int q);

/* The estimates with their standard errors: means are sample means; a
   variance or covariance is the unbiased sample (co)variance, its standard
   error sqrt((m22 - c^2)/samples) from the sample's central moment
   m22 = mean of (A - mean A)^2 (B - mean B)^2 (m4 for a variance), as
   Var_K's in ntk_sample_result_t. */
typedef struct
{
    slong samples;
    ntk_sample_method_t method;
    double mean[NTK_SAMPLE_PAIR_N];
    double std_error[NTK_SAMPLE_PAIR_N];
}
ntk_sample_pair_result_t;

/* The values of one network of a two-input run. */
typedef enum
{
    NTK_PAIR_KXY = 0, NTK_PAIR_KXX, NTK_PAIR_KYY, NTK_PAIR_NX, NTK_PAIR_NY, NTK_PAIR_N_VALUES
}
ntk_pair_value_t;

/* Draws `samples` networks as ntk_sample_run does, each at both inputs;
   x2, y2, xy must be the Gram entries of two vectors
   (ntk_kernel_check_inputs), and with n_0 = 1 the inputs must be parallel
   (xy^2 = x2 y2).  NTK_SAMPLE_PROJECTED conditions each weight matrix on
   its products with the (at most two) directions of the layer's two
   activation vectors and then with the two backward vectors: O(d n) work per
   network, about twice the one-input method's.  With the full method,
   network k draws the same weights as network k of ntk_sample_run (the same
   seed), so K(x,x) is the one-input sampler's K to the bit.  The result
   does not depend on exec->threads (exec may be NULL: one thread).  The
   extreme-slope and range refusals of ntk_sample_run apply, at the larger
   of x2 and y2. */
ntk_status_t ntk_sample_pair_run(ntk_sample_pair_result_t * res, const ntk_profile_t p,
                                 const ntk_conv_t conv, ntk_law_t law,
                                 ntk_sample_method_t method, const fmpq_t x2, const fmpq_t y2,
                                 const fmpq_t xy, slong samples, ulong seed,
                                 const ntk_exec_t exec, ntk_error_t * err);

/* v <- the values (ntk_pair_value_t) of networks first .. first + count - 1
   of the run of ntk_sample_pair_run with the same arguments (count rows of
   NTK_PAIR_N_VALUES doubles): for tests and studies of the per-network
   law. */
ntk_status_t ntk_sample_pair_values(double * v, const ntk_profile_t p, const ntk_conv_t conv,
                                    ntk_law_t law, ntk_sample_method_t method, const fmpq_t x2,
                                    const fmpq_t y2, const fmpq_t xy, ulong seed, slong first,
                                    slong count, ntk_error_t * err);

/* A two-input run in pieces (checkpoints, several processes), as
   ntk_sample_run_chunks for one input: the chunks are those of the plan of
   ntk_sample_pair_plan, and any split of them among runs and processes,
   merged in chunk order, gives ntk_sample_pair_run's result bit for bit.
   A chunk holds the sums of the powers of its networks' values minus a
   shift, the values of network 0 (the same in every piece of a run):
   s[i][j][k] sums (Kxy - shift[0])^i (Kxx - shift[1])^j (Kyy - shift[2])^k
   for i + j + k <= 4 (the other entries are 0); p[i][0] and p[i][1] sum the
   first and second powers of (Nx Ny, Nx^2, Ny^2)[i] - shift[3 + i]. */
typedef struct
{
    double n;
    double shift[6];
    double s[5][5][5];
    double p[3][2];
}
ntk_sample_pair_acc_t;

/* Checks the arguments as ntk_sample_pair_run does and fills plan. */
ntk_status_t ntk_sample_pair_plan(ntk_sample_plan_t * plan, const ntk_profile_t p,
                                  const ntk_conv_t conv, ntk_law_t law,
                                  ntk_sample_method_t method, const fmpq_t x2, const fmpq_t y2,
                                  const fmpq_t xy, slong samples, ntk_error_t * err);

/* acc[c - c0] <- the sums of chunk c, for c0 <= c < c1 <= n_chunks of the
   plan of the same arguments, on exec->threads threads (exec may be NULL:
   one thread); exec->progress counts the samples of the range.  When the
   progress callback stops the run (NTK_ERR_INTERRUPTED), the chunks whose
   n equals their length are complete and the others are to be discarded. */
ntk_status_t ntk_sample_pair_run_chunks(ntk_sample_pair_acc_t * acc, const ntk_profile_t p,
                                        const ntk_conv_t conv, ntk_law_t law,
                                        ntk_sample_method_t method, const fmpq_t x2,
                                        const fmpq_t y2, const fmpq_t xy, slong samples,
                                        ulong seed, slong c0, slong c1, const ntk_exec_t exec,
                                        ntk_error_t * err);

/* acc <- no network (nothing when acc is NULL). */
void ntk_sample_pair_acc_zero(ntk_sample_pair_acc_t * acc);

/* acc <- the sums of the networks of acc followed by those of next, a
   chunk of the same run (nothing when either is NULL); an empty acc takes
   next's shift. */
void ntk_sample_pair_acc_merge(ntk_sample_pair_acc_t * acc, const ntk_sample_pair_acc_t * next);

/* Fills res from the sums of every network of a run (method: the plan's);
   NTK_ERR_RANGE when an estimate overflowed double precision or acc holds
   fewer than 2 networks. */
ntk_status_t ntk_sample_pair_acc_result(ntk_sample_pair_result_t * res,
                                        const ntk_sample_pair_acc_t * acc,
                                        ntk_sample_method_t method, ntk_error_t * err);

#ifdef __cplusplus

}
#endif

#endif
