/* ntkexact: the command-line tool.  The table of commands, and help and
   version; each command is in its own cmd_*.c file, the computations in
   libntkexact. */

#include <string.h>
#include "cli.h"
#include "dist.h"

const cli_command_t * const cli_commands[] = {
    &cli_cmd_moments, &cli_cmd_table, &cli_cmd_sample, &cli_cmd_check, &cli_cmd_expand,
    &cli_cmd_limit, &cli_cmd_kernel, &cli_cmd_compare_paper, &cli_cmd_example, &cli_cmd_help,
    &cli_cmd_version,
    NULL
};

const cli_command_t *
cli_command_find(const char * name)
{
    int c;
    for (c = 0; cli_commands[c] != NULL; c++)
        if (strcmp(cli_commands[c]->name, name) == 0)
            return cli_commands[c];
    return NULL;
}

/* The overview: every command of the table with its summary. */
static void
print_usage(FILE * out)
{
    int c;
    fprintf(out,
        "Usage: ntkexact COMMAND [OPTIONS]\n"
        "\n"
        "Exact moments of the neural tangent kernel (NTK) of deep ReLU networks (and\n"
        "leaky ReLU, linear, |x|) at initialization, as rational numbers, for any\n"
        "profile of layer widths.\n"
        "\n"
        "Commands:\n");
    for (c = 0; cli_commands[c] != NULL; c++)
        fprintf(out, "  %-14s %s\n", cli_commands[c]->name, cli_commands[c]->summary);
    fprintf(out, "\n'ntkexact COMMAND --help' describes a command; ntkexact(1) and doc/ describe\n"
                 "the mathematics and the conventions.\n");
}

typedef struct
{
    int list;
}
help_opts_t;

static void
apply_commands(cli_t * cli, void * data, const char * arg)
{
    ((help_opts_t *) data)->list = 1;
}

static const cli_option_t opt_commands = { "commands", NULL, "the names of the commands, one per line",
                                           NULL, apply_commands };
static const cli_option_t * const help_options[] = { &opt_commands, NULL };
static const cli_option_t * const no_options[] = { NULL };

static int
run_help(const cli_command_t * cmd, int argc, char ** argv)
{
    cli_t cli;
    help_opts_t ho = { 0 };
    int c;
    cli_init(&cli, cmd);
    /* 'help COMMAND' is the command's --help */
    if (argc == 2 && argv[1][0] != '-')
    {
        const cli_command_t * topic = cli_command_find(argv[1]);
        if (topic == NULL)
            cli_die("help: unknown command '%s' (see 'ntkexact help')", argv[1]);
        cli_output_begin();
        cli_print_help(stdout, topic);
        cli_output_end();
        cli_clear(&cli);
        return 0;
    }
    cli_parse(&cli, cmd, &ho, argc, argv);
    cli_output_begin();
    if (ho.list)
        for (c = 0; cli_commands[c] != NULL; c++)
            printf("%s\n", cli_commands[c]->name);
    else
        print_usage(stdout);
    cli_output_end();
    cli_clear(&cli);
    return 0;
}

static int
run_version(const cli_command_t * cmd, int argc, char ** argv)
{
    cli_t cli;
    cli_init(&cli, cmd);
    cli_parse(&cli, cmd, NULL, argc, argv);
    cli_output_begin();
    printf("ntkexact %s\n", NTK_VERSION_STRING);
    cli_output_end();
    cli_clear(&cli);
    return 0;
}

const cli_command_t cli_cmd_help = {
    "help", "this overview; 'ntkexact help COMMAND' describes a command",
    "help [COMMAND | --commands]",
    "The overview of the commands, or the help of one command.\n",
    help_options, NULL, NULL, run_help, NULL
};

const cli_command_t cli_cmd_version = {
    "version", "the version", "version", "Prints the version of ntkexact.\n",
    no_options, NULL, NULL, run_version, NULL
};

int
main(int argc, char ** argv)
{
    const cli_command_t * cmd;
    int status;
    cli_output_init();
    if (argc < 2)
    {
        print_usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        cmd = &cli_cmd_help, argv[1] = (char *) "help";
    else if (strcmp(argv[1], "--version") == 0)
        cmd = &cli_cmd_version, argv[1] = (char *) "version";
    else if ((cmd = cli_command_find(argv[1])) == NULL)
    {
        char list[512] = "";
        int c;
        for (c = 0; cli_commands[c] != NULL; c++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", c ? ", " : "",
                     cli_commands[c]->name);
        cli_die("unknown command '%s' (commands: %s)", argv[1], list);
    }
    /* the commands that divide their work among MPI ranks */
    cli_dist_init(&argc, &argv, cmd == &cli_cmd_sample || cmd == &cli_cmd_check
                                || cmd == &cli_cmd_table);
    status = cmd->run(cmd, argc - 1, argv + 1);
    flint_cleanup();
    cli_exit(status);
}
