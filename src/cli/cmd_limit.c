/* ntkexact limit: the depth-to-width limits, from the generator of the
   transfer recursion and from their closed forms. */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "report.h"

#define MAX_LIST 256

typedef struct
{
    fmpq beta[MAX_LIST];
    int n_beta;
    fmpq_t a;
    long n0;
    int a_given;
    int order, order_given;   /* --order: 0 the limits F_0, 1 their 1/n corrections F_1 */
    int moments;              /* --moments: the highest power of K, 2 (default), 3 or 4 */
}
limit_opts_t;

static void
apply_beta(cli_t * cli, void * data, const char * arg)
{
    limit_opts_t * l = data;
    l->n_beta = cli_parse_rational_list(l->beta, MAX_LIST, arg, "--beta");
}

static void
apply_a(cli_t * cli, void * data, const char * arg)
{
    limit_opts_t * l = data;
    cli_parse_rational(l->a, arg, "--a");
    l->a_given = 1;
}

static void
apply_n0(cli_t * cli, void * data, const char * arg)
{
    ((limit_opts_t *) data)->n0 = cli_parse_long(arg, "--n0", 1, 1L << 40);
}

static void
apply_order(cli_t * cli, void * data, const char * arg)
{
    limit_opts_t * l = data;
    l->order = (int) cli_parse_long(arg, "--order", 0, 1);
    l->order_given = 1;
}

static void
apply_moments(cli_t * cli, void * data, const char * arg)
{
    ((limit_opts_t *) data)->moments = (int) cli_parse_long(arg, "--moments", 2, 4);
}

static void
apply_format(cli_t * cli, void * data, const char * arg)
{
    cli->format = cli_parse_format(arg, 1 << CLI_FORMAT_TEXT | 1 << CLI_FORMAT_JSON
                                        | 1 << CLI_FORMAT_CSV, "--format");
}

static const cli_option_t opt_beta = { "beta", "B,...", "values of beta > 0 (exact rationals)", "beta",
                                       apply_beta };
static const cli_option_t opt_a = { "a", "Q", "a = x2/n_0 >= 0 (default 1/10)", "a", apply_a };
static const cli_option_t opt_x2 = { "x2", "Q", "with --n0: a = x2/n_0", "x2", cli_apply_x2 };
static const cli_option_t opt_n0 = { "n0", "N", "with --x2: a = x2/n_0", "n0", apply_n0 };
static const cli_option_t opt_mu4 = { "mu4", "Q",
    "fourth moment of the weight law, >= 1: it drops out of\nthe limit (not of its 1/n correction)", "mu4", cli_apply_mu4 };
static const cli_option_t opt_order = { "order", "K",
    "0 (default): the limits F_0; 1: their 1/n corrections F_1,\n"
    "each value = F_0 + F_1/n + O(1/n^2) at beta = (d-1)/n", NULL, apply_order };
static const cli_option_t opt_moments = { "moments", "K",
    "2 (default), 3 or 4: also the limits of E[K^3], E[N^6]\n"
    "(3) and E[K^4], E[N^8] (4), or with --order 1 their F_1", NULL, apply_moments };
static const cli_option_t opt_digits = { "digits", "N", "significant digits, 1..1000 (default 30)",
                                         NULL, cli_apply_digits };
static const cli_option_t opt_format = { "format", "F", "text (default), json or csv", NULL,
                                         apply_format };

static const cli_option_t * const limit_options[] = {
    &opt_beta, &opt_a, &opt_x2, &opt_n0, &opt_mu4, &cli_opt_cw_hidden, &cli_opt_cw_output,
    &cli_opt_param, &cli_opt_no_bias, &cli_opt_activation, &opt_order, &opt_moments, &opt_digits, &opt_format, NULL
};

#define N_LIMITS NTK_LIMIT_N_MAX

/* The values in the order of ntk_limit_struct; the first ntk_limit_n(moments). */
static const char * const limit_keys[N_LIMITS] = { "E_K_over_d", "E_K2_over_d2", "ratio_K2",
    "ratio_dK", "ratio_N4", "E_K3_over_d3", "ratio_K3", "ratio_N6", "E_K4_over_d4", "ratio_K4",
    "ratio_N8" };
static const char * const limit_names[N_LIMITS] = { "E[K]/d", "E[K^2]/d^2", "E[K^2]/E[K]^2",
    "E[dK]/(lambda E[K] d beta)", "E[N^4]/E[N^2]^2", "E[K^3]/d^3", "E[K^3]/E[K]^3",
    "E[N^6]/E[N^2]^3", "E[K^4]/d^4", "E[K^4]/E[K]^4", "E[N^8]/E[N^2]^4" };

/* The printed values of one beta, by the generator (value) and by the closed
   form (closed); NULL where the value is undefined (E[N^4]/E[N^2]^2 at
   a = 0, where N = 0). */
typedef struct
{
    char * value[N_LIMITS];
    char * closed[N_LIMITS];
    int count;       /* ntk_limit_n(moments) values */
    int agree;       /* significant digits the two share; digits when all */
}
limit_row_t;

static void
strings_free(char ** s, int count)
{
    int k;
    for (k = 0; k < count; k++)
        flint_free(s[k]);
}

static void
limit_row(limit_row_t * row, const fmpq_t beta, const fmpq_t a, const limit_opts_t * lo,
          const cli_t * cli)
{
    ntk_error_t err;
    slong agree;
    ntk_status_t status;
    row->count = ntk_limit_n(lo->moments);
    status = ntk_limit_get_strs_order_moments(row->value, row->closed, &agree, beta, a,
                                              cli->conv, lo->order, lo->moments, cli->digits,
                                              &err);
    if (status != NTK_OK)
        cli_fail(&err, NULL);
    row->agree = (int) agree;
}

static void
print_json_value(FILE * out, const char * sep, const char * key, const char * v)
{
    if (v == NULL)
        fprintf(out, "%s\"%s\": null", sep, key);
    else
        fprintf(out, "%s\"%s\": \"%s\"", sep, key, v);
}

static void
print_limit(FILE * out, const cli_t * cli, const limit_opts_t * lo, const fmpq_t beta,
            const limit_row_t * row, int first)
{
    char * b = ntk_rational_get_str(beta);
    int k;
    if (cli->format == CLI_FORMAT_JSON)
    {
        fprintf(out, "%s    {\"beta\": \"%s\"", first ? "" : ",\n", b);
        for (k = 0; k < row->count; k++)
            print_json_value(out, ", ", limit_keys[k], row->value[k]);
        fprintf(out, ",\n     \"closed_form\": {");
        for (k = 0; k < row->count; k++)
            print_json_value(out, k ? ", " : "", limit_keys[k], row->closed[k]);
        fprintf(out, "}, \"closed_form_agrees_to_digits\": %d}", row->agree);
    }
    else if (cli->format == CLI_FORMAT_CSV)
    {
        fprintf(out, "%s", b);
        for (k = 0; k < row->count; k++)
            fprintf(out, ",%s", row->value[k] ? row->value[k] : "");
        fprintf(out, ",%d", row->agree);
        if (cli->activation_given)
        {
            char * name = ntk_conv_get_activation_str(cli->conv);
            cli_report_csv_field(out, name);
            flint_free(name);
        }
        if (lo->order_given)
            fprintf(out, ",%d", lo->order);
        fprintf(out, "\n");
    }
    else
    {
        fprintf(out, "beta = %s\n", b);
        for (k = 0; k < row->count; k++)
            fprintf(out, "  %-28s %s\n", limit_names[k],
                    row->value[k] ? row->value[k] : "undefined (N = 0 at a = 0)");
        if (row->agree == (int) cli->digits)
            fprintf(out, "  (the closed form agrees to all %d printed digits)\n\n", row->agree);
        else
            fprintf(out, "  (the closed form agrees to only %d of the %ld printed digits)\n\n",
                    row->agree, (long) cli->digits);
    }
    flint_free(b);
}

/* a from --a, or from --x2 and --n0. */
static void
limit_check(limit_opts_t * lo, cli_t * cli)
{
    if (lo->n_beta == 0)
        cli_die("limit: --beta is required (for example --beta 0.5,1,2)");
    if (cli->x2_symbolic)
        cli_die("limit: --x2 symbolic is for 'moments'; the limit needs a number");
    if (cli->x2_given != (lo->n0 > 0) || (cli->x2_given && lo->a_given))
        cli_die("limit: give either --a, or both --x2 and --n0");
    if (cli->x2_given)
    {
        fmpq_set_si(lo->a, lo->n0, 1);
        fmpq_div(lo->a, cli->x2, lo->a);
    }
}

/* What the input x = 0 gives: K = 1 when the network above is dead (the
   slope a_minus is 0: ReLU-like), a deterministic linear network of gain 1
   per layer when |a_plus| = |a_minus|, the only other case the limit
   admits. */
static const char *
limit_x0_note(const ntk_conv_struct * conv)
{
    return fmpq_is_zero(conv->a_minus) ? " (the input x = 0: K = 1)"
        : " (the input x = 0: every gate is a_minus)";
}

static void
limit_print(FILE * out, const limit_opts_t * lo, const cli_t * cli, const limit_row_t * rows)
{
    const ntk_conv_struct * conv = cli->conv;
    char * a = ntk_rational_get_str(lo->a);
    int k;
    if (cli->format == CLI_FORMAT_JSON)
    {
        char * co = ntk_rational_get_str(conv->cw_output);
        fprintf(out, "{\n  \"a\": \"%s\", \"cw_output\": \"%s\", \"bias\": %s, \"digits\": %ld,\n  ",
               a, co, conv->bias ? "true" : "false", (long) cli->digits);
        if (lo->order_given)
        {
            char * mu4 = ntk_rational_get_str(conv->mu4);
            fprintf(out, "\"order\": %d, \"mu4\": \"%s\",\n  ", lo->order, mu4);
            flint_free(mu4);
        }
        if (cli->activation_given)
        {
            cli_report_activation(out, cli->format, conv);
            fprintf(out, ",\n  ");
        }
        if (lo->moments > 2)
            fprintf(out, "\"moments\": %d,\n  ", lo->moments);
        fprintf(out, "\"limits\": [\n");
        flint_free(co);
    }
    else if (cli->format == CLI_FORMAT_CSV)
    {
        fprintf(out, "beta");
        for (k = 0; k < ntk_limit_n(lo->moments); k++)
            fprintf(out, ",%s", limit_keys[k]);
        fprintf(out, ",closed_form_agrees_to_digits%s%s\n",
                cli->activation_given ? ",activation" : "", lo->order_given ? ",order" : "");
    }
    else
    {
        if (lo->order == 1)
            fprintf(out, "1/n corrections F_1 of the limits: each value is F_0(beta) + F_1(beta)/n + O(1/n^2)\n"
                         "as n, d -> infinity with beta = (d-1)/n fixed (d = beta n + 1 where d appears): hidden width n");
        else
            fprintf(out, "limits as n, d -> infinity with beta = (d-1)/n fixed: hidden width n");
        if (cli->activation_given)
            cli_report_activation(out, cli->format, conv);
        else
            fprintf(out, ", cw_hidden 2");
        fprintf(out, ",\nNTK parametrization, a = x2/n_0 = %s%s, biases %s", a,
               fmpq_is_zero(lo->a) ? limit_x0_note(conv) : "", conv->bias ? "on" : "off");
        if (lo->order == 1)
        {
            char * mu4 = ntk_rational_get_str(conv->mu4);
            char * co = ntk_rational_get_str(conv->cw_output);
            fprintf(out, ", mu4 = %s, cw_output = %s", mu4, co);
            flint_free(mu4);
            flint_free(co);
        }
        fprintf(out, "\n\n");
    }
    for (k = 0; k < lo->n_beta; k++)
        print_limit(out, cli, lo, lo->beta + k, rows + k, k == 0);
    if (cli->format == CLI_FORMAT_JSON)
        fprintf(out, "\n  ]\n}\n");
    flint_free(a);
}

static int
run_limit(const cli_command_t * cmd, int argc, char ** argv)
{
    cli_t cli;
    limit_opts_t * lo = flint_calloc(1, sizeof(limit_opts_t));
    limit_row_t * rows;
    ntk_error_t err;
    FILE * out;
    int k, disagree = 0;
    for (k = 0; k < MAX_LIST; k++)
        fmpq_init(lo->beta + k);
    fmpq_init(lo->a);
    fmpq_set_si(lo->a, 1, 10);
    lo->moments = 2;
    cli_init(&cli, cmd);
    cli.digits = 30;
    cli_parse(&cli, cmd, lo, argc, argv);
    limit_check(lo, &cli);
    if (ntk_conv_validate(cli.conv, &err) != NTK_OK)
        cli_fail(&err, NULL);
    rows = flint_malloc(lo->n_beta * sizeof(limit_row_t));
    /* compute all before printing: nothing half-written on an error */
    for (k = 0; k < lo->n_beta; k++)
    {
        limit_row(rows + k, lo->beta + k, lo->a, lo, &cli);
        disagree |= rows[k].agree < cli.digits;
    }
    out = cli_output_open();
    limit_print(out, lo, &cli, rows);
    cli_output_commit(out);
    for (k = 0; k < lo->n_beta; k++)
    {
        strings_free(rows[k].value, rows[k].count);
        strings_free(rows[k].closed, rows[k].count);
    }
    flint_free(rows);
    for (k = 0; k < MAX_LIST; k++)
        fmpq_clear(lo->beta + k);
    fmpq_clear(lo->a);
    flint_free(lo);
    cli_clear(&cli);
    if (disagree)
        fprintf(stderr, "ntkexact: limit: the closed form disagrees with the generator (please report)\n");
    return disagree ? 1 : 0;
}

/* The slopes, mu4 and cw_output set the working precision of --order 1:
   with every rational at these bounds it took 2.1 s per beta (3.8 s at
   beta = 10^-1000), with slopes of 256 bits alone 3 s, of 1024 bits 27 s;
   beta (10^-1000 has 3322 bits), a and x2 cost little (doc/ntkexact.1). */
static const cli_bits_t limit_bits[] = { { "activation", 64 }, { "mu4", 64 },
                                         { "cw-output", 1024 }, { NULL, 4096 } };

const cli_command_t cli_cmd_limit = {
    "limit", "the limits as width and depth grow with depth/width -> beta",
    "limit --beta B[,B...] [--a Q | --x2 Q --n0 N] [OPTIONS]",
    "The limits as the hidden width n and the depth d grow together, with\n"
    "beta = (number of hidden layers)/n fixed and a = x2/n_0 fixed (uniform hidden\n"
    "widths, the critical cw_hidden, NTK parametrization): E[K]/d, E[K^2]/d^2,\n"
    "E[K^2]/E[K]^2, E[dK]/(lambda E[K] d beta) and E[N^4]/E[N^2]^2 = 3 e^{L beta},\n"
    "L = 3 A_4/A_2^2 - 1 (5 for ReLU), from one matrix exponential of the\n"
    "generator of the transfer recursion per term, and again from their closed\n"
    "forms in e^{L beta}, e^{-beta} and beta.  --moments 3 or 4 adds E[K^3]/d^3,\n"
    "E[K^3]/E[K]^3, E[N^6]/E[N^2]^3 (= 15 e^{3 L beta}) and E[K^4]/d^4,\n"
    "E[K^4]/E[K]^4, E[N^8]/E[N^2]^4 (= 105 e^{6 L beta}), and --order 1 the 1/n\n"
    "corrections F_1 of every value.  About 0.1 s per beta at 30 digits (--order 1\n"
    "--moments 4: 0.5 s), 1-4 s at 1000 digits (--order 1 --moments 4: 4-15 s).\n",
    limit_options,
    "The limit is defined for the critical cw_hidden 1/A_2 (2 for ReLU, the\n"
    "default) in the NTK parametrization; other values are refused, and so are\n"
    "the few activation cases without a limit (each with its reason): with slopes\n"
    "0,a_minus and biases, --moments K needs beta <= 1/K (--order 1: beta < 1/K).\n",
    NULL, run_limit, limit_bits
};
