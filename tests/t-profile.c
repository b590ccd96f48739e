/* Width profiles: parsing, run-length forms, and every class of bad input. */

#include <string.h>
#include "ntkexact.h"
#include "tap.h"

static void
check_good(const char * spec, slong depth, const char * canonical, ulong n0, ulong nlast_hidden)
{
    ntk_profile_t p;
    ntk_error_t err;
    int ok;
    char * s;
    ntk_profile_init(p);
    ok = ntk_profile_set_str(p, spec, &err) == NTK_OK;
    s = ok ? ntk_profile_get_str(p) : NULL;
    tap_ok(ok && ntk_profile_depth(p) == depth && strcmp(s, canonical) == 0
           && ntk_profile_width(p, 0) == n0 && ntk_profile_width(p, depth) == 1
           && ntk_profile_width(p, depth - 1) == nlast_hidden,
           "'%s' parses to depth %ld, '%s'", spec, (long) depth, canonical);
    flint_free(s);
    ntk_profile_clear(p);
}

static void
check_bad(const char * spec, const char * needle)
{
    ntk_profile_t p;
    ntk_error_t err;
    int ok;
    ntk_profile_init(p);
    err.message[0] = '\0';
    ok = ntk_profile_set_str(p, spec, &err) != NTK_OK
         && strstr(err.message, needle) != NULL && p->depth == -1;
    tap_ok(ok, "'%s' is rejected naming '%s' (%s)", spec, needle, err.message);
    ntk_profile_clear(p);
}

/* Random strings over the characters of profiles: each is either accepted
   as a valid profile (n_d = 1, positive widths, its canonical form parses
   back to itself) or rejected with a message; never a crash. */
static void
check_random_strings(void)
{
    static const char alphabet[] = "0123456789x,,,-+. 1";
    flint_rand_t st;
    ntk_profile_t p, q;
    ntk_error_t err;
    char buf[40];
    int k, len, i, bad = 0, accepted = 0;
    flint_randinit(st);
    ntk_profile_init(p);
    ntk_profile_init(q);
    for (k = 0; k < 10000; k++)
    {
        len = (int) n_randint(st, 30);
        for (i = 0; i < len; i++)
            buf[i] = alphabet[n_randint(st, sizeof(alphabet) - 1)];
        buf[len] = '\0';
        err.message[0] = '\0';
        if (ntk_profile_set_str(p, buf, &err) == NTK_OK)
        {
            char * canon = ntk_profile_get_str(p);
            accepted++;
            bad += ntk_profile_depth(p) < 1 || ntk_profile_width(p, ntk_profile_depth(p)) != 1
                   || ntk_profile_set_str(q, canon, NULL) != NTK_OK || q->depth != p->depth;
            flint_free(canon);
        }
        else
            bad += err.message[0] == '\0' || p->depth != -1;
    }
    tap_ok(bad == 0, "10000 random strings: %d valid profiles round-trip, the rest rejected with a message",
           accepted);
    ntk_profile_clear(p);
    ntk_profile_clear(q);
    flint_randclear(st);
}

int
main(void)
{
    ntk_profile_t p, q;
    ulong w[] = { 4, 3, 3, 2, 1 };
    char * s;
    check_good("3,2,1", 2, "3,2,1", 3, 2);
    check_good("3,100x20,1", 21, "3,100x20,1", 3, 100);
    check_good("10,1000x10000,1", 10001, "10,1000x10000,1", 10, 1000);
    check_good("1,1,1,1", 3, "1x4", 1, 1);
    check_good("2x3,5x2,1x1", 5, "2x3,5x2,1", 2, 5);
    check_good("1,1", 1, "1x2", 1, 1);
    check_good("7,1099511627776,1", 2, "7,1099511627776,1", 7, UWORD(1099511627776));
    check_bad("", "empty");
    check_bad("3,0,1", "'0' is zero");
    check_bad("3,-2,1", "'-2' is negative");
    check_bad("3,abc,1", "'abc' is not a positive integer");
    check_bad("3,2.5,1", "'2.5' is not a positive integer");
    check_bad("3,99999999999999999999,1", "is too large");
    check_bad("3,1099511627777,1", "is too large");
    check_bad("3,,1", "'' is empty");
    check_bad("3,2,", "'' is empty");
    check_bad("3,100x0,1", "repeat count is zero");
    check_bad("3,100x,1", "repeat count is empty");
    check_bad("3,100xy,1", "repeat count is not a positive integer");
    check_bad("3,x5,1", "'x5' is empty");
    check_bad("3,2", "last width is 2");
    check_bad("3,2,2", "output layer must have width 1");
    check_bad("1", "at least an input and an output");
    check_bad("3,2,1x1099511627777", "repeat count is too large");
    check_bad("3,1x1099511627776,1", "longer than 2^40");
    /* arrays and copies */
    ntk_profile_init(p);
    ntk_profile_init(q);
    tap_ok(ntk_profile_set_widths(p, w, 5, NULL) == NTK_OK && ntk_profile_depth(p) == 4,
           "set_widths from an array");
    ntk_profile_set(q, p);
    s = ntk_profile_get_str(q);
    tap_ok(strcmp(s, "4,3x2,2,1") == 0 && ntk_profile_width(q, 2) == 3, "copy keeps runs: %s", s);
    flint_free(s);
    w[4] = 2;
    tap_ok(ntk_profile_set_widths(p, w, 5, NULL) != NTK_OK, "set_widths rejects n_d != 1");
    tap_ok(ntk_profile_set_str(p, "10,100x10,20x5,1", NULL) == NTK_OK
           && ntk_profile_beta(p) > 0.3499999 && ntk_profile_beta(p) < 0.3500001,
           "beta sums 1/n over the hidden layers only");
    ntk_profile_clear(p);
    ntk_profile_clear(q);
    check_random_strings();
    flint_cleanup();
    return tap_done();
}
