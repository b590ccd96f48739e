/* Exact and decimal formatting of values. */

#include <string.h>
#include "ntkexact.h"
#include "tap.h"

static void
check_decimal(slong p, slong q, slong digits, const char * want)
{
    fmpq_t x;
    char * s;
    fmpq_init(x);
    fmpq_set_si(x, p, q);
    s = ntk_report_decimal(x, digits);
    tap_ok(strcmp(s, want) == 0, "%ld/%ld to %ld digits: %s (want %s)",
           (long) p, (long) q, (long) digits, s, want);
    flint_free(s);
    fmpq_clear(x);
}

int
main(void)
{
    fmpq_t x;
    fmpz_t big;
    char * s;
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
    fmpq_init(x);
    fmpz_init(big);
    fmpq_set_si(x, -10, 4);
    s = ntk_report_exact(x);
    tap_ok(strcmp(s, "-5/2") == 0, "exact -10/4 = %s", s);
    flint_free(s);
    fmpq_set_si(x, 12, 4);
    s = ntk_report_exact(x);
    tap_ok(strcmp(s, "3") == 0, "exact integer without /1: %s", s);
    flint_free(s);
    /* (2^4000 + 1) / 2^4000: correct rounding far beyond double */
    fmpz_one(big);
    fmpz_mul_2exp(big, big, 4000);
    fmpz_set(fmpq_denref(x), big);
    fmpz_add_ui(fmpq_numref(x), big, 1);
    s = ntk_report_decimal(x, 30);
    tap_ok(strcmp(s, "1.00000000000000000000000000000") == 0, "1 + 2^-4000 to 30 digits: %s", s);
    flint_free(s);
    fmpz_sub_ui(fmpq_numref(x), big, 1);
    s = ntk_report_decimal(x, 30);
    tap_ok(strcmp(s, "1.00000000000000000000000000000") == 0, "1 - 2^-4000 rounds up: %s", s);
    flint_free(s);
    fmpz_clear(big);
    fmpq_clear(x);
    flint_cleanup();
    return tap_done();
}
