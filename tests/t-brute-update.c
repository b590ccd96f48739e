/* The second moment of the first SGD update (doc/derivation.md, section 17)
   against the brute-force enumerator, exactly: E[g^2], E[N^2 g^2] and its
   three parts on fixed and random tiny profiles with random rational laws
   (mu4, mu6, mu8), variances, both parametrizations, biases on and off,
   slopes (ReLU, leaky, |x|, linear, random ones with a zero on either side),
   x2 = 0 and x2 != 0, widths of 1; then the derived values at a random
   target y and the identities the quantities obey. */

#include <stdlib.h>
#include <string.h>
#include "brute.h"
#include "ntkexact.h"
#include "tap.h"

static const ntk_quantity_t exact_update[5] = { NTK_E_G2, NTK_E_N2G2, NTK_E_N2GWW2,
                                                NTK_E_N2GWWGWB, NTK_E_N2GWB2 };

/* The engine's moments of net with the update's (order 2). */
static int
engine_update(ntk_moments_t m, const brute_net_t * net)
{
    ulong widths[BRUTE_MAX_DEPTH + 1];
    ntk_profile_t prof;
    ntk_conv_t conv;
    ntk_exec_t exec;
    int i, ok;
    for (i = 0; i <= net->depth; i++)
        widths[i] = (ulong) net->width[i];
    ntk_profile_init(prof);
    ntk_conv_init(conv); ntk_exec_init(exec);
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
    exec->threads = 2;
    ok = ntk_moments_compute_update(m, prof, conv, 2, exec, NULL) == NTK_OK;
    ntk_conv_clear(conv); ntk_exec_clear(exec);
    ntk_profile_clear(prof);
    return ok;
}

/* The derived values at the target y and the identities: E_dK2 = 4 (E_N2g2
   + y^2 E_g2), Var_dK = E_dK2 - E_dK^2, RelVar_dK = Var_dK / E_dK^2 where
   E_dK != 0; E_N2g2 = E_N2gww2 + 4 E_N2gwwgwb + 4 E_N2gwb2; E_g2 >= 0;
   4 E_N2g2 >= E_dK^2 (Cauchy-Schwarz); g = 0 at x2 = 0 and at depth 1. */
static int
check_derived(const ntk_moments_t m, const brute_net_t * net, const fmpq_t y, const char * desc)
{
    fmpq_t v[NTK_N_QUANTITIES], t, u;
    int q, ok = 1, defined;
    fmpq_init(t); fmpq_init(u);
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        fmpq_init(v[q]);
        if ((q < ntk_quantity_count(2) || ntk_quantity_is_update((ntk_quantity_t) q))
            && (q != NTK_RELVAR_DK || ntk_moments_defined(m, (ntk_quantity_t) q, net->x2)))
            ok &= ntk_moments_eval_target(v[q], m, (ntk_quantity_t) q, net->x2, y) == NTK_OK;
    }
    fmpq_mul(t, y, y);
    fmpq_mul(t, t, v[NTK_E_G2]);
    fmpq_add(t, t, v[NTK_E_N2G2]);
    fmpq_mul_2exp(t, t, 2);
    ok &= fmpq_equal(t, v[NTK_E_DK2]);
    fmpq_mul(u, v[NTK_E_DK], v[NTK_E_DK]);
    fmpq_sub(t, v[NTK_E_DK2], u);
    ok &= fmpq_equal(t, v[NTK_VAR_DK]);
    defined = ntk_moments_defined(m, NTK_RELVAR_DK, net->x2);
    ok &= defined == !fmpq_is_zero(v[NTK_E_DK]);
    if (defined)
    {
        fmpq_div(t, v[NTK_VAR_DK], u);
        ok &= fmpq_equal(t, v[NTK_RELVAR_DK]);
    }
    fmpq_set(t, v[NTK_E_N2GWW2]);
    fmpq_mul_si(u, v[NTK_E_N2GWWGWB], 4);
    fmpq_add(t, t, u);
    fmpq_mul_si(u, v[NTK_E_N2GWB2], 4);
    fmpq_add(t, t, u);
    ok &= fmpq_equal(t, v[NTK_E_N2G2]);
    ok &= fmpq_sgn(v[NTK_E_G2]) >= 0 && fmpq_sgn(v[NTK_E_N2GWW2]) >= 0
          && fmpq_sgn(v[NTK_E_N2GWB2]) >= 0 && fmpq_sgn(v[NTK_VAR_DK]) >= 0;
    fmpq_mul(u, v[NTK_E_DK], v[NTK_E_DK]);
    fmpq_mul_2exp(t, v[NTK_E_N2G2], 2);
    ok &= fmpq_cmp(t, u) >= 0;
    if (fmpq_is_zero(net->x2) || net->depth == 1)
        for (q = 0; q < 5; q++)
            ok &= fmpq_is_zero(v[exact_update[q]]);
    if (!ok)
        tap_diag("%s: the derived values or identities fail", desc);
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        fmpq_clear(v[q]);
    fmpq_clear(t); fmpq_clear(u);
    return ok;
}

/* Compares the update's quantities of the engine and of the brute force on
   net, then the derived values at y and the identities. */
static int
compare_update(const brute_net_t * net, const fmpq_t y, const char * label)
{
    fmpq * want = _fmpq_vec_init(NTK_N_QUANTITIES);
    ntk_moments_t m;
    fmpq_t got;
    char desc[320], * s[8];
    size_t len = 0;
    int i, ok;
    ntk_moments_init(m);
    fmpq_init(got);
    s[0] = ntk_rational_get_str(net->x2);
    s[1] = ntk_rational_get_str(net->mu4);
    s[2] = ntk_rational_get_str(net->mu6);
    s[3] = ntk_rational_get_str(net->mu8);
    s[4] = ntk_rational_get_str(net->cw_hidden);
    s[5] = ntk_rational_get_str(net->cw_output);
    s[6] = ntk_rational_get_str(net->a_plus);
    s[7] = ntk_rational_get_str(net->a_minus);
    len += snprintf(desc, sizeof(desc), "%s widths ", label);
    for (i = 0; i <= net->depth; i++)
        len += snprintf(desc + len, sizeof(desc) - len, "%s%d", i ? "," : "", net->width[i]);
    snprintf(desc + len, sizeof(desc) - len, " x2=%s mu=%s,%s,%s cw=%s,%s %s%s slopes %s,%s",
             s[0], s[1], s[2], s[3], s[4], s[5], net->standard ? "standard" : "ntk",
             net->bias ? "" : " no-bias", s[6], s[7]);
    for (i = 0; i < 8; i++)
        flint_free(s[i]);
    ok = engine_update(m, net);
    brute_update(want, net);
    for (i = 0; ok && i < 5; i++)
    {
        ntk_moments_eval(got, m, exact_update[i], net->x2);
        if (!fmpq_equal(got, want + exact_update[i]))
        {
            ok = 0;
            tap_diag("%s: %s differs", desc, ntk_quantity_name(exact_update[i]));
            flint_printf("#   engine "); fmpq_print(got);
            flint_printf("\n#   brute  "); fmpq_print(want + exact_update[i]); flint_printf("\n");
        }
    }
    ok = ok && check_derived(m, net, y, desc);
    tap_ok(ok, "%s: E_g2, E_N2g2 and its parts equal; derived values and identities", desc);
    fmpq_clear(got);
    ntk_moments_clear(m);
    _fmpq_vec_clear(want, NTK_N_QUANTITIES);
    return ok;
}

/* Random conventions: x2 (0 one time in five), variances, parametrization,
   biases (off one time in three), and slopes by k: ReLU, leaky 1/10, |x|,
   linear, random with a zero slope on either side, random. */
static void
random_conventions(brute_net_t * net, flint_rand_t state, int k)
{
    static const int named[4][4] = { { 1, 1, 0, 1 }, { 1, 1, 1, 10 }, { 1, 1, -1, 1 },
                                     { 1, 1, 1, 1 } };
    if (n_randint(state, 5) == 0)
        fmpq_zero(net->x2);
    else
        brute_random_rational(net->x2, state, 1, 9);
    brute_random_rational(net->cw_hidden, state, 1, 9);
    brute_random_rational(net->cw_output, state, 1, 9);
    net->standard = (int) n_randint(state, 2);
    net->bias = n_randint(state, 3) != 0;
    if (k % 7 < 4)
    {
        fmpq_set_si(net->a_plus, named[k % 7][0], named[k % 7][1]);
        fmpq_set_si(net->a_minus, named[k % 7][2], named[k % 7][3]);
        return;
    }
    brute_random_rational(net->a_plus, state, -6, 9);
    brute_random_rational(net->a_minus, state, -6, 9);
    if (k % 7 == 4)
        fmpq_zero(net->a_plus);
    if (k % 7 == 5)
        fmpq_zero(net->a_minus);
    if (fmpq_is_zero(net->a_plus) && fmpq_is_zero(net->a_minus))
        fmpq_set_si(net->a_plus, 3, 2);
}

/* Depth 1..4, input width 1..3, hidden widths 1..2 with at most one 3. */
static void
random_profile(brute_net_t * net, flint_rand_t state)
{
    int i, wide = 0;
    net->depth = 1 + (int) n_randint(state, 4);
    net->width[0] = 1 + (int) n_randint(state, 3);
    for (i = 1; i < net->depth; i++)
    {
        net->width[i] = 1 + (int) n_randint(state, wide ? 2 : 3);
        wide |= net->width[i] > 2;
    }
    net->width[net->depth] = 1;
}

int
main(void)
{
    static const int fixed[][5] = { { 1, 1, 0 }, { 3, 2, 1 }, { 1, 1, 1, 1 }, { 2, 1, 2, 1 },
                                    { 1, 2, 2, 1 }, { 2, 3, 1 }, { 1, 1, 1, 1, 1 } };
    static const int fixed_len[] = { 2, 3, 4, 4, 4, 3, 5 };
    const char * quick = getenv("NTK_BRUTE_QUICK");
    int quick_run = quick != NULL && *quick != '\0';
    int n_random = quick_run ? 2 : 80, n_fixed = quick_run ? 2 : 7, k;
    brute_net_t net;
    flint_rand_t state;
    fmpq_t y;
    brute_net_init(&net);
    flint_randinit(state);
    fmpq_init(y);
    /* the defaults, at x2 = 1 (y = 0, y = 1/2) and at x = 0 */
    for (k = 0; k < n_fixed; k++)
    {
        net.depth = fixed_len[k] - 1;
        memcpy(net.width, fixed[k], sizeof(fixed[k]));
        fmpq_set_si(net.mu4, 3, 1); fmpq_set_si(net.mu6, 15, 1); fmpq_set_si(net.mu8, 105, 1);
        fmpq_set_si(net.cw_hidden, 2, 1);
        fmpq_one(net.cw_output);
        fmpq_one(net.a_plus);
        fmpq_zero(net.a_minus);
        net.bias = 1;
        net.standard = 0;
        fmpq_one(net.x2);
        fmpq_set_si(y, k % 2, 2);
        compare_update(&net, y, "default");
        fmpq_zero(net.x2);
        compare_update(&net, y, "x=0");
    }
    for (k = 0; k < n_random; k++)
    {
        random_profile(&net, state);
        brute_net_random_law(&net, state);
        random_conventions(&net, state, k);
        brute_random_rational(y, state, -5, 5);
        compare_update(&net, y, "random");
    }
    fmpq_clear(y);
    flint_randclear(state);
    brute_net_clear(&net);
    flint_cleanup();
    return tap_done();
}
