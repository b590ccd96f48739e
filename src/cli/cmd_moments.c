/* ntkexact moments, and ntkexact example (moments of a built-in profile). */

#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "report.h"

#define EXAMPLE_WIDTHS "10,100x10,1"

typedef struct
{
    int full;
    slong precision;
    int precision_given, double_given;
}
moments_opts_t;

static void
apply_format(cli_t * cli, void * data, const char * arg)
{
    cli->format = cli_parse_format(arg, 1 << CLI_FORMAT_TEXT | 1 << CLI_FORMAT_JSON
                                        | 1 << CLI_FORMAT_CSV, "--format");
}

static void
apply_full(cli_t * cli, void * data, const char * arg)
{
    ((moments_opts_t *) data)->full = 1;
}

static void
apply_precision(cli_t * cli, void * data, const char * arg)
{
    ((moments_opts_t *) data)->precision = cli_parse_long(arg, "--precision", 2,
                                                          (long) NTK_PRECISION_MAX);
    ((moments_opts_t *) data)->precision_given = 1;
}

static void
apply_double(cli_t * cli, void * data, const char * arg)
{
    ((moments_opts_t *) data)->precision = 53;
    ((moments_opts_t *) data)->double_given = 1;
}

static const cli_option_t opt_x2 = { "x2", "Q|symbolic",
    "||x||^2, exact rational >= 0 (default 1); 'symbolic' prints\n"
    "the coefficients of x2^0, x2^1, x2^2 (up to x2^4 with\n"
    "--order 3|4 or --update; valid for x2 > 0)", "x2", cli_apply_x2 };
static const cli_option_t opt_format = { "format", "F", "text (default), json or csv", NULL,
                                         apply_format };
static const cli_option_t opt_full = { "full", NULL, "text format: print long fractions whole",
                                       NULL, apply_full };
static const cli_option_t opt_precision = { "precision", "BITS",
    "floating point with BITS bits (MPFR) instead of exact\n"
    "rationals, for profiles beyond exact reach: O(log d) per\n"
    "run of equal widths; prints only the digits it guarantees", "precision", apply_precision };
static const cli_option_t opt_double = { "double", NULL, "the same with 53 bits (15 digits)", NULL,
                                         apply_double };

static const cli_option_t * const moments_options[] = {
    &cli_opt_widths, &opt_x2, CLI_OPTS_CONVENTIONS, &cli_opt_order, &cli_opt_mu6, &cli_opt_mu8,
    &cli_opt_update, &cli_opt_target, &opt_format, &cli_opt_digits, &opt_full,
    &opt_precision, &opt_double, &cli_opt_threads, &cli_opt_quiet, &cli_opt_progress, NULL
};

static const char moments_footer[] =
"Q is an integer, p/q, or a terminating decimal such as 2.27.\n"
"Exit status: 0 on success, 1 when the output cannot be written, 2 on bad\n"
"input (message on stderr, nothing on stdout).\n";

static int
run_moments(const cli_command_t * cmd, int argc, char ** argv)
{
    cli_t cli;
    moments_opts_t mo = { 0, 0, 0, 0 };
    ntk_profile_t prof;
    ntk_moments_t m;
    ntk_error_t err;
    cli_report_t info;
    cli_progress_t pr;
    FILE * out;
    int example = (cmd == &cli_cmd_example);
    cli_init(&cli, cmd);
    if (example)
        cli.widths = EXAMPLE_WIDTHS;
    cli_parse(&cli, cmd, &mo, argc, argv);
    cli.exec->precision = mo.precision;
    if (mo.precision_given && mo.double_given)
        cli_die("%s: give one of --precision BITS and --double (53 bits)", cmd->name);
    if (mo.full && (cli.format != CLI_FORMAT_TEXT || mo.precision > 0))
        cli_die("%s: --full applies to the exact fractions of the text format (JSON and CSV print "
                "them whole; --precision and --double print none)", cmd->name);
    if (mo.precision > 0 && cli.x2_symbolic)
        cli_die("%s: --x2 symbolic is exact only; drop --precision/--double", cmd->name);
    /* the example says what it runs, to a person at a terminal */
    if (example && !cli.quiet && isatty(2))
        fprintf(stderr, "ntkexact example: ntkexact moments --widths %s\n", cli.widths);
    ntk_profile_init(prof);
    cli_profile(prof, &cli);
    cli_law_moments(&cli);
    cli_progress_start(&pr, &cli, "work");
    if (mo.precision == 0)
        pr.hint = "this exact computation will take over a minute; --double or --precision 128 "
                  "gives its digits in a fraction of a second";
    cli.exec->progress = cli_progress_update;
    cli.exec->progress_data = &pr;
    ntk_moments_init(m);
    if ((cli.update ? ntk_moments_compute_update(m, prof, cli.conv, cli.order, cli.exec, &err)
                    : ntk_moments_compute_order(m, prof, cli.conv, cli.order, cli.exec, &err))
        != NTK_OK)
        cli_fail(&err, "use --no-bias or --precision");
    cli_progress_finish(&pr);
    memset(&info, 0, sizeof(info));
    info.profile = prof;
    info.conv = cli.conv;
    info.precision = mo.precision;
    info.x2 = cli.x2_symbolic ? NULL : cli.x2;
    info.digits = cli.digits;
    info.full = mo.full;
    info.threads = cli.exec->threads;
    info.activation = cli.activation_given;
    info.order = cli.order;
    info.update = cli.update;
    info.target = cli.target;
    out = cli_output_open();
    if (cli_report_moments(out, cli.format, &info, m, &err) != NTK_OK)
        cli_fail(&err, NULL);
    cli_output_commit(out);
    ntk_moments_clear(m);
    ntk_profile_clear(prof);
    cli_clear(&cli);
    return 0;
}

/* --order 4 on 3,2,1 with every rational at these bounds took 3.2 s (the
   slopes weigh most: at 2048 bits, and the rest too, 9 s); doc/ntkexact.1,
   OPTIONS */
static const cli_bits_t moments_bits[] = { { "activation", 512 }, { NULL, 1024 } };

const cli_command_t cli_cmd_moments = {
    "moments", "exact E[K], E[K^2], Var[K], E[dK] and their parts",
    "moments --widths W [OPTIONS]",
    "Prints E_K, E_Kw, E_Kb, E_K2, E_Kw2, E_Kb2, E_KwKb, Var_K, E_dK (= E[dK]/lambda),\n"
    "E_Dww, E_Dwb, and the output moments E_N2, E_N4, exactly, for the diagonal NTK\n"
    "K(x,x) of a ReLU network (or another --activation) with zero biases at\n"
    "initialization; with --order 3 or 4 also E[K^3], E[K^4], their parts, the\n"
    "central moments, the skewness and excess kurtosis, E[N^6] and E[N^8]; with\n"
    "--update (or --target Y) the second moment of the first SGD update,\n"
    "E[dK^2]/lambda^2 = 4 (E_N2g2 + y^2 E_g2), its variance and Var_dK/E_dK^2.\n",
    moments_options, moments_footer, NULL, run_moments, moments_bits
};

const cli_command_t cli_cmd_example = {
    "example", "the moments of a built-in example profile, " EXAMPLE_WIDTHS,
    "example [OPTIONS]",
    "The same as 'ntkexact moments --widths " EXAMPLE_WIDTHS "', with every option of\n"
    "'ntkexact moments', --widths included.\n",
    moments_options, moments_footer, NULL, run_moments, moments_bits
};
