/* The depth-to-width limits of the moments of order 3 and 4: the matrix
   exponential of the continuum generator (reduced by the future symmetry)
   against the closed forms (fitted by an unreduced model, 40+ digits),
   E[N^(2k)]/E[N^2]^k = (2k-1)!! e^{5 C(k,2) beta} written here, the dead
   input, the refusals, and the limits against the exact engine
   (ntk_moments_compute_order at order 4 on n_0, n x beta n, 1) at doubling
   n with the 1/n rate: err(n)/err(2n) in [1.6, 2.5].  NTK_LIMIT_SLOW=1
   (make check-slow) runs larger and deeper profiles as well. */

#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include "ntkexact.h"
#include "tap.h"
#include "digits.h"

#define PREC 200

/* The six values of order 3 and 4, in the order of ntk_limit_struct. */
static mpfr_ptr
value(ntk_limit_t l, int k)
{
    mpfr_ptr v[6] = { l->e_k3, l->ratio_k3, l->ratio_n6, l->e_k4, l->ratio_k4, l->ratio_n8 };
    return v[k];
}

static const char * const names[6] = { "E[K^3]/d^3", "E[K^3]/E[K]^3", "E[N^6]/E[N^2]^3",
                                       "E[K^4]/d^4", "E[K^4]/E[K]^4", "E[N^8]/E[N^2]^4" };

static void
setup(ntk_conv_t conv, fmpq_t b, fmpq_t av, const char * beta, const char * a,
      const char * cout, int bias, const char * act)
{
    ntk_conv_init(conv);
    fmpq_init(b); fmpq_init(av);
    ntk_rational_set_str(b, beta, "beta", NULL);
    ntk_rational_set_str(av, a, "a", NULL);
    ntk_rational_set_str(conv->cw_output, cout, "c", NULL);
    conv->bias = bias;
    ntk_conv_set_activation_str(conv, act, NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
}

/* (1) generator against closed form, (2) the N ratios against
   (2k-1)!! e^{5 C(k,2) beta}; and the order-2 values untouched. */
static void
check_closed(const char * beta, const char * a, const char * cout, int bias, const char * act)
{
    ntk_limit_t l, c, l2;
    ntk_conv_t conv;
    fmpq_t b, av;
    mpfr_t e, bm;
    double worst = 1000, worst_n = 1000;
    int k, same2;
    setup(conv, b, av, beta, a, cout, bias, act);
    ntk_limit_init(l, PREC); ntk_limit_init(c, PREC); ntk_limit_init(l2, PREC);
    mpfr_inits2(PREC, e, bm, (mpfr_ptr) 0);
    if (ntk_limit_compute_moments(l, b, av, conv, 4, NULL) != NTK_OK
        || ntk_limit_closed_form_moments(c, b, av, conv, 4, NULL) != NTK_OK
        || ntk_limit_compute(l2, b, av, conv, NULL) != NTK_OK)
        abort();
    for (k = 0; k < 6; k++)
        worst = fmin(worst, agree_digits(value(l, k), value(c, k)));
    same2 = mpfr_equal_p(l->e_k2, l2->e_k2) && mpfr_equal_p(l->ratio_k2, l2->ratio_k2)
            && mpfr_equal_p(l->ratio_dk, l2->ratio_dk);
    tap_ok(worst >= 55 && same2,
           "beta=%s a=%s c_d=%s%s %s: the six limits of order 3, 4 by the generator and the closed form agree %s%.0f digits",
           beta, a, cout, bias ? "" : " no-bias", act, worst == 1000 ? "bit for bit at 200 bits, " : "to ",
           worst == 1000 ? 60.0 : worst);
    /* (2k-1)!! e^{5 C(k,2) beta}: 15 e^{15 beta}, 105 e^{30 beta} */
    fmpq_get_mpfr(bm, b, MPFR_RNDN);
    mpfr_mul_ui(e, bm, 15, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_mul_ui(e, e, 15, MPFR_RNDN);
    worst_n = agree_digits(l->ratio_n6, e);
    mpfr_mul_ui(e, bm, 30, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_mul_ui(e, e, 105, MPFR_RNDN);
    worst_n = fmin(worst_n, agree_digits(l->ratio_n8, e));
    tap_ok(worst_n >= 55, "beta=%s: E[N^6]/E[N^2]^3 = 15 e^{15 beta}, E[N^8]/E[N^2]^4 = 105 e^{30 beta} (%s)",
           beta, worst_n == 1000 ? "bit for bit at 200 bits" : "agree to >= 55 digits");
    mpfr_clears(e, bm, (mpfr_ptr) 0);
    ntk_limit_clear(l); ntk_limit_clear(c); ntk_limit_clear(l2);
    fmpq_clear(b); fmpq_clear(av);
    ntk_conv_clear(conv);
}

/* At small beta every C_ab ~ beta^(a+b) / 2^b: E[K^k]/E[K]^k -> 1. */
static void
check_small_beta(void)
{
    ntk_limit_t l;
    ntk_conv_t conv;
    fmpq_t b, av;
    double r3, r4;
    setup(conv, b, av, "1/1000000", "1/10", "1", 1, "relu");
    ntk_limit_init(l, PREC);
    ntk_limit_compute_moments(l, b, av, conv, 4, NULL);
    r3 = mpfr_get_d(l->ratio_k3, MPFR_RNDN);
    r4 = mpfr_get_d(l->ratio_k4, MPFR_RNDN);
    tap_ok(fabs(r3 - 1) < 1e-4 && fabs(r4 - 1) < 1e-4 && r3 > 1 && r4 > r3,
           "beta=10^-6: E[K^3]/E[K]^3 = 1 + %.3g, E[K^4]/E[K]^4 = 1 + %.3g (K nearly deterministic)",
           r3 - 1, r4 - 1);
    ntk_limit_clear(l);
    fmpq_clear(b); fmpq_clear(av);
    ntk_conv_clear(conv);
}

/* The dead input a = 0, the order-3 call, and the refusals. */
static void
check_edges(void)
{
    ntk_limit_t l;
    ntk_conv_t conv;
    fmpq_t b, av;
    ntk_error_t err;
    char * v[NTK_LIMIT_N_MAX];
    int k, ok;
    setup(conv, b, av, "1/2", "0", "1", 1, "relu");
    ntk_limit_init(l, PREC);
    ok = ntk_limit_compute_moments(l, b, av, conv, 4, NULL) == NTK_OK
         && mpfr_zero_p(l->e_k3) && mpfr_zero_p(l->e_k4) && mpfr_cmp_ui(l->ratio_k3, 1) == 0
         && mpfr_cmp_ui(l->ratio_k4, 1) == 0 && mpfr_nan_p(l->ratio_n6) && mpfr_nan_p(l->ratio_n8);
    tap_ok(ok, "a=0: K = 1, E[K^k]/d^k = 0, E[K^k]/E[K]^k = 1, the N ratios NaN");
    fmpq_set_si(av, 1, 10);
    ok = ntk_limit_compute_moments(l, b, av, conv, 3, NULL) == NTK_OK
         && mpfr_nan_p(l->e_k4) && !mpfr_nan_p(l->ratio_k3);
    tap_ok(ok, "moments 3: the values of order 4 are NaN");
    ok = ntk_limit_compute_moments(l, b, av, conv, 5, &err) == NTK_ERR_RANGE
         && ntk_limit_compute_moments(l, b, av, conv, 1, &err) == NTK_ERR_RANGE
         && ntk_limit_n(1) == 0 && ntk_limit_n(2) == NTK_LIMIT_N && ntk_limit_n(3) == 8
         && ntk_limit_n(4) == NTK_LIMIT_N_MAX;
    tap_ok(ok, "moments 1 and 5 refused; ntk_limit_n");
    ntk_conv_set_activation_str(conv, "leaky:1/2", NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    ok = ntk_limit_compute_moments(l, b, av, conv, 3, &err) == NTK_ERR_RANGE
         && ntk_limit_compute_moments(l, b, av, conv, 2, &err) == NTK_OK
         && ntk_limit_get_strs_moments(v, NULL, NULL, b, av, conv, 4, 20, &err) == NTK_ERR_RANGE;
    tap_ok(ok, "leaky ReLU: moments 3, 4 refused (generator not verified), 2 accepted");
    ntk_conv_set_activation_str(conv, "slopes:2,0", NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    ok = ntk_limit_get_strs_moments(v, NULL, NULL, b, av, conv, 4, 20, &err) == NTK_OK;
    if (ok)
    {
        tap_diag("slopes 2,0, beta 1/2: E[K^4]/E[K]^4 = %s", v[9]);
        for (k = 0; k < NTK_LIMIT_N_MAX; k++)
            flint_free(v[k]);
    }
    tap_ok(ok, "ntk_limit_get_strs_moments at moments 4 (slopes 2,0)");
    ntk_limit_clear(l);
    fmpq_clear(b); fmpq_clear(av);
    ntk_conv_clear(conv);
}

/* x rounded to a double, correctly (through MPFR). */
static double
fmpq_to_d(const fmpq_t x)
{
    mpfr_t t;
    double d;
    mpfr_init2(t, 53);
    fmpq_get_mpfr(t, x, MPFR_RNDN);
    d = mpfr_get_d(t, MPFR_RNDN);
    mpfr_clear(t);
    return d;
}

/* The finite-width ratios E[K^3]/E[K]^3, E[K^4]/E[K]^4, E[N^6]/E[N^2]^3,
   E[N^8]/E[N^2]^4 and E[K^3]/d^3, E[K^4]/d^4 (d = beta n + 1), exact (or
   128-bit) moments of order 4 on n0, n x beta n, 1. */
static void
finite_values(double * r, ulong n, const fmpq_t beta, ulong n0, const fmpq_t x2,
              const ntk_conv_t conv, const ntk_exec_t exec)
{
    static const ntk_quantity_t num[6] = { NTK_E_K3, NTK_E_K3, NTK_E_N6, NTK_E_K4, NTK_E_K4, NTK_E_N8 };
    static const int den[6] = { -1, NTK_E_K, NTK_E_N2, -1, NTK_E_K, NTK_E_N2 };   /* -1: d */
    static const int pw[6] = { 3, 3, 3, 4, 4, 4 };
    ntk_profile_t p;
    ntk_moments_t m;
    fmpq_t x, y;
    char spec[96];
    slong hidden = fmpz_get_si(fmpq_numref(beta)) * (slong) n / fmpz_get_si(fmpq_denref(beta));
    int k;
    snprintf(spec, sizeof(spec), "%lu,%lux%ld,1", (unsigned long) n0, (unsigned long) n, (long) hidden);
    ntk_profile_init(p);
    ntk_moments_init(m);
    fmpq_init(x); fmpq_init(y);
    ntk_profile_set_str(p, spec, NULL);
    if (ntk_moments_compute_order(m, p, conv, 4, exec, NULL) != NTK_OK)
        abort();
    for (k = 0; k < 6; k++)
    {
        ntk_moments_eval(x, m, num[k], x2);
        if (den[k] < 0)
            fmpq_set_si(y, hidden + 1, 1);      /* the depth d */
        else
            ntk_moments_eval(y, m, (ntk_quantity_t) den[k], x2);
        fmpz_pow_ui(fmpq_numref(y), fmpq_numref(y), (ulong) pw[k]);
        fmpz_pow_ui(fmpq_denref(y), fmpq_denref(y), (ulong) pw[k]);
        fmpq_div(x, x, y);
        r[k] = fmpq_to_d(x);
    }
    fmpq_clear(x); fmpq_clear(y);
    ntk_moments_clear(m);
    ntk_profile_clear(p);
}

/* (3) the limits against the exact engine at n = n_first 2^i, i < count:
   every error ratio err(n)/err(2n) in [1.6, 2.5], the errors of one sign. */
static void
check_convergence(const char * beta, ulong n0, const char * x2s, int bias, ulong n_first,
                  int count, slong precision)
{
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_limit_t l;
    fmpq_t b, x2, a;
    double lim[6], r[6], err[8][6], lo = 1e9, hi = 0;
    int i, k, ok = 1;
    char a_str[64];
    snprintf(a_str, sizeof(a_str), "%s", "0");
    setup(conv, b, a, beta, a_str, "1", bias, "relu");
    fmpq_init(x2);
    ntk_rational_set_str(x2, x2s, "x2", NULL);
    fmpq_set_si(a, (slong) n0, 1);
    fmpq_div(a, x2, a);
    ntk_exec_init(exec);
    exec->precision = precision;
    exec->threads = 2;
    ntk_limit_init(l, 128);
    ntk_limit_compute_moments(l, b, a, conv, 4, NULL);
    for (k = 0; k < 6; k++)
        lim[k] = mpfr_get_d(value(l, k), MPFR_RNDN);
    for (i = 0; i < count; i++)
    {
        finite_values(r, n_first << i, b, n0, x2, conv, exec);
        for (k = 0; k < 6; k++)
        {
            err[i][k] = r[k] - lim[k];
            if (i > 0)
            {
                double q = err[i - 1][k] / err[i][k];
                ok &= q >= 1.6 && q <= 2.5;
                lo = fmin(lo, q);
                hi = fmax(hi, q);
            }
        }
    }
    for (k = 0; k < 6; k++)
        tap_diag("  %-16s limit %.12g, n (exact - limit) at n = %lu: %.6g, at n = %lu: %.6g", names[k],
                 lim[k], n_first, (double) n_first * err[0][k], n_first << (count - 1),
                 (double) (n_first << (count - 1)) * err[count - 1][k]);
    tap_ok(ok, "beta=%s a=%s/%lu%s (%s): exact values at n = %lu .. %lu approach the six limits "
           "at the rate 1/n (err(n)/err(2n) in %.3f .. %.3f)", beta, x2s, (unsigned long) n0,
           bias ? "" : " no-bias", precision ? "128 bits" : "exact", n_first,
           n_first << (count - 1), lo, hi);
    ntk_limit_clear(l);
    fmpq_clear(b); fmpq_clear(x2); fmpq_clear(a);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

int
main(void)
{
    static const char * const betas[4] = { "1/4", "1/2", "1", "2" };
    int i, slow = getenv("NTK_LIMIT_SLOW") != NULL;
    for (i = 0; i < 4; i++)
    {
        check_closed(betas[i], "1/10", "1", 1, "relu");
        check_closed(betas[i], "2", "3/2", 0, "relu");
        check_closed(betas[i], "7/3", "1", 1, "relu");
    }
    check_closed("1/1000", "1/10", "1", 1, "relu");
    check_closed("40", "1/3", "2", 1, "relu");
    check_closed("1/2", "1/10", "1", 1, "slopes:2,0");
    check_closed("1", "1/2", "1", 0, "slopes:1/3,0");
    check_small_beta();
    check_edges();
    check_convergence("1/4", 10, "1", 1, 160, 4, 0);
    check_convergence("1/2", 10, "1", 1, 500, 4, 128);
    check_convergence("1/2", 4, "2", 0, 250, 4, 0);
    if (slow)
    {
        check_convergence("1/2", 10, "1", 1, 250, 4, 0);
        check_convergence("1", 10, "1", 1, 1000, 4, 128);
        check_convergence("1/4", 10, "5", 1, 500, 5, 128);
    }
    flint_cleanup();
    return tap_done();
}
