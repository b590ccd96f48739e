/* The shapes of Hanin and Nica's Theorems 1 and 2 (doc/derivation.md, section 10), so that
   the ratios exact/shape turn their "universal constants" into numbers.

   With a = x2/n_0, beta = sum of 1/n_i over the hidden layers, and
   S_j = sum_{i<=j} 1/n_i (n_d = 1 included when j = d, as the paper sums):
     K:    d (1/2 + a)
     K^2:  e^{5 beta} [d^2 a^2 + d a sum_j e^{-5 S_j} + sum_j j e^{-5 S_j}]
     dK:   e^{5 beta} [a^2 sum_{i1<i2} sum_{l=i1}^{i2-1} (1/n_l) e^{-5/n_l - 6 sum_{i=i1}^{l} 1/n_i}
                       + a sum_{i1<i2} e^{-5 S_{i1}} sum_{l=i1}^{i2-1} (1/n_l) e^{-6 sum_{i=i1+1}^{l-1} 1/n_i}]
     K_w^2: d^2 a^2 e^{5 beta};  K_b^2: e^{5 beta} sum_j j e^{-5 S_j};
     K_w K_b: d a e^{5 beta} sum_j e^{-5 S_j}.
   The double sums over i1 < i2 are done in O(d^2): a term with index l is
   counted once for each i2 in l+1..d. */

#include <mpfr.h>
#include "ntkexact.h"

/* The widths n_1 .. n_d as doubles (index 0 unused). */
static double *
widths_array(const ntk_profile_t p)
{
    double * n = flint_malloc((p->depth + 1) * sizeof(double));
    slong r, j, i = 0;
    for (r = 0; r < p->n_runs; r++)
        for (j = 0; j < p->count[r]; j++, i++)
            n[i] = (double) p->width[r];
    return n;
}

/* e^{5 beta} times the bracket of Theorem 2 (as a mpfr). */
static void
shape_dk(mpfr_t res, const double * n, slong d, double a, mpfr_t e, mpfr_t t)
{
    slong i1, l;
    double s_i1 = 0.0;     /* S_{i1} */
    mpfr_set_zero(res, 1);
    for (i1 = 1; i1 < d; i1++)
    {
        double run6 = 0.0, inner_b = 0.0;    /* sum_{i=i1}^{l} 1/n_i; sum_{i=i1+1}^{l-1} */
        s_i1 += 1.0 / n[i1];
        for (l = i1; l <= d - 1; l++)
        {
            run6 += 1.0 / n[l];
            if (l > i1 + 1)
                inner_b += 1.0 / n[l - 1];
            /* a^2 (1/n_l) e^{-5/n_l - 6 run6} + a e^{-5 S_i1} (1/n_l) e^{-6 inner_b}, (d - l) times */
            mpfr_set_d(t, -5.0 / n[l] - 6.0 * run6, MPFR_RNDN);
            mpfr_exp(t, t, MPFR_RNDN);
            mpfr_mul_d(t, t, a * a / n[l] * (double) (d - l), MPFR_RNDN);
            mpfr_add(res, res, t, MPFR_RNDN);
            mpfr_set_d(t, -5.0 * s_i1 - 6.0 * inner_b, MPFR_RNDN);
            mpfr_exp(t, t, MPFR_RNDN);
            mpfr_mul_d(t, t, a / n[l] * (double) (d - l), MPFR_RNDN);
            mpfr_add(res, res, t, MPFR_RNDN);
        }
    }
    mpfr_mul(res, res, e, MPFR_RNDN);
}

static const char * const paper_names[NTK_PAPER_N] = {
    "E_K / d(1/2+a)", "E_K2 / Thm1", "|E_dK| / Thm2", "E_Kw / da", "E_Kw2 / d^2a^2e^5b",
    "E_Kb / (d/2)", "E_Kb2 / shape", "E_KwKb / shape"
};

const char *
ntk_paper_name(int k)
{
    return (k >= 0 && k < NTK_PAPER_N) ? paper_names[k] : "?";
}

ntk_status_t
ntk_paper_ratios(double * ratio, const ntk_moments_t m, const ntk_profile_t p,
                 const fmpq_t x2)
{
    static const ntk_quantity_t num[NTK_PAPER_N] = { NTK_E_K, NTK_E_K2, NTK_E_DK, NTK_E_KW,
                                                     NTK_E_KW2, NTK_E_KB, NTK_E_KB2, NTK_E_KWKB };
    slong d, j;
    double * n, a, s = 0.0, dd;
    mpfr_t e, t, sum1, sumj, shape, v;
    fmpq_t q;
    int k;
    if (ratio == NULL || m == NULL || p == NULL || x2 == NULL || p->depth < 2 || fmpq_sgn(x2) <= 0
        || m->order < 2)
        return NTK_ERR_RANGE;
    d = p->depth;
    dd = (double) d;
    n = widths_array(p);
    mpfr_inits2(64, e, t, sum1, sumj, shape, v, (mpfr_ptr) 0);
    fmpq_init(q);
    fmpq_set_ui(q, ntk_profile_width(p, 0), 1);
    fmpq_div(q, x2, q);
    fmpq_get_mpfr(v, q, MPFR_RNDN);
    a = mpfr_get_d(v, MPFR_RNDN);
    mpfr_set_d(e, 5.0 * ntk_profile_beta(p), MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_set_zero(sum1, 1);
    mpfr_set_zero(sumj, 1);
    for (j = 1; j <= d; j++)
    {
        s += 1.0 / n[j];
        mpfr_set_d(t, -5.0 * s, MPFR_RNDN);
        mpfr_exp(t, t, MPFR_RNDN);
        mpfr_add(sum1, sum1, t, MPFR_RNDN);
        mpfr_mul_si(t, t, j, MPFR_RNDN);
        mpfr_add(sumj, sumj, t, MPFR_RNDN);
    }
    for (k = 0; k < NTK_PAPER_N; k++)
    {
        switch (k)
        {
            case 0: mpfr_set_d(shape, dd * (0.5 + a), MPFR_RNDN); break;
            case 1:   /* e^{5b} (d^2 a^2 + d a sum1 + sumj) */
                mpfr_mul_d(shape, sum1, dd * a, MPFR_RNDN);
                mpfr_add(shape, shape, sumj, MPFR_RNDN);
                mpfr_add_d(shape, shape, dd * dd * a * a, MPFR_RNDN);
                mpfr_mul(shape, shape, e, MPFR_RNDN);
                break;
            case 2: shape_dk(shape, n, d, a, e, t); break;
            case 3: mpfr_set_d(shape, dd * a, MPFR_RNDN); break;
            case 4: mpfr_mul_d(shape, e, dd * dd * a * a, MPFR_RNDN); break;
            case 5: mpfr_set_d(shape, dd / 2.0, MPFR_RNDN); break;
            case 6: mpfr_mul(shape, e, sumj, MPFR_RNDN); break;
            default: mpfr_mul(shape, e, sum1, MPFR_RNDN); mpfr_mul_d(shape, shape, dd * a, MPFR_RNDN);
        }
        ntk_moments_eval(q, m, num[k], x2);
        fmpq_abs(q, q);
        fmpq_get_mpfr(v, q, MPFR_RNDN);
        mpfr_div(v, v, shape, MPFR_RNDN);
        ratio[k] = mpfr_get_d(v, MPFR_RNDN);
    }
    mpfr_clears(e, t, sum1, sumj, shape, v, (mpfr_ptr) 0);
    fmpq_clear(q);
    flint_free(n);
    return NTK_OK;
}
