/* cli.c — output helpers shared by the subcommands. */
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "core/core.h"

#define CLI_LINE_MAX (1024 * 1024) /* bytes of one message or printed line */

/* Writes text to f with what could act on a terminal escaped. */
static void put_escaped(FILE *f, const char *text, size_t len, unsigned flags)
{
    ml_buf b;
    ml_buf_init(&b, CLI_LINE_MAX * 4 + 16);
    ml_buf_add_escaped(&b, text, len, CLI_LINE_MAX * 4, flags);
    if (ml_buf_failed(&b))
        fputs("maillage: out of memory while writing a message\n", f);
    else
        fwrite(ml_buf_cstr(&b), 1, b.len, f);
    ml_buf_release(&b);
}

static void vput(FILE *f, unsigned flags, const char *fmt, va_list ap)
{
    ml_buf b;
    ml_buf_init(&b, CLI_LINE_MAX);
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n >= 0 && ml_buf_grow(&b, (size_t)n) == 0) {
        vsnprintf(b.data, (size_t)n + 1, fmt, ap);
        b.len = (size_t)n;
    }
    if (ml_buf_failed(&b))
        put_escaped(f, "(a line longer than 1 MiB was not written)\n", 43, flags);
    else
        put_escaped(f, ml_buf_cstr(&b), b.len, flags);
    ml_buf_release(&b);
}

int cli_error(cli *c, ml_err err)
{
    const char *msg = ml_ctx_message(c->ctx);
    if (!*msg) msg = ml_err_name(err);
    fputs("maillage: ", stderr);
    put_escaped(stderr, msg, strlen(msg), 0);
    fputc('\n', stderr);
    return err == ML_INVALID || err == ML_AMBIGUOUS ? CLI_USAGE : CLI_FAIL;
}

void cli_print_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "maillage%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vput(stderr, 0, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_printf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vput(f, ML_ESCAPE_KEEP_LINES, fmt, ap);
    va_end(ap);
}

void cli_print_help(FILE *f, const cli_command *cmd)
{
    fprintf(f, "usage: maillage [--db PATH] %s %s\n\n%s\n\n%s", cmd->name, cmd->usage, cmd->summary,
            cmd->help);
}

int cli_usage(const char *name, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "maillage%s%s: ", name ? " " : "", name ? name : "");
    va_start(ap, fmt);
    vput(stderr, 0, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    for (size_t i = 0; name && i < cli_ncommands; i++)
        if (strcmp(cli_commands[i].name, name) == 0)
            fprintf(stderr, "usage: maillage [--db PATH] %s %s\n", name, cli_commands[i].usage);
    return CLI_USAGE;
}

int cli_open_db(cli *c, unsigned flags, ml_db **db)
{
    ml_err r = ml_db_open(c->ctx, c->db_path, flags, db);
    return r ? cli_error(c, r) : CLI_OK;
}

void cli_log(void *ud, int level, const char *message)
{
    (void)ud;
    if (level < ML_LOG_WARN) return;
    fputs("maillage: ", stderr);
    put_escaped(stderr, message, strlen(message), 0);
    fputc('\n', stderr);
}

void cli_print_json(json_t *j)
{
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII * 0 | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
    return false;
}

int cli_with_snapshot(cli *c, cli_snapshot_fn fn, void *ud, json_t **result)
{
    *result = NULL;
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    ml_snapshot *snap = NULL;
    ml_err r = ml_snapshot_build(db, &snap);
    if (!r) r = fn(db, snap, ud, result);
    if (r) rc = cli_error(c, r);
    ml_snapshot_free(snap);
    ml_db_close(db);
    return rc;
}
