/* ntkexact expand --depth symbolic: the coefficients of the series in 1/n
   as exact polynomials (moments) and rational functions (ratios) of the
   depth d, with the depths where they do not hold. */

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

/* One coefficient: text "  n^p   num / den   [for d >= m; d = 2: v, ...]",
   or a JSON object. */
static void
print_coeff(FILE * out, const ntk_series_coeff_struct * c, slong power, int ratio, int json)
{
    slong d;
    if (json)
    {
        fprintf(out, "{\"power\": %ld, ", (long) power);
        print_poly_json(out, ratio ? "num" : "poly", &c->num);
        if (ratio)
        {
            fprintf(out, ", ");
            print_poly_json(out, "den", &c->den);
        }
        fprintf(out, ", \"d_min\": %ld, \"below\": {", (long) c->d_min);
    }
    else
    {
        char label[32];
        snprintf(label, sizeof(label), "n^%ld", (long) power);
        fprintf(out, "  %-6s ", label);
        if (ratio && !fmpq_poly_is_one(&c->den))
        {
            fprintf(out, "(");
            print_poly_text(out, &c->num);
            fprintf(out, ") / (");
            print_poly_text(out, &c->den);
            fprintf(out, ")");
        }
        else
            print_poly_text(out, &c->num);
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

static void
print_header(FILE * out, const cli_t * cli, long n0, long order)
{
    const ntk_conv_struct * conv = cli->conv;
    char * x2 = ntk_rational_get_str(cli->x2);
    if (cli->format == CLI_FORMAT_JSON)
    {
        char * mu4 = ntk_rational_get_str(conv->mu4), * ch = ntk_rational_get_str(conv->cw_hidden),
             * co = ntk_rational_get_str(conv->cw_output);
        fprintf(out, "{\n  \"n0\": %ld, \"depth\": \"symbolic\", \"x2\": \"%s\", \"param\": \"%s\", \"bias\": %s,\n  ",
                n0, x2, conv->param == NTK_PARAM_NTK ? "ntk" : "standard", conv->bias ? "true" : "false");
        fprintf(out, "\"mu4\": \"%s\", \"cw_hidden\": \"%s\", \"cw_output\": \"%s\",\n  ", mu4, ch, co);
        if (cli->activation_given)
        {
            cli_report_activation(out, cli->format, conv);
            fprintf(out, ",\n  ");
        }
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
        fprintf(out, ": the coefficient of n^p, p >= -%ld,\n"
                "of every moment as an exact polynomial in the depth d (rational functions for the\n"
                "ratios), for every d >= 2 unless a range is given; the 2^-n parts (dead layers,\n"
                "smaller than every power of 1/n) are left out\n\n", order);
    }
    flint_free(x2);
}

static void
print_series(FILE * out, const ntk_series_t s, int json)
{
    slong p;
    int q, r;
    for (q = 0; q < ntk_quantity_count(2); q++)
    {
        fprintf(out, json ? "    \"%s\": [" : "%s\n", ntk_quantity_name(q));
        for (p = s->hi[q]; p >= -s->order; p--)
        {
            fprintf(out, json && p < s->hi[q] ? ",\n      " : json ? "\n      " : "");
            print_coeff(out, ntk_series_coeff(s, q, p), p, 0, json);
        }
        fprintf(out, json ? "]%s\n" : "", q + 1 < ntk_quantity_count(2) ? "," : "");
    }
    fprintf(out, json ? "  },\n  \"ratios\": {\n" : "\n");
    for (r = 0; r < NTK_N_RATIOS; r++)
    {
        fprintf(out, json ? "    \"%s\": " : "%s\n", ntk_ratio_name(r));
        if (!s->ratio_ok[r])
            fprintf(out, json ? "null" : "  (starts with a positive power of n)\n");
        for (p = 0; s->ratio_ok[r] && p <= s->order; p++)
        {
            fprintf(out, json ? (p ? ",\n      " : "[\n      ") : "");
            print_coeff(out, ntk_series_ratio(s, r, p), -p, 1, json);
        }
        if (json)
            fprintf(out, "%s%s\n", s->ratio_ok[r] ? "]" : "", r + 1 < NTK_N_RATIOS ? "," : "");
    }
    if (json)
        fprintf(out, "  }\n}\n");
}

int
cli_expand_symbolic(cli_t * cli, long n0, long order)
{
    ntk_series_t s;
    ntk_error_t err;
    FILE * out;
    ntk_series_init(s);
    if (ntk_series_compute(s, order, (ulong) n0, cli->x2, cli->conv, cli->exec, &err) != NTK_OK)
        cli_fail(&err, NULL);
    out = cli_output_open();
    print_header(out, cli, n0, order);
    print_series(out, s, cli->format == CLI_FORMAT_JSON);
    cli_output_commit(out);
    ntk_series_clear(s);
    cli_clear(cli);
    return 0;
}
