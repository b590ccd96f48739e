/* Formatting the reports of the tool: moments, table rows, Monte Carlo
   estimates and the exact-versus-sampled check, as text, JSON or CSV.  The
   library computes; this file only writes. */

#include <math.h>
#include <string.h>
#include "report.h"

/* The quantities a report lists: the eleven of the JSON "exact" object, then the extras. */
static const ntk_quantity_t report_order[NTK_N_QUANTITIES] = {
    NTK_E_K, NTK_E_KW, NTK_E_KB, NTK_E_K2, NTK_E_KW2, NTK_E_KB2, NTK_E_KWKB,
    NTK_VAR_K, NTK_E_DK, NTK_E_DWW, NTK_E_DWB, NTK_E_N2, NTK_E_N4
};

/* One value of a report: its exact and decimal strings, or the three
   coefficients of x2^0, x2^1, x2^2 when symbolic. */
typedef struct
{
    int n;
    char * exact[3];
    char * decimal[3];
}
report_value_t;

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

static void
print_fmpq_json(FILE * out, const char * key, const fmpq_t x, const char * sep)
{
    char * s = ntk_rational_get_str(x);
    fprintf(out, "\"%s\": \"%s\"%s", key, s, sep);
    flint_free(s);
}

static void
print_header_json(FILE * out, const cli_report_t * info)
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
        print_fmpq_json(out, "x2", info->x2, ", ");
    else
        fprintf(out, "\"x2\": \"symbolic\", ");
    print_fmpq_json(out, "mu4", o->mu4, ", ");
    print_fmpq_json(out, "cw_hidden", o->cw_hidden, ", ");
    print_fmpq_json(out, "cw_output", o->cw_output, ",\n  ");
    fprintf(out, "\"param\": \"%s\", \"bias\": %s,\n",
            o->param == NTK_PARAM_NTK ? "ntk" : "standard", o->bias ? "true" : "false");
    if (info->activation)
    {
        char * name = ntk_conv_get_activation_str(o);
        fprintf(out, "  \"activation\": \"%s\", ", name);
        print_fmpq_json(out, "a_plus", o->a_plus, ", ");
        print_fmpq_json(out, "a_minus", o->a_minus, ",\n");
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
        print_fmpq_json(out, "a_plus", conv->a_plus, ", ");
        print_fmpq_json(out, "a_minus", conv->a_minus, ", ");
        print_fmpq_json(out, "cw_hidden", conv->cw_hidden, "");
    }
    else
    {
        char * c = ntk_rational_get_str(conv->cw_hidden);
        fprintf(out, ", activation %s, cw_hidden %s", name, c);
        flint_free(c);
    }
    flint_free(name);
}

/* The CSV column of the activation, when it is named: its header, or its
   value in a row. */
static void
print_csv_activation(FILE * out, const cli_report_t * info, int header)
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
    fprintf(out, ",%s", name);
    flint_free(name);
}

static void
print_values_json(FILE * out, report_value_t * vals, int decimal)
{
    int i, k;
    fprintf(out, "  \"%s\": {\n", decimal ? "decimal" : "exact");
    for (i = 0; i < NTK_N_QUANTITIES; i++)
    {
        report_value_t * v = vals + i;
        fprintf(out, "    \"%s\": ", ntk_quantity_name(report_order[i]));
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
        fprintf(out, "%s\n", i + 1 < NTK_N_QUANTITIES ? "," : "");
    }
    fprintf(out, "  }");
}

static void
report_json(FILE * out, const cli_report_t * info, const ntk_moments_t m,
            report_value_t * vals)
{
    int i;
    print_header_json(out, info);
    if (info->precision > 0)
        fprintf(out, "  \"precision\": %ld,\n  \"exact\": null,\n", (long) info->precision);
    else
    {
        print_values_json(out, vals, 0);
        fprintf(out, ",\n");
    }
    print_values_json(out, vals, 1);
    if (info->x2 == NULL)
    {
        /* the polynomials hold for x2 > 0; x2 = 0 is a dead input */
        fprintf(out, ",\n  \"exact_at_x2_zero\": {");
        for (i = 0; i < NTK_N_QUANTITIES; i++)
            print_fmpq_json(out, ntk_quantity_name(report_order[i]),
                            m->at_zero + report_order[i],
                            i + 1 < NTK_N_QUANTITIES ? ", " : "");
        fprintf(out, "}");
    }
    fprintf(out, "\n}\n");
}

static void
report_csv(FILE * out, const cli_report_t * info, report_value_t * vals)
{
    int i, k;
    if (info->x2)
        fprintf(out, "quantity,exact,decimal");  /* exact is empty in the floating-point mode */
    else
        fprintf(out, "quantity,exact_c0,exact_c1,exact_c2,decimal_c0,decimal_c1,decimal_c2");
    print_csv_activation(out, info, 1);
    fprintf(out, "\n");
    for (i = 0; i < NTK_N_QUANTITIES; i++)
    {
        fprintf(out, "%s", ntk_quantity_name(report_order[i]));
        for (k = 0; k < vals[i].n; k++)
            fprintf(out, ",%s", vals[i].exact[k] ? vals[i].exact[k] : "");
        for (k = 0; k < vals[i].n; k++)
            fprintf(out, ",%s", vals[i].decimal[k] ? vals[i].decimal[k] : "");
        print_csv_activation(out, info, 0);
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

static void
report_text_header(FILE * out, const cli_report_t * info)
{
    const ntk_conv_struct * o = info->conv;
    char * spec = ntk_profile_get_str(info->profile);
    char * mu4 = ntk_rational_get_str(o->mu4), * ch = ntk_rational_get_str(o->cw_hidden);
    char * co = ntk_rational_get_str(o->cw_output);
    char * x2 = info->x2 ? ntk_rational_get_str(info->x2) : NULL;
    fprintf(out, "widths %s (depth %ld, beta = sum of 1/n_i over hidden layers = %.6g)\n",
            spec, (long) info->profile->depth, ntk_profile_beta(info->profile));
    fprintf(out, "x2 = %s, mu4 = %s, cw_hidden = %s, cw_output = %s, %s parametrization, biases %s",
            x2 ? x2 : "symbolic (value = c0 + c1 x2 + c2 x2^2, for x2 > 0)", mu4, ch, co,
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
    if (info->method != NULL)
        fprintf(out, "sampled by the %s method\n", info->method);
    fprintf(out, "\n");
    flint_free(spec); flint_free(mu4); flint_free(ch); flint_free(co); flint_free(x2);
}

static void
report_text(FILE * out, const cli_report_t * info, report_value_t * vals)
{
    int i, k, w = (int) FLINT_MAX(info->digits + 8, 12);
    report_text_header(out, info);
    for (i = 0; i < NTK_N_QUANTITIES; i++)
        for (k = 0; k < vals[i].n; k++)
        {
            const char * dec = vals[i].decimal[k] ? vals[i].decimal[k] : "(no correct digit)";
            if (vals[i].n == 1)
                fprintf(out, "%-8s %-*s ", ntk_quantity_name(report_order[i]), w, dec);
            else
                fprintf(out, "%-8s c%d %-*s ", k ? "" : ntk_quantity_name(report_order[i]), k, w, dec);
            if (vals[i].exact[k])
                print_exact_cell(out, vals[i].exact[k], info->full);
            fprintf(out, "\n");
        }
}

/* Fills vals: the strings of every value, written on up to info->threads
   threads (a fraction of millions of digits takes as long to write in
   decimal as to compute).  The floating-point mode has no exact strings and
   prints only the digits it guarantees. */
static ntk_status_t
report_values(report_value_t * vals, const cli_report_t * info, const ntk_moments_t m,
              ntk_error_t * err)
{
    int n = info->x2 ? 1 : 3, i, k, j;
    fmpq * x = _fmpq_vec_init(NTK_N_QUANTITIES * n);
    slong digits[NTK_N_QUANTITIES * 3];
    char * exact[NTK_N_QUANTITIES * 3], * decimal[NTK_N_QUANTITIES * 3];
    ntk_status_t status;
    for (i = 0, j = 0; i < NTK_N_QUANTITIES; i++)
        for (k = 0; k < n; k++, j++)
        {
            ntk_quantity_t q = report_order[i];
            if (info->x2)
                ntk_moments_eval(x + j, m, q, info->x2);
            else
                fmpq_poly_get_coeff_fmpq(x + j, m->poly + q, k);
            digits[j] = info->digits;
            if (info->precision > 0)
                digits[j] = FLINT_MIN(digits[j], ntk_moments_digits(m, q, info->x2, info->precision));
        }
    status = ntk_rational_get_strs(info->precision > 0 ? NULL : exact, decimal, x, digits,
                                   NTK_N_QUANTITIES * n, info->threads, err);
    for (i = 0, j = 0; i < NTK_N_QUANTITIES; i++)
    {
        vals[i].n = n;
        for (k = 0; k < n; k++, j++)
        {
            vals[i].exact[k] = info->precision > 0 ? NULL : exact[j];
            vals[i].decimal[k] = decimal[j];
        }
    }
    _fmpq_vec_clear(x, NTK_N_QUANTITIES * n);
    return status;
}
ntk_status_t
cli_report_moments(FILE * out, cli_format_t format, const cli_report_t * info,
                   const ntk_moments_t m, ntk_error_t * err)
{
    report_value_t vals[NTK_N_QUANTITIES];
    int i;
    if (report_values(vals, info, m, err) != NTK_OK)
    {
        for (i = 0; i < NTK_N_QUANTITIES; i++)
            report_value_clear(vals + i);
        return err ? err->status : NTK_ERR_RESOURCE;
    }
    if (format == CLI_FORMAT_JSON)
        report_json(out, info, m, vals);
    else if (format == CLI_FORMAT_CSV)
        report_csv(out, info, vals);
    else
        report_text(out, info, vals);
    for (i = 0; i < NTK_N_QUANTITIES; i++)
        report_value_clear(vals + i);
    return NTK_OK;
}

static void
print_json_number(FILE * out, double x)
{
    if (isfinite(x))
        fprintf(out, "%.17g", x);
    else
        fprintf(out, "null");
}

static void
print_sample_object(FILE * out, const char * name, const double * v, const char * end)
{
    int i;
    fprintf(out, "  \"%s\": {", name);
    for (i = 0; i < NTK_N_QUANTITIES; i++)
    {
        fprintf(out, "%s\"%s\": ", i ? ", " : "", ntk_quantity_name(report_order[i]));
        print_json_number(out, v[report_order[i]]);
    }
    fprintf(out, "}%s\n", end);
}

void
cli_report_sample(FILE * out, cli_format_t format, const cli_report_t * info,
                  const ntk_sample_result_t * res)
{
    int i;
    if (format == CLI_FORMAT_JSON)
    {
        print_header_json(out, info);
        fprintf(out, "  \"samples\": %ld, \"seed\": %lu, \"method\": \"%s\",\n",
                (long) res->samples, (unsigned long) info->seed, info->method);
        print_sample_object(out, "mean", res->mean, ",");
        print_sample_object(out, "stderr", res->std_error, "");
        fprintf(out, "}\n");
        return;
    }
    if (format == CLI_FORMAT_CSV)
    {
        fprintf(out, "quantity,mean,stderr");
        print_csv_activation(out, info, 1);
        fprintf(out, "\n");
    }
    else
        report_text_header(out, info);
    for (i = 0; i < NTK_N_QUANTITIES; i++)
    {
        ntk_quantity_t q = report_order[i];
        if (format == CLI_FORMAT_CSV)
        {
            fprintf(out, "%s,%.17g,%.17g", ntk_quantity_name(q), res->mean[q], res->std_error[q]);
            print_csv_activation(out, info, 0);
            fprintf(out, "\n");
        }
        else
            fprintf(out, "%-8s %-24.10g +- %.3g\n", ntk_quantity_name(q), res->mean[q], res->std_error[q]);
    }
}

int
cli_report_check(FILE * out, cli_format_t format, const cli_report_t * info,
                 const ntk_moments_t m, const ntk_sample_result_t * res, double tolerance)
{
    double z[NTK_N_QUANTITIES];
    char * ex[NTK_N_QUANTITIES], * dec[NTK_N_QUANTITIES];
    fmpq_t v;
    int i, fails = 0;
    fmpq_init(v);
    for (i = 0; i < NTK_N_QUANTITIES; i++)
    {
        ntk_quantity_t q = report_order[i];
        ntk_moments_eval(v, m, q, info->x2);
        z[q] = ntk_sample_zscore(v, res->mean[q], res->std_error[q]);
        fails += !(fabs(z[q]) <= tolerance);
        ex[i] = ntk_rational_get_str(v);
        dec[i] = ntk_rational_get_decimal(v, format == CLI_FORMAT_TEXT ? FLINT_MIN(info->digits, 12) : info->digits);
    }
    if (format == CLI_FORMAT_JSON)
    {
        print_header_json(out, info);
        fprintf(out, "  \"samples\": %ld, \"seed\": %lu, \"method\": \"%s\", \"tolerance\": %g,\n",
                (long) res->samples, (unsigned long) info->seed, info->method, tolerance);
        fprintf(out, "  \"exact\": {");
        for (i = 0; i < NTK_N_QUANTITIES; i++)
            fprintf(out, "%s\"%s\": \"%s\"", i ? ", " : "", ntk_quantity_name(report_order[i]), ex[i]);
        fprintf(out, "},\n");
        print_sample_object(out, "mean", res->mean, ",");
        print_sample_object(out, "stderr", res->std_error, ",");
        print_sample_object(out, "z", z, ",");
        fprintf(out, "  \"failed\": %d, \"pass\": %s\n}\n", fails, fails ? "false" : "true");
    }
    else if (format == CLI_FORMAT_CSV)
    {
        fprintf(out, "quantity,exact,exact_decimal,mean,stderr,z,ok");
        print_csv_activation(out, info, 1);
        fprintf(out, "\n");
        for (i = 0; i < NTK_N_QUANTITIES; i++)
        {
            ntk_quantity_t q = report_order[i];
            fprintf(out, "%s,%s,%s,%.17g,%.17g,%.6g,%d", ntk_quantity_name(q), ex[i], dec[i],
                    res->mean[q], res->std_error[q], z[q], fabs(z[q]) <= tolerance);
            print_csv_activation(out, info, 0);
            fprintf(out, "\n");
        }
    }
    else
    {
        report_text_header(out, info);
        fprintf(out, "  %-8s %-20s %-20s %-11s %s\n", "quantity", "exact", "estimate", "+- stderr", "z");
        for (i = 0; i < NTK_N_QUANTITIES; i++)
        {
            ntk_quantity_t q = report_order[i];
            fprintf(out, "%c %-8s %-20s %-20.12g %-11.3g %+.2f\n", fabs(z[q]) <= tolerance ? ' ' : '*',
                    ntk_quantity_name(q), dec[i], res->mean[q], res->std_error[q], z[q]);
        }
        fprintf(out, "\n%s: %d of %d quantities with |z| > %g (%ld samples, seed %lu, %s method)\n",
                fails ? "FAIL" : "PASS", fails, NTK_N_QUANTITIES, tolerance,
                (long) res->samples, (unsigned long) info->seed, info->method);
    }
    for (i = 0; i < NTK_N_QUANTITIES; i++)
    {
        flint_free(ex[i]);
        flint_free(dec[i]);
    }
    fmpq_clear(v);
    return fails;
}

void
cli_report_row_header(FILE * out, const cli_report_t * info)
{
    int i;
    fprintf(out, "widths,depth,n0,beta,a,x2,mu4,cw_hidden,cw_output,param,bias");
    print_csv_activation(out, info, 1);
    for (i = 0; i < NTK_N_QUANTITIES; i++)
        fprintf(out, ",%s,%s_decimal", ntk_quantity_name(report_order[i]),
                ntk_quantity_name(report_order[i]));
    fprintf(out, "\n");
}

void
cli_report_row_key(FILE * out, cli_format_t format, const cli_report_t * info)
{
    const ntk_conv_struct * o = info->conv;
    char * spec = ntk_profile_get_str(info->profile);
    char * s[6];
    fmpq_t a;
    int i;
    fmpq_init(a);
    fmpq_set_ui(a, ntk_profile_width(info->profile, 0), 1);
    fmpq_div(a, info->x2, a);
    s[0] = ntk_rational_get_str(a);
    s[1] = ntk_rational_get_str(info->x2);
    s[2] = ntk_rational_get_str(o->mu4);
    s[3] = ntk_rational_get_str(o->cw_hidden);
    s[4] = ntk_rational_get_str(o->cw_output);
    s[5] = NULL;
    fprintf(out, format == CLI_FORMAT_CSV
                 ? "\"%s\",%ld,%lu,%.17g,%s,%s,%s,%s,%s,%s,%s"
                 : "{\"widths\": \"%s\", \"depth\": %ld, \"n0\": %lu, \"beta\": %.17g, \"a\": \"%s\", "
                   "\"x2\": \"%s\", \"mu4\": \"%s\", \"cw_hidden\": \"%s\", \"cw_output\": \"%s\", "
                   "\"param\": \"%s\", \"bias\": %s",
            spec, (long) info->profile->depth, (unsigned long) ntk_profile_width(info->profile, 0),
            ntk_profile_beta(info->profile), s[0], s[1], s[2], s[3], s[4],
            o->param == NTK_PARAM_NTK ? "ntk" : "standard", o->bias ? "true" : "false");
    if (format == CLI_FORMAT_CSV)
        print_csv_activation(out, info, 0);
    else if (info->activation)
    {
        char * name = ntk_conv_get_activation_str(o);
        fprintf(out, ", \"activation\": \"%s\"", name);
        flint_free(name);
    }
    for (i = 0; i < 5; i++)
        flint_free(s[i]);
    flint_free(spec);
    fmpq_clear(a);
}

void
cli_report_row(FILE * out, cli_format_t format, const cli_report_t * info,
               const ntk_moments_t m)
{
    fmpq_t v;
    int i;
    fmpq_init(v);
    cli_report_row_key(out, format, info);
    for (i = 0; i < NTK_N_QUANTITIES; i++)
    {
        char * ex, * dec;
        ntk_moments_eval(v, m, report_order[i], info->x2);
        ex = ntk_rational_get_str(v);
        dec = ntk_rational_get_decimal(v, info->digits);
        if (format == CLI_FORMAT_CSV)
            fprintf(out, ",%s,%s", ex, dec);
        else
            fprintf(out, "%s\"%s\": [\"%s\", \"%s\"]", i ? ", " : ", \"values\": {",
                    ntk_quantity_name(report_order[i]), ex, dec);
        flint_free(ex);
        flint_free(dec);
    }
    fprintf(out, format == CLI_FORMAT_CSV ? "\n" : "}}\n");
    fmpq_clear(v);
}
