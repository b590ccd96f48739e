/* The rows of 'table' across the ranks, written in order, resumed from a
   partial output (table_output.h). */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dist.h"
#include "table_output.h"

static void
no_memory(void)
{
    fprintf(stderr, "ntkexact: %sout of memory\n", cli_dist_who());
    cli_dist_exit(3);
}

/* The number of CSV fields of a line (commas outside double quotes, + 1). */
static slong
csv_fields(const char * line)
{
    slong n = 1;
    int quoted = 0;
    for (; *line; line++)
        if (*line == '"')
            quoted = !quoted;
        else if (*line == ',' && !quoted)
            n++;
    return n;
}

static void
not_partial(const cli_table_job_t * job, slong line_no, const char * why, const char * key)
{
    fprintf(stderr, "ntkexact: --resume: %s line %ld %s%s%.120s%s: it is not a partial output of "
            "this table (remove it, or drop --resume to overwrite it)\n", job->output,
            (long) line_no, why, key ? " (expected: " : "", key ? key : "", key ? ")" : "");
    cli_dist_exit(2);
}

/* The key columns of row r, NUL-terminated (malloc'd). */
static char *
row_key(const cli_table_job_t * job, slong r)
{
    char * buf = NULL;
    size_t size = 0;
    FILE * f = open_memstream(&buf, &size);
    if (f == NULL)
        no_memory();
    job->key(job->data, f, r);
    if (fclose(f) != 0)
        no_memory();
    return buf;
}

/* Checks one complete line (its '\n' removed) as row r. */
static void
check_row(const cli_table_job_t * job, const char * line, slong r, slong line_no, slong * fields)
{
    char * key = row_key(job, r);
    size_t klen = strlen(key), len = strlen(line);
    int ok = strncmp(line, key, klen) == 0 && line[klen] == ',';
    if (ok && job->format == CLI_FORMAT_CSV)
    {
        slong n = csv_fields(line);
        if (*fields == 0)
            *fields = n;
        ok = (n == *fields);
    }
    else if (ok)
        ok = len >= 2 && strcmp(line + len - 2, "}}") == 0;
    if (!ok)
        not_partial(job, line_no, strncmp(line, key, klen) == 0 && line[klen] == ','
                                  ? "is damaged: not a whole row" : "is not the row this table "
                                  "writes there", key);
    free(key);
}

/* Rank 0, --resume on an existing FILE: the number of rows there, checked
   by their key columns (a partial last line is not a row); *header_there
   says whether the header is. */
static slong
table_verify(const cli_table_job_t * job, FILE * f, int * header_there, off_t * keep)
{
    char * line = NULL;
    size_t cap = 0;
    ssize_t got;
    slong rows = 0, line_no = 0, fields = 0;
    off_t at = 0;
    *header_there = 0;
    if (job->header != NULL)
        fields = csv_fields(job->header);
    while ((got = getline(&line, &cap, f)) > 0)
    {
        line_no++;
        if (line[got - 1] != '\n')
            break;      /* cut off by a kill: written again */
        if (job->header != NULL && line_no == 1)
        {
            if (strcmp(line, job->header) != 0)
                not_partial(job, 1, "is not the header of this table", NULL);
            *header_there = 1;
        }
        else
        {
            if (rows == job->n_units * job->rows_per_unit)
                not_partial(job, line_no, "is one row more than this table has", NULL);
            line[got - 1] = '\0';
            check_row(job, line, rows, line_no, &fields);
            rows++;
        }
        at += got;
    }
    if (ferror(f))
    {
        fprintf(stderr, "ntkexact: --resume: cannot read %s: %s\n", job->output, strerror(errno));
        cli_dist_exit(2);
    }
    free(line);
    *keep = at;
    return rows;
}

static void
open_failed(const char * path)
{
    fprintf(stderr, "ntkexact: cannot write the output %s: %s\n", path, strerror(errno));
    cli_dist_exit(1);
}

/* Rank 0: points stdout at --output FILE; the number of rows already there. */
static slong
table_open(const cli_table_job_t * job, int * header_there)
{
    FILE * f;
    slong rows = 0;
    off_t keep = 0;
    *header_there = 0;
    if (job->output == NULL)
        return 0;
    if (job->resume && (f = fopen(job->output, "r")) != NULL)
    {
        rows = table_verify(job, f, header_there, &keep);
        fclose(f);
        /* the partial last line goes; the rows stay */
        if (truncate(job->output, keep) != 0 || cli_output_to_file(job->output, "a") != 0)
            open_failed(job->output);
        return rows;
    }
    if (job->resume && errno != ENOENT)
        open_failed(job->output);
    if (cli_output_to_file(job->output, "w") != 0)
        open_failed(job->output);
    return 0;
}

/* Rank 0: the unit's text, less its first `skip` rows, as one unit of output. */
static void
write_unit(const char * text, size_t len, slong skip)
{
    FILE * out;
    for (; skip > 0 && len > 0; skip--)
    {
        const char * nl = memchr(text, '\n', len);
        size_t n = nl ? (size_t) (nl - text) + 1 : len;
        text += n;
        len -= n;
    }
    out = cli_output_open();
    fwrite(text, 1, len, out);
    cli_output_commit(out);
}

void
cli_table_write(const cli_table_job_t * job)
{
    int rank = cli_dist_rank(), size = cli_dist_size(), header_there = 0;
    int64_t start = 0;
    slong u, total = job->n_units * job->rows_per_unit, u0, skip;
    if (rank == 0)
        start = table_open(job, &header_there);
    cli_dist_bcast(&start, sizeof(start));
    cli_dist_work();
    if (rank == 0 && job->header != NULL && !header_there)
    {
        cli_output_begin();
        fputs(job->header, stdout);
        cli_output_end();
    }
    if (job->progress != NULL)
        job->progress->base = (slong) start;
    u0 = (slong) start / job->rows_per_unit;
    skip = (slong) start % job->rows_per_unit;
    for (u = u0; u < job->n_units; u++)
    {
        int owner = (int) (u % size);
        char * text = NULL;
        size_t len = 0;
        if (rank == owner)
        {
            text = job->unit(job->data, u, &len);
            if (rank != 0)
                cli_dist_send(text, len);
        }
        if (rank == 0)
        {
            if (owner != 0)
                text = cli_dist_recv(owner, &len);
            write_unit(text, len, u == u0 ? skip : 0);
            if (job->progress != NULL)
                cli_progress_update(job->progress, (u + 1) * job->rows_per_unit, total);
        }
        free(text);
    }
}
