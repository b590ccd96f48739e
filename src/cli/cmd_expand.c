/* ntkexact expand: the moments as exact functions of the hidden width n. */

#include <string.h>
#include "cli.h"
#include "report.h"

typedef struct
{
    long depth, n0, order;
}
expand_opts_t;

static void
apply_depth(cli_t * cli, void * data, const char * arg)
{
    ((expand_opts_t *) data)->depth = cli_parse_long(arg, "--depth", 2, 400);
}

static void
apply_n0(cli_t * cli, void * data, const char * arg)
{
    ((expand_opts_t *) data)->n0 = cli_parse_long(arg, "--n0", 1, 1L << 40);
}

static void
apply_order(cli_t * cli, void * data, const char * arg)
{
    ((expand_opts_t *) data)->order = cli_parse_long(arg, "--order", 0, 1000);
}

static void
apply_format(cli_t * cli, void * data, const char * arg)
{
    cli->format = cli_parse_format(arg, 1 << CLI_FORMAT_TEXT | 1 << CLI_FORMAT_JSON, "--format");
}

static const cli_option_t opt_depth = { "depth", "D", "number of weight layers, 2..400", "depth",
                                        apply_depth };
static const cli_option_t opt_n0 = { "n0", "N", "input width (default 1)", "n0", apply_n0 };
static const cli_option_t opt_x2 = { "x2", "Q", "||x||^2 > 0 (default 1)", "x2", cli_apply_x2 };
static const cli_option_t opt_order = { "order", "R",
    "last power of 1/n of the ratio series (default 4)", NULL, apply_order };
static const cli_option_t opt_format = { "format", "F", "text (default) or json", NULL, apply_format };

/* Writes the term c n^p of a sum in text: a sign (" + ", " - ", or "-" for
   the first term), the magnitude (parenthesized when it is a fraction, left
   out when it is 1 and a power of n follows), and the power ("n", "n^p"). */
static void
print_term(FILE * out, const fmpq_t c, slong p, int first)
{
    fmpq_t m;
    char * s;
    int fraction = !fmpz_is_one(fmpq_denref(c));
    fmpq_init(m);
    fmpq_abs(m, c);
    s = ntk_rational_get_str(m);
    fprintf(out, "%s", fmpq_sgn(c) < 0 ? (first ? "-" : " - ") : (first ? "" : " + "));
    if (p == 0)
        fprintf(out, "%s", s);
    else
    {
        if (!fmpq_is_one(m))
            fprintf(out, fraction ? "(%s) " : "%s ", s);
        if (p == 1)
            fprintf(out, "n");
        else
            fprintf(out, "n^%ld", (long) p);
    }
    flint_free(s);
    fmpq_clear(m);
}

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
        ntk_expand_coeff(c, e, q, j, p);
        if (fmpq_is_zero(c))
            continue;
        if (json)
        {
            char * s = ntk_rational_get_str(c);
            fprintf(out, "%s\"%ld\": \"%s\"", first ? "" : ", ", (long) p, s);
            flint_free(s);
        }
        else
            print_term(out, c, p, first);
        first = 0;
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
        char * c = ntk_rational_get_str(s + i);
        if (json)
            fprintf(out, "%s\"%s\"", i ? ", " : "[", c);
        else if (!fmpq_is_zero(s + i))
        {
            print_term(out, s + i, -i, first);
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
expand_print(FILE * out, const expand_opts_t * cmd, const cli_t * cli, const ntk_expand_t e)
{
    const ntk_conv_struct * opt = cli->conv;
    int q, json = cli->format == CLI_FORMAT_JSON;
    slong j;
    char * x2 = ntk_rational_get_str(cli->x2);
    if (json)
    {
        fprintf(out, "{\n  \"n0\": %ld, \"depth\": %ld, \"x2\": \"%s\", \"param\": \"%s\", \"bias\": %s,\n  ",
               cmd->n0, cmd->depth, x2, opt->param == NTK_PARAM_NTK ? "ntk" : "standard",
               opt->bias ? "true" : "false");
        if (cli->activation_given)
        {
            cli_report_activation(out, cli->format, opt);
            fprintf(out, ",\n  ");
        }
        fprintf(out, "\"form\": \"sum_j 2^(-j n) sum_p c[j][p] n^p\",\n  \"expansion\": {\n");
    }
    else
    {
        fprintf(out, "widths %ld, n x %ld, 1 (depth %ld), x2 = %s", cmd->n0, cmd->depth - 1,
                cmd->depth, x2);
        if (cli->activation_given)
            cli_report_activation(out, cli->format, opt);
        fprintf(out, ": exact functions of the hidden width n\n\n");
    }
    for (q = 0; q < ntk_quantity_count(2); q++)
    {
        fprintf(out, json ? "    \"%s\": [" : "%s = ", ntk_quantity_name(q));
        for (j = 0; j < e->n_parts[q]; j++)
        {
            if (json)
                fprintf(out, "%s", j ? ", " : "");
            else if (j > 0)
                fprintf(out, j == 1 ? "\n    + 2^-n [" : "\n    + 2^(-%ld n) [", (long) j);
            print_part(out, e, q, j, json);
            if (!json && j > 0)
                fprintf(out, "]");
        }
        fprintf(out, json ? "]%s\n" : "\n%s", json ? (q + 1 < ntk_quantity_count(2) ? "," : "") : "");
    }
    if (json)
        fprintf(out, "  },\n  \"order\": %ld,\n  \"series\": {\n", cmd->order);
    else
        fprintf(out, "\n");
    print_series(out, e, NTK_E_K2, NTK_E_K, 2, cmd->order, 1, "E[K^2]/E[K]^2 - 1", json);
    fprintf(out, json ? ",\n" : "");
    print_series(out, e, NTK_E_DK, NTK_E_K, 1, cmd->order, 0, "E[dK]/(lambda E[K])", json);
    if (json)
        fprintf(out, "\n  }\n}\n");
    flint_free(x2);
}

static const cli_option_t * const expand_options[] = {
    &opt_depth, &opt_n0, &opt_x2, &opt_order, CLI_OPTS_CONVENTIONS, &opt_format,
    &cli_opt_quiet, &cli_opt_progress, NULL
};

static int
run_expand(const cli_command_t * cmd, int argc, char ** argv)
{
    cli_t cli;
    expand_opts_t eo = { 0, 1, 4 };
    ntk_expand_t e;
    ntk_error_t err;
    cli_progress_t pr;
    FILE * out;
    cli_init(&cli, cmd);
    cli_parse(&cli, cmd, &eo, argc, argv);
    if (cli.x2_symbolic)
        cli_die("expand: --x2 symbolic is for 'moments'; expand needs a number > 0");
    if (cli.x2_given && fmpq_sgn(cli.x2) <= 0)
        cli_die("--x2 0: expand needs x2 > 0 (the values at x2 = 0 are those of moments --x2 0)");
    if (eo.depth == 0)
        cli_die("expand: --depth is required (for example --depth 4)");
    cli_progress_start(&pr, &cli, "widths");
    cli.exec->progress = cli_progress_update;
    cli.exec->progress_data = &pr;
    ntk_expand_init(e);
    if (ntk_expand_compute(e, eo.depth, (ulong) eo.n0, cli.x2, cli.conv, cli.exec, &err) != NTK_OK)
        cli_fail(&err, NULL);
    cli_progress_finish(&pr);
    out = cli_output_open();
    expand_print(out, &eo, &cli, e);
    cli_output_commit(out);
    ntk_expand_clear(e);
    cli_clear(&cli);
    return 0;
}

const cli_command_t cli_cmd_expand = {
    "expand", "every moment as an exact function of the hidden width n",
    "expand --depth D --n0 N [OPTIONS]",
    "Every moment of the profile n_0, n x (D-1), 1 as an exact function of the\n"
    "hidden width n: a polynomial in 1/n (exact rational coefficients, all\n"
    "orders; positive powers appear only in the standard parametrization) plus\n"
    "the dead-layer part, a sum of 2^(-j n) times such polynomials. Then the\n"
    "series in 1/n of E[K^2]/E[K]^2 - 1 and E[dK]/(lambda E[K]) to --order.\n",
    expand_options,
    "Cost grows like d^4: depth 80 takes about 0.5 s, depth 200 about 15 s.\n",
    NULL, run_expand
};
