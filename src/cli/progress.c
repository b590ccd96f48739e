/* The progress line on stderr, shared by every command: shown after a
   second, on a terminal or with --progress, never with --quiet. */

#include <time.h>
#include <unistd.h>
#include "cli.h"

double
cli_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

void
cli_progress_start(cli_progress_t * pr, const cli_t * cli, const char * unit)
{
    pr->start = cli_seconds();
    pr->last = 0;
    pr->shown = 0;
    pr->enabled = !cli->quiet && (cli->progress || isatty(2));
    pr->command = cli->command;
    pr->unit = unit;
}

int
cli_progress_update(void * data, slong done, slong total)
{
    cli_progress_t * pr = data;
    double t = cli_seconds() - pr->start;
    if (!pr->enabled || t < 1.0 || (t - pr->last < 0.25 && done < total))
        return 0;
    pr->last = t;
    pr->shown = 1;
    fprintf(stderr, "\r\033[Kntkexact %s: %ld/%ld %s (%.0f%%), %.3g per s, about %.0f s left",
            pr->command, (long) done, (long) total, pr->unit, 100.0 * done / FLINT_MAX(total, 1),
            (double) done / t, done > 0 ? t * (double) (total - done) / (double) done : 0.0);
    fflush(stderr);
    return 0;
}

void
cli_progress_finish(cli_progress_t * pr)
{
    if (pr->shown)
        fprintf(stderr, "\r\033[K");
    pr->shown = 0;
}
