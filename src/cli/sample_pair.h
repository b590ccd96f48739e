/* sample and check of two inputs (--xy): the two-input sampler's estimates
   and, for check, their comparison with the kernel's first-order prediction
   (the off-diagonal rows) and with the exact one-input moments (the
   diagonal's).  cmd_sample.c hands a two-input run over here. */

#ifndef NTK_CLI_SAMPLE_PAIR_H
#define NTK_CLI_SAMPLE_PAIR_H

#include "cli.h"
#include "report.h"
#include "pair_rule.h"

typedef struct
{
    slong samples;
    ulong seed;
    ntk_sample_method_t method;
    double alpha, tolerance;    /* tolerance > 0: --tolerance */
    int check;
    const char * checkpoint;    /* --checkpoint FILE, or NULL */
    double every;               /* --checkpoint-every SECONDS */
}
cli_pair_opts_t;

/* One row of a two-input check. */
typedef struct
{
    double reference, bound, z;
    int first_order;        /* reference and bound from the kernel; else exact */
    int decided, fails;
}
cli_pair_row_t;

typedef struct
{
    cli_pair_row_t row[NTK_SAMPLE_PAIR_N];
    double alpha, threshold;
    int tolerance;          /* the threshold is --tolerance's */
    int fails, decided;
}
cli_pair_check_t;

/* The reports (report_pair.c): the estimates; the check's rows (returns
   the number of failed rows). */
void cli_report_pair_sample(FILE * out, cli_format_t format, const cli_report_t * info,
                            const cli_t * cli, const ntk_sample_pair_result_t * res);
int cli_report_pair_check(FILE * out, cli_format_t format, const cli_report_t * info,
                          const cli_t * cli, const ntk_sample_pair_result_t * res,
                          const cli_pair_check_t * pc);

/* Runs sample or check of two inputs (the options parsed, the law set);
   returns the exit status. */
int cli_pair_run(cli_t * cli, const ntk_profile_t prof, const cli_pair_opts_t * po);

#endif
