/* The reports of two-input runs (sample --xy, check --xy): text, JSON, CSV.
   A value that is not a number is "not estimable" in text, null in JSON
   and empty in CSV, as in the one-input reports. */

#include <math.h>
#include <string.h>
#include "sample_pair.h"

static void
json_number(FILE * out, double x)
{
    if (isfinite(x))
        fprintf(out, "%.17g", x);
    else
        fprintf(out, "null");
}

static void
csv_number(FILE * out, double x)
{
    if (isfinite(x))
        fprintf(out, ",%.17g", x);
    else
        fprintf(out, ",");
}

/* The second input, after the text header. */
static void
text_second_input(FILE * out, const cli_t * cli)
{
    char * y2 = ntk_rational_get_str(cli->y2), * xy = ntk_rational_get_str(cli->xy);
    fprintf(out, "second input x': |x'|^2 = y2 = %s, x.x' = xy = %s (x = sqrt(x2) e_1, x' in "
            "span(e_1, e_2))\n", y2, xy);
    flint_free(y2);
    flint_free(xy);
}

static void
json_header(FILE * out, const cli_report_t * info, const cli_t * cli,
            const ntk_sample_pair_result_t * res)
{
    cli_report_header_json(out, info);
    fprintf(out, "  ");
    cli_report_fmpq_json(out, "y2", cli->y2, ", ");
    cli_report_fmpq_json(out, "xy", cli->xy, ",\n");
    fprintf(out, "  \"samples\": %ld, \"seed\": %lu, \"method\": \"%s\",\n",
            (long) res->samples, (unsigned long) info->seed, info->method);
}

void
cli_report_pair_sample(FILE * out, cli_format_t format, const cli_report_t * info,
                       const cli_t * cli, const ntk_sample_pair_result_t * res)
{
    int q, k;
    if (format == CLI_FORMAT_JSON)
    {
        json_header(out, info, cli, res);
        for (k = 0; k < 2; k++)
        {
            const double * v = k ? res->std_error : res->mean;
            fprintf(out, "  \"%s\": {", k ? "stderr" : "mean");
            for (q = 0; q < NTK_SAMPLE_PAIR_N; q++)
            {
                fprintf(out, "%s\"%s\": ", q ? ", " : "", ntk_sample_pair_name(q));
                json_number(out, v[q]);
            }
            fprintf(out, "}%s\n", k ? "" : ",");
        }
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
    {
        cli_report_header_text(out, info);
        text_second_input(out, cli);
        fprintf(out, "\n");
    }
    for (q = 0; q < NTK_SAMPLE_PAIR_N; q++)
    {
        const char * name = ntk_sample_pair_name(q);
        int estimable = isfinite(res->mean[q]) && isfinite(res->std_error[q]);
        if (format == CLI_FORMAT_CSV)
        {
            fprintf(out, "%s", name);
            csv_number(out, estimable ? res->mean[q] : NAN);
            csv_number(out, estimable ? res->std_error[q] : NAN);
            cli_report_csv_activation(out, info, 0);
            fprintf(out, "\n");
        }
        else if (estimable)
            fprintf(out, "%-12s %-24.10g +- %.3g\n", name, res->mean[q], res->std_error[q]);
        else
            fprintf(out, "%-12s not estimable\n", name);
    }
}

static const char *
row_source(const cli_pair_row_t * r)
{
    return r->first_order ? "first_order" : "exact";
}

/* The verdict of a row in words: pass, FAIL, undecided or not estimable. */
static const char *
row_verdict(const cli_pair_row_t * r)
{
    if (!isfinite(r->z) && !isinf(r->z))
        return "not estimable";
    return !r->decided ? "undecided" : r->fails ? "FAIL" : "pass";
}

static void
check_text(FILE * out, const cli_report_t * info, const cli_t * cli,
           const ntk_sample_pair_result_t * res, const cli_pair_check_t * pc)
{
    int q, first = 1;
    cli_report_header_text(out, info);
    text_second_input(out, cli);
    fprintf(out, "\n  %-12s %-20s %-20s %-10s %-10s %-12s %-8s %s\n", "quantity", "reference",
            "estimate", "+- stderr", "bound B", "source", "z", "verdict");
    for (q = 0; q < NTK_SAMPLE_PAIR_N; q++)
    {
        const cli_pair_row_t * r = pc->row + q;
        if (!isfinite(res->mean[q]) || !isfinite(res->std_error[q]))
        {
            fprintf(out, "  %-12s %-20.12g not estimable\n", ntk_sample_pair_name(q), r->reference);
            continue;
        }
        fprintf(out, "  %-12s %-20.12g %-20.12g %-10.3g %-10.3g %-12s %+-8.2f %s%s\n",
                ntk_sample_pair_name(q), r->reference, res->mean[q], res->std_error[q], r->bound,
                r->first_order ? "first order" : "exact", r->z, row_verdict(r),
                r->fails ? " *" : "");
    }
    fprintf(out, "\n%s: %d of %d decided rows fail (|estimate - reference| > %.3g stderr + B; "
            "%ld samples, seed %lu, %s method)\n", pc->fails ? "FAIL" : "PASS", pc->fails,
            pc->decided, pc->threshold, (long) res->samples, (unsigned long) info->seed,
            info->method);
    if (pc->tolerance)
        fprintf(out, "threshold %.3g: --tolerance\n", pc->threshold);
    else
        fprintf(out, "alpha = %g: Bonferroni over %d rows (a normal estimate has |z| > %.3g with "
                "probability alpha/%d)\n", pc->alpha, NTK_SAMPLE_PAIR_N, pc->threshold,
                NTK_SAMPLE_PAIR_N);
    fprintf(out, "first order: the reference is M_inf + sum_l c_l/n_l ('ntkexact kernel'), NOT "
            "exact: its truncation error is O(1/n^2), bounded by B = %g (sum_l |c_l|/n_l) "
            "(sum_l 1/n_l); such a row decides only when stderr >= %g B\n", CLI_PAIR_KAPPA,
            CLI_PAIR_DOMINANCE);
    fprintf(out, "exact: the exact one-input moments at x2 and at y2 ('ntkexact moments')\n");
    for (q = 0; q < NTK_SAMPLE_PAIR_N; q++)
        if (!pc->row[q].decided && isfinite(pc->row[q].z))
        {
            fprintf(out, "%s%s", first ? "undecided: " : ", ", ntk_sample_pair_name(q));
            first = 0;
        }
    if (!first)
        fprintf(out, " (stderr below %g B: the truncation error could decide them; wider "
                "layers decide them)\n", CLI_PAIR_DOMINANCE);
}

int
cli_report_pair_check(FILE * out, cli_format_t format, const cli_report_t * info,
                      const cli_t * cli, const ntk_sample_pair_result_t * res,
                      const cli_pair_check_t * pc)
{
    int q;
    if (format == CLI_FORMAT_TEXT)
        check_text(out, info, cli, res, pc);
    else if (format == CLI_FORMAT_JSON)
    {
        json_header(out, info, cli, res);
        fprintf(out, "  \"rule\": {\"threshold\": %.17g, \"alpha\": ", pc->threshold);
        json_number(out, pc->tolerance ? NAN : pc->alpha);
        fprintf(out, ", \"kappa\": %g, \"dominance\": %g},\n  \"rows\": {", CLI_PAIR_KAPPA,
                CLI_PAIR_DOMINANCE);
        for (q = 0; q < NTK_SAMPLE_PAIR_N; q++)
        {
            const cli_pair_row_t * r = pc->row + q;
            int est = isfinite(res->mean[q]) && isfinite(res->std_error[q]);
            fprintf(out, "%s\n    \"%s\": {\"reference\": ", q ? "," : "", ntk_sample_pair_name(q));
            json_number(out, r->reference);
            fprintf(out, ", \"source\": \"%s\", \"estimate\": ", row_source(r));
            json_number(out, est ? res->mean[q] : NAN);
            fprintf(out, ", \"stderr\": ");
            json_number(out, est ? res->std_error[q] : NAN);
            fprintf(out, ", \"bound\": ");
            json_number(out, r->bound);
            fprintf(out, ", \"z\": ");
            json_number(out, est ? r->z : NAN);
            fprintf(out, ", \"decided\": %s, \"pass\": %s}", r->decided ? "true" : "false",
                    !r->decided ? "null" : r->fails ? "false" : "true");
        }
        fprintf(out, "\n  },\n  \"decided\": %d, \"fails\": %d\n}\n", pc->decided, pc->fails);
    }
    else
    {
        fprintf(out, "quantity,reference,source,estimate,stderr,bound,z,verdict\n");
        for (q = 0; q < NTK_SAMPLE_PAIR_N; q++)
        {
            const cli_pair_row_t * r = pc->row + q;
            int est = isfinite(res->mean[q]) && isfinite(res->std_error[q]);
            fprintf(out, "%s", ntk_sample_pair_name(q));
            csv_number(out, r->reference);
            fprintf(out, ",%s", row_source(r));
            csv_number(out, est ? res->mean[q] : NAN);
            csv_number(out, est ? res->std_error[q] : NAN);
            csv_number(out, r->bound);
            csv_number(out, est ? r->z : NAN);
            fprintf(out, ",%s\n", est ? row_verdict(r) : "");
        }
    }
    return pc->fails;
}
