/* Internal: the random streams of the sampler, xoshiro256** seeded per
   (seed, stream) by splitmix64, and normal variates by a 256-layer ziggurat;
   the hot draws are inline. */

#ifndef NTK_RNG_H
#define NTK_RNG_H

#include <stdint.h>
#include "ntkexact.h"

/* A xoshiro256** stream. */
typedef struct
{
    uint64_t s[4];
}
_ntk_rng_t;

/* Builds the ziggurat tables once (thread-safe); call before _ntk_rng_normal. */
void _ntk_rng_setup(void);

/* Seeds the independent stream number `stream` of generator seed `seed`. */
void _ntk_rng_init(_ntk_rng_t * rng, ulong seed, ulong stream);


#define _NTK_ZIG_N 256
#define _NTK_ZIG_R 3.6541528853610088
#define _NTK_ZIG_V 0.00492867323399

/* Ziggurat layers of exp(-x^2/2): layer i spans [0, _ntk_zig_x[i]] between
   the heights _ntk_zig_f[i] and _ntk_zig_f[i+1], each of area _NTK_ZIG_V. */
extern double _ntk_zig_x[_NTK_ZIG_N + 1], _ntk_zig_f[_NTK_ZIG_N + 1];

static inline uint64_t
_ntk_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* 64 random bits (xoshiro256**). */
static inline uint64_t
_ntk_rng_next(_ntk_rng_t * rng)
{
    uint64_t * s = rng->s;
    uint64_t result = _ntk_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = _ntk_rotl(s[3], 45);
    return result;
}

/* A uniform double in [0, 1) with 53 random bits. */
static inline double
_ntk_rng_uniform(_ntk_rng_t * rng)
{
    return (double) (_ntk_rng_next(rng) >> 11) * 0x1.0p-53;
}

/* The rare branches of the ziggurat, given the first draw u. */
double _ntk_rng_normal_slow(_ntk_rng_t * rng, uint64_t u);

/* A standard normal variate. */
static inline double
_ntk_rng_normal(_ntk_rng_t * rng)
{
    uint64_t u = _ntk_rng_next(rng);
    int i = (int) (u & 0xff);
    double x = (double) (u >> 11) * 0x1.0p-53 * _ntk_zig_x[i];
    if (x < _ntk_zig_x[i + 1])
        return (u & 0x100) ? -x : x;
    return _ntk_rng_normal_slow(rng, u);
}

/* x[k] <- scale times a standard normal variate, k = 0 .. n-1: the same
   values as n calls of _ntk_rng_normal, about twice as fast (the state stays
   in registers and the sign is set without a branch). */
void _ntk_rng_normals(_ntk_rng_t * rng, double * x, slong n, double scale);

#endif
