/* The false alarms and the power of check's two-input rule (src/cli/
   pair_rule.h): over many seeds at several profiles and geometries, the
   first-order rows (E_Kxy, Var_Kxy, Cov_Kxx_Kyy, E_NxNy, Cov_Kxx_Kxy,
   Cov_Kxy_Kyy) of correct runs, and of runs with the planted cross-input bug
   (the backward vector of x paired with the activations of x', as a batched
   NTK code that mixes per-example gradients would), decided as check --xy
   decides them at the default alpha = 1e-4 (Bonferroni over 12 rows).
   Usage: bench/pair_rule SEEDS SAMPLES (make bench: 10 seeds, 10000). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "ntkexact.h"
#include "sample/sample.h"
#include "../src/cli/pair_rule.h"

static const int first_order_rows[6] = { NTK_KERNEL_E_KXY, NTK_KERNEL_VAR_KXY,
    NTK_KERNEL_COV_KXX_KYY, NTK_KERNEL_E_NXNY, NTK_KERNEL_COV_KXX_KXY, NTK_KERNEL_COV_KXY_KYY };

typedef struct
{
    const char * activation, * x2, * y2, * xy;
    int bias;
}
geo_t;

/* The references and bounds of the six first-order rows at profile spec. */
static int
references(double * ref, double * bound, const ntk_profile_t p, const ntk_conv_t conv,
           const fmpq_t x2, const fmpq_t y2, const fmpq_t xy)
{
    ntk_kernel_t k;
    double inv = 0.0;
    slong l;
    int i;
    ntk_kernel_init(k);
    if (ntk_kernel_compute(k, p, x2, y2, xy, conv, NTK_KERNEL_PER_LAYER, 128, NULL, NULL)
        != NTK_OK)
        return 0;
    for (l = 0; l < k->n_hidden; l++)
        inv += 1.0 / (double) ntk_profile_width(p, l + 1);
    for (i = 0; i < 6; i++)
    {
        int q = first_order_rows[i];
        double a = 0.0;
        for (l = 0; l < k->n_hidden; l++)
            a += fabs(arf_get_d(arb_midref(k->coeff[q] + l), ARF_RND_NEAR))
                 / (double) ntk_profile_width(p, l + 1);
        ref[i] = arf_get_d(arb_midref(&k->first_order[q]), ARF_RND_NEAR)
                 + (q == NTK_KERNEL_E_KXY ? arf_get_d(arb_midref(&k->theta[1]), ARF_RND_NEAR)
                    : q == NTK_KERNEL_E_NXNY ? arf_get_d(arb_midref(&k->sigma[1]), ARF_RND_NEAR)
                    : 0.0);
        bound[i] = cli_pair_bound(a, inv);
    }
    ntk_kernel_clear(k);
    return 1;
}

/* The counts of one side (correct or faulty) of the measurement. */
typedef struct
{
    long runs, decided_rows, failed_rows, runs_failed, runs_decided;
}
tally_t;

int
main(int argc, char ** argv)
{
    static const geo_t geos[3] = { { "relu", "1", "1", "1/2", 1 }, { "relu", "1", "2", "-1", 0 },
                                   { "leaky:1/5", "1", "1", "19/20", 1 } };
    static const int widths[3] = { 64, 128, 256 };
    long seeds = argc > 1 ? atol(argv[1]) : 10, samples = argc > 2 ? atol(argv[2]) : 10000, s;
    tally_t tally[2] = { { 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0 } };
    double t = ntk_check_threshold(1e-4, 12);
    int g, w, h, f, i;
    ntk_exec_t exec;
    ntk_exec_init(exec);
    exec->threads = 2;
    for (g = 0; g < 3; g++)
        for (w = 0; w < 3; w++)
            for (h = 1; h <= 4; h++)
            {
                ntk_profile_t p;
                ntk_conv_t conv;
                fmpq_t x2, y2, xy;
                char spec[64];
                double ref[6], bound[6];
                ntk_profile_init(p); ntk_conv_init(conv);
                fmpq_init(x2); fmpq_init(y2); fmpq_init(xy);
                snprintf(spec, sizeof(spec), "3,%dx%d,1", widths[w], h);
                ntk_profile_set_str(p, spec, NULL);
                ntk_conv_set_activation_str(conv, geos[g].activation, NULL);
                conv->bias = geos[g].bias;
                ntk_rational_set_str(x2, geos[g].x2, "x2", NULL);
                ntk_rational_set_str(y2, geos[g].y2, "y2", NULL);
                ntk_rational_set_str(xy, geos[g].xy, "xy", NULL);
                if (!references(ref, bound, p, conv, x2, y2, xy))
                    return 2;
                for (f = 0; f < 2; f++)
                    for (s = 0; s < seeds; s++)
                    {
                        ntk_sample_pair_result_t r;
                        int fails = 0, dec = 0;
                        if (_ntk_sample_pair_run(&r, p, conv, NTK_LAW_GAUSSIAN, NTK_SAMPLE_PROJECTED,
                                                 x2, y2, xy, samples, 7919 * (ulong) s + 13 * h + w,
                                                 exec, f ? _NTK_SAMPLE_PAIR_FAULT_CROSS
                                                 : _NTK_SAMPLE_PAIR_FAULT_NONE, NULL) != NTK_OK)
                            return 2;
                        for (i = 0; i < 6; i++)
                        {
                            int q = first_order_rows[i];
                            if (!cli_pair_decides(r.std_error[q], bound[i]))
                                continue;
                            dec++;
                            fails += cli_pair_fails(r.mean[q], ref[i], r.std_error[q], bound[i], t);
                        }
                        tally[f].runs++;
                        tally[f].decided_rows += dec;
                        tally[f].failed_rows += fails;
                        tally[f].runs_failed += fails > 0;
                        tally[f].runs_decided += dec > 0;
                    }
                fmpq_clear(x2); fmpq_clear(y2); fmpq_clear(xy);
                ntk_profile_clear(p); ntk_conv_clear(conv);
            }
    printf("check --xy rule (kappa %g, dominance %g, |z| threshold %.3f), %ld samples per run, "
           "36 profiles (widths 64, 128, 256; depths 2..5; 3 geometries) x %ld seeds\n",
           CLI_PAIR_KAPPA, CLI_PAIR_DOMINANCE, t, samples, seeds);
    printf("correct sampler: %ld runs, %ld of %ld first-order rows decided, %ld false alarms "
           "(%ld runs with one)\n", tally[0].runs, tally[0].decided_rows, 6 * tally[0].runs,
           tally[0].failed_rows, tally[0].runs_failed);
    printf("planted cross-input bug: caught in %ld of %ld runs (%ld runs with a decided "
           "first-order row)\n", tally[1].runs_failed, tally[1].runs, tally[1].runs_decided);
    ntk_exec_clear(exec);
    flint_cleanup_master();
    return 0;
}
