/* The rows of 'table' as the tool writes them: computed unit by unit
   (a unit: the rows of one profile and weight law, at every a) across the
   MPI ranks of the job, unit u on rank u mod P, and written by rank 0 in
   order; to stdout or to --output FILE, where --resume keeps the rows
   already there (checked by their key columns) and writes the others. */

#ifndef NTK_CLI_TABLE_OUTPUT_H
#define NTK_CLI_TABLE_OUTPUT_H

#include "cli.h"

typedef struct
{
    slong n_units, rows_per_unit;
    /* the text of unit u: its rows_per_unit rows (malloc'd) */
    char * (* unit)(void * data, slong u, size_t * bytes);
    /* the key columns that begin row `row` (cli_report_row_key) */
    void (* key)(void * data, FILE * out, slong row);
    void * data;
    const char * header;        /* the header line (with its '\n') written first, or NULL */
    const char * output;        /* --output FILE, or NULL for stdout */
    int resume;                 /* --resume */
    cli_format_t format;
    cli_progress_t * progress;
}
cli_table_job_t;

/* Writes the table (every rank calls it); errors end the program. */
void cli_table_write(const cli_table_job_t * job);

#endif
