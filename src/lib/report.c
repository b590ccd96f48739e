/* Formatting exact values and reports of moments (text, JSON, CSV). */

#include <math.h>
#include <pthread.h>
#include <string.h>
#include "ntkexact.h"

char *
ntk_report_exact(const fmpq_t x)
{
    size_t len = fmpz_sizeinbase(fmpq_numref(x), 10)
               + fmpz_sizeinbase(fmpq_denref(x), 10) + 3;
    char * s = flint_malloc(len);
    fmpz_get_str(s, 10, fmpq_numref(x));
    if (!fmpz_is_one(fmpq_denref(x)))
    {
        size_t n = strlen(s);
        s[n] = '/';
        fmpz_get_str(s + n + 1, 10, fmpq_denref(x));
    }
    return s;
}

/* n <- floor(|x| 10^scale), or round(|x| 10^scale) (ties away from zero). */
static void
scaled_int(fmpz_t n, const fmpq_t x, slong scale, int round)
{
    fmpz_t num, den, r, p;
    fmpz_init(num); fmpz_init(den); fmpz_init(r); fmpz_init(p);
    fmpz_abs(num, fmpq_numref(x));
    fmpz_set(den, fmpq_denref(x));
    fmpz_set_ui(p, 10);
    fmpz_pow_ui(p, p, FLINT_ABS(scale));
    if (scale >= 0)
        fmpz_mul(num, num, p);
    else
        fmpz_mul(den, den, p);
    fmpz_fdiv_qr(n, r, num, den);
    fmpz_mul_2exp(r, r, 1);
    if (round && fmpz_cmp(r, den) >= 0)
        fmpz_add_ui(n, n, 1);
    fmpz_clear(num); fmpz_clear(den); fmpz_clear(r); fmpz_clear(p);
}

char *
ntk_report_decimal(const fmpq_t x, slong digits)
{
    fmpz_t n, lo, hi;
    slong e, len;
    char * mant, * s;
    if (digits < 1)
        digits = 1;
    if (fmpq_is_zero(x))
    {
        s = flint_malloc(2);
        strcpy(s, "0");
        return s;
    }
    fmpz_init(n); fmpz_init(lo); fmpz_init(hi);
    fmpz_set_ui(lo, 10);
    fmpz_pow_ui(lo, lo, digits - 1);
    fmpz_mul_ui(hi, lo, 10);
    /* e = floor(log10 |x|), first from the bit lengths, then exactly */
    e = (slong) ((double) ((slong) fmpz_bits(fmpq_numref(x))
                           - (slong) fmpz_bits(fmpq_denref(x))) * 0.30102999566398120);
    for (;;)
    {
        scaled_int(n, x, digits - 1 - e, 0);
        if (fmpz_cmp(n, hi) >= 0)
            e++;
        else if (fmpz_cmp(n, lo) < 0)
            e--;
        else
            break;
    }
    scaled_int(n, x, digits - 1 - e, 1);
    if (fmpz_equal(n, hi))
    {
        /* rounding carried into a new digit: 9.99.. -> 10.0 */
        fmpz_set(n, lo);
        e++;
    }
    mant = flint_malloc(fmpz_sizeinbase(n, 10) + 2);
    fmpz_get_str(mant, 10, n);
    s = flint_malloc(digits + 40);
    len = 0;
    if (fmpq_sgn(x) < 0)
        s[len++] = '-';
    if (e < -5 || e >= digits)
    {
        /* scientific: d.ddd...e+XX */
        s[len++] = mant[0];
        if (digits > 1)
        {
            s[len++] = '.';
            memcpy(s + len, mant + 1, digits - 1);
            len += digits - 1;
        }
        snprintf(s + len, 32, "e%c%02ld", e < 0 ? '-' : '+', (long) FLINT_ABS(e));
    }
    else if (e >= 0)
    {
        memcpy(s + len, mant, e + 1);
        len += e + 1;
        if (digits > e + 1)
        {
            s[len++] = '.';
            memcpy(s + len, mant + e + 1, digits - e - 1);
            len += digits - e - 1;
        }
        s[len] = '\0';
    }
    else
    {
        s[len++] = '0';
        s[len++] = '.';
        memset(s + len, '0', -e - 1);
        len += -e - 1;
        memcpy(s + len, mant, digits);
        len += digits;
        s[len] = '\0';
    }
    flint_free(mant);
    fmpz_clear(n); fmpz_clear(lo); fmpz_clear(hi);
    return s;
}

/* The quantities a report lists: INTERFACE.md's eleven, then the extras. */
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
report_value_init(report_value_t * v, const ntk_report_info_t * info,
                  const ntk_moments_t m, ntk_quantity_t q)
{
    fmpq_t c;
    int k;
    fmpq_init(c);
    v->n = info->x2 ? 1 : 3;
    for (k = 0; k < v->n; k++)
    {
        slong digits = info->digits;
        if (info->x2)
            ntk_moments_eval(c, m, q, info->x2);
        else
            fmpq_poly_get_coeff_fmpq(c, m->poly + q, k);
        /* the floating-point mode prints only the digits it guarantees */
        if (info->options->precision > 0)
            digits = FLINT_MIN(digits, ntk_moments_digits(m, q, info->x2, info->options->precision));
        v->exact[k] = info->options->precision > 0 ? NULL : ntk_report_exact(c);
        v->decimal[k] = digits > 0 ? ntk_report_decimal(c, digits) : NULL;
    }
    fmpq_clear(c);
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

static void
print_fmpq_json(FILE * out, const char * key, const fmpq_t x, const char * sep)
{
    char * s = ntk_report_exact(x);
    fprintf(out, "\"%s\": \"%s\"%s", key, s, sep);
    flint_free(s);
}

static void
print_header_json(FILE * out, const ntk_report_info_t * info)
{
    const ntk_profile_struct * p = info->profile;
    const ntk_options_struct * o = info->options;
    char * spec = ntk_profile_get_str(p);
    slong r, j, first = 1;
    fprintf(out, "{\n  \"widths\": ");
    /* a list of a billion widths helps nobody: beyond NTK_REPORT_WIDTHS_MAX
       the run-length widths_spec stands alone */
    if (p->depth + 1 > NTK_REPORT_WIDTHS_MAX)
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
    flint_free(spec);
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
report_json(FILE * out, const ntk_report_info_t * info, const ntk_moments_t m,
            report_value_t * vals)
{
    int i;
    print_header_json(out, info);
    if (info->options->precision > 0)
        fprintf(out, "  \"precision\": %ld,\n  \"exact\": null,\n", (long) info->options->precision);
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
report_csv(FILE * out, const ntk_report_info_t * info, report_value_t * vals)
{
    int i, k;
    if (info->x2)
        fprintf(out, "quantity,exact,decimal\n");  /* exact is empty in the floating-point mode */
    else
        fprintf(out, "quantity,exact_c0,exact_c1,exact_c2,decimal_c0,decimal_c1,decimal_c2\n");
    for (i = 0; i < NTK_N_QUANTITIES; i++)
    {
        fprintf(out, "%s", ntk_quantity_name(report_order[i]));
        for (k = 0; k < vals[i].n; k++)
            fprintf(out, ",%s", vals[i].exact[k] ? vals[i].exact[k] : "");
        for (k = 0; k < vals[i].n; k++)
            fprintf(out, ",%s", vals[i].decimal[k] ? vals[i].decimal[k] : "");
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
report_text_header(FILE * out, const ntk_report_info_t * info)
{
    const ntk_options_struct * o = info->options;
    char * spec = ntk_profile_get_str(info->profile);
    char * mu4 = ntk_report_exact(o->mu4), * ch = ntk_report_exact(o->cw_hidden);
    char * co = ntk_report_exact(o->cw_output);
    char * x2 = info->x2 ? ntk_report_exact(info->x2) : NULL;
    fprintf(out, "widths %s (depth %ld, beta = sum of 1/n_i over hidden layers = %.6g)\n",
            spec, (long) info->profile->depth, ntk_profile_beta(info->profile));
    fprintf(out, "x2 = %s, mu4 = %s, cw_hidden = %s, cw_output = %s, %s parametrization, biases %s\n",
            x2 ? x2 : "symbolic (value = c0 + c1 x2 + c2 x2^2, for x2 > 0)", mu4, ch, co,
            o->param == NTK_PARAM_NTK ? "NTK" : "standard", o->bias ? "on" : "off");
    if (o->precision > 0)
        fprintf(out, "floating point with %ld bits: only the digits it guarantees are printed\n",
                (long) o->precision);
    fprintf(out, "\n");
    flint_free(spec); flint_free(mu4); flint_free(ch); flint_free(co); flint_free(x2);
}

static void
report_text(FILE * out, const ntk_report_info_t * info, report_value_t * vals)
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

/* The strings of every value, shared out between threads: writing a
   fraction of millions of digits in decimal takes as long as computing it. */
typedef struct
{
    report_value_t * vals;
    const ntk_report_info_t * info;
    const ntk_moments_struct * m;
    int next;
    pthread_mutex_t lock;
}
value_queue_t;

static void *
value_worker(void * arg)
{
    value_queue_t * vq = arg;
    for (;;)
    {
        int i;
        pthread_mutex_lock(&vq->lock);
        i = vq->next++;
        pthread_mutex_unlock(&vq->lock);
        if (i >= NTK_N_QUANTITIES)
            return NULL;
        report_value_init(vq->vals + i, vq->info, vq->m, report_order[i]);
    }
}

static void *
value_thread(void * arg)
{
    value_worker(arg);
    flint_cleanup();        /* FLINT's per-thread cache, as in moments.c */
    return NULL;
}

/* Fills vals, on two threads when some value is long. */
static void
report_values(report_value_t * vals, const ntk_report_info_t * info, const ntk_moments_t m)
{
    value_queue_t vq;
    pthread_t thread;
    slong bits = 0;
    int q, threaded;
    for (q = 0; q < NTK_N_QUANTITIES; q++)
        bits = FLINT_MAX(bits, (slong) fmpz_bits(fmpq_poly_denref(m->poly + q)));
    threaded = info->options->threads > 1 && bits > 100000;
    vq.vals = vals; vq.info = info; vq.m = m; vq.next = 0;
    pthread_mutex_init(&vq.lock, NULL);
    if (threaded && pthread_create(&thread, NULL, value_thread, &vq) != 0)
        threaded = 0;
    value_worker(&vq);
    if (threaded)
        pthread_join(thread, NULL);
    pthread_mutex_destroy(&vq.lock);
}

void
ntk_report_moments(FILE * out, ntk_format_t format,
                   const ntk_report_info_t * info, const ntk_moments_t m)
{
    report_value_t vals[NTK_N_QUANTITIES];
    int i;
    report_values(vals, info, m);
    if (format == NTK_FORMAT_JSON)
        report_json(out, info, m, vals);
    else if (format == NTK_FORMAT_CSV)
        report_csv(out, info, vals);
    else
        report_text(out, info, vals);
    for (i = 0; i < NTK_N_QUANTITIES; i++)
        report_value_clear(vals + i);
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
ntk_report_sample(FILE * out, ntk_format_t format, const ntk_report_info_t * info,
                  const ntk_sample_result_t * res)
{
    int i;
    if (format == NTK_FORMAT_JSON)
    {
        print_header_json(out, info);
        fprintf(out, "  \"samples\": %ld, \"seed\": %lu,\n", (long) res->samples,
                (unsigned long) info->seed);
        print_sample_object(out, "mean", res->mean, ",");
        print_sample_object(out, "stderr", res->stderr, "");
        fprintf(out, "}\n");
        return;
    }
    if (format == NTK_FORMAT_CSV)
        fprintf(out, "quantity,mean,stderr\n");
    else
        report_text_header(out, info);
    for (i = 0; i < NTK_N_QUANTITIES; i++)
    {
        ntk_quantity_t q = report_order[i];
        if (format == NTK_FORMAT_CSV)
            fprintf(out, "%s,%.17g,%.17g\n", ntk_quantity_name(q), res->mean[q], res->stderr[q]);
        else
            fprintf(out, "%-8s %-24.10g +- %.3g\n", ntk_quantity_name(q), res->mean[q], res->stderr[q]);
    }
}

int
ntk_report_check(FILE * out, ntk_format_t format, const ntk_report_info_t * info,
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
        z[q] = ntk_sample_zscore(v, res->mean[q], res->stderr[q]);
        fails += !(fabs(z[q]) <= tolerance);
        ex[i] = ntk_report_exact(v);
        dec[i] = ntk_report_decimal(v, format == NTK_FORMAT_TEXT ? FLINT_MIN(info->digits, 12) : info->digits);
    }
    if (format == NTK_FORMAT_JSON)
    {
        print_header_json(out, info);
        fprintf(out, "  \"samples\": %ld, \"seed\": %lu, \"tolerance\": %g,\n",
                (long) res->samples, (unsigned long) info->seed, tolerance);
        fprintf(out, "  \"exact\": {");
        for (i = 0; i < NTK_N_QUANTITIES; i++)
            fprintf(out, "%s\"%s\": \"%s\"", i ? ", " : "", ntk_quantity_name(report_order[i]), ex[i]);
        fprintf(out, "},\n");
        print_sample_object(out, "mean", res->mean, ",");
        print_sample_object(out, "stderr", res->stderr, ",");
        print_sample_object(out, "z", z, ",");
        fprintf(out, "  \"failed\": %d, \"pass\": %s\n}\n", fails, fails ? "false" : "true");
    }
    else if (format == NTK_FORMAT_CSV)
    {
        fprintf(out, "quantity,exact,exact_decimal,mean,stderr,z,ok\n");
        for (i = 0; i < NTK_N_QUANTITIES; i++)
        {
            ntk_quantity_t q = report_order[i];
            fprintf(out, "%s,%s,%s,%.17g,%.17g,%.6g,%d\n", ntk_quantity_name(q), ex[i], dec[i],
                    res->mean[q], res->stderr[q], z[q], fabs(z[q]) <= tolerance);
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
                    ntk_quantity_name(q), dec[i], res->mean[q], res->stderr[q], z[q]);
        }
        fprintf(out, "\n%s: %d of %d quantities with |z| > %g (%ld samples, seed %lu)\n",
                fails ? "FAIL" : "PASS", fails, NTK_N_QUANTITIES, tolerance,
                (long) res->samples, (unsigned long) info->seed);
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
ntk_report_row_header(FILE * out)
{
    int i;
    fprintf(out, "widths,depth,n0,beta,a,x2,mu4,cw_hidden,cw_output,param,bias");
    for (i = 0; i < NTK_N_QUANTITIES; i++)
        fprintf(out, ",%s,%s_decimal", ntk_quantity_name(report_order[i]),
                ntk_quantity_name(report_order[i]));
    fprintf(out, "\n");
}

void
ntk_report_row(FILE * out, ntk_format_t format, const ntk_report_info_t * info,
               const ntk_moments_t m)
{
    const ntk_options_struct * o = info->options;
    char * spec = ntk_profile_get_str(info->profile);
    char * s[6];
    fmpq_t a, v;
    int i;
    fmpq_init(a); fmpq_init(v);
    fmpq_set_ui(a, ntk_profile_width(info->profile, 0), 1);
    fmpq_div(a, info->x2, a);
    s[0] = ntk_report_exact(a);
    s[1] = ntk_report_exact(info->x2);
    s[2] = ntk_report_exact(o->mu4);
    s[3] = ntk_report_exact(o->cw_hidden);
    s[4] = ntk_report_exact(o->cw_output);
    s[5] = NULL;
    fprintf(out, format == NTK_FORMAT_CSV
                 ? "\"%s\",%ld,%lu,%.17g,%s,%s,%s,%s,%s,%s,%s"
                 : "{\"widths\": \"%s\", \"depth\": %ld, \"n0\": %lu, \"beta\": %.17g, \"a\": \"%s\", "
                   "\"x2\": \"%s\", \"mu4\": \"%s\", \"cw_hidden\": \"%s\", \"cw_output\": \"%s\", "
                   "\"param\": \"%s\", \"bias\": %s",
            spec, (long) info->profile->depth, (unsigned long) ntk_profile_width(info->profile, 0),
            ntk_profile_beta(info->profile), s[0], s[1], s[2], s[3], s[4],
            o->param == NTK_PARAM_NTK ? "ntk" : "standard", o->bias ? "true" : "false");
    for (i = 0; i < NTK_N_QUANTITIES; i++)
    {
        char * ex, * dec;
        ntk_moments_eval(v, m, report_order[i], info->x2);
        ex = ntk_report_exact(v);
        dec = ntk_report_decimal(v, info->digits);
        if (format == NTK_FORMAT_CSV)
            fprintf(out, ",%s,%s", ex, dec);
        else
            fprintf(out, "%s\"%s\": [\"%s\", \"%s\"]", i ? ", " : ", \"values\": {",
                    ntk_quantity_name(report_order[i]), ex, dec);
        flint_free(ex);
        flint_free(dec);
    }
    fprintf(out, format == NTK_FORMAT_CSV ? "\n" : "}}\n");
    for (i = 0; i < 5; i++)
        flint_free(s[i]);
    flint_free(spec);
    fmpq_clear(a); fmpq_clear(v);
}
