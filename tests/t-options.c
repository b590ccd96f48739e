/* Exact rational parsing of option values, and option validation. */

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
    ok = ntk_fmpq_set_str_exact(r, str, "--x2", NULL) == NTK_OK;
    if (ok)
        s = ntk_report_exact(r);
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
    ok = ntk_fmpq_set_str_exact(r, str, "--mu4", &err) != NTK_OK
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
        if (ntk_fmpq_set_str_exact(r, buf, "--x2", &err) == NTK_OK)
        {
            char * s = ntk_report_exact(r);
            accepted++;
            bad += ntk_fmpq_set_str_exact(t, s, "--x2", NULL) != NTK_OK || !fmpq_equal(r, t);
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

int
main(void)
{
    ntk_options_t opt;
    ntk_error_t err;
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
    check_rational("1.5e-3", "3/2000");
    check_rational("+7", "7");
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
    check_bad("1e9999999");
    ntk_options_init(opt);
    tap_ok(ntk_options_validate(opt, NULL) == NTK_OK, "defaults are valid");
    fmpq_set_si(opt->mu4, 99, 100);
    tap_ok(ntk_options_validate(opt, &err) != NTK_OK && strstr(err.message, "--mu4"),
           "mu4 < 1 rejected: %s", err.message);
    fmpq_set_si(opt->mu4, 1, 1);
    tap_ok(ntk_options_validate(opt, NULL) == NTK_OK, "mu4 = 1 accepted");
    fmpq_zero(opt->cw_hidden);
    tap_ok(ntk_options_validate(opt, &err) != NTK_OK && strstr(err.message, "--cw-hidden"),
           "cw_hidden = 0 rejected: %s", err.message);
    fmpq_one(opt->cw_hidden);
    fmpq_set_si(opt->cw_output, -1, 2);
    tap_ok(ntk_options_validate(opt, &err) != NTK_OK && strstr(err.message, "--cw-output"),
           "cw_output < 0 rejected: %s", err.message);
    ntk_options_clear(opt);
    check_random_strings();
    flint_cleanup();
    return tap_done();
}
