/* ntkexact: the command-line tool.  Argument parsing and subcommands only;
   everything else is in libntkexact. */

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ntkexact.h"
#include "cli.h"

static const char * const main_usage =
"Usage: ntkexact COMMAND [OPTIONS]\n"
"\n"
"Exact moments of the neural tangent kernel (NTK) of deep ReLU networks at\n"
"initialization, as rational numbers, for any profile of layer widths.\n"
"\n"
"Commands:\n"
"  moments   exact E[K], E[K^2], Var[K], E[dK] and their parts\n"
"  table     exact moments over a grid of profiles, as CSV or JSON Lines\n"
"  sample    Monte Carlo estimates of the same, from real random networks\n"
"  check     exact values against Monte Carlo, with z-scores\n"
"  expand    every moment as an exact function of the hidden width n\n"
"  limit     the limits as width and depth grow with depth/width -> beta\n"
"  compare-paper  the exact moments over the shapes of Hanin and Nica's theorems\n"
"  example   the moments of a built-in example profile, 10,100x10,1\n"
"  help      this text; 'ntkexact COMMAND --help' describes a command\n"
"  version   the version\n"
"\n"
"See ntkexact(1) and doc/ for the mathematics and the conventions.\n";

#define CONVENTION_HELP \
"  --widths W        n_0,n_1,...,n_d with n_d = 1; NxK means K layers of width N\n" \
"  --cw-hidden Q     weight variance c of hidden layers, > 0 (default 2)\n" \
"  --cw-output Q     weight variance c of the output layer, > 0 (default 1)\n" \
"  --param P         ntk (default) or standard parametrization of K_w\n" \
"  --no-bias         biases are not trainable parameters (K_b = 0)\n" \
"  --threads T       worker threads (default: the number of online CPUs);\n" \
"                    the output does not depend on it\n" \
"  --quiet           no progress line on stderr\n" \
"  --help            this text\n"

static const char * const moments_usage =
"Usage: ntkexact moments --widths W [OPTIONS]\n"
"\n"
"Prints E_K, E_Kw, E_Kb, E_K2, E_Kw2, E_Kb2, E_KwKb, Var_K, E_dK (= E[dK]/lambda),\n"
"E_Dww, E_Dwb, and the output moments E_N2, E_N4, exactly, for the diagonal NTK\n"
"K(x,x) of a ReLU network with zero biases at initialization.\n"
"\n"
"  --x2 Q|symbolic   ||x||^2, exact rational >= 0 (default 1); 'symbolic' prints\n"
"                    the coefficients of x2^0, x2^1, x2^2 (valid for x2 > 0)\n"
"  --mu4 Q           fourth moment of the weight law, >= 1 (default 3, Gaussian)\n"
"  --format F        text (default), json or csv\n"
"  --digits N        significant digits of the decimals, 1..1000 (default 20)\n"
"  --full            text format: print long fractions whole\n"
"  --precision BITS  floating point with BITS bits (MPFR) instead of exact\n"
"                    rationals, for profiles beyond exact reach: O(log d) per\n"
"                    run of equal widths; prints only the digits it guarantees\n"
"  --double          the same with 53 bits (15 digits)\n"
CONVENTION_HELP
"\n"
"Q is an integer, p/q, or a terminating decimal such as 2.27.\n"
"Exit status: 0 on success, 2 on bad input (message on stderr, nothing on stdout).\n";

static const char * const example_usage =
"Usage: ntkexact example [OPTIONS]\n"
"\n"
"The same as 'ntkexact moments --widths 10,100x10,1'; takes the options of\n"
"'ntkexact moments' (see its --help), --widths included.\n";

#define SAMPLING_HELP \
"  --samples S       number of random networks, >= 2 (required)\n" \
"  --seed N          seed, 0..2^64-1 (default 0): the same seed gives the same\n" \
"                    output for any --threads\n" \
"  --x2 Q            ||x||^2, exact rational >= 0 (default 1)\n" \
"  --mu4 3|9/5       Gaussian (default) or uniform weights\n" \
"  --format F        text (default), json or csv\n"

static const char * const sample_usage =
"Usage: ntkexact sample --widths W --samples S [OPTIONS]\n"
"\n"
"Draws S random ReLU networks (zero biases, weights of variance c/n_{i-1}),\n"
"computes K by backpropagation and the first-SGD-update term by an exact\n"
"directional second derivative with frozen relu masks, and prints the mean\n"
"and standard error of every quantity of 'ntkexact moments'.\n"
"\n"
SAMPLING_HELP
CONVENTION_HELP;

static const char * const check_usage =
"Usage: ntkexact check --widths W --samples S [OPTIONS]\n"
"\n"
"Runs 'moments' and 'sample' and prints, for every quantity, the exact value,\n"
"the Monte Carlo estimate +- its standard error, and the z-score; a '*' marks\n"
"|z| > Z. Exit status 0 when every |z| <= Z, 1 otherwise, 2 on bad input.\n"
"Heavy tails (small widths, deep networks) make standard errors unreliable:\n"
"the relative variance of K^2 grows like exp(20 beta).\n"
"\n"
SAMPLING_HELP
"  --tolerance Z     largest accepted |z| (default 5)\n"
"  --digits N        significant digits of the exact decimals (default 20)\n"
CONVENTION_HELP;

void
cli_die(const char * fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "ntkexact: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

/* Progress on stderr: only on a terminal, only after a second. */
typedef struct
{
    struct timespec start;
    double last;
    int shown;
    int enabled;
    const char * unit;
}
progress_state_t;

static double
seconds_since(const struct timespec * t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) (t.tv_sec - t0->tv_sec) + 1e-9 * (double) (t.tv_nsec - t0->tv_nsec);
}

static int
progress_print(void * data, slong done, slong total)
{
    progress_state_t * ps = data;
    double t = seconds_since(&ps->start);
    if (!ps->enabled || t < 1.0 || (t - ps->last < 0.25 && done < total))
        return 0;
    ps->last = t;
    ps->shown = 1;
    fprintf(stderr, "\r\033[Kntkexact: %ld/%ld %s (%.0f%%), %.3g per s, about %.0f s left",
            (long) done, (long) total, ps->unit, 100.0 * done / FLINT_MAX(total, 1),
            (double) done / t, done > 0 ? t * (double) (total - done) / (double) done : 0.0);
    fflush(stderr);
    return 0;
}

static void
progress_finish(progress_state_t * ps)
{
    if (ps->shown)
        fprintf(stderr, "\r\033[K");
}

/* Settings of one command. */
typedef struct
{
    const char * name;
    const char * widths;
    fmpq_t x2;
    int symbolic;
    ntk_format_t format;
    slong digits, samples;
    ulong seed;
    double tolerance;
    int full, quiet, sampling;
    slong precision;
}
cmd_t;

void
cli_parse_rational(fmpq_t res, const char * arg, const char * what)
{
    ntk_error_t err;
    if (ntk_fmpq_set_str_exact(res, arg, what, &err) != NTK_OK)
        cli_die("%s", err.message);
}

long
cli_parse_long(const char * arg, const char * what, long lo, long hi)
{
    char * end;
    long v;
    errno = 0;
    v = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
        cli_die("%s '%s' is not an integer in %ld..%ld", what, arg, lo, hi);
    return v;
}

static ulong
parse_seed(const char * arg)
{
    char * end;
    unsigned long long v;
    errno = 0;
    v = strtoull(arg, &end, 10);
    if (*arg == '\0' || *arg == '-' || *end != '\0' || errno != 0)
        cli_die("--seed '%s' is not an integer in 0..2^64-1", arg);
    return (ulong) v;
}

ntk_format_t
cli_parse_format(const char * arg)
{
    if (strcmp(arg, "text") == 0) return NTK_FORMAT_TEXT;
    if (strcmp(arg, "json") == 0) return NTK_FORMAT_JSON;
    if (strcmp(arg, "csv") == 0) return NTK_FORMAT_CSV;
    cli_die("--format '%s' is not one of text, json, csv", arg);
    return NTK_FORMAT_TEXT;
}

int
cli_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (int) FLINT_MIN(n, 64);
}

enum { OPT_X2 = 256,
       OPT_FORMAT, OPT_DIGITS, OPT_FULL, OPT_THREADS, OPT_QUIET, OPT_WIDTHS, OPT_HELP,
       OPT_SAMPLES, OPT_SEED, OPT_TOLERANCE, OPT_PRECISION, OPT_DOUBLE };

static const struct option cli_options[] = {
    { "widths", required_argument, NULL, OPT_WIDTHS },
    { "x2", required_argument, NULL, OPT_X2 },
    CLI_CONVENTION_OPTIONS,
    { "format", required_argument, NULL, OPT_FORMAT },
    { "digits", required_argument, NULL, OPT_DIGITS },
    { "full", no_argument, NULL, OPT_FULL },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "quiet", no_argument, NULL, OPT_QUIET },
    { "help", no_argument, NULL, OPT_HELP },
    { "samples", required_argument, NULL, OPT_SAMPLES },
    { "seed", required_argument, NULL, OPT_SEED },
    { "tolerance", required_argument, NULL, OPT_TOLERANCE },
    { "precision", required_argument, NULL, OPT_PRECISION },
    { "double", no_argument, NULL, OPT_DOUBLE },
    { NULL, 0, NULL, 0 }
};

int
cli_convention_option(ntk_options_t opt, int c, const char * arg)
{
    switch (c)
    {
        case 'm': cli_parse_rational(opt->mu4, arg, "--mu4"); return 1;
        case 'h': cli_parse_rational(opt->cw_hidden, arg, "--cw-hidden"); return 1;
        case 'c': cli_parse_rational(opt->cw_output, arg, "--cw-output"); return 1;
        case 'p':
            if (strcmp(arg, "ntk") == 0) opt->param = NTK_PARAM_NTK;
            else if (strcmp(arg, "standard") == 0) opt->param = NTK_PARAM_STANDARD;
            else cli_die("--param '%s' is not one of ntk, standard", arg);
            return 1;
        case 'B': opt->bias = 0; return 1;
    }
    return 0;
}

/* Applies an option that every command takes; 0 if c is not one. */
static int
common_option(cmd_t * cmd, ntk_options_t opt, int c, const char * arg)
{
    if (cli_convention_option(opt, c, arg))
        return 1;
    switch (c)
    {
        case OPT_WIDTHS: cmd->widths = arg; return 1;
        case OPT_X2:
            cmd->symbolic = (strcmp(arg, "symbolic") == 0);
            if (cmd->symbolic && cmd->sampling)
                cli_die("%s: --x2 symbolic is for 'moments'; sampling needs a number", cmd->name);
            if (!cmd->symbolic)
            {
                cli_parse_rational(cmd->x2, arg, "--x2");
                if (fmpq_sgn(cmd->x2) < 0)
                    cli_die("--x2 '%s': the squared norm of the input must be >= 0", arg);
            }
            return 1;
        case OPT_FORMAT: cmd->format = cli_parse_format(arg); return 1;
        case OPT_THREADS: opt->threads = (int) cli_parse_long(arg, "--threads", 1, 64); return 1;
        case OPT_QUIET: cmd->quiet = 1; return 1;
    }
    return 0;
}

/* Non-zero when option c applies to the command. */
static int
option_applies(const cmd_t * cmd, int c)
{
    int check = strcmp(cmd->name, "check") == 0;
    switch (c)
    {
        case OPT_DIGITS: return !cmd->sampling || check;
        case OPT_FULL: case OPT_PRECISION: case OPT_DOUBLE: return !cmd->sampling;
        case OPT_SAMPLES: case OPT_SEED: return cmd->sampling;
        case OPT_TOLERANCE: return check;
    }
    return 1;
}

/* Applies an option that only some commands take. */
static void
command_option(cmd_t * cmd, int c, const char * arg)
{
    char * end;
    switch (c)
    {
        case OPT_DIGITS: cmd->digits = cli_parse_long(arg, "--digits", 1, 1000); break;
        case OPT_FULL: cmd->full = 1; break;
        case OPT_PRECISION:
            cmd->precision = cli_parse_long(arg, "--precision", 2, (long) NTK_PRECISION_MAX);
            break;
        case OPT_DOUBLE: cmd->precision = 53; break;
        case OPT_SAMPLES: cmd->samples = cli_parse_long(arg, "--samples", 2, 1000000000000L); break;
        case OPT_SEED: cmd->seed = parse_seed(arg); break;
        case OPT_TOLERANCE:
            cmd->tolerance = strtod(arg, &end);
            if (*arg == '\0' || *end != '\0' || !(cmd->tolerance > 0) || !isfinite(cmd->tolerance))
                cli_die("--tolerance '%s' is not a positive number", arg);
            break;
    }
}

/* Parses argv into cmd and opt; prints usage and exits on --help. */
static void
parse_args(cmd_t * cmd, ntk_options_t opt, int argc, char ** argv, const char * usage)
{
    int c, idx = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", cli_options, &idx)) != -1)
    {
        if (c == '?')
            cli_die("%s: unknown option or missing value '%s' (see 'ntkexact %s --help')",
                    cmd->name, argv[optind - 1], cmd->name);
        if (c == OPT_HELP)
        {
            fputs(usage, stdout);
            exit(0);
        }
        if (!option_applies(cmd, c))
            cli_die("%s: option '--%s' does not apply (see 'ntkexact %s --help')",
                    cmd->name, cli_options[idx].name, cmd->name);
        if (!common_option(cmd, opt, c, optarg))
            command_option(cmd, c, optarg);
    }
    if (optind < argc)
        cli_die("%s: unexpected argument '%s'", cmd->name, argv[optind]);
}

static void
cmd_init(cmd_t * cmd, ntk_options_t opt, const char * name, int sampling)
{
    memset(cmd, 0, sizeof(*cmd));
    cmd->name = name;
    cmd->sampling = sampling;
    fmpq_init(cmd->x2);
    fmpq_one(cmd->x2);
    cmd->digits = 20;
    cmd->tolerance = 5.0;
    ntk_options_init(opt);
    opt->threads = cli_default_threads();
}

static void
cmd_clear(cmd_t * cmd, ntk_options_t opt)
{
    ntk_options_clear(opt);
    fmpq_clear(cmd->x2);
    flint_cleanup();
}

/* The profile and validated options of a command, and its progress line. */
static void
cmd_prepare(cmd_t * cmd, ntk_options_t opt, ntk_profile_t prof, progress_state_t * ps)
{
    ntk_error_t err;
    if (cmd->widths == NULL)
        cli_die("%s: --widths is required (for example --widths 10,100x10,1)", cmd->name);
    if (cmd->sampling && cmd->samples == 0)
        cli_die("%s: --samples is required (for example --samples 100000)", cmd->name);
    if (ntk_profile_set_str(prof, cmd->widths, &err) != NTK_OK)
        cli_die("%s", err.message);
    if (ntk_options_validate(opt, &err) != NTK_OK)
        cli_die("%s", err.message);
    clock_gettime(CLOCK_MONOTONIC, &ps->start);
    ps->last = 0;
    ps->shown = 0;
    ps->enabled = !cmd->quiet && isatty(2);
    ps->unit = cmd->sampling ? "samples" : "layer steps";
    opt->progress = progress_print;
    opt->progress_data = ps;
}

static void
cmd_info(ntk_report_info_t * info, const cmd_t * cmd, const ntk_options_t opt,
         const ntk_profile_t prof)
{
    info->profile = prof;
    info->options = opt;
    info->x2 = cmd->symbolic ? NULL : cmd->x2;
    info->digits = cmd->digits;
    info->full = cmd->full;
    info->samples = cmd->samples;
    info->seed = cmd->seed;
}

static int
cmd_moments(int argc, char ** argv, const char * default_widths)
{
    cmd_t cmd;
    ntk_options_t opt;
    ntk_profile_t prof;
    ntk_moments_t m;
    ntk_error_t err;
    ntk_report_info_t info;
    progress_state_t ps;
    cmd_init(&cmd, opt, argv[0], 0);
    cmd.widths = default_widths;
    parse_args(&cmd, opt, argc, argv, default_widths ? example_usage : moments_usage);
    opt->precision = cmd.precision;
    if (cmd.precision > 0 && cmd.symbolic)
        cli_die("%s: --x2 symbolic is exact only; drop --precision/--double", cmd.name);
    if (default_widths != NULL && !cmd.quiet)
        fprintf(stderr, "ntkexact example: ntkexact moments --widths %s\n", cmd.widths);
    ntk_profile_init(prof);
    cmd_prepare(&cmd, opt, prof, &ps);
    ntk_moments_init(m);
    if (ntk_moments_compute(m, prof, opt, &err) != NTK_OK)
        cli_die("%s", err.message);
    progress_finish(&ps);
    cmd_info(&info, &cmd, opt, prof);
    ntk_report_moments(stdout, cmd.format, &info, m);
    ntk_moments_clear(m);
    ntk_profile_clear(prof);
    cmd_clear(&cmd, opt);
    return 0;
}

/* sample and check: Monte Carlo, and for check the exact values too. */
static int
cmd_sampling(int argc, char ** argv, int check)
{
    cmd_t cmd;
    ntk_options_t opt;
    ntk_profile_t prof;
    ntk_moments_t m;
    ntk_error_t err;
    ntk_report_info_t info;
    ntk_sample_result_t res;
    progress_state_t ps;
    int fails = 0;
    cmd_init(&cmd, opt, argv[0], 1);
    parse_args(&cmd, opt, argc, argv, check ? check_usage : sample_usage);
    ntk_profile_init(prof);
    cmd_prepare(&cmd, opt, prof, &ps);
    ntk_moments_init(m);
    if (check && ntk_moments_compute(m, prof, opt, &err) != NTK_OK)
        cli_die("%s", err.message);
    clock_gettime(CLOCK_MONOTONIC, &ps.start);
    if (ntk_sample_run(&res, prof, opt, cmd.x2, cmd.samples, cmd.seed, &err) != NTK_OK)
        cli_die("%s", err.message);
    progress_finish(&ps);
    cmd_info(&info, &cmd, opt, prof);
    if (check)
        fails = ntk_report_check(stdout, cmd.format, &info, m, &res, cmd.tolerance);
    else
        ntk_report_sample(stdout, cmd.format, &info, &res);
    ntk_moments_clear(m);
    ntk_profile_clear(prof);
    cmd_clear(&cmd, opt);
    return fails ? 1 : 0;
}

int
main(int argc, char ** argv)
{
    const char * cmd = argc > 1 ? argv[1] : "help";
    if (strcmp(cmd, "moments") == 0)
        return cmd_moments(argc - 1, argv + 1, NULL);
    if (strcmp(cmd, "example") == 0)
        return cmd_moments(argc - 1, argv + 1, "10,100x10,1");
    if (strcmp(cmd, "sample") == 0)
        return cmd_sampling(argc - 1, argv + 1, 0);
    if (strcmp(cmd, "check") == 0)
        return cmd_sampling(argc - 1, argv + 1, 1);
    if (strcmp(cmd, "limit") == 0)
        return cli_cmd_limit(argc - 1, argv + 1);
    if (strcmp(cmd, "expand") == 0)
        return cli_cmd_expand(argc - 1, argv + 1);
    if (strcmp(cmd, "table") == 0)
        return cli_cmd_table(argc - 1, argv + 1);
    if (strcmp(cmd, "compare-paper") == 0)
        return cli_cmd_compare_paper(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0)
    {
        printf("ntkexact %s\n", NTK_VERSION_STRING);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
    {
        fputs(main_usage, stdout);
        return argc > 1 ? 0 : 2;
    }
    cli_die("unknown command '%s' (commands: moments, table, sample, check, expand, limit, compare-paper, example, help, version)", cmd);
}
