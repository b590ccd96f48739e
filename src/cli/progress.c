/* The progress line on stderr, shared by every command: shown after a
   second, on a terminal or with --progress, never with --quiet. */

#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "dist.h"

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
    pr->tty = isatty(2);
    /* the whole job's progress, on rank 0 */
    pr->enabled = !cli->quiet && (cli->progress || pr->tty) && cli_dist_rank() == 0;
    pr->command = cli->command;
    pr->unit = unit;
    pr->hint = NULL;
    pr->hinted = 0;
    pr->base = 0;
}

/* "12 s", "3.5 min", "2.1 h". */
static void
print_duration(double s)
{
    if (s < 90)
        fprintf(stderr, "%.0f s", s);
    else if (s < 5400)
        fprintf(stderr, "%.1f min", s / 60);
    else
        fprintf(stderr, "%.1f h", s / 3600);
}

int
cli_progress_update(void * data, slong done, slong total)
{
    cli_progress_t * pr = data;
    double t = cli_seconds() - pr->start, left, pct;
    /* a terminal line is redrawn four times a second, a log line every 10 s */
    if (!pr->enabled || t < 1.0 || (t - pr->last < (pr->tty ? 0.25 : 10.0) && done < total))
        return 0;
    left = done > pr->base ? t * (double) (total - done) / (double) (done - pr->base) : 0.0;
    pct = 100.0 * (double) done / (double) FLINT_MAX(total, 1);
    pr->last = t;
    pr->shown = pr->tty;
    fprintf(stderr, "%sntkexact %s: %.0f%% of the %s", pr->tty ? "\r\033[K" : "", pr->command,
            pct, pr->unit);
    if (done > pr->base && done < total)
    {
        fprintf(stderr, ", about ");
        print_duration(left);
        fprintf(stderr, " left");
    }
    fprintf(stderr, "%s", pr->tty ? "" : "\n");
    /* a long exact computation: say once that the floating-point mode is quick */
    if (pr->hint != NULL && !pr->hinted && done > 0 && t + left > 60.0 && t > 3.0)
    {
        pr->hinted = 1;
        fprintf(stderr, "%sntkexact %s: %s\n", pr->tty ? "\r\033[K" : "", pr->command, pr->hint);
    }
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
