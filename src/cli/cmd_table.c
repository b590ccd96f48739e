/* ntkexact table: exact moments over a grid of profiles, one row at a time. */

#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "dist.h"
#include "report.h"
#include "table_output.h"

#define TABLE_MAX 256

typedef struct
{
    fmpq depth[TABLE_MAX], width[TABLE_MAX], a[TABLE_MAX], mu4[TABLE_MAX];
    fmpq mu6[TABLE_MAX], mu8[TABLE_MAX];    /* the law's higher moments for each mu4 */
    int n_depth, n_width, n_a, n_mu4, n_profile;
    const char * profile[TABLE_MAX];
    long n0;
    int n0_given, header, resume;
    int old_widths;     /* --widths, the old name of --hidden-widths, was given */
    const char * output;
}
table_opts_t;

static void
apply_depths(cli_t * cli, void * data, const char * arg)
{
    table_opts_t * t = data;
    t->n_depth = cli_parse_rational_list(t->depth, TABLE_MAX, arg, "--depths");
}

static void
apply_hidden_widths(cli_t * cli, void * data, const char * arg)
{
    table_opts_t * t = data;
    if (t->n_width > 0)
        cli_die("table: --hidden-widths (or its old name --widths) is given twice");
    t->n_width = cli_parse_rational_list(t->width, TABLE_MAX, arg, "--hidden-widths");
}

/* --widths: the old name of --hidden-widths.  Every other command's --widths
   is the whole profile n_0,...,n_d; a note says so (on stderr, once the
   input is checked: an error stays one line). */
static void
apply_widths(cli_t * cli, void * data, const char * arg)
{
    apply_hidden_widths(cli, data, arg);
    ((table_opts_t *) data)->old_widths = 1;
}

static void
apply_profile(cli_t * cli, void * data, const char * arg)
{
    table_opts_t * t = data;
    if (t->n_profile == TABLE_MAX)
        cli_die("--profile: at most %d profiles", TABLE_MAX);
    t->profile[t->n_profile++] = arg;
}

static void
apply_n0(cli_t * cli, void * data, const char * arg)
{
    ((table_opts_t *) data)->n0 = cli_parse_long(arg, "--n0", 1, 1L << 40);
    ((table_opts_t *) data)->n0_given = 1;
}

static void
apply_a(cli_t * cli, void * data, const char * arg)
{
    table_opts_t * t = data;
    t->n_a = cli_parse_rational_list(t->a, TABLE_MAX, arg, "--a");
}

static void
apply_mu4_list(cli_t * cli, void * data, const char * arg)
{
    table_opts_t * t = data;
    t->n_mu4 = cli_parse_rational_list(t->mu4, TABLE_MAX, arg, "--mu4");
}

static void
apply_format(cli_t * cli, void * data, const char * arg)
{
    cli->format = cli_parse_format(arg, 1 << CLI_FORMAT_CSV | 1 << CLI_FORMAT_JSONL, "--format");
}

static void
apply_no_header(cli_t * cli, void * data, const char * arg)
{
    ((table_opts_t *) data)->header = 0;
}

static void
apply_output(cli_t * cli, void * data, const char * arg)
{
    if (*arg == '\0')
        cli_die("--output: the file name is empty");
    ((table_opts_t *) data)->output = arg;
}

static void
apply_resume(cli_t * cli, void * data, const char * arg)
{
    ((table_opts_t *) data)->resume = 1;
}

static const cli_option_t opt_output = { "output", "FILE", "write the rows to FILE instead of stdout",
                                         NULL, apply_output };
static const cli_option_t opt_resume = { "resume", NULL,
    "keep the rows already in --output FILE (a partial output\n"
    "of the same command, checked by their key columns and by\n"
    "the hashes in FILE.ntkexact-sums, or computed again) and\n"
    "write only the missing ones", NULL, apply_resume };

static const cli_option_t opt_depths = { "depths", "D,...", "depths d >= 2 of the grid", NULL,
                                         apply_depths };
static const cli_option_t opt_hidden_widths = { "hidden-widths", "N,...",
    "uniform hidden widths N of the grid", NULL, apply_hidden_widths };
static const cli_option_t opt_widths = { "widths", "N,...",
    "the old name of --hidden-widths (elsewhere --widths is\nthe whole profile; use --profile for that)", NULL,
    apply_widths };
static const cli_option_t opt_profile = { "profile", "W", "also this profile (repeatable)", NULL,
                                          apply_profile };
static const cli_option_t opt_n0 = { "n0", "N", "input width of the grid profiles (default 1)",
                                     "n0", apply_n0 };
static const cli_option_t opt_a = { "a", "A,...", "values of a = x2/n_0 >= 0 (default 1)", "a",
                                    apply_a };
static const cli_option_t opt_mu4 = { "mu4", "Q,...",
    "fourth moments of the weight law (default 3)", "mu4", apply_mu4_list };
static const cli_option_t opt_format = { "format", "F", "csv (default) or jsonl", NULL,
                                         apply_format };
static const cli_option_t opt_no_header = { "no-header", NULL, "CSV without its header line", NULL,
                                            apply_no_header };

static const cli_option_t * const table_options[] = {
    &opt_depths, &opt_hidden_widths, &opt_widths, &opt_profile, &opt_n0, &opt_a, &opt_mu4, &cli_opt_order,
    &cli_opt_mu6, &cli_opt_mu8, &cli_opt_cw_hidden,
    &cli_opt_cw_output, &cli_opt_param, &cli_opt_no_bias, &cli_opt_activation, &opt_format,
    &cli_opt_digits,
    &opt_no_header, &opt_output, &opt_resume, &cli_opt_threads, &cli_opt_quiet,
    &cli_opt_progress, NULL
};

/* Checks a grid value: an integer in min..2^40. */
static long
grid_int(const fmpq_t v, const char * flag, long min)
{
    if (!fmpz_is_one(fmpq_denref(v)) || fmpz_cmp_si(fmpq_numref(v), min) < 0
        || fmpz_cmp_si(fmpq_numref(v), WORD(1) << 40) > 0)
        cli_die("%s: values are integers in %ld..2^40", flag, min);
    return fmpz_get_si(fmpq_numref(v));
}

/* The list of profiles of the table, every one checked. */
static ntk_profile_struct *
table_profiles(const table_opts_t * t, const cli_t * cli, int * n_out)
{
    int n = t->n_depth * t->n_width + t->n_profile, i, j, k = 0;
    ntk_profile_struct * p = flint_malloc(FLINT_MAX(n, 1) * sizeof(ntk_profile_struct));
    ntk_error_t err;
    for (i = 0; i < t->n_depth; i++)
        for (j = 0; j < t->n_width; j++, k++)
        {
            char spec[96];
            snprintf(spec, sizeof(spec), "%ld,%ldx%ld,1", t->n0,
                     grid_int(t->width + j, "--hidden-widths", 1),
                     grid_int(t->depth + i, "--depths", 2) - 1);
            ntk_profile_init(p + k);
            if (ntk_profile_set_str(p + k, spec, &err) != NTK_OK)
                cli_fail(&err, NULL);
        }
    for (i = 0; i < t->n_profile; i++, k++)
    {
        ntk_profile_init(p + k);
        if (ntk_profile_set_str(p + k, t->profile[i], &err) != NTK_OK)
            cli_fail(&err, NULL);
    }
    for (i = 0; i < n; i++)
        if (!ntk_moments_fits(p + i, cli->conv, cli->exec))
        {
            char * s = ntk_profile_get_str(p + i);
            cli_die("table: the exact dead-layer factors of '%s' are too large (use --no-bias)", s);
        }
    *n_out = n;
    return p;
}

/* Every option checked before the first row is written. */
static void
table_check(table_opts_t * t, cli_t * cli)
{
    ntk_error_t err;
    int k;
    if ((t->n_depth > 0) != (t->n_width > 0))
        cli_die("table: --depths and --hidden-widths go together");
    if (t->n_depth == 0 && t->n_profile == 0)
        cli_die("table: give --depths and --hidden-widths, or --profile");
    if (t->resume && t->output == NULL)
        cli_die("table: --resume needs --output FILE");
    if (t->n0_given && t->n_depth == 0)
        cli_die("table: --n0 is the input width of the grid of --depths and --hidden-widths (a "
                "--profile gives its own)");
    if (!t->header && cli->format != CLI_FORMAT_CSV)
        cli_die("table: --no-header applies to CSV (JSON Lines has no header)");
    if (t->n_a == 0)
        fmpq_one(t->a + t->n_a++);
    if (t->n_mu4 == 0)
        fmpq_set_si(t->mu4 + t->n_mu4++, 3, 1);
    for (k = 0; k < t->n_a; k++)
        if (fmpq_sgn(t->a + k) < 0)
            cli_die("--a: values are >= 0");
    /* each mu4 with its law's mu6, mu8 (or the given ones), checked */
    for (k = 0; k < t->n_mu4; k++)
    {
        fmpq_set(cli->conv->mu4, t->mu4 + k);
        if (ntk_conv_validate(cli->conv, &err) != NTK_OK)
            cli_fail(&err, NULL);
        cli_law_moments(cli);
        fmpq_set(t->mu6 + k, cli->conv->mu6);
        fmpq_set(t->mu8 + k, cli->conv->mu8);
    }
}

/* The rows of one profile and weight law, at every a. */
static void
table_rows(FILE * out, const table_opts_t * t, const cli_t * cli, const ntk_profile_struct * prof)
{
    ntk_moments_t m;
    ntk_error_t err;
    cli_report_t info;
    fmpq_t x2;
    int k;
    fmpq_init(x2);
    ntk_moments_init(m);
    if (ntk_moments_compute_order(m, prof, cli->conv, cli->order, cli->exec, &err) != NTK_OK)
        cli_fail(&err, NULL);
    memset(&info, 0, sizeof(info));
    info.order = cli->order;
    info.profile = prof;
    info.conv = cli->conv;
    info.x2 = x2;
    info.digits = cli->digits;
    info.activation = cli->activation_given;
    for (k = 0; k < t->n_a; k++)
    {
        fmpq_set_ui(x2, ntk_profile_width(prof, 0), 1);
        fmpq_mul(x2, x2, t->a + k);
        cli_report_row(out, cli->format, &info, m);
    }
    ntk_moments_clear(m);
    fmpq_clear(x2);
}

/* The table as units for table_output.c: unit u is profile u / n_mu4 under
   weight law u mod n_mu4, one row per a. */
typedef struct
{
    const table_opts_t * t;
    cli_t * cli;
    const ntk_profile_struct * prof;
}
table_job_t;

/* The weight law's moments of the j-th --mu4 value. */
static void
table_set_law(ntk_conv_t conv, const table_opts_t * t, slong j)
{
    fmpq_set(conv->mu4, t->mu4 + j);
    fmpq_set(conv->mu6, t->mu6 + j);
    fmpq_set(conv->mu8, t->mu8 + j);
}

static char *
table_unit(void * data, slong u, size_t * bytes)
{
    table_job_t * job = data;
    char * buf = NULL;
    FILE * out = open_memstream(&buf, bytes);
    if (out == NULL)
        cli_die("out of memory");
    table_set_law(job->cli->conv, job->t, u % job->t->n_mu4);
    table_rows(out, job->t, job->cli, job->prof + u / job->t->n_mu4);
    if (fclose(out) != 0)
        cli_die("out of memory");
    return buf;
}

static void
table_key(void * data, FILE * out, slong row)
{
    table_job_t * job = data;
    const table_opts_t * t = job->t;
    slong u = row / t->n_a;
    cli_report_t info;
    fmpq_t x2;
    fmpq_init(x2);
    table_set_law(job->cli->conv, t, u % t->n_mu4);
    memset(&info, 0, sizeof(info));
    info.profile = job->prof + u / t->n_mu4;
    info.conv = job->cli->conv;
    info.x2 = x2;
    info.activation = job->cli->activation_given;
    info.order = job->cli->order;
    fmpq_set_ui(x2, ntk_profile_width(info.profile, 0), 1);
    fmpq_mul(x2, x2, t->a + row % t->n_a);
    cli_report_row_key(out, job->cli->format, &info);
    fmpq_clear(x2);
}

static int
run_table(const cli_command_t * cmd, int argc, char ** argv)
{
    cli_t cli;
    table_opts_t * t = flint_calloc(1, sizeof(table_opts_t));
    ntk_profile_struct * prof;
    cli_progress_t pr;
    table_job_t job;
    cli_table_job_t tj;
    char * header = NULL;
    int n_prof, i, k;
    for (k = 0; k < TABLE_MAX; k++)
    {
        fmpq_init(t->depth + k); fmpq_init(t->width + k);
        fmpq_init(t->a + k); fmpq_init(t->mu4 + k);
        fmpq_init(t->mu6 + k); fmpq_init(t->mu8 + k);
    }
    t->n0 = 1;
    t->header = 1;
    cli_init(&cli, cmd);
    cli.format = CLI_FORMAT_CSV;
    cli_parse(&cli, cmd, t, argc, argv);
    table_check(t, &cli);
    prof = table_profiles(t, &cli, &n_prof);
    if (t->old_widths && cli_dist_rank() == 0)
        fprintf(stderr, "ntkexact: note: table --widths means the hidden widths N of the grid "
                "n0, N x (D-1), 1; its name is now --hidden-widths (for a whole profile, as the "
                "other commands' --widths, use --profile)\n");
    memset(&tj, 0, sizeof(tj));
    if (cli.format == CLI_FORMAT_CSV && t->header)
    {
        cli_report_t info;
        size_t size;
        FILE * h = open_memstream(&header, &size);
        if (h == NULL)
            cli_die("out of memory");
        memset(&info, 0, sizeof(info));
        info.conv = cli.conv;
        info.activation = cli.activation_given;
        info.order = cli.order;
        cli_report_row_header(h, &info);
        if (fclose(h) != 0)
            cli_die("out of memory");
    }
    cli_progress_start(&pr, &cli, "rows");
    job.t = t;
    job.cli = &cli;
    job.prof = prof;
    tj.n_units = (slong) n_prof * t->n_mu4;
    tj.rows_per_unit = t->n_a;
    tj.unit = table_unit;
    tj.key = table_key;
    tj.data = &job;
    tj.header = header;
    tj.output = t->output;
    tj.resume = t->resume;
    tj.format = cli.format;
    tj.progress = &pr;
    cli_table_write(&tj);
    cli_progress_finish(&pr);
    free(header);
    for (i = 0; i < n_prof; i++)
        ntk_profile_clear(prof + i);
    flint_free(prof);
    for (k = 0; k < TABLE_MAX; k++)
    {
        fmpq_clear(t->depth + k); fmpq_clear(t->width + k);
        fmpq_clear(t->a + k); fmpq_clear(t->mu4 + k);
        fmpq_clear(t->mu6 + k); fmpq_clear(t->mu8 + k);
    }
    flint_free(t);
    cli_clear(&cli);
    return 0;
}

/* The update's second moment is a per-profile question (its cost is that
   of --order 4 for each row). */
static const cli_reject_t table_rejects[] = {
    { "update", "table rows hold the moments of K and E_dK; the update's second moment is "
                "'ntkexact moments --update' per profile" },
    { "target", "table rows hold the moments of K and E_dK; the update's second moment is "
                "'ntkexact moments --update --target Y' per profile" },
    { NULL, NULL }
};

/* as moments: a row costs what moments does */
static const cli_bits_t table_bits[] = { { "activation", 512 }, { NULL, 1024 } };

const cli_command_t cli_cmd_table = {
    "table", "exact moments over a grid of profiles, as CSV or JSON Lines",
    "table [--depths D,... --hidden-widths N,...] [--profile W ...] [OPTIONS]",
    "Exact moments over a grid, streamed as CSV or JSON Lines: for every profile\n"
    "n_0, N x (D-1), 1 of the grid (and every --profile), every weight law and\n"
    "every a, one row with every quantity as an exact fraction and a decimal\n"
    "(with --order 3 or 4 the third and fourth moments too).\n"
    "In the NTK parametrization the moments depend on x2 and n_0 only through\n"
    "a = x2/n_0; the rows use x2 = a n_0.\n",
    table_options,
    "Every profile and option is checked before the first row is written.\n",
    table_rejects, run_table, table_bits
};
