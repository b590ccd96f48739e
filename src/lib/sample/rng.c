/* Random streams for the sampler: xoshiro256** seeded per (seed, stream) by
   splitmix64, so that every sample has its own reproducible stream whatever
   the thread that draws it; normal variates by a 256-layer ziggurat. */

#include <math.h>
#include <pthread.h>
#include <string.h>
#include "rng.h"

static uint64_t
splitmix64(uint64_t * x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

void
_ntk_rng_init(_ntk_rng_t * rng, ulong seed, ulong stream)
{
    uint64_t x = (uint64_t) seed, mixed;
    int k;
    mixed = splitmix64(&x);
    x = mixed ^ ((uint64_t) stream * UINT64_C(0xD1B54A32D192ED03));
    for (k = 0; k < 4; k++)
        rng->s[k] = splitmix64(&x);
}

/* Ziggurat tables for exp(-x^2/2): layer i spans [0, _ntk_zig_x[i]] between the
   heights _ntk_zig_f[i] and _ntk_zig_f[i+1]; every layer has area _NTK_ZIG_V. */
double _ntk_zig_x[_NTK_ZIG_N + 1], _ntk_zig_f[_NTK_ZIG_N + 1];
static pthread_once_t zig_once = PTHREAD_ONCE_INIT;

static void
zig_setup(void)
{
    int i;
    _ntk_zig_x[0] = _NTK_ZIG_V / exp(-0.5 * _NTK_ZIG_R * _NTK_ZIG_R);
    _ntk_zig_x[1] = _NTK_ZIG_R;
    for (i = 2; i < _NTK_ZIG_N; i++)
        _ntk_zig_x[i] = sqrt(-2.0 * log(_NTK_ZIG_V / _ntk_zig_x[i - 1] + exp(-0.5 * _ntk_zig_x[i - 1] * _ntk_zig_x[i - 1])));
    _ntk_zig_x[_NTK_ZIG_N] = 0.0;
    for (i = 0; i <= _NTK_ZIG_N; i++)
        _ntk_zig_f[i] = exp(-0.5 * _ntk_zig_x[i] * _ntk_zig_x[i]);
}

void
_ntk_rng_setup(void)
{
    pthread_once(&zig_once, zig_setup);
}

/* The ziggurat's rare branches: the tail beyond R and the wedges. */
double
_ntk_rng_normal_slow(_ntk_rng_t * rng, uint64_t u)
{
    for (;;)
    {
        int i = (int) (u & 0xff);
        double sign = (u & 0x100) ? -1.0 : 1.0;
        double x = (double) (u >> 11) * 0x1.0p-53 * _ntk_zig_x[i];
        if (x < _ntk_zig_x[i + 1])
            return sign * x;
        if (i == 0)
        {
            /* the tail beyond R, by Marsaglia's method */
            double y;
            do
            {
                x = -log1p(-_ntk_rng_uniform(rng)) / _NTK_ZIG_R;
                y = -log1p(-_ntk_rng_uniform(rng));
            }
            while (2.0 * y < x * x);
            return sign * (_NTK_ZIG_R + x);
        }
        if (_ntk_zig_f[i] + _ntk_rng_uniform(rng) * (_ntk_zig_f[i + 1] - _ntk_zig_f[i])
            < exp(-0.5 * x * x))
            return sign * x;
        u = _ntk_rng_next(rng);
    }
}

void
_ntk_rng_normals(_ntk_rng_t * rng, double * x, slong n, double scale)
{
    uint64_t s0 = rng->s[0], s1 = rng->s[1], s2 = rng->s[2], s3 = rng->s[3];
    slong k;
    for (k = 0; k < n; k++)
    {
        /* _ntk_rng_next and the fast branch of _ntk_rng_normal, inline */
        uint64_t u = _ntk_rotl(s1 * 5, 7) * 9, t = s1 << 17, bits;
        int i = (int) (u & 0xff);
        double v;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
        s2 ^= t;
        s3 = _ntk_rotl(s3, 45);
        /* u >> 11 < 2^53: a signed conversion is exact and cheaper */
        v = (double) (int64_t) (u >> 11) * 0x1.0p-53 * _ntk_zig_x[i];
        if (__builtin_expect(v < _ntk_zig_x[i + 1], 1))
        {
            /* the sign bit of v from bit 8 of u: a branch here would be a coin toss */
            memcpy(&bits, &v, sizeof(bits));
            bits ^= (u & 0x100) << 55;
            memcpy(&v, &bits, sizeof(v));
        }
        else
        {
            rng->s[0] = s0; rng->s[1] = s1; rng->s[2] = s2; rng->s[3] = s3;
            v = _ntk_rng_normal_slow(rng, u);
            s0 = rng->s[0]; s1 = rng->s[1]; s2 = rng->s[2]; s3 = rng->s[3];
        }
        x[k] = scale * v;
    }
    rng->s[0] = s0; rng->s[1] = s1; rng->s[2] = s2; rng->s[3] = s3;
}
