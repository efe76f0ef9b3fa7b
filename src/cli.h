/* cli.h — the program's shared pieces: the command descriptor, the one
 * option parser, options common to every command, and output helpers. One
 * command per cmd_NAME.c file, with its descriptor next to its handler. */
#ifndef ML_CLI_H
#define ML_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maillage.h"

typedef struct cli {
    const char *db_path; /* --db, $MAILLAGE_DB, or maillage.db */
    const char *prog;
    ml_ctx *ctx;
    /* Who acts: a named local administrator (the OS user), the author of
     * the commands' writes and of their audit entries. */
    ml_actor actor;
    char actor_name[160];
} cli;

/* The database as a person may read it: a file path as given; a URL
 * (postgresql://user:secret@host/db) with its password replaced by "***". */
void cli_db_shown(const cli *c, char *out, size_t size);
/* The default rejects file of a command: "<database file>.rejects.csv", or
 * "maillage.rejects.csv" in the current folder when the database is a URL. */
void cli_default_rejects(const cli *c, char *out, size_t size);

/* How an option takes its value. */
typedef enum cli_kind {
    CLI_FLAG,   /* no value: --json */
    CLI_TEXT,   /* any text: --csv FILE (a value that starts with "--" is refused) */
    CLI_INT,    /* a whole number within [min, max]: "2.5", "+3", " 3", "1e3" are refused */
    CLI_NUMBER, /* a decimal number within [min, max]: 12 or 12.5 (no exponent, no sign '+') */
    CLI_CHOICE  /* one of `choices`: --lang fr|en */
} cli_kind;

/* One option of a command, written --NAME VALUE or --NAME=VALUE. */
typedef struct cli_option {
    const char *name; /* without the dashes: "limit" */
    cli_kind kind;
    const char *value;   /* what the value is called in the help: "N", "FILE" */
    double min, max;     /* CLI_INT, CLI_NUMBER: the range accepted (ints within ±2^53) */
    const char *help;    /* for `maillage CMD --help`; '\n' starts a continuation line */
    const char *choices; /* CLI_CHOICE: the values, separated by '|' */
    const char *only;    /* the actions (first argument) it goes with, '|' between; NULL: all */
} cli_option;

/* What the option parser found: the options given, in order, and the other
 * arguments. Values point into argv (borrowed). */
typedef struct cli_value {
    const cli_option *opt;
    const char *text; /* as given; NULL for a flag */
    double number;    /* CLI_INT, CLI_NUMBER */
} cli_value;

typedef struct cli_args {
    const struct cli_command *cmd;
    cli_value *values; /* nvalues, owned */
    size_t nvalues;
    const char **args; /* nargs arguments that are not options, owned array */
    size_t nargs;
} cli_args;

typedef int (*cli_fn)(cli *c, const cli_args *a);

/* A subcommand's descriptor, defined in its own file (cmd_NAME.c) and
 * registered in main.c's list: its name, what it does in one line, its
 * arguments, its options, the help on its arguments, and its handler. The
 * options are parsed (and numbers range-checked) before the handler runs. */
typedef struct cli_command {
    const char *name;
    const char *usage;         /* arguments after the name, for the usage line */
    const char *summary;       /* one line for `maillage help` */
    const char *help;          /* the arguments and notes, printed before the options */
    const cli_option *options; /* ended by a row whose name is NULL */
    int max_args;              /* arguments that are not options: at most this many; -1: any */
    cli_fn run;
    /* The least role that may run it (ML_ROLE_NONE: a read). A command of
     * role officer or above writes: main.c adds an audit entry when it
     * succeeds, unless its library calls write their own (audit_self). */
    ml_role role;
    const char *write_actions; /* the actions (first argument) that write, '|' between; NULL: all */
    bool audit_self;
} cli_command;

/* The options of an aid decision (`committee decide`, `project decide`): the
 * amounts granted and the repayment schedule of an advance. */
#define CLI_AID_OPTIONS                                                                        \
    {.name = "subsidy", .kind = CLI_TEXT, .value = "EUR", .help = "subsidy granted",           \
     .only = "decide"},                                                                        \
    {.name = "advance", .kind = CLI_TEXT, .value = "EUR", .help = "repayable advance granted", \
     .only = "decide"},                                                                        \
    {.name = "deferral", .kind = CLI_INT, .value = "MONTHS", .min = 0, .max = 600,             \
     .help = "months from the decision to the first instalment (default 0)",                   \
     .only = "decide"},                                                                        \
    {.name = "instalments", .kind = CLI_INT, .value = "N", .min = 1, .max = 240,               \
     .help = "instalments of the advance (required with --advance)", .only = "decide"},        \
    {.name = "every", .kind = CLI_INT, .value = "MONTHS", .min = 1, .max = 600,                \
     .help = "months between instalments (default 3)", .only = "decide"}

#define CLI_END_OPTIONS                                                                            \
    {                                                                                              \
        .name = NULL                                                                               \
    }

extern const cli_command *const cli_commands[]; /* main.c */
extern const size_t cli_ncommands;

/* Exit statuses of every command. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Every message and every text output goes through these: they quote input
 * (file names, CSV headers, company names) with control characters and
 * invalid UTF-8 escaped, so nothing read can act on the terminal. */

/* Prints "maillage: <context message>" and returns CLI_FAIL, or CLI_USAGE for
 * ML_INVALID (a bad argument). */
int cli_error(cli *c, ml_err err);
/* Prints "maillage CMD: <message>" (one line, escaped) on stderr. */
void cli_print_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* printf to f, escaped but for newlines and tabs. */
void cli_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "maillage NAME: <msg>" and the usage line; returns CLI_USAGE. */
int cli_usage(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens the database named by --db; prints the error itself. Commands that
 * only read pass ML_DB_READONLY: a database in a read-only place can still
 * be searched. */
int cli_open_db(cli *c, unsigned flags, ml_db **db);
/* The library's warnings (files set aside in an archive...), on stderr. */
void cli_log(void *ud, int level, const char *message);
/* Runs `fn` on a fresh snapshot of the --db database: opens it, builds the
 * snapshot, calls fn(db, snap, ud, &result), closes everything but *result
 * (the caller's). Prints the error itself and returns the exit status. */
typedef ml_err (*cli_snapshot_fn)(ml_db *db, const ml_snapshot *snap, void *ud, json_t **out);
int cli_with_snapshot(cli *c, cli_snapshot_fn fn, void *ud, json_t **result);
/* Pretty-prints JSON on stdout with a trailing newline. */
void cli_print_json(json_t *j);
/* Prints the help of one command: usage line, summary, the arguments' help,
 * then one line per option from its descriptor. */
void cli_print_help(FILE *f, const cli_command *cmd);
/* Prints the list of commands from their descriptors (`maillage help`). */
void cli_print_usage(FILE *f);
/* The command named `name`, or NULL. */
const cli_command *cli_command_find(const char *name);
/* True when a generic `--help`/`-h` is among the args (before any "--"). */
bool cli_wants_help(int argc, char **argv);

/* The one option parser: argv[0] is the command's name. Fills *a (release it
 * with cli_args_release) and returns CLI_OK, or prints one message naming
 * the option at fault (unknown option, missing value, a number out of its
 * range or not whole, a value not among the choices, an option that does
 * not go with the action, too many arguments) with the usage line and
 * returns CLI_USAGE. */
int cli_parse(const cli_command *cmd, int argc, char **argv, cli_args *a);
void cli_args_release(cli_args *a);
/* The values of the options, by name (a name the command does not declare is
 * a programming error: it aborts). An option given twice: the last wins. */
bool cli_flag(const cli_args *a, const char *name);
const char *cli_text(const cli_args *a, const char *name, const char *fallback);
long long cli_int(const cli_args *a, const char *name, long long fallback);
double cli_number(const cli_args *a, const char *name, double fallback);
/* Every value given to an option, in order (--allow-host A --allow-host B):
 * fills out (room for a->nvalues) and returns how many. */
size_t cli_texts(const cli_args *a, const char *name, const char **out);
/* The i-th argument that is not an option, or NULL. */
const char *cli_arg(const cli_args *a, size_t i);

/* A JSON member as text, "" when absent: for printing results. */
const char *cli_str(json_t *o, const char *key);

/* Who the command line acts as (cli_actor.c): the author of its writes and
 * the reader of shared records. */
const ml_actor *cli_actor(cli *c);
/* Reads a password: from the terminal without echo (asked twice when
 * `confirm`), else one line of standard input. 0, or -1 with a message. */
int cli_read_password(const char *prompt, bool confirm, char *out, size_t size);

/* Writes the audit entry of a run of an audit_self command that wrote
 * ("cli NAME" and its arguments), on its own database handle. */
void cli_audit(cli *c, ml_db *db, const struct cli_command *cmd, const cli_args *a);
/* The descriptors, one per cmd_NAME.c. */
extern const cli_command cmd_init;
extern const cli_command cmd_import;
extern const cli_command cmd_search;
extern const cli_command cmd_suggest;
extern const cli_command cmd_vocabulary;
extern const cli_command cmd_show;
extern const cli_command cmd_territory;
extern const cli_command cmd_rank;
extern const cli_command cmd_match;
extern const cli_command cmd_verdict;
extern const cli_command cmd_links;
extern const cli_command cmd_group;
extern const cli_command cmd_network;
extern const cli_command cmd_bridges;
extern const cli_command cmd_complexity;
extern const cli_command cmd_schedule;
extern const cli_command cmd_event; /* business conventions (issue 14) */
extern const cli_command cmd_need;  /* public buyers' innovation needs (issue 14) */
extern const cli_command cmd_cpv;   /* CPV 2008 codes by words (issue 14) */
extern const cli_command cmd_serve;
extern const cli_command cmd_demo;
extern const cli_command cmd_info;
extern const cli_command cmd_help;
/* A firm's history (issue 11). */
extern const cli_command cmd_contact;
extern const cli_command cmd_note;
extern const cli_command cmd_followup;
extern const cli_command cmd_doc;
extern const cli_command cmd_timeline;
extern const cli_command cmd_gdpr;
extern const cli_command cmd_org;
extern const cli_command cmd_user;
extern const cli_command cmd_workspace;
extern const cli_command cmd_invite;
extern const cli_command cmd_audit;
/* Programmes (issue 13). */
extern const cli_command cmd_programme;
extern const cli_command cmd_project;
extern const cli_command cmd_ledger;
extern const cli_command cmd_aid;
extern const cli_command cmd_interview;
/* Aid schemes and committees (issue 13 parts 3 and 5). */
extern const cli_command cmd_scheme;
extern const cli_command cmd_committee;
extern const cli_command cmd_impact;
/* `project partner|trl|needs|pole|suggest` (cmd_project_pole.c): the
 * collaborative R&D side of a project, run by cmd_project. */
int cmd_project_pole(cli *c, const cli_args *a);
extern const cli_command cmd_campaign;
extern const cli_command cmd_roadmap;
/* The needs grid of a territory or a firm (issue 12 part 6). */
extern const cli_command cmd_needs;

/* Unsafe libc calls are banned in the program too. */
#include "core/banned.h"
#endif
