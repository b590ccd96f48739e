/* ntkexact expand: the moments as exact functions of the hidden width n, or
   as series in 1/n at one depth or with the depth symbolic. */

#include <string.h>
#include "cli.h"
#include "report.h"

typedef struct
{
    long depth, n0, order;
    int symbolic, series, no_dead, method, method_given, order_given, moments;
}
expand_opts_t;

static void
apply_depth(cli_t * cli, void * data, const char * arg)
{
    expand_opts_t * eo = data;
    eo->symbolic = strcmp(arg, "symbolic") == 0;
    if (!eo->symbolic)
        eo->depth = cli_parse_long(arg, "--depth", 2, 1L << 40);
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
    ((expand_opts_t *) data)->order_given = 1;
}

static void
apply_series(cli_t * cli, void * data, const char * arg)
{
    ((expand_opts_t *) data)->series = 1;
}

static void
apply_no_dead(cli_t * cli, void * data, const char * arg)
{
    ((expand_opts_t *) data)->no_dead = 1;
}

static void
apply_method(cli_t * cli, void * data, const char * arg)
{
    expand_opts_t * eo = data;
    if (strcmp(arg, "pass") == 0)
        eo->method = NTK_EXPAND_PASS;
    else if (strcmp(arg, "interpolate") == 0)
        eo->method = NTK_EXPAND_INTERPOLATE;
    else
        cli_die("--method '%s' is not one of pass, interpolate", arg);
    eo->method_given = 1;
}

static void
apply_moments(cli_t * cli, void * data, const char * arg)
{
    ((expand_opts_t *) data)->moments = (int) cli_parse_long(arg, "--moments", 2, NTK_ORDER_MAX);
    cli->order = ((expand_opts_t *) data)->moments;
}

static void
apply_format(cli_t * cli, void * data, const char * arg)
{
    cli->format = cli_parse_format(arg, 1 << CLI_FORMAT_TEXT | 1 << CLI_FORMAT_JSON, "--format");
}

static const cli_option_t opt_depth = { "depth", "D",
    "number of weight layers: 2..1000 (the 2^-n part up to 400),\n"
    "2..2^40 with --series, or 'symbolic'", "depth", apply_depth };
static const cli_option_t opt_n0 = { "n0", "N", "input width (default 1)", "n0", apply_n0 };
static const cli_option_t opt_x2 = { "x2", "Q", "||x||^2 >= 0 (default 1; 0: the dead input)", "x2", cli_apply_x2 };
static const cli_option_t opt_order = { "order", "R",
    "last power of 1/n of the series (default 4; 0..40 with\n"
    "--series or --depth symbolic, 0..20 there off the critical\n"
    "cw_hidden or at x2 = 0)", "order", apply_order };
static const cli_option_t opt_series = { "series", NULL,
    "every moment as its series in 1/n to n^-R instead of\n"
    "the exact function (the 2^-n part left out)", NULL, apply_series };
static const cli_option_t opt_no_dead = { "no-dead-part", NULL,
    "leave out the 2^-n (dead-layer) part of the exact function", NULL, apply_no_dead };
static const cli_option_t opt_method = { "method", "M",
    "pass (default): one pass with polynomials in 1/n;\n"
    "interpolate: the exact engine at d + 14 widths (slow, a check)", "method", apply_method };
static const cli_option_t opt_format = { "format", "F", "text (default) or json", NULL, apply_format };
#define STR(x) #x
#define XSTR(x) STR(x)
static const cli_option_t opt_moments = { "moments", "K",
    "the moments up to E[K^K]: 2 (default), 3 or 4 (E[K^3],\n"
    "E[K^4], their parts, M3_K, M4_K; the exact function up to\n"
    "depth " XSTR(NTK_EXPAND_DEPTH_MAX3) " at 3, " XSTR(NTK_EXPAND_DEPTH_MAX4) " at 4; --depth symbolic adds the\n"
    "series of Skew2_K, Kurt_K)",
    "moments", apply_moments };
static const cli_option_t opt_mu6 = { "mu6", "Q",
    "sixth moment of the weight law, >= mu4^2 (--moments 3|4;\n"
    "default 15, Gaussian; 27/7, uniform, with --mu4 9/5)", "mu6", cli_apply_mu6 };
static const cli_option_t opt_mu8 = { "mu8", "Q",
    "eighth moment of the weight law (--moments 4; default 105,\n"
    "Gaussian; 9, uniform, with --mu4 9/5)", "mu8", cli_apply_mu8 };

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
            cli_print_term(out, c, p, first, "n");
        first = 0;
    }
    if (json)
        fprintf(out, "}");
    else if (first && e->order < 0)
        fprintf(out, "0");
    if (!json && e->order >= 0)
        fprintf(out, "%sO(n^-%ld)", first ? "" : " + ", (long) e->order + 1);
    fmpq_clear(c);
}

static void
print_series(FILE * out, const ntk_expand_t e, ntk_quantity_t num, ntk_quantity_t den,
             int k, long order, int minus_one, const char * label, int json)
{
    fmpq * s = _fmpq_vec_init(order + 1);
    long i;
    int ok = ntk_expand_ratio_series(s, e, num, den, k, order), first = 1;
    if (minus_one && ok == 1)
        fmpq_sub_si(s, s, 1);
    fprintf(out, json ? "    \"%s\": " : "%s = ", label);
    if (ok == 0)
        fprintf(out, json ? "null" : "(starts with a positive power of n)");
    else if (ok != 1)
        fprintf(out, json ? "null" : "(undefined: E[K] = 0)");
    ok = ok == 1;
    for (i = 0; ok && i <= order; i++)
    {
        char * c = ntk_rational_get_str(s + i);
        if (json)
            fprintf(out, "%s\"%s\"", i ? ", " : "[", c);
        else if (!fmpq_is_zero(s + i))
        {
            cli_print_term(out, s + i, -i, first, "n");
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
        if (e->order >= 0)
            fprintf(out, "\"form\": \"sum_p c[0][p] n^p + O(n^-(order+1)), the 2^-n part left out\",\n  ");
        else if (!e->dead_part)
            fprintf(out, "\"form\": \"sum_p c[0][p] n^p, the 2^-n part left out\",\n  ");
        else
            fprintf(out, "\"form\": \"sum_j 2^(-j n) sum_p c[j][p] n^p\",\n  ");
        fprintf(out, "\"expansion\": {\n");
    }
    else
    {
        fprintf(out, "widths %ld, n x %ld, 1 (depth %ld), x2 = %s", cmd->n0, cmd->depth - 1,
                cmd->depth, x2);
        if (cli->activation_given)
            cli_report_activation(out, cli->format, opt);
        if (e->order >= 0)
            fprintf(out, ": series in 1/n to n^-%ld;\nthe 2^-n part (dead layers, beyond all orders in 1/n) is left out\n\n",
                    (long) e->order);
        else if (!e->dead_part)
            fprintf(out, ": exact functions of the hidden width n,\nthe 2^-n part (dead layers) left out\n\n");
        else
            fprintf(out, ": exact functions of the hidden width n\n\n");
    }
    for (q = 0; q < ntk_quantity_count(e->moment_order); q++)
    {
        if (ntk_quantity_is_ratio(q))
            continue;
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
        fprintf(out, json ? "]%s\n" : "\n%s", json ? (q + 1 < ntk_quantity_count(e->moment_order) ? "," : "") : "");
    }
    if (json)
        fprintf(out, "  },\n  \"order\": %ld,\n  \"series\": {\n", cmd->order);
    else
        fprintf(out, "\n");
    print_series(out, e, NTK_E_K2, NTK_E_K, 2, cmd->order, 1, "E[K^2]/E[K]^2 - 1", json);
    fprintf(out, json ? ",\n" : "");
    print_series(out, e, NTK_E_DK, NTK_E_K, 1, cmd->order, 0, "E[dK]/(lambda E[K])", json);
    if (e->moment_order >= 3)
    {
        fprintf(out, json ? ",\n" : "");
        print_series(out, e, NTK_E_K3, NTK_E_K, 3, cmd->order, 0, "E[K^3]/E[K]^3", json);
    }
    if (e->moment_order >= 4)
    {
        fprintf(out, json ? ",\n" : "");
        print_series(out, e, NTK_E_K4, NTK_E_K, 4, cmd->order, 0, "E[K^4]/E[K]^4", json);
    }
    if (json)
        fprintf(out, "\n  }\n}\n");
    flint_free(x2);
}

static const cli_option_t * const expand_options[] = {
    &opt_depth, &opt_n0, &opt_x2, &opt_order, &opt_moments, &opt_series, &opt_no_dead, &opt_method,
    CLI_OPTS_CONVENTIONS, &opt_mu6, &opt_mu8, &opt_format, &cli_opt_quiet, &cli_opt_progress, NULL
};

/* With --series or --depth symbolic the coefficients are polynomials in the
   depth whose size grows with the order times the size of the values: the
   rationals have at most min(32, 320/R) bits at --order R (at R = 40, 8 bits,
   every value at the bound took 8 s; 32 bits there took 37 s, the defaults
   0.5 s; doc/ntkexact.1, OPTIONS). */
#define EXPAND_SERIES_BITS 32
#define EXPAND_SERIES_BITS_ORDER 320

static void
expand_series_bits(const expand_opts_t * eo, const cli_t * cli)
{
    const ntk_conv_struct * c = cli->conv;
    slong bits = eo->order > 0 ? FLINT_MIN(EXPAND_SERIES_BITS, EXPAND_SERIES_BITS_ORDER / eo->order)
                               : EXPAND_SERIES_BITS;
    char who[64];
    if (!eo->series && !eo->symbolic)
        return;
    snprintf(who, sizeof(who), "expand %s --order %ld", eo->symbolic ? "--depth symbolic"
             : "--series", eo->order);
    cli_check_bits_at(cli->x2, "--x2", NULL, bits, who);
    cli_check_bits_at(c->mu4, "--mu4", NULL, bits, who);
    cli_check_bits_at(c->cw_output, "--cw-output", NULL, bits, who);
    cli_check_bits_at(c->a_plus, "--activation", NULL, bits, who);
    cli_check_bits_at(c->a_minus, "--activation", NULL, bits, who);
    /* the critical variance of the slopes is theirs, not given */
    if (cli->cw_hidden_given)
        cli_check_bits_at(c->cw_hidden, "--cw-hidden", NULL, bits, who);
}

/* The combinations of options that expand refuses. */
static void
expand_check(expand_opts_t * eo, const cli_t * cli)
{
    if (cli->x2_symbolic)
        cli_die("expand: --x2 symbolic is for 'moments'; expand needs a number > 0");
    if (eo->depth == 0 && !eo->symbolic)
        cli_die("expand: --depth is required (for example --depth 4, or --depth symbolic)");
    if ((eo->series || eo->symbolic) && eo->method_given)
        cli_die("expand: --method applies to the exact function of n, not to --series or --depth symbolic");
    if ((eo->series || eo->symbolic) && eo->order > NTK_SERIES_ORDER_MAX)
        cli_die("--order %ld: the series are computed to n^-%d at most", eo->order,
                NTK_SERIES_ORDER_MAX);
    if ((eo->symbolic || eo->series) && eo->no_dead)
        cli_die("expand: --no-dead-part is implied by %s (the 2^-n parts are always left out)",
                eo->symbolic ? "--depth symbolic" : "--series");
    if (eo->moments < 3 && cli->mu6_given)
        cli_die("--mu6 applies with --moments 3|4 (the moments up to E[K^2] use mu4 only)");
    if (eo->moments < 4 && cli->mu8_given)
        cli_die("--mu8 applies with --moments 4");
    if (eo->moments >= 3 && !eo->series && !eo->symbolic
        && eo->depth > (eo->moments == 3 ? NTK_EXPAND_DEPTH_MAX3 : NTK_EXPAND_DEPTH_MAX4))
        cli_die("--depth %ld: with --moments %d the exact function of n is computed up to depth %d "
                "(there about %s s; the time grows like D^3 or faster; --series gives its series in 1/n "
                "at any depth)", eo->depth, eo->moments,
                eo->moments == 3 ? (int) NTK_EXPAND_DEPTH_MAX3 : (int) NTK_EXPAND_DEPTH_MAX4,
                eo->moments == 3 ? "10" : "20");
    if (!eo->series && !eo->symbolic && eo->depth > NTK_EXPAND_DEPTH_MAX)
        cli_die("--depth %ld: the exact function of n is computed up to depth %d; --series gives its "
                "series in 1/n at any depth", eo->depth, (int) NTK_EXPAND_DEPTH_MAX);
    expand_series_bits(eo, cli);
}

/* mu6, mu8 for --moments 3|4: their defaults (cli_law_moments), which exist
   only for mu4 = 3 and 9/5. */
static void
expand_law_moments(const expand_opts_t * eo, cli_t * cli)
{
    ntk_law_t law;
    if (eo->moments >= 3 && (!cli->mu6_given || (eo->moments == 4 && !cli->mu8_given))
        && ntk_law_from_mu4(&law, cli->conv->mu4, NULL) != NTK_OK)
    {
        char * s = ntk_rational_get_str(cli->conv->mu4);
        cli_die("--mu%d is required with --moments %d and --mu4 %s (its default is the Gaussian's "
                "for mu4 = 3, the uniform law's for mu4 = 9/5)", cli->mu6_given ? 8 : 6,
                eo->moments, s);
    }
    cli_law_moments(cli);
}

static int
run_expand(const cli_command_t * cmd, int argc, char ** argv)
{
    cli_t cli;
    expand_opts_t eo;
    ntk_expand_t e;
    ntk_error_t err;
    cli_progress_t pr;
    ntk_status_t status;
    FILE * out;
    memset(&eo, 0, sizeof(eo));
    eo.n0 = 1;
    eo.order = 4;
    eo.moments = 2;
    cli_init(&cli, cmd);
    cli_parse(&cli, cmd, &eo, argc, argv);
    expand_check(&eo, &cli);
    expand_law_moments(&eo, &cli);
    if (eo.symbolic)
        return cli_expand_symbolic(&cli, eo.n0, eo.order, eo.moments);
    cli_progress_start(&pr, &cli, "work");
    cli.exec->progress = cli_progress_update;
    cli.exec->progress_data = &pr;
    ntk_expand_init(e);
    if (eo.series)
        status = ntk_expand_series_order(e, eo.depth, eo.order, (ulong) eo.n0, cli.x2, cli.conv,
                                         eo.moments, cli.exec, &err);
    else
        status = ntk_expand_compute_order(e, eo.depth, (ulong) eo.n0, cli.x2, cli.conv,
                                          eo.method, !eo.no_dead, eo.moments, cli.exec, &err);
    if (status != NTK_OK)
        cli_fail(&err, NULL);
    cli_progress_finish(&pr);
    out = cli_output_open();
    expand_print(out, &eo, &cli, e);
    cli_output_commit(out);
    ntk_expand_clear(e);
    cli_clear(&cli);
    return 0;
}

/* --depth 3 --moments 4 --method interpolate with every rational at 128
   bits took 6 s (at 256 bits 13 s); --series and --depth symbolic take
   EXPAND_SERIES_BITS (doc/ntkexact.1, OPTIONS) */
static const cli_bits_t expand_bits[] = { { NULL, 128 } };

const cli_command_t cli_cmd_expand = {
    "expand", "every moment as an exact function of the hidden width n",
    "expand --depth D|symbolic --n0 N [OPTIONS]",
    "Every moment of the profile n_0, n x (D-1), 1 as an exact function of the\n"
    "hidden width n: a polynomial in 1/n (exact rational coefficients, all\n"
    "orders; positive powers appear only in the standard parametrization) plus\n"
    "the dead-layer part, a sum of 2^(-j n) times such polynomials (only when a\n"
    "slope of the activation is 0 and biases are on). Then the series in 1/n of\n"
    "E[K^2]/E[K]^2 - 1 and E[dK]/(lambda E[K]) to --order. With --moments 3\n"
    "or 4 also E[K^3] (E[K^4]), their parts and M3_K (M4_K) as such functions,\n"
    "and the series of E[K^3]/E[K]^3 (E[K^4]/E[K]^4).\n"
    "\n"
    "With --series, every moment as its series in 1/n to n^-R at depth D, from\n"
    "functions of D (any depth); with --depth symbolic, the coefficient of n^-k\n"
    "of every moment as an exact polynomial in the depth d (with the depths\n"
    "below which it does not hold, and the values there), and those of the\n"
    "ratios (with --moments 3|4 also Skew2_K, Kurt_K) as rational functions of\n"
    "d. Off the critical cw_hidden 1/A_2 they are sums of lambda^d P(d), lambda\n"
    "= 1, c A_2, (c A_2)^2, ..., and quotients of such sums. The 2^-n parts,\n"
    "smaller than every power of 1/n, are then left out. --x2 0 is the dead\n"
    "input: every gate is a_minus (for ReLU K = 1, the output bias).\n",
    expand_options,
    "One pass whose state values are polynomials in 1/n: depth 400 with the\n"
    "2^-n part in a few seconds, depth 1000 without it in about 10 s; with\n"
    "--moments 3 depth 200 in about 8 s, with --moments 4 depth 100 in about 16 s.\n"
    "--depth symbolic --moments 4 --order 4: 0.2 s of CPU time, --order 40: 5 s;\n"
    "off the critical cw_hidden (order up to 20) --order 4: 1.5 s, --order 20:\n"
    "12 s; --series evaluates the same functions at D (up to 10000 off the\n"
    "critical cw_hidden, where --moments 2 keeps a pass up the layers: 2 min at\n"
    "depth 10000). With --series and --depth symbolic the rationals have at most\n"
    "min(32, 320/R) bits at --order R (the coefficients grow with the order\n"
    "times their size).\n",
    NULL, run_expand, expand_bits
};
