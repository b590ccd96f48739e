/* ntkexact sample (Monte Carlo estimates) and ntkexact check (exact values
   against them, with z-scores). */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "dist.h"
#include "report.h"
#include "sampling.h"

typedef struct
{
    slong samples;
    ulong seed;
    double tolerance;
    int mu4_given;
    ntk_sample_method_t method;
    const char * checkpoint;
    double every;
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

static void
apply_tolerance(cli_t * cli, void * data, const char * arg)
{
    char * end;
    double z = strtod(arg, &end);
    /* strtod would also take spaces, "inf" and hex: the grammar is decimal */
    if (!((*arg >= '0' && *arg <= '9') || *arg == '.') || *end != '\0' || !(z > 0)
        || !isfinite(z) || strspn(arg, "0123456789.eE+-") != strlen(arg))
        cli_die("--tolerance '%s' is not a positive number", arg);
    ((sample_opts_t *) data)->tolerance = z;
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
    ((sample_opts_t *) data)->checkpoint = arg;
}

static void
apply_checkpoint_every(cli_t * cli, void * data, const char * arg)
{
    ((sample_opts_t *) data)->every = cli_parse_seconds(arg, "--checkpoint-every");
}

static const cli_option_t opt_checkpoint = { "checkpoint", "FILE",
    "save the run in FILE every --checkpoint-every seconds and\n"
    "at SIGINT/SIGTERM; the same command resumes from it", NULL, apply_checkpoint };
static const cli_option_t opt_checkpoint_every = { "checkpoint-every", "SECONDS",
    "seconds between checkpoints (default 60)", NULL, apply_checkpoint_every };

static const cli_option_t opt_samples = { "samples", "S", "number of random networks, >= 2 (required)",
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
static const cli_option_t opt_tolerance = { "tolerance", "Z", "largest accepted |z| (default 5)",
                                            NULL, apply_tolerance };

static const cli_option_t opt_update = { "update", NULL,
    "add the estimates of the first SGD update's second moment\n"
    "at the target y = 0: E_g2, E_N2g2 and its parts, E_dK2,\n"
    "Var_dK (RelVar_dK is not estimated)", NULL, cli_apply_update };

static const cli_option_t * const sample_options[] = {
    &cli_opt_widths, &opt_samples, &opt_seed, &cli_opt_x2, &opt_mu4, &opt_law, &opt_method,
    &cli_opt_cw_hidden, &cli_opt_cw_output, &cli_opt_param, &cli_opt_no_bias, &cli_opt_activation,
    &opt_format, &cli_opt_order, &opt_update, &opt_checkpoint, &opt_checkpoint_every,
    &cli_opt_threads, &cli_opt_quiet, &cli_opt_progress, NULL
};

/* The sampler estimates the update's second moment at y = 0 only. */
static const cli_reject_t sample_rejects[] = {
    { "target", "the sampler estimates E_dK2 and Var_dK at the target y = 0; 'ntkexact moments "
                "--target Y' gives them exactly at any y" },
    { NULL, NULL }
};

static const cli_option_t * const check_options[] = {
    &cli_opt_widths, &opt_samples, &opt_seed, &cli_opt_x2, &opt_mu4, &opt_law, &opt_method,
    &cli_opt_cw_hidden, &cli_opt_cw_output, &cli_opt_param, &cli_opt_no_bias, &cli_opt_activation,
    &opt_format,
    &cli_opt_order, &opt_tolerance, &cli_opt_digits, &opt_checkpoint, &opt_checkpoint_every,
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

/* With Gaussian weights the standard errors of E_N6 and E_N8 are exact:
   sqrt((E[N^4k] - E[N^2k]^2) / S) from the closed form, k = 3, 4.  The
   sample's own come from its second moment of N^12 and N^16, which misses
   the tail at any practical S and made correct values fail (|z| > 6 in 1
   of 12 seeds of 4,20x3,1 at 20000 samples). */
static int
exact_output_stderr(ntk_sample_result_t * res, const cli_t * cli, const ntk_profile_t prof)
{
    static const ntk_quantity_t q[2] = { NTK_E_N6, NTK_E_N8 };
    ntk_error_t err;
    fmpq_t lo, hi;
    fmpz_t n;
    int i;
    if (cli->order < 3 || cli->law != NTK_LAW_GAUSSIAN)
        return 0;
    fmpq_init(lo); fmpq_init(hi);
    fmpz_init_set_si(n, res->samples);
    for (i = 0; i < 2; i++)
    {
        ulong k = 3 + (ulong) i;
        if (ntk_moments_output_power(lo, prof, cli->conv, cli->x2, k, &err) != NTK_OK
            || ntk_moments_output_power(hi, prof, cli->conv, cli->x2, 2 * k, &err) != NTK_OK)
            cli_fail(&err, NULL);
        fmpq_mul(lo, lo, lo);
        fmpq_sub(hi, hi, lo);
        fmpq_div_fmpz(hi, hi, n);
        res->std_error[q[i]] = sqrt(fmpq_get_d(hi));
    }
    fmpq_clear(lo); fmpq_clear(hi);
    fmpz_clear(n);
    return 1;
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

static int
run_sampling(const cli_command_t * cmd, int argc, char ** argv)
{
    cli_t cli;
    sample_opts_t so = { 0, 0, 5.0, 0, NTK_SAMPLE_AUTO, NULL, 0.0 };
    cli_sampling_t run;
    ntk_profile_t prof;
    ntk_moments_t m;
    ntk_error_t err;
    cli_report_t info;
    ntk_sample_result_t res;
    cli_progress_t pr;
    FILE * out;
    int check = (cmd == &cli_cmd_check), fails = 0;
    cli_init(&cli, cmd);
    cli_parse(&cli, cmd, &so, argc, argv);
    if (cli.x2_symbolic)
        cli_die("%s: --x2 symbolic is for 'moments'; sampling needs a number", cmd->name);
    ntk_profile_init(prof);
    if (cli.widths == NULL)
        cli_die("%s: --widths is required (for example --widths 10,100x10,1)", cmd->name);
    if (so.samples == 0)
        cli_die("%s: --samples is required (for example --samples 100000)", cmd->name);
    if (so.every > 0 && so.checkpoint == NULL)
        cli_die("%s: --checkpoint-every needs --checkpoint FILE", cmd->name);
    if (so.every == 0)
        so.every = CLI_CHECKPOINT_EVERY_DEFAULT;
    cli_profile(prof, &cli);
    if (ntk_conv_validate(cli.conv, &err) != NTK_OK)
        cli_fail(&err, NULL);
    sample_law(&cli, so.mu4_given);
    /* --order 3|4: the exact engine takes mu6, mu8 from the sampled law */
    ntk_law_moment(cli.conv->mu6, cli.law, 6);
    ntk_law_moment(cli.conv->mu8, cli.law, 8);
    if (so.method == NTK_SAMPLE_PROJECTED && cli.law != NTK_LAW_GAUSSIAN)
        cli_die("--method projected needs Gaussian weights (--mu4 3); the %s law takes "
                "--method full", ntk_law_name(cli.law));
    cli_progress_start(&pr, &cli, "exact work");
    cli.exec->progress = cli_progress_update;
    cli.exec->progress_data = &pr;
    ntk_moments_init(m);
    /* the exact values are rank 0's to report */
    if (check && cli_dist_rank() == 0
        && ntk_moments_compute_order(m, prof, cli.conv, cli.order, cli.exec, &err) != NTK_OK)
        cli_fail(&err, "use --no-bias");
    cli_progress_finish(&pr);
    cli_progress_start(&pr, &cli, "samples");
    run.cli = &cli;
    run.profile = prof;
    run.method = so.method;
    run.samples = so.samples;
    run.seed = so.seed;
    run.checkpoint = so.checkpoint;
    run.every = so.every;
    cli_sampling_run(&res, &run, &pr);
    cli_progress_finish(&pr);
    if (cli_dist_rank() != 0)
    {
        ntk_moments_clear(m);
        ntk_profile_clear(prof);
        cli_clear(&cli);
        return 0;
    }
    memset(&info, 0, sizeof(info));
    info.profile = prof;
    info.conv = cli.conv;
    info.x2 = cli.x2;
    info.digits = cli.digits;
    info.threads = cli.exec->threads;
    info.samples = so.samples;
    info.activation = cli.activation_given;
    info.seed = so.seed;
    info.order = cli.order;
    info.update = cli.update;
    info.method = ntk_sample_method_name(res.method);
    if (check)
        info.exact_stderr = exact_output_stderr(&res, &cli, prof);
    check_finite(&res, cli.order, cli.update);
    out = cli_output_open();
    if (check)
        fails = cli_report_check(out, cli.format, &info, m, &res, so.tolerance);
    else
        cli_report_sample(out, cli.format, &info, &res);
    cli_output_commit(out);
    ntk_moments_clear(m);
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
"the Monte Carlo estimate +- its standard error, and the z-score; a '*' marks\n"
"|z| > Z. Heavy tails (small widths, deep networks) make standard errors\n"
"unreliable: the relative variance of K^2 grows like exp(20 beta).\n";

const cli_command_t cli_cmd_sample = {
    "sample", "Monte Carlo estimates of the same, from real random networks",
    "sample --widths W --samples S [OPTIONS]", sample_description, sample_options,
    "Exit status: 0 on success, 1 when the output cannot be written, 2 on bad input.\n",
    sample_rejects, run_sampling
};

const cli_command_t cli_cmd_check = {
    "check", "exact values against Monte Carlo, with z-scores",
    "check --widths W --samples S [OPTIONS]", check_description, check_options,
    "Exit status: 0 when every |z| <= Z, 1 otherwise (or when the output cannot be\n"
    "written), 2 on bad input.\n",
    NULL, run_sampling
};
