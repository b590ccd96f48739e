/* A minimal TAP producer for the test programs (automake's tap-driver). */

#ifndef NTK_TAP_H
#define NTK_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count __attribute__((unused)) = 0;
static int tap_failures __attribute__((unused)) = 0;

/* Reports one check; returns cond. */
__attribute__((unused, format(printf, 2, 3))) static int
tap_ok(int cond, const char * fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s %d - ", cond ? "ok" : "not ok", ++tap_count);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    tap_failures += !cond;
    return cond;
}

/* A diagnostic line. */
__attribute__((unused, format(printf, 1, 2))) static void
tap_diag(const char * fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("# ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

/* Prints the plan; the exit status of the test program. */
__attribute__((unused)) static int
tap_done(void)
{
    printf("1..%d\n", tap_count);
    return tap_failures ? 1 : 0;
}

#endif
