/* cli.h — the program's shared pieces: the subcommand table, options common
 * to every command, and output helpers. One subcommand per cmd_*.c file. */
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
} cli;

typedef int (*cli_fn)(cli *c, int argc, char **argv);

/* A subcommand: its row in the table is the whole of its registration. */
typedef struct cli_command {
    const char *name;
    cli_fn run;
    const char *usage;   /* arguments after the name */
    const char *summary; /* one line for `maillage --help` */
    const char *help;    /* the options, for `maillage NAME --help` */
} cli_command;

extern const cli_command cli_commands[];
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
/* Prints the help of one command. */
void cli_print_help(FILE *f, const cli_command *cmd);
/* True when a generic `--help`/`-h` is among the args. */
bool cli_wants_help(int argc, char **argv);

/* Subcommands. */
int cmd_init(cli *c, int argc, char **argv);
int cmd_import(cli *c, int argc, char **argv);
int cmd_search(cli *c, int argc, char **argv);
int cmd_suggest(cli *c, int argc, char **argv);
int cmd_vocabulary(cli *c, int argc, char **argv);
int cmd_show(cli *c, int argc, char **argv);
int cmd_territory(cli *c, int argc, char **argv);
int cmd_demo(cli *c, int argc, char **argv);
int cmd_info(cli *c, int argc, char **argv);
int cmd_match(cli *c, int argc, char **argv);
int cmd_verdict(cli *c, int argc, char **argv);
int cmd_links(cli *c, int argc, char **argv);
int cmd_group(cli *c, int argc, char **argv);
int cmd_network(cli *c, int argc, char **argv);
int cmd_bridges(cli *c, int argc, char **argv);
int cmd_serve(cli *c, int argc, char **argv);

/* Unsafe libc calls are banned in the program too. */
#include "core/banned.h"
#endif
