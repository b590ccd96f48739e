/* The rows of 'table' across the ranks, written in order, resumed from a
   partial output (table_output.h).

   --resume never keeps a row this table would not write.  The rows kept in
   FILE are checked by their key columns and number of fields as they are
   read, then by their bytes: while rows go to --output FILE, the FNV-1a 64
   of each unit's text is appended to FILE.ntkexact-sums ("u UNIT HASH"),
   after the unit itself; a kept unit whose bytes have the hash recorded for
   it is what this table wrote, and every other kept unit (the unit the kill
   cut, one written before its line, one whose bytes or hash were changed,
   or all of them when the sums file is missing) is computed again and
   compared byte for byte.  A kept row that differs is refused (status 2,
   the row named) before FILE is touched.  A complete table removes its
   sums file. */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "checkpoint.h"
#include "dist.h"
#include "table_output.h"

#define SUMS_SUFFIX ".ntkexact-sums"
#define SUMS_MAGIC "ntkexact-table-sums 1\n"

/* What rank 0 found in FILE, and what every rank needs of it. */
typedef struct
{
    int64_t rows;           /* complete rows kept */
    int64_t verified;       /* units 0 .. verified-1 have their recorded hash */
    int64_t kept_units;     /* units with a kept row: ceil(rows / rows_per_unit) */
}
table_kept_t;

/* Rank 0's view of FILE while resuming. */
typedef struct
{
    off_t keep;             /* bytes of the complete lines kept */
    off_t check_at;         /* where the first row of unit `verified` starts */
    slong check_line;       /* its line number */
    int header_there;
    int opened;             /* stdout is FILE already (nothing kept) */
    uint64_t * hash;        /* the hashes of the complete kept units */
    slong n_hash, alloc;
}
table_scan_t;

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

/* path + suffix (malloc'd). */
static char *
path_with(const char * path, const char * suffix)
{
    size_t len = strlen(path);
    char * s = flint_malloc(len + strlen(suffix) + 1);
    memcpy(s, path, len);
    strcpy(s + len, suffix);
    return s;
}

/* A regular file opened for reading without blocking (a FIFO would), or
   NULL (errno ENOENT when it does not exist; EINVAL: not a regular file). */
static FILE *
open_regular(const char * path)
{
    struct stat st;
    FILE * f;
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (f = fdopen(fd, "r")) == NULL)
    {
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    return f;
}

/* The recorded hash of unit u from the sums file (its lines are in unit
   order), or 0 with *found = 0. */
static uint64_t
sums_next(FILE * sums, slong u, int * found)
{
    char line[96];
    long unit;
    unsigned long long h;
    *found = 0;
    while (sums != NULL && fgets(line, sizeof(line), sums) != NULL)
    {
        if (strchr(line, '\n') == NULL || sscanf(line, "u %ld %16llx", &unit, &h) != 2)
            return 0;
        if (unit == u)
        {
            *found = 1;
            return (uint64_t) h;
        }
        if (unit > u)
            return 0;
    }
    return 0;
}

static void
scan_hash(table_scan_t * sc, uint64_t h)
{
    if (sc->n_hash == sc->alloc)
    {
        sc->alloc = FLINT_MAX(64, 2 * sc->alloc);
        sc->hash = flint_realloc(sc->hash, sc->alloc * sizeof(uint64_t));
    }
    sc->hash[sc->n_hash++] = h;
}

/* Rank 0, --resume on an existing FILE: the rows there, checked by their
   key columns (a partial last line is not a row), and the units among them
   whose bytes have their recorded hash. */
static void
table_scan(table_kept_t * kept, table_scan_t * sc, const cli_table_job_t * job, FILE * f)
{
    char * line = NULL, * sums_path = path_with(job->output, SUMS_SUFFIX), magic[64];
    size_t cap = 0;
    ssize_t got;
    slong rows = 0, line_no = 0, fields = 0, rpu = job->rows_per_unit;
    uint64_t h = CLI_FNV1A64_START;
    int trusted = 1, found;
    FILE * sums = open_regular(sums_path);
    off_t at = 0;
    if (sums != NULL && (fgets(magic, sizeof(magic), sums) == NULL || strcmp(magic, SUMS_MAGIC) != 0))
    {
        fclose(sums);
        sums = NULL;
    }
    kept->verified = 0;
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
            sc->header_there = 1;
        }
        else
        {
            if (rows == job->n_units * rpu)
                not_partial(job, line_no, "is one row more than this table has", NULL);
            h = cli_fnv1a64(h, line, (size_t) got);
            line[got - 1] = '\0';
            check_row(job, line, rows, line_no, &fields);
            rows++;
            if (rows % rpu == 0)    /* a complete unit */
            {
                uint64_t want = sums_next(sums, rows / rpu - 1, &found);
                trusted = trusted && found && want == h;
                if (trusted)
                {
                    kept->verified = rows / rpu;
                    sc->check_at = at + got;
                    sc->check_line = line_no + 1;
                    scan_hash(sc, h);
                }
                h = CLI_FNV1A64_START;
            }
        }
        at += got;
    }
    if (ferror(f))
    {
        fprintf(stderr, "ntkexact: --resume: cannot read %s: %s\n", job->output, strerror(errno));
        cli_dist_exit(2);
    }
    if (kept->verified == 0)
    {
        sc->check_at = sc->header_there ? (off_t) strlen(job->header) : 0;
        sc->check_line = sc->header_there ? 2 : 1;
    }
    if (sums != NULL)
        fclose(sums);
    free(line);
    flint_free(sums_path);
    sc->keep = at;
    kept->rows = rows;
    kept->kept_units = (rows + rpu - 1) / rpu;
}

static void
open_failed(const char * path)
{
    fprintf(stderr, "ntkexact: cannot write the output %s: %s\n", path, strerror(errno));
    cli_dist_exit(1);
}

/* Rank 0, before any work: what FILE holds, with --resume; FILE is opened
   (for writing from the start) at once when nothing is kept. */
static void
table_find(table_kept_t * kept, table_scan_t * sc, const cli_table_job_t * job)
{
    FILE * f = NULL;
    memset(kept, 0, sizeof(*kept));
    if (job->output == NULL)
        return;
    if (job->resume && (f = open_regular(job->output)) == NULL && errno != ENOENT)
    {
        if (errno == EINVAL)
        {
            fprintf(stderr, "ntkexact: --resume: %s is not a regular file, so not a partial output "
                    "of this table\n", job->output);
            cli_dist_exit(2);
        }
        open_failed(job->output);
    }
    if (f != NULL)
    {
        table_scan(kept, sc, job, f);
        fclose(f);
    }
    if (kept->rows == 0 && !sc->header_there)
    {
        if (cli_output_to_file(job->output, "w") != 0)
            open_failed(job->output);
        sc->opened = 1;
    }
}

/* Rank 0: compares the kept rows of unit u (those before row kept->rows)
   with its text, from FILE at line *line_no on; the first row that differs,
   or -1 (*line_no is then the line after the unit's kept rows, else the
   differing row's). */
static slong
compare_unit(FILE * f, const cli_table_job_t * job, const table_kept_t * kept, slong u,
             const char * text, size_t len, slong * line_no)
{
    slong r, end = FLINT_MIN(kept->rows, (u + 1) * job->rows_per_unit), bad = -1;
    char * line = NULL;
    size_t cap = 0;
    for (r = u * job->rows_per_unit; r < end && bad < 0; r++)
    {
        const char * nl = memchr(text, '\n', len);
        size_t n = nl ? (size_t) (nl - text) + 1 : len;
        ssize_t got = getline(&line, &cap, f);
        if (got != (ssize_t) n || memcmp(line, text, n) != 0)
            bad = r;
        else
            (*line_no)++;
        text += n;
        len -= n;
    }
    free(line);
    return bad;
}

/* Ends the program for kept row r at line line_no, which this table does
   not write there. */
static void
row_differs(const cli_table_job_t * job, slong r, slong line_no)
{
    char * key = row_key(job, r);
    fprintf(stderr, "ntkexact: --resume: %s line %ld (the row %.120s) holds values this table "
            "does not compute: it is not a partial output of this table (remove it, or drop "
            "--resume to overwrite it)\n", job->output, (long) line_no, key);
    free(key);
    cli_dist_exit(2);
}

/* The text of unit u on rank 0 (computed by its owner; NULL elsewhere). */
static char *
unit_text(const cli_table_job_t * job, slong u, size_t * len)
{
    int owner = (int) (u % cli_dist_size()), rank = cli_dist_rank();
    char * text = NULL;
    *len = 0;
    if (rank == owner)
    {
        text = job->unit(job->data, u, len);
        if (rank != 0)
        {
            cli_dist_send(text, *len);
            free(text);
            text = NULL;
        }
    }
    if (rank == 0 && owner != 0)
        text = cli_dist_recv(owner, len);
    return text;
}

/* The sums file: written afresh (the hashes of the complete kept units),
   then appended to; NULL when FILE is not a regular file or it cannot be
   written (it only saves work on a resume). */
static FILE *
sums_start(const cli_table_job_t * job, const table_scan_t * sc)
{
    struct stat st;
    char * path;
    FILE * sums = NULL;
    int fd;
    slong u;
    if (job->output == NULL || fstat(fileno(stdout), &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    path = path_with(job->output, SUMS_SUFFIX);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_NOFOLLOW, 0644);
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (sums = fdopen(fd, "w")) == NULL))
        close(fd);
    flint_free(path);
    if (sums == NULL)
        return NULL;
    fputs(SUMS_MAGIC, sums);
    for (u = 0; u < sc->n_hash; u++)
        fprintf(sums, "u %ld %016llx\n", (long) u, (unsigned long long) sc->hash[u]);
    fflush(sums);
    return sums;
}

static void
sums_add(FILE * sums, slong u, const char * text, size_t len)
{
    if (sums == NULL)
        return;
    fprintf(sums, "u %ld %016llx\n", (long) u,
            (unsigned long long) cli_fnv1a64(CLI_FNV1A64_START, text, len));
    fflush(sums);
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

/* Every rank: the kept units that are not verified by their hash, computed
   again and compared with FILE by rank 0; rank 0 keeps the hashes of the
   complete ones, and returns the text of a last, partial one (or NULL). */
static char *
table_check_kept(const cli_table_job_t * job, const table_kept_t * kept, table_scan_t * sc,
                 size_t * partial_len)
{
    FILE * f = NULL;
    char * partial = NULL;
    slong u, bad, line_no = sc->check_line;
    if (cli_dist_rank() == 0 && kept->verified < kept->kept_units)
    {
        if ((f = open_regular(job->output)) == NULL || fseeko(f, sc->check_at, SEEK_SET) != 0)
            open_failed(job->output);
    }
    for (u = kept->verified; u < kept->kept_units; u++)
    {
        size_t len;
        char * text = unit_text(job, u, &len);
        if (cli_dist_rank() != 0)
            continue;
        if ((bad = compare_unit(f, job, kept, u, text, len, &line_no)) >= 0)
        {
            /* nothing left allocated for a leak checker to report */
            free(text);
            free(partial);
            fclose(f);
            flint_free(sc->hash);
            sc->hash = NULL;
            row_differs(job, bad, line_no);
        }
        if ((u + 1) * job->rows_per_unit <= kept->rows)
        {
            scan_hash(sc, cli_fnv1a64(CLI_FNV1A64_START, text, len));
            free(text);
        }
        else
        {
            partial = text;
            *partial_len = len;
        }
    }
    if (f != NULL)
        fclose(f);
    return partial;
}

/* Rank 0, the kept rows checked: FILE less its partial last line, open for
   the rest, the header written if it is not there; the sums file. */
static FILE *
table_open(const cli_table_job_t * job, const table_kept_t * kept, const table_scan_t * sc)
{
    if (job->output != NULL && !sc->opened)
    {
        if (truncate(job->output, sc->keep) != 0 || cli_output_to_file(job->output, "a") != 0)
            open_failed(job->output);
    }
    if (job->header != NULL && !sc->header_there)
    {
        cli_output_begin();
        fputs(job->header, stdout);
        cli_output_end();
    }
    return sums_start(job, sc);
}

void
cli_table_write(const cli_table_job_t * job)
{
    int rank = cli_dist_rank();
    table_kept_t kept;
    table_scan_t sc;
    FILE * sums = NULL;
    char * partial = NULL;
    size_t partial_len = 0;
    slong u, total = job->n_units * job->rows_per_unit, rpu = job->rows_per_unit;
    memset(&sc, 0, sizeof(sc));
    if (rank == 0)
        table_find(&kept, &sc, job);
    cli_dist_work();
    cli_dist_bcast(&kept, sizeof(kept));
    partial = table_check_kept(job, &kept, &sc, &partial_len);
    if (rank == 0)
    {
        sums = table_open(job, &kept, &sc);
        if (partial != NULL)
        {
            write_unit(partial, partial_len, kept.rows % rpu);
            sums_add(sums, kept.kept_units - 1, partial, partial_len);
        }
    }
    free(partial);
    if (job->progress != NULL)
        job->progress->base = (slong) kept.rows;
    for (u = kept.kept_units; u < job->n_units; u++)
    {
        size_t len;
        char * text = unit_text(job, u, &len);
        if (rank == 0)
        {
            write_unit(text, len, 0);
            sums_add(sums, u, text, len);
            if (job->progress != NULL)
                cli_progress_update(job->progress, (u + 1) * rpu, total);
        }
        free(text);
    }
    if (sums != NULL)
    {
        /* the table is complete: nothing to resume */
        char * path = path_with(job->output, SUMS_SUFFIX);
        fclose(sums);
        unlink(path);
        flint_free(path);
    }
    flint_free(sc.hash);
}
