/* Assembling the moments of K and of the first SGD update from the term
   sums of the transfer recursion (doc/derivation.md, sections 4 and 5). */

#include <math.h>
#include <mpfr.h>
#include <string.h>
#include "base/error.h"
#include "moments.h"
#include "base/parallel.h"
#include "engine/transfer.h"

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
    m->order = 0;       /* not computed */
    m->update = 0;
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
    int todo[_NTK_N_TERMS_ALL];
    ntk_status_t status[_NTK_N_TERMS_ALL];
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
end_cost(const ntk_profile_t p, const ntk_conv_t conv, int order, int update, int workers)
{
    double bits;
    _ntk_transfer_cost(_ntk_term_get(_NTK_TERM_N2), p, conv, &bits);
    if (conv->bias && fmpq_is_zero(conv->a_plus) != fmpq_is_zero(conv->a_minus))
        bits += dead_layer_bits(p);
    /* E[K^k] has about k/2 times the bits of E[K^2], and the quantities of
       order k are about twice as many as those of order k - 1; the update's
       eight-path terms are like order 4's, and about a quarter as many */
    return END_WEIGHT * workers * (pow(bits * order / 2.0, 1.2) * (1 << (order - 2))
                                   + (update ? pow(bits * 2.0, 1.2) : 0.0));
}

/* Non-zero when term k is needed: the terms of the order, the update's with
   update, those with a bias mark only with biases. */
static int
term_needed(int k, const ntk_conv_t conv, int order, int update)
{
    return (k < _ntk_term_count(order) || (update && k >= _NTK_N_TERMS))
           && (conv->bias || !_ntk_term_has_bias(_ntk_term_get(k)));
}

/* Runs every needed term, on exec->threads threads. */
static ntk_status_t
terms_compute(fmpq * value, fmpq * at_zero, const ntk_profile_t p, const ntk_conv_t conv,
              int order, int update, const ntk_exec_t exec, _ntk_progress_t * progress,
              ntk_error_t * err)
{
    _ntk_run_t run;
    term_work_t work;
    ntk_status_t status;
    int k, paths, n_todo = 0;
    /* the terms with the most paths first: they take longest */
    for (paths = 2 * NTK_ORDER_MAX; paths >= 2; paths -= 2)
        for (k = 0; k < _NTK_N_TERMS_ALL; k++)
            if (_ntk_term_get(k)->n_paths == paths && term_needed(k, conv, order, update))
            {
                work.status[n_todo] = NTK_OK;
                work.todo[n_todo++] = k;
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
                      int order, int update, const ntk_exec_t exec, double * end_units)
{
    double total = 0.0;
    int k, n = 0;
    for (k = 0; k < _NTK_N_TERMS_ALL; k++)
        if (term_needed(k, conv, order, update))
        {
            total += exec->precision > 0 ? (double) p->depth
                     : _ntk_transfer_cost(_ntk_term_get(k), p, conv, NULL);
            n++;
        }
    *end_units = exec->precision > 0 ? 0.0
                 : end_cost(p, conv, order, update, _ntk_parallel_workers(n, exec->threads));
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

/* The quantity E[K_w^a K_b^c] (a + c = 1 .. 4), and E[K^k]. */
static const int part_quantity[5][5] = {
    { -1, NTK_E_KB, NTK_E_KB2, NTK_E_KB3, NTK_E_KB4 },
    { NTK_E_KW, NTK_E_KWKB, NTK_E_KWKB2, NTK_E_KWKB3, -1 },
    { NTK_E_KW2, NTK_E_KW2KB, NTK_E_KW2KB2, -1, -1 },
    { NTK_E_KW3, NTK_E_KW3KB, -1, -1, -1 },
    { NTK_E_KW4, -1, -1, -1, -1 }
};
static const int power_quantity[5] = { -1, NTK_E_K, NTK_E_K2, NTK_E_K3, NTK_E_K4 };
static const int output_quantity[5] = { -1, NTK_E_N2, NTK_E_N4, NTK_E_N6, NTK_E_N8 };

/* The binomial coefficient C(n, k), n <= 4. */
static ulong
binomial(int n, int k)
{
    ulong r = 1;
    int j;
    for (j = 1; j <= k; j++)
        r = r * (ulong) (n - k + j) / (ulong) j;
    return r;
}

/* The parts E[K_w^a K_b^c], a + c = k, and E[K^k]: with K_b = K_b' + lb
   (the output bias), E[K_w^a K_b^c] = sum_j C(c, j) lb^(c-j) E[K_w^a K_b'^j],
   and E[K_w^a K_b'^j] = v(a, j) x2^a. */
static void
assemble_power(fmpq_poly_struct * q, const fmpq * v, int bias, int k, fmpq_poly_t t)
{
    int a, c, j;
    fmpq_poly_struct * power = q + power_quantity[k];
    fmpq_poly_zero(power);
    for (a = 0; a <= k; a++)
    {
        fmpq_poly_struct * part = q + part_quantity[a][k - a];
        c = k - a;
        fmpq_poly_zero(part);
        for (j = 0; j <= c; j++)
        {
            if (bias == 0 && j < c)
                continue;
            if (a + j == 0)
                fmpq_poly_one(t);
            else
                poly_set_term(t, v + _ntk_term_kwkb(a, j), a);
            fmpq_poly_scalar_mul_ui(t, t, binomial(c, j));
            fmpq_poly_add(part, part, t);
        }
        fmpq_poly_scalar_mul_ui(t, part, binomial(k, a));
        fmpq_poly_add(power, power, t);
    }
}

/* The central moments M3 = E[K^3] - 3 E[K] E[K^2] + 2 E[K]^3 and
   M4 = E[K^4] - 4 E[K] E[K^3] + 6 E[K]^2 E[K^2] - 3 E[K]^4. */
static void
assemble_central(fmpq_poly_struct * q, int order, fmpq_poly_t t)
{
    const fmpq_poly_struct * m1 = q + NTK_E_K;
    fmpq_poly_t m1k;
    fmpq_poly_init(m1k);
    if (order >= 3)
    {
        fmpq_poly_mul(t, m1, q + NTK_E_K2);
        fmpq_poly_scalar_mul_si(t, t, -3);
        fmpq_poly_add(q + NTK_M3_K, q + NTK_E_K3, t);
        fmpq_poly_pow(m1k, m1, 3);
        fmpq_poly_scalar_mul_si(t, m1k, 2);
        fmpq_poly_add(q + NTK_M3_K, q + NTK_M3_K, t);
    }
    if (order >= 4)
    {
        fmpq_poly_mul(t, m1, q + NTK_E_K3);
        fmpq_poly_scalar_mul_si(t, t, -4);
        fmpq_poly_add(q + NTK_M4_K, q + NTK_E_K4, t);
        fmpq_poly_mul(m1k, m1, m1);
        fmpq_poly_mul(t, m1k, q + NTK_E_K2);
        fmpq_poly_scalar_mul_si(t, t, 6);
        fmpq_poly_add(q + NTK_M4_K, q + NTK_M4_K, t);
        fmpq_poly_mul(m1k, m1k, m1k);
        fmpq_poly_scalar_mul_si(t, m1k, -3);
        fmpq_poly_add(q + NTK_M4_K, q + NTK_M4_K, t);
    }
    fmpq_poly_clear(m1k);
}

/* The update's second moment (doc/derivation.md, section 17): with
   g = g_ww + 2 g_wb, E[N^2 g^2] = E[N^2 g_ww^2] + 4 E[N^2 g_ww g_wb]
   + 4 E[N^2 g_wb^2] and the same for E[g^2]; each term has x2^(full/2);
   at y = 0, E_dK2 = 4 E[N^2 g^2] and Var_dK = E_dK2 - E_dK^2 (E_dK is
   assembled first).  RelVar_dK, a ratio, is left 0. */
static void
assemble_update(fmpq_poly_struct * q, const fmpq * v, fmpq_poly_t t)
{
    static const int g2_term[3] = { _NTK_TERM_GWW2, _NTK_TERM_GWWGWB, _NTK_TERM_GWB2 };
    static const int n2g2_term[3] = { _NTK_TERM_NGWW2, _NTK_TERM_NGWWGWB, _NTK_TERM_NGWB2 };
    static const int n2g2_part[3] = { NTK_E_N2GWW2, NTK_E_N2GWWGWB, NTK_E_N2GWB2 };
    static const int weight[3] = { 1, 4, 4 };
    int j;
    fmpq_poly_zero(q + NTK_E_G2);
    fmpq_poly_zero(q + NTK_E_N2G2);
    for (j = 0; j < 3; j++)
    {
        const _ntk_term_t * g = _ntk_term_get(g2_term[j]), * ng = _ntk_term_get(n2g2_term[j]);
        poly_set_term(t, v + g2_term[j], _ntk_term_n_full(g) / 2);
        fmpq_poly_scalar_mul_si(t, t, weight[j]);
        fmpq_poly_add(q + NTK_E_G2, q + NTK_E_G2, t);
        poly_set_term(q + n2g2_part[j], v + n2g2_term[j], _ntk_term_n_full(ng) / 2);
        fmpq_poly_scalar_mul_si(t, q + n2g2_part[j], weight[j]);
        fmpq_poly_add(q + NTK_E_N2G2, q + NTK_E_N2G2, t);
    }
    fmpq_poly_scalar_mul_si(q + NTK_E_DK2, q + NTK_E_N2G2, 4);
    fmpq_poly_mul(t, q + NTK_E_DK, q + NTK_E_DK);
    fmpq_poly_sub(q + NTK_VAR_DK, q + NTK_E_DK2, t);
    fmpq_poly_zero(q + NTK_RELVAR_DK);
}

/* The quantities of the moments up to `order`, and with update those of the
   update's second moment, from the term values (all zero: a dead input,
   x2 = 0).  The ratios Skew2_K, Kurt_K, RelVar_dK are left 0. */
static void
moments_assemble(fmpq_poly_struct * q, const fmpq * v, int bias, int order, int update)
{
    fmpq_poly_t t;
    int k;
    fmpq_poly_init(t);
    for (k = 0; k < ntk_quantity_count(order); k++)
        fmpq_poly_zero(q + k);
    for (k = 1; k <= order; k++)
    {
        assemble_power(q, v, bias, k, t);
        poly_set_term(q + output_quantity[k], v + _ntk_term_n(k), k);
    }
    fmpq_poly_mul(t, q + NTK_E_K, q + NTK_E_K);
    fmpq_poly_sub(q + NTK_VAR_K, q + NTK_E_K2, t);
    assemble_central(q, order, t);
    /* E[dK]/lambda = -2 E[N g] = -2 (D_ww + 2 D_wb), D_bb = 0 */
    poly_set_term(q + NTK_E_DWW, v + _NTK_TERM_DWW, 2);
    poly_set_term(q + NTK_E_DWB, v + _NTK_TERM_DWB, 1);
    fmpq_poly_scalar_mul_si(t, q + NTK_E_DWB, 2);
    fmpq_poly_add(q + NTK_E_DK, q + NTK_E_DWW, t);
    fmpq_poly_scalar_mul_si(q + NTK_E_DK, q + NTK_E_DK, -2);
    if (update)
        assemble_update(q, v, t);
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
moments_set_at_zero(ntk_moments_t m, const fmpq * at_zero, int bias, int order, int update)
{
    fmpq_poly_struct zero[NTK_N_QUANTITIES];
    int q;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        fmpq_poly_init(zero + q);
    moments_assemble(zero, at_zero, bias, order, update);
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        fmpq_poly_get_coeff_fmpq(m->at_zero + q, zero + q, 0);
        fmpq_poly_clear(zero + q);
    }
}

static ntk_status_t
moments_compute(ntk_moments_t m, const ntk_profile_t p, const ntk_conv_t conv, int order,
                int update, const ntk_exec_t exec, ntk_error_t * err)
{
    fmpq * value, * at_zero;
    _ntk_progress_t progress;
    double end_units;
    ntk_status_t status;
    int q;
    if (m == NULL || p == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, m == NULL ? "m" : "widths", "%s: NULL argument",
                              m == NULL ? "m" : "widths");
    if (p->depth < 1)
        return _ntk_error_set(err, NTK_ERR_RANGE, "widths", "widths: the width profile is not set");
    /* the update's eight-path terms need the law's moments up to the eighth */
    if ((status = ntk_conv_validate_order(conv, order, err)) != NTK_OK
        || (update && (status = ntk_conv_validate_order(conv, NTK_ORDER_MAX, err)) != NTK_OK)
        || (status = ntk_exec_validate(exec, err)) != NTK_OK)
        return status;
    if (!ntk_moments_fits(p, conv, exec))
        return _ntk_error_set(err, NTK_ERR_TOO_LARGE, "widths",
            "widths: the exact dead-layer factors prod (1 - 2^-n_i) need %.3g bits (sum of the hidden widths), more than 2^31",
            dead_layer_bits(p));
    value = _fmpq_vec_init(_NTK_N_TERMS_ALL);
    at_zero = _fmpq_vec_init(_NTK_N_TERMS_ALL);
    moments_progress_init(&progress, p, conv, order, update, exec, &end_units);
    status = terms_compute(value, at_zero, p, conv, order, update, exec, &progress, err);
    if (status == NTK_OK)
    {
        for (q = 0; q < NTK_N_QUANTITIES; q++)
            fmpq_poly_zero(m->poly + q);
        moments_assemble(m->poly, value, conv->bias ? 1 : 0, order, update);
        moments_set_at_zero(m, at_zero, conv->bias ? 1 : 0, order, update);
        m->order = order;
        m->update = update;
        _ntk_progress_add(&progress, (slong) end_units);
    }
    _ntk_progress_clear(&progress);
    _fmpq_vec_clear(value, _NTK_N_TERMS_ALL);
    _fmpq_vec_clear(at_zero, _NTK_N_TERMS_ALL);
    return status;
}

ntk_status_t
ntk_moments_compute_order(ntk_moments_t m, const ntk_profile_t p, const ntk_conv_t conv,
                          int order, const ntk_exec_t exec, ntk_error_t * err)
{
    return moments_compute(m, p, conv, order, 0, exec, err);
}

ntk_status_t
ntk_moments_compute_update(ntk_moments_t m, const ntk_profile_t p, const ntk_conv_t conv,
                           int order, const ntk_exec_t exec, ntk_error_t * err)
{
    return moments_compute(m, p, conv, order, 1, exec, err);
}

ntk_status_t
ntk_moments_compute(ntk_moments_t m, const ntk_profile_t p, const ntk_conv_t conv,
                    const ntk_exec_t exec, ntk_error_t * err)
{
    return ntk_moments_compute_order(m, p, conv, 2, exec, err);
}

void
_ntk_moments_assemble_formal_order(fmpq_poly_struct * out, const fmpq_poly_struct * term,
                                   const fmpq_t x2, int bias, int order)
{
    fmpq_poly_struct q[NTK_N_QUANTITIES], base[NTK_N_QUANTITIES];
    fmpq * v = _fmpq_vec_init(_NTK_N_TERMS);
    fmpq_t c;
    slong j, len = 1;
    int k, n_terms = _ntk_term_count(order), n_q = ntk_quantity_count(order);
    fmpq_init(c);
    for (k = 0; k < NTK_N_QUANTITIES; k++)
    {
        fmpq_poly_init(q + k);
        fmpq_poly_init(base + k);
        fmpq_poly_zero(out + k);
    }
    for (k = 0; k < n_terms; k++)
        len = FLINT_MAX(len, fmpq_poly_length(term + k));
    /* the assembly is affine in the term values: the constants belong to q^0 */
    moments_assemble(base, v, bias, order, 0);
    for (j = 0; j < len; j++)
    {
        for (k = 0; k < n_terms; k++)
            fmpq_poly_get_coeff_fmpq(v + k, term + k, j);
        moments_assemble(q, v, bias, order, 0);
        for (k = 0; k < n_q; k++)
        {
            if (j > 0)
                fmpq_poly_sub(q + k, q + k, base + k);
            fmpq_poly_evaluate_fmpq(c, q + k, x2);
            fmpq_poly_set_coeff_fmpq(out + k, j, c);
        }
    }
    /* except the central moments, not affine (the ratios stay 0) */
    fmpq_poly_mul(q, out + NTK_E_K, out + NTK_E_K);
    fmpq_poly_sub(out + NTK_VAR_K, out + NTK_E_K2, q);
    assemble_central(out, order, q);
    for (k = 0; k < NTK_N_QUANTITIES; k++)
    {
        fmpq_poly_clear(q + k);
        fmpq_poly_clear(base + k);
    }
    _fmpq_vec_clear(v, _NTK_N_TERMS);
    fmpq_clear(c);
}

void
_ntk_moments_assemble_formal(fmpq_poly_struct * out, const fmpq_poly_struct * term,
                            const fmpq_t x2, int bias)
{
    _ntk_moments_assemble_formal_order(out, term, x2, bias, 2);
}

void
_ntk_moments_affine_order(fmpq * lin, const fmpq_t x2, int bias, int order)
{
    static const int not_affine[] = { NTK_VAR_K, NTK_M3_K, NTK_SKEW2_K, NTK_M4_K, NTK_KURT_K };
    fmpq_poly_struct q[NTK_N_QUANTITIES];
    fmpq * v = _fmpq_vec_init(_NTK_N_TERMS);
    int k, t, n_terms = _ntk_term_count(order), n_q = ntk_quantity_count(order),
        row = n_terms + 1;
    for (k = 0; k < NTK_N_QUANTITIES; k++)
        fmpq_poly_init(q + k);
    /* the constants (all terms 0), then each term alone less them */
    for (t = n_terms; t >= 0; t--)
    {
        if (t < n_terms)
            fmpq_one(v + t);
        moments_assemble(q, v, bias, order, 0);
        for (k = 0; k < n_q; k++)
        {
            fmpq_poly_evaluate_fmpq(lin + k * row + t, q + k, x2);
            if (t < n_terms)
                fmpq_sub(lin + k * row + t, lin + k * row + t, lin + k * row + n_terms);
        }
        if (t < n_terms)
            fmpq_zero(v + t);
    }
    /* Var_K, the central moments and their ratios are not affine: their rows
       are left to the caller */
    for (k = 0; k < (int) (sizeof(not_affine) / sizeof(not_affine[0])); k++)
        for (t = 0; t < row && not_affine[k] < n_q; t++)
            fmpq_zero(lin + not_affine[k] * row + t);
    for (k = 0; k < NTK_N_QUANTITIES; k++)
        fmpq_poly_clear(q + k);
    _fmpq_vec_clear(v, _NTK_N_TERMS);
}

void
_ntk_moments_affine(fmpq * lin, const fmpq_t x2, int bias)
{
    _ntk_moments_affine_order(lin, x2, bias, 2);
}
