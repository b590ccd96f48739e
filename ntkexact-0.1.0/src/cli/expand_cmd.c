/* ntkexact expand: the moments as exact functions of the hidden width n. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ntkexact.h"
#include "cli.h"

static const char * const expand_usage =
"Usage: ntkexact expand --depth D --n0 N [OPTIONS]\n"
"\n"
"Every moment of the profile n_0, n x (D-1), 1 as an exact function of the\n"
"hidden width n: a polynomial in 1/n (exact rational coefficients, all\n"
"orders; positive powers appear only in the standard parametrization) plus\n"
"the dead-layer part, a sum of 2^(-j n) times such polynomials. Then the\n"
"series in 1/n of E[K^2]/E[K]^2 - 1 and E[dK]/(lambda E[K]) to --order.\n"
"\n"
"  --depth D         number of weight layers, 2..400\n"
"  --n0 N            input width (default 1)\n"
"  --x2 Q            ||x||^2 > 0 (default 1)\n"
"  --order R         last power of 1/n of the ratio series (default 4)\n"
"  --mu4 Q, --cw-hidden Q, --cw-output Q, --param P, --no-bias\n"
"                    the conventions, as for 'ntkexact moments'\n"
"  --format F        text (default) or json\n"
"  --quiet           no progress line on stderr (shown on a terminal after 1 s)\n"
"  --help            this text\n"
"\n"
"Cost grows like d^4: depth 80 takes about 0.5 s, depth 200 about 15 s.\n";

typedef struct
{
    long depth, n0, order;
    fmpq_t x2;
    ntk_format_t format;
    int quiet;
}
expand_cmd_t;

/* Writes sum_p c_p n^p of part j of q, highest power first. */
static void
print_part(FILE * out, const ntk_expand_t e, ntk_quantity_t q, slong j, int json)
{
    slong lo, hi, p;
    fmpq_t c;
    int first = 1;
    fmpq_init(c);
    ntk_expand_powers(&lo, &hi, e, q, j);
    if (json)
        fprintf(out, "{");
    for (p = hi; p >= lo; p--)
    {
        char * s;
        ntk_expand_coeff(c, e, q, j, p);
        if (fmpq_is_zero(c))
            continue;
        s = ntk_report_exact(c);
        if (json)
            fprintf(out, "%s\"%ld\": \"%s\"", first ? "" : ", ", (long) p, s);
        else if (p == 0)
            fprintf(out, "%s%s", first ? "" : " + ", s);
        else
            fprintf(out, "%s(%s) n^%ld", first ? "" : " + ", s, (long) p);
        first = 0;
        flint_free(s);
    }
    if (json)
        fprintf(out, "}");
    else if (first)
        fprintf(out, "0");
    fmpq_clear(c);
}

static void
print_series(FILE * out, const ntk_expand_t e, ntk_quantity_t num, ntk_quantity_t den,
             int k, long order, int minus_one, const char * label, int json)
{
    fmpq * s = _fmpq_vec_init(order + 1);
    long i;
    int ok = ntk_expand_ratio_series(s, e, num, den, k, order), first = 1;
    if (minus_one)
        fmpq_sub_si(s, s, 1);
    fprintf(out, json ? "    \"%s\": " : "%s = ", label);
    if (!ok)
        fprintf(out, json ? "null" : "(starts with a positive power of n)");
    for (i = 0; ok && i <= order; i++)
    {
        char * c = ntk_report_exact(s + i);
        if (json)
            fprintf(out, "%s\"%s\"", i ? ", " : "[", c);
        else if (!fmpq_is_zero(s + i))
        {
            fprintf(out, "%s(%s) n^-%ld", first ? "" : " + ", c, i);
            first = 0;
        }
        flint_free(c);
    }
    if (ok && json)
        fprintf(out, "]");
    else if (ok)
        fprintf(out, "%sO(n^-%ld)", first ? "" : " + ", order + 1);
    fprintf(out, json ? "" : "\n");
    _fmpq_vec_clear(s, order + 1);
}

static void
expand_print(const expand_cmd_t * cmd, const ntk_options_t opt, const ntk_expand_t e)
{
    int q, json = cmd->format == NTK_FORMAT_JSON;
    slong j;
    char * x2 = ntk_report_exact(cmd->x2);
    if (json)
        printf("{\n  \"n0\": %ld, \"depth\": %ld, \"x2\": \"%s\", \"param\": \"%s\", \"bias\": %s,\n"
               "  \"form\": \"sum_j 2^(-j n) sum_p c[j][p] n^p\",\n  \"expansion\": {\n",
               cmd->n0, cmd->depth, x2, opt->param == NTK_PARAM_NTK ? "ntk" : "standard",
               opt->bias ? "true" : "false");
    else
        printf("widths %ld, n x %ld, 1 (depth %ld), x2 = %s: exact functions of the hidden width n\n\n",
               cmd->n0, cmd->depth - 1, cmd->depth, x2);
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        printf(json ? "    \"%s\": [" : "%s = ", ntk_quantity_name(q));
        for (j = 0; j < e->n_parts[q]; j++)
        {
            if (json)
                printf("%s", j ? ", " : "");
            else if (j > 0)
                printf(j == 1 ? "\n    + 2^-n [" : "\n    + 2^(-%ld n) [", (long) j);
            print_part(stdout, e, q, j, json);
            if (!json && j > 0)
                printf("]");
        }
        printf(json ? "]%s\n" : "\n%s", json ? (q + 1 < NTK_N_QUANTITIES ? "," : "") : "");
    }
    if (json)
        printf("  },\n  \"order\": %ld,\n  \"series\": {\n", cmd->order);
    else
        printf("\n");
    print_series(stdout, e, NTK_E_K2, NTK_E_K, 2, cmd->order, 1, "E[K^2]/E[K]^2 - 1", json);
    printf(json ? ",\n" : "");
    print_series(stdout, e, NTK_E_DK, NTK_E_K, 1, cmd->order, 0, "E[dK]/(lambda E[K])", json);
    if (json)
        printf("\n  }\n}\n");
    flint_free(x2);
}

static const struct option expand_options[] = {
    { "depth", required_argument, NULL, 'd' },
    { "n0", required_argument, NULL, 'n' },
    { "x2", required_argument, NULL, 'x' },
    { "order", required_argument, NULL, 'o' },
    CLI_CONVENTION_OPTIONS,
    { "format", required_argument, NULL, 'f' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'H' },
    { NULL, 0, NULL, 0 }
};

static void
expand_parse(expand_cmd_t * cmd, ntk_options_t opt, int argc, char ** argv)
{
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", expand_options, NULL)) != -1)
        switch (c)
        {
            case 'd': cmd->depth = cli_parse_long(optarg, "--depth", 2, 400); break;
            case 'n': cmd->n0 = cli_parse_long(optarg, "--n0", 1, 1L << 40); break;
            case 'x':
                cli_parse_rational(cmd->x2, optarg, "--x2");
                if (fmpq_sgn(cmd->x2) <= 0)
                    cli_die("--x2 '%s': expand needs x2 > 0 (at x2 = 0, K = 1 for every n)", optarg);
                break;
            case 'o': cmd->order = cli_parse_long(optarg, "--order", 0, 1000); break;
            case 'f':
                cmd->format = cli_parse_format(optarg);
                if (cmd->format == NTK_FORMAT_CSV)
                    cli_die("expand: --format is text or json");
                break;
            case 'q': cmd->quiet = 1; break;
            case 'H': fputs(expand_usage, stdout); exit(0);
            default:
                if (cli_convention_option(opt, c, optarg))
                    break;
                cli_die("expand: unknown option or missing value '%s' (see 'ntkexact expand --help')",
                        argv[optind - 1]);
        }
    if (optind < argc)
        cli_die("expand: unexpected argument '%s'", argv[optind]);
    if (cmd->depth == 0)
        cli_die("expand: --depth is required (for example --depth 4)");
}

/* A progress line on a terminal, after a second. */
static int
expand_progress(void * data, slong done, slong total)
{
    time_t * start = data;
    if (isatty(2) && time(NULL) - *start >= 1)
        fprintf(stderr, "\r\033[Kntkexact expand: %ld/%ld widths%s", (long) done, (long) total,
                done == total ? "\r\033[K" : "");
    return 0;
}

int
cli_cmd_expand(int argc, char ** argv)
{
    expand_cmd_t cmd;
    ntk_options_t opt;
    ntk_expand_t e;
    ntk_error_t err;
    time_t start;
    memset(&cmd, 0, sizeof(cmd));
    fmpq_init(cmd.x2);
    fmpq_one(cmd.x2);
    cmd.n0 = 1;
    cmd.order = 4;
    ntk_options_init(opt);
    expand_parse(&cmd, opt, argc, argv);
    start = time(NULL);
    if (!cmd.quiet)
    {
        opt->progress = expand_progress;
        opt->progress_data = &start;
    }
    ntk_expand_init(e);
    if (ntk_expand_compute(e, cmd.depth, (ulong) cmd.n0, cmd.x2, opt, &err) != NTK_OK)
        cli_die("%s", err.message);
    expand_print(&cmd, opt, e);
    ntk_expand_clear(e);
    ntk_options_clear(opt);
    fmpq_clear(cmd.x2);
    flint_cleanup();
    return 0;
}
