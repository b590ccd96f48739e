/* The shapes of the paper's theorems: the O(d^2) evaluation of the Theorem 2
   bracket and the Theorem 1 bracket against naive sums written from the shapes of
   doc/derivation.md, section 10, on non-uniform profiles; E_Kw / (d a) = 1 exactly. */

#include <math.h>
#include <stdio.h>
#include "ntkexact.h"
#include "tap.h"

/* Naive brackets: widths n[1..d] (n[d] = 1), a = x2/n0. */
static void
naive_shapes(double * k2, double * dk, const double * n, int d, double a)
{
    double beta = 0, s, t1 = 0, t2 = 0, sum1 = 0, sumij = 0;
    int i, j, i1, i2, l, r;
    for (i = 1; i < d; i++)
        beta += 1.0 / n[i];
    for (j = 1; j <= d; j++)
    {
        s = 0;
        for (i = 1; i <= j; i++)
            s += 1.0 / n[i];
        sum1 += exp(-5 * s);
        for (i = 1; i <= j; i++)   /* sum over 1 <= i <= j */
            sumij += exp(-5 * s);
    }
    *k2 = exp(5 * beta) * (d * d * a * a + d * a * sum1 + sumij);
    for (i1 = 1; i1 <= d; i1++)
        for (i2 = i1 + 1; i2 <= d; i2++)
            for (l = i1; l <= i2 - 1; l++)
            {
                double s6 = 0, s6b = 0, s5 = 0;
                for (r = i1; r <= l; r++)
                    s6 += 1.0 / n[r];
                for (r = i1 + 1; r <= l - 1; r++)
                    s6b += 1.0 / n[r];
                for (r = 1; r <= i1; r++)
                    s5 += 1.0 / n[r];
                t1 += (1.0 / n[l]) * exp(-5.0 / n[l] - 6 * s6);
                t2 += exp(-5 * s5) * (1.0 / n[l]) * exp(-6 * s6b);
            }
    *dk = exp(5 * beta) * (a * a * t1 + a * t2);
}

static void
check(const char * spec, const char * x2s)
{
    ntk_profile_t p;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_moments_t m;
    fmpq_t x2, v;
    double ratio[NTK_PAPER_N], n[64], k2, dk, a, e_k2, e_dk;
    int i, d;
    ntk_profile_init(p); ntk_conv_init(conv); ntk_exec_init(exec); ntk_moments_init(m);
    fmpq_init(x2); fmpq_init(v);
    ntk_profile_set_str(p, spec, NULL);
    ntk_rational_set_str(x2, x2s, "x2", NULL);
    ntk_moments_compute(m, p, conv, exec, NULL);
    ntk_paper_ratios(ratio, m, p, x2);
    d = (int) ntk_profile_depth(p);
    for (i = 1; i <= d; i++)
        n[i] = (double) ntk_profile_width(p, i);
    a = fmpz_get_d(fmpq_numref(x2)) / fmpz_get_d(fmpq_denref(x2)) / (double) ntk_profile_width(p, 0);
    naive_shapes(&k2, &dk, n, d, a);
    ntk_moments_eval(v, m, NTK_E_K2, x2);
    e_k2 = fmpz_get_d(fmpq_numref(v)) / fmpz_get_d(fmpq_denref(v));
    ntk_moments_eval(v, m, NTK_E_DK, x2);
    e_dk = -fmpz_get_d(fmpq_numref(v)) / fmpz_get_d(fmpq_denref(v));
    tap_ok(fabs(ratio[1] * k2 / e_k2 - 1) < 1e-12 && fabs(ratio[2] * dk / e_dk - 1) < 1e-12,
           "%s x2=%s: Theorem 1 and 2 shapes equal the naive sums (ratios %.6g, %.6g)",
           spec, x2s, ratio[1], ratio[2]);
    tap_ok(ratio[3] == 1.0, "%s: E_Kw / (d a) = 1 (the paper's one exact statement)", spec);
    fmpq_clear(x2); fmpq_clear(v);
    ntk_moments_clear(m); ntk_conv_clear(conv); ntk_exec_clear(exec); ntk_profile_clear(p);
}

int
main(void)
{
    check("5,3,7,2,4,1", "3");
    check("10,20x6,5,1", "1");
    check("2,1,1,3,1", "1/2");
    flint_cleanup();
    return tap_done();
}
