/* The transfer recursion against the brute-force enumerator, exactly, on
   fixed and random tiny profiles with random rational conventions. */

#include <string.h>
#include "brute.h"
#include "ntkexact.h"
#include "tap.h"

/* A random rational p/q with p in lo..hi, q in 1..4. */
static void
random_rational(fmpq_t r, flint_rand_t state, slong lo, slong hi)
{
    fmpq_set_si(r, lo + (slong) n_randint(state, hi - lo + 1), 1 + n_randint(state, 4));
}

/* Compares every quantity of the engine with the brute force for net. */
static int
compare(const brute_net_t * net, const char * label)
{
    ulong widths[BRUTE_MAX_DEPTH + 1];
    ntk_profile_t prof;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_moments_t m;
    fmpq * want = _fmpq_vec_init(NTK_N_QUANTITIES);
    fmpq_t got;
    int i, q, ok = 1;
    char desc[160];
    size_t len = 0;
    for (i = 0; i <= net->depth; i++)
    {
        widths[i] = net->width[i];
        len += snprintf(desc + len, sizeof(desc) - len, "%s%d", i ? "," : "", net->width[i]);
    }
    ntk_profile_init(prof);
    ntk_conv_init(conv); ntk_exec_init(exec);
    ntk_moments_init(m);
    fmpq_init(got);
    ntk_profile_set_widths(prof, widths, net->depth + 1, NULL);
    fmpq_set(conv->mu4, net->mu4);
    fmpq_set(conv->cw_hidden, net->cw_hidden);
    fmpq_set(conv->cw_output, net->cw_output);
    conv->param = net->standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
    fmpq_set(conv->a_plus, net->a_plus);
    fmpq_set(conv->a_minus, net->a_minus);
    conv->bias = net->bias;
    ok = (ntk_moments_compute(m, prof, conv, exec, NULL) == NTK_OK);
    brute_moments(want, net);
    for (q = 0; ok && q < NTK_N_QUANTITIES; q++)
    {
        ntk_moments_eval(got, m, q, net->x2);
        if (!fmpq_equal(got, want + q))
        {
            ok = 0;
            tap_diag("%s widths %s: %s differs", label, desc, ntk_quantity_name(q));
            flint_printf("#   engine "); fmpq_print(got);
            flint_printf("\n#   brute  "); fmpq_print(want + q); flint_printf("\n");
        }
    }
    {
        char * s[5];
        s[0] = ntk_rational_get_str(net->x2);
        s[1] = ntk_rational_get_str(net->mu4);
        s[2] = ntk_rational_get_str(net->cw_hidden);
        s[3] = ntk_rational_get_str(net->cw_output);
        s[4] = ntk_conv_get_activation_str(conv);
        tap_ok(ok, "%s widths %s x2=%s mu4=%s cw=%s,%s %s%s %s: all %d quantities equal",
               label, desc, s[0], s[1], s[2], s[3], net->standard ? "standard" : "ntk",
               net->bias ? "" : " no-bias", s[4], NTK_N_QUANTITIES);
        for (i = 0; i < 5; i++)
            flint_free(s[i]);
    }
    fmpq_clear(got);
    _fmpq_vec_clear(want, NTK_N_QUANTITIES);
    ntk_moments_clear(m);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
    ntk_profile_clear(prof);
    return ok;
}

/* The expansion in the hidden width (one pass with polynomials in 1/n, the
   2^-n part kept) of the profile n_0, n x (d-1), 1 at n = 1, 2, 3 against the
   brute force at those widths. */
static int
compare_expand(brute_net_t * net, int depth, int n0, const char * label)
{
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_expand_t e;
    fmpq * want = _fmpq_vec_init(NTK_N_QUANTITIES);
    fmpq_t got;
    int n, q, i, ok;
    char * act;
    ntk_conv_init(conv); ntk_exec_init(exec);
    ntk_expand_init(e);
    fmpq_init(got);
    fmpq_set(conv->mu4, net->mu4);
    fmpq_set(conv->cw_hidden, net->cw_hidden);
    fmpq_set(conv->cw_output, net->cw_output);
    conv->param = net->standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
    fmpq_set(conv->a_plus, net->a_plus);
    fmpq_set(conv->a_minus, net->a_minus);
    conv->bias = net->bias;
    ok = ntk_expand_compute(e, depth, (ulong) n0, net->x2, conv, exec, NULL) == NTK_OK;
    net->depth = depth;
    net->width[0] = n0;
    net->width[depth] = 1;
    for (n = 1; n <= 3 && ok; n++)
    {
        for (i = 1; i < depth; i++)
            net->width[i] = n;
        brute_moments(want, net);
        for (q = 0; q < NTK_N_QUANTITIES && ok; q++)
        {
            ntk_expand_eval(got, e, q, (ulong) n);
            if (!fmpq_equal(got, want + q))
            {
                ok = 0;
                tap_diag("n = %d: %s differs", n, ntk_quantity_name(q));
            }
        }
    }
    act = ntk_conv_get_activation_str(conv);
    tap_ok(ok, "%s expansion of %d, n x %d, 1 at n = 1, 2, 3 %s%s %s: all %d quantities equal",
           label, n0, depth - 1, net->standard ? "standard" : "ntk", net->bias ? "" : " no-bias", act,
           NTK_N_QUANTITIES);
    flint_free(act);
    fmpq_clear(got);
    _fmpq_vec_clear(want, NTK_N_QUANTITIES);
    ntk_expand_clear(e);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
    return ok;
}

static void
set_net(brute_net_t * net, const int * w, int len)
{
    net->depth = len - 1;
    memcpy(net->width, w, len * sizeof(int));
}

int
main(void)
{
    static const int fixed[][5] = {
        { 1, 1, 0 }, { 2, 1, 0 }, { 1, 1, 1, 1, 0 }, { 3, 2, 1, 0 }, { 1, 3, 3, 1, 0 },
        { 2, 1, 2, 1, 0 }, { 1, 2, 3, 2, 1 }
    };
    static const int fixed_len[] = { 2, 2, 4, 3, 4, 4, 5 };
    brute_net_t net;
    flint_rand_t state;
    int k, i;
    brute_net_init(&net);
    flint_randinit(state);
    /* defaults, at x2 = 1 and at the dead input x2 = 0 */
    for (k = 0; k < 7; k++)
    {
        set_net(&net, fixed[k], fixed_len[k]);
        fmpq_set_si(net.mu4, 3, 1);
        fmpq_set_si(net.cw_hidden, 2, 1);
        fmpq_set_si(net.cw_output, 1, 1);
        net.bias = 1;
        net.standard = 0;
        fmpq_one(net.x2);
        compare(&net, "default");
        fmpq_zero(net.x2);
        compare(&net, "x=0");
    }
    for (k = 0; k < 40; k++)
    {
        net.depth = 1 + (int) n_randint(state, 4);
        for (i = 0; i < net.depth; i++)
            net.width[i] = 1 + (int) n_randint(state, 3);
        net.width[net.depth] = 1;
        if (n_randint(state, 6) == 0)
            fmpq_zero(net.x2);
        else
            random_rational(net.x2, state, 1, 9);
        random_rational(net.mu4, state, 4, 16);   /* >= 1 */
        random_rational(net.cw_hidden, state, 1, 9);
        random_rational(net.cw_output, state, 1, 9);
        net.standard = (int) n_randint(state, 2);
        net.bias = n_randint(state, 4) != 0;
        compare(&net, "random");
    }
    /* the activation family: the named ones on the fixed profiles, at x2 = 1
       and at x = 0 (where the dead phase gives the bias terms) */
    for (k = 0; k < 7; k++)
    {
        static const int slopes[5][4] = { { 1, 1, 1, 1 }, { 1, 1, -1, 1 }, { 1, 1, 1, 2 },
                                          { 0, 1, 1, 1 }, { 1, 2, 0, 1 } };
        int j;
        set_net(&net, fixed[k], fixed_len[k]);
        fmpq_set_si(net.mu4, 3, 1);
        fmpq_set_si(net.cw_output, 1, 1);
        net.bias = 1;
        net.standard = 0;
        for (j = 0; j < 5; j++)
        {
            fmpq_t a2;
            fmpq_init(a2);
            fmpq_set_si(net.a_plus, slopes[j][0], slopes[j][1]);
            fmpq_set_si(net.a_minus, slopes[j][2], slopes[j][3]);
            /* the critical variance 1/A_2 */
            fmpq_mul(a2, net.a_plus, net.a_plus);
            fmpq_addmul(a2, net.a_minus, net.a_minus);
            fmpq_div_2exp(a2, a2, 1);
            fmpq_inv(net.cw_hidden, a2);
            fmpq_clear(a2);
            fmpq_one(net.x2);
            compare(&net, "slopes");
            fmpq_zero(net.x2);
            compare(&net, "slopes, x=0");
        }
    }
    /* random slopes: negative, zero (either one), greater than 1 */
    for (k = 0; k < 48; k++)
    {
        net.depth = 1 + (int) n_randint(state, 4);
        for (i = 0; i < net.depth; i++)
            net.width[i] = 1 + (int) n_randint(state, 3);
        net.width[net.depth] = 1;
        if (n_randint(state, 5) == 0)
            fmpq_zero(net.x2);
        else
            random_rational(net.x2, state, 1, 9);
        random_rational(net.mu4, state, 4, 16);
        random_rational(net.cw_hidden, state, 1, 9);
        random_rational(net.cw_output, state, 1, 9);
        net.standard = (int) n_randint(state, 2);
        net.bias = n_randint(state, 4) != 0;
        random_rational(net.a_plus, state, -6, 9);
        random_rational(net.a_minus, state, -6, 9);
        if (k % 4 == 1)
            fmpq_zero(net.a_plus);
        if (k % 4 == 2)
            fmpq_zero(net.a_minus);
        if (fmpq_is_zero(net.a_plus) && fmpq_is_zero(net.a_minus))
            fmpq_set_si(net.a_plus, 3, 2);
        compare(&net, "random slopes");
    }
    /* the expansions in the hidden width, random conventions and slopes */
    for (k = 0; k < 16; k++)
    {
        random_rational(net.x2, state, 1, 9);
        random_rational(net.mu4, state, 4, 16);
        random_rational(net.cw_hidden, state, 1, 9);
        random_rational(net.cw_output, state, 1, 9);
        net.standard = k % 2;
        net.bias = k % 4 != 3;
        random_rational(net.a_plus, state, -6, 9);
        random_rational(net.a_minus, state, -6, 9);
        if (k % 3 == 1)
            fmpq_zero(net.a_plus);
        if (k % 3 == 2)
            fmpq_zero(net.a_minus);
        if (fmpq_is_zero(net.a_plus) && fmpq_is_zero(net.a_minus))
            fmpq_set_si(net.a_plus, 3, 2);
        compare_expand(&net, 2 + k % 3, 1 + (int) n_randint(state, 3), "random");
    }
    flint_randclear(state);
    brute_net_clear(&net);
    flint_cleanup();
    return tap_done();
}
