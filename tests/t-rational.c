/* Exact rationals: parsing (one grammar: an integer, p/q or a terminating
   decimal, no spaces, no '+', no hex) and the exact and decimal strings. */

#include <string.h>
#include "ntkexact.h"
#include "tap.h"

static void
check_rational(const char * str, const char * want)
{
    fmpq_t r;
    char * s = NULL;
    int ok;
    fmpq_init(r);
    ok = ntk_rational_set_str(r, str, "--x2", NULL) == NTK_OK;
    if (ok)
        s = ntk_rational_get_str(r);
    tap_ok(ok && strcmp(s, want) == 0, "'%s' reads as %s", str, want);
    flint_free(s);
    fmpq_clear(r);
}

static void
check_bad(const char * str)
{
    fmpq_t r;
    ntk_error_t err;
    int ok;
    fmpq_init(r);
    ok = ntk_rational_set_str(r, str, "--mu4", &err) != NTK_OK
         && strstr(err.message, "--mu4") != NULL && strstr(err.message, str) != NULL;
    tap_ok(ok, "'%s' is rejected: %s", str, err.message);
    fmpq_clear(r);
}

/* Random strings over the characters of rationals: accepted values print and
   parse back to themselves, the rest are rejected with a message. */
static void
check_random_strings(void)
{
    static const char alphabet[] = "0123456789/.eE+- x";
    flint_rand_t st;
    fmpq_t r, t;
    ntk_error_t err;
    char buf[32];
    int k, len, i, bad = 0, accepted = 0;
    flint_randinit(st);
    fmpq_init(r);
    fmpq_init(t);
    for (k = 0; k < 10000; k++)
    {
        len = (int) n_randint(st, 24);
        for (i = 0; i < len; i++)
            buf[i] = alphabet[n_randint(st, sizeof(alphabet) - 1)];
        buf[len] = '\0';
        err.message[0] = '\0';
        if (ntk_rational_set_str(r, buf, "--x2", &err) == NTK_OK)
        {
            char * s = ntk_rational_get_str(r);
            accepted++;
            bad += ntk_rational_set_str(t, s, "--x2", NULL) != NTK_OK || !fmpq_equal(r, t);
            flint_free(s);
        }
        else
            bad += err.message[0] == '\0';
    }
    tap_ok(bad == 0, "10000 random strings: %d exact rationals round-trip, the rest rejected with a message",
           accepted);
    fmpq_clear(r);
    fmpq_clear(t);
    flint_randclear(st);
}

static void
check_decimal(slong p, slong q, slong digits, const char * want)
{
    fmpq_t x;
    char * s;
    fmpq_init(x);
    fmpq_set_si(x, p, q);
    s = ntk_rational_get_decimal(x, digits);
    tap_ok(strcmp(s, want) == 0, "%ld/%ld to %ld digits: %s (want %s)",
           (long) p, (long) q, (long) digits, s, want);
    flint_free(s);
    fmpq_clear(x);
}

/* ntk_rational_get_strs: the same strings as one by one, on two threads. */
static void
check_strs(void)
{
    fmpq * x = _fmpq_vec_init(6);
    slong digits[6] = { 5, 0, 12, 30, 1, 7 };
    char * ex[6], * dec[6];
    int k, ok = 1;
    fmpz_one(fmpq_numref(x + 0));
    fmpz_mul_2exp(fmpq_denref(x + 0), fmpq_numref(x + 0), 200000);   /* long: threads used */
    fmpz_add_ui(fmpq_numref(x + 0), fmpq_numref(x + 0), 3);
    fmpq_canonicalise(x + 0);
    for (k = 1; k < 6; k++)
        fmpq_set_si(x + k, 1 - 7 * k, 3 + k);
    ok = ntk_rational_get_strs(ex, dec, x, digits, 6, 2, NULL) == NTK_OK;
    for (k = 0; k < 6 && ok; k++)
    {
        char * e = ntk_rational_get_str(x + k);
        char * d = digits[k] > 0 ? ntk_rational_get_decimal(x + k, digits[k]) : NULL;
        ok &= strcmp(e, ex[k]) == 0 && (d == NULL ? dec[k] == NULL : strcmp(d, dec[k]) == 0);
        flint_free(e); flint_free(d); flint_free(ex[k]); flint_free(dec[k]);
    }
    tap_ok(ok, "ntk_rational_get_strs gives the strings of get_str and get_decimal");
    _fmpq_vec_clear(x, 6);
}

int
main(void)
{
    fmpq_t x;
    fmpz_t big;
    char * s;
    check_rational("3", "3");
    check_rational("-12", "-12");
    check_rational("9/5", "9/5");
    check_rational("6/4", "3/2");
    check_rational("-1/3", "-1/3");
    check_rational("2.27", "227/100");
    check_rational("0.5", "1/2");
    check_rational(".25", "1/4");
    check_rational("3.", "3");
    check_rational("1e3", "1000");
    check_rational("1e+3", "1000");
    check_rational("1.5e-3", "3/2000");
    check_rational("0", "0");
    check_rational("123456789012345678901234567890", "123456789012345678901234567890");
    check_bad("");
    check_bad("abc");
    check_bad("1/0");
    check_bad("1/");
    check_bad("/3");
    check_bad("1.2.3");
    check_bad("1e");
    check_bad("0x10");
    check_bad("1/2/3");
    check_bad("nan");
    check_bad(" 3");
    check_bad("3 ");
    check_bad("+7");
    check_bad("1/-2");
    check_bad("1e9999999");
    check_random_strings();
    fmpq_init(x);
    check_decimal(1, 3, 5, "0.33333");
    check_decimal(2, 3, 5, "0.66667");
    check_decimal(-2, 3, 5, "-0.66667");
    check_decimal(19, 4, 20, "4.7500000000000000000");
    check_decimal(7, 4, 1, "2");
    check_decimal(0, 1, 5, "0");
    check_decimal(99999, 1, 3, "1.00e+05");
    check_decimal(9995, 10, 3, "1.00e+03");
    check_decimal(9994, 10, 3, "999");
    check_decimal(1, 100000, 3, "0.0000100");
    check_decimal(1, 1000000, 3, "1.00e-06");
    check_decimal(-123456789, 1000, 4, "-1.235e+05");
    check_decimal(5, 1000, 2, "0.0050");
    check_decimal(1, 8, 2, "0.13");
    fmpz_init(big);
    fmpq_set_si(x, -10, 4);
    s = ntk_rational_get_str(x);
    tap_ok(strcmp(s, "-5/2") == 0, "exact -10/4 = %s", s);
    flint_free(s);
    fmpq_set_si(x, 12, 4);
    s = ntk_rational_get_str(x);
    tap_ok(strcmp(s, "3") == 0, "exact integer without /1: %s", s);
    flint_free(s);
    /* (2^4000 + 1) / 2^4000: correct rounding far beyond double */
    fmpz_one(big);
    fmpz_mul_2exp(big, big, 4000);
    fmpz_set(fmpq_denref(x), big);
    fmpz_add_ui(fmpq_numref(x), big, 1);
    s = ntk_rational_get_decimal(x, 30);
    tap_ok(strcmp(s, "1.00000000000000000000000000000") == 0, "1 + 2^-4000 to 30 digits: %s", s);
    flint_free(s);
    fmpz_sub_ui(fmpq_numref(x), big, 1);
    s = ntk_rational_get_decimal(x, 30);
    tap_ok(strcmp(s, "1.00000000000000000000000000000") == 0, "1 - 2^-4000 rounds up: %s", s);
    flint_free(s);
    fmpz_clear(big);
    fmpq_clear(x);
    check_strs();
    flint_cleanup();
    return tap_done();
}
