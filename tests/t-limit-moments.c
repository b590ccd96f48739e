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

/* (1) generator against closed form (the table of ReLU's generator where a
   slope is 0, else the exact exponential polynomials of the spectral data
   of the layer maps), (2) the N ratios against (2k-1)!! e^{C(k,2) L beta},
   L = 3 A_4/A_2^2 - 1 (5 for ReLU); and the order-2 values untouched. */
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
    /* (2k-1)!! e^{C(k,2) L beta}: 15 e^{3 L beta}, 105 e^{6 L beta} */
    {
        fmpq_t r, a4;
        fmpq_init(r); fmpq_init(a4);
        ntk_conv_gate_moment(r, conv, 2);
        ntk_conv_gate_moment(a4, conv, 4);
        fmpq_mul(r, r, r);
        fmpq_div(r, a4, r);
        fmpq_mul_ui(r, r, 3);
        fmpq_sub_ui(r, r, 1);                  /* L */
        fmpq_mul(r, r, b);
        fmpq_get_mpfr(bm, r, MPFR_RNDN);       /* L beta */
        fmpq_clear(r); fmpq_clear(a4);
    }
    mpfr_mul_ui(e, bm, 3, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_mul_ui(e, e, 15, MPFR_RNDN);
    worst_n = agree_digits(l->ratio_n6, e);
    mpfr_mul_ui(e, bm, 6, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_mul_ui(e, e, 105, MPFR_RNDN);
    worst_n = fmin(worst_n, agree_digits(l->ratio_n8, e));
    tap_ok(worst_n >= 55, "beta=%s %s: E[N^6]/E[N^2]^3 = 15 e^{3 L beta}, E[N^8]/E[N^2]^4 = 105 e^{6 L beta} (%s)",
           beta, act, worst_n == 1000 ? "bit for bit at 200 bits" : "agree to >= 55 digits");
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

/* Whether moments `moments` at order `order` and beta are accepted. */
static int
accepted(ntk_limit_t l, const ntk_conv_t conv, const char * beta, int moments, int order)
{
    fmpq_t b, av;
    ntk_error_t err;
    int ok;
    fmpq_init(b); fmpq_init(av);
    ntk_rational_set_str(b, beta, "beta", NULL);
    fmpq_set_si(av, 1, 10);
    ok = (order == 0 ? ntk_limit_compute_moments(l, b, av, conv, moments, &err)
          : ntk_limit_correction_moments(l, b, av, conv, moments, &err)) == NTK_OK;
    fmpq_clear(b); fmpq_clear(av);
    return ok;
}

/* Slopes 0, a_minus with biases: the dead phase's 2^(k(d-1)-n) in E[K^k]
   bounds beta by 1/k (<= for the limits, < for F_1); no bound without
   biases. */
static void
check_dead_phase(ntk_limit_t l, ntk_conv_t conv)
{
    int ok;
    ntk_conv_set_activation_str(conv, "slopes:0,1", NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    ok = accepted(l, conv, "1/3", 3, 0) && !accepted(l, conv, "1/2", 3, 0)
         && accepted(l, conv, "1/4", 4, 0) && !accepted(l, conv, "1/3", 4, 0)
         && accepted(l, conv, "1/5", 4, 1) && !accepted(l, conv, "1/4", 4, 1)
         && accepted(l, conv, "1/4", 3, 1) && !accepted(l, conv, "1/3", 3, 1)
         && accepted(l, conv, "1/2", 2, 0) && !accepted(l, conv, "1/2", 2, 1);
    conv->bias = 0;
    ok = ok && accepted(l, conv, "2", 4, 0) && accepted(l, conv, "2", 4, 1);
    conv->bias = 1;
    tap_ok(ok, "slopes 0,1 with biases: moments k need beta <= 1/k (limits), < 1/k (F_1); "
           "none without biases");
}

/* The input x = 0 of a linear network (|a_plus| = |a_minus|): only the
   bias terms, the N ratios undefined. */
static void
check_x0_linear(ntk_limit_t l, ntk_conv_t conv)
{
    fmpq_t b, av;
    int ok;
    fmpq_init(b); fmpq_init(av);
    fmpq_set_si(b, 1, 2);
    ntk_conv_set_activation_str(conv, "linear", NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    ok = ntk_limit_compute_moments(l, b, av, conv, 4, NULL) == NTK_OK
         && mpfr_nan_p(l->ratio_n6) && mpfr_nan_p(l->ratio_n8) && mpfr_cmp_ui(l->ratio_k4, 1) > 0
         && mpfr_cmp_ui(l->e_k3, 0) > 0 && ntk_limit_correction_moments(l, b, av, conv, 4, NULL) == NTK_OK
         && mpfr_nan_p(l->ratio_n8) && mpfr_number_p(l->ratio_k4);
    ntk_conv_set_activation_str(conv, "leaky:1/2", NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    ok = ok && ntk_limit_compute_moments(l, b, av, conv, 4, NULL) == NTK_ERR_RANGE;
    tap_ok(ok, "a = 0: linear gives the bias terms (N ratios NaN), leaky 1/2 is refused");
    fmpq_clear(b); fmpq_clear(av);
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
    slong agree;
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
    tap_ok(ntk_limit_correction_moments(l, b, av, conv, 5, &err) == NTK_ERR_RANGE
           && ntk_limit_correction_moments(l, b, av, conv, 1, &err) == NTK_ERR_RANGE,
           "order 1: moments 1 and 5 refused");
    ntk_conv_set_activation_str(conv, "leaky:1/2", NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    ok = ntk_limit_compute_moments(l, b, av, conv, 3, &err) == NTK_OK
         && ntk_limit_get_strs_order_moments(v, NULL, &agree, b, av, conv, 1, 4, 20, &err) == NTK_OK
         && agree == 20;
    if (ok)
        for (k = 0; k < NTK_LIMIT_N_MAX; k++)
            flint_free(v[k]);
    tap_ok(ok, "leaky ReLU: moments 3, 4 and their corrections computed, the closed forms agree");
    check_dead_phase(l, conv);
    check_x0_linear(l, conv);
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
    /* the other activations: the spectral closed forms */
    for (i = 0; i < 4; i++)
    {
        check_closed(betas[i], "1/10", "1", 1, "leaky:1/2");
        check_closed(betas[i], "2", "3/2", 0, "leaky:1/10");
        check_closed(betas[i], "7/3", "1", 1, "linear");
        check_closed(betas[i], "1/10", "2", 1, "slopes:3/2,-1/3");
    }
    check_closed("1/1000", "1/10", "1", 1, "abs");
    check_closed("40", "1/3", "2", 1, "leaky:1/2");
    check_closed("1/4", "1/10", "1", 1, "slopes:0,1");
    check_closed("1", "1/10", "1", 0, "slopes:0,-2");
    /* leaky 41/99: A_4/A_2^2 near 3/2, where the exponents 11r - 6 and
       9r - 3 nearly meet and their coefficients cancel */
    check_closed("1", "1/10", "1", 1, "leaky:41/99");
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
