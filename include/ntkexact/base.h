/* ntkexact, module base: errors, rationals, width profiles, conventions,
   weight laws, execution and the table of quantities: what every module uses.
   Part of the public API (include <ntkexact.h>, which holds the contract of
   every function). */

#ifndef NTKEXACT_BASE_H
#define NTKEXACT_BASE_H

#include <stdint.h>
#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fmpq.h>
#include <flint/fmpq_poly.h>
#include <mpfr.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif
