/* The ntkexact tool: the command table, the option tables and the helpers
   that every command shares.  Each command lives in its own cmd_*.c file and
   is listed once, in the table of ntkexact.c. */

#ifndef NTK_CLI_H
#define NTK_CLI_H

#include <stdio.h>
#include "ntkexact.h"

/* Output formats; each command accepts a subset. */
typedef enum { CLI_FORMAT_TEXT = 0, CLI_FORMAT_JSON, CLI_FORMAT_CSV, CLI_FORMAT_JSONL } cli_format_t;

/* The settings that the shared options fill in, for whichever command runs.
   A command's own settings live in its own struct, passed to its options as
   `data`. */
typedef struct
{
    const char * command;   /* the running command's name */
    const char * widths;    /* --widths, or NULL */
    fmpq_t x2;              /* --x2 (default 1) */
    int x2_given, x2_symbolic;
    fmpq_t y2, xy;          /* the second input x': --y2 (|x'|^2), --xy (x.x') */
    int y2_given, xy_given;
    ntk_conv_t conv;        /* the network conventions */
    int activation_given;   /* --activation: reports name it */
    int cw_hidden_given;    /* else cw_hidden is the activation's critical 1/A_2 */
    ntk_law_t law;          /* the sampler's weight law */
    int law_given;
    int order;              /* --order: the moments up to E[K^order] (default 2) */
    int mu6_given, mu8_given;
    int update;             /* --update (or --target): the update's second moment */
    fmpq_t target;          /* --target (default 0) */
    ntk_exec_t exec;        /* threads, precision, progress */
    cli_format_t format;
    slong digits;
    int quiet, progress;    /* --quiet; --progress (shown without a terminal) */
}
cli_t;

/* One option of a command.  apply() stores the value (arg is NULL for a
   flag) or ends the program with a usage error. */
typedef struct
{
    const char * name;     /* the long name, without "--" */
    const char * arg;      /* the value's name in the help ("Q"); NULL: a flag */
    const char * help;     /* the help text; '\n' starts a continuation line */
    const char * param;    /* the library parameter it sets ("mu4"), or NULL */
    void (* apply)(cli_t * cli, void * data, const char * arg);
}
cli_option_t;

/* An option that a command refuses, and why. */
typedef struct
{
    const char * name;
    const char * reason;
}
cli_reject_t;

/* The most bits of the numerator and of the denominator of a rational
   value that a command takes, for one option or (name NULL, last) for all
   its others: the time of the computations grows with the size of the
   rationals, and these bounds keep it to a few seconds for the values
   alone (doc/ntkexact.1, OPTIONS).  The library takes any size. */
typedef struct
{
    const char * name;
    slong bits;
}
cli_bits_t;

typedef struct cli_command cli_command_t;

struct cli_command
{
    const char * name;
    const char * summary;       /* one line of 'ntkexact help' */
    const char * usage;         /* after "Usage: ntkexact " */
    const char * description;   /* the paragraphs before the options */
    const cli_option_t * const * options;   /* NULL-terminated; --help is added */
    const char * footer;        /* after the options, or NULL */
    const cli_reject_t * rejects;           /* {NULL, NULL}-terminated, or NULL */
    int (* run)(const cli_command_t * cmd, int argc, char ** argv);
    const cli_bits_t * bits;    /* ends with {NULL, bits}; NULL: no rational options */
};

/* ------------------------------------------------ the command table */

/* The commands, NULL-terminated, in the order of 'ntkexact help'. */
extern const cli_command_t * const cli_commands[];

/* The command called name, or NULL. */
const cli_command_t * cli_command_find(const char * name);

extern const cli_command_t cli_cmd_moments, cli_cmd_example, cli_cmd_table,
    cli_cmd_sample, cli_cmd_check, cli_cmd_expand, cli_cmd_limit,
    cli_cmd_compare_paper, cli_cmd_kernel, cli_cmd_help, cli_cmd_version;

/* ------------------------------------------------ errors and parsing */

/* Prints "ntkexact: message" on stderr and exits with status 2. */
void cli_die(const char * fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Reports a library error and exits: status 2 for bad input, with the
   option's spelling in place of the parameter's name that begins the
   message, and `hint` appended when the computation is too large. */
void cli_fail(const ntk_error_t * err, const char * hint) __attribute__((noreturn));

/* The flag that sets library parameter param ("mu4" -> "--mu4"), or NULL. */
const char * cli_flag_of_param(const char * param);

/* Initialises cli for a command: the defaults of the library, x2 = 1,
   threads = the number of online CPUs, text format, 20 digits. */
void cli_init(cli_t * cli, const cli_command_t * cmd);

void cli_clear(cli_t * cli);

/* Parses argv[1..] with the options of cmd (--help prints the help and
   exits 0); a usage error exits 2. */
void cli_parse(cli_t * cli, const cli_command_t * cmd, void * data, int argc, char ** argv);

/* Prints the help of cmd, generated from its table. */
void cli_print_help(FILE * out, const cli_command_t * cmd);

/* An integer in lo..hi: an optional '-' and decimal digits, nothing else. */
long cli_parse_long(const char * arg, const char * flag, long lo, long hi);

/* An unsigned integer in 0..2^64-1: decimal digits only. */
ulong cli_parse_ulong(const char * arg, const char * flag);

/* An exact rational, or exit 2 naming the flag; its numerator and
   denominator within the bound of the option being parsed (cli_bits_t). */
void cli_parse_rational(fmpq_t res, const char * arg, const char * flag);

/* Exit 2 naming the flag when v has more bits than the bound of the option
   being parsed. */
void cli_check_bits(const fmpq_t v, const char * flag, const char * arg);

/* The same with the bound `bits` of `who` ("expand --series"); arg NULL:
   the message shows v. */
void cli_check_bits_at(const fmpq_t v, const char * flag, const char * arg, slong bits,
                       const char * who);

/* A comma-separated list of exact rationals, no empty item; returns how
   many (1..max). */
int cli_parse_rational_list(fmpq * res, int max, const char * arg, const char * flag);

/* The format named arg, among the `allowed` (a mask of 1 << format). */
cli_format_t cli_parse_format(const char * arg, int allowed, const char * flag);

/* The profile of --widths (required), or exit 2. */
void cli_profile(ntk_profile_t prof, const cli_t * cli);

/* The number of online CPUs, 1..NTK_THREADS_MAX. */
int cli_default_threads(void);

/* ------------------------------------------------ shared options */

/* The second input x' of the commands of two inputs: --y2 (|x'|^2, default
   the value of --x2) and --xy (x.x'), exact rationals. */
extern const cli_option_t cli_opt_y2, cli_opt_xy;

/* After parsing: the two inputs' Gram entries, checked exactly (x2, y2 >= 0,
   xy^2 <= x2 y2), or exit 2.  With `required`, --xy must be given; without,
   a missing --xy means the one-input computation and --y2 alone is an
   error.  Returns whether there are two inputs. */
int cli_two_inputs(cli_t * cli, int required);

extern const cli_option_t cli_opt_widths, cli_opt_x2, cli_opt_mu4, cli_opt_cw_hidden,
    cli_opt_cw_output, cli_opt_param, cli_opt_no_bias, cli_opt_activation, cli_opt_threads,
    cli_opt_quiet, cli_opt_progress, cli_opt_digits, cli_opt_order, cli_opt_mu6, cli_opt_mu8,
    cli_opt_update, cli_opt_target;

/* The parsers of --x2 (a rational >= 0, or "symbolic"), --mu4, --mu6, --mu8 and --digits, for
   commands that describe them in their own words. */
void cli_apply_x2(cli_t * cli, void * data, const char * arg);
void cli_apply_mu4(cli_t * cli, void * data, const char * arg);
void cli_apply_mu6(cli_t * cli, void * data, const char * arg);
void cli_apply_mu8(cli_t * cli, void * data, const char * arg);
void cli_apply_digits(cli_t * cli, void * data, const char * arg);
void cli_apply_update(cli_t * cli, void * data, const char * arg);

/* The law's higher moments for --order 3|4 and --update (which needs both):
   without --mu6 (--mu8) the Gaussian values for mu4 = 3, the uniform law's
   for mu4 = 9/5 (with a warning on stderr), else exit 2; then the law's
   moments are checked (ntk_conv_validate_order). */
void cli_law_moments(cli_t * cli);

/* The network conventions, as every command that takes them spells them. */
#define CLI_OPTS_CONVENTIONS \
    &cli_opt_mu4, &cli_opt_cw_hidden, &cli_opt_cw_output, &cli_opt_param, &cli_opt_no_bias, \
    &cli_opt_activation

/* ------------------------------------------------ exit and output */

/* Installs the handlers: SIGINT/SIGTERM end the program at once with status
   128 + signal (after the unit of output being written, if any), GMP's and
   FLINT's allocation failures end it with status 3 and a message on stderr,
   a file-size limit is a write error. */
void cli_output_init(void);

/* A unit of output (a report, table rows) is formatted in memory, which may
   take long, then written at once: a signal never finds half of it on
   stdout.  cli_output_commit writes and closes the unit and checks the write
   (else exit 1); a signal that arrives meanwhile waits for it. */
FILE * cli_output_open(void);
void cli_output_commit(FILE * unit);

/* Points stdout at the file path, opened with fopen's mode ("w", "a");
   -1 (errno set) when it cannot be opened.  A unit whose write to the file
   fails is cut from it again: the file holds whole units only. */
int cli_output_to_file(const char * path, const char * mode);

/* --output FILE of sample and check, on rank 0: checked now, before any
   work (created if it does not exist; exit 1 naming it if it cannot be
   written), and replaced by the report when the report is written (the
   next cli_output_commit); nothing for NULL. */
void cli_output_file(const char * path);

/* The same for output written directly to stdout (short texts). */
void cli_output_begin(void);
void cli_output_end(void);

/* Non-zero once SIGINT or SIGTERM has arrived. */
int cli_interrupted(void);

/* The signal that arrived (SIGINT or SIGTERM), or 0. */
int cli_interrupt_signal(void);

/* From now on the first SIGINT or SIGTERM only sets cli_interrupted()
   (the program then saves its work and ends itself); a second one ends
   the program at once. */
void cli_signals_defer(void);

/* Flushes and closes stdout, exits 1 with a message if any write failed,
   else with status. */
void cli_exit(int status) __attribute__((noreturn));

/* ------------------------------------------------ progress on stderr */

/* One progress line: on a terminal (or with --progress), after a second. */
typedef struct
{
    double start, last;
    int shown, enabled, tty, hinted;
    const char * command;
    const char * unit;       /* what is counted: "work", "samples", ... */
    const char * hint;       /* said once when the run will exceed a minute, or NULL */
    slong base;              /* done at the start (a resumed run): the time left is
                                estimated from the work done since */
}
cli_progress_t;

/* Starts the clock; shown unless --quiet, and only on a terminal unless
   --progress. */
void cli_progress_start(cli_progress_t * pr, const cli_t * cli, const char * unit);

/* An ntk_progress_fn: data is a cli_progress_t. */
int cli_progress_update(void * data, slong done, slong total);

/* Clears the line if it was shown. */
void cli_progress_finish(cli_progress_t * pr);

/* Seconds on a monotonic clock. */
double cli_seconds(void);

#endif
