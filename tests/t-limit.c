/* The depth-to-width limits: the matrix exponential of the generator against
   the closed forms (30+ digits), E[N^4]/E[N^2]^2 = 3 e^{5 beta}, E[K]/d =
   c (a + 1/2), and convergence of the finite-width values at n = 500, 1000,
   2000, 4000 (floating-point mode, 128 bits) with the fitted rate. */

#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include "ntkexact.h"
#include "tap.h"
#include "digits.h"

/* L = 3 A_4/A_2^2 - 1 of the activation, by hand (ReLU: 5). */
static void
growth_constant(fmpq_t L, const ntk_conv_t conv)
{
    fmpq_t p2, m2, a2, a4;
    fmpq_init(p2); fmpq_init(m2); fmpq_init(a2); fmpq_init(a4);
    fmpq_mul(p2, conv->a_plus, conv->a_plus);
    fmpq_mul(m2, conv->a_minus, conv->a_minus);
    fmpq_add(a2, p2, m2);
    fmpq_div_2exp(a2, a2, 1);
    fmpq_mul(p2, p2, p2);
    fmpq_mul(m2, m2, m2);
    fmpq_add(a4, p2, m2);
    fmpq_div_2exp(a4, a4, 1);
    fmpq_mul(a2, a2, a2);
    fmpq_div(L, a4, a2);
    fmpq_mul_si(L, L, 3);
    fmpq_sub_si(L, L, 1);
    fmpq_clear(p2); fmpq_clear(m2); fmpq_clear(a2); fmpq_clear(a4);
}

static void
check_closed_act(const char * beta, const char * a, const char * cout, int bias, const char * act)
{
    ntk_limit_t l, c;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t b, av;
    mpfr_t e;
    double worst;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(b); fmpq_init(av);
    ntk_rational_set_str(b, beta, "beta", NULL);
    ntk_rational_set_str(av, a, "a", NULL);
    ntk_rational_set_str(conv->cw_output, cout, "c", NULL);
    conv->bias = bias;
    ntk_conv_set_activation_str(conv, act, NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    ntk_limit_init(l, 128);
    ntk_limit_init(c, 128);
    ntk_limit_compute(l, b, av, conv, NULL);
    ntk_limit_closed_form(c, b, av, conv, NULL);
    worst = FLINT_MIN(FLINT_MIN(agree_digits(l->e_k, c->e_k), agree_digits(l->e_k2, c->e_k2)),
                      FLINT_MIN(agree_digits(l->ratio_k2, c->ratio_k2), agree_digits(l->ratio_dk, c->ratio_dk)));
    tap_ok(worst >= 30, "beta=%s a=%s c_d=%s%s %s: generator and closed form agree to %.0f digits",
           beta, a, cout, bias ? "" : " no-bias", act, FLINT_MIN(worst, 99));
    /* 3 e^{L beta}, L = 3 A_4/A_2^2 - 1, independently */
    mpfr_init2(e, 160);
    {
        fmpq_t L;
        fmpq_init(L);
        growth_constant(L, conv);
        fmpq_mul(L, L, b);
        fmpq_get_mpfr(e, L, MPFR_RNDN);
        fmpq_clear(L);
    }
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_mul_ui(e, e, 3, MPFR_RNDN);
    /* at a = 0 the output is 0 and the ratio 0/0 */
    if (!fmpq_is_zero(av))
    {
        worst = agree_digits(e, l->ratio_n4);
        tap_ok(worst >= 30, "beta=%s %s: E[N^4]/E[N^2]^2 -> 3 e^{L beta}, L = 3 A_4/A_2^2 - 1 (%.0f digits)",
               beta, act, FLINT_MIN(worst, 99));
    }
    if (fmpq_is_zero(av) && fmpq_is_zero(conv->a_minus))
    {
        /* a = 0 is the input x = 0: K = 1 exactly, E[K]/d -> 0, the ratio is 1,
           and N = 0 */
        tap_ok(mpfr_zero_p(l->e_k) && mpfr_zero_p(l->e_k2) && mpfr_cmp_ui(l->ratio_k2, 1) == 0
               && mpfr_zero_p(l->ratio_dk) && mpfr_nan_p(l->ratio_n4) && mpfr_zero_p(c->e_k),
               "beta=%s a=0: the dead input, K = 1: E[K]/d = 0, E[K^2]/E[K]^2 = 1, N^4 ratio NaN", beta);
    }
    else
    {
        /* E[K]/d -> c_d (a + lb A_2) */
        ntk_conv_gate_moment(b, conv, 2);
        fmpq_mul_si(b, b, bias);
        fmpq_add(b, b, av);
        fmpq_mul(b, b, conv->cw_output);
        fmpq_get_mpfr(e, b, MPFR_RNDN);
        worst = agree_digits(e, l->e_k);
        tap_ok(worst >= 30, "beta=%s a=%s %s: E[K]/d -> c_d (a + A_2)", beta, a, act);
    }
    mpfr_clear(e);
    ntk_limit_clear(l); ntk_limit_clear(c);
    fmpq_clear(b); fmpq_clear(av);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

static double
fmpq_to_d(const fmpq_t x)
{
    mpfr_t m;
    double d;
    mpfr_init2(m, 64);
    fmpq_get_mpfr(m, x, MPFR_RNDN);
    d = mpfr_get_d(m, MPFR_RNDN);
    mpfr_clear(m);
    return d;
}

static void
check_closed(const char * beta, const char * a, const char * cout, int bias)
{
    check_closed_act(beta, a, cout, bias, "relu");
}

/* Finite-width ratios at hidden width n and beta n hidden layers. */
static void
finite_ratios(double * r_k2, double * r_dk, ulong n, const fmpq_t beta, ulong n0,
              const fmpq_t x2, const ntk_conv_t conv, const ntk_exec_t exec)
{
    ntk_profile_t p;
    ntk_moments_t m;
    fmpq_t k, k2, dk, t;
    char spec[96];
    slong hidden = (slong) (fmpz_get_si(fmpq_numref(beta)) * (slong) n / fmpz_get_si(fmpq_denref(beta)));
    snprintf(spec, sizeof(spec), "%lu,%lux%ld,1", (unsigned long) n0, (unsigned long) n, (long) hidden);
    ntk_profile_init(p);
    ntk_moments_init(m);
    fmpq_init(k); fmpq_init(k2); fmpq_init(dk); fmpq_init(t);
    ntk_profile_set_str(p, spec, NULL);
    ntk_moments_compute(m, p, conv, exec, NULL);
    ntk_moments_eval(k, m, NTK_E_K, x2);
    ntk_moments_eval(k2, m, NTK_E_K2, x2);
    ntk_moments_eval(dk, m, NTK_E_DK, x2);
    fmpq_div(t, k2, k);
    fmpq_div(t, t, k);
    *r_k2 = fmpq_to_d(t);
    fmpq_div(t, dk, k);
    fmpq_div(t, t, beta);
    fmpq_set_si(k, hidden + 1, 1);     /* the depth d */
    fmpq_div(t, t, k);
    *r_dk = fmpq_to_d(t);
    fmpq_clear(k); fmpq_clear(k2); fmpq_clear(dk); fmpq_clear(t);
    ntk_moments_clear(m);
    ntk_profile_clear(p);
}

static void
check_convergence(const char * beta, ulong n0, const char * x2s, const char * cout, int bias,
                  const char * act)
{
    static const ulong ns[4] = { 500, 1000, 2000, 4000 };
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_limit_t l;
    fmpq_t b, x2, a;
    double e_k2[4], e_dk[4], r1, r2, lim1, lim2, slope1, slope2;
    int i, shrinks = 1;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(b); fmpq_init(x2); fmpq_init(a);
    ntk_rational_set_str(b, beta, "beta", NULL);
    ntk_rational_set_str(x2, x2s, "x2", NULL);
    ntk_rational_set_str(conv->cw_output, cout, "c", NULL);
    conv->bias = bias;
    ntk_conv_set_activation_str(conv, act, NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    fmpq_set_si(a, (slong) n0, 1);
    fmpq_div(a, x2, a);
    ntk_limit_init(l, 128);
    ntk_limit_compute(l, b, a, conv, NULL);
    lim1 = mpfr_get_d(l->ratio_k2, MPFR_RNDN);
    lim2 = mpfr_get_d(l->ratio_dk, MPFR_RNDN);
    /* exact without dead-layer factors (no biases, or no zero slope: fast),
       else the 128-bit mode, whose digits tests/t-numeric.c checks */
    exec->precision = bias && fmpq_is_zero(conv->a_plus) != fmpq_is_zero(conv->a_minus) ? 128 : 0;
    exec->threads = 2;
    for (i = 0; i < 4; i++)
    {
        finite_ratios(&r1, &r2, ns[i], b, n0, x2, conv, exec);
        e_k2[i] = fabs(r1 - lim1);
        e_dk[i] = fabs(r2 - lim2);
        if (i > 0)
            shrinks &= e_k2[i] < e_k2[i - 1] && e_dk[i] < e_dk[i - 1];
    }
    /* least-squares slope of log(error) against log(n) */
    slope1 = slope2 = 0;
    {
        double mx = 0, m1 = 0, m2 = 0, sxx = 0, s1 = 0, s2 = 0;
        for (i = 0; i < 4; i++)
        {
            mx += log((double) ns[i]) / 4; m1 += log(e_k2[i]) / 4; m2 += log(e_dk[i]) / 4;
        }
        for (i = 0; i < 4; i++)
        {
            double dx = log((double) ns[i]) - mx;
            sxx += dx * dx; s1 += dx * (log(e_k2[i]) - m1); s2 += dx * (log(e_dk[i]) - m2);
        }
        slope1 = s1 / sxx;
        slope2 = s2 / sxx;
    }
    tap_ok(shrinks && slope1 < -0.9 && slope2 < -0.9,
           "beta=%s a=%s/%lu c_d=%s%s %s (%s): errors shrink from n=500 to 4000 (E[K^2]/E[K]^2: %.3g -> %.3g, "
           "rate n^%.3f; E[dK] ratio: %.3g -> %.3g, rate n^%.3f)", beta, x2s, (unsigned long) n0,
           cout, bias ? "" : " no-bias", act, exec->precision ? "128 bits" : "exact", e_k2[0], e_k2[3],
           slope1, e_dk[0], e_dk[3], slope2);
    ntk_limit_clear(l);
    fmpq_clear(b); fmpq_clear(x2); fmpq_clear(a);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

int
main(void)
{
    check_closed("1", "1/10", "1", 1);
    check_closed("1/2", "1", "1", 1);
    check_closed("3/7", "5", "7/3", 0);
    check_closed("1/1000000", "2", "1", 1);
    check_closed("40", "1/3", "1", 1);
    check_closed("5/2", "0", "2", 1);
    check_convergence("1/2", 10, "1", "1", 1, "relu");
    check_convergence("1", 10, "1", "1", 1, "relu");
    check_convergence("1", 4, "4", "2", 0, "relu");
    /* the activation family: growth exponents 2 (linear, |x|), 77/25 (leaky
       1/2), and the dead phase of slopes 0, 1 below beta = 1/2 */
    {
        static const char * const acts[] = { "linear", "abs", "leaky:1/2", "leaky:1/10",
                                             "slopes:0,1", "slopes:3/2,-1/3", "slopes:2,0" };
        int k;
        for (k = 0; k < 7; k++)
        {
            check_closed_act("1/2", "1/10", "1", 1, acts[k]);
            check_closed_act("1/4", "2", "3/2", 0, acts[k]);
            check_closed_act("1/1000", "1", "1", 1, acts[k]);
        }
        check_closed_act("3", "1/10", "1", 1, "leaky:1/2");
        check_closed_act("1", "0", "1", 1, "linear");
        check_convergence("1/2", 10, "1", "1", 1, "leaky:1/2");
        check_convergence("1", 10, "1", "1", 1, "linear");
        check_convergence("1/2", 10, "1", "1", 1, "slopes:0,1");
        check_convergence("1/2", 4, "2", "1", 0, "slopes:3/2,-1/3");
    }
    flint_cleanup();
    return tap_done();
}
