/* Certified decimals of the two-input kernels, and the Gram matrix of many
   inputs.  A ball [m - r, m + r] contains the true value; when both of its
   ends round to the same D-digit decimal, so does every number between them
   (rounding is monotone), the true value included: the printed digits are
   those of the true value, correctly rounded.  Otherwise the computation is
   repeated with more bits. */

#include <string.h>
#include "base/error.h"
#include "base/parallel.h"
#include "kernel/kernel.h"

#define PREC_LIMIT (WORD(1) << 20)

/* x (a finite arf) as an exact rational; 0 when its exponent is absurd. */
static int
arf_to_fmpq(fmpq_t res, const arf_t x)
{
    fmpz_t m, e, den;
    slong ex;
    int ok = 0;
    fmpz_init(m);
    fmpz_init(e);
    fmpz_init(den);
    arf_get_fmpz_2exp(m, e, x);
    if (fmpz_fits_si(e) && FLINT_ABS(fmpz_get_si(e)) <= 4 * PREC_LIMIT)
    {
        ok = 1;
        ex = fmpz_get_si(e);
        if (ex >= 0)
        {
            fmpz_mul_2exp(m, m, (ulong) ex);
            fmpq_set_fmpz(res, m);
        }
        else
        {
            fmpz_one(den);
            fmpz_mul_2exp(den, den, (ulong) -ex);
            fmpq_set_fmpz_frac(res, m, den);
        }
    }
    fmpz_clear(m);
    fmpz_clear(e);
    fmpz_clear(den);
    return ok;
}

char *
ntk_kernel_get_decimal(const arb_t x, slong digits)
{
    arf_t lo, hi;
    fmpq_t ql, qh;
    char * s = NULL, * t = NULL;
    slong prec;
    if (digits < 1 || digits > NTK_KERNEL_DIGITS_MAX || !arb_is_finite(x))
        return NULL;
    if (arb_is_zero(x))
    {
        s = flint_malloc(2);
        strcpy(s, "0");
        return s;
    }
    if (arb_contains_zero(x))
        return NULL;
    arf_init(lo);
    arf_init(hi);
    fmpq_init(ql);
    fmpq_init(qh);
    prec = FLINT_MAX(arf_bits(arb_midref(x)), 2) + 64;
    arb_get_lbound_arf(lo, x, prec);
    arb_get_ubound_arf(hi, x, prec);
    if (arf_to_fmpq(ql, lo) && arf_to_fmpq(qh, hi))
    {
        s = ntk_rational_get_decimal(ql, digits);
        t = ntk_rational_get_decimal(qh, digits);
        if (s == NULL || t == NULL || strcmp(s, t) != 0)
        {
            flint_free(s);
            s = NULL;
        }
        flint_free(t);
    }
    arf_clear(lo);
    arf_clear(hi);
    fmpq_clear(ql);
    fmpq_clear(qh);
    return s;
}

/* The bits a value lacks for `digits` correct digits (0 when it has them). */
static slong
missing_bits(const arb_t x, slong digits)
{
    char * s;
    slong acc;
    if ((s = ntk_kernel_get_decimal(x, digits)) != NULL)
    {
        flint_free(s);
        return 0;
    }
    acc = arb_rel_accuracy_bits(x);
    return FLINT_MAX((slong) (digits * 3.3219280948873623) + 16 - FLINT_MAX(acc, 0), 16);
}

static slong
kernel_missing(const ntk_kernel_t k, slong digits)
{
    slong worst = 0, l;
    int q;
    for (q = 0; q < 3; q++)
    {
        worst = FLINT_MAX(worst, missing_bits(&k->theta[q], digits));
        worst = FLINT_MAX(worst, missing_bits(&k->sigma[q], digits));
    }
    if (k->what != NTK_KERNEL_INFINITE)
        for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
        {
            worst = FLINT_MAX(worst, missing_bits(&k->coeff_sum[q], digits));
            worst = FLINT_MAX(worst, missing_bits(&k->first_order[q], digits));
            if (k->what == NTK_KERNEL_PER_LAYER)
                for (l = 0; l < k->n_hidden; l++)
                    worst = FLINT_MAX(worst, missing_bits(k->coeff[q] + l, digits));
        }
    return worst;
}

/* The first precision to try: the digits, guard bits for the rounding and
   for the growth of the balls over the layers. */
static slong
start_prec(slong digits, slong depth)
{
    return (slong) (digits * 3.3219280948873623) + 32 + 3 * FLINT_BIT_COUNT(depth + 1);
}

ntk_status_t
ntk_kernel_compute_digits(ntk_kernel_t k, const ntk_profile_t p, const fmpq_t x2,
                          const fmpq_t y2, const fmpq_t xy, const ntk_conv_t conv,
                          ntk_kernel_what_t what, slong digits, const ntk_exec_t exec,
                          ntk_error_t * err)
{
    ntk_status_t status;
    slong prec, miss;
    if (k == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "", "kernel: NULL argument");
    if ((status = _ntk_kernel_check(p, x2, y2, xy, conv, err)) != NTK_OK)
        return status;
    if ((int) what < NTK_KERNEL_INFINITE || what > NTK_KERNEL_PER_LAYER)
        return _ntk_error_set(err, NTK_ERR_RANGE, "what", "what: not a ntk_kernel_what_t");
    if (digits < 1 || digits > NTK_KERNEL_DIGITS_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "digits", "digits: must be 1..%d",
                              NTK_KERNEL_DIGITS_MAX);
    prec = start_prec(digits, ntk_profile_depth(p));
    if (what != NTK_KERNEL_INFINITE)
        prec = FLINT_MIN(prec + _ntk_kernel_angle_loss(p, x2, y2, xy, conv), PREC_LIMIT);
    for (;;)
    {
        if (_ntk_kernel_compute(k, p, x2, y2, xy, conv, what, prec, exec) != NTK_OK)
            return _ntk_error_set(err, NTK_ERR_INTERRUPTED, "", "kernel: interrupted");
        if ((miss = kernel_missing(k, digits)) == 0)
            return NTK_OK;
        if (prec >= PREC_LIMIT)
            return _ntk_error_set(err, NTK_ERR_RANGE, "digits",
                "digits: %ld digits cannot be certified within %ld bits (a value may be 0)",
                (long) digits, (long) PREC_LIMIT);
        prec = FLINT_MIN(FLINT_MAX(prec + miss + 32, prec + prec / 4), PREC_LIMIT);
    }
}

/* ------------------------------------------------ the Gram matrix */

typedef struct
{
    arb_ptr theta, sigma;
    const fmpq * gram;
    slong m, prec;
    slong * pairs;          /* 2 per item: i <= j */
    const ntk_profile_struct * p;
    const ntk_conv_struct * conv;
}
gram_args_t;

static int
gram_item(void * data, slong item, int worker)
{
    gram_args_t * a = data;
    slong i = a->pairs[2 * item], j = a->pairs[2 * item + 1], m = a->m;
    ntk_kernel_t k;
    ntk_kernel_init(k);
    _ntk_kernel_compute(k, a->p, a->gram + i * m + i, a->gram + j * m + j, a->gram + i * m + j,
                        a->conv, NTK_KERNEL_INFINITE, a->prec, NULL);
    if (a->theta != NULL)
    {
        arb_set(a->theta + i * m + j, &k->theta[1]);
        arb_set(a->theta + j * m + i, &k->theta[1]);
    }
    if (a->sigma != NULL)
    {
        arb_set(a->sigma + i * m + j, &k->sigma[1]);
        arb_set(a->sigma + j * m + i, &k->sigma[1]);
    }
    ntk_kernel_clear(k);
    return 0;
}

static ntk_status_t
gram_check(const fmpq * gram, slong m, const ntk_profile_t p, const ntk_conv_t conv,
           ntk_error_t * err)
{
    slong i, j;
    ntk_status_t status;
    if (gram == NULL && m > 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "gram", "gram: NULL argument");
    if (m < 0 || m > (WORD(1) << 20))
        return _ntk_error_set(err, NTK_ERR_RANGE, "gram", "gram: m must be 0..2^20");
    for (i = 0; i < m; i++)
        for (j = i; j < m; j++)
        {
            if (!fmpq_equal(gram + i * m + j, gram + j * m + i))
                return _ntk_error_set(err, NTK_ERR_RANGE, "gram",
                                      "gram: not symmetric at (%ld, %ld)", (long) i, (long) j);
            status = _ntk_kernel_check(p, gram + i * m + i, gram + j * m + j, gram + i * m + j,
                                       conv, err);
            if (status != NTK_OK)
            {
                if (err != NULL && err->status == NTK_ERR_RANGE
                    && (!strcmp(err->param, "xy") || !strcmp(err->param, "x2")
                        || !strcmp(err->param, "y2")))
                    return _ntk_error_set(err, NTK_ERR_RANGE, "gram",
                        "gram: entries (%ld, %ld) are not the Gram entries of two vectors "
                        "(a negative squared norm or Cauchy-Schwarz violated)", (long) i, (long) j);
                return status;
            }
        }
    return NTK_OK;
}

/* Computes the entries listed in pairs (n of them) at prec bits. */
static ntk_status_t
gram_pairs(arb_ptr theta, arb_ptr sigma, const fmpq * gram, slong m, slong * pairs, slong n,
           const ntk_profile_t p, const ntk_conv_t conv, slong prec, const ntk_exec_t exec,
           ntk_error_t * err)
{
    gram_args_t a;
    a.theta = theta;
    a.sigma = sigma;
    a.gram = gram;
    a.m = m;
    a.prec = prec;
    a.pairs = pairs;
    a.p = p;
    a.conv = conv;
    return _ntk_parallel_do(gram_item, &a, n, exec == NULL ? 1 : exec->threads, err);
}

ntk_status_t
ntk_kernel_gram(arb_ptr theta, arb_ptr sigma, const fmpq * gram, slong m, const ntk_profile_t p,
                const ntk_conv_t conv, slong prec, const ntk_exec_t exec, ntk_error_t * err)
{
    ntk_status_t status;
    slong * pairs, n = 0, i, j;
    if ((status = gram_check(gram, m, p, conv, err)) != NTK_OK)
        return status;
    if (exec != NULL && (status = ntk_exec_validate(exec, err)) != NTK_OK)
        return status;
    if (prec < 2 || prec > NTK_PRECISION_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "precision",
                              "precision: must be 2..%ld bits", (long) NTK_PRECISION_MAX);
    pairs = flint_malloc(FLINT_MAX(m * (m + 1), 1) * sizeof(slong));
    for (i = 0; i < m; i++)
        for (j = i; j < m; j++)
        {
            pairs[2 * n] = i;
            pairs[2 * n + 1] = j;
            n++;
        }
    status = gram_pairs(theta, sigma, gram, m, pairs, n, p, conv, prec, exec, err);
    flint_free(pairs);
    return status;
}

/* Moves the strings of the certified pairs among the n listed into theta
   and sigma (both entries of each pair), and the pairs still uncertified to
   the front of pairs; returns how many those are. */
static slong
harvest(char ** theta, char ** sigma, arb_srcptr th, arb_srcptr sg, slong m, slong * pairs, slong n,
        slong digits)
{
    slong left = 0, k;
    for (k = 0; k < n; k++)
    {
        slong a = pairs[2 * k] * m + pairs[2 * k + 1], b = pairs[2 * k + 1] * m + pairs[2 * k];
        char * st = theta != NULL ? ntk_kernel_get_decimal(th + a, digits) : NULL;
        char * ss = sigma != NULL ? ntk_kernel_get_decimal(sg + a, digits) : NULL;
        if ((theta != NULL && st == NULL) || (sigma != NULL && ss == NULL))
        {
            flint_free(st);
            flint_free(ss);
            pairs[2 * left] = pairs[2 * k];
            pairs[2 * left + 1] = pairs[2 * k + 1];
            left++;
            continue;
        }
        if (theta != NULL)
        {
            theta[a] = st;
            if (b != a)
            {
                theta[b] = flint_malloc(strlen(st) + 1);
                strcpy(theta[b], st);
            }
        }
        if (sigma != NULL)
        {
            sigma[a] = ss;
            if (b != a)
            {
                sigma[b] = flint_malloc(strlen(ss) + 1);
                strcpy(sigma[b], ss);
            }
        }
    }
    return left;
}

ntk_status_t
ntk_kernel_gram_get_strs(char ** theta, char ** sigma, const fmpq * gram, slong m,
                         const ntk_profile_t p, const ntk_conv_t conv, slong digits,
                         const ntk_exec_t exec, ntk_error_t * err)
{
    ntk_status_t status;
    arb_ptr th, sg;
    slong * pairs, n = 0, i, j, prec, k;
    if ((status = gram_check(gram, m, p, conv, err)) != NTK_OK)
        return status;
    if (exec != NULL && (status = ntk_exec_validate(exec, err)) != NTK_OK)
        return status;
    if (digits < 1 || digits > NTK_KERNEL_DIGITS_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "digits", "digits: must be 1..%d",
                              NTK_KERNEL_DIGITS_MAX);
    for (k = 0; k < m * m; k++)
    {
        if (theta != NULL)
            theta[k] = NULL;
        if (sigma != NULL)
            sigma[k] = NULL;
    }
    th = _arb_vec_init(FLINT_MAX(m * m, 1));
    sg = _arb_vec_init(FLINT_MAX(m * m, 1));
    pairs = flint_malloc(FLINT_MAX(m * (m + 1), 1) * sizeof(slong));
    for (i = 0; i < m; i++)
        for (j = i; j < m; j++)
        {
            pairs[2 * n] = i;
            pairs[2 * n + 1] = j;
            n++;
        }
    /* every pair at the first precision, then the ones not yet certified again */
    for (prec = start_prec(digits, ntk_profile_depth(p)); n > 0; )
    {
        slong left;
        if ((status = gram_pairs(th, sg, gram, m, pairs, n, p, conv, prec, exec, err)) != NTK_OK)
            break;
        left = harvest(theta, sigma, th, sg, m, pairs, n, digits);
        n = left;
        if (n > 0 && prec >= PREC_LIMIT)
        {
            status = _ntk_error_set(err, NTK_ERR_RANGE, "digits",
                "digits: %ld digits cannot be certified within %ld bits", (long) digits,
                (long) PREC_LIMIT);
            break;
        }
        prec = FLINT_MIN(2 * prec, PREC_LIMIT);
    }
    if (status != NTK_OK)
        for (k = 0; k < m * m; k++)
        {
            if (theta != NULL)
            {
                flint_free(theta[k]);
                theta[k] = NULL;
            }
            if (sigma != NULL)
            {
                flint_free(sigma[k]);
                sigma[k] = NULL;
            }
        }
    flint_free(pairs);
    _arb_vec_clear(th, FLINT_MAX(m * m, 1));
    _arb_vec_clear(sg, FLINT_MAX(m * m, 1));
    return status;
}
