/* ntkexact limit: the depth-to-width limits, from the generator of the
   transfer recursion and from their closed forms. */

#include <math.h>
#include <string.h>
#include "cli.h"

#define MAX_LIST 256

typedef struct
{
    fmpq beta[MAX_LIST];
    int n_beta;
    fmpq_t a;
    long n0;
    int a_given;
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
    "fourth moment of the weight law, >= 1: it drops out of\nthe limit", "mu4", cli_apply_mu4 };
static const cli_option_t opt_digits = { "digits", "N", "significant digits, 1..1000 (default 30)",
                                         NULL, cli_apply_digits };
static const cli_option_t opt_format = { "format", "F", "text (default), json or csv", NULL,
                                         apply_format };

static const cli_option_t * const limit_options[] = {
    &opt_beta, &opt_a, &opt_x2, &opt_n0, &opt_mu4, &cli_opt_cw_hidden, &cli_opt_cw_output,
    &cli_opt_param, &cli_opt_no_bias, &opt_digits, &opt_format, NULL
};

static void
print_limit(FILE * out, const limit_opts_t * cmd, const cli_t * cli,
            const fmpq_t beta, const ntk_limit_t l, const ntk_limit_t c, int first)
{
    static const char * const keys[5] = { "E_K_over_d", "E_K2_over_d2", "ratio_K2",
                                          "ratio_dK", "ratio_N4" };
    static const char * const names[5] = { "E[K]/d", "E[K^2]/d^2", "E[K^2]/E[K]^2",
                                           "E[dK]/(lambda E[K] d beta)", "E[N^4]/E[N^2]^2" };
    const mpfr_t * v[5] = { &l->e_k, &l->e_k2, &l->ratio_k2, &l->ratio_dk, &l->ratio_n4 };
    const mpfr_t * w[5] = { &c->e_k, &c->e_k2, &c->ratio_k2, &c->ratio_dk, &c->ratio_n4 };
    char * b = ntk_rational_get_str(beta);
    int k, d = (int) cli->digits;
    if (cli->format == CLI_FORMAT_JSON)
    {
        fprintf(out, "%s    {\"beta\": \"%s\"", first ? "" : ",\n", b);
        for (k = 0; k < 5; k++)
            mpfr_fprintf(out, ", \"%s\": \"%.*Rg\"", keys[k], d, *v[k]);
        fprintf(out, ",\n     \"closed_form\": {");
        for (k = 0; k < 5; k++)
            mpfr_fprintf(out, "%s\"%s\": \"%.*Rg\"", k ? ", " : "", keys[k], d, *w[k]);
        fprintf(out, "}}");
    }
    else if (cli->format == CLI_FORMAT_CSV)
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

static void
limit_print(const limit_opts_t * lo, const cli_t * cli, ntk_limit_t * l, ntk_limit_t * cf)
{
    const ntk_conv_struct * conv = cli->conv;
    char * a = ntk_rational_get_str(lo->a);
    int k;
    if (cli->format == CLI_FORMAT_JSON)
    {
        char * co = ntk_rational_get_str(conv->cw_output);
        printf("{\n  \"a\": \"%s\", \"cw_output\": \"%s\", \"bias\": %s, \"digits\": %ld,\n  \"limits\": [\n",
               a, co, conv->bias ? "true" : "false", (long) cli->digits);
        flint_free(co);
    }
    else if (cli->format == CLI_FORMAT_CSV)
        printf("beta,E_K_over_d,E_K2_over_d2,ratio_K2,ratio_dK,ratio_N4\n");
    else
        printf("limits as n, d -> infinity with beta = (d-1)/n fixed: hidden width n, cw_hidden 2,\n"
               "NTK parametrization, a = x2/n_0 = %s, biases %s\n\n", a, conv->bias ? "on" : "off");
    for (k = 0; k < lo->n_beta; k++)
        print_limit(stdout, lo, cli, lo->beta + k, l[k], cf[k], k == 0);
    if (cli->format == CLI_FORMAT_JSON)
        printf("\n  ]\n}\n");
    flint_free(a);
}

static int
run_limit(const cli_command_t * cmd, int argc, char ** argv)
{
    cli_t cli;
    limit_opts_t * lo = flint_calloc(1, sizeof(limit_opts_t));
    ntk_limit_t * l, * cf;
    ntk_error_t err;
    int k;
    for (k = 0; k < MAX_LIST; k++)
        fmpq_init(lo->beta + k);
    fmpq_init(lo->a);
    fmpq_set_si(lo->a, 1, 10);
    cli_init(&cli, cmd);
    cli.digits = 30;
    cli_parse(&cli, cmd, lo, argc, argv);
    limit_check(lo, &cli);
    if (ntk_conv_validate(cli.conv, &err) != NTK_OK)
        cli_fail(&err, NULL);
    l = flint_malloc(lo->n_beta * sizeof(ntk_limit_t));
    cf = flint_malloc(lo->n_beta * sizeof(ntk_limit_t));
    /* compute all before printing: nothing half-written on an error */
    for (k = 0; k < lo->n_beta; k++)
    {
        mpfr_prec_t prec = (mpfr_prec_t) (cli.digits * 3.33) + 32;
        ntk_limit_init(l[k], prec);
        ntk_limit_init(cf[k], prec);
        if (ntk_limit_compute(l[k], lo->beta + k, lo->a, cli.conv, &err) != NTK_OK
            || ntk_limit_closed_form(cf[k], lo->beta + k, lo->a, cli.conv, &err) != NTK_OK)
            cli_fail(&err, NULL);
    }
    limit_print(lo, &cli, l, cf);
    for (k = 0; k < lo->n_beta; k++)
    {
        ntk_limit_clear(l[k]);
        ntk_limit_clear(cf[k]);
    }
    flint_free(l);
    flint_free(cf);
    for (k = 0; k < MAX_LIST; k++)
        fmpq_clear(lo->beta + k);
    fmpq_clear(lo->a);
    flint_free(lo);
    cli_clear(&cli);
    return 0;
}

const cli_command_t cli_cmd_limit = {
    "limit", "the limits as width and depth grow with depth/width -> beta",
    "limit --beta B[,B...] [--a Q | --x2 Q --n0 N] [OPTIONS]",
    "The limits as the hidden width n and the depth d grow together, with\n"
    "beta = (number of hidden layers)/n fixed and a = x2/n_0 fixed (uniform hidden\n"
    "widths, cw_hidden = 2, NTK parametrization): E[K]/d, E[K^2]/d^2,\n"
    "E[K^2]/E[K]^2, E[dK]/(lambda E[K] d beta) and E[N^4]/E[N^2]^2 = 3 e^{5 beta},\n"
    "from one matrix exponential of the generator of the transfer recursion per\n"
    "term, and again from their closed forms in e^{5 beta}, e^{-beta} and beta.\n",
    limit_options,
    "The limit is defined for the critical --cw-hidden 2 in the NTK parametrization;\n"
    "other values are refused.\n",
    NULL, run_limit
};
