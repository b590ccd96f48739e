/* ntkexact: the command-line tool.  Argument parsing and subcommands only;
   everything else is in libntkexact. */

#include <getopt.h>
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
"  example   the moments of a built-in example profile, 10,100x10,1\n"
"  help      this text; 'ntkexact COMMAND --help' describes a command\n"
"  version   the version\n"
"\n"
"See ntkexact(1) and doc/ for the mathematics and the conventions.\n";

static const char * const moments_usage =
"Usage: ntkexact moments --widths W [OPTIONS]\n"
"\n"
"Prints E_K, E_Kw, E_Kb, E_K2, E_Kw2, E_Kb2, E_KwKb, Var_K, E_dK (= E[dK]/lambda),\n"
"E_Dww, E_Dwb, and the output moments E_N2, E_N4, exactly, for the diagonal NTK\n"
"K(x,x) of a ReLU network with zero biases at initialization.\n"
"\n"
"  --widths W        n_0,n_1,...,n_d with n_d = 1; NxK means K layers of width N\n"
"  --x2 Q|symbolic   ||x||^2, exact rational >= 0 (default 1); 'symbolic' prints\n"
"                    the coefficients of x2^0, x2^1, x2^2 (valid for x2 > 0)\n"
"  --mu4 Q           fourth moment of the weight law, >= 1 (default 3, Gaussian)\n"
"  --cw-hidden Q     weight variance c of hidden layers, > 0 (default 2)\n"
"  --cw-output Q     weight variance c of the output layer, > 0 (default 1)\n"
"  --param P         ntk (default) or standard parametrization of K_w\n"
"  --no-bias         biases are not trainable parameters (K_b = 0)\n"
"  --format F        text (default), json or csv\n"
"  --digits N        significant digits of the decimals, 1..1000 (default 20)\n"
"  --full            text format: print long fractions whole\n"
"  --threads T       worker threads (default: the number of online CPUs)\n"
"  --quiet           no progress line on stderr\n"
"  --help            this text\n"
"\n"
"Q is an integer, p/q, or a terminating decimal such as 2.27.\n"
"Exit status: 0 on success, 2 on bad input (message on stderr, nothing on stdout).\n";

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
    fprintf(stderr, "\rntkexact: %ld/%ld layer steps (%.0f%%), %.1f s, about %.0f s left   ",
            (long) done, (long) total, 100.0 * done / FLINT_MAX(total, 1), t,
            done > 0 ? t * (double) (total - done) / (double) done : 0.0);
    fflush(stderr);
    return 0;
}

static void
progress_finish(progress_state_t * ps)
{
    if (ps->shown)
        fprintf(stderr, "\r%70s\r", "");
}

/* Settings of the moments command. */
typedef struct
{
    const char * widths;
    fmpq_t x2;
    int symbolic;
    ntk_format_t format;
    slong digits;
    int full, quiet;
}
moments_cmd_t;

static void
parse_rational(fmpq_t res, const char * arg, const char * what)
{
    ntk_error_t err;
    if (ntk_fmpq_set_str_exact(res, arg, what, &err) != NTK_OK)
        cli_die("%s", err.message);
}

long
cli_parse_long(const char * arg, const char * what, long lo, long hi)
{
    char * end;
    long v = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || v < lo || v > hi)
        cli_die("%s '%s' is not an integer in %ld..%ld", what, arg, lo, hi);
    return v;
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

enum { OPT_X2 = 256, OPT_MU4, OPT_CWH, OPT_CWO, OPT_PARAM, OPT_NOBIAS,
       OPT_FORMAT, OPT_DIGITS, OPT_FULL, OPT_THREADS, OPT_QUIET, OPT_WIDTHS, OPT_HELP };

static const struct option moments_options[] = {
    { "widths", required_argument, NULL, OPT_WIDTHS },
    { "x2", required_argument, NULL, OPT_X2 },
    { "mu4", required_argument, NULL, OPT_MU4 },
    { "cw-hidden", required_argument, NULL, OPT_CWH },
    { "cw-output", required_argument, NULL, OPT_CWO },
    { "param", required_argument, NULL, OPT_PARAM },
    { "no-bias", no_argument, NULL, OPT_NOBIAS },
    { "format", required_argument, NULL, OPT_FORMAT },
    { "digits", required_argument, NULL, OPT_DIGITS },
    { "full", no_argument, NULL, OPT_FULL },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "quiet", no_argument, NULL, OPT_QUIET },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 }
};

/* Applies one option of the moments command. */
static void
moments_option(moments_cmd_t * cmd, ntk_options_t opt, int c, const char * arg)
{
    switch (c)
    {
        case OPT_WIDTHS: cmd->widths = arg; break;
        case OPT_X2:
            cmd->symbolic = (strcmp(arg, "symbolic") == 0);
            if (!cmd->symbolic)
            {
                parse_rational(cmd->x2, arg, "--x2");
                if (fmpq_sgn(cmd->x2) < 0)
                    cli_die("--x2 '%s': the squared norm of the input must be >= 0", arg);
            }
            break;
        case OPT_MU4: parse_rational(opt->mu4, arg, "--mu4"); break;
        case OPT_CWH: parse_rational(opt->cw_hidden, arg, "--cw-hidden"); break;
        case OPT_CWO: parse_rational(opt->cw_output, arg, "--cw-output"); break;
        case OPT_PARAM:
            if (strcmp(arg, "ntk") == 0) opt->param = NTK_PARAM_NTK;
            else if (strcmp(arg, "standard") == 0) opt->param = NTK_PARAM_STANDARD;
            else cli_die("--param '%s' is not one of ntk, standard", arg);
            break;
        case OPT_NOBIAS: opt->bias = 0; break;
        case OPT_FORMAT: cmd->format = cli_parse_format(arg); break;
        case OPT_DIGITS: cmd->digits = cli_parse_long(arg, "--digits", 1, 1000); break;
        case OPT_FULL: cmd->full = 1; break;
        case OPT_THREADS: opt->threads = (int) cli_parse_long(arg, "--threads", 1, 64); break;
        case OPT_QUIET: cmd->quiet = 1; break;
        case OPT_HELP: fputs(moments_usage, stdout); exit(0);
        default: cli_die("moments: unknown option (see 'ntkexact moments --help')");
    }
}

static int
run_moments(moments_cmd_t * cmd, ntk_options_t opt)
{
    ntk_profile_t prof;
    ntk_moments_t m;
    ntk_error_t err;
    ntk_report_info_t info;
    progress_state_t ps;
    if (cmd->widths == NULL)
        cli_die("moments: --widths is required (for example --widths 10,100x10,1)");
    ntk_profile_init(prof);
    if (ntk_profile_set_str(prof, cmd->widths, &err) != NTK_OK)
        cli_die("%s", err.message);
    if (ntk_options_validate(opt, &err) != NTK_OK)
        cli_die("%s", err.message);
    clock_gettime(CLOCK_MONOTONIC, &ps.start);
    ps.last = 0; ps.shown = 0;
    ps.enabled = !cmd->quiet && isatty(2);
    opt->progress = progress_print;
    opt->progress_data = &ps;
    ntk_moments_init(m);
    if (ntk_moments_compute(m, prof, opt, &err) != NTK_OK)
        cli_die("%s", err.message);
    progress_finish(&ps);
    info.profile = prof;
    info.options = opt;
    info.x2 = cmd->symbolic ? NULL : cmd->x2;
    info.digits = cmd->digits;
    info.full = cmd->full;
    ntk_report_moments(stdout, cmd->format, &info, m);
    ntk_moments_clear(m);
    ntk_profile_clear(prof);
    return 0;
}

static int
cmd_moments(int argc, char ** argv, const char * default_widths)
{
    moments_cmd_t cmd;
    ntk_options_t opt;
    int c, status;
    memset(&cmd, 0, sizeof(cmd));
    fmpq_init(cmd.x2);
    fmpq_one(cmd.x2);
    cmd.digits = 20;
    cmd.widths = default_widths;
    ntk_options_init(opt);
    opt->threads = cli_default_threads();
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", moments_options, NULL)) != -1)
    {
        if (c == '?')
            cli_die("%s: unknown option or missing value '%s' (see 'ntkexact %s --help')",
                    argv[0], argv[optind - 1], argv[0]);
        moments_option(&cmd, opt, c, optarg);
    }
    if (optind < argc)
        cli_die("%s: unexpected argument '%s'", argv[0], argv[optind]);
    if (default_widths != NULL && !cmd.quiet)
        fprintf(stderr, "ntkexact example: ntkexact moments --widths %s\n", cmd.widths);
    status = run_moments(&cmd, opt);
    ntk_options_clear(opt);
    fmpq_clear(cmd.x2);
    flint_cleanup();
    return status;
}

int
main(int argc, char ** argv)
{
    const char * cmd = argc > 1 ? argv[1] : "help";
    if (strcmp(cmd, "moments") == 0)
        return cmd_moments(argc - 1, argv + 1, NULL);
    if (strcmp(cmd, "example") == 0)
        return cmd_moments(argc - 1, argv + 1, "10,100x10,1");
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
    cli_die("unknown command '%s' (commands: moments, example, help, version)", cmd);
}
