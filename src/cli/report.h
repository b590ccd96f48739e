/* The reports of the tool (text, JSON, CSV): formatting only. */

#ifndef NTK_CLI_REPORT_H
#define NTK_CLI_REPORT_H

#include "cli.h"

/* What a report describes: the profile, conventions and x2. */
typedef struct
{
    const ntk_profile_struct * profile;
    const ntk_conv_struct * conv;
    slong precision;     /* 0: exact values; else the floating-point mode's bits */
    const fmpq * x2;     /* NULL means symbolic in x2 */
    slong digits;        /* significant digits of decimals */
    int full;            /* text format: print long fractions whole */
    int threads;         /* for writing long fractions */
    slong samples;       /* sampling reports: the number of samples */
    ulong seed;          /* sampling reports: the seed */
    int activation;      /* name the activation (it was given: default output unchanged) */
    int order;           /* the moments up to E[K^order]: 2 (and 0, unset), 3 or 4 */
    const char * method; /* sampling reports: the method that drew the networks */
    int update;          /* the update's second moment is reported */
    const fmpq * target; /* its target y (NULL: 0) */
}
cli_report_t;

/* The items a report lists: the quantities of its order, then, after
   Skew2_K, the decimal-only Skew_K = sign(M3) sqrt(Skew2) (q = CLI_ITEM_SKEW:
   the skewness is not rational); symbolic reports leave out the ratios
   (they are not polynomials in x2). */
typedef struct
{
    const char * name;
    int q;            /* the quantity, or CLI_ITEM_SKEW */
}
cli_report_item_t;

#define CLI_ITEM_SKEW (-1)
#define CLI_REPORT_MAX_ITEMS (NTK_N_QUANTITIES + 1)

/* Fills items (room for CLI_REPORT_MAX_ITEMS), with update also the
   quantities of the update's second moment; returns how many. */
int cli_report_items(cli_report_item_t * items, int order, int update, int symbolic);

/* sign(m3) sqrt(skew2) with `digits` significant digits, rounded to
   nearest (exactly, by integer square roots); free with flint_free. */
char * cli_report_skewness_decimal(const fmpq_t skew2, const fmpq_t m3, slong digits);

/* The pieces the reports share: a JSON member "key": "p/q" followed by sep;
   the JSON header (profile, conventions, x2) up to the values; the text
   header; the CSV column of the activation (its header, or its value). */
void cli_report_fmpq_json(FILE * out, const char * key, const fmpq_t x, const char * sep);
void cli_report_header_json(FILE * out, const cli_report_t * info);
void cli_report_header_text(FILE * out, const cli_report_t * info);
void cli_report_csv_activation(FILE * out, const cli_report_t * info, int header);

/* ",value" as one CSV field, quoted when it holds a comma, a quote or a
   line break (RFC 4180). */
void cli_report_csv_field(FILE * out, const char * value);

/* JSON reports list the widths up to this many; beyond, "widths" is null and
   the run-length "widths_spec" describes the profile. */
#define CLI_REPORT_WIDTHS_MAX WORD(1000000)

/* The activation and the cw_hidden used, for the headers of commands whose
   reports do not otherwise show the conventions (expand, limit): text
   ", activation NAME, cw_hidden C" or JSON "activation", "a_plus",
   "a_minus", "cw_hidden" members (separated by commas, none after the
   last). */
void cli_report_activation(FILE * out, cli_format_t format, const ntk_conv_struct * conv);

/* Writes the term c var^p of a sum in text: a sign (" + ", " - ", or "-"
   for the first term), the magnitude (parenthesized when it is a fraction,
   left out when it is 1 and a power follows), and the power ("n", "n^p"). */
void cli_print_term(FILE * out, const fmpq_t c, slong p, int first, const char * var);

/* expand --depth symbolic: computes and prints the series whose
   coefficients are functions of the depth; returns the exit status. */
int cli_expand_symbolic(cli_t * cli, long n0, long order, int moments);

/* Writes the moments in the given format. */
ntk_status_t cli_report_moments(FILE * out, cli_format_t format, const cli_report_t * info,
                                const ntk_moments_t m, ntk_error_t * err);

/* The CSV header of table rows. */
void cli_report_row_header(FILE * out, const cli_report_t * info);

/* The key columns that begin a table row: the profile, a = x2/n_0 and the
   conventions, without the quantities (what table --resume compares). */
void cli_report_row_key(FILE * out, cli_format_t format, const cli_report_t * info);

/* One table row (CSV or JSON Lines): the profile, a = x2/n_0, the
   conventions, and every quantity exact and as a decimal. */
void cli_report_row(FILE * out, cli_format_t format, const cli_report_t * info,
                    const ntk_moments_t m);

/* Monte Carlo means and standard errors. */
void cli_report_sample(FILE * out, cli_format_t format, const cli_report_t * info,
                       const ntk_sample_result_t * res);

/* ntkexact check's report (check.h: the decided rows): exact values,
   estimates, standard errors, z-scores and the rule; returns how many
   quantities fail. */
struct cli_check_s;
int cli_report_check(FILE * out, cli_format_t format, const cli_report_t * info,
                     const ntk_moments_t m, const ntk_sample_result_t * res,
                     const struct cli_check_s * ck);

#endif
