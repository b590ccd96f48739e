/* ntkexact table: exact moments over a grid of profiles, one row at a time. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ntkexact.h"
#include "cli.h"

static const char * const table_usage =
"Usage: ntkexact table [--depths D,... --widths N,...] [--profile W ...] [OPTIONS]\n"
"\n"
"Exact moments over a grid, streamed as CSV or JSON Lines: for every profile\n"
"n_0, N x (D-1), 1 of the grid (and every --profile), every weight law and\n"
"every a, one row with every quantity as an exact fraction and a decimal.\n"
"In the NTK parametrization the moments depend on x2 and n_0 only through\n"
"a = x2/n_0; the rows use x2 = a n_0.\n"
"\n"
"  --depths D,...    depths d >= 2 of the grid\n"
"  --widths N,...    uniform hidden widths of the grid\n"
"  --profile W       also this profile (repeatable)\n"
"  --n0 N            input width of the grid profiles (default 1)\n"
"  --a A,...         values of a = x2/n_0 >= 0 (default 1)\n"
"  --mu4 Q,...       fourth moments of the weight law (default 3)\n"
"  --cw-hidden Q, --cw-output Q, --param P, --no-bias   conventions\n"
"  --format F        csv (default) or jsonl\n"
"  --digits N        significant digits of the decimals (default 20)\n"
"  --no-header       CSV without its header line\n"
"  --quiet           no progress line on stderr\n"
"  --help            this text\n"
"\n"
"Every profile and option is checked before the first row is written.\n";

#define TABLE_MAX 256

typedef struct
{
    fmpq depth[TABLE_MAX], width[TABLE_MAX], a[TABLE_MAX], mu4[TABLE_MAX];
    int n_depth, n_width, n_a, n_mu4, n_profile;
    const char * profile[TABLE_MAX];
    long n0, digits;
    int jsonl, header, quiet;
}
table_cmd_t;

static const struct option table_options[] = {
    { "depths", required_argument, NULL, 'd' },
    { "widths", required_argument, NULL, 'w' },
    { "profile", required_argument, NULL, 'P' },
    { "n0", required_argument, NULL, '0' },
    { "a", required_argument, NULL, 'a' },
    CLI_CONVENTION_OPTIONS,
    { "format", required_argument, NULL, 'f' },
    { "digits", required_argument, NULL, 'g' },
    { "no-header", no_argument, NULL, 'N' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'H' },
    { NULL, 0, NULL, 0 }
};

static void
table_parse(table_cmd_t * cmd, ntk_options_t opt, int argc, char ** argv)
{
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", table_options, NULL)) != -1)
        switch (c)
        {
            case 'd': cmd->n_depth = cli_parse_rational_list(cmd->depth, TABLE_MAX, optarg, "--depths"); break;
            case 'w': cmd->n_width = cli_parse_rational_list(cmd->width, TABLE_MAX, optarg, "--widths"); break;
            case 'P':
                if (cmd->n_profile == TABLE_MAX)
                    cli_die("--profile: at most %d profiles", TABLE_MAX);
                cmd->profile[cmd->n_profile++] = optarg;
                break;
            case '0': cmd->n0 = cli_parse_long(optarg, "--n0", 1, 1L << 40); break;
            case 'a': cmd->n_a = cli_parse_rational_list(cmd->a, TABLE_MAX, optarg, "--a"); break;
            case 'm': cmd->n_mu4 = cli_parse_rational_list(cmd->mu4, TABLE_MAX, optarg, "--mu4"); break;
            case 'f':
                if (strcmp(optarg, "csv") && strcmp(optarg, "jsonl"))
                    cli_die("--format '%s' is not one of csv, jsonl", optarg);
                cmd->jsonl = strcmp(optarg, "jsonl") == 0;
                break;
            case 'g': cmd->digits = cli_parse_long(optarg, "--digits", 1, 1000); break;
            case 'N': cmd->header = 0; break;
            case 'q': cmd->quiet = 1; break;
            case 'H': fputs(table_usage, stdout); exit(0);
            default:
                if (cli_convention_option(opt, c, optarg))
                    break;
                cli_die("table: unknown option or missing value '%s' (see 'ntkexact table --help')",
                        argv[optind - 1]);
        }
    if (optind < argc)
        cli_die("table: unexpected argument '%s'", argv[optind]);
    if ((cmd->n_depth > 0) != (cmd->n_width > 0))
        cli_die("table: --depths and --widths go together");
    if (cmd->n_depth == 0 && cmd->n_profile == 0)
        cli_die("table: give --depths and --widths, or --profile");
}

/* Checks a grid value: a positive integer (min for depths) below 2^40. */
static long
grid_int(const fmpq_t v, const char * what, long min)
{
    if (!fmpz_is_one(fmpq_denref(v)) || fmpz_cmp_si(fmpq_numref(v), min) < 0
        || fmpz_bits(fmpq_numref(v)) > 40)
        cli_die("%s: values are integers >= %ld", what, min);
    return fmpz_get_si(fmpq_numref(v));
}

/* The list of profiles of the table, every one checked. */
static ntk_profile_struct *
table_profiles(table_cmd_t * cmd, const ntk_options_t opt, int * n_out)
{
    int n = cmd->n_depth * cmd->n_width + cmd->n_profile, i, j, k = 0;
    ntk_profile_struct * p = flint_malloc(FLINT_MAX(n, 1) * sizeof(ntk_profile_struct));
    ntk_error_t err;
    for (i = 0; i < cmd->n_depth; i++)
        for (j = 0; j < cmd->n_width; j++, k++)
        {
            char spec[96];
            snprintf(spec, sizeof(spec), "%ld,%ldx%ld,1", cmd->n0,
                     grid_int(cmd->width + j, "--widths", 1), grid_int(cmd->depth + i, "--depths", 2) - 1);
            ntk_profile_init(p + k);
            if (ntk_profile_set_str(p + k, spec, &err) != NTK_OK)
                cli_die("%s", err.message);
        }
    for (i = 0; i < cmd->n_profile; i++, k++)
    {
        ntk_profile_init(p + k);
        if (ntk_profile_set_str(p + k, cmd->profile[i], &err) != NTK_OK)
            cli_die("%s", err.message);
    }
    for (i = 0; i < n; i++)
        if (!ntk_moments_fits(p + i, opt))
        {
            char * s = ntk_profile_get_str(p + i);
            cli_die("table: the exact dead-layer factors of '%s' are too large (use --no-bias)", s);
        }
    *n_out = n;
    return p;
}

int
cli_cmd_table(int argc, char ** argv)
{
    table_cmd_t cmd;
    ntk_options_t opt;
    ntk_error_t err;
    ntk_profile_struct * prof;
    ntk_report_info_t info;
    fmpq_t x2;
    int n_prof, i, j, k, done = 0, total;
    struct timespec t0, t;
    memset(&cmd, 0, sizeof(cmd));
    for (k = 0; k < TABLE_MAX; k++)
    {
        fmpq_init(cmd.depth + k); fmpq_init(cmd.width + k);
        fmpq_init(cmd.a + k); fmpq_init(cmd.mu4 + k);
    }
    cmd.n0 = 1;
    cmd.digits = 20;
    cmd.header = 1;
    ntk_options_init(opt);
    opt->threads = cli_default_threads();
    table_parse(&cmd, opt, argc, argv);
    if (cmd.n_a == 0)
        fmpq_one(cmd.a + cmd.n_a++);
    if (cmd.n_mu4 == 0)
        fmpq_set_si(cmd.mu4 + cmd.n_mu4++, 3, 1);
    for (k = 0; k < cmd.n_a; k++)
        if (fmpq_sgn(cmd.a + k) < 0)
            cli_die("--a: values are >= 0");
    for (k = 0; k < cmd.n_mu4; k++)
    {
        fmpq_set(opt->mu4, cmd.mu4 + k);
        if (ntk_options_validate(opt, &err) != NTK_OK)
            cli_die("%s", err.message);
    }
    prof = table_profiles(&cmd, opt, &n_prof);
    total = n_prof * cmd.n_mu4 * cmd.n_a;
    fmpq_init(x2);
    if (!cmd.jsonl && cmd.header)
        ntk_report_row_header(stdout);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (i = 0; i < n_prof; i++)
        for (j = 0; j < cmd.n_mu4; j++)
        {
            ntk_moments_t m;
            ntk_moments_init(m);
            fmpq_set(opt->mu4, cmd.mu4 + j);
            if (ntk_moments_compute(m, prof + i, opt, &err) != NTK_OK)
                cli_die("%s", err.message);
            for (k = 0; k < cmd.n_a; k++)
            {
                fmpq_set_ui(x2, ntk_profile_width(prof + i, 0), 1);
                fmpq_mul(x2, x2, cmd.a + k);
                info.profile = prof + i;
                info.options = opt;
                info.x2 = x2;
                info.digits = cmd.digits;
                ntk_report_row(stdout, cmd.jsonl ? NTK_FORMAT_JSON : NTK_FORMAT_CSV, &info, m);
                done++;
            }
            fflush(stdout);
            ntk_moments_clear(m);
            clock_gettime(CLOCK_MONOTONIC, &t);
            if (!cmd.quiet && isatty(2) && t.tv_sec - t0.tv_sec >= 1)
                fprintf(stderr, "\r\033[Kntkexact table: %d/%d rows", done, total);
        }
    if (!cmd.quiet && isatty(2) && t.tv_sec - t0.tv_sec >= 1)
        fprintf(stderr, "\r\033[K");
    for (i = 0; i < n_prof; i++)
        ntk_profile_clear(prof + i);
    flint_free(prof);
    fmpq_clear(x2);
    for (k = 0; k < TABLE_MAX; k++)
    {
        fmpq_clear(cmd.depth + k); fmpq_clear(cmd.width + k);
        fmpq_clear(cmd.a + k); fmpq_clear(cmd.mu4 + k);
    }
    ntk_options_clear(opt);
    flint_cleanup();
    return 0;
}
