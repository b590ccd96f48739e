/* ntkexact expand --depth symbolic: the coefficients of the series in 1/n
   as exact polynomials (moments) and rational functions (ratios) of the
   depth d, with the depths where they do not hold; off the critical
   cw_hidden (and at x2 = 0) as exponential polynomials sum lambda^d P(d)
   and quotients of them. */

#include <string.h>
#include "cli.h"
#include "report.h"

/* A polynomial in d in text, highest power first ("0" when zero). */
static void
print_poly_text(FILE * out, const fmpq_poly_t p)
{
    fmpq_t c;
    slong i;
    int first = 1;
    fmpq_init(c);
    for (i = fmpq_poly_degree(p); i >= 0; i--)
    {
        fmpq_poly_get_coeff_fmpq(c, p, i);
        if (fmpq_is_zero(c))
            continue;
        cli_print_term(out, c, i, first, "d");
        first = 0;
    }
    if (first)
        fprintf(out, "0");
    fmpq_clear(c);
}

/* A polynomial in d in JSON: its coefficients, lowest power first. */
static void
print_poly_json(FILE * out, const char * key, const fmpq_poly_t p)
{
    fmpq_t c;
    slong i;
    fmpq_init(c);
    fprintf(out, "\"%s\": [", key);
    for (i = 0; i <= fmpq_poly_degree(p); i++)
    {
        char * s;
        fmpq_poly_get_coeff_fmpq(c, p, i);
        s = ntk_rational_get_str(c);
        fprintf(out, "%s\"%s\"", i ? ", " : "", s);
        flint_free(s);
    }
    fprintf(out, "]");
    fmpq_clear(c);
}

/* A lambda as text: "3/2" or "(3/2)". */
static void
print_lambda_text(FILE * out, const fmpq_t lambda)
{
    char * s = ntk_rational_get_str(lambda);
    fprintf(out, fmpz_is_one(fmpq_denref(lambda)) ? "%s" : "(%s)", s);
    flint_free(s);
}

/* p + sum_l lambda[l]^d parts[l] in text, the zero parts left out. */
static void
print_exp_text(FILE * out, const ntk_series_coeff_struct * c, const fmpq_poly_t p,
               const fmpq_poly_struct * parts)
{
    slong l;
    int first = fmpq_poly_is_zero(p);
    if (!first)
        print_poly_text(out, p);
    for (l = 0; l < c->n_lambda; l++)
    {
        if (fmpq_poly_is_zero(parts + l))
            continue;
        fprintf(out, first ? "" : " + ");
        print_lambda_text(out, c->lambda + l);
        fprintf(out, "^d [");
        print_poly_text(out, parts + l);
        fprintf(out, "]");
        first = 0;
    }
    if (first)
        fprintf(out, "0");
}

/* p + sum_l lambda[l]^d parts[l] in JSON: a list of {"lambda", "poly"},
   the part of lambda = 1 first and always, the other zero parts left out. */
static void
print_exp_json(FILE * out, const char * key, const ntk_series_coeff_struct * c,
               const fmpq_poly_t p, const fmpq_poly_struct * parts)
{
    slong l;
    fprintf(out, "\"%s\": [{\"lambda\": \"1\", ", key);
    print_poly_json(out, "poly", p);
    fprintf(out, "}");
    for (l = 0; l < c->n_lambda; l++)
    {
        char * s;
        if (fmpq_poly_is_zero(parts + l))
            continue;
        s = ntk_rational_get_str(c->lambda + l);
        fprintf(out, ", {\"lambda\": \"%s\", ", s);
        print_poly_json(out, "poly", parts + l);
        fprintf(out, "}");
        flint_free(s);
    }
    fprintf(out, "]");
}

/* Non-zero when c's denominator is 1. */
static int
coeff_den_is_one(const ntk_series_coeff_struct * c)
{
    slong l;
    for (l = 0; l < c->n_lambda; l++)
        if (!fmpq_poly_is_zero(c->den_lambda + l))
            return 0;
    return fmpq_poly_is_one(&c->den);
}

/* One coefficient: text "  n^p   num / den   [for d >= m; d = 2: v, ...]",
   or a JSON object; exp: the series has exponential polynomials (then the
   JSON keys "sum", or "num_sum" and "den_sum"). */
static void
print_coeff(FILE * out, const ntk_series_coeff_struct * c, slong power, int ratio, int json,
            int exp)
{
    slong d;
    if (json)
    {
        fprintf(out, "{\"power\": %ld, ", (long) power);
        if (exp)
        {
            print_exp_json(out, ratio ? "num_sum" : "sum", c, &c->num, c->num_lambda);
            if (ratio)
            {
                fprintf(out, ", ");
                print_exp_json(out, "den_sum", c, &c->den, c->den_lambda);
            }
        }
        else
        {
            print_poly_json(out, ratio ? "num" : "poly", &c->num);
            if (ratio)
            {
                fprintf(out, ", ");
                print_poly_json(out, "den", &c->den);
            }
        }
        fprintf(out, ", \"d_min\": %ld, \"below\": {", (long) c->d_min);
    }
    else
    {
        char label[32];
        snprintf(label, sizeof(label), "n^%ld", (long) power);
        fprintf(out, "  %-6s ", label);
        if (ratio && !coeff_den_is_one(c))
        {
            fprintf(out, "(");
            print_exp_text(out, c, &c->num, c->num_lambda);
            fprintf(out, ") / (");
            print_exp_text(out, c, &c->den, c->den_lambda);
            fprintf(out, ")");
        }
        else
            print_exp_text(out, c, &c->num, c->num_lambda);
        if (c->d_min > 2)
            fprintf(out, "   [for d >= %ld; ", (long) c->d_min);
    }
    for (d = 2; d < c->d_min; d++)
    {
        char * s = ntk_rational_get_str(c->below + d - 2);
        fprintf(out, json ? "%s\"%ld\": \"%s\"" : "%sd = %ld: %s", d > 2 ? ", " : "", (long) d, s);
        flint_free(s);
    }
    fprintf(out, json ? "}}" : (c->d_min > 2 ? "]\n" : "\n"));
}

/* Non-zero when some coefficient of s is an exponential polynomial. */
static int
series_is_exp(const ntk_series_t s)
{
    slong p;
    int q;
    for (q = 0; q < ntk_quantity_count(s->moment_order); q++)
        for (p = s->hi[q]; !ntk_quantity_is_ratio(q) && p >= -s->order; p--)
            if (ntk_series_coeff(s, q, p)->n_lambda > 0)
                return 1;
    return 0;
}

/* lambda <- the base of the exponential polynomials: c A_2, or c a_minus^2
   at x2 = 0. */
static void
series_lambda(fmpq_t lambda, const cli_t * cli)
{
    if (fmpq_is_zero(cli->x2))
        fmpq_mul(lambda, cli->conv->a_minus, cli->conv->a_minus);
    else
        ntk_conv_gate_moment(lambda, cli->conv, 2);
    fmpq_mul(lambda, lambda, cli->conv->cw_hidden);
}

static void
print_header(FILE * out, const cli_t * cli, long n0, long order, int moments, int exp)
{
    const ntk_conv_struct * conv = cli->conv;
    char * x2 = ntk_rational_get_str(cli->x2), * lam, * lam_text;
    fmpq_t lambda;
    fmpq_init(lambda);
    series_lambda(lambda, cli);
    lam = ntk_rational_get_str(lambda);
    lam_text = flint_malloc(strlen(lam) + 3);
    sprintf(lam_text, fmpz_is_one(fmpq_denref(lambda)) ? "%s" : "(%s)", lam);
    if (cli->format == CLI_FORMAT_JSON)
    {
        char * mu4 = ntk_rational_get_str(conv->mu4), * ch = ntk_rational_get_str(conv->cw_hidden),
             * co = ntk_rational_get_str(conv->cw_output);
        fprintf(out, "{\n  \"n0\": %ld, \"depth\": \"symbolic\", \"x2\": \"%s\", \"param\": \"%s\", \"bias\": %s,\n  ",
                n0, x2, conv->param == NTK_PARAM_NTK ? "ntk" : "standard", conv->bias ? "true" : "false");
        fprintf(out, "\"mu4\": \"%s\", \"cw_hidden\": \"%s\", \"cw_output\": \"%s\",\n  ", mu4, ch, co);
        if (moments >= 3)
        {
            char * mu6 = ntk_rational_get_str(conv->mu6), * mu8 = ntk_rational_get_str(conv->mu8);
            fprintf(out, "\"moments\": %d, \"mu6\": \"%s\"", moments, mu6);
            if (moments >= 4)
                fprintf(out, ", \"mu8\": \"%s\"", mu8);
            fprintf(out, ",\n  ");
            flint_free(mu6); flint_free(mu8);
        }
        if (cli->activation_given)
        {
            cli_report_activation(out, cli->format, conv);
            fprintf(out, ",\n  ");
        }
        if (exp)
            fprintf(out, "\"order\": %ld,\n  \"lambda\": \"%s\",\n  \"form\": \"sum_p c_p(d) n^p, the 2^-n parts left out; "
                    "c_p(d) = sum over the items of sum of lambda^d poly[i] d^i (ratios: num_sum(d)/den_sum(d)) "
                    "for d >= d_min, below[d] for 2 <= d < d_min\",\n"
                    "  \"series\": {\n", order, lam);
        else
            fprintf(out, "\"order\": %ld,\n  \"form\": \"sum_p c_p(d) n^p, the 2^-n parts left out; "
                    "c_p(d) = sum_i poly[i] d^i (ratios: num(d)/den(d)) for d >= d_min, below[d] for 2 <= d < d_min\",\n"
                    "  \"series\": {\n", order);
        flint_free(mu4); flint_free(ch); flint_free(co);
    }
    else
    {
        fprintf(out, "widths %ld, n x (d-1), 1 (depth d >= 2), x2 = %s", n0, x2);
        if (cli->activation_given)
            cli_report_activation(out, cli->format, conv);
        if (exp)
            fprintf(out, ": the coefficient of n^p, p >= -%ld,\n"
                    "of every moment as an exact sum of lambda^d P(d), P a polynomial in the depth d, over\n"
                    "lambda = 1, %s, %s^2, ... (%s; quotients of such sums for the\n"
                    "ratios), for every d >= 2 unless a range is given; the 2^-n parts (dead layers,\n"
                    "smaller than every power of 1/n) are left out\n\n", order, lam, lam_text,
                    fmpq_is_zero(cli->x2) ? "c a_minus^2 at x2 = 0" : "c A_2");
        else
            fprintf(out, ": the coefficient of n^p, p >= -%ld,\n"
                    "of every moment as an exact polynomial in the depth d (rational functions for the\n"
                    "ratios), for every d >= 2 unless a range is given; the 2^-n parts (dead layers,\n"
                    "smaller than every power of 1/n) are left out\n\n", order);
    }
    flint_free(x2);
    flint_free(lam);
    flint_free(lam_text);
    fmpq_clear(lambda);
}

static void
print_series(FILE * out, const ntk_series_t s, int json, int exp)
{
    slong p;
    int q, r, n_q = ntk_quantity_count(s->moment_order), n_r = ntk_ratio_count(s->moment_order),
        last = n_q - 1;
    while (ntk_quantity_is_ratio(last))
        last--;
    for (q = 0; q < n_q; q++)
    {
        if (ntk_quantity_is_ratio(q))
            continue;
        fprintf(out, json ? "    \"%s\": [" : "%s\n", ntk_quantity_name(q));
        for (p = s->hi[q]; p >= -s->order; p--)
        {
            fprintf(out, json && p < s->hi[q] ? ",\n      " : json ? "\n      " : "");
            print_coeff(out, ntk_series_coeff(s, q, p), p, 0, json, exp);
        }
        fprintf(out, json ? "]%s\n" : "", q < last ? "," : "");
    }
    fprintf(out, json ? "  },\n  \"ratios\": {\n" : "\n");
    for (r = 0; r < n_r; r++)
    {
        fprintf(out, json ? "    \"%s\": " : "%s\n", ntk_ratio_name(r));
        if (s->ratio_ok[r] == 0)
            fprintf(out, json ? "null" : "  (starts with a positive power of n)\n");
        else if (s->ratio_ok[r] < 0)
            fprintf(out, json ? "null" : "  (undefined: its denominator is 0)\n");
        for (p = 0; s->ratio_ok[r] == 1 && p <= s->order; p++)
        {
            fprintf(out, json ? (p ? ",\n      " : "[\n      ") : "");
            print_coeff(out, ntk_series_ratio(s, r, p), -p, 1, json, exp);
        }
        if (json)
            fprintf(out, "%s%s\n", s->ratio_ok[r] == 1 ? "]" : "", r + 1 < n_r ? "," : "");
    }
    if (json)
        fprintf(out, "  }\n}\n");
}

int
cli_expand_symbolic(cli_t * cli, long n0, long order, int moments)
{
    ntk_series_t s;
    ntk_error_t err;
    FILE * out;
    int exp;
    ntk_series_init(s);
    if (ntk_series_compute_order(s, order, (ulong) n0, cli->x2, cli->conv, moments, cli->exec, &err)
        != NTK_OK)
        cli_fail(&err, NULL);
    exp = series_is_exp(s);
    out = cli_output_open();
    print_header(out, cli, n0, order, moments, exp);
    print_series(out, s, cli->format == CLI_FORMAT_JSON, exp);
    cli_output_commit(out);
    ntk_series_clear(s);
    cli_clear(cli);
    return 0;
}
