/* Option parsing for every command, from the command's table of options;
   the help text is generated from the same table.  One grammar for numbers
   and lists: no spaces, no empty list items, no '+' and no hex. */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "dist.h"

#define CLI_MAX_OPTIONS 64

/* The bound on the bits of a rational of the option being parsed (0: none). */
static slong rational_bits = 0;
static const char * bits_command = "";

void
cli_die(const char * fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    if (!cli_dist_silent())
    {
        fprintf(stderr, "ntkexact: %s", cli_dist_who());
        vfprintf(stderr, fmt, ap);
        fprintf(stderr, "\n");
    }
    va_end(ap);
    cli_dist_exit(2);
}

const char *
cli_flag_of_param(const char * param)
{
    static char flag[64];
    int c, k;
    if (param == NULL || *param == '\0')
        return NULL;
    for (c = 0; cli_commands[c] != NULL; c++)
        for (k = 0; cli_commands[c]->options[k] != NULL; k++)
        {
            const cli_option_t * o = cli_commands[c]->options[k];
            if (o->param != NULL && strcmp(o->param, param) == 0)
            {
                snprintf(flag, sizeof(flag), "--%s", o->name);
                return flag;
            }
        }
    return NULL;
}

void
cli_fail(const ntk_error_t * err, const char * hint)
{
    const char * flag = cli_flag_of_param(err->param);
    size_t len = strlen(err->param);
    const char * msg = err->message;
    int exit_status = err->status == NTK_ERR_RESOURCE ? 3 : 2;
    fflush(stdout);
    if (cli_dist_silent())
        cli_dist_exit(exit_status);
    /* the library names the parameter; the tool names the option */
    if (flag != NULL && len > 0 && strncmp(msg, err->param, len) == 0
        && (msg[len] == ':' || msg[len] == ' ' || msg[len] == '\0'))
        fprintf(stderr, "ntkexact: %s%s%s", cli_dist_who(), flag, msg + len);
    else
        fprintf(stderr, "ntkexact: %s%s", cli_dist_who(), msg);
    if (hint != NULL && err->status == NTK_ERR_TOO_LARGE)
        fprintf(stderr, "; %s", hint);
    fprintf(stderr, "\n");
    cli_dist_exit(exit_status);
}

int
cli_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (cli_dist_threads() > 0)
        return cli_dist_threads();      /* the share of one MPI rank */
    return n < 1 ? 1 : (int) FLINT_MIN(n, NTK_THREADS_MAX);
}

void
cli_init(cli_t * cli, const cli_command_t * cmd)
{
    memset(cli, 0, sizeof(*cli));
    cli->command = cmd->name;
    fmpq_init(cli->x2);
    fmpq_one(cli->x2);
    fmpq_init(cli->target);
    fmpq_init(cli->y2);
    fmpq_init(cli->xy);
    ntk_conv_init(cli->conv);
    ntk_exec_init(cli->exec);
    cli->exec->threads = cli_default_threads();
    cli->law = NTK_LAW_GAUSSIAN;
    cli->order = 2;
    cli->format = CLI_FORMAT_TEXT;
    cli->digits = 20;
}

void
cli_clear(cli_t * cli)
{
    fmpq_clear(cli->x2);
    fmpq_clear(cli->target);
    fmpq_clear(cli->y2);
    fmpq_clear(cli->xy);
    ntk_conv_clear(cli->conv);
    ntk_exec_clear(cli->exec);
}

/* ------------------------------------------------ numbers and lists */

long
cli_parse_long(const char * arg, const char * flag, long lo, long hi)
{
    const char * s = arg + (arg[0] == '-');
    char * end;
    long v;
    int ok = *s != '\0';
    for (; *s && ok; s++)
        ok = (*s >= '0' && *s <= '9');
    errno = 0;
    v = ok ? strtol(arg, &end, 10) : 0;
    if (!ok || errno != 0 || v < lo || v > hi)
        cli_die("%s '%s' is not an integer in %ld..%ld", flag, arg, lo, hi);
    return v;
}

ulong
cli_parse_ulong(const char * arg, const char * flag)
{
    const char * s;
    unsigned long long v;
    int ok = *arg != '\0';
    for (s = arg; *s && ok; s++)
        ok = (*s >= '0' && *s <= '9');
    errno = 0;
    v = ok ? strtoull(arg, NULL, 10) : 0;
    if (!ok || errno != 0)
        cli_die("%s '%s' is not an integer in 0..2^64-1", flag, arg);
    return (ulong) v;
}

void
cli_check_bits_at(const fmpq_t v, const char * flag, const char * arg, slong bits,
                  const char * who)
{
    ulong num = fmpz_bits(fmpq_numref(v)), den = fmpz_bits(fmpq_denref(v));
    char * text = NULL;
    if (bits <= 0 || (num <= (ulong) bits && den <= (ulong) bits))
        return;
    if (arg == NULL)
        arg = text = ntk_rational_get_str(v);
    cli_die("%s '%.40s%s': a %s of %lu bits; %s takes rationals of at most %ld bits in "
            "numerator and denominator (its time grows with them)", flag, arg,
            strlen(arg) > 40 ? "..." : "", num >= den ? "numerator" : "denominator",
            FLINT_MAX(num, den), who, (long) bits);
}

void
cli_check_bits(const fmpq_t v, const char * flag, const char * arg)
{
    cli_check_bits_at(v, flag, arg, rational_bits, bits_command);
}

void
cli_parse_rational(fmpq_t res, const char * arg, const char * flag)
{
    ntk_error_t err;
    if (ntk_rational_set_str(res, arg, flag, &err) != NTK_OK)
        cli_die("%s", err.message);
    cli_check_bits(res, flag, arg);
}

/* The bound of option name (NULL: the command's other options) in cmd. */
static slong
option_bits(const cli_command_t * cmd, const char * name)
{
    const cli_bits_t * b = cmd->bits;
    if (b == NULL)
        return 0;
    for (; b->name != NULL; b++)
        if (name != NULL && strcmp(b->name, name) == 0)
            return b->bits;
    return b->bits;
}

int
cli_parse_rational_list(fmpq * res, int max, const char * arg, const char * flag)
{
    const char * item = arg;
    char buf[128];
    int n = 0;
    for (;;)
    {
        const char * end = strchr(item, ',');
        size_t len = end ? (size_t) (end - item) : strlen(item);
        if (len == 0)
            cli_die("%s '%s': an empty item", flag, arg);
        if (n == max)
            cli_die("%s: at most %d values", flag, max);
        if (len >= sizeof(buf))
            cli_die("%s: the item '%.20s...' is too long", flag, item);
        memcpy(buf, item, len);
        buf[len] = '\0';
        cli_parse_rational(res + n++, buf, flag);
        if (end == NULL)
            return n;
        item = end + 1;
    }
}

cli_format_t
cli_parse_format(const char * arg, int allowed, const char * flag)
{
    static const char * const names[] = { "text", "json", "csv", "jsonl" };
    char list[64] = "";
    int f;
    for (f = 0; f < 4; f++)
        if ((allowed >> f) & 1)
        {
            if (strcmp(arg, names[f]) == 0)
                return (cli_format_t) f;
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                     list[0] ? ", " : "", names[f]);
        }
    cli_die("%s '%s' is not one of %s", flag, arg, list);
}

void
cli_profile(ntk_profile_t prof, const cli_t * cli)
{
    ntk_error_t err;
    if (cli->widths == NULL)
        cli_die("%s: --widths is required (for example --widths 10,100x10,1)", cli->command);
    if (ntk_profile_set_str(prof, cli->widths, &err) != NTK_OK)
        cli_fail(&err, NULL);
}

/* ------------------------------------------------ the shared options */

static void
apply_widths(cli_t * cli, void * data, const char * arg)
{
    cli->widths = arg;
}

void
cli_apply_x2(cli_t * cli, void * data, const char * arg)
{
    cli->x2_given = 1;
    cli->x2_symbolic = (strcmp(arg, "symbolic") == 0);
    if (cli->x2_symbolic)
        return;
    cli_parse_rational(cli->x2, arg, "--x2");
    if (fmpq_sgn(cli->x2) < 0)
        cli_die("--x2 '%s': the squared norm of the input must be >= 0", arg);
}

static void
apply_y2(cli_t * cli, void * data, const char * arg)
{
    cli_parse_rational(cli->y2, arg, "--y2");
    if (fmpq_sgn(cli->y2) < 0)
        cli_die("--y2 '%s': the squared norm of the second input must be >= 0", arg);
    cli->y2_given = 1;
}

static void
apply_xy(cli_t * cli, void * data, const char * arg)
{
    cli_parse_rational(cli->xy, arg, "--xy");
    cli->xy_given = 1;
}

int
cli_two_inputs(cli_t * cli, int required)
{
    ntk_error_t err;
    if (cli->x2_symbolic && (cli->xy_given || required))
        cli_die("%s: --x2 symbolic is for one input; two inputs need numbers", cli->command);
    if (!cli->xy_given)
    {
        if (required)
            cli_die("%s: --xy is required: the inner product x.x' of the two inputs "
                    "(for example --x2 1 --y2 2 --xy 1/2)", cli->command);
        if (cli->y2_given)
            cli_die("%s: --y2 needs --xy (the second input is given by both)", cli->command);
        return 0;
    }
    if (ntk_kernel_check_inputs(cli->x2, cli->y2_given ? cli->y2 : cli->x2, cli->xy, &err)
        != NTK_OK)
        cli_fail(&err, NULL);
    if (!cli->y2_given)
        fmpq_set(cli->y2, cli->x2);
    return 1;
}

void
cli_apply_mu4(cli_t * cli, void * data, const char * arg)
{
    cli_parse_rational(cli->conv->mu4, arg, "--mu4");
}

void
cli_apply_mu6(cli_t * cli, void * data, const char * arg)
{
    cli_parse_rational(cli->conv->mu6, arg, "--mu6");
    cli->mu6_given = 1;
}

void
cli_apply_mu8(cli_t * cli, void * data, const char * arg)
{
    cli_parse_rational(cli->conv->mu8, arg, "--mu8");
    cli->mu8_given = 1;
}

static void
apply_order(cli_t * cli, void * data, const char * arg)
{
    cli->order = (int) cli_parse_long(arg, "--order", 2, NTK_ORDER_MAX);
}

/* The default of the law's k-th moment (6 or 8) for the given mu4, or exit. */
static void
law_moment_default(fmpq_t mu, const fmpq_t mu4, int k, int update)
{
    ntk_law_t law;
    if (ntk_law_from_mu4(&law, mu4, NULL) != NTK_OK)
    {
        char * s = ntk_rational_get_str(mu4);
        cli_die("--mu%d is required with %s and --mu4 %s (its default is the Gaussian "
                "%s for mu4 = 3, the uniform law's %s for mu4 = 9/5)", k,
                update ? "--update" : k == 6 ? "--order 3|4" : "--order 4",
                s, k == 6 ? "15" : "105", k == 6 ? "27/7" : "9");
    }
    ntk_law_moment(mu, law, (ulong) k);
    if (law == NTK_LAW_UNIFORM)
    {
        char * s = ntk_rational_get_str(mu);
        fprintf(stderr, "ntkexact: warning: --mu%d not given: the uniform law's %s (mu4 = 9/5)\n",
                k, s);
        flint_free(s);
    }
}

void
cli_law_moments(cli_t * cli)
{
    ntk_conv_struct * conv = cli->conv;
    ntk_error_t err;
    /* the update's second moment has families of eight paths, as order 4;
       a value given is checked, or refused where no moment uses it */
    int order = cli->update ? NTK_ORDER_MAX : cli->order;
    if (order < 3 && cli->mu6_given)
        cli_die("--mu6 applies with --order 3|4 or --update (the moments up to E[K^2] use mu4 only)");
    if (order < 4 && cli->mu8_given)
        cli_die("--mu8 applies with --order 4 or --update (the moments up to E[K^3] use mu4 and mu6 only)");
    if (order >= 3 && !cli->mu6_given)
        law_moment_default(conv->mu6, conv->mu4, 6, cli->update && cli->order < 3);
    if (order >= 4 && !cli->mu8_given)
        law_moment_default(conv->mu8, conv->mu4, 8, cli->update && cli->order < 4);
    if (ntk_conv_validate_order(conv, order, &err) != NTK_OK)
        cli_fail(&err, NULL);
}

void
cli_apply_update(cli_t * cli, void * data, const char * arg)
{
    cli->update = 1;
}

static void
apply_target(cli_t * cli, void * data, const char * arg)
{
    cli_parse_rational(cli->target, arg, "--target");
    cli->update = 1;
}

static void
apply_cw_hidden(cli_t * cli, void * data, const char * arg)
{
    cli_parse_rational(cli->conv->cw_hidden, arg, "--cw-hidden");
    cli->cw_hidden_given = 1;
}

static void
apply_activation(cli_t * cli, void * data, const char * arg)
{
    ntk_error_t err;
    if (ntk_conv_set_activation_str(cli->conv, arg, &err) != NTK_OK)
        cli_fail(&err, NULL);
    cli_check_bits(cli->conv->a_plus, "--activation", arg);
    cli_check_bits(cli->conv->a_minus, "--activation", arg);
    cli->activation_given = 1;
}

static void
apply_cw_output(cli_t * cli, void * data, const char * arg)
{
    cli_parse_rational(cli->conv->cw_output, arg, "--cw-output");
}

static void
apply_param(cli_t * cli, void * data, const char * arg)
{
    if (strcmp(arg, "ntk") == 0)
        cli->conv->param = NTK_PARAM_NTK;
    else if (strcmp(arg, "standard") == 0)
        cli->conv->param = NTK_PARAM_STANDARD;
    else
        cli_die("--param '%s' is not one of ntk, standard", arg);
}

static void
apply_no_bias(cli_t * cli, void * data, const char * arg)
{
    cli->conv->bias = 0;
}

static void
apply_threads(cli_t * cli, void * data, const char * arg)
{
    cli->exec->threads = (int) cli_parse_long(arg, "--threads", 1, NTK_THREADS_MAX);
}

static void
apply_quiet(cli_t * cli, void * data, const char * arg)
{
    cli->quiet = 1;
}

static void
apply_progress(cli_t * cli, void * data, const char * arg)
{
    cli->progress = 1;
}

void
cli_apply_digits(cli_t * cli, void * data, const char * arg)
{
    cli->digits = cli_parse_long(arg, "--digits", 1, 1000);
}

const cli_option_t cli_opt_widths = { "widths", "W",
    "n_0,n_1,...,n_d with n_d = 1; NxK means K layers of width N", "widths", apply_widths };
const cli_option_t cli_opt_x2 = { "x2", "Q", "||x||^2, exact rational >= 0 (default 1)", "x2", cli_apply_x2 };
const cli_option_t cli_opt_y2 = { "y2", "Q",
    "|x'|^2 of the second input x', exact rational >= 0\n(default: the value of --x2)", "y2",
    apply_y2 };
const cli_option_t cli_opt_xy = { "xy", "Q",
    "x.x', the inner product of the two inputs, exact\nrational with (x.x')^2 <= |x|^2 |x'|^2",
    "xy", apply_xy };
const cli_option_t cli_opt_mu4 = { "mu4", "Q",
    "fourth moment of the weight law, >= 1 (default 3, Gaussian)", "mu4", cli_apply_mu4 };
const cli_option_t cli_opt_mu6 = { "mu6", "Q",
    "sixth moment of the weight law, >= mu4^2 (--order 3|4;\n"
    "default 15, Gaussian; 27/7, uniform, with --mu4 9/5)", "mu6", cli_apply_mu6 };
const cli_option_t cli_opt_mu8 = { "mu8", "Q",
    "eighth moment of the weight law (--order 4; default 105,\n"
    "Gaussian; 9, uniform, with --mu4 9/5)", "mu8", cli_apply_mu8 };
const cli_option_t cli_opt_update = { "update", NULL,
    "add the second moment of the first SGD update: E_g2,\n"
    "E_N2g2 and its parts, E_dK2 = E[dK^2]/lambda^2, Var_dK,\n"
    "RelVar_dK (uses --mu6, --mu8 as --order 4 does)", NULL, cli_apply_update };
const cli_option_t cli_opt_target = { "target", "Y",
    "the target y of the loss (N - y)^2/2 for E_dK2, Var_dK,\n"
    "RelVar_dK, exact rational (default 0); implies --update", "target", apply_target };
const cli_option_t cli_opt_order = { "order", "K",
    "the moments up to E[K^K]: 2 (default), 3 or 4; 3 and 4\n"
    "add E[K^3], E[K^4], their parts, the central moments,\n"
    "the skewness and kurtosis, E[N^6], E[N^8]", "order", apply_order };
const cli_option_t cli_opt_cw_hidden = { "cw-hidden", "Q",
    "weight variance c of hidden layers, > 0 (default 2)", "cw_hidden", apply_cw_hidden };
const cli_option_t cli_opt_cw_output = { "cw-output", "Q",
    "weight variance c of the output layer, > 0 (default 1)", "cw_output", apply_cw_output };
const cli_option_t cli_opt_param = { "param", "P",
    "ntk (default) or standard parametrization of K_w", "param", apply_param };
const cli_option_t cli_opt_no_bias = { "no-bias", NULL,
    "biases are not trainable parameters (K_b = 0)", "bias", apply_no_bias };
const cli_option_t cli_opt_activation = { "activation", "A",
    "relu (default), linear, abs, leaky:ALPHA (slopes 1,ALPHA)\n"
    "or slopes:A_PLUS,A_MINUS; cw_hidden then defaults to\n"
    "the critical 1/A_2, A_2 = (A_PLUS^2 + A_MINUS^2)/2", "activation", apply_activation };
const cli_option_t cli_opt_threads = { "threads", "T",
    "worker threads (default: the number of online CPUs);\nthe output does not depend on it",
    "threads", apply_threads };
const cli_option_t cli_opt_quiet = { "quiet", NULL, "no progress line on stderr", NULL, apply_quiet };
const cli_option_t cli_opt_progress = { "progress", NULL,
    "the progress line on stderr even without a terminal", NULL, apply_progress };
const cli_option_t cli_opt_digits = { "digits", "N",
    "significant digits of the decimals, 1..1000 (default 20)", NULL, cli_apply_digits };

static const cli_option_t cli_opt_help = { "help", NULL, "this text", NULL, NULL };

/* ------------------------------------------------ help and parsing */

void
cli_print_help(FILE * out, const cli_command_t * cmd)
{
    int k;
    fprintf(out, "Usage: ntkexact %s\n\n%s\n", cmd->usage, cmd->description);
    for (k = 0; ; k++)
    {
        const cli_option_t * o = cmd->options[k] ? cmd->options[k] : &cli_opt_help;
        char head[64];
        const char * h = o->help;
        snprintf(head, sizeof(head), "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        if (strlen(head) <= 16)
            fprintf(out, "  %-18s", head);
        else
            fprintf(out, "  %s\n%20s", head, "");
        /* continuation lines of the help text line up under it */
        for (; *h; h++)
            if (*h == '\n')
                fprintf(out, "\n%20s", "");
            else
                fputc(*h, out);
        fprintf(out, "\n");
        if (cmd->options[k] == NULL)
            break;
    }
    if (cmd->bits != NULL)
    {
        const cli_bits_t * b;
        fprintf(out, "\nRationals have at most %ld bits in numerator and denominator",
                (long) option_bits(cmd, NULL));
        for (b = cmd->bits; b->name != NULL; b++)
            fprintf(out, "%s--%s: %ld", b == cmd->bits ? "\n(" : ", ", b->name, (long) b->bits);
        fprintf(out, "%s;\nthe time of the computation grows with them.\n",
                cmd->bits->name != NULL ? ")" : "");
    }
    if (cmd->footer != NULL)
        fprintf(out, "\n%s", cmd->footer);
}

/* The name of the option in argv text "--name" or "--name=value". */
static void
option_name(char * name, size_t size, const char * text)
{
    size_t len;
    while (*text == '-')
        text++;
    len = strcspn(text, "=");
    snprintf(name, size, "%.*s", (int) FLINT_MIN(len, size - 1), text);
}

/* Ends the program for an option that cmd does not take, saying why. */
static void
unknown_option(const cli_command_t * cmd, const char * text)
{
    char name[64];
    int c, k;
    option_name(name, sizeof(name), text);
    for (k = 0; cmd->rejects != NULL && cmd->rejects[k].name != NULL; k++)
        if (strcmp(cmd->rejects[k].name, name) == 0)
            cli_die("%s: option '--%s' does not apply: %s", cmd->name, name, cmd->rejects[k].reason);
    for (c = 0; cli_commands[c] != NULL; c++)
        for (k = 0; cli_commands[c]->options[k] != NULL; k++)
            if (strcmp(cli_commands[c]->options[k]->name, name) == 0)
                cli_die("%s: option '--%s' does not apply (see 'ntkexact %s --help')",
                        cmd->name, name, cmd->name);
    cli_die("%s: unknown option '%s' (see 'ntkexact %s --help')", cmd->name, text, cmd->name);
}

void
cli_parse(cli_t * cli, const cli_command_t * cmd, void * data, int argc, char ** argv)
{
    struct option longopts[CLI_MAX_OPTIONS + 2];
    int n, c;
    for (n = 0; cmd->options[n] != NULL && n < CLI_MAX_OPTIONS; n++)
    {
        longopts[n].name = cmd->options[n]->name;
        longopts[n].has_arg = cmd->options[n]->arg ? required_argument : no_argument;
        longopts[n].flag = NULL;
        longopts[n].val = 256 + n;
    }
    longopts[n].name = "help";
    longopts[n].has_arg = no_argument;
    longopts[n].flag = NULL;
    longopts[n].val = 'H';
    memset(longopts + n + 1, 0, sizeof(struct option));
    optind = 1;
    opterr = 0;
    bits_command = cmd->name;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1)
    {
        if (c == ':')
            cli_die("%s: option '%s' is missing its value (see 'ntkexact %s --help')",
                    cmd->name, argv[optind - 1], cmd->name);
        if (c == '?')
            unknown_option(cmd, argv[optind - 1]);
        if (c == 'H')
        {
            cli_print_help(stdout, cmd);
            cli_exit(0);
        }
        rational_bits = option_bits(cmd, cmd->options[c - 256]->name);
        cmd->options[c - 256]->apply(cli, data, optarg);
    }
    rational_bits = option_bits(cmd, NULL);
    if (optind < argc)
        cli_die("%s: unexpected argument '%s'", cmd->name, argv[optind]);
    if (cli->quiet && cli->progress)
        cli_die("%s: give one of --quiet (no progress line) and --progress (the progress line "
                "without a terminal)", cmd->name);
    /* the critical variance of the activation, unless given */
    if (cli->activation_given && !cli->cw_hidden_given)
        ntk_conv_critical(cli->conv->cw_hidden, cli->conv);
}
