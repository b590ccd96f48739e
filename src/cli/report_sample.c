/* Formatting the Monte Carlo estimates, the exact-versus-sampled check and
   the rows of tables, as text, JSON, CSV or JSON Lines. */

#include <math.h>
#include <string.h>
#include "report.h"

/* The quantities of a sampling report: those of its order. */
static int
sample_count(const cli_report_t * info)
{
    return ntk_quantity_count(FLINT_MAX(info->order, 2));
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
print_sample_object(FILE * out, const char * name, const double * v, int n, const char * end)
{
    int q;
    fprintf(out, "  \"%s\": {", name);
    for (q = 0; q < n; q++)
    {
        fprintf(out, "%s\"%s\": ", q ? ", " : "", ntk_quantity_name((ntk_quantity_t) q));
        print_json_number(out, v[q]);
    }
    fprintf(out, "}%s\n", end);
}

/* The quantities of a sample report: those of its order, then with update
   those of the update's second moment; returns how many. */
static int
sample_list(int * list, const cli_report_t * info)
{
    int q, n = 0;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        if (q < sample_count(info) || (info->update && ntk_quantity_is_update((ntk_quantity_t) q)))
            list[n++] = q;
    return n;
}

static void
print_sample_list(FILE * out, const char * name, const double * v, const int * list, int n,
                  const char * end)
{
    int i;
    fprintf(out, "  \"%s\": {", name);
    for (i = 0; i < n; i++)
    {
        fprintf(out, "%s\"%s\": ", i ? ", " : "", ntk_quantity_name((ntk_quantity_t) list[i]));
        print_json_number(out, v[list[i]]);
    }
    fprintf(out, "}%s\n", end);
}

void
cli_report_sample(FILE * out, cli_format_t format, const cli_report_t * info,
                  const ntk_sample_result_t * res)
{
    int list[NTK_N_QUANTITIES], i, n = sample_list(list, info), nw = 8;
    if (format == CLI_FORMAT_JSON)
    {
        cli_report_header_json(out, info);
        fprintf(out, "  \"samples\": %ld, \"seed\": %lu, \"method\": \"%s\",\n",
                (long) res->samples, (unsigned long) info->seed, info->method);
        print_sample_list(out, "mean", res->mean, list, n, ",");
        print_sample_list(out, "stderr", res->std_error, list, n, "");
        fprintf(out, "}\n");
        return;
    }
    if (format == CLI_FORMAT_CSV)
    {
        fprintf(out, "quantity,mean,stderr");
        cli_report_csv_activation(out, info, 1);
        fprintf(out, "\n");
    }
    else
        cli_report_header_text(out, info);
    /* the names of the update's quantities are longer than 8 */
    for (i = 0; i < n; i++)
        nw = FLINT_MAX(nw, (int) strlen(ntk_quantity_name((ntk_quantity_t) list[i])));
    for (i = 0; i < n; i++)
    {
        int q = list[i];
        const char * name = ntk_quantity_name((ntk_quantity_t) q);
        if (format == CLI_FORMAT_CSV)
        {
            fprintf(out, "%s,%.17g,%.17g", name, res->mean[q], res->std_error[q]);
            cli_report_csv_activation(out, info, 0);
            fprintf(out, "\n");
        }
        else
            fprintf(out, "%-*s %-24.10g +- %.3g\n", nw, name, res->mean[q], res->std_error[q]);
    }
}

int
cli_report_check(FILE * out, cli_format_t format, const cli_report_t * info,
                 const ntk_moments_t m, const ntk_sample_result_t * res, double tolerance)
{
    double z[NTK_N_QUANTITIES] = { 0 };
    char * ex[NTK_N_QUANTITIES], * dec[NTK_N_QUANTITIES];
    fmpq_t v;
    int q, n = sample_count(info), fails = 0, compared = 0;
    fmpq_init(v);
    for (q = 0; q < n; q++)
    {
        /* order 3, 4: the central moments and ratios are not sampled (NAN),
           a ratio is undefined where Var_K = 0; neither is compared */
        int defined = ntk_moments_defined(m, (ntk_quantity_t) q, info->x2);
        fmpq_zero(v);
        if (defined)
            ntk_moments_eval(v, m, (ntk_quantity_t) q, info->x2);
        z[q] = NAN;
        if (defined && !isnan(res->mean[q]))
        {
            z[q] = ntk_sample_zscore(v, res->mean[q], res->std_error[q]);
            fails += !(fabs(z[q]) <= tolerance);
            compared++;
        }
        ex[q] = ntk_rational_get_str(v);
        dec[q] = ntk_rational_get_decimal(v, format == CLI_FORMAT_TEXT ? FLINT_MIN(info->digits, 12) : info->digits);
    }
    if (format == CLI_FORMAT_JSON)
    {
        cli_report_header_json(out, info);
        fprintf(out, "  \"samples\": %ld, \"seed\": %lu, \"method\": \"%s\", \"tolerance\": %g,\n",
                (long) res->samples, (unsigned long) info->seed, info->method, tolerance);
        fprintf(out, "  \"exact\": {");
        for (q = 0; q < n; q++)
            fprintf(out, "%s\"%s\": \"%s\"", q ? ", " : "", ntk_quantity_name((ntk_quantity_t) q), ex[q]);
        fprintf(out, "},\n");
        print_sample_object(out, "mean", res->mean, n, ",");
        print_sample_object(out, "stderr", res->std_error, n, ",");
        print_sample_object(out, "z", z, n, ",");
        if (info->exact_stderr)
            fprintf(out, "  \"stderr_exact\": [\"E_N6\", \"E_N8\"],\n");
        fprintf(out, "  \"failed\": %d, \"pass\": %s\n}\n", fails, fails ? "false" : "true");
    }
    else if (format == CLI_FORMAT_CSV)
    {
        fprintf(out, "quantity,exact,exact_decimal,mean,stderr,z,ok");
        cli_report_csv_activation(out, info, 1);
        fprintf(out, "\n");
        for (q = 0; q < n; q++)
        {
            /* ok is empty where nothing was compared (z nan) */
            fprintf(out, "%s,%s,%s,%.17g,%.17g,%.6g,%s", ntk_quantity_name((ntk_quantity_t) q),
                    ex[q], dec[q], res->mean[q], res->std_error[q], z[q],
                    isnan(z[q]) ? "" : fabs(z[q]) <= tolerance ? "1" : "0");
            cli_report_csv_activation(out, info, 0);
            fprintf(out, "\n");
        }
    }
    else
    {
        cli_report_header_text(out, info);
        fprintf(out, "  %-8s %-20s %-20s %-11s %s\n", "quantity", "exact", "estimate", "+- stderr", "z");
        for (q = 0; q < n; q++)
            fprintf(out, "%c %-8s %-20s %-20.12g %-11.3g %+.2f\n", !(fabs(z[q]) > tolerance) ? ' ' : '*',
                    ntk_quantity_name((ntk_quantity_t) q), dec[q], res->mean[q], res->std_error[q], z[q]);
        if (info->exact_stderr)
            fprintf(out, "\nE_N6, E_N8: standard errors from the exact E[N^12], E[N^16] (Gaussian weights)\n");
        fprintf(out, "\n%s: %d of %d quantities with |z| > %g (%ld samples, seed %lu, %s method)\n",
                fails ? "FAIL" : "PASS", fails, compared, tolerance,
                (long) res->samples, (unsigned long) info->seed, info->method);
    }
    for (q = 0; q < n; q++)
    {
        flint_free(ex[q]);
        flint_free(dec[q]);
    }
    fmpq_clear(v);
    return fails;
}

void
cli_report_row_header(FILE * out, const cli_report_t * info)
{
    cli_report_item_t items[CLI_REPORT_MAX_ITEMS];
    int i, n = cli_report_items(items, info->order, info->update, 0);
    fprintf(out, "widths,depth,n0,beta,a,x2,mu4");
    if (info->order >= 3)
        fprintf(out, info->order >= 4 ? ",mu6,mu8" : ",mu6");
    fprintf(out, ",cw_hidden,cw_output,param,bias");
    cli_report_csv_activation(out, info, 1);
    for (i = 0; i < n; i++)
        fprintf(out, ",%s,%s_decimal", items[i].name, items[i].name);
    fprintf(out, "\n");
}

/* The exact and decimal strings of one item of a row (NULL: none). */
static void
row_strings(char ** ex, char ** dec, const cli_report_item_t * item, const cli_report_t * info,
            const ntk_moments_t m)
{
    fmpq_t v, m3;
    *ex = *dec = NULL;
    if (!ntk_moments_defined(m, item->q == CLI_ITEM_SKEW ? NTK_SKEW2_K : (ntk_quantity_t) item->q,
                             info->x2))
        return;
    fmpq_init(v);
    if (item->q == CLI_ITEM_SKEW)
    {
        fmpq_init(m3);
        ntk_moments_eval(v, m, NTK_SKEW2_K, info->x2);
        ntk_moments_eval(m3, m, NTK_M3_K, info->x2);
        *dec = cli_report_skewness_decimal(v, m3, info->digits);
        fmpq_clear(m3);
    }
    else
    {
        ntk_moments_eval(v, m, (ntk_quantity_t) item->q, info->x2);
        *ex = ntk_rational_get_str(v);
        *dec = ntk_rational_get_decimal(v, info->digits);
    }
    fmpq_clear(v);
}

void
cli_report_row_key(FILE * out, cli_format_t format, const cli_report_t * info)
{
    const ntk_conv_struct * o = info->conv;
    int csv = (format == CLI_FORMAT_CSV), k;
    char * spec = ntk_profile_get_str(info->profile), * s[7];
    fmpq_t a;
    fmpq_init(a);
    fmpq_set_ui(a, ntk_profile_width(info->profile, 0), 1);
    fmpq_div(a, info->x2, a);
    s[0] = ntk_rational_get_str(a);
    s[1] = ntk_rational_get_str(info->x2);
    s[2] = ntk_rational_get_str(o->mu4);
    s[3] = ntk_rational_get_str(o->cw_hidden);
    s[4] = ntk_rational_get_str(o->cw_output);
    s[5] = ntk_rational_get_str(o->mu6);
    s[6] = ntk_rational_get_str(o->mu8);
    fprintf(out, csv ? "\"%s\",%ld,%lu,%.17g,%s,%s,%s"
                     : "{\"widths\": \"%s\", \"depth\": %ld, \"n0\": %lu, \"beta\": %.17g, "
                       "\"a\": \"%s\", \"x2\": \"%s\", \"mu4\": \"%s\"",
            spec, (long) info->profile->depth, (unsigned long) ntk_profile_width(info->profile, 0),
            ntk_profile_beta(info->profile), s[0], s[1], s[2]);
    if (info->order >= 3)
        fprintf(out, csv ? ",%s" : ", \"mu6\": \"%s\"", s[5]);
    if (info->order >= 4)
        fprintf(out, csv ? ",%s" : ", \"mu8\": \"%s\"", s[6]);
    fprintf(out, csv ? ",%s,%s,%s,%s" : ", \"cw_hidden\": \"%s\", \"cw_output\": \"%s\", "
                                        "\"param\": \"%s\", \"bias\": %s",
            s[3], s[4], o->param == NTK_PARAM_NTK ? "ntk" : "standard", o->bias ? "true" : "false");
    if (csv)
        cli_report_csv_activation(out, info, 0);
    else if (info->activation)
    {
        char * name = ntk_conv_get_activation_str(o);
        fprintf(out, ", \"activation\": \"%s\"", name);
        flint_free(name);
    }
    if (!csv && info->order >= 3)
        fprintf(out, ", \"order\": %d", info->order);
    for (k = 0; k < 7; k++)
        flint_free(s[k]);
    flint_free(spec);
    fmpq_clear(a);
}

void
cli_report_row(FILE * out, cli_format_t format, const cli_report_t * info,
               const ntk_moments_t m)
{
    cli_report_item_t items[CLI_REPORT_MAX_ITEMS];
    int i, n = cli_report_items(items, info->order, info->update, 0);
    cli_report_row_key(out, format, info);
    for (i = 0; i < n; i++)
    {
        char * ex, * dec;
        row_strings(&ex, &dec, items + i, info, m);
        if (format == CLI_FORMAT_CSV)
            fprintf(out, ",%s,%s", ex ? ex : "", dec ? dec : "");
        else
        {
            fprintf(out, "%s\"%s\": [", i ? ", " : ", \"values\": {", items[i].name);
            fprintf(out, ex ? "\"%s\", " : "null, ", ex);
            fprintf(out, dec ? "\"%s\"]" : "null]", dec);
        }
        flint_free(ex);
        flint_free(dec);
    }
    fprintf(out, format == CLI_FORMAT_CSV ? "\n" : "}}\n");
}
