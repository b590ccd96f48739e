/* Internal interfaces of libntkexact: interaction patterns, the state space
   of a term and the one-layer transfer step.  Not installed. */

#ifndef NTK_INTERNAL_H
#define NTK_INTERNAL_H

#include <pthread.h>
#include <mpfr.h>
#include "ntkexact.h"

#define NTK_MAX_PATHS 4
#define NTK_MAX_MARKS 2
#define NTK_MAX_STATES 64

/* A mark ties two paths: a shared, removed weight edge at some layer
   (NTK_MARK_WEIGHT), or a common birth neuron at some hidden layer. */
typedef enum { NTK_MARK_WEIGHT = 0, NTK_MARK_BIAS = 1 } ntk_mark_kind_t;

typedef struct
{
    ntk_mark_kind_t kind;
    int p, q;
}
ntk_mark_t;

/* A term type (ALGORITHM.md, "Terms"): n_paths paths tied by the marks. */
typedef struct
{
    int n_paths;
    int n_marks;
    ntk_mark_t mark[NTK_MAX_MARKS];
}
ntk_term_t;

/* The term types of the moments; the output bias (derivative exactly 1) is
   kept out of them. */
enum
{
    TERM_KW, TERM_KB, TERM_KW2, TERM_KB2, TERM_KWKB, TERM_DWW, TERM_DWB,
    TERM_N2, TERM_N4, N_TERMS
};

/* Every quantity at x2 > 0 as a polynomial in q (standing for 2^-n) from the
   term values as polynomials in q (out and term have NTK_N_QUANTITIES and
   N_TERMS entries). */
void ntk_moments_assemble_formal(fmpq_poly_struct * out, const fmpq_poly_struct * term,
                                 const fmpq_t x2, int bias);

/* The definition of term type k (ALGORITHM.md, "Terms"). */
const ntk_term_t * ntk_term_get(int k);

/* Bit mask of the paths present once the marks in `done` are placed: the full
   paths and the paths of placed bias marks. */
int ntk_term_present(const ntk_term_t * term, int done);

/* The number of full paths (paths that start at the input). */
int ntk_term_n_full(const ntk_term_t * term);

/* A pattern: the set partition of the present paths by the neuron they sit
   on; block[p] is the block of path p (blocks numbered in order of first
   appearance), -1 for an absent path. */
typedef struct
{
    signed char block[NTK_MAX_PATHS];
    int n_blocks;
}
ntk_pattern_t;

/* Writes every pattern of the paths in `present` (a mask over n_paths paths)
   to out, which has room for 15; returns how many. */
int ntk_pattern_enumerate(ntk_pattern_t * out, int n_paths, int present);

/* Non-zero when a and b are the same pattern. */
int ntk_pattern_equal(const ntk_pattern_t * a, const ntk_pattern_t * b);

/* A state of the recursion after some layer: which marks are placed and the
   pattern of the present paths. */
typedef struct
{
    int done;
    ntk_pattern_t pattern;
}
ntk_state_t;

/* All states of a term, with the indices of the distinguished ones. */
typedef struct
{
    ntk_term_t term;
    int n_states;
    ntk_state_t state[NTK_MAX_STATES];
    int start;     /* before layer 1: nothing placed, full paths together */
    int terminal;  /* after layer d: all placed, all paths on the output */
    int empty;     /* the state with no path present, or -1 */
}
ntk_space_t;

/* Builds the state space of a term. */
void ntk_space_init(ntk_space_t * space, const ntk_term_t * term);

/* The index of the state (done, pattern), or -1. */
int ntk_space_find(const ntk_space_t * space, int done, const ntk_pattern_t * pat);

/* What a layer step depends on: widths, kind, and the conventions. */
typedef struct
{
    ulong n_prev, n_cur;
    int hidden;
    const fmpq * c_over_n;  /* c_i / n_{i-1}: the variance of What */
    const fmpq * mu4;
    const fmpq * lw;    /* factor of a placed weight mark */
    const fmpq * lb;    /* factor of a placed bias mark */
}
ntk_layer_kind_t;

/* One layer's transitions, scaled to integers: the true factor of transition
   k is factor[k] / scale.  The empty state's self-transition (layer not
   entirely dead, 1 - 2^-n_cur) is not in the list: see ntk_transfer_run. */
typedef struct
{
    ulong n_prev, n_cur;
    int hidden;
    int n_trans;
    int from[NTK_MAX_STATES * NTK_MAX_STATES];
    int to[NTK_MAX_STATES * NTK_MAX_STATES];
    fmpz * factor;
    fmpz_t scale;
}
ntk_layer_t;

/* Fills kind for a layer of the conventions opt; c_over_n, lw, lb are
   initialised rationals that hold its factors. */
void ntk_layer_kind_set(ntk_layer_kind_t * kind, fmpq_t c_over_n, fmpq_t lw, fmpq_t lb,
                        const ntk_options_struct * opt, ulong n_prev, ulong n_cur, int hidden);

/* Builds the transition table of one layer for a term's state space. */
void ntk_layer_init(ntk_layer_t * layer, const ntk_space_t * space,
                    const ntk_layer_kind_t * kind);

/* Frees a transition table. */
void ntk_layer_clear(ntk_layer_t * layer);

/* Progress shared by the threads of one computation. */
typedef struct
{
    pthread_mutex_t lock;
    slong done, total;
    ntk_progress_fn fn;
    void * data;
    int stop;
}
ntk_progress_t;

/* Records `units` more work done, calls the user's callback; returns non-zero
   when the computation should stop. */
int ntk_progress_add(ntk_progress_t * progress, slong units);

/* What one run of the recursion needs. */
typedef struct
{
    const ntk_profile_struct * profile;
    const ntk_options_struct * options;
    ntk_progress_t * progress;   /* may be NULL */
}
ntk_run_t;

/* Sums a term over all mark positions and neuron labels, from the output
   layer down: res is the term's value without its x2^(n_full/2) factor,
   for x2 != 0.  Returns NTK_ERR_INTERRUPTED if stopped. */
ntk_status_t ntk_transfer_run(fmpq_t res, const ntk_term_t * term,
                              const ntk_run_t * run);

/* The same sum with the dead-layer factor 1 - 2^-n of every hidden layer
   kept as a formal 1 - q (for uniform hidden widths): res is a polynomial in q. */
ntk_status_t ntk_transfer_run_formal(fmpq_poly_t res, const ntk_term_t * term,
                                     const ntk_run_t * run);

/* The same sum in floating point with prec bits, by dense layer matrices
   raised to the length of each run by repeated squaring; res is the exact
   value of the rounded result. */
ntk_status_t ntk_transfer_run_mpfr(fmpq_t res, const ntk_term_t * term,
                                   const ntk_run_t * run, mpfr_prec_t prec);

/* Guard bits of the floating-point mode beyond the requested precision. */
#define NTK_GUARD_BITS 32

/* ------------------------------------------------ random streams, inline */

#define NTK_ZIG_N 256
#define NTK_ZIG_R 3.6541528853610088
#define NTK_ZIG_V 0.00492867323399

/* Ziggurat layers of exp(-x^2/2): layer i spans [0, ntk_zig_x[i]] between
   the heights ntk_zig_f[i] and ntk_zig_f[i+1], each of area NTK_ZIG_V. */
extern double ntk_zig_x[NTK_ZIG_N + 1], ntk_zig_f[NTK_ZIG_N + 1];

static inline uint64_t
ntk_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static inline uint64_t
ntk_rng_next_inline(ntk_rng_t * rng)
{
    uint64_t * s = rng->s;
    uint64_t result = ntk_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ntk_rotl(s[3], 45);
    return result;
}

static inline double
ntk_rng_uniform_inline(ntk_rng_t * rng)
{
    return (double) (ntk_rng_next_inline(rng) >> 11) * 0x1.0p-53;
}

/* The rare branches of the ziggurat, given the first draw u. */
double ntk_rng_normal_slow(ntk_rng_t * rng, uint64_t u);

static inline double
ntk_rng_normal_inline(ntk_rng_t * rng)
{
    uint64_t u = ntk_rng_next_inline(rng);
    int i = (int) (u & 0xff);
    double x = (double) (u >> 11) * 0x1.0p-53 * ntk_zig_x[i];
    if (x < ntk_zig_x[i + 1])
        return (u & 0x100) ? -x : x;
    return ntk_rng_normal_slow(rng, u);
}

#endif
