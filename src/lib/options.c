/* Conventions of the network (weight law, variances, parametrization) and
   exact parsing of rational option values. */

#include <ctype.h>
#include <string.h>
#include "ntkexact.h"

/* Longest digit string read, and largest decimal exponent: every accepted
   value, written out in full, is read back. */
#define NTK_DIGITS_MAX 1000000
#define NTK_EXPONENT_MAX 100000

void
ntk_options_init(ntk_options_t opt)
{
    fmpq_init(opt->mu4);
    fmpq_init(opt->cw_hidden);
    fmpq_init(opt->cw_output);
    fmpq_set_si(opt->mu4, 3, 1);
    fmpq_set_si(opt->cw_hidden, 2, 1);
    fmpq_set_si(opt->cw_output, 1, 1);
    opt->param = NTK_PARAM_NTK;
    opt->bias = 1;
    opt->threads = 1;
    opt->precision = 0;
    opt->progress = NULL;
    opt->progress_data = NULL;
}

void
ntk_options_clear(ntk_options_t opt)
{
    fmpq_clear(opt->mu4);
    fmpq_clear(opt->cw_hidden);
    fmpq_clear(opt->cw_output);
}

ntk_status_t
ntk_options_validate(const ntk_options_t opt, ntk_error_t * err)
{
    if (fmpq_cmp_ui(opt->mu4, 1) < 0)
        return ntk_error_set(err, NTK_ERR_RANGE,
            "--mu4: the fourth moment of a unit-variance law is at least 1");
    if (fmpq_sgn(opt->cw_hidden) <= 0)
        return ntk_error_set(err, NTK_ERR_RANGE, "--cw-hidden: must be positive");
    if (fmpq_sgn(opt->cw_output) <= 0)
        return ntk_error_set(err, NTK_ERR_RANGE, "--cw-output: must be positive");
    if (opt->precision != 0 && (opt->precision < 2 || opt->precision > NTK_PRECISION_MAX))
        return ntk_error_set(err, NTK_ERR_RANGE, "--precision: must be 2..%ld bits",
                             (long) NTK_PRECISION_MAX);
    if (opt->threads < 1)
        return ntk_error_set(err, NTK_ERR_RANGE, "--threads: must be at least 1");
    return NTK_OK;
}

/* Reads the digits of [s, end) into z; 0 if there are none or another char. */
static int
read_digits(fmpz_t z, const char * s, const char * end)
{
    char * buf;
    int ok;
    const char * t;
    if (s == end || end - s > NTK_DIGITS_MAX)
        return 0;
    for (t = s; t < end; t++)
        if (!isdigit((unsigned char) *t))
            return 0;
    buf = flint_malloc(end - s + 1);
    memcpy(buf, s, end - s);
    buf[end - s] = '\0';
    ok = (fmpz_set_str(z, buf, 10) == 0);
    flint_free(buf);
    return ok;
}

/* Parses an unsigned decimal "I", "I.F", ".F", with optional exponent. */
static int
parse_decimal(fmpq_t res, const char * s)
{
    const char * dot = strchr(s, '.');
    const char * e = strpbrk(s, "eE");
    const char * mant_end = e ? e : s + strlen(s);
    fmpz_t ip, fp, den;
    slong exp10 = 0, frac_len = 0;
    int ok = 1;
    fmpz_init(ip); fmpz_init(fp); fmpz_init(den);
    if (dot != NULL && dot > mant_end)
        ok = 0;
    if (ok && e != NULL)
    {
        const char * t = e + 1;
        int neg = 0;
        if (*t == '+' || *t == '-')
            neg = (*t++ == '-');
        if (*t == '\0' || strlen(t) > 6)
            ok = 0;
        for (; ok && *t; t++)
            ok = isdigit((unsigned char) *t) ? (exp10 = 10 * exp10 + (*t - '0'), 1) : 0;
        if (neg)
            exp10 = -exp10;
        /* a larger exponent would write out longer than NTK_DIGITS_MAX digits */
        if (FLINT_ABS(exp10) > NTK_EXPONENT_MAX)
            ok = 0;
    }
    if (ok)
    {
        const char * int_end = dot ? dot : mant_end;
        int has_int = int_end > s, has_frac = dot && mant_end > dot + 1;
        if (!has_int && !has_frac)
            ok = 0;
        if (ok && has_int)
            ok = read_digits(ip, s, int_end);
        if (ok && has_frac)
        {
            ok = read_digits(fp, dot + 1, mant_end);
            frac_len = mant_end - dot - 1;
        }
    }
    if (ok)
    {
        fmpz_set_ui(den, 10);
        fmpz_pow_ui(den, den, frac_len);
        fmpz_mul(ip, ip, den);
        fmpz_add(ip, ip, fp);
        fmpq_set_fmpz_frac(res, ip, den);
        if (exp10 != 0)
        {
            fmpz_set_ui(den, 10);
            fmpz_pow_ui(den, den, FLINT_ABS(exp10));
            if (exp10 > 0)
                fmpq_mul_fmpz(res, res, den);
            else
                fmpq_div_fmpz(res, res, den);
        }
    }
    fmpz_clear(ip); fmpz_clear(fp); fmpz_clear(den);
    return ok;
}

ntk_status_t
ntk_fmpq_set_str_exact(fmpq_t res, const char * str, const char * what,
                       ntk_error_t * err)
{
    const char * s = str;
    const char * slash;
    int neg = 0, ok;
    if (*s == '-' || *s == '+')
        neg = (*s++ == '-');
    slash = strchr(s, '/');
    if (slash != NULL)
    {
        fmpz_t p, q;
        fmpz_init(p); fmpz_init(q);
        ok = read_digits(p, s, slash) && read_digits(q, slash + 1, slash + strlen(slash));
        if (ok && fmpz_is_zero(q))
        {
            fmpz_clear(p); fmpz_clear(q);
            return ntk_error_set(err, NTK_ERR_RANGE,
                "%s '%s': the denominator is zero", what, str);
        }
        if (ok)
            fmpq_set_fmpz_frac(res, p, q);
        fmpz_clear(p); fmpz_clear(q);
    }
    else
        ok = parse_decimal(res, s);
    if (!ok)
        return ntk_error_set(err, NTK_ERR_SYNTAX,
            "%s '%s' is not an exact rational (use an integer, p/q, or a decimal like 2.27)",
            what, str);
    if (neg)
        fmpq_neg(res, res);
    return NTK_OK;
}
