/* The report of ntkexact check, as text, JSON or CSV: the exact value, the
   estimate, both standard errors, the z-score and the decision of every
   row (check.h), then the rule and its false-alarm level.  A number that
   does not exist is written in words in text, null in JSON, empty in CSV. */

#include <math.h>
#include <string.h>
#include "check.h"
#include "report.h"

static const char * const rule_name[] = { "bonferroni", "tolerance", "guarantee" };

/* The strings of the exact values, exact and decimal (NULL where undefined). */
typedef struct
{
    char * exact[NTK_N_QUANTITIES];
    char * decimal[NTK_N_QUANTITIES];
}
check_strings_t;

static void
strings_init(check_strings_t * s, const ntk_moments_t m, const cli_check_t * ck,
             const cli_report_t * info, cli_format_t format)
{
    fmpq_t v;
    int i, q;
    fmpq_init(v);
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        s->exact[q] = s->decimal[q] = NULL;
    for (i = 0; i < ck->n; i++)
    {
        q = ck->list[i];
        if (!ck->row[q].exact_defined)
            continue;
        ntk_moments_eval(v, m, (ntk_quantity_t) q, info->x2);
        s->exact[q] = ntk_rational_get_str(v);
        s->decimal[q] = ntk_rational_get_decimal(v, format == CLI_FORMAT_TEXT
                                                    ? FLINT_MIN(info->digits, 12) : info->digits);
    }
    fmpq_clear(v);
}

static void
strings_clear(check_strings_t * s)
{
    int q;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        flint_free(s->exact[q]);
        flint_free(s->decimal[q]);
    }
}

/* The standard error that decided a row: the exact one where known. */
static double
row_stderr(const cli_check_row_t * r)
{
    return r->by_exact ? r->se_exact : r->se_sample;
}

static int
row_failed(const cli_check_row_t * r)
{
    return r->decided && r->verdict != NTK_CHECK_PASS;
}

/* ------------------------------------------------ JSON */

static void
json_number(FILE * out, double x)
{
    if (isfinite(x))
        fprintf(out, "%.17g", x);
    else
        fprintf(out, "null");
}

/* "name": {"E_K": value(q), ...} over the quantities of the check. */
static void
json_object(FILE * out, const char * name, const cli_check_t * ck, const double * v,
            const char * end)
{
    int i;
    fprintf(out, "  \"%s\": {", name);
    for (i = 0; i < ck->n; i++)
    {
        fprintf(out, "%s\"%s\": ", i ? ", " : "", ntk_quantity_name((ntk_quantity_t) ck->list[i]));
        json_number(out, v[ck->list[i]]);
    }
    fprintf(out, "}%s\n", end);
}

/* "name": ["E_K", ...] of the rows where pick(row) holds. */
static void
json_list(FILE * out, const char * name, const cli_check_t * ck,
          int (* pick)(const cli_check_row_t *))
{
    int i, q, first = 1;
    fprintf(out, "  \"%s\": [", name);
    for (i = 0; i < ck->n; i++)
        if (pick(ck->row + (q = ck->list[i])))
        {
            fprintf(out, "%s\"%s\"", first ? "" : ", ", ntk_quantity_name((ntk_quantity_t) q));
            first = 0;
        }
    fprintf(out, "],\n");
}

static int
pick_exact_se(const cli_check_row_t * r)
{
    return r->exact_se && r->estimable && r->exact_defined;
}

static int
pick_not_decided(const cli_check_row_t * r)
{
    return r->estimable && r->exact_defined && !r->decided;
}

static void
check_json(FILE * out, const cli_report_t * info, const ntk_sample_result_t * res,
           const cli_check_t * ck, const check_strings_t * s)
{
    double v[NTK_N_QUANTITIES];
    int i, q, first = 1;
    cli_report_header_json(out, info);
    fprintf(out, "  \"samples\": %ld, \"seed\": %lu, \"method\": \"%s\", \"tolerance\": %g,\n",
            (long) res->samples, (unsigned long) info->seed, info->method, ck->threshold);
    fprintf(out, "  \"rule\": \"%s\", \"alpha\": %g, \"threshold\": %.17g, \"decided\": %d,\n",
            rule_name[ck->rule], ck->alpha, ck->threshold, ck->family);
    fprintf(out, "  \"exact\": {");
    for (i = 0; i < ck->n; i++)
    {
        q = ck->list[i];
        fprintf(out, "%s\"%s\": ", i ? ", " : "", ntk_quantity_name((ntk_quantity_t) q));
        fprintf(out, s->exact[q] ? "\"%s\"" : "null", s->exact[q]);
    }
    fprintf(out, "},\n");
    json_object(out, "mean", ck, res->mean, ",");
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        v[q] = row_stderr(ck->row + q);
    json_object(out, "stderr", ck, v, ",");
    json_object(out, "stderr_sample", ck, res->std_error, ",");
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        v[q] = ck->row[q].estimable ? ck->row[q].se_exact : NAN;
    json_object(out, "stderr_exact_values", ck, v, ",");
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        v[q] = ck->row[q].z;
    json_object(out, "z", ck, v, ",");
    json_list(out, "stderr_exact", ck, pick_exact_se);
    fprintf(out, "  \"decided_by\": {");
    for (i = 0; i < ck->n; i++)
    {
        const cli_check_row_t * r = ck->row + (q = ck->list[i]);
        fprintf(out, "%s\"%s\": ", i ? ", " : "", ntk_quantity_name((ntk_quantity_t) q));
        fprintf(out, !r->estimable || !r->exact_defined ? "null"
                     : r->by_exact ? "\"exact\"" : "\"sample\"");
    }
    fprintf(out, "},\n");
    if (ck->rule == CLI_RULE_GUARANTEE)
    {
        for (q = 0; q < NTK_N_QUANTITIES; q++)
            v[q] = ck->row[q].decided ? ck->row[q].estimate : NAN;
        json_object(out, "median_of_means", ck, v, ",");
        for (q = 0; q < NTK_N_QUANTITIES; q++)
            v[q] = ck->row[q].decided ? ck->row[q].threshold : NAN;
        json_object(out, "thresholds", ck, v, ",");
        fprintf(out, "  \"blocks\": %ld, \"min_block\": %ld, \"t\": %.17g, \"bound\": %.17g, "
                "\"catches\": %.17g,\n", (long) ck->median.blocks, (long) ck->median.min_block,
                ck->median.t, ck->median.bound, ck->median.catches);
        json_list(out, "not_decided", ck, pick_not_decided);
    }
    fprintf(out, "  \"notes\": {");
    for (i = 0; i < ck->n; i++)
    {
        const char * note = cli_check_note(ck->row + (q = ck->list[i]));
        if (note == NULL)
            continue;
        fprintf(out, "%s\"%s\": \"%s\"", first ? "" : ", ", ntk_quantity_name((ntk_quantity_t) q),
                note);
        first = 0;
    }
    fprintf(out, "},\n");
    fprintf(out, "  \"failed\": %d, \"pass\": %s\n}\n", ck->fails, ck->fails ? "false" : "true");
}

/* ------------------------------------------------ CSV */

static void
csv_number(FILE * out, const char * fmt, double x)
{
    if (isfinite(x))
        fprintf(out, fmt, x);
}

static void
check_csv(FILE * out, const cli_report_t * info, const ntk_sample_result_t * res,
          const cli_check_t * ck, const check_strings_t * s)
{
    int i, q, guarantee = (ck->rule == CLI_RULE_GUARANTEE);
    fprintf(out, "quantity,exact,exact_decimal,mean,stderr,z,ok,stderr_sample,stderr_source,note%s",
            guarantee ? ",median_of_means" : "");
    cli_report_csv_activation(out, info, 1);
    fprintf(out, "\n");
    for (i = 0; i < ck->n; i++)
    {
        const cli_check_row_t * r = ck->row + (q = ck->list[i]);
        const char * note = cli_check_note(r);
        fprintf(out, "%s,%s,%s,", ntk_quantity_name((ntk_quantity_t) q),
                s->exact[q] ? s->exact[q] : "", s->decimal[q] ? s->decimal[q] : "");
        csv_number(out, "%.17g", res->mean[q]);
        fprintf(out, ",");
        csv_number(out, "%.17g", row_stderr(r));
        fprintf(out, ",");
        csv_number(out, "%.6g", r->z);
        /* ok is empty where nothing was decided */
        fprintf(out, ",%s,", !r->decided ? "" : row_failed(r) ? "0" : "1");
        csv_number(out, "%.17g", res->std_error[q]);
        fprintf(out, ",%s,%s", !r->estimable || !r->exact_defined ? ""
                               : r->by_exact ? "exact" : "sample", note ? note : "");
        if (guarantee)
        {
            fprintf(out, ",");
            if (r->decided)
                csv_number(out, "%.17g", r->estimate);
        }
        cli_report_csv_activation(out, info, 0);
        fprintf(out, "\n");
    }
}

/* ------------------------------------------------ text */

/* The names of the rows where pick(row) holds, comma-separated; 0 if none. */
static int
text_names(FILE * out, const cli_check_t * ck, int (* pick)(const cli_check_row_t *))
{
    int i, k = 0;
    for (i = 0; i < ck->n; i++)
        if (pick(ck->row + ck->list[i]))
            fprintf(out, "%s%s", k++ ? ", " : "", ntk_quantity_name((ntk_quantity_t) ck->list[i]));
    return k;
}

static int
pick_sample_se(const cli_check_row_t * r)
{
    return r->estimable && r->exact_defined && !r->exact_se;
}

/* The width of the name column: 8, more for the update's longer names. */
static int
text_name_width(const cli_check_t * ck)
{
    int i, w = 8;
    for (i = 0; i < ck->n; i++)
        w = FLINT_MAX(w, (int) strlen(ntk_quantity_name((ntk_quantity_t) ck->list[i])));
    return w;
}

static void
text_row(FILE * out, const cli_check_t * ck, int q, int nw, const check_strings_t * s)
{
    const cli_check_row_t * r = ck->row + q;
    const char * note = cli_check_note(r);
    char se[32];
    fprintf(out, "%c %-*s %-20s ", row_failed(r) ? '*' : ' ', nw,
            ntk_quantity_name((ntk_quantity_t) q), s->decimal[q] ? s->decimal[q] : "undefined");
    if (!r->estimable || !r->exact_defined)
    {
        fprintf(out, "%s\n", note);
        return;
    }
    if (r->exact_se && isfinite(r->se_exact))
        snprintf(se, sizeof(se), "%.3g", r->se_exact);
    else
        snprintf(se, sizeof(se), r->exact_se ? "> 1e308" : "-");
    fprintf(out, "%-20.12g %-11.3g %-11s %-7s ", r->estimate, r->se_sample, se,
            r->by_exact ? "exact" : "sample");
    if (note != NULL)
        fprintf(out, "%s", note);
    else
        fprintf(out, "%+.2f", r->z);
    if (!r->decided)
        fprintf(out, " (not decided: no exact variance)");
    fprintf(out, "\n");
}

static void
text_rule(FILE * out, const cli_check_t * ck)
{
    if (ck->rule == CLI_RULE_GUARANTEE)
        fprintf(out, "alpha = %g for ANY law with the exact variances: each quantity is the median of "
                "%ld block estimates (blocks of >= %ld samples), which fails with probability "
                "<= %.3g = alpha/%d (Cantelli per block, the binomial tail over the blocks); a "
                "mean off by %.3g sigma/sqrt(N) or more fails with probability >= 1 - alpha\n",
                ck->alpha, (long) ck->median.blocks, (long) ck->median.min_block,
                ck->median.bound, ck->family, ck->median.catches);
    else if (ck->rule == CLI_RULE_BONFERRONI)
        fprintf(out, "alpha = %g: Bonferroni over %d quantities (a normal estimate has |z| > %.3g "
                "with probability alpha/%d)\n", ck->alpha, ck->family, ck->threshold, ck->family);
    else
        fprintf(out, "alpha = %.3g: the level of --tolerance %g over %d quantities, for normal "
                "estimates\n", ck->alpha, ck->threshold, ck->family);
}

static void
check_text(FILE * out, const cli_report_t * info, const ntk_sample_result_t * res,
           const cli_check_t * ck, const check_strings_t * s)
{
    int i, guarantee = (ck->rule == CLI_RULE_GUARANTEE), nw = text_name_width(ck);
    cli_report_header_text(out, info);
    fprintf(out, "  %-*s %-20s %-20s %-11s %-11s %-7s %s\n", nw, "quantity", "exact",
            guarantee ? "median of means" : "estimate", "+- stderr", "exact SE", "SE", "z");
    for (i = 0; i < ck->n; i++)
        text_row(out, ck, ck->list[i], nw, s);
    fprintf(out, "\n%s: %d of %d quantities with |z| > %.3g (%ld samples, seed %lu, %s method)\n",
            ck->fails ? "FAIL" : "PASS", ck->fails, ck->family, ck->threshold,
            (long) res->samples, (unsigned long) info->seed, info->method);
    text_rule(out, ck);
    if (text_names(out, ck, pick_exact_se) > 0)
        fprintf(out, guarantee ? ": exact variances, from the exact moments\n"
                : ": exact standard errors, from the exact moments; z takes the larger of the "
                  "exact and the sample's\n");
    if (guarantee && text_names(out, ck, pick_not_decided) > 0)
        fprintf(out, ": not decided (no exact variance)\n");
    else if (!guarantee && text_names(out, ck, pick_sample_se) > 0)
        fprintf(out, ": the sample's standard errors (no exact variance: outside the "
                "false-alarm guarantee)\n");
}

int
cli_report_check(FILE * out, cli_format_t format, const cli_report_t * info,
                 const ntk_moments_t m, const ntk_sample_result_t * res, const cli_check_t * ck)
{
    check_strings_t s;
    strings_init(&s, m, ck, info, format);
    if (format == CLI_FORMAT_JSON)
        check_json(out, info, res, ck, &s);
    else if (format == CLI_FORMAT_CSV)
        check_csv(out, info, res, ck, &s);
    else
        check_text(out, info, res, ck, &s);
    strings_clear(&s);
    return ck->fails;
}
