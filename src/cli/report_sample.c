/* Formatting the Monte Carlo estimates and the rows of tables, as text,
   JSON, CSV or JSON Lines (the check's report is report_check.c). */

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
        /* M3_K, Skew2_K, M4_K, Kurt_K are not estimated (NaN): not
           estimable, in words in text, empty in CSV (null in JSON) */
        int estimable = isfinite(res->mean[q]) && isfinite(res->std_error[q]);
        if (format == CLI_FORMAT_CSV)
        {
            if (estimable)
                fprintf(out, "%s,%.17g,%.17g", name, res->mean[q], res->std_error[q]);
            else
                fprintf(out, "%s,,", name);
            cli_report_csv_activation(out, info, 0);
            fprintf(out, "\n");
        }
        else if (estimable)
            fprintf(out, "%-*s %-24.10g +- %.3g\n", nw, name, res->mean[q], res->std_error[q]);
        else
            fprintf(out, "%-*s not estimable\n", nw, name);
    }
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
