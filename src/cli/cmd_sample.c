/* ntkexact sample (Monte Carlo estimates) and ntkexact check (exact values
   against them, with z-scores). */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "checkpoint.h"
#include "cli.h"
#include "dist.h"
#include "report.h"
#include "sample_pair.h"
#include "sampling.h"

/* check's default: the sample count its false-alarm rate and power are
   calibrated at (bench/calibrate.sh), the Python oracle's default too */
#define CHECK_SAMPLES_DEFAULT 10000
#define CHECK_ALPHA_DEFAULT 1e-4

typedef struct
{
    slong samples;
    ulong seed;
    double tolerance;       /* --tolerance Z, or 0 */
    double alpha;           /* --alpha */
    int alpha_given;
    int guarantee;          /* --guarantee */
    int mu4_given;
    ntk_sample_method_t method;
    const char * checkpoint;
    double every;
    const char * output;
}
sample_opts_t;

static void
apply_samples(cli_t * cli, void * data, const char * arg)
{
    ((sample_opts_t *) data)->samples = cli_parse_long(arg, "--samples", 2, 1000000000000L);
}

static void
apply_seed(cli_t * cli, void * data, const char * arg)
{
    ((sample_opts_t *) data)->seed = cli_parse_ulong(arg, "--seed");
}

/* A positive decimal number (strtod would also take spaces, "inf" and hex). */
static double
parse_positive(const char * arg, const char * flag)
{
    char * end;
    double z = strtod(arg, &end);
    if (!((*arg >= '0' && *arg <= '9') || *arg == '.') || *end != '\0' || !(z > 0)
        || !isfinite(z) || strspn(arg, "0123456789.eE+-") != strlen(arg))
        cli_die("%s '%s' is not a positive number", flag, arg);
    return z;
}

static void
apply_tolerance(cli_t * cli, void * data, const char * arg)
{
    ((sample_opts_t *) data)->tolerance = parse_positive(arg, "--tolerance");
}

static void
apply_alpha(cli_t * cli, void * data, const char * arg)
{
    double a = parse_positive(arg, "--alpha");
    if (!(a >= 1e-100 && a < 1))
        cli_die("--alpha '%s' is not a level in [1e-100, 1)", arg);
    ((sample_opts_t *) data)->alpha = a;
    ((sample_opts_t *) data)->alpha_given = 1;
}

static void
apply_guarantee(cli_t * cli, void * data, const char * arg)
{
    ((sample_opts_t *) data)->guarantee = 1;
}

static void
apply_law(cli_t * cli, void * data, const char * arg)
{
    if (strcmp(arg, "gaussian") == 0)
        cli->law = NTK_LAW_GAUSSIAN;
    else if (strcmp(arg, "uniform") == 0)
        cli->law = NTK_LAW_UNIFORM;
    else
        cli_die("--law '%s' is not one of gaussian, uniform", arg);
    cli->law_given = 1;
}

static void
apply_method(cli_t * cli, void * data, const char * arg)
{
    sample_opts_t * so = data;
    if (strcmp(arg, "full") == 0)
        so->method = NTK_SAMPLE_FULL;
    else if (strcmp(arg, "projected") == 0)
        so->method = NTK_SAMPLE_PROJECTED;
    else
        cli_die("--method '%s' is not one of full, projected", arg);
}

static void
apply_format(cli_t * cli, void * data, const char * arg)
{
    cli->format = cli_parse_format(arg, 1 << CLI_FORMAT_TEXT | 1 << CLI_FORMAT_JSON
                                        | 1 << CLI_FORMAT_CSV, "--format");
}

static void
apply_mu4_law(cli_t * cli, void * data, const char * arg)
{
    cli_apply_mu4(cli, data, arg);
    ((sample_opts_t *) data)->mu4_given = 1;
}

static void
apply_checkpoint(cli_t * cli, void * data, const char * arg)
{
    if (*arg == '\0')
        cli_die("--checkpoint: the file name is empty");
    ((sample_opts_t *) data)->checkpoint = cli_checkpoint_path(arg);
}

static void
apply_checkpoint_every(cli_t * cli, void * data, const char * arg)
{
    ((sample_opts_t *) data)->every = cli_parse_seconds(arg, "--checkpoint-every");
}

static void
apply_output(cli_t * cli, void * data, const char * arg)
{
    if (*arg == '\0')
        cli_die("--output: the file name is empty");
    ((sample_opts_t *) data)->output = arg;
}

static const cli_option_t opt_output = { "output", "FILE",
    "write the report to FILE instead of stdout (whole, or\nnothing; for MPI runs)", NULL,
    apply_output };
static const cli_option_t opt_checkpoint = { "checkpoint", "FILE",
    "save the run in FILE every --checkpoint-every seconds and\n"
    "at SIGINT/SIGTERM; the same command resumes from it", NULL, apply_checkpoint };
static const cli_option_t opt_checkpoint_every = { "checkpoint-every", "SECONDS",
    "seconds between checkpoints (default 60)", NULL, apply_checkpoint_every };

static const cli_option_t opt_samples = { "samples", "S", "number of random networks, >= 2 (required)",
                                          "samples", apply_samples };
static const cli_option_t opt_check_samples = { "samples", "S",
    "number of random networks, >= 2 (default 10000: the\ncount the rule is calibrated at)",
    "samples", apply_samples };
static const cli_option_t opt_seed = { "seed", "N",
    "seed, 0..2^64-1 (default 0): the same seed gives the same\noutput for any --threads",
    "seed", apply_seed };
static const cli_option_t opt_mu4 = { "mu4", "3|9/5",
    "fourth moment of the weight law: Gaussian (3, default) or\nuniform (9/5) weights",
    "mu4", apply_mu4_law };
static const cli_option_t opt_law = { "law", "L", "gaussian (default) or uniform: the same as --mu4 3|9/5",
                                      "law", apply_law };
static const cli_option_t opt_method = { "method", "M",
    "full or projected (default: projected for Gaussian\nweights, full for uniform ones)",
    "method", apply_method };
static const cli_option_t opt_format = { "format", "F", "text (default), json or csv", NULL,
                                         apply_format };
static const cli_option_t opt_tolerance = { "tolerance", "Z",
    "largest accepted |z|, instead of the threshold of --alpha", NULL, apply_tolerance };
static const cli_option_t opt_alpha = { "alpha", "A",
    "the false-alarm level of the whole check, in [1e-100, 1)\n"
    "(default 1e-4), divided among the quantities (Bonferroni)", NULL, apply_alpha };
static const cli_option_t opt_guarantee = { "guarantee", NULL,
    "decide by the median of block means with the exact\n"
    "variances: alpha holds for ANY law with them", NULL, apply_guarantee };

static const cli_option_t opt_update = { "update", NULL,
    "add the estimates of the first SGD update's second moment\n"
    "at the target y = 0: E_g2, E_N2g2 and its parts, E_dK2,\n"
    "Var_dK (RelVar_dK is not estimated)", NULL, cli_apply_update };

static const cli_option_t opt_check_update = { "update", NULL,
    "add the rows of the first SGD update's second moment at\n"
    "the target y = 0 (E_g2, E_N2g2 and its parts, E_dK2,\n"
    "Var_dK): no exact variance, outside the guarantee", NULL, cli_apply_update };

static const cli_option_t * const sample_options[] = {
    &cli_opt_widths, &opt_samples, &opt_seed, &cli_opt_x2, &cli_opt_y2, &cli_opt_xy, &opt_mu4, &opt_law, &opt_method,
    &cli_opt_cw_hidden, &cli_opt_cw_output, &cli_opt_param, &cli_opt_no_bias, &cli_opt_activation,
    &opt_format, &cli_opt_order, &opt_update, &opt_output, &opt_checkpoint, &opt_checkpoint_every,
    &cli_opt_threads, &cli_opt_quiet, &cli_opt_progress, NULL
};

/* The sampler estimates the update's second moment at y = 0 only. */
static const cli_reject_t sample_rejects[] = {
    { "target", "the sampler estimates E_dK2 and Var_dK at the target y = 0; 'ntkexact moments "
                "--target Y' gives them exactly at any y" },
    { NULL, NULL }
};
static const cli_reject_t check_rejects[] = {
    { "target", "check compares E_dK2 and Var_dK at the target y = 0, the sampler's; "
                "'ntkexact moments --target Y' gives them exactly at any y" },
    { NULL, NULL }
};

static const cli_option_t * const check_options[] = {
    &cli_opt_widths, &opt_check_samples, &opt_seed, &cli_opt_x2, &cli_opt_y2, &cli_opt_xy,
    &opt_mu4, &opt_law, &opt_method,
    &cli_opt_cw_hidden, &cli_opt_cw_output, &cli_opt_param, &cli_opt_no_bias, &cli_opt_activation,
    &opt_format,
    &cli_opt_order, &opt_check_update, &opt_alpha, &opt_guarantee, &opt_tolerance,
    &cli_opt_digits, &opt_output,
    &opt_checkpoint, &opt_checkpoint_every,
    &cli_opt_threads, &cli_opt_quiet, &cli_opt_progress, NULL
};

/* The weight law of --law, or of --mu4 (which must agree with --law), and
   mu4 to match: the sampler is told the law, the exact engine its mu4. */
static void
sample_law(cli_t * cli, int mu4_given)
{
    ntk_error_t err;
    if (cli->law_given)
    {
        fmpq_t m;
        fmpq_init(m);
        ntk_law_moment(m, cli->law, 4);
        if (mu4_given && !fmpq_equal(m, cli->conv->mu4))
            cli_die("--law %s and --mu4 disagree: the %s law has mu4 = %s", ntk_law_name(cli->law),
                    ntk_law_name(cli->law), cli->law == NTK_LAW_GAUSSIAN ? "3" : "9/5");
        fmpq_set(cli->conv->mu4, m);
        fmpq_clear(m);
    }
    else if (ntk_law_from_mu4(&cli->law, cli->conv->mu4, &err) != NTK_OK)
        cli_fail(&err, NULL);
}

/* The estimates of the moments of order 3 and 4 overflow double precision
   long before those of order 2 do (their standard errors need K^6, K^8),
   and so may those of the update's second moment (N^4 g^4): the library
   checks the order-2 quantities, this the ones asked for. */
static void
check_finite(const ntk_sample_result_t * res, int order, int update)
{
    int q;
    for (q = ntk_quantity_count(2); q < NTK_N_QUANTITIES; q++)
    {
        int upd = ntk_quantity_is_update((ntk_quantity_t) q);
        /* the central moments and ratios are not sampled (NAN by design) */
        if (q == NTK_M3_K || q == NTK_SKEW2_K || q == NTK_M4_K || q == NTK_KURT_K
            || q == NTK_RELVAR_DK || (upd ? !update : q >= ntk_quantity_count(order)))
            continue;
        if (!isfinite(res->mean[q]) || !isfinite(res->std_error[q]))
        {
            if (upd)
                cli_die("--update: a sampled %s (or its standard error) overflowed double "
                        "precision; use variances nearer the critical ones",
                        ntk_quantity_name((ntk_quantity_t) q));
            cli_die("--order %d: a sampled %s (or its standard error) overflowed double "
                    "precision; use a lower --order or variances nearer the critical ones",
                    order, ntk_quantity_name((ntk_quantity_t) q));
        }
    }
}

/* check: the exact values and variances (the moments up to order 4, which
   give the exact variances of the order-2 estimates, or those of --order
   alone when order 4 is too large), computed by rank 0 before sampling. */
static void
check_exact(ntk_check_t ex, const cli_t * cli, const ntk_profile_t prof)
{
    ntk_error_t err;
    int gaussian = (cli->law == NTK_LAW_GAUSSIAN);
    ntk_status_t status = ntk_check_compute(ex, prof, cli->conv, cli->x2, 4, gaussian, cli->exec,
                                            &err);
    if (status == NTK_ERR_TOO_LARGE && cli->order < 4)
        status = ntk_check_compute(ex, prof, cli->conv, cli->x2, cli->order, gaussian, cli->exec,
                                   &err);
    if (status != NTK_OK)
        cli_fail(&err, "use --no-bias");
    if (cli->update && !ex->moments.update)
        cli_die("check --update: the update's second moment comes with the moments of order 4, "
                "which this profile does not allow; leave out --update");
}

/* check: the rule, from the options, before sampling. */
static void
check_plan(cli_check_t * ck, const ntk_check_t ex, const sample_opts_t * so, const cli_t * cli,
           const ntk_profile_t prof)
{
    ntk_sample_plan_t plan;
    ntk_error_t err;
    cli_rule_t rule = so->guarantee ? CLI_RULE_GUARANTEE
                      : so->tolerance > 0 ? CLI_RULE_TOLERANCE : CLI_RULE_BONFERRONI;
    if (ntk_sample_plan(&plan, prof, cli->conv, cli->law, so->method, cli->x2, so->samples, &err)
        != NTK_OK)
        cli_fail(&err, NULL);
    cli_check_plan(ck, ex, cli->order, cli->update, so->samples, plan.chunk_size, rule, so->alpha,
                   so->tolerance);
}

/* The options that only some runs take, and the defaults. */
static void
sampling_options(sample_opts_t * so, const cli_command_t * cmd, const cli_t * cli, int check)
{
    if (cli->x2_symbolic)
        cli_die("%s: --x2 symbolic is for 'moments'; sampling needs a number", cmd->name);
    if (cli->widths == NULL)
        cli_die("%s: --widths is required (for example --widths 10,100x10,1)", cmd->name);
    if (so->samples == 0 && !check)
        cli_die("%s: --samples is required (for example --samples 100000)", cmd->name);
    if (so->samples == 0)
        so->samples = CHECK_SAMPLES_DEFAULT;
    if (so->guarantee && so->tolerance > 0)
        cli_die("check: --tolerance sets a threshold for normal z-scores; --guarantee takes "
                "its level from --alpha");
    if (so->alpha_given && so->tolerance > 0)
        cli_die("check: --tolerance sets the threshold itself, --alpha from a level: give one");
    if (so->guarantee && so->checkpoint != NULL)
        cli_die("check: --guarantee keeps the moments of every block, which a checkpoint does "
                "not hold; run it without --checkpoint");
    if (so->every > 0 && so->checkpoint == NULL)
        cli_die("%s: --checkpoint-every needs --checkpoint FILE", cmd->name);
    if (so->every == 0)
        so->every = CLI_CHECKPOINT_EVERY_DEFAULT;
}

/* The law of the sampler and the exact engine's moments of it. */
static void
sampling_law(cli_t * cli, const sample_opts_t * so)
{
    ntk_error_t err;
    if (ntk_conv_validate(cli->conv, &err) != NTK_OK)
        cli_fail(&err, NULL);
    sample_law(cli, so->mu4_given);
    /* --order 3|4 and check: the exact engine takes mu6, mu8 from the sampled law */
    ntk_law_moment(cli->conv->mu6, cli->law, 6);
    ntk_law_moment(cli->conv->mu8, cli->law, 8);
    if (so->method == NTK_SAMPLE_PROJECTED && cli->law != NTK_LAW_GAUSSIAN)
        cli_die("--method projected needs Gaussian weights (--mu4 3); the %s law takes "
                "--method full", ntk_law_name(cli->law));
}

static void
report_info(cli_report_t * info, const cli_t * cli, const ntk_profile_t prof,
            const sample_opts_t * so, const ntk_sample_result_t * res)
{
    memset(info, 0, sizeof(*info));
    info->profile = prof;
    info->conv = cli->conv;
    info->x2 = cli->x2;
    info->digits = cli->digits;
    info->threads = cli->exec->threads;
    info->samples = so->samples;
    info->activation = cli->activation_given;
    info->seed = so->seed;
    info->order = cli->order;
    info->update = cli->update;
    info->method = ntk_sample_method_name(res->method);
}

/* --xy: a two-input run (sample_pair.h). */
static int
run_pair(cli_t * cli, ntk_profile_t prof, const sample_opts_t * so, const cli_command_t * cmd,
         int check)
{
    cli_pair_opts_t po;
    int status;
    if (so->guarantee)
        cli_die("check --xy: --guarantee needs exact variances, which the two-input rows do "
                "not have; leave out --guarantee");
    po.samples = so->samples;
    po.seed = so->seed;
    po.method = so->method;
    po.alpha = so->alpha;
    po.tolerance = so->tolerance;
    po.check = check;
    po.checkpoint = so->checkpoint;
    po.every = so->every;
    cli_output_file(so->output);
    status = cli_pair_run(cli, prof, &po);
    ntk_profile_clear(prof);
    cli_clear(cli);
    return status;
}

static int
run_sampling(const cli_command_t * cmd, int argc, char ** argv)
{
    cli_t cli;
    sample_opts_t so = { 0, 0, 0.0, CHECK_ALPHA_DEFAULT, 0, 0, 0, NTK_SAMPLE_AUTO, NULL, 0.0, NULL };
    cli_sampling_t run;
    ntk_profile_t prof;
    ntk_check_t ex;
    cli_check_t ck;
    cli_report_t info;
    ntk_sample_result_t res;
    cli_progress_t pr;
    ntk_sample_acc_t * blocks = NULL;
    FILE * out;
    slong b;
    int check = (cmd == &cli_cmd_check), fails = 0;
    cli_init(&cli, cmd);
    cli_parse(&cli, cmd, &so, argc, argv);
    sampling_options(&so, cmd, &cli, check);
    ntk_profile_init(prof);
    cli_profile(prof, &cli);
    sampling_law(&cli, &so);
    if (cli_two_inputs(&cli, 0))
        return run_pair(&cli, prof, &so, cmd, check);
    cli_output_file(so.output);
    cli_progress_start(&pr, &cli, "exact work");
    cli.exec->progress = cli_progress_update;
    cli.exec->progress_data = &pr;
    ntk_check_init(ex);
    /* the exact values are rank 0's to report */
    if (check && cli_dist_rank() == 0)
    {
        check_exact(ex, &cli, prof);
        check_plan(&ck, ex, &so, &cli, prof);
        if (ck.rule == CLI_RULE_GUARANTEE)
        {
            blocks = flint_malloc(ck.median.blocks * sizeof(ntk_sample_acc_t));
            for (b = 0; b < ck.median.blocks; b++)
                ntk_sample_acc_zero(blocks + b);
        }
    }
    cli_progress_finish(&pr);
    cli_progress_start(&pr, &cli, "samples");
    run.cli = &cli;
    run.profile = prof;
    run.method = so.method;
    run.pair = 0;
    run.samples = so.samples;
    run.seed = so.seed;
    run.checkpoint = so.checkpoint;
    run.every = so.every;
    run.median = blocks != NULL ? &ck.median : NULL;
    run.blocks = blocks;
    cli_sampling_run(&res, &run, &pr);
    cli_progress_finish(&pr);
    if (cli_dist_rank() == 0)
    {
        report_info(&info, &cli, prof, &so, &res);
        check_finite(&res, cli.order, cli.update);
        if (check)
            cli_check_decide(&ck, ex, &res, blocks);
        out = cli_output_open();
        if (check)
            fails = cli_report_check(out, cli.format, &info, &ex->moments, &res, &ck);
        else
            cli_report_sample(out, cli.format, &info, &res);
        cli_output_commit(out);
    }
    flint_free(blocks);
    ntk_check_clear(ex);
    ntk_profile_clear(prof);
    cli_clear(&cli);
    return fails ? 1 : 0;
}

static const char sample_description[] =
"Draws S random networks (zero biases, weights of variance c/n_{i-1}),\n"
"computes K by backpropagation and the first-SGD-update term by an exact\n"
"directional second derivative with the slopes frozen, and prints the mean\n"
"and standard error of every quantity of 'ntkexact moments'. With Gaussian\n"
"weights a network costs O(d n): each weight matrix is drawn only through its\n"
"action on the vectors the computation uses (--method projected); uniform\n"
"weights draw every weight, O(d n^2) (--method full).\n";

static const char check_description[] =
"Runs 'moments' and 'sample' and prints, for every quantity, the exact value,\n"
"the Monte Carlo estimate +- the sample's standard error, the exact standard\n"
"error (from the exact moments: Var K = E_K2 - E_K^2, Var K^2 = E_K4 - E_K2^2,\n"
"..., Var(N g_ww) = E_N2gww2 - E_Dww^2 from the update's second moment), and\n"
"z = (estimate - exact) / the larger of the two; the sample's alone where no\n"
"variance is exact (E_K3, E_K4 and their parts, the rows of --update: outside\n"
"the guarantee). Each row says which decided; a '*' marks a failure.\n"
"The rule and its level alpha are printed: by default the check fails correct\n"
"code with probability about alpha (Bonferroni, normal estimates); with\n"
"--guarantee at most alpha for any law with the exact variances (the median of\n"
"block means). A quantity that cannot be estimated is 'not estimable'.\n";

/* check computes the exact moments, as moments does; sample only rounds
   the values to doubles */
static const cli_bits_t sample_bits[] = { { NULL, 4096 } };
static const cli_bits_t check_bits[] = { { "activation", 512 }, { NULL, 1024 } };

const cli_command_t cli_cmd_sample = {
    "sample", "Monte Carlo estimates of the same, from real random networks",
    "sample --widths W --samples S [OPTIONS]", sample_description, sample_options,
    "Exit status: 0 on success, 1 when the output cannot be written, 2 on bad input.\n",
    sample_rejects, run_sampling, sample_bits
};

const cli_command_t cli_cmd_check = {
    "check", "exact values against Monte Carlo, with z-scores",
    "check --widths W [--samples S] [OPTIONS]", check_description, check_options,
    "Exit status: 0 when every decided row passes, 1 otherwise (or when the output\n"
    "cannot be written), 2 on bad input.\n",
    check_rejects, run_sampling, check_bits
};
