/* The number of decimal digits to which two MPFR values agree, shared by
   the limit tests. */

#ifndef NTK_TESTS_DIGITS_H
#define NTK_TESTS_DIGITS_H

#include <math.h>
#include <mpfr.h>

/* -log10 |x - y| / |x| (1000 when they are equal). */
static double
agree_digits(const mpfr_t x, const mpfr_t y)
{
    mpfr_t d;
    double r;
    mpfr_init2(d, 64);
    mpfr_sub(d, x, y, MPFR_RNDN);
    if (mpfr_zero_p(d))
    {
        mpfr_clear(d);
        return 1000.0;
    }
    mpfr_div(d, d, x, MPFR_RNDN);
    r = -log10(fabs(mpfr_get_d(d, MPFR_RNDN)));
    mpfr_clear(d);
    return r;
}

#endif
