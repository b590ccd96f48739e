/* The depth-to-width limits, or their 1/n corrections, as decimal strings whose every digit is correct
   (Ziv's strategy: compute at two precisions 64 bits apart and keep the
   digits only when both round to them; a value near a rounding boundary
   raises the precision), by the generator and by the closed forms. */

#include <mpfr.h>
#include <string.h>
#include "base/error.h"
#include "limit.h"

int
ntk_limit_n(int moments)
{
    return moments == 2 ? NTK_LIMIT_N : moments == 3 ? NTK_LIMIT_N + 3
           : moments == 4 ? NTK_LIMIT_N_MAX : 0;
}

/* The strings of the first `count` values of l with `digits` digits; NULL
   for NaN (undefined).  Non-zero on success. */
static int
limit_strings(char ** out, const ntk_limit_t l, int count, slong digits)
{
    const mpfr_t * v[NTK_LIMIT_N_MAX] = { &l->e_k, &l->e_k2, &l->ratio_k2, &l->ratio_dk,
        &l->ratio_n4, &l->e_k3, &l->ratio_k3, &l->ratio_n6, &l->e_k4, &l->ratio_k4,
        &l->ratio_n8 };
    int k;
    for (k = 0; k < count; k++)
    {
        char * s;
        out[k] = NULL;
        if (mpfr_nan_p(*v[k]))
            continue;
        /* an exact zero prints as 0, whatever its sign bit (a = 0 makes
           -2 (C_Dww + 2 C_Dwb) a negative zero) */
        if (mpfr_asprintf(&s, "%.*Rg", (int) digits, *v[k]) < 0)
            return 0;
        if (mpfr_zero_p(*v[k]) && s[0] == '-')
            memmove(s, s + 1, strlen(s));
        out[k] = flint_malloc(strlen(s) + 1);
        strcpy(out[k], s);
        mpfr_free_str(s);
    }
    return 1;
}

static void
strings_free(char ** s, int count)
{
    int k;
    for (k = 0; k < count; k++)
    {
        flint_free(s[k]);
        s[k] = NULL;
    }
}

typedef ntk_status_t (* limit_fn)(ntk_limit_t, const fmpq_t, const fmpq_t, const ntk_conv_t,
                                  int, ntk_error_t *);

static int
same_strings(char * const * x, char * const * y, int count)
{
    int k;
    for (k = 0; k < count; k++)
        if ((x[k] == NULL) != (y[k] == NULL) || (x[k] != NULL && strcmp(x[k], y[k]) != 0))
            return 0;
    return 1;
}

/* The values of fn to `digits` correct digits. */
static ntk_status_t
limit_values(char ** out, limit_fn fn, const fmpq_t beta, const fmpq_t a, const ntk_conv_t conv,
             int moments, slong digits, ntk_error_t * err)
{
    int count = ntk_limit_n(moments);
    mpfr_prec_t prec = (mpfr_prec_t) ((double) digits * 3.3219280948873623) + 16;
    ntk_status_t status = NTK_OK;
    int tries, same = 0, k;
    for (tries = 0; tries < 6 && !same && status == NTK_OK; tries++, prec *= 2)
    {
        ntk_limit_t lo, hi;
        char * s_hi[NTK_LIMIT_N_MAX];
        ntk_limit_init(lo, prec);
        ntk_limit_init(hi, prec + 64);
        for (k = 0; k < count; k++)
            s_hi[k] = NULL;
        if ((status = fn(lo, beta, a, conv, moments, err)) == NTK_OK
            && (status = fn(hi, beta, a, conv, moments, err)) == NTK_OK)
        {
            strings_free(out, count);
            if (!limit_strings(out, lo, count, digits) || !limit_strings(s_hi, hi, count, digits))
                status = _ntk_error_set(err, NTK_ERR_RESOURCE, "", "limit: no memory for the strings");
            else
                same = same_strings(out, s_hi, count);
            strings_free(s_hi, count);
        }
        ntk_limit_clear(lo);
        ntk_limit_clear(hi);
    }
    if (status == NTK_OK && !same)
        status = _ntk_error_set(err, NTK_ERR_RANGE, "digits",
            "digits: the limits cannot be settled to %ld digits", (long) digits);
    if (status != NTK_OK)
        strings_free(out, count);
    return status;
}

/* The number of significant digits two decimal strings share. */
static slong
common_digits(const char * x, const char * y, slong digits)
{
    slong n = 0;
    if (strcmp(x, y) == 0)
        return digits;
    for (; *x && *x == *y; x++, y++)
        n += (*x >= '1' && *x <= '9') || (n > 0 && *x == '0');
    return FLINT_MIN(n, digits - 1);
}

ntk_status_t
ntk_limit_get_strs(char ** values, char ** closed, slong * agree, const fmpq_t beta,
                   const fmpq_t a, const ntk_conv_t conv, slong digits, ntk_error_t * err)
{
    return ntk_limit_get_strs_order(values, closed, agree, beta, a, conv, 0, digits, err);
}

/* The values of order `order` (0, 1) up to the moments of order `moments`. */
static ntk_status_t
get_strs(char ** values, char ** closed, slong * agree, const fmpq_t beta, const fmpq_t a,
         const ntk_conv_t conv, int order, int moments, slong digits, ntk_error_t * err)
{
    limit_fn by_generator = order == 1 ? ntk_limit_correction_moments : ntk_limit_compute_moments;
    limit_fn by_closed_form = order == 1 ? ntk_limit_correction_closed_form_moments
                                         : ntk_limit_closed_form_moments;
    char * cf[NTK_LIMIT_N_MAX] = { NULL };
    ntk_status_t status;
    int k, count;
    if (values == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "values", "values: NULL argument");
    if ((status = _ntk_limit_check_moments(moments, 0, NULL, NULL, err)) != NTK_OK)
        return status;
    count = ntk_limit_n(moments);
    for (k = 0; k < count; k++)
        values[k] = NULL;
    if (digits < 1 || digits > NTK_LIMIT_DIGITS_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "digits", "digits: must be 1..%d",
                              NTK_LIMIT_DIGITS_MAX);
    if (order != 0 && order != 1)
        return _ntk_error_set(err, NTK_ERR_RANGE, "order", "order: must be 0 (the limits) or 1 (their 1/n corrections)");
    if ((status = limit_values(values, by_generator, beta, a, conv, moments, digits, err)) != NTK_OK
        || (status = limit_values(cf, by_closed_form, beta, a, conv, moments, digits, err)) != NTK_OK)
    {
        strings_free(values, count);
        return status;
    }
    if (agree != NULL)
    {
        *agree = digits;
        for (k = 0; k < count; k++)
            if (values[k] != NULL && cf[k] != NULL)
                *agree = FLINT_MIN(*agree, common_digits(values[k], cf[k], digits));
    }
    for (k = 0; k < count; k++)
    {
        if (closed != NULL)
            closed[k] = cf[k];
        else
            flint_free(cf[k]);
    }
    return NTK_OK;
}

ntk_status_t
ntk_limit_get_strs_order(char ** values, char ** closed, slong * agree, const fmpq_t beta,
                         const fmpq_t a, const ntk_conv_t conv, int order, slong digits,
                         ntk_error_t * err)
{
    return get_strs(values, closed, agree, beta, a, conv, order, 2, digits, err);
}

ntk_status_t
ntk_limit_get_strs_moments(char ** values, char ** closed, slong * agree, const fmpq_t beta,
                           const fmpq_t a, const ntk_conv_t conv, int moments, slong digits,
                           ntk_error_t * err)
{
    return get_strs(values, closed, agree, beta, a, conv, 0, moments, digits, err);
}

ntk_status_t
ntk_limit_get_strs_order_moments(char ** values, char ** closed, slong * agree,
                                 const fmpq_t beta, const fmpq_t a, const ntk_conv_t conv,
                                 int order, int moments, slong digits, ntk_error_t * err)
{
    return get_strs(values, closed, agree, beta, a, conv, order, moments, digits, err);
}
