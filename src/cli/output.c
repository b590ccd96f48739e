/* What the tool promises about its exit: a write that failed, memory that
   ran out, or a signal never passes for success, and stdout never holds half
   a report.

   Exit status: 0 success, 1 a check failed or the output could not be
   written, 2 bad input, 3 out of memory (or a thread refused), 128 + the
   signal for SIGINT and SIGTERM. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gmp.h>
#include "cli.h"
#include "dist.h"

/* A unit of output (a report, a table row) is being written: a signal then
   waits until it is complete.  The flags are touched by signal handlers. */
static volatile sig_atomic_t output_busy = 0;
static volatile sig_atomic_t pending_signal = 0;
static volatile sig_atomic_t interrupted = 0;
/* cli_signals_defer(): the next signal only sets `interrupted` */
static volatile sig_atomic_t deferred = 0;
/* stdout was closed when the program started (">&-") */
static int stdout_closed = 0;
/* stdout is a file of --output: where the unit being written began (-1:
   none), to which a failed write cuts the file back */
static int output_to_file = 0;
static off_t unit_start = -1;
/* cli_output_file's FILE, opened when the first unit is written */
static const char * output_pending = NULL;

/* Only async-signal-safe calls from here on. */
static void
say(const char * msg)
{
    size_t len = strlen(msg);
    while (len > 0)
    {
        ssize_t w = write(2, msg, len);
        if (w <= 0)
            return;
        msg += w;
        len -= (size_t) w;
    }
}

static void
on_signal(int sig)
{
    interrupted = sig;
    if (output_busy)
    {
        pending_signal = sig;
        return;
    }
    if (deferred)
    {
        deferred = 0;       /* a second signal ends the program at once */
        return;
    }
    /* the launcher signals every rank: rank 0 speaks for the job */
    if (cli_dist_rank() == 0)
        say(sig == SIGINT ? "\nntkexact: interrupted\n" : "\nntkexact: terminated\n");
    _exit(128 + sig);
}

static void
out_of_memory(void)
{
    say("ntkexact: out of memory: the computation needs more memory than this process may use"
        " (a smaller profile, --precision, or fewer --threads)\n");
    _exit(3);
}

/* GMP's and FLINT's allocators: a failure ends the program cleanly instead
   of aborting with a message on stdout. */
static void *
gmp_alloc(size_t size)
{
    void * p = malloc(size);
    if (p == NULL && size != 0)
        out_of_memory();
    return p;
}

static void *
gmp_realloc(void * ptr, size_t old_size, size_t new_size)
{
    void * p = realloc(ptr, new_size);
    if (p == NULL && new_size != 0)
        out_of_memory();
    return p;
}

static void
gmp_free(void * ptr, size_t size)
{
    free(ptr);
}

static void *
flint_alloc(size_t size)
{
    return gmp_alloc(size);
}

static void *
flint_calloc_checked(size_t num, size_t size)
{
    void * p = calloc(num, size);
    if (p == NULL && num != 0 && size != 0)
        out_of_memory();
    return p;
}

static void *
flint_realloc_checked(void * ptr, size_t size)
{
    void * p = realloc(ptr, size);
    if (p == NULL && size != 0)
        out_of_memory();
    return p;
}

/* A closed standard descriptor is given /dev/null, so that no file the
   program opens can take its number; a closed stdout is still a failure. */
static void
guard_descriptors(void)
{
    int fd;
    for (fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF)
        {
            int got = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
            if (fd == 1)
                stdout_closed = 1;
            if (got >= 0 && got != fd)
                close(got);
        }
}

void
cli_output_init(void)
{
    struct sigaction sa;
    guard_descriptors();
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* a file-size limit makes write() fail with EFBIG, reported below,
       instead of killing the process without a word */
    signal(SIGXFSZ, SIG_IGN);
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
    __flint_set_memory_functions(flint_alloc, flint_calloc_checked, flint_realloc_checked, free);
}

int
cli_output_to_file(const char * path, const char * mode)
{
    if (freopen(path, mode, stdout) == NULL)
        return -1;
    stdout_closed = 0;      /* the output is the file now, whatever stdout was */
    output_to_file = 1;
    return 0;
}

static void
output_file_failed(const char * path)
{
    fprintf(stderr, "ntkexact: cannot write the output %s: %s\n", path, strerror(errno));
    cli_dist_exit(1);
}

void
cli_output_file(const char * path)
{
    int fd;
    if (path == NULL || cli_dist_rank() != 0)
        return;
    /* can it be written?  (without blocking on a FIFO, and leaving an
       existing file as it is until the report replaces it) */
    if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK, 0666)) < 0)
        output_file_failed(path);
    close(fd);
    output_pending = path;
}

int
cli_interrupted(void)
{
    return interrupted != 0;
}

int
cli_interrupt_signal(void)
{
    return (int) interrupted;
}

void
cli_signals_defer(void)
{
    deferred = 1;
}

/* Ends the program with status 1 if stdout has failed. */
static void
check_stdout(int closing)
{
    int failed = fflush(stdout) != 0 || ferror(stdout);
    int err = errno;
    if (stdout_closed)
        failed = 1, err = EBADF;
    if (!failed && closing && fclose(stdout) != 0)
        failed = 1, err = errno;
    if (failed)
    {
        /* a file keeps no half unit: whole rows, or no report */
        if (output_to_file && unit_start >= 0)
            (void) ftruncate(fileno(stdout), unit_start);
        fprintf(stderr, "ntkexact: cannot write the output: %s\n",
                err ? strerror(err) : "write error");
        _exit(1);
    }
}

/* The open unit of output: its memory buffer. */
static char * unit_buf = NULL;
static size_t unit_size = 0;

FILE *
cli_output_open(void)
{
    FILE * f = open_memstream(&unit_buf, &unit_size);
    if (f == NULL)
        out_of_memory();
    return f;
}

void
cli_output_commit(FILE * unit)
{
    size_t written;
    if (fclose(unit) != 0 || unit_buf == NULL)
        out_of_memory();
    if (output_pending != NULL)
    {
        const char * path = output_pending;
        output_pending = NULL;
        if (cli_output_to_file(path, "w") != 0)
            output_file_failed(path);
    }
    output_busy = 1;
    unit_start = output_to_file ? ftello(stdout) : -1;
    written = fwrite(unit_buf, 1, unit_size, stdout);
    free(unit_buf);
    unit_buf = NULL;
    if (written != unit_size)
        check_stdout(0);    /* reports the error and exits */
    cli_output_end();
}

void
cli_output_begin(void)
{
    output_busy = 1;
    unit_start = output_to_file ? ftello(stdout) : -1;
}

void
cli_output_end(void)
{
    check_stdout(0);
    unit_start = -1;
    output_busy = 0;
    if (pending_signal)
        on_signal(pending_signal);
}

void
cli_exit(int status)
{
    check_stdout(1);
    cli_dist_finalize();
    exit(status);
}
