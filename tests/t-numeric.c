/* The floating-point mode against the exact one: every digit it prints is
   right (relative error below 10^-digits), at 53 and 128 bits, on tiny
   profiles with random conventions and on deep, wide and mixed profiles;
   also the update's second moment at a target (Var_dK and RelVar_dK lose
   what their subtraction cancels). */

#include <math.h>
#include <mpfr.h>
#include <string.h>
#include "ntkexact.h"
#include "tap.h"

/* max over quantities of |approx - exact| / |exact| * 10^digits (must be < 1). */
static double
worst_error(const ntk_moments_t exact, const ntk_moments_t approx, const fmpq_t x2,
            const fmpq_t y, slong precision, int * worst_q, int order)
{
    fmpq_t a, b;
    mpfr_t r;
    double worst = 0.0;
    int q;
    fmpq_init(a); fmpq_init(b);
    mpfr_init2(r, 64);
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        slong digits;
        double e;
        if (q >= ntk_quantity_count(order)
            && !(approx->update && ntk_quantity_is_update((ntk_quantity_t) q)))
            continue;
        digits = ntk_moments_digits_target(approx, q, x2, y, precision);
        /* a ratio is undefined in both or in neither */
        if (!ntk_moments_defined(exact, q, x2) || !ntk_moments_defined(approx, q, x2))
        {
            if (ntk_moments_defined(exact, q, x2) != ntk_moments_defined(approx, q, x2))
            {
                *worst_q = q;
                worst = INFINITY;
            }
            continue;
        }
        ntk_moments_eval_target(a, exact, q, x2, y);
        ntk_moments_eval_target(b, approx, q, x2, y);
        fmpq_sub(b, b, a);
        if (fmpq_is_zero(a))
            e = fmpq_is_zero(b) ? 0.0 : INFINITY;
        else
        {
            fmpq_div(b, b, a);
            fmpq_get_mpfr(r, b, MPFR_RNDN);
            e = fabs(mpfr_get_d(r, MPFR_RNDN)) * pow(10.0, (double) digits);
        }
        if (!(e <= worst))
        {
            worst = e;
            *worst_q = q;
        }
    }
    mpfr_clear(r);
    fmpq_clear(a); fmpq_clear(b);
    return worst;
}

/* order 0: the update's second moment (with the moments of order 2) at
   the target 3/2. */
static void
check_order(const char * widths, const char * x2s, const char * mu4, int bias, int standard,
            int order)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_moments_t exact, approx;
    fmpq_t x2, y;
    int update = order == 0;
    slong precs[2] = { 53, 128 };
    int k, wq = 0;
    ntk_profile_init(p); ntk_conv_init(conv); ntk_exec_init(exec);
    ntk_moments_init(exact);
    fmpq_init(x2); fmpq_init(y);
    if (update)
    {
        order = 2;
        fmpq_set_si(y, 3, 2);
    }
    ntk_profile_set_str(p, widths, NULL);
    ntk_rational_set_str(x2, x2s, "x2", NULL);
    ntk_rational_set_str(conv->mu4, mu4, "mu4", NULL);
    conv->bias = bias;
    conv->param = standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
    /* mu6, mu8 of a law with this mu4 (uniform for 9/5) */
    if (strcmp(mu4, "9/5") == 0)
    {
        fmpq_set_si(conv->mu6, 27, 7);
        fmpq_set_si(conv->mu8, 9, 1);
    }
    else if (strcmp(mu4, "3") != 0)
    {
        fmpq_mul(conv->mu6, conv->mu4, conv->mu4);
        fmpq_mul_si(conv->mu6, conv->mu6, 2);
        fmpq_pow_si(conv->mu8, conv->mu6, 2);
    }
    exec->threads = 2;
    if (update)
        ntk_moments_compute_update(exact, p, conv, order, exec, NULL);
    else
        ntk_moments_compute_order(exact, p, conv, order, exec, NULL);
    for (k = 0; k < 2; k++)
    {
        double e;
        ntk_moments_init(approx);
        exec->precision = precs[k];
        if (update)
            ntk_moments_compute_update(approx, p, conv, order, exec, NULL);
        else
            ntk_moments_compute_order(approx, p, conv, order, exec, NULL);
        e = worst_error(exact, approx, x2, y, precs[k], &wq, order);
        tap_ok(e < 1.0, "%s x2=%s mu4=%s%s%s %s %d, %ld bits: printed digits exact (worst %s, error %.2g of the last digit)",
               widths, x2s, mu4, bias ? "" : " no-bias", standard ? " standard" : "",
               update ? "update at y = 3/2, order" : "order", order,
               (long) precs[k], ntk_quantity_name(wq), e);
        ntk_moments_clear(approx);
        exec->precision = 0;
    }
    fmpq_clear(x2); fmpq_clear(y);
    ntk_moments_clear(exact);
    ntk_conv_clear(conv); ntk_exec_clear(exec); ntk_profile_clear(p);
}

static void
check(const char * widths, const char * x2s, const char * mu4, int bias, int standard)
{
    check_order(widths, x2s, mu4, bias, standard, 2);
}

int
main(void)
{
    check("1,1,1,1", "1", "3", 1, 0);
    check("3,2,1", "5/2", "9/5", 1, 0);
    check("2,1,2,3,1", "0", "3", 1, 0);
    check("2,3,1,2,1", "7/3", "4", 0, 1);
    check("1,2,3,1,1", "1/3", "2", 1, 1);
    check("10,1000x1000,1", "1", "3", 1, 0);
    check("10,100x300,1", "2", "3", 1, 0);
    check("5,1,2,30x20,3,1", "3/7", "9/5", 1, 0);
    check("7,50,200x30,3,1x3", "5/2", "3", 1, 1);
    check("1,1x40,1", "1", "3", 1, 0);
    check_order("1,1,1,1", "1", "3", 1, 0, 4);
    check_order("3,2,1", "5/2", "9/5", 1, 0, 4);
    check_order("2,1,2,3,1", "0", "3", 1, 0, 4);
    check_order("2,3,1,2,1", "7/3", "4", 0, 1, 4);
    check_order("1,2,3,1,1", "1/3", "2", 1, 1, 3);
    check_order("10,100x100,1", "1", "3", 1, 0, 4);
    check_order("10,1000x60,1", "1", "3", 1, 0, 3);
    check_order("5,1,2,30x20,3,1", "3/7", "9/5", 1, 0, 4);
    check_order("1,1x40,1", "1", "3", 1, 0, 4);
    check_order("1,1,1,1", "1", "3", 1, 0, 0);
    check_order("3,2,1", "5/2", "9/5", 1, 0, 0);
    check_order("2,1,2,3,1", "0", "3", 1, 0, 0);
    check_order("2,3,1,2,1", "7/3", "4", 0, 1, 0);
    check_order("10,100x100,1", "1", "3", 1, 0, 0);
    check_order("5,1,2,30x20,3,1", "3/7", "9/5", 1, 0, 0);
    check_order("1,1x40,1", "1", "3", 1, 0, 0);
    flint_cleanup();
    return tap_done();
}
