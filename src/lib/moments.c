/* Assembling the moments of K and of the first SGD update from the term
   sums of the transfer recursion (doc/derivation.md, sections 4 and 5). */

#include <math.h>
#include <mpfr.h>
#include <string.h>
#include "error.h"
#include "moments.h"
#include "parallel.h"
#include "transfer.h"

void
ntk_moments_init(ntk_moments_t m)
{
    int q;
    if (m == NULL)
        return;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        fmpq_poly_init(m->poly + q);
        fmpq_init(m->at_zero + q);
    }
}

void
ntk_moments_clear(ntk_moments_t m)
{
    int q;
    if (m == NULL)
        return;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        fmpq_poly_clear(m->poly + q);
        fmpq_clear(m->at_zero + q);
    }
    ntk_moments_init(m);     /* without memory: clearing again is harmless */
}

/* The terms of one computation, one item of the parallel loop each. */
typedef struct
{
    const _ntk_run_t * run;
    slong precision;
    fmpq * value;
    fmpq * at_zero;
    int todo[_NTK_N_TERMS];
    ntk_status_t status[_NTK_N_TERMS];
}
term_work_t;

static int
term_item(void * args, slong i, int worker)
{
    term_work_t * w = args;
    int k = w->todo[i];
    const _ntk_term_t * term = _ntk_term_get(k);
    /* a run of m equal layers is a matrix power, each squaring doubling
       the relative error: log2(d) guard bits more */
    if (w->precision > 0)
        w->status[i] = _ntk_transfer_mpfr_run(w->value + k, w->at_zero + k, term, w->run,
                                              w->precision + _NTK_GUARD_BITS
                                              + FLINT_BIT_COUNT(w->run->profile->depth));
    else
        w->status[i] = _ntk_transfer_run(w->value + k, w->at_zero + k, term, w->run);
    return w->status[i] != NTK_OK;
}

/* sum_{i=1}^{d-1} n_i: the bits of the exact dead-layer factors. */
static double dead_layer_bits(const ntk_profile_t p);

/* The work after the layer steps (reducing the term fractions, assembling
   and reducing the quantities), in the units of _ntk_transfer_cost: GMP's
   gcd and multiplication of N-bit numbers, measured to cost about
   END_WEIGHT N^1.2 units per worker thread of the steps. */
#define END_WEIGHT 0.75

static double
end_cost(const ntk_profile_t p, const ntk_conv_t conv, int workers)
{
    double bits;
    _ntk_transfer_cost(_ntk_term_get(_NTK_TERM_N2), p, conv, &bits);
    if (conv->bias && fmpq_is_zero(conv->a_plus) != fmpq_is_zero(conv->a_minus))
        bits += dead_layer_bits(p);
    return END_WEIGHT * workers * pow(bits, 1.2);
}

/* Runs every needed term, on exec->threads threads. */
static ntk_status_t
terms_compute(fmpq * value, fmpq * at_zero, const ntk_profile_t p, const ntk_conv_t conv,
              const ntk_exec_t exec, _ntk_progress_t * progress, ntk_error_t * err)
{
    _ntk_run_t run;
    term_work_t work;
    ntk_status_t status;
    int k, n_todo = 0;
    /* the four-path terms first: they take longest */
    static const int order[_NTK_N_TERMS] = { _NTK_TERM_KW2, _NTK_TERM_KB2, _NTK_TERM_KWKB,
        _NTK_TERM_DWW, _NTK_TERM_DWB, _NTK_TERM_N4, _NTK_TERM_KW, _NTK_TERM_KB, _NTK_TERM_N2 };
    for (k = 0; k < _NTK_N_TERMS; k++)
        if (conv->bias || !_ntk_term_has_bias(_ntk_term_get(order[k])))
        {
            work.status[n_todo] = NTK_OK;
            work.todo[n_todo++] = order[k];
        }
    run.profile = p; run.conv = conv; run.progress = progress;
    work.run = &run; work.precision = exec->precision; work.value = value;
    work.at_zero = at_zero;
    status = _ntk_parallel_do(term_item, &work, n_todo, exec->threads, err);
    for (k = 0; k < n_todo && status == NTK_OK; k++)
        if (work.status[k] == NTK_ERR_RANGE)
            status = _ntk_error_set(err, NTK_ERR_RANGE, "widths",
                "widths: the moments of this profile and these variances reach 2^(+-2^24) or more: "
                "beyond the range of the floating-point mode");
        else if (work.status[k] != NTK_OK)
            status = _ntk_error_set(err, work.status[k], "", "the computation was interrupted");
    return status;
}

/* The progress of a computation: layer steps in the floating-point mode
   (each run of equal layers is a few matrix products), else the work units
   of the exact passes and of the reductions after them. */
static void
moments_progress_init(_ntk_progress_t * progress, const ntk_profile_t p, const ntk_conv_t conv,
                      const ntk_exec_t exec, double * end_units)
{
    double total = 0.0;
    int k, n = 0;
    for (k = 0; k < _NTK_N_TERMS; k++)
        if (conv->bias || !_ntk_term_has_bias(_ntk_term_get(k)))
        {
            total += exec->precision > 0 ? (double) p->depth
                     : _ntk_transfer_cost(_ntk_term_get(k), p, conv, NULL);
            n++;
        }
    *end_units = exec->precision > 0 ? 0.0
                 : end_cost(p, conv, _ntk_parallel_workers(n, exec->threads));
    total += *end_units;
    _ntk_progress_init(progress, exec, (slong) FLINT_MIN(total, 1e18));
}

/* poly <- value * x2^power */
static void
poly_set_term(fmpq_poly_t poly, const fmpq_t value, int power)
{
    fmpq_poly_zero(poly);
    fmpq_poly_set_coeff_fmpq(poly, power, value);
}

/* The quantities from the term values (all zero: a dead input, x2 = 0). */
static void
moments_assemble(fmpq_poly_struct * q, const fmpq * v, int bias)
{
    fmpq_poly_t t;
    fmpq_poly_init(t);
    poly_set_term(q + NTK_E_KW, v + _NTK_TERM_KW, 1);
    poly_set_term(q + NTK_E_KB, v + _NTK_TERM_KB, 0);
    fmpq_poly_add_si(q + NTK_E_KB, q + NTK_E_KB, bias);
    fmpq_poly_add(q + NTK_E_K, q + NTK_E_KW, q + NTK_E_KB);
    poly_set_term(q + NTK_E_KW2, v + _NTK_TERM_KW2, 2);
    /* K_b^2 = (K_b' + lb)^2 and K_w K_b = K_w K_b' + lb K_w */
    poly_set_term(q + NTK_E_KB2, v + _NTK_TERM_KB2, 0);
    poly_set_term(t, v + _NTK_TERM_KB, 0);
    fmpq_poly_scalar_mul_si(t, t, 2 * bias);
    fmpq_poly_add(q + NTK_E_KB2, q + NTK_E_KB2, t);
    fmpq_poly_add_si(q + NTK_E_KB2, q + NTK_E_KB2, bias);
    poly_set_term(q + NTK_E_KWKB, v + _NTK_TERM_KWKB, 1);
    fmpq_poly_scalar_mul_si(t, q + NTK_E_KW, bias);
    fmpq_poly_add(q + NTK_E_KWKB, q + NTK_E_KWKB, t);
    fmpq_poly_scalar_mul_si(t, q + NTK_E_KWKB, 2);
    fmpq_poly_add(q + NTK_E_K2, q + NTK_E_KW2, t);
    fmpq_poly_add(q + NTK_E_K2, q + NTK_E_K2, q + NTK_E_KB2);
    fmpq_poly_mul(t, q + NTK_E_K, q + NTK_E_K);
    fmpq_poly_sub(q + NTK_VAR_K, q + NTK_E_K2, t);
    /* E[dK]/lambda = -2 E[N g] = -2 (D_ww + 2 D_wb), D_bb = 0 */
    poly_set_term(q + NTK_E_DWW, v + _NTK_TERM_DWW, 2);
    poly_set_term(q + NTK_E_DWB, v + _NTK_TERM_DWB, 1);
    fmpq_poly_scalar_mul_si(t, q + NTK_E_DWB, 2);
    fmpq_poly_add(q + NTK_E_DK, q + NTK_E_DWW, t);
    fmpq_poly_scalar_mul_si(q + NTK_E_DK, q + NTK_E_DK, -2);
    poly_set_term(q + NTK_E_N2, v + _NTK_TERM_N2, 1);
    poly_set_term(q + NTK_E_N4, v + _NTK_TERM_N4, 2);
    fmpq_poly_clear(t);
}

/* sum_{i=1}^{d-1} n_i: the bits of the exact dead-layer factors. */
static double
dead_layer_bits(const ntk_profile_t p)
{
    double bits = 0;
    slong r, i = 0;
    for (r = 0; r < p->n_runs; r++)
    {
        slong lo = FLINT_MAX(i, 1), hi = FLINT_MIN(i + p->count[r], p->depth);
        if (hi > lo)
            bits += (double) (hi - lo) * (double) p->width[r];
        i += p->count[r];
    }
    return bits;
}

int
ntk_moments_fits(const ntk_profile_t p, const ntk_conv_t conv, const ntk_exec_t exec)
{
    if (p == NULL || conv == NULL || exec == NULL || p->depth < 1)
        return 0;
    /* the dead-layer factors exist only when one slope is 0 */
    return fmpq_is_zero(conv->a_plus) == fmpq_is_zero(conv->a_minus) || !conv->bias || exec->precision > 0 || dead_layer_bits(p) <= (double) NTK_DEAD_BITS_MAX;
}

/* m->at_zero: the quantities of the input x = 0, where the terms with full
   paths vanish and the bias terms are those of the dead phase (every gate is
   a_minus; for ReLU they vanish too and K = 1). */
static void
moments_set_at_zero(ntk_moments_t m, const fmpq * at_zero, int bias)
{
    fmpq_poly_struct zero[NTK_N_QUANTITIES];
    int q;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        fmpq_poly_init(zero + q);
    moments_assemble(zero, at_zero, bias);
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        fmpq_poly_get_coeff_fmpq(m->at_zero + q, zero + q, 0);
        fmpq_poly_clear(zero + q);
    }
}

ntk_status_t
ntk_moments_compute(ntk_moments_t m, const ntk_profile_t p, const ntk_conv_t conv,
                    const ntk_exec_t exec, ntk_error_t * err)
{
    fmpq * value, * at_zero;
    _ntk_progress_t progress;
    double end_units;
    ntk_status_t status;
    if (m == NULL || p == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, m == NULL ? "m" : "widths", "%s: NULL argument",
                              m == NULL ? "m" : "widths");
    if (p->depth < 1)
        return _ntk_error_set(err, NTK_ERR_RANGE, "widths", "widths: the width profile is not set");
    if ((status = ntk_conv_validate(conv, err)) != NTK_OK
        || (status = ntk_exec_validate(exec, err)) != NTK_OK)
        return status;
    if (!ntk_moments_fits(p, conv, exec))
        return _ntk_error_set(err, NTK_ERR_TOO_LARGE, "widths",
            "widths: the exact dead-layer factors prod (1 - 2^-n_i) need %.3g bits (sum of the hidden widths), more than 2^31",
            dead_layer_bits(p));
    value = _fmpq_vec_init(_NTK_N_TERMS);
    at_zero = _fmpq_vec_init(_NTK_N_TERMS);
    moments_progress_init(&progress, p, conv, exec, &end_units);
    status = terms_compute(value, at_zero, p, conv, exec, &progress, err);
    if (status == NTK_OK)
    {
        moments_assemble(m->poly, value, conv->bias ? 1 : 0);
        moments_set_at_zero(m, at_zero, conv->bias ? 1 : 0);
        _ntk_progress_add(&progress, (slong) end_units);
    }
    _ntk_progress_clear(&progress);
    _fmpq_vec_clear(value, _NTK_N_TERMS);
    _fmpq_vec_clear(at_zero, _NTK_N_TERMS);
    return status;
}

ntk_status_t
ntk_moments_eval(fmpq_t res, const ntk_moments_t m, ntk_quantity_t q,
                 const fmpq_t x2)
{
    if (res == NULL || m == NULL || x2 == NULL || (int) q < 0 || q >= NTK_N_QUANTITIES
        || fmpq_sgn(x2) < 0)
        return NTK_ERR_RANGE;
    if (fmpq_is_zero(x2))
        fmpq_set(res, m->at_zero + q);
    else
        fmpq_poly_evaluate_fmpq(res, m->poly + q, x2);
    return NTK_OK;
}

slong
ntk_moments_digits(const ntk_moments_t m, ntk_quantity_t q, const fmpq_t x2,
                   slong precision)
{
    slong digits = (slong) (precision * 0.30102999566398120);
    if (m == NULL || x2 == NULL || (int) q < 0 || q >= NTK_N_QUANTITIES || precision < 0
        || precision > NTK_PRECISION_MAX || fmpq_sgn(x2) < 0)
        return -1;
    if (precision == 0)
        return 0;
    if (q == NTK_VAR_K)
    {
        /* Var = E[K^2] - E[K]^2 loses log10((E[K^2] + E[K]^2) / Var) digits */
        fmpq_t a, b, v;
        double ratio;
        fmpq_init(a); fmpq_init(b); fmpq_init(v);
        ntk_moments_eval(a, m, NTK_E_K, x2);
        fmpq_mul(a, a, a);
        ntk_moments_eval(b, m, NTK_E_K2, x2);
        fmpq_add(a, a, b);
        ntk_moments_eval(v, m, NTK_VAR_K, x2);
        if (fmpq_is_zero(v))
            ratio = fmpq_is_zero(a) ? 0.0 : 1e300;
        else
        {
            mpfr_t r;
            mpfr_init2(r, 64);
            fmpq_div(a, a, v);
            fmpq_abs(a, a);
            fmpq_get_mpfr(r, a, MPFR_RNDN);
            mpfr_log10(r, r, MPFR_RNDU);
            ratio = mpfr_get_d(r, MPFR_RNDU);
            mpfr_clear(r);
        }
        digits -= (slong) ceil(FLINT_MIN(ratio, 1e9));
        fmpq_clear(a); fmpq_clear(b); fmpq_clear(v);
    }
    return FLINT_MAX(digits, 0);
}

void
_ntk_moments_assemble_formal(fmpq_poly_struct * out, const fmpq_poly_struct * term,
                            const fmpq_t x2, int bias)
{
    fmpq_poly_struct q[NTK_N_QUANTITIES], base[NTK_N_QUANTITIES];
    fmpq * v = _fmpq_vec_init(_NTK_N_TERMS);
    fmpq_t c;
    slong j, len = 1;
    int k;
    fmpq_init(c);
    for (k = 0; k < NTK_N_QUANTITIES; k++)
    {
        fmpq_poly_init(q + k);
        fmpq_poly_init(base + k);
        fmpq_poly_zero(out + k);
    }
    for (k = 0; k < _NTK_N_TERMS; k++)
        len = FLINT_MAX(len, fmpq_poly_length(term + k));
    /* the assembly is affine in the term values: the constants belong to q^0 */
    moments_assemble(base, v, bias);
    for (j = 0; j < len; j++)
    {
        for (k = 0; k < _NTK_N_TERMS; k++)
            fmpq_poly_get_coeff_fmpq(v + k, term + k, j);
        moments_assemble(q, v, bias);
        for (k = 0; k < NTK_N_QUANTITIES; k++)
        {
            if (j > 0)
                fmpq_poly_sub(q + k, q + k, base + k);
            fmpq_poly_evaluate_fmpq(c, q + k, x2);
            fmpq_poly_set_coeff_fmpq(out + k, j, c);
        }
    }
    /* except Var_K = E[K^2] - E[K]^2, not affine */
    fmpq_poly_mul(q, out + NTK_E_K, out + NTK_E_K);
    fmpq_poly_sub(out + NTK_VAR_K, out + NTK_E_K2, q);
    for (k = 0; k < NTK_N_QUANTITIES; k++)
    {
        fmpq_poly_clear(q + k);
        fmpq_poly_clear(base + k);
    }
    _fmpq_vec_clear(v, _NTK_N_TERMS);
    fmpq_clear(c);
}

void
_ntk_moments_affine(fmpq * lin, const fmpq_t x2, int bias)
{
    fmpq_poly_struct q[NTK_N_QUANTITIES];
    fmpq * v = _fmpq_vec_init(_NTK_N_TERMS);
    fmpq_t c;
    int k, t, row = _NTK_N_TERMS + 1;
    fmpq_init(c);
    for (k = 0; k < NTK_N_QUANTITIES; k++)
        fmpq_poly_init(q + k);
    /* the constants (all terms 0), then each term alone less them */
    for (t = _NTK_N_TERMS; t >= 0; t--)
    {
        if (t < _NTK_N_TERMS)
            fmpq_one(v + t);
        moments_assemble(q, v, bias);
        for (k = 0; k < NTK_N_QUANTITIES; k++)
        {
            fmpq_poly_evaluate_fmpq(lin + k * row + t, q + k, x2);
            if (t < _NTK_N_TERMS)
                fmpq_sub(lin + k * row + t, lin + k * row + t, lin + k * row + _NTK_N_TERMS);
        }
        if (t < _NTK_N_TERMS)
            fmpq_zero(v + t);
    }
    /* Var_K = E[K^2] - E[K]^2 is not affine: its row is left to the caller */
    for (t = 0; t < row; t++)
        fmpq_zero(lin + NTK_VAR_K * row + t);
    for (k = 0; k < NTK_N_QUANTITIES; k++)
        fmpq_poly_clear(q + k);
    _fmpq_vec_clear(v, _NTK_N_TERMS);
    fmpq_clear(c);
}
