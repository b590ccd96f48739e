/* ntkexact compare-paper: the exact moments over the shapes of Hanin and
   Nica's theorems, and the range of each ratio over a grid. */

#include <math.h>
#include <string.h>
#include "cli.h"

#define PAPER_MAX 64
#define PAPER_HIDDEN_MAX 10000

typedef struct
{
    fmpq n[PAPER_MAX], beta[PAPER_MAX], a[PAPER_MAX];
    int n_n, n_beta, n_a, n_widths;
    long n0;
    const char * widths[PAPER_MAX];
}
paper_opts_t;

/* One row of the table: a profile at one a, and its ratios. */
typedef struct
{
    char spec[96];
    char * a;
    slong depth;
    double beta;
    double ratio[NTK_PAPER_N];
}
paper_row_t;

static void
apply_n(cli_t * cli, void * data, const char * arg)
{
    paper_opts_t * c = data;
    c->n_n = cli_parse_rational_list(c->n, PAPER_MAX, arg, "--n");
}

static void
apply_beta(cli_t * cli, void * data, const char * arg)
{
    paper_opts_t * c = data;
    c->n_beta = cli_parse_rational_list(c->beta, PAPER_MAX, arg, "--beta");
}

static void
apply_a(cli_t * cli, void * data, const char * arg)
{
    paper_opts_t * c = data;
    c->n_a = cli_parse_rational_list(c->a, PAPER_MAX, arg, "--a");
}

static void
apply_n0(cli_t * cli, void * data, const char * arg)
{
    ((paper_opts_t *) data)->n0 = cli_parse_long(arg, "--n0", 1, 1L << 40);
}

static void
apply_widths(cli_t * cli, void * data, const char * arg)
{
    paper_opts_t * c = data;
    if (c->n_widths == PAPER_MAX)
        cli_die("--widths: at most %d profiles", PAPER_MAX);
    c->widths[c->n_widths++] = arg;
}

static void
apply_format(cli_t * cli, void * data, const char * arg)
{
    cli->format = cli_parse_format(arg, 1 << CLI_FORMAT_TEXT | 1 << CLI_FORMAT_JSON
                                        | 1 << CLI_FORMAT_CSV, "--format");
}

static const cli_option_t opt_n = { "n", "N,...", "hidden widths (default 10,30,100,300)", NULL, apply_n };
static const cli_option_t opt_beta = { "beta", "B,...",
    "depth-to-width ratios (default 0.1,0.25,0.5,1,2,4)", "beta", apply_beta };
static const cli_option_t opt_a = { "a", "A,...", "a = x2/n_0 (default 1/10,1)", "a", apply_a };
static const cli_option_t opt_n0 = { "n0", "N", "input width (default 10)", "n0", apply_n0 };
static const cli_option_t opt_widths = { "widths", "W", "also this profile (repeatable), at every a",
                                         NULL, apply_widths };
static const cli_option_t opt_format = { "format", "F", "text (default), json or csv", NULL,
                                         apply_format };

static const cli_option_t * const paper_options[] = {
    &opt_n, &opt_beta, &opt_a, &opt_n0, &opt_widths, &cli_opt_mu4, &opt_format, &cli_opt_threads,
    NULL
};

/* The theorems are stated for these conventions: other values would compare
   the paper with networks it does not describe. */
static const cli_reject_t paper_rejects[] = {
    { "cw-hidden", "the paper's theorems are stated for the critical cw_hidden 2" },
    { "cw-output", "the paper's theorems are stated for cw_output 1" },
    { "param", "the paper's theorems are stated for the NTK parametrization" },
    { "no-bias", "the paper's theorems include the biases" },
    { "activation", "the paper's theorems are about ReLU networks" },
    { NULL, NULL }
};

/* Computes one row (dies on a bad profile before anything is printed). */
static void
paper_row(paper_row_t * row, const cli_t * cli, const char * spec, const fmpq_t a)
{
    int k;
    ntk_profile_t p;
    ntk_moments_t m;
    ntk_error_t err;
    fmpq_t x2;
    ntk_profile_init(p);
    ntk_moments_init(m);
    fmpq_init(x2);
    if (ntk_profile_set_str(p, spec, &err) != NTK_OK)
        cli_fail(&err, NULL);
    if (p->depth < 2)
        cli_die("compare-paper: '%s' has no hidden layer", spec);
    if (p->depth - 1 > PAPER_HIDDEN_MAX)
        cli_die("compare-paper: '%s' has more than %d hidden layers (the shape of Theorem 2 "
                "costs d^2)", spec, PAPER_HIDDEN_MAX);
    fmpq_set_ui(x2, ntk_profile_width(p, 0), 1);
    fmpq_mul(x2, x2, a);
    if (ntk_moments_compute(m, p, cli->conv, cli->exec, &err) != NTK_OK)
        cli_fail(&err, NULL);
    ntk_paper_ratios(row->ratio, m, p, x2);
    for (k = 0; k < NTK_PAPER_N; k++)
        if (!isfinite(row->ratio[k]))
            cli_die("compare-paper: the ratio %s of '%s' is beyond double precision",
                    ntk_paper_name(k), spec);
    snprintf(row->spec, sizeof(row->spec), "%s", spec);
    row->a = ntk_rational_get_str(a);
    row->depth = p->depth;
    row->beta = ntk_profile_beta(p);
    fmpq_clear(x2);
    ntk_moments_clear(m);
    ntk_profile_clear(p);
}

static void
paper_print_row(FILE * out, const paper_row_t * row, cli_format_t format, int first)
{
    int k;
    if (format == CLI_FORMAT_JSON)
    {
        fprintf(out, "%s    {\"widths\": \"%s\", \"depth\": %ld, \"beta\": %.6g, \"a\": \"%s\"",
               first ? "" : ",\n", row->spec, (long) row->depth, row->beta, row->a);
        for (k = 0; k < NTK_PAPER_N; k++)
            fprintf(out, ", \"r%d\": %.6g", k, row->ratio[k]);
        fprintf(out, "}");
        return;
    }
    fprintf(out, format == CLI_FORMAT_CSV ? "%s,%ld,%.6g,%s" : "%-18s %6ld %7.4g %5s", row->spec,
           (long) row->depth, row->beta, row->a);
    for (k = 0; k < NTK_PAPER_N; k++)
        fprintf(out, format == CLI_FORMAT_CSV ? ",%.6g" : " %10.4g", row->ratio[k]);
    fprintf(out, "\n");
}

/* The table of rows, then the range of every ratio. */
static void
paper_print(FILE * out, const paper_row_t * rows, int n_rows, const double * min, const double * max,
            cli_format_t format)
{
    int i, k;
    if (format == CLI_FORMAT_JSON)
        fprintf(out, "{\n  \"ratios\": [");
    else if (format == CLI_FORMAT_CSV)
        fprintf(out, "widths,depth,beta,a");
    else
        fprintf(out, "%-18s %6s %7s %5s", "widths", "depth", "beta", "a");
    for (k = 0; k < NTK_PAPER_N; k++)
    {
        if (format == CLI_FORMAT_JSON)
            fprintf(out, "%s\"%s\"", k ? ", " : "", ntk_paper_name(k));
        else if (format == CLI_FORMAT_CSV)
            fprintf(out, ",%s", ntk_paper_name(k));
        else
            fprintf(out, "         r%d", k);
    }
    fprintf(out, format == CLI_FORMAT_JSON ? "],\n  \"rows\": [\n" : "\n");
    for (i = 0; i < n_rows; i++)
        paper_print_row(out, rows + i, format, i == 0);
    if (format == CLI_FORMAT_JSON)
    {
        fprintf(out, "\n  ],\n  \"range\": {");
        for (k = 0; k < NTK_PAPER_N; k++)
            fprintf(out, "%s\"%s\": [%.6g, %.6g]", k ? ", " : "", ntk_paper_name(k), min[k], max[k]);
        fprintf(out, "}\n}\n");
    }
    else if (format == CLI_FORMAT_TEXT)
    {
        fprintf(out, "\nrange of each ratio over the grid (the paper's constants c <= ratio <= C):\n");
        for (k = 0; k < NTK_PAPER_N; k++)
            fprintf(out, "  r%d %-22s %.4g .. %.4g\n", k, ntk_paper_name(k), min[k], max[k]);
    }
}

static void
paper_defaults(paper_opts_t * cmd)
{
    static const char * const n[] = { "10", "30", "100", "300" };
    static const char * const b[] = { "1/10", "1/4", "1/2", "1", "2", "4" };
    static const char * const a[] = { "1/10", "1" };
    int k;
    if (cmd->n_n == 0 && cmd->n_widths == 0)
        for (k = 0; k < 4; k++)
            cli_parse_rational(cmd->n + cmd->n_n++, n[k], "--n");
    if (cmd->n_beta == 0 && cmd->n_n > 0)
        for (k = 0; k < 6; k++)
            cli_parse_rational(cmd->beta + cmd->n_beta++, b[k], "--beta");
    if (cmd->n_a == 0)
        for (k = 0; k < 2; k++)
            cli_parse_rational(cmd->a + cmd->n_a++, a[k], "--a");
    for (k = 0; k < cmd->n_n; k++)
        if (!fmpz_is_one(fmpq_denref(cmd->n + k)) || fmpq_sgn(cmd->n + k) <= 0
            || fmpz_cmp_ui(fmpq_numref(cmd->n + k), UWORD(1) << 40) > 0)
            cli_die("--n: widths are integers in 1..2^40");
    for (k = 0; k < cmd->n_beta; k++)
        if (fmpq_sgn(cmd->beta + k) <= 0 || fmpq_cmp_ui(cmd->beta + k, PAPER_HIDDEN_MAX) > 0)
            cli_die("--beta: values are in (0, %d]", PAPER_HIDDEN_MAX);
    for (k = 0; k < cmd->n_a; k++)
    {
        fmpq_t lo, hi;
        int bad;
        fmpq_init(lo); fmpq_init(hi);
        fmpz_set_ui(fmpq_denref(lo), 10);
        fmpz_pow_ui(fmpq_denref(lo), fmpq_denref(lo), 100);
        fmpz_one(fmpq_numref(lo));
        fmpq_inv(hi, lo);
        bad = fmpq_cmp(cmd->a + k, lo) < 0 || fmpq_cmp(cmd->a + k, hi) > 0;
        fmpq_clear(lo); fmpq_clear(hi);
        if (bad)
            cli_die("--a: values are in [10^-100, 10^100] (the ratios are computed in doubles)");
    }
}

/* The number of hidden layers round(n beta), at least 1, or exit 2 when it
   is more than the O(d^2) shape of Theorem 2 can take. */
static long
paper_hidden(const fmpq_t n, const fmpq_t beta)
{
    fmpq_t h;
    long hidden;
    fmpq_init(h);
    fmpq_mul(h, n, beta);
    fmpz_fdiv_q(fmpq_numref(h), fmpq_numref(h), fmpq_denref(h));
    if (fmpz_cmp_ui(fmpq_numref(h), PAPER_HIDDEN_MAX) > 0)
        cli_die("compare-paper: --n and --beta make more than %d hidden layers (the shape of "
                "Theorem 2 costs d^2)", PAPER_HIDDEN_MAX);
    hidden = FLINT_MAX(1, fmpz_get_si(fmpq_numref(h)));
    fmpq_clear(h);
    return hidden;
}

static int
run_paper(const cli_command_t * command, int argc, char ** argv)
{
    paper_opts_t cmd;
    cli_t cli;
    paper_row_t * rows;
    double min[NTK_PAPER_N], max[NTK_PAPER_N];
    ntk_error_t err;
    FILE * out;
    int i, j, k, n_rows = 0;
    memset(&cmd, 0, sizeof(cmd));
    for (k = 0; k < PAPER_MAX; k++)
    {
        fmpq_init(cmd.n + k); fmpq_init(cmd.beta + k); fmpq_init(cmd.a + k);
    }
    cmd.n0 = 10;
    cli_init(&cli, command);
    cli_parse(&cli, command, &cmd, argc, argv);
    if (ntk_conv_validate(cli.conv, &err) != NTK_OK)
        cli_fail(&err, NULL);
    /* the moments in the floating-point mode, 64 bits */
    cli.exec->precision = 64;
    paper_defaults(&cmd);
    rows = flint_malloc((cmd.n_n * cmd.n_beta + cmd.n_widths) * cmd.n_a * sizeof(paper_row_t));
    for (i = 0; i < cmd.n_n; i++)
        for (j = 0; j < cmd.n_beta; j++)
        {
            char spec[96];
            long hidden = paper_hidden(cmd.n + i, cmd.beta + j);
            snprintf(spec, sizeof(spec), "%ld,%ldx%ld,1", cmd.n0, fmpz_get_si(fmpq_numref(cmd.n + i)), hidden);
            for (k = 0; k < cmd.n_a; k++)
                paper_row(rows + n_rows++, &cli, spec, cmd.a + k);
        }
    for (i = 0; i < cmd.n_widths; i++)
        for (k = 0; k < cmd.n_a; k++)
            paper_row(rows + n_rows++, &cli, cmd.widths[i], cmd.a + k);
    for (k = 0; k < NTK_PAPER_N; k++)
    {
        min[k] = 1e308;
        max[k] = 0;
        for (i = 0; i < n_rows; i++)
        {
            min[k] = FLINT_MIN(min[k], rows[i].ratio[k]);
            max[k] = FLINT_MAX(max[k], rows[i].ratio[k]);
        }
    }
    out = cli_output_open();
    paper_print(out, rows, n_rows, min, max, cli.format);
    cli_output_commit(out);
    for (i = 0; i < n_rows; i++)
        flint_free(rows[i].a);
    flint_free(rows);
    for (k = 0; k < PAPER_MAX; k++)
    {
        fmpq_clear(cmd.n + k); fmpq_clear(cmd.beta + k); fmpq_clear(cmd.a + k);
    }
    cli_clear(&cli);
    return 0;
}

/* beta, a and mu4 cost little; --n, --n0 and the widths are integers up to 2^40 */
static const cli_bits_t paper_bits[] = { { NULL, 4096 } };

const cli_command_t cli_cmd_compare_paper = {
    "compare-paper", "the exact moments over the shapes of Hanin and Nica's theorems",
    "compare-paper [OPTIONS]",
    "The ratios of the exact moments to the shapes of Hanin and Nica's Theorems 1\n"
    "and 2 (ICLR 2020; doc/derivation.md, section 10) over a grid of profiles\n"
    "n_0, n x h, 1 with h = round(beta n) hidden layers, and the range each ratio\n"
    "spans: the paper's \"universal constants\" as numbers. E_K/d(1/2+a) and\n"
    "E_Kb/(d/2) are exact statements of the paper that are not exact (see\n"
    "doc/derivation.md, section 7).\n",
    paper_options,
    "Moments are computed in the floating-point mode with 64 bits.\n",
    paper_rejects, run_paper, paper_bits
};
