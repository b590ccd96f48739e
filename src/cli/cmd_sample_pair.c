/* ntkexact sample / check with two inputs (--xy): the estimates of the
   two-input sampler (ntk_sample_pair_run) and, for check, the rows' decisions.

   The off-diagonal rows (E_Kxy, Var_Kxy, Cov_Kxx_Kyy, E_NxNy, Cov_Kxx_Kxy,
   Cov_Kxy_Kyy) compare with the kernel's first-order prediction
   P = M_inf + sum_l c_l/n_l (ntk_kernel_compute), which is not exact: its
   truncation error is O(1/n^2).  It is bounded by
   B = kappa (sum_l |c_l|/n_l) (sum_l 1/n_l), the first-order term's size
   times the relative size sum_l 1/n_l of the next order (kappa = 4, twice
   the largest second-order residual measured, doc/derivation.md section
   16.7), and a row decides only when its standard error SE >= 4 B: then the
   bias can move z by at most 1/4, and a row fails when |estimate - P| >
   t SE + B (pair_rule.h).
   The diagonal rows (Var_Kxx, Var_Kyy, E_Kxx, E_Kyy, E_Nx2, E_Ny2) compare
   with the exact one-input moments (B = 0, always decided). */

#include <math.h>
#include <string.h>
#include "check.h"
#include "dist.h"
#include "report.h"
#include "sample_pair.h"
#include "sampling.h"

static int
is_first_order(int q)
{
    return q == NTK_KERNEL_E_KXY || q == NTK_KERNEL_VAR_KXY || q == NTK_KERNEL_COV_KXX_KYY
           || q == NTK_KERNEL_E_NXNY || q == NTK_KERNEL_COV_KXX_KXY
           || q == NTK_KERNEL_COV_KXY_KYY;
}

static double
arb_double(const arb_t x)
{
    return arf_get_d(arb_midref(x), ARF_RND_NEAR);
}

/* The references: the kernel's first order with the bound, and the exact
   one-input moments at x2 and y2. */
static void
pair_references(cli_pair_check_t * pc, const cli_t * cli, const ntk_profile_t prof)
{
    ntk_kernel_t k;
    ntk_moments_t m;
    ntk_error_t err;
    fmpq_t v;
    double inv = 0.0;
    slong l;
    int q;
    ntk_kernel_init(k);
    if (ntk_kernel_compute(k, prof, cli->x2, cli->y2, cli->xy, cli->conv, NTK_KERNEL_PER_LAYER,
                           128, NULL, &err) != NTK_OK)
        cli_fail(&err, NULL);
    for (l = 0; l < k->n_hidden; l++)
        inv += 1.0 / (double) ntk_profile_width(prof, l + 1);
    for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
    {
        cli_pair_row_t * r = pc->row + q;
        double abs_sum = 0.0;
        if (!is_first_order(q))
            continue;
        r->first_order = 1;
        r->reference = arb_double(&k->first_order[q])
                       + (q == NTK_KERNEL_E_KXY ? arb_double(&k->theta[1])
                          : q == NTK_KERNEL_E_NXNY ? arb_double(&k->sigma[1]) : 0.0);
        for (l = 0; l < k->n_hidden; l++)
            abs_sum += fabs(arb_double(k->coeff[q] + l)) / (double) ntk_profile_width(prof, l + 1);
        r->bound = cli_pair_bound(abs_sum, inv);
    }
    ntk_kernel_clear(k);
    ntk_moments_init(m);
    if (ntk_moments_compute(m, prof, cli->conv, cli->exec, &err) != NTK_OK)
        cli_fail(&err, "use --no-bias");
    fmpq_init(v);
    {
        static const struct { int q; ntk_quantity_t one; int at_y; } diag[6] = {
            { NTK_KERNEL_VAR_KXX, NTK_VAR_K, 0 }, { NTK_KERNEL_VAR_KYY, NTK_VAR_K, 1 },
            { NTK_SAMPLE_PAIR_E_KXX, NTK_E_K, 0 }, { NTK_SAMPLE_PAIR_E_KYY, NTK_E_K, 1 },
            { NTK_SAMPLE_PAIR_E_NX2, NTK_E_N2, 0 }, { NTK_SAMPLE_PAIR_E_NY2, NTK_E_N2, 1 } };
        int i;
        for (i = 0; i < 6; i++)
        {
            ntk_moments_eval(v, m, diag[i].one, diag[i].at_y ? cli->y2 : cli->x2);
            pc->row[diag[i].q].reference = fmpq_get_d(v);
            pc->row[diag[i].q].bound = 0.0;
        }
    }
    fmpq_clear(v);
    ntk_moments_clear(m);
}

/* Every row's decision: decided when SE >= 4 B (B = 0 for the exact rows);
   fails when |estimate - reference| > t SE + B. */
static void
pair_decide(cli_pair_check_t * pc, const ntk_sample_pair_result_t * res)
{
    int q;
    pc->fails = pc->decided = 0;
    for (q = 0; q < NTK_SAMPLE_PAIR_N; q++)
    {
        cli_pair_row_t * r = pc->row + q;
        double se = res->std_error[q], diff = res->mean[q] - r->reference;
        if (!isfinite(res->mean[q]) || !isfinite(se) || !isfinite(r->reference))
        {
            r->z = NAN;
            r->decided = 0;
            continue;
        }
        if (se > 0.0)
            r->z = diff / se;
        else
            r->z = fabs(diff) <= 1e-12 * fabs(r->reference) + r->bound ? 0.0
                   : diff > 0 ? INFINITY : -INFINITY;
        r->decided = cli_pair_decides(se, r->bound);
        r->fails = r->decided && cli_pair_fails(res->mean[q], r->reference, se, r->bound,
                                                pc->threshold);
        pc->decided += r->decided;
        pc->fails += r->fails;
    }
}

/* The options a two-input run does not take (yet): refused by name. */
static void
pair_refusals(const cli_t * cli, const cli_pair_opts_t * po)
{
    const char * cmd = po->check ? "check" : "sample";
    if (cli->order > 2)
        cli_die("%s --xy: two inputs are sampled up to the second moments (--order 2); "
                "leave out --order", cmd);
    if (cli->update)
        cli_die("%s --xy: the update's second moment is sampled for one input; leave out "
                "--update or --xy", cmd);
    if (po->check && cli->law != NTK_LAW_GAUSSIAN)
        cli_die("check --xy: the two-input reference ('ntkexact kernel') is for Gaussian weights "
                "(--mu4 3); 'sample --xy' samples the %s law", ntk_law_name(cli->law));
}

int
cli_pair_run(cli_t * cli, const ntk_profile_t prof, const cli_pair_opts_t * po)
{
    ntk_sample_pair_result_t res;
    cli_pair_check_t pc;
    cli_report_t info;
    cli_progress_t pr;
    cli_sampling_t run;
    FILE * out;
    int fails = 0;
    pair_refusals(cli, po);
    memset(&pc, 0, sizeof(pc));
    /* the references are rank 0's to report */
    if (po->check && cli_dist_rank() == 0)
    {
        cli_progress_start(&pr, cli, "exact work");
        pair_references(&pc, cli, prof);
        cli_progress_finish(&pr);
        pc.alpha = po->alpha;
        pc.tolerance = po->tolerance > 0;
        pc.threshold = po->tolerance > 0 ? po->tolerance
                       : ntk_check_threshold(po->alpha, NTK_SAMPLE_PAIR_N);
    }
    cli_progress_start(&pr, cli, "samples");
    memset(&run, 0, sizeof(run));
    run.cli = cli;
    run.profile = prof;
    run.method = po->method;
    run.pair = 1;
    run.samples = po->samples;
    run.seed = po->seed;
    run.checkpoint = po->checkpoint;
    run.every = po->every;
    cli_sampling_run_pair(&res, &run, &pr);
    cli_progress_finish(&pr);
    if (cli_dist_rank() != 0)
        return 0;
    memset(&info, 0, sizeof(info));
    info.profile = prof;
    info.conv = cli->conv;
    info.x2 = cli->x2;
    info.digits = cli->digits;
    info.threads = cli->exec->threads;
    info.samples = po->samples;
    info.activation = cli->activation_given;
    info.seed = po->seed;
    info.order = 2;
    info.method = ntk_sample_method_name(res.method);
    if (po->check)
        pair_decide(&pc, &res);
    out = cli_output_open();
    if (po->check)
        fails = cli_report_pair_check(out, cli->format, &info, cli, &res, &pc);
    else
        cli_report_pair_sample(out, cli->format, &info, cli, &res);
    cli_output_commit(out);
    return fails ? 1 : 0;
}
