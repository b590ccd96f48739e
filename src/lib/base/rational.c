/* Exact rationals: parsing option values, and their exact and decimal
   strings (the formatting at the edge of the library, as fmpq_get_str). */

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "error.h"
#include "parallel.h"

/* Longest digit string read, and largest decimal exponent: every accepted
   value, written out in full, is read back. */
#define NTK_DIGITS_MAX 1000000
#define NTK_EXPONENT_MAX 100000

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
ntk_rational_set_str(fmpq_t res, const char * str, const char * param,
                     ntk_error_t * err)
{
    const char * s = str;
    const char * slash;
    int neg = 0, ok;
    if (param == NULL)
        param = "value";
    if (res == NULL || str == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, param, "%s: NULL argument", param);
    /* one grammar for every option: a '-', never a '+' */
    if (*s == '-')
        neg = 1, s++;
    slash = strchr(s, '/');
    if (slash != NULL)
    {
        fmpz_t p, q;
        fmpz_init(p); fmpz_init(q);
        ok = read_digits(p, s, slash) && read_digits(q, slash + 1, slash + strlen(slash));
        if (ok && fmpz_is_zero(q))
        {
            fmpz_clear(p); fmpz_clear(q);
            return _ntk_error_set(err, NTK_ERR_RANGE, param,
                "%s '%s': the denominator is zero", param, str);
        }
        if (ok)
            fmpq_set_fmpz_frac(res, p, q);
        fmpz_clear(p); fmpz_clear(q);
    }
    else
        ok = parse_decimal(res, s);
    if (!ok)
        return _ntk_error_set(err, NTK_ERR_SYNTAX, param,
            "%s '%s' is not an exact rational (use an integer, p/q, or a decimal like 2.27)",
            param, str);
    if (neg)
        fmpq_neg(res, res);
    return NTK_OK;
}

char *
ntk_rational_get_str(const fmpq_t x)
{
    size_t len;
    char * s;
    if (x == NULL)
        return NULL;
    len = fmpz_sizeinbase(fmpq_numref(x), 10) + fmpz_sizeinbase(fmpq_denref(x), 10) + 3;
    s = flint_malloc(len);
    fmpz_get_str(s, 10, fmpq_numref(x));
    if (!fmpz_is_one(fmpq_denref(x)))
    {
        size_t n = strlen(s);
        s[n] = '/';
        fmpz_get_str(s + n + 1, 10, fmpq_denref(x));
    }
    return s;
}

/* n <- floor(|x| 10^scale), or round(|x| 10^scale) (ties away from zero). */
static void
scaled_int(fmpz_t n, const fmpq_t x, slong scale, int round)
{
    fmpz_t num, den, r, p;
    fmpz_init(num); fmpz_init(den); fmpz_init(r); fmpz_init(p);
    fmpz_abs(num, fmpq_numref(x));
    fmpz_set(den, fmpq_denref(x));
    fmpz_set_ui(p, 10);
    fmpz_pow_ui(p, p, FLINT_ABS(scale));
    if (scale >= 0)
        fmpz_mul(num, num, p);
    else
        fmpz_mul(den, den, p);
    fmpz_fdiv_qr(n, r, num, den);
    fmpz_mul_2exp(r, r, 1);
    if (round && fmpz_cmp(r, den) >= 0)
        fmpz_add_ui(n, n, 1);
    fmpz_clear(num); fmpz_clear(den); fmpz_clear(r); fmpz_clear(p);
}

char *
ntk_rational_get_decimal(const fmpq_t x, slong digits)
{
    fmpz_t n, lo, hi;
    slong e, len;
    char * mant, * s;
    if (x == NULL || digits > NTK_DIGITS_MAX)
        return NULL;
    if (digits < 1)
        digits = 1;
    if (fmpq_is_zero(x))
    {
        s = flint_malloc(2);
        strcpy(s, "0");
        return s;
    }
    fmpz_init(n); fmpz_init(lo); fmpz_init(hi);
    fmpz_set_ui(lo, 10);
    fmpz_pow_ui(lo, lo, digits - 1);
    fmpz_mul_ui(hi, lo, 10);
    /* e = floor(log10 |x|), first from the bit lengths, then exactly */
    e = (slong) ((double) ((slong) fmpz_bits(fmpq_numref(x))
                           - (slong) fmpz_bits(fmpq_denref(x))) * 0.30102999566398120);
    for (;;)
    {
        scaled_int(n, x, digits - 1 - e, 0);
        if (fmpz_cmp(n, hi) >= 0)
            e++;
        else if (fmpz_cmp(n, lo) < 0)
            e--;
        else
            break;
    }
    scaled_int(n, x, digits - 1 - e, 1);
    if (fmpz_equal(n, hi))
    {
        /* rounding carried into a new digit: 9.99.. -> 10.0 */
        fmpz_set(n, lo);
        e++;
    }
    mant = flint_malloc(fmpz_sizeinbase(n, 10) + 2);
    fmpz_get_str(mant, 10, n);
    s = flint_malloc(digits + 40);
    len = 0;
    if (fmpq_sgn(x) < 0)
        s[len++] = '-';
    if (e < -5 || e >= digits)
    {
        /* scientific: d.ddd...e+XX */
        s[len++] = mant[0];
        if (digits > 1)
        {
            s[len++] = '.';
            memcpy(s + len, mant + 1, digits - 1);
            len += digits - 1;
        }
        snprintf(s + len, 32, "e%c%02ld", e < 0 ? '-' : '+', (long) FLINT_ABS(e));
    }
    else if (e >= 0)
    {
        memcpy(s + len, mant, e + 1);
        len += e + 1;
        if (digits > e + 1)
        {
            s[len++] = '.';
            memcpy(s + len, mant + e + 1, digits - e - 1);
            len += digits - e - 1;
        }
        s[len] = '\0';
    }
    else
    {
        s[len++] = '0';
        s[len++] = '.';
        memset(s + len, '0', -e - 1);
        len += -e - 1;
        memcpy(s + len, mant, digits);
        len += digits;
        s[len] = '\0';
    }
    flint_free(mant);
    fmpz_clear(n); fmpz_clear(lo); fmpz_clear(hi);
    return s;
}

/* The strings of one ntk_rational_get_strs call. */
typedef struct
{
    char ** exact, ** decimal;
    const fmpq * x;
    const slong * digits;
}
strs_t;

static int
strs_item(void * args, slong i, int worker)
{
    strs_t * s = args;
    if (s->exact != NULL)
        s->exact[i] = ntk_rational_get_str(s->x + i);
    if (s->decimal != NULL)
        s->decimal[i] = s->digits[i] > 0 ? ntk_rational_get_decimal(s->x + i, s->digits[i]) : NULL;
    return 0;
}

ntk_status_t
ntk_rational_get_strs(char ** exact, char ** decimal, const fmpq * x, const slong * digits,
                      slong n, int threads, ntk_error_t * err)
{
    strs_t s;
    slong i, bits = 0;
    if (n < 0 || (n > 0 && (x == NULL || (decimal != NULL && digits == NULL))))
        return _ntk_error_set(err, NTK_ERR_RANGE, "n", "n: %ld values, or a NULL argument", (long) n);
    if (threads < 1 || threads > NTK_THREADS_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "threads", "threads: must be 1..%d", NTK_THREADS_MAX);
    for (i = 0; i < n; i++)
        bits = FLINT_MAX(bits, (slong) fmpz_bits(fmpq_denref(x + i)));
    for (i = 0; i < n; i++)
    {
        if (exact != NULL)
            exact[i] = NULL;
        if (decimal != NULL)
            decimal[i] = NULL;
    }
    s.exact = exact;
    s.decimal = decimal;
    s.x = x;
    s.digits = digits;
    /* threads pay off only for long fractions; two is what the output needs */
    return _ntk_parallel_do(strs_item, &s, n, bits > 100000 ? FLINT_MIN(threads, 2) : 1, err);
}
