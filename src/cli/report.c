/* Formatting the reports of the moments as text, JSON or CSV, and what the
   other reports (report_sample.c) share.  The library computes; this file
   only writes. */

#include <math.h>
#include <string.h>
#include "report.h"

/* The most coefficients of a symbolic value: E[K^4] has degree 4 in x2. */
#define MAX_COEFFS (NTK_ORDER_MAX + 1)

int
cli_report_items(cli_report_item_t * items, int order, int update, int symbolic)
{
    int q, n = 0;
    order = FLINT_MAX(order, 2);     /* 0: not set, the default */
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        if (q >= ntk_quantity_count(order) && !(update && ntk_quantity_is_update((ntk_quantity_t) q)))
            continue;
        if (symbolic && ntk_quantity_is_ratio((ntk_quantity_t) q))
            continue;
        items[n].name = ntk_quantity_name((ntk_quantity_t) q);
        items[n++].q = q;
        if (q == NTK_SKEW2_K && !symbolic)
        {
            items[n].name = "Skew_K";
            items[n++].q = CLI_ITEM_SKEW;
        }
    }
    return n;
}

/* One value of a report: its exact and decimal strings (NULL: none), or the
   coefficients of x2^0, x2^1, ... when symbolic; undefined: a ratio where
   Var_K = 0. */
typedef struct
{
    int n, undefined;
    char * exact[MAX_COEFFS];
    char * decimal[MAX_COEFFS];
}
report_value_t;

/* The number of coefficients of symbolic values: x2^0 .. x2^max(2, order),
   x2^4 with the update's second moment. */
static int
report_coeffs(const cli_report_t * info)
{
    return info->x2 ? 1 : info->update ? NTK_ORDER_MAX + 1 : FLINT_MAX(3, info->order + 1);
}

static void
report_value_clear(report_value_t * v)
{
    int k;
    for (k = 0; k < v->n; k++)
    {
        flint_free(v->exact[k]);
        flint_free(v->decimal[k]);
    }
}

/* sign(M3) sqrt(Skew2) with `digits` significant digits, rounded to
   nearest: N = round(sqrt(Skew2) 10^t) exactly, by integer square roots. */
char *
cli_report_skewness_decimal(const fmpq_t skew2, const fmpq_t m3, slong digits)
{
    fmpz_t x, n, lo, hi, t;
    fmpq_t v;
    slong e, shift;
    char * s;
    if (fmpq_is_zero(skew2))
        return ntk_rational_get_decimal(skew2, digits);
    fmpz_init(x); fmpz_init(n); fmpz_init(lo); fmpz_init(hi); fmpz_init(t);
    fmpq_init(v);
    fmpz_set_ui(lo, 10);
    fmpz_pow_ui(lo, lo, (ulong) digits - 1);
    fmpz_mul_ui(hi, lo, 10);
    /* e = floor(log10 sqrt(Skew2)), first from the bit lengths */
    e = (slong) ((double) ((slong) fmpz_bits(fmpq_numref(skew2))
                           - (slong) fmpz_bits(fmpq_denref(skew2))) * 0.150514997831990598);
    for (;;)
    {
        /* x = floor(Skew2 10^(2 shift)), n = floor(sqrt(x)) */
        shift = digits - 1 - e;
        fmpz_set_ui(t, 10);
        fmpz_pow_ui(t, t, (ulong) (2 * FLINT_ABS(shift)));
        if (shift >= 0)
        {
            fmpz_mul(x, fmpq_numref(skew2), t);
            fmpz_fdiv_q(x, x, fmpq_denref(skew2));
        }
        else
        {
            fmpz_mul(x, fmpq_denref(skew2), t);
            fmpz_fdiv_q(x, fmpq_numref(skew2), x);
        }
        fmpz_sqrt(n, x);
        if (fmpz_cmp(n, hi) >= 0)
            e++;
        else if (fmpz_cmp(n, lo) < 0)
            e--;
        else
            break;
    }
    /* round: n + 1 when 4 Skew2 10^(2 shift) >= (2n + 1)^2 */
    fmpz_mul_2exp(x, n, 1);
    fmpz_add_ui(x, x, 1);
    fmpz_mul(x, x, x);
    fmpq_set_fmpz_frac(v, x, t);
    if (shift >= 0)
        fmpq_div_2exp(v, v, 2);
    else
    {
        fmpq_mul_fmpz(v, v, t);
        fmpq_mul_fmpz(v, v, t);
        fmpq_div_2exp(v, v, 2);
    }
    if (fmpq_cmp(skew2, v) >= 0)
        fmpz_add_ui(n, n, 1);
    /* the value n 10^-shift has `digits` digits: written exactly */
    fmpz_set_ui(t, 10);
    fmpz_pow_ui(t, t, (ulong) FLINT_ABS(shift));
    if (shift >= 0)
        fmpq_set_fmpz_frac(v, n, t);
    else
    {
        fmpz_mul(n, n, t);
        fmpq_set_fmpz(v, n);
    }
    if (fmpq_sgn(m3) < 0)
        fmpq_neg(v, v);
    s = ntk_rational_get_decimal(v, digits);
    fmpz_clear(x); fmpz_clear(n); fmpz_clear(lo); fmpz_clear(hi); fmpz_clear(t);
    fmpq_clear(v);
    return s;
}

void
cli_print_term(FILE * out, const fmpq_t c, slong p, int first, const char * var)
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
            fprintf(out, "%s", var);
        else
            fprintf(out, "%s^%ld", var, (long) p);
    }
    flint_free(s);
    fmpq_clear(m);
}

void
cli_report_fmpq_json(FILE * out, const char * key, const fmpq_t x, const char * sep)
{
    char * s = ntk_rational_get_str(x);
    fprintf(out, "\"%s\": \"%s\"%s", key, s, sep);
    flint_free(s);
}

void
cli_report_header_json(FILE * out, const cli_report_t * info)
{
    const ntk_profile_struct * p = info->profile;
    const ntk_conv_struct * o = info->conv;
    char * spec = ntk_profile_get_str(p);
    slong r, j, first = 1;
    fprintf(out, "{\n  \"widths\": ");
    /* a list of a billion widths helps nobody: beyond CLI_REPORT_WIDTHS_MAX
       the run-length widths_spec stands alone */
    if (p->depth + 1 > CLI_REPORT_WIDTHS_MAX)
        fprintf(out, "null");
    else
    {
        fprintf(out, "[");
        for (r = 0; r < p->n_runs; r++)
            for (j = 0; j < p->count[r]; j++, first = 0)
                fprintf(out, "%s%lu", first ? "" : ", ", (unsigned long) p->width[r]);
        fprintf(out, "]");
    }
    fprintf(out, ",\n  \"widths_spec\": \"%s\", \"depth\": %ld,\n  ", spec, (long) p->depth);
    if (info->x2)
        cli_report_fmpq_json(out, "x2", info->x2, ", ");
    else
        fprintf(out, "\"x2\": \"symbolic\", ");
    cli_report_fmpq_json(out, "mu4", o->mu4, ", ");
    cli_report_fmpq_json(out, "cw_hidden", o->cw_hidden, ", ");
    cli_report_fmpq_json(out, "cw_output", o->cw_output, ",\n  ");
    fprintf(out, "\"param\": \"%s\", \"bias\": %s,\n",
            o->param == NTK_PARAM_NTK ? "ntk" : "standard", o->bias ? "true" : "false");
    /* the order and the law's higher moments, from order 3 on; the update's
       second moment uses mu6 and mu8 too */
    if (info->order >= 3 || info->update)
    {
        int mu8 = info->order >= 4 || info->update;
        if (info->order >= 3)
            fprintf(out, "  \"order\": %d, ", info->order);
        else
            fprintf(out, "  ");
        cli_report_fmpq_json(out, "mu6", o->mu6, mu8 ? ", " : ",\n");
        if (mu8)
            cli_report_fmpq_json(out, "mu8", o->mu8, ",\n");
    }
    if (info->update)
    {
        fprintf(out, "  \"update\": true, ");
        if (info->target)
            cli_report_fmpq_json(out, "target", info->target, ",\n");
        else
            fprintf(out, "\"target\": \"0\",\n");
    }
    if (info->activation)
    {
        char * name = ntk_conv_get_activation_str(o);
        fprintf(out, "  \"activation\": \"%s\", ", name);
        cli_report_fmpq_json(out, "a_plus", o->a_plus, ", ");
        cli_report_fmpq_json(out, "a_minus", o->a_minus, ",\n");
        flint_free(name);
    }
    flint_free(spec);
}

void
cli_report_activation(FILE * out, cli_format_t format, const ntk_conv_struct * conv)
{
    char * name = ntk_conv_get_activation_str(conv);
    if (format == CLI_FORMAT_JSON)
    {
        fprintf(out, "\"activation\": \"%s\", ", name);
        cli_report_fmpq_json(out, "a_plus", conv->a_plus, ", ");
        cli_report_fmpq_json(out, "a_minus", conv->a_minus, ", ");
        cli_report_fmpq_json(out, "cw_hidden", conv->cw_hidden, "");
    }
    else
    {
        char * c = ntk_rational_get_str(conv->cw_hidden);
        fprintf(out, ", activation %s, cw_hidden %s", name, c);
        flint_free(c);
    }
    flint_free(name);
}

/* ",value" as one CSV field (RFC 4180): quoted, with its quotes doubled,
   when it holds a comma, a quote or a line break ("slopes:1/2,1/3"). */
void
cli_report_csv_field(FILE * out, const char * value)
{
    const char * c;
    if (strpbrk(value, ",\"\r\n") == NULL)
    {
        fprintf(out, ",%s", value);
        return;
    }
    fputs(",\"", out);
    for (c = value; *c != '\0'; c++)
    {
        if (*c == '"')
            fputc('"', out);
        fputc(*c, out);
    }
    fputc('"', out);
}

/* The CSV column of the activation, when it is named: its header, or its
   value in a row. */
void
cli_report_csv_activation(FILE * out, const cli_report_t * info, int header)
{
    char * name;
    if (!info->activation)
        return;
    if (header)
    {
        fprintf(out, ",activation");
        return;
    }
    name = ntk_conv_get_activation_str(info->conv);
    cli_report_csv_field(out, name);
    flint_free(name);
}

static void
print_values_json(FILE * out, const cli_report_item_t * items, const report_value_t * vals,
                  int n_items, int decimal)
{
    int i, k, first = 1;
    fprintf(out, "  \"%s\": {\n", decimal ? "decimal" : "exact");
    for (i = 0; i < n_items; i++)
    {
        const report_value_t * v = vals + i;
        if (!decimal && items[i].q == CLI_ITEM_SKEW)
            continue;     /* the skewness has no exact value */
        fprintf(out, "%s    \"%s\": ", first ? "" : ",\n", items[i].name);
        first = 0;
        for (k = 0; k < v->n; k++)
        {
            const char * str = decimal ? v->decimal[k] : v->exact[k];
            fprintf(out, "%s", v->n == 1 ? "" : (k ? ", " : "["));
            if (str)
                fprintf(out, "\"%s\"", str);
            else
                fprintf(out, "null");
            fprintf(out, "%s", v->n > 1 && k == v->n - 1 ? "]" : "");
        }
    }
    fprintf(out, "\n  }");
}

static void
report_json(FILE * out, const cli_report_t * info, const ntk_moments_t m,
            const cli_report_item_t * items, const report_value_t * vals, int n_items)
{
    int i, first = 1;
    cli_report_header_json(out, info);
    if (info->precision > 0)
        fprintf(out, "  \"precision\": %ld,\n  \"exact\": null,\n", (long) info->precision);
    else
    {
        print_values_json(out, items, vals, n_items, 0);
        fprintf(out, ",\n");
    }
    print_values_json(out, items, vals, n_items, 1);
    if (info->x2 == NULL)
    {
        /* the polynomials hold for x2 > 0; x2 = 0 is a dead input */
        fprintf(out, ",\n  \"exact_at_x2_zero\": {");
        for (i = 0; i < n_items; i++)
        {
            cli_report_fmpq_json(out, items[i].name, m->at_zero + items[i].q, "");
            fprintf(out, "%s", i + 1 < n_items ? ", " : "");
        }
        fprintf(out, "}");
        if (info->order >= 3 || info->update)
        {
            fprintf(out, ",\n  \"not_polynomials\": [");
            for (i = 0; i < NTK_N_QUANTITIES; i++)
                if (ntk_quantity_is_ratio((ntk_quantity_t) i)
                    && (i < ntk_quantity_count(info->order)
                        || (info->update && ntk_quantity_is_update((ntk_quantity_t) i))))
                {
                    fprintf(out, "%s\"%s\"%s", first ? "" : ", ", ntk_quantity_name((ntk_quantity_t) i),
                            i == NTK_SKEW2_K ? ", \"Skew_K\"" : "");
                    first = 0;
                }
            fprintf(out, "]");
        }
    }
    fprintf(out, "\n}\n");
}

static void
report_csv(FILE * out, const cli_report_t * info, const cli_report_item_t * items,
           const report_value_t * vals, int n_items)
{
    int i, k, n = report_coeffs(info);
    if (info->x2)
        fprintf(out, "quantity,exact,decimal");  /* exact is empty in the floating-point mode */
    else
    {
        fprintf(out, "quantity");
        for (k = 0; k < n; k++)
            fprintf(out, ",exact_c%d", k);
        for (k = 0; k < n; k++)
            fprintf(out, ",decimal_c%d", k);
    }
    cli_report_csv_activation(out, info, 1);
    fprintf(out, "\n");
    for (i = 0; i < n_items; i++)
    {
        fprintf(out, "%s", items[i].name);
        for (k = 0; k < vals[i].n; k++)
            fprintf(out, ",%s", vals[i].exact[k] ? vals[i].exact[k] : "");
        for (k = 0; k < vals[i].n; k++)
            fprintf(out, ",%s", vals[i].decimal[k] ? vals[i].decimal[k] : "");
        cli_report_csv_activation(out, info, 0);
        fprintf(out, "\n");
    }
}

/* An exact string for a table cell: whole, or its size when too long. */
static void
print_exact_cell(FILE * out, const char * s, int full)
{
    const char * slash = strchr(s, '/');
    size_t len = strlen(s);
    if (full || len <= 60)
        fprintf(out, "%s", s);
    else if (slash)
        fprintf(out, "(%lu-digit / %lu-digit fraction; --full prints it)",
                (unsigned long) (slash - s - (s[0] == '-')), (unsigned long) (len - (slash - s) - 1));
    else
        fprintf(out, "(%lu-digit integer; --full prints it)", (unsigned long) (len - (s[0] == '-')));
}

void
cli_report_header_text(FILE * out, const cli_report_t * info)
{
    const ntk_conv_struct * o = info->conv;
    char * spec = ntk_profile_get_str(info->profile);
    char * mu4 = ntk_rational_get_str(o->mu4), * ch = ntk_rational_get_str(o->cw_hidden);
    char * co = ntk_rational_get_str(o->cw_output);
    char * x2 = info->x2 ? ntk_rational_get_str(info->x2) : NULL;
    fprintf(out, "widths %s (depth %ld, beta = sum of 1/n_i over hidden layers = %.6g)\n",
            spec, (long) info->profile->depth, ntk_profile_beta(info->profile));
    fprintf(out, "x2 = %s, mu4 = %s", x2 ? x2 : info->order <= 2 && !info->update
            ? "symbolic (value = c0 + c1 x2 + c2 x2^2, for x2 > 0)"
            : info->order == 3 && !info->update
            ? "symbolic (value = c0 + c1 x2 + ... + c3 x2^3, for x2 > 0)"
            : "symbolic (value = c0 + c1 x2 + ... + c4 x2^4, for x2 > 0)", mu4);
    if (info->order >= 3 || info->update)
    {
        char * m6 = ntk_rational_get_str(o->mu6), * m8 = ntk_rational_get_str(o->mu8);
        fprintf(out, ", mu6 = %s", m6);
        if (info->order >= 4 || info->update)
            fprintf(out, ", mu8 = %s", m8);
        flint_free(m6); flint_free(m8);
    }
    fprintf(out, ", cw_hidden = %s, cw_output = %s, %s parametrization, biases %s", ch, co,
            o->param == NTK_PARAM_NTK ? "NTK" : "standard", o->bias ? "on" : "off");
    if (info->activation)
    {
        char * name = ntk_conv_get_activation_str(o);
        fprintf(out, ", activation %s", name);
        flint_free(name);
    }
    fprintf(out, "\n");
    if (info->precision > 0)
        fprintf(out, "floating point with %ld bits: only the digits it guarantees are printed\n",
                (long) info->precision);
    if (info->update)
    {
        char * y = info->target ? ntk_rational_get_str(info->target) : NULL;
        fprintf(out, "the first SGD update at the target y = %s: E_dK2 = E[dK^2]/lambda^2 = "
                "4 (E_N2g2 + y^2 E_g2)\n", y ? y : "0");
        flint_free(y);
    }
    if (info->x2 == NULL && (info->order >= 3 || info->update))
        fprintf(out, "%s are not polynomials in x2: left out\n",
                info->order >= 4 ? (info->update ? "Skew2_K, Skew_K, Kurt_K and RelVar_dK"
                                                 : "Skew2_K, Skew_K and Kurt_K")
                : info->order == 3 ? (info->update ? "Skew2_K, Skew_K and RelVar_dK"
                                                   : "Skew2_K and Skew_K")
                : "RelVar_dK");
    if (info->method != NULL)
        fprintf(out, "sampled by the %s method\n", info->method);
    fprintf(out, "\n");
    flint_free(spec); flint_free(mu4); flint_free(ch); flint_free(co); flint_free(x2);
}

static void
report_text(FILE * out, const cli_report_t * info, const cli_report_item_t * items,
            const report_value_t * vals, int n_items)
{
    int i, k, w = (int) FLINT_MAX(info->digits + 8, 12), nw = 8;
    cli_report_header_text(out, info);
    /* the names of the update's quantities are longer than 8 */
    for (i = 0; i < n_items; i++)
        nw = FLINT_MAX(nw, (int) strlen(items[i].name));
    for (i = 0; i < n_items; i++)
        for (k = 0; k < vals[i].n; k++)
        {
            const char * dec = vals[i].decimal[k] ? vals[i].decimal[k]
                               : !vals[i].undefined ? "(no correct digit)"
                               : items[i].q == NTK_RELVAR_DK ? "undefined (E_dK = 0)"
                               : "undefined (Var_K = 0)";
            if (vals[i].n == 1)
                fprintf(out, "%-*s %-*s ", nw, items[i].name, w, dec);
            else
                fprintf(out, "%-*s c%d %-*s ", nw, k ? "" : items[i].name, k, w, dec);
            if (vals[i].exact[k])
                print_exact_cell(out, vals[i].exact[k], info->full);
            fprintf(out, "\n");
        }
}

/* The decimal of Skew_K from the values of Skew2_K and M3_K, or NULL. */
static char *
report_skewness(const cli_report_t * info, const ntk_moments_t m)
{
    fmpq_t s2, m3;
    slong digits = info->digits;
    char * s = NULL;
    if (!ntk_moments_defined(m, NTK_SKEW2_K, info->x2))
        return NULL;
    if (info->precision > 0)
        digits = FLINT_MIN(digits, ntk_moments_digits(m, NTK_SKEW2_K, info->x2, info->precision));
    fmpq_init(s2); fmpq_init(m3);
    ntk_moments_eval(s2, m, NTK_SKEW2_K, info->x2);
    ntk_moments_eval(m3, m, NTK_M3_K, info->x2);
    if (digits > 0)
        s = cli_report_skewness_decimal(s2, m3, digits);
    fmpq_clear(s2); fmpq_clear(m3);
    return s;
}

/* res <- the coefficient of x2^k of quantity q at the target y. */
static void
poly_coeff_target(fmpq_t res, const ntk_moments_t m, ntk_quantity_t q, slong k, const fmpq_t y)
{
    fmpq_poly_t p;
    fmpq_poly_init(p);
    ntk_moments_poly_target(p, m, q, y);
    fmpq_poly_get_coeff_fmpq(res, p, k);
    fmpq_poly_clear(p);
}

/* Fills vals: the strings of every value, written on up to info->threads
   threads (a fraction of millions of digits takes as long to write in
   decimal as to compute).  The floating-point mode has no exact strings and
   prints only the digits it guarantees. */
static ntk_status_t
report_values(report_value_t * vals, const cli_report_item_t * items, int n_items,
              const cli_report_t * info, const ntk_moments_t m, ntk_error_t * err)
{
    int n = report_coeffs(info), i, k, j;
    fmpq * x = _fmpq_vec_init(CLI_REPORT_MAX_ITEMS * n);
    fmpq_t y;
    fmpq_init(y);
    if (info->target)
        fmpq_set(y, info->target);
    slong digits[CLI_REPORT_MAX_ITEMS * MAX_COEFFS];
    char * exact[CLI_REPORT_MAX_ITEMS * MAX_COEFFS], * decimal[CLI_REPORT_MAX_ITEMS * MAX_COEFFS];
    ntk_status_t status;
    for (i = 0, j = 0; i < n_items; i++)
        for (k = 0; k < n; k++, j++)
        {
            ntk_quantity_t q = (ntk_quantity_t) items[i].q;
            /* no string for Skew_K here, nor for an undefined ratio */
            digits[j] = 0;
            if (items[i].q == CLI_ITEM_SKEW || (info->x2 && !ntk_moments_defined(m, q, info->x2)))
                continue;
            if (info->x2)
                ntk_moments_eval_target(x + j, m, q, info->x2, y);
            else
                poly_coeff_target(x + j, m, q, k, y);
            digits[j] = info->digits;
            if (info->precision > 0)
                digits[j] = FLINT_MIN(digits[j], ntk_moments_digits_target(m, q, info->x2, y,
                                                                           info->precision));
        }
    status = ntk_rational_get_strs(info->precision > 0 ? NULL : exact, decimal, x, digits,
                                   (slong) n_items * n, info->threads, err);
    for (i = 0, j = 0; i < n_items; i++)
    {
        int none = items[i].q == CLI_ITEM_SKEW
                   || (info->x2 && !ntk_moments_defined(m, (ntk_quantity_t) items[i].q, info->x2));
        vals[i].n = n;
        vals[i].undefined = none && (items[i].q != CLI_ITEM_SKEW
                                     || !ntk_moments_defined(m, NTK_SKEW2_K, info->x2));
        for (k = 0; k < n; k++, j++)
        {
            vals[i].exact[k] = (info->precision > 0 || none) ? NULL : exact[j];
            vals[i].decimal[k] = none ? NULL : decimal[j];
            if (none && info->precision == 0)
                flint_free(exact[j]);
            if (none)
                flint_free(decimal[j]);
        }
        if (items[i].q == CLI_ITEM_SKEW && status == NTK_OK)
            vals[i].decimal[0] = report_skewness(info, m);
    }
    _fmpq_vec_clear(x, CLI_REPORT_MAX_ITEMS * n);
    fmpq_clear(y);
    return status;
}

ntk_status_t
cli_report_moments(FILE * out, cli_format_t format, const cli_report_t * info,
                   const ntk_moments_t m, ntk_error_t * err)
{
    cli_report_item_t items[CLI_REPORT_MAX_ITEMS];
    report_value_t vals[CLI_REPORT_MAX_ITEMS];
    int i, n_items = cli_report_items(items, info->order, info->update, info->x2 == NULL);
    if (report_values(vals, items, n_items, info, m, err) != NTK_OK)
    {
        for (i = 0; i < n_items; i++)
            report_value_clear(vals + i);
        return err ? err->status : NTK_ERR_RESOURCE;
    }
    if (format == CLI_FORMAT_JSON)
        report_json(out, info, m, items, vals, n_items);
    else if (format == CLI_FORMAT_CSV)
        report_csv(out, info, items, vals, n_items);
    else
        report_text(out, info, items, vals, n_items);
    for (i = 0; i < n_items; i++)
        report_value_clear(vals + i);
    return NTK_OK;
}

