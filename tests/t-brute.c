/* The transfer recursion against the brute-force enumerator, exactly, on
   fixed and random tiny profiles with random rational conventions. */

#include <stdlib.h>
#include <string.h>
#include "brute.h"
#include "ntkexact.h"
#include "tap.h"

/* A random rational p/q with p in lo..hi, q in 1..4. */
/* Compares every quantity of the moments up to `order` of the engine with
   the brute force for net. */
static int
compare_order(const brute_net_t * net, const char * label, int order)
{
    ulong widths[BRUTE_MAX_DEPTH + 1];
    ntk_profile_t prof;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_moments_t m;
    fmpq * want = _fmpq_vec_init(NTK_N_QUANTITIES);
    fmpq_t got;
    int i, q, ok = 1, n_q = ntk_quantity_count(order);
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
    fmpq_set(conv->mu6, net->mu6);
    fmpq_set(conv->mu8, net->mu8);
    fmpq_set(conv->cw_hidden, net->cw_hidden);
    fmpq_set(conv->cw_output, net->cw_output);
    conv->param = net->standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
    fmpq_set(conv->a_plus, net->a_plus);
    fmpq_set(conv->a_minus, net->a_minus);
    conv->bias = net->bias;
    ok = (ntk_moments_compute_order(m, prof, conv, order, exec, NULL) == NTK_OK);
    brute_moments_order(want, net, order);
    for (q = 0; ok && q < n_q; q++)
    {
        /* a ratio is undefined exactly where the brute force's Var_K is 0 */
        int defined = ntk_moments_defined(m, (ntk_quantity_t) q, net->x2);
        if (ntk_quantity_is_ratio((ntk_quantity_t) q) && defined == fmpq_is_zero(want + NTK_VAR_K))
        {
            ok = 0;
            tap_diag("%s widths %s: %s defined = %d, brute Var_K = 0 is %d", label, desc,
                     ntk_quantity_name((ntk_quantity_t) q), defined, fmpq_is_zero(want + NTK_VAR_K));
            continue;
        }
        if (!defined)
            continue;
        ntk_moments_eval(got, m, (ntk_quantity_t) q, net->x2);
        if (!fmpq_equal(got, want + q))
        {
            ok = 0;
            tap_diag("%s widths %s: %s differs", label, desc, ntk_quantity_name((ntk_quantity_t) q));
            flint_printf("#   engine "); fmpq_print(got);
            flint_printf("\n#   brute  "); fmpq_print(want + q); flint_printf("\n");
        }
    }
    {
        char * s[8];
        s[0] = ntk_rational_get_str(net->x2);
        s[1] = ntk_rational_get_str(net->mu4);
        s[2] = ntk_rational_get_str(net->cw_hidden);
        s[3] = ntk_rational_get_str(net->cw_output);
        s[4] = ntk_conv_get_activation_str(conv);
        s[5] = ntk_rational_get_str(net->mu6);
        s[6] = ntk_rational_get_str(net->mu8);
        s[7] = NULL;
        if (order == 2)
            tap_ok(ok, "%s widths %s x2=%s mu4=%s cw=%s,%s %s%s %s: all %d quantities equal",
                   label, desc, s[0], s[1], s[2], s[3], net->standard ? "standard" : "ntk",
                   net->bias ? "" : " no-bias", s[4], n_q);
        else
            tap_ok(ok, "%s order %d widths %s x2=%s mu=%s,%s,%s cw=%s,%s %s%s %s: all %d quantities equal",
                   label, order, desc, s[0], s[1], order >= 3 ? s[5] : "-", order >= 4 ? s[6] : "-",
                   s[2], s[3], net->standard ? "standard" : "ntk", net->bias ? "" : " no-bias", s[4], n_q);
        for (i = 0; i < 7; i++)
            flint_free(s[i]);
    }
    fmpq_clear(got);
    _fmpq_vec_clear(want, NTK_N_QUANTITIES);
    ntk_moments_clear(m);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
    ntk_profile_clear(prof);
    return ok;
}

static int
compare(const brute_net_t * net, const char * label)
{
    return compare_order(net, label, 2);
}

/* Random conventions: x2 (0 one time in five), variances, parametrization,
   biases, and (one time in two) random slopes, some of them 0. */
static void
random_conventions(brute_net_t * net, flint_rand_t state, int k)
{
    if (n_randint(state, 5) == 0)
        fmpq_zero(net->x2);
    else
        brute_random_rational(net->x2, state, 1, 9);
    brute_random_rational(net->cw_hidden, state, 1, 9);
    brute_random_rational(net->cw_output, state, 1, 9);
    net->standard = (int) n_randint(state, 2);
    net->bias = n_randint(state, 4) != 0;
    {
        /* the slopes drawn into locals, then copied */
        fmpq_t ap, am;
        fmpq_init(ap); fmpq_init(am);
        fmpq_one(ap);
        if (k % 2 == 1)
        {
            brute_random_rational(ap, state, -6, 9);
            brute_random_rational(am, state, -6, 9);
            if (k % 6 == 1)
                fmpq_zero(ap);
            if (k % 6 == 3)
                fmpq_zero(am);
            if (fmpq_is_zero(ap) && fmpq_is_zero(am))
                fmpq_set_si(ap, 3, 2);
        }
        fmpq_set(net->a_plus, ap);
        fmpq_set(net->a_minus, am);
        fmpq_clear(ap); fmpq_clear(am);
    }
}

/* A random tiny profile: depth 1..max_depth, input width 1..3, hidden widths
   1..max_width but at most one of them above 2. */
static void
random_profile(brute_net_t * net, flint_rand_t state, int max_depth, int max_width)
{
    int i, wide = 0;
    net->depth = 1 + (int) n_randint(state, max_depth);
    net->width[0] = 1 + (int) n_randint(state, 3);
    for (i = 1; i < net->depth; i++)
    {
        net->width[i] = 1 + (int) n_randint(state, wide ? 2 : max_width);
        wide |= net->width[i] > 2;
    }
    net->width[net->depth] = 1;
}

/* The expansion in the hidden width (one pass with polynomials in 1/n, the
   2^-n part kept) of the moments up to `order` of the profile n_0,
   n x (d-1), 1 at n = 1 .. max_n against the brute force at those widths
   (every quantity but the ratios, which the expansion leaves out). */
static int
compare_expand_order(brute_net_t * net, int depth, int n0, const char * label, int order,
                     int max_n)
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
    fmpq_set(conv->mu6, net->mu6);
    fmpq_set(conv->mu8, net->mu8);
    ok = ntk_expand_compute_order(e, depth, (ulong) n0, net->x2, conv, NTK_EXPAND_PASS, 1, order,
                                  exec, NULL) == NTK_OK;
    net->depth = depth;
    net->width[0] = n0;
    net->width[depth] = 1;
    for (n = 1; n <= max_n && ok; n++)
    {
        for (i = 1; i < depth; i++)
            net->width[i] = n;
        brute_moments_order(want, net, order);
        for (q = 0; q < ntk_quantity_count(order) && ok; q++)
        {
            if (ntk_quantity_is_ratio(q))
                continue;
            ntk_expand_eval(got, e, q, (ulong) n);
            if (!fmpq_equal(got, want + q))
            {
                ok = 0;
                tap_diag("n = %d: %s differs", n, ntk_quantity_name(q));
            }
        }
    }
    act = ntk_conv_get_activation_str(conv);
    tap_ok(ok, "%s expansion of order %d of %d, n x %d, 1 at n = 1..%d %s%s %s: all %d quantities "
           "(but the ratios) equal", label, order, n0, depth - 1, max_n,
           net->standard ? "standard" : "ntk", net->bias ? "" : " no-bias", act,
           ntk_quantity_count(order));
    flint_free(act);
    fmpq_clear(got);
    _fmpq_vec_clear(want, NTK_N_QUANTITIES);
    ntk_expand_clear(e);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
    return ok;
}

static int
compare_expand(brute_net_t * net, int depth, int n0, const char * label)
{
    return compare_expand_order(net, depth, n0, label, 2, 3);
}

static void
set_net(brute_net_t * net, const int * w, int len)
{
    net->depth = len - 1;
    memcpy(net->width, w, len * sizeof(int));
}

/* E[K^3] and E[K^4] (six and eight paths): fixed profiles with the
   Gaussian law, then random profiles, laws and conventions.  NTK_BRUTE_QUICK
   (set by tests/valgrind.sh) keeps a few of them. */
static void
higher_orders(brute_net_t * net, flint_rand_t state)
{
    static const int fixed[][5] = { { 2, 1, 0 }, { 1, 1, 1, 1, 0 }, { 3, 2, 1, 0 },
                                    { 1, 2, 2, 1, 0 }, { 2, 1, 2, 1, 0 } };
    static const int fixed_len[] = { 2, 4, 3, 4, 4 };
    const char * quick = getenv("NTK_BRUTE_QUICK");
    int k, n3 = 16, n4 = 36, n_fixed = 5;
    if (quick != NULL && *quick != '\0')
        n3 = 2, n4 = 3, n_fixed = 2;
    for (k = 0; k < n_fixed; k++)
    {
        set_net(net, fixed[k], fixed_len[k]);
        fmpq_set_si(net->mu4, 3, 1); fmpq_set_si(net->mu6, 15, 1); fmpq_set_si(net->mu8, 105, 1);
        fmpq_set_si(net->cw_hidden, 2, 1);
        fmpq_set_si(net->cw_output, 1, 1);
        fmpq_one(net->a_plus);
        fmpq_zero(net->a_minus);
        net->bias = 1;
        net->standard = 0;
        fmpq_one(net->x2);
        compare_order(net, "default", 4);
        fmpq_zero(net->x2);
        compare_order(net, "x=0", 4);
    }
    for (k = 0; k < n3; k++)
    {
        random_profile(net, state, 4, 3);
        brute_net_random_law(net, state);
        random_conventions(net, state, k);
        compare_order(net, "random", 3);
    }
    for (k = 0; k < n4; k++)
    {
        random_profile(net, state, 4, k % 4 == 0 ? 3 : 2);
        brute_net_random_law(net, state);
        random_conventions(net, state, k);
        compare_order(net, "random", 4);
    }
    /* the expansions of order 3 and 4 in the hidden width at n = 1, 2 */
    for (k = 0; k < (quick != NULL && *quick != '\0' ? 2 : 8); k++)
    {
        brute_net_random_law(net, state);
        random_conventions(net, state, k);
        if (fmpq_is_zero(net->x2))
            fmpq_one(net->x2);                      /* expand needs x2 > 0 */
        if (k % 4 == 1)
        {
            fmpq_set_si(net->a_plus, 3, 2);         /* no zero slope: no 2^-n part */
            fmpq_set_si(net->a_minus, 1, 3);
        }
        compare_expand_order(net, 2 + k % 2, 1 + k % 3 / 2, "random", 3 + (k / 2) % 2, 2);
    }
}

/* The fixed profiles: widths n_0 .. n_d (n_d = 1). */
static const int fixed_profiles[][5] = {
    { 1, 1, 0 }, { 2, 1, 0 }, { 1, 1, 1, 1, 0 }, { 3, 2, 1, 0 }, { 1, 3, 3, 1, 0 },
    { 2, 1, 2, 1, 0 }, { 1, 2, 3, 2, 1 }
};
static const int fixed_profiles_len[] = { 2, 2, 4, 3, 4, 4, 5 };

/* ReLU with the default conventions on the fixed profiles */
static void
check_fixed(brute_net_t * net)
{
    int k;
    /* defaults, at x2 = 1 and at the dead input x2 = 0 */
    for (k = 0; k < 7; k++)
    {
        set_net(net, fixed_profiles[k], fixed_profiles_len[k]);
        fmpq_set_si(net->mu4, 3, 1);
        fmpq_set_si(net->cw_hidden, 2, 1);
        fmpq_set_si(net->cw_output, 1, 1);
        net->bias = 1;
        net->standard = 0;
        fmpq_one(net->x2);
        compare(net, "default");
        fmpq_zero(net->x2);
        compare(net, "x=0");
    }
}

/* Random profiles and conventions, ReLU */
static void
check_random(brute_net_t * net, flint_rand_t state)
{
    int k, i;
    for (k = 0; k < 40; k++)
    {
        net->depth = 1 + (int) n_randint(state, 4);
        for (i = 0; i < net->depth; i++)
            net->width[i] = 1 + (int) n_randint(state, 3);
        net->width[net->depth] = 1;
        if (n_randint(state, 6) == 0)
            fmpq_zero(net->x2);
        else
            brute_random_rational(net->x2, state, 1, 9);
        brute_random_rational(net->mu4, state, 4, 16);   /* >= 1 */
        brute_random_rational(net->cw_hidden, state, 1, 9);
        brute_random_rational(net->cw_output, state, 1, 9);
        net->standard = (int) n_randint(state, 2);
        net->bias = n_randint(state, 4) != 0;
        compare(net, "random");
    }
}

/* The named activations on the fixed profiles */
static void
check_named_slopes(brute_net_t * net)
{
    int k;
    /* the activation family: the named ones on the fixed profiles, at x2 = 1
       and at x = 0 (where the dead phase gives the bias terms) */
    for (k = 0; k < 7; k++)
    {
        static const int slopes[5][4] = { { 1, 1, 1, 1 }, { 1, 1, -1, 1 }, { 1, 1, 1, 2 },
                                          { 0, 1, 1, 1 }, { 1, 2, 0, 1 } };
        int j;
        set_net(net, fixed_profiles[k], fixed_profiles_len[k]);
        fmpq_set_si(net->mu4, 3, 1);
        fmpq_set_si(net->cw_output, 1, 1);
        net->bias = 1;
        net->standard = 0;
        for (j = 0; j < 5; j++)
        {
            fmpq_t a2;
            fmpq_init(a2);
            fmpq_set_si(net->a_plus, slopes[j][0], slopes[j][1]);
            fmpq_set_si(net->a_minus, slopes[j][2], slopes[j][3]);
            /* the critical variance 1/A_2 */
            fmpq_mul(a2, net->a_plus, net->a_plus);
            fmpq_addmul(a2, net->a_minus, net->a_minus);
            fmpq_div_2exp(a2, a2, 1);
            fmpq_inv(net->cw_hidden, a2);
            fmpq_clear(a2);
            fmpq_one(net->x2);
            compare(net, "slopes");
            fmpq_zero(net->x2);
            compare(net, "slopes, x=0");
        }
    }
}

/* Random profiles, conventions and slopes */
static void
check_random_slopes(brute_net_t * net, flint_rand_t state)
{
    int k, i;
    /* random slopes: negative, zero (either one), greater than 1 */
    for (k = 0; k < 48; k++)
    {
        net->depth = 1 + (int) n_randint(state, 4);
        for (i = 0; i < net->depth; i++)
            net->width[i] = 1 + (int) n_randint(state, 3);
        net->width[net->depth] = 1;
        if (n_randint(state, 5) == 0)
            fmpq_zero(net->x2);
        else
            brute_random_rational(net->x2, state, 1, 9);
        brute_random_rational(net->mu4, state, 4, 16);
        brute_random_rational(net->cw_hidden, state, 1, 9);
        brute_random_rational(net->cw_output, state, 1, 9);
        net->standard = (int) n_randint(state, 2);
        net->bias = n_randint(state, 4) != 0;
        brute_random_rational(net->a_plus, state, -6, 9);
        brute_random_rational(net->a_minus, state, -6, 9);
        if (k % 4 == 1)
            fmpq_zero(net->a_plus);
        if (k % 4 == 2)
            fmpq_zero(net->a_minus);
        if (fmpq_is_zero(net->a_plus) && fmpq_is_zero(net->a_minus))
            fmpq_set_si(net->a_plus, 3, 2);
        compare(net, "random slopes");
    }
}

/* The expansions in the hidden width */
static void
check_expansions(brute_net_t * net, flint_rand_t state)
{
    int k;
    /* the expansions in the hidden width, random conventions and slopes */
    for (k = 0; k < 16; k++)
    {
        brute_random_rational(net->x2, state, 1, 9);
        brute_random_rational(net->mu4, state, 4, 16);
        brute_random_rational(net->cw_hidden, state, 1, 9);
        brute_random_rational(net->cw_output, state, 1, 9);
        net->standard = k % 2;
        net->bias = k % 4 != 3;
        brute_random_rational(net->a_plus, state, -6, 9);
        brute_random_rational(net->a_minus, state, -6, 9);
        if (k % 3 == 1)
            fmpq_zero(net->a_plus);
        if (k % 3 == 2)
            fmpq_zero(net->a_minus);
        if (fmpq_is_zero(net->a_plus) && fmpq_is_zero(net->a_minus))
            fmpq_set_si(net->a_plus, 3, 2);
        compare_expand(net, 2 + k % 3, 1 + (int) n_randint(state, 3), "random");
    }
}

int
main(void)
{
    brute_net_t net;
    flint_rand_t state;
    brute_net_init(&net);
    flint_randinit(state);
    check_fixed(&net);
    check_random(&net, state);
    check_named_slopes(&net);
    check_random_slopes(&net, state);
    check_expansions(&net, state);
    higher_orders(&net, state);
    flint_randclear(state);
    brute_net_clear(&net);
    flint_cleanup();
    return tap_done();
}
