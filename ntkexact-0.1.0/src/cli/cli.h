/* Helpers shared by the subcommands of the ntkexact tool. */

#ifndef NTK_CLI_H
#define NTK_CLI_H

#include <getopt.h>
#include "ntkexact.h"

/* Prints "ntkexact: message" on stderr and exits with status 2. */
void cli_die(const char * fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* An integer option in lo..hi, or exit 2 naming the option. */
long cli_parse_long(const char * arg, const char * what, long lo, long hi);

/* text, json or csv, or exit 2. */
ntk_format_t cli_parse_format(const char * arg);

/* The number of online CPUs, at least 1. */
int cli_default_threads(void);

/* The options every command shares for the conventions of the network, as
   getopt_long entries; their codes are the characters m, h, c, p, B. */
#define CLI_CONVENTION_OPTIONS \
    { "mu4", required_argument, NULL, 'm' }, \
    { "cw-hidden", required_argument, NULL, 'h' }, \
    { "cw-output", required_argument, NULL, 'c' }, \
    { "param", required_argument, NULL, 'p' }, \
    { "no-bias", no_argument, NULL, 'B' }

/* Applies convention option c to opt; 0 when c is not one of them. */
int cli_convention_option(ntk_options_t opt, int c, const char * arg);

/* An exact rational option value, or exit 2 naming the option. */
void cli_parse_rational(fmpq_t res, const char * arg, const char * what);

/* Splits a comma-separated list of exact rationals; returns how many (<= max). */
int cli_parse_rational_list(fmpq * res, int max, const char * arg, const char * what);

/* ntkexact limit */
int cli_cmd_limit(int argc, char ** argv);

/* ntkexact compare-paper */
int cli_cmd_compare_paper(int argc, char ** argv);

/* ntkexact table */
int cli_cmd_table(int argc, char ** argv);

/* ntkexact expand */
int cli_cmd_expand(int argc, char ** argv);

#endif
