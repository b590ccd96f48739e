/* The analysis subcommands of ntkexact: limit. */

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ntkexact.h"
#include "cli.h"

#define MAX_LIST 256

int
cli_parse_rational_list(fmpq * res, int max, const char * arg, const char * what)
{
    char * copy = strdup(arg), * item, * save = NULL;
    int n = 0;
    for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save))
    {
        if (n == max)
            cli_die("%s: at most %d values", what, max);
        cli_parse_rational(res + n++, item, what);
    }
    free(copy);
    if (n == 0)
        cli_die("%s '%s': no value", what, arg);
    return n;
}

static const char * const limit_usage =
"Usage: ntkexact limit --beta B[,B...] [--a Q | --x2 Q --n0 N] [OPTIONS]\n"
"\n"
"The limits as the hidden width n and the depth d grow together, with\n"
"beta = (number of hidden layers)/n fixed and a = x2/n_0 fixed (uniform hidden\n"
"widths, cw_hidden = 2, NTK parametrization): E[K]/d, E[K^2]/d^2,\n"
"E[K^2]/E[K]^2, E[dK]/(lambda E[K] d beta) and E[N^4]/E[N^2]^2 = 3 e^{5 beta},\n"
"from one matrix exponential of the generator of the transfer recursion per\n"
"term, and again from their closed forms in e^{5 beta}, e^{-beta} and beta.\n"
"\n"
"  --beta B,...      values of beta > 0 (exact rationals)\n"
"  --a Q             a = x2/n_0 >= 0 (default 1/10)\n"
"  --x2 Q --n0 N     a given as x2 and n_0\n"
"  --cw-output Q     weight variance c of the output layer (default 1)\n"
"  --no-bias         biases are not trainable parameters\n"
"  --mu4 Q, --cw-hidden Q, --param P   accepted for uniformity: mu4 drops out\n"
"                    of the limit; cw_hidden must be 2 and param ntk\n"
"  --digits N        significant digits, 1..1000 (default 30)\n"
"  --format F        text (default), json or csv\n"
"  --help            this text\n";

typedef struct
{
    fmpq beta[MAX_LIST];
    int n_beta;
    fmpq_t a;
    long digits;
    ntk_format_t format;
}
limit_cmd_t;

static void
print_limit(FILE * out, const limit_cmd_t * cmd, const ntk_options_t opt,
            const fmpq_t beta, const ntk_limit_t l, const ntk_limit_t c, int first)
{
    static const char * const keys[5] = { "E_K_over_d", "E_K2_over_d2", "ratio_K2",
                                          "ratio_dK", "ratio_N4" };
    static const char * const names[5] = { "E[K]/d", "E[K^2]/d^2", "E[K^2]/E[K]^2",
                                           "E[dK]/(lambda E[K] d beta)", "E[N^4]/E[N^2]^2" };
    const mpfr_t * v[5] = { &l->e_k, &l->e_k2, &l->ratio_k2, &l->ratio_dk, &l->ratio_n4 };
    const mpfr_t * w[5] = { &c->e_k, &c->e_k2, &c->ratio_k2, &c->ratio_dk, &c->ratio_n4 };
    char * b = ntk_report_exact(beta);
    int k, d = (int) cmd->digits;
    if (cmd->format == NTK_FORMAT_JSON)
    {
        fprintf(out, "%s    {\"beta\": \"%s\"", first ? "" : ",\n", b);
        for (k = 0; k < 5; k++)
            mpfr_fprintf(out, ", \"%s\": \"%.*Rg\"", keys[k], d, *v[k]);
        fprintf(out, ",\n     \"closed_form\": {");
        for (k = 0; k < 5; k++)
            mpfr_fprintf(out, "%s\"%s\": \"%.*Rg\"", k ? ", " : "", keys[k], d, *w[k]);
        fprintf(out, "}}");
    }
    else if (cmd->format == NTK_FORMAT_CSV)
    {
        fprintf(out, "%s", b);
        for (k = 0; k < 5; k++)
            mpfr_fprintf(out, ",%.*Rg", d, *v[k]);
        fprintf(out, "\n");
    }
    else
    {
        mpfr_t diff;
        double worst = 0;
        mpfr_init2(diff, 64);
        fprintf(out, "beta = %s\n", b);
        for (k = 0; k < 5; k++)
        {
            mpfr_fprintf(out, "  %-28s %.*Rg\n", names[k], d, *v[k]);
            mpfr_sub(diff, *v[k], *w[k], MPFR_RNDN);
            mpfr_div(diff, diff, *v[k], MPFR_RNDN);
            worst = FLINT_MAX(worst, mpfr_zero_p(diff) ? 0.0 : fabs(mpfr_get_d(diff, MPFR_RNDN)));
        }
        if (worst == 0)
            fprintf(out, "  (the closed form agrees to all working digits)\n\n");
        else
            fprintf(out, "  (the closed form agrees to %.0f digits)\n\n", floor(-log10(worst)));
        mpfr_clear(diff);
    }
    flint_free(b);
}

static const struct option limit_options[] = {
    { "beta", required_argument, NULL, 'b' },
    { "a", required_argument, NULL, 'a' },
    { "x2", required_argument, NULL, 'x' },
    { "n0", required_argument, NULL, 'n' },
    CLI_CONVENTION_OPTIONS,
    { "digits", required_argument, NULL, 'd' },
    { "format", required_argument, NULL, 'f' },
    { "help", no_argument, NULL, 'H' },
    { NULL, 0, NULL, 0 }
};

/* Parses the options of limit into cmd and opt. */
static void
limit_parse(limit_cmd_t * cmd, ntk_options_t opt, int argc, char ** argv)
{
    fmpq_t x2;
    long n0 = 0;
    int c, have_x2 = 0, have_a = 0;
    fmpq_init(x2);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", limit_options, NULL)) != -1)
        switch (c)
        {
            case 'b': cmd->n_beta = cli_parse_rational_list(cmd->beta, MAX_LIST, optarg, "--beta"); break;
            case 'a': cli_parse_rational(cmd->a, optarg, "--a"); have_a = 1; break;
            case 'x': cli_parse_rational(x2, optarg, "--x2"); have_x2 = 1; break;
            case 'n': n0 = cli_parse_long(optarg, "--n0", 1, 1L << 40); break;
            case 'd': cmd->digits = cli_parse_long(optarg, "--digits", 1, 1000); break;
            case 'f': cmd->format = cli_parse_format(optarg); break;
            case 'H': fputs(limit_usage, stdout); exit(0);
            default:
                if (cli_convention_option(opt, c, optarg))
                    break;
                cli_die("limit: unknown option or missing value '%s' (see 'ntkexact limit --help')",
                        argv[optind - 1]);
        }
    if (optind < argc)
        cli_die("limit: unexpected argument '%s'", argv[optind]);
    if (cmd->n_beta == 0)
        cli_die("limit: --beta is required (for example --beta 0.5,1,2)");
    if (have_x2 != (n0 > 0) || (have_x2 && have_a))
        cli_die("limit: give either --a, or both --x2 and --n0");
    if (have_x2)
    {
        fmpq_set_si(cmd->a, n0, 1);
        fmpq_div(cmd->a, x2, cmd->a);
    }
    fmpq_clear(x2);
}

int
cli_cmd_limit(int argc, char ** argv)
{
    limit_cmd_t cmd;
    ntk_options_t opt;
    ntk_limit_t * l, * cf;
    ntk_error_t err;
    char * a;
    int k;
    memset(&cmd, 0, sizeof(cmd));
    for (k = 0; k < MAX_LIST; k++)
        fmpq_init(cmd.beta + k);
    fmpq_init(cmd.a);
    fmpq_set_si(cmd.a, 1, 10);
    cmd.digits = 30;
    ntk_options_init(opt);
    limit_parse(&cmd, opt, argc, argv);
    if (ntk_options_validate(opt, &err) != NTK_OK)
        cli_die("%s", err.message);
    l = flint_malloc(cmd.n_beta * sizeof(ntk_limit_t));
    cf = flint_malloc(cmd.n_beta * sizeof(ntk_limit_t));
    /* compute all before printing: nothing half-written on an error */
    for (k = 0; k < cmd.n_beta; k++)
    {
        mpfr_prec_t prec = (mpfr_prec_t) (cmd.digits * 3.33) + 32;
        ntk_limit_init(l[k], prec);
        ntk_limit_init(cf[k], prec);
        if (ntk_limit_compute(l[k], cmd.beta + k, cmd.a, opt, &err) != NTK_OK
            || ntk_limit_closed_form(cf[k], cmd.beta + k, cmd.a, opt, &err) != NTK_OK)
            cli_die("%s", err.message);
    }
    a = ntk_report_exact(cmd.a);
    if (cmd.format == NTK_FORMAT_JSON)
    {
        char * co = ntk_report_exact(opt->cw_output);
        printf("{\n  \"a\": \"%s\", \"cw_output\": \"%s\", \"bias\": %s, \"digits\": %ld,\n  \"limits\": [\n",
               a, co, opt->bias ? "true" : "false", cmd.digits);
        flint_free(co);
    }
    else if (cmd.format == NTK_FORMAT_CSV)
        printf("beta,E_K_over_d,E_K2_over_d2,ratio_K2,ratio_dK,ratio_N4\n");
    else
        printf("limits as n, d -> infinity with beta = (d-1)/n fixed: hidden width n, cw_hidden 2,\n"
               "NTK parametrization, a = x2/n_0 = %s, biases %s\n\n", a, opt->bias ? "on" : "off");
    for (k = 0; k < cmd.n_beta; k++)
        print_limit(stdout, &cmd, opt, cmd.beta + k, l[k], cf[k], k == 0);
    if (cmd.format == NTK_FORMAT_JSON)
        printf("\n  ]\n}\n");
    for (k = 0; k < cmd.n_beta; k++)
    {
        ntk_limit_clear(l[k]);
        ntk_limit_clear(cf[k]);
    }
    flint_free(l); flint_free(cf); flint_free(a);
    for (k = 0; k < MAX_LIST; k++)
        fmpq_clear(cmd.beta + k);
    fmpq_clear(cmd.a);
    ntk_options_clear(opt);
    flint_cleanup();
    return 0;
}

/* ------------------------------------------------ compare-paper */

static const char * const paper_usage =
"Usage: ntkexact compare-paper [OPTIONS]\n"
"\n"
"The ratios of the exact moments to the shapes of Hanin and Nica's Theorems 1\n"
"and 2 (ICLR 2020; MATH.md section 8) over a grid of profiles n_0, n x h, 1 with\n"
"h = round(beta n) hidden layers, and the range each ratio spans: the paper's\n"
"\"universal constants\" as numbers. E_K/d(1/2+a) and E_Kb/(d/2) are exact\n"
"statements of the paper that are not exact (see doc/derivation.md).\n"
"\n"
"  --n N,...         hidden widths (default 10,30,100,300)\n"
"  --beta B,...      depth-to-width ratios (default 0.1,0.25,0.5,1,2,4)\n"
"  --a A,...         a = x2/n_0 (default 1/10,1)\n"
"  --n0 N            input width (default 10)\n"
"  --widths W        also this profile (repeatable), at every a\n"
"  --format F        text (default), json or csv\n"
"  --threads T       worker threads (default: the number of online CPUs)\n"
"  --help            this text\n"
"\n"
"Moments are computed in the floating-point mode with 64 bits.\n";

#define PAPER_MAX 64

typedef struct
{
    fmpq n[PAPER_MAX], beta[PAPER_MAX], a[PAPER_MAX];
    int n_n, n_beta, n_a, n_widths;
    long n0;
    const char * widths[PAPER_MAX];
    ntk_format_t format;
    int threads;
}
paper_cmd_t;

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

/* Computes one row (dies on a bad profile before anything is printed). */
static void
paper_row(paper_row_t * row, const paper_cmd_t * cmd, const char * spec, const fmpq_t a)
{
    ntk_profile_t p;
    ntk_options_t opt;
    ntk_moments_t m;
    ntk_error_t err;
    fmpq_t x2;
    ntk_profile_init(p);
    ntk_options_init(opt);
    ntk_moments_init(m);
    fmpq_init(x2);
    opt->precision = 64;
    opt->threads = cmd->threads;
    if (ntk_profile_set_str(p, spec, &err) != NTK_OK)
        cli_die("%s", err.message);
    if (p->depth < 2)
        cli_die("compare-paper: '%s' has no hidden layer", spec);
    fmpq_set_ui(x2, ntk_profile_width(p, 0), 1);
    fmpq_mul(x2, x2, a);
    if (ntk_moments_compute(m, p, opt, &err) != NTK_OK)
        cli_die("%s", err.message);
    ntk_paper_ratios(row->ratio, m, p, x2);
    snprintf(row->spec, sizeof(row->spec), "%s", spec);
    row->a = ntk_report_exact(a);
    row->depth = p->depth;
    row->beta = ntk_profile_beta(p);
    fmpq_clear(x2);
    ntk_moments_clear(m);
    ntk_options_clear(opt);
    ntk_profile_clear(p);
}

static void
paper_print_row(const paper_row_t * row, ntk_format_t format, int first)
{
    int k;
    if (format == NTK_FORMAT_JSON)
    {
        printf("%s    {\"widths\": \"%s\", \"depth\": %ld, \"beta\": %.6g, \"a\": \"%s\"",
               first ? "" : ",\n", row->spec, (long) row->depth, row->beta, row->a);
        for (k = 0; k < NTK_PAPER_N; k++)
            printf(", \"r%d\": %.6g", k, row->ratio[k]);
        printf("}");
        return;
    }
    printf(format == NTK_FORMAT_CSV ? "%s,%ld,%.6g,%s" : "%-18s %6ld %7.4g %5s", row->spec,
           (long) row->depth, row->beta, row->a);
    for (k = 0; k < NTK_PAPER_N; k++)
        printf(format == NTK_FORMAT_CSV ? ",%.6g" : " %10.4g", row->ratio[k]);
    printf("\n");
}

/* The table of rows, then the range of every ratio. */
static void
paper_print(const paper_row_t * rows, int n_rows, const double * min, const double * max,
            ntk_format_t format)
{
    int i, k;
    if (format == NTK_FORMAT_JSON)
        printf("{\n  \"ratios\": [");
    else if (format == NTK_FORMAT_CSV)
        printf("widths,depth,beta,a");
    else
        printf("%-18s %6s %7s %5s", "widths", "depth", "beta", "a");
    for (k = 0; k < NTK_PAPER_N; k++)
    {
        if (format == NTK_FORMAT_JSON)
            printf("%s\"%s\"", k ? ", " : "", ntk_paper_name(k));
        else if (format == NTK_FORMAT_CSV)
            printf(",%s", ntk_paper_name(k));
        else
            printf("         r%d", k);
    }
    printf(format == NTK_FORMAT_JSON ? "],\n  \"rows\": [\n" : "\n");
    for (i = 0; i < n_rows; i++)
        paper_print_row(rows + i, format, i == 0);
    if (format == NTK_FORMAT_JSON)
    {
        printf("\n  ],\n  \"range\": {");
        for (k = 0; k < NTK_PAPER_N; k++)
            printf("%s\"%s\": [%.6g, %.6g]", k ? ", " : "", ntk_paper_name(k), min[k], max[k]);
        printf("}\n}\n");
    }
    else if (format == NTK_FORMAT_TEXT)
    {
        printf("\nrange of each ratio over the grid (the paper's constants c <= ratio <= C):\n");
        for (k = 0; k < NTK_PAPER_N; k++)
            printf("  r%d %-22s %.4g .. %.4g\n", k, ntk_paper_name(k), min[k], max[k]);
    }
}

static const struct option paper_options[] = {
    { "n", required_argument, NULL, 'n' },
    { "beta", required_argument, NULL, 'b' },
    { "a", required_argument, NULL, 'a' },
    { "n0", required_argument, NULL, '0' },
    { "widths", required_argument, NULL, 'w' },
    { "format", required_argument, NULL, 'f' },
    { "threads", required_argument, NULL, 't' },
    { "help", no_argument, NULL, 'H' },
    { NULL, 0, NULL, 0 }
};

static void
paper_parse(paper_cmd_t * cmd, int argc, char ** argv)
{
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", paper_options, NULL)) != -1)
        switch (c)
        {
            case 'n': cmd->n_n = cli_parse_rational_list(cmd->n, PAPER_MAX, optarg, "--n"); break;
            case 'b': cmd->n_beta = cli_parse_rational_list(cmd->beta, PAPER_MAX, optarg, "--beta"); break;
            case 'a': cmd->n_a = cli_parse_rational_list(cmd->a, PAPER_MAX, optarg, "--a"); break;
            case '0': cmd->n0 = cli_parse_long(optarg, "--n0", 1, 1L << 40); break;
            case 'w':
                if (cmd->n_widths == PAPER_MAX)
                    cli_die("--widths: at most %d profiles", PAPER_MAX);
                cmd->widths[cmd->n_widths++] = optarg;
                break;
            case 'f': cmd->format = cli_parse_format(optarg); break;
            case 't': cmd->threads = (int) cli_parse_long(optarg, "--threads", 1, 64); break;
            case 'H': fputs(paper_usage, stdout); exit(0);
            default:
                cli_die("compare-paper: unknown option or missing value '%s' (see 'ntkexact compare-paper --help')",
                        argv[optind - 1]);
        }
    if (optind < argc)
        cli_die("compare-paper: unexpected argument '%s'", argv[optind]);
}

static void
paper_defaults(paper_cmd_t * cmd)
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
        if (!fmpz_is_one(fmpq_denref(cmd->n + k)) || fmpq_sgn(cmd->n + k) <= 0)
            cli_die("--n: widths are positive integers");
    for (k = 0; k < cmd->n_beta; k++)
        if (fmpq_sgn(cmd->beta + k) <= 0)
            cli_die("--beta: must be > 0");
    for (k = 0; k < cmd->n_a; k++)
        if (fmpq_sgn(cmd->a + k) <= 0)
            cli_die("--a: must be > 0");
}

int
cli_cmd_compare_paper(int argc, char ** argv)
{
    paper_cmd_t cmd;
    paper_row_t * rows;
    double min[NTK_PAPER_N], max[NTK_PAPER_N];
    int i, j, k, n_rows = 0;
    memset(&cmd, 0, sizeof(cmd));
    for (k = 0; k < PAPER_MAX; k++)
    {
        fmpq_init(cmd.n + k); fmpq_init(cmd.beta + k); fmpq_init(cmd.a + k);
    }
    cmd.n0 = 10;
    cmd.threads = cli_default_threads();
    paper_parse(&cmd, argc, argv);
    paper_defaults(&cmd);
    rows = flint_malloc((cmd.n_n * cmd.n_beta + cmd.n_widths) * cmd.n_a * sizeof(paper_row_t));
    for (i = 0; i < cmd.n_n; i++)
        for (j = 0; j < cmd.n_beta; j++)
        {
            char spec[96];
            fmpq_t h;
            long hidden;
            fmpq_init(h);
            fmpq_mul(h, cmd.n + i, cmd.beta + j);
            fmpz_fdiv_q(fmpq_numref(h), fmpq_numref(h), fmpq_denref(h));
            hidden = FLINT_MAX(1, fmpz_get_si(fmpq_numref(h)));
            snprintf(spec, sizeof(spec), "%ld,%ldx%ld,1", cmd.n0, fmpz_get_si(fmpq_numref(cmd.n + i)), hidden);
            for (k = 0; k < cmd.n_a; k++)
                paper_row(rows + n_rows++, &cmd, spec, cmd.a + k);
            fmpq_clear(h);
        }
    for (i = 0; i < cmd.n_widths; i++)
        for (k = 0; k < cmd.n_a; k++)
            paper_row(rows + n_rows++, &cmd, cmd.widths[i], cmd.a + k);
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
    paper_print(rows, n_rows, min, max, cmd.format);
    for (i = 0; i < n_rows; i++)
        flint_free(rows[i].a);
    flint_free(rows);
    for (k = 0; k < PAPER_MAX; k++)
    {
        fmpq_clear(cmd.n + k); fmpq_clear(cmd.beta + k); fmpq_clear(cmd.a + k);
    }
    flint_cleanup();
    return 0;
}
