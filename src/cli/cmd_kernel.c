/* ntkexact kernel: the NTK of two inputs at infinite width and the 1/n
   coefficients of its moments, every printed digit certified. */

#include <string.h>
#include "cli.h"
#include "report.h"

typedef struct
{
    int order;          /* 0: the infinite width only; 1 (default): and the 1/n coefficients */
    int per_layer;      /* and every hidden layer's coefficient */
}
kernel_opts_t;

static void
apply_order(cli_t * cli, void * data, const char * arg)
{
    ((kernel_opts_t *) data)->order = (int) cli_parse_long(arg, "--order", 0, 1);
}

static void
apply_per_layer(cli_t * cli, void * data, const char * arg)
{
    ((kernel_opts_t *) data)->per_layer = 1;
}

static void
apply_format(cli_t * cli, void * data, const char * arg)
{
    cli->format = cli_parse_format(arg, 1 << CLI_FORMAT_TEXT | 1 << CLI_FORMAT_JSON
                                        | 1 << CLI_FORMAT_CSV, "--format");
}

static const cli_option_t opt_x2 = { "x2", "Q", "|x|^2 of the first input x, exact rational >= 0\n"
                                     "(default 1)", "x2", cli_apply_x2 };
static const cli_option_t opt_order = { "order", "K",
    "0: the infinite-width kernels only; 1 (default): and the\n"
    "coefficients of 1/n of the moments of K(x,x')", NULL, apply_order };
static const cli_option_t opt_per_layer = { "per-layer", NULL,
    "also the coefficient c_l of 1/n_l of every hidden layer l", NULL, apply_per_layer };
static const cli_option_t opt_format = { "format", "F", "text (default), json or csv", NULL,
                                         apply_format };

static const cli_option_t * const kernel_options[] = {
    &cli_opt_widths, &opt_x2, &cli_opt_y2, &cli_opt_xy, CLI_OPTS_CONVENTIONS, &opt_order,
    &opt_per_layer, &cli_opt_digits, &opt_format, &cli_opt_quiet, &cli_opt_progress, NULL
};

/* The moments reported: the coefficients in the order of ntk_kernel_coeff_t. */
static const char * const coeff_text[NTK_KERNEL_N_COEFFS] = { "E[K(x,x')]", "Var[K(x,x')]",
    "Cov[K(x,x),K(x',x')]", "E[N(x)N(x')]", "Var[K(x,x)]", "Var[K(x',x')]",
    "Cov[K(x,x),K(x,x')]", "Cov[K(x,x'),K(x',x')]" };
static const char * const inf_keys[6] = { "Theta_xy", "Theta_xx", "Theta_yy", "Sigma_xy",
    "Sigma_xx", "Sigma_yy" };
static const char * const inf_text[6] = { "Theta(x,x')", "Theta(x,x)", "Theta(x',x')",
    "Sigma(x,x')", "Sigma(x,x)", "Sigma(x',x')" };

/* The printed values, every digit certified. */
typedef struct
{
    char * inf[6];                          /* in the order of inf_keys */
    char * sum[NTK_KERNEL_N_COEFFS], * at[NTK_KERNEL_N_COEFFS];
    char ** layer[NTK_KERNEL_N_COEFFS];     /* n_hidden each, with --per-layer */
    slong n_hidden;
}
kernel_strs_t;

static char *
decimal(const arb_t x, slong digits)
{
    char * s = ntk_kernel_get_decimal(x, digits);
    if (s == NULL)      /* ntk_kernel_compute_digits certified it: cannot happen */
        cli_die("kernel: a value lost its certified digits (please report)");
    return s;
}

static void
strs_set(kernel_strs_t * S, const ntk_kernel_t k, slong digits)
{
    static const int inf_index[6] = { 1, 0, 2, 1, 0, 2 };
    int q, i;
    slong l;
    memset(S, 0, sizeof(*S));
    S->n_hidden = k->n_hidden;
    for (i = 0; i < 6; i++)
        S->inf[i] = decimal(i < 3 ? &k->theta[inf_index[i]] : &k->sigma[inf_index[i]], digits);
    if (k->what == NTK_KERNEL_INFINITE)
        return;
    for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
    {
        S->sum[q] = decimal(&k->coeff_sum[q], digits);
        S->at[q] = decimal(&k->first_order[q], digits);
        if (k->what == NTK_KERNEL_PER_LAYER)
        {
            S->layer[q] = flint_malloc(FLINT_MAX(k->n_hidden, 1) * sizeof(char *));
            for (l = 0; l < k->n_hidden; l++)
                S->layer[q][l] = decimal(k->coeff[q] + l, digits);
        }
    }
}

static void
strs_clear(kernel_strs_t * S)
{
    int q, i;
    slong l;
    for (i = 0; i < 6; i++)
        flint_free(S->inf[i]);
    for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
    {
        flint_free(S->sum[q]);
        flint_free(S->at[q]);
        if (S->layer[q] != NULL)
        {
            for (l = 0; l < S->n_hidden; l++)
                flint_free(S->layer[q][l]);
            flint_free(S->layer[q]);
        }
    }
}

static void
print_text(FILE * out, const cli_t * cli, const ntk_profile_t prof, const kernel_strs_t * S)
{
    const ntk_conv_struct * o = cli->conv;
    char * spec = ntk_profile_get_str(prof);
    char * x2 = ntk_rational_get_str(cli->x2), * y2 = ntk_rational_get_str(cli->y2);
    char * xy = ntk_rational_get_str(cli->xy), * ch = ntk_rational_get_str(o->cw_hidden);
    char * co = ntk_rational_get_str(o->cw_output);
    int q, i;
    slong l;
    fprintf(out, "NTK of two inputs x, x' with |x|^2 = %s, |x'|^2 = %s, x.x' = %s\n", x2, y2, xy);
    fprintf(out, "widths %s (depth %ld), Gaussian weights, cw_hidden = %s, cw_output = %s, "
            "%s parametrization, biases %s", spec, (long) prof->depth, ch, co,
            o->param == NTK_PARAM_NTK ? "NTK" : "standard", o->bias ? "on" : "off");
    if (cli->activation_given)
    {
        char * name = ntk_conv_get_activation_str(o);
        fprintf(out, ", activation %s", name);
        flint_free(name);
    }
    fprintf(out, "\nevery digit printed is correct (ball arithmetic)\n\ninfinite width "
            "(Theta: the NTK, Sigma: the NNGP kernel E[N N])\n");
    for (i = 0; i < 6; i++)
        fprintf(out, "  %-24s %s\n", inf_text[i], S->inf[i]);
    if (S->sum[0] != NULL && S->n_hidden == 0)
        fprintf(out, "\ndepth 1: no hidden layer, K is not random (every 1/n coefficient is 0)\n");
    else if (S->sum[0] != NULL)
    {
        fprintf(out, "\nfirst order in 1/n: each moment M = M_inf + sum_l c_l/n_l + O(1/n^2), "
                "l over the %ld hidden\nlayers (M_inf: Theta(x,x') for E[K(x,x')], "
                "Sigma(x,x') for E[N(x)N(x')], 0 for the\n(co)variances; E[K(x,x)], "
                "E[K(x',x')], E[N(x)^2] and E[N(x')^2] have no 1/n term)\n", (long) S->n_hidden);
        fprintf(out, "  %-24s %-*s  %s\n", "", (int) cli->digits + 7, "sum_l c_l",
                "sum_l c_l/n_l (these widths)");
        for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
            fprintf(out, "  %-24s %-*s  %s\n", coeff_text[q], (int) cli->digits + 7, S->sum[q],
                    S->at[q]);
    }
    if (S->layer[0] != NULL)
    {
        fprintf(out, "\nc_l of every hidden layer l (width n_l)\n");
        for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
        {
            fprintf(out, "  %s\n", coeff_text[q]);
            for (l = 0; l < S->n_hidden; l++)
                fprintf(out, "    l = %-6ld n_l = %-10lu %s\n", (long) l + 1,
                        (unsigned long) ntk_profile_width(prof, l + 1), S->layer[q][l]);
        }
    }
    flint_free(spec); flint_free(x2); flint_free(y2); flint_free(xy); flint_free(ch);
    flint_free(co);
}

static void
print_json(FILE * out, const cli_t * cli, const ntk_profile_t prof, const kernel_strs_t * S)
{
    cli_report_t info;
    int q, i;
    slong l;
    memset(&info, 0, sizeof(info));
    info.profile = prof;
    info.conv = cli->conv;
    info.x2 = cli->x2;
    info.activation = cli->activation_given;
    cli_report_header_json(out, &info);
    fprintf(out, "  ");
    cli_report_fmpq_json(out, "y2", cli->y2, ", ");
    cli_report_fmpq_json(out, "xy", cli->xy, ", ");
    fprintf(out, "\"digits\": %ld,\n  \"infinite_width\": {", (long) cli->digits);
    for (i = 0; i < 6; i++)
        fprintf(out, "%s\"%s\": \"%s\"", i ? ", " : "", inf_keys[i], S->inf[i]);
    fprintf(out, "}");
    if (S->sum[0] != NULL)
    {
        fprintf(out, ",\n  \"first_order\": {");
        for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
            fprintf(out, "%s\n    \"%s\": {\"sum\": \"%s\", \"at_widths\": \"%s\"}", q ? "," : "",
                    ntk_kernel_coeff_name(q), S->sum[q], S->at[q]);
        fprintf(out, "\n  }");
    }
    if (S->layer[0] != NULL)
    {
        fprintf(out, ",\n  \"per_layer\": {");
        for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
        {
            fprintf(out, "%s\n    \"%s\": [", q ? "," : "", ntk_kernel_coeff_name(q));
            for (l = 0; l < S->n_hidden; l++)
                fprintf(out, "%s\"%s\"", l ? ", " : "", S->layer[q][l]);
            fprintf(out, "]");
        }
        fprintf(out, "\n  }");
    }
    fprintf(out, "\n}\n");
}

/* CSV: one row per moment M = infinite + first order; the diagonal means have
   no 1/n term (exact zeros). */
static void
print_csv(FILE * out, const kernel_strs_t * S)
{
    static const char * const diag_keys[4] = { "E_Kxx", "E_Kyy", "E_NxNx", "E_NyNy" };
    static const int diag_inf[4] = { 1, 2, 4, 5 };
    int q, i, corr = S->sum[0] != NULL;
    slong l;
    fprintf(out, "moment,infinite_width%s", corr ? ",coeff_sum,first_order" : "");
    for (l = 0; S->layer[0] != NULL && l < S->n_hidden; l++)
        fprintf(out, ",c_%ld", (long) l + 1);
    fprintf(out, "\n");
    for (q = 0; q < (corr ? NTK_KERNEL_N_COEFFS : 0); q++)
    {
        const char * inf = q == NTK_KERNEL_E_KXY ? S->inf[0] : q == NTK_KERNEL_E_NXNY ? S->inf[3] : "0";
        fprintf(out, "%s,%s,%s,%s", ntk_kernel_coeff_name(q), inf, S->sum[q], S->at[q]);
        for (l = 0; S->layer[q] != NULL && l < S->n_hidden; l++)
            fprintf(out, ",%s", S->layer[q][l]);
        fprintf(out, "\n");
    }
    if (!corr)
    {
        fprintf(out, "E_Kxy,%s\nE_NxNy,%s\n", S->inf[0], S->inf[3]);
    }
    for (i = 0; i < 4; i++)
    {
        fprintf(out, "%s,%s%s", diag_keys[i], S->inf[diag_inf[i]], corr ? ",0,0" : "");
        for (l = 0; S->layer[0] != NULL && l < S->n_hidden; l++)
            fprintf(out, ",0");
        fprintf(out, "\n");
    }
}

static int
run_kernel(const cli_command_t * cmd, int argc, char ** argv)
{
    cli_t cli;
    kernel_opts_t ko = { 1, 0 };
    ntk_profile_t prof;
    ntk_kernel_t k;
    ntk_error_t err;
    kernel_strs_t S;
    ntk_kernel_what_t what;
    cli_progress_t pr;
    FILE * out;
    cli_init(&cli, cmd);
    cli_parse(&cli, cmd, &ko, argc, argv);
    if (ko.per_layer && ko.order == 0)
        cli_die("kernel: --per-layer needs --order 1 (the coefficients)");
    ntk_profile_init(prof);
    cli_profile(prof, &cli);
    cli_two_inputs(&cli, 1);
    what = ko.order == 0 ? NTK_KERNEL_INFINITE
         : ko.per_layer ? NTK_KERNEL_PER_LAYER : NTK_KERNEL_FIRST_ORDER;
    ntk_kernel_init(k);
    cli_progress_start(&pr, &cli, "layers");
    cli.exec->progress = cli_progress_update;
    cli.exec->progress_data = &pr;
    if (ntk_kernel_compute_digits(k, prof, cli.x2, cli.y2, cli.xy, cli.conv, what, cli.digits,
                                  cli.exec, &err) != NTK_OK)
        cli_fail(&err, NULL);
    cli_progress_finish(&pr);
    strs_set(&S, k, cli.digits);
    out = cli_output_open();
    if (cli.format == CLI_FORMAT_JSON)
        print_json(out, &cli, prof, &S);
    else if (cli.format == CLI_FORMAT_CSV)
        print_csv(out, &S);
    else
        print_text(out, &cli, prof, &S);
    cli_output_commit(out);
    strs_clear(&S);
    ntk_kernel_clear(k);
    ntk_profile_clear(prof);
    cli_clear(&cli);
    return 0;
}

/* the Gram entries enter Arb exactly; their size only slows the first layer */
static const cli_bits_t kernel_bits[] = { { NULL, 4096 } };

const cli_command_t cli_cmd_kernel = {
    "kernel", "the NTK of two inputs: infinite width and 1/n coefficients, certified",
    "kernel --widths W --x2 Q --y2 Q --xy Q [OPTIONS]",
    "The NTK K(x,x') of two inputs given by their Gram entries |x|^2, |x'|^2 and\n"
    "x.x' (with n_0 the input width): the infinite-width NTK Theta and NNGP kernel\n"
    "Sigma = E[N N] (the arc-cosine recursion), and the coefficients of 1/n_l of\n"
    "E[K(x,x')], Var[K(x,x')], Cov[K(x,x),K(x',x')], E[N(x)N(x')] and the other\n"
    "covariances of the 2x2 NTK, for ReLU and the other scale-invariant\n"
    "activations, Gaussian weights.  The moments are not rational (the gates of x\n"
    "and x' agree with a probability set by the random angle between them), so\n"
    "they are computed in ball arithmetic, and every digit printed is proven\n"
    "correct (the precision is raised until it is).\n",
    kernel_options,
    "The 1/n expansion leaves out the dead-layer terms 2^-n of the exact moments\n"
    "(one slope 0 and biases), smaller than every power of 1/n. Weights other than\n"
    "Gaussian (--mu4 other than 3) are refused: the first layer's pre-activations\n"
    "are then not Gaussian, and the kernel depends on more than the Gram entries.\n"
    "Exit status: 0 on success, 1 when the output cannot be written, 2 on bad\n"
    "input (message on stderr, nothing on stdout).\n",
    NULL, run_kernel, kernel_bits
};
