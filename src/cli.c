/* cli.c — what the commands share: the one option parser (every command's
 * options are rows of its descriptor), help generated from the descriptors,
 * and output helpers. */
#include <stdarg.h>
#include <termios.h>
#include <unistd.h>
#include <stdint.h>
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

int cli_usage(const char *name, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "maillage%s%s: ", name ? " " : "", name ? name : "");
    va_start(ap, fmt);
    vput(stderr, 0, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    const cli_command *cmd = name ? cli_command_find(name) : NULL;
    if (cmd) fprintf(stderr, "usage: maillage [--db PATH] %s %s\n", cmd->name, cmd->usage);
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
    /* MAILLAGE_LOG=debug shows the timings of each phase (imports). */
    static int shown = -1;
    if (shown < 0) {
        const char *v = getenv("MAILLAGE_LOG");
        shown = v && strcmp(v, "debug") == 0 ? ML_LOG_DEBUG : ML_LOG_WARN;
    }
    if (level < shown) return;
    fputs("maillage: ", stderr);
    put_escaped(stderr, message, strlen(message), 0);
    fputc('\n', stderr);
}

void cli_print_json(json_t *j)
{
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII * 0 | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
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

const char *cli_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* ------------------------------------------------------------------- help */

const cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; i < cli_ncommands; i++)
        if (strcmp(cli_commands[i]->name, name) == 0) return cli_commands[i];
    return NULL;
}

void cli_print_usage(FILE *f)
{
    fprintf(f,
            "maillage %s — the industrial web of a French territory\n\n"
            "usage: maillage [--db PATH] COMMAND [ARGS]\n\n"
            "commands:\n",
            ML_VERSION);
    for (size_t i = 0; i < cli_ncommands; i++)
        fprintf(f, "  %-10s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    fprintf(f, "\noptions:\n"
               "  --db PATH     database file (default $MAILLAGE_DB, else maillage.db)\n"
               "  --version     print the version\n"
               "  --help        this help; `maillage help COMMAND` (or `maillage COMMAND\n"
               "                --help`) for a command's arguments and options\n"
               "\nexit status: 0 success, 1 failure, 2 usage error\n");
}

#define HELP_COLUMN 20 /* where an option's help starts */

/* "  --limit N" then the help, at HELP_COLUMN (on the next line when the name
 * is longer), each continuation line indented the same, then the range of a
 * number and the actions an option goes with. */
static void print_option(FILE *f, const cli_option *o)
{
    char left[128];
    const char *value = o->value;
    if (o->kind == CLI_CHOICE && !value) value = o->choices;
    int n =
        snprintf(left, sizeof left, "  --%s%s%s", o->name, value ? " " : "", value ? value : "");
    if (n < 0) return;
    if (n >= HELP_COLUMN - 1)
        fprintf(f, "%s\n%*s", left, HELP_COLUMN, "");
    else
        fprintf(f, "%-*s", HELP_COLUMN, left);
    for (const char *p = o->help ? o->help : ""; *p;) {
        size_t len = strcspn(p, "\n");
        fprintf(f, "%.*s", (int)len, p);
        p += len;
        if (*p == '\n' && *++p) fprintf(f, "\n%*s", HELP_COLUMN, "");
    }
    /* What the parser enforces, said from the same row. */
    if (o->kind == CLI_INT || o->kind == CLI_NUMBER)
        fprintf(f, " [%.15g to %.15g%s]", o->min, o->max, o->kind == CLI_INT ? ", whole" : "");
    if (o->only) fprintf(f, " (with %s)", o->only);
    fputc('\n', f);
}

void cli_print_help(FILE *f, const cli_command *cmd)
{
    fprintf(f, "usage: maillage [--db PATH] %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
    if (cmd->help && *cmd->help) fprintf(f, "\n%s", cmd->help);
    if (cmd->options && cmd->options[0].name) {
        fprintf(f, "\noptions:\n");
        for (const cli_option *o = cmd->options; o->name; o++)
            print_option(f, o);
    }
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
    return false;
}

/* ----------------------------------------------------------------- parser */

/* True when `word` is one of the '|'-separated `list`. */
static bool listed(const char *list, const char *word, size_t len)
{
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, "|");
        if (n == len && strncmp(p, word, len) == 0) return true;
        p += n;
        if (*p == '|') p++;
    }
    return false;
}

/* The list "a|b|c" written "a, b or c" into dst. */
static const char *spelled(char *dst, size_t size, const char *list)
{
    ml_buf b;
    ml_buf_init(&b, size - 1);
    bool ok = true;
    for (const char *p = list; ok && *p;) {
        size_t n = strcspn(p, "|");
        ok = ml_buf_add(&b, p, n) == 0;
        p += n;
        if (ok && *p == '|') {
            p++;
            ok = ml_buf_addstr(&b, strchr(p, '|') ? ", " : " or ") == 0;
        }
    }
    if (!ok || ml_snprintf(dst, size, "%s", ml_buf_cstr(&b)) != 0)
        snprintf(dst, size, "one of %s", list); /* too long to spell: as declared */
    ml_buf_release(&b);
    return dst;
}

/* A whole number: an optional '-', then digits only. */
static bool int_shape(const char *v)
{
    if (*v == '-') v++;
    return *v && strspn(v, "0123456789") == strlen(v);
}

/* A decimal number: an optional '-', digits, an optional '.' and digits. */
static bool number_shape(const char *v)
{
    if (*v == '-') v++;
    size_t whole = strspn(v, "0123456789");
    v += whole;
    if (*v == '.') {
        size_t frac = strspn(++v, "0123456789");
        if (frac == 0) return false;
        v += frac;
    } else if (whole == 0) {
        return false;
    }
    return *v == '\0';
}

/* The range of an option, for its message: "from 1 to 500". */
static const char *range_text(char *dst, size_t size, const cli_option *o)
{
    snprintf(dst, size, "from %.15g to %.15g", o->min, o->max);
    return dst;
}

/* Checks and converts one value; prints the message and returns CLI_USAGE. */
static int take_value(const cli_command *cmd, const cli_option *o, const char *v, cli_value *out)
{
    char range[96], choices[256];
    out->opt = o;
    out->text = v;
    switch (o->kind) {
    case CLI_FLAG:
        return CLI_OK;
    case CLI_TEXT:
        return CLI_OK;
    case CLI_CHOICE:
        if (!listed(o->choices, v, strlen(v)))
            return cli_usage(cmd->name, "--%s expects %s, not '%s'", o->name,
                             spelled(choices, sizeof choices, o->choices), v);
        return CLI_OK;
    case CLI_INT: {
        int64_t n = 0;
        if (!int_shape(v) || ml_parse_i64(v, strlen(v), (int64_t)o->min, (int64_t)o->max, &n))
            return cli_usage(cmd->name, "--%s expects a whole number %s, not '%s'", o->name,
                             range_text(range, sizeof range, o), v);
        out->number = (double)n;
        return CLI_OK;
    }
    case CLI_NUMBER: {
        double d = 0;
        if (!number_shape(v) || ml_parse_double(v, strlen(v), &d) || d < o->min || d > o->max)
            return cli_usage(cmd->name, "--%s expects a number %s, not '%s'", o->name,
                             range_text(range, sizeof range, o), v);
        out->number = d;
        return CLI_OK;
    }
    }
    return CLI_OK;
}

void cli_args_release(cli_args *a)
{
    free(a->values);
    free(a->args);
    a->values = NULL;
    a->args = NULL;
    a->nvalues = a->nargs = 0;
}

int cli_parse(const cli_command *cmd, int argc, char **argv, cli_args *a)
{
    *a = (cli_args){.cmd = cmd};
    size_t room = argc > 0 ? (size_t)argc : 1;
    a->values = calloc(room, sizeof *a->values);
    a->args = calloc(room, sizeof *a->args);
    if (!a->values || !a->args) {
        cli_args_release(a);
        cli_print_error(cmd->name, "out of memory");
        return CLI_FAIL;
    }
    int rc = CLI_OK;
    bool options_done = false;
    for (int i = 1; i < argc && rc == CLI_OK; i++) {
        const char *word = argv[i];
        if (options_done || word[0] != '-' || word[1] == '\0') {
            if (cmd->max_args >= 0 && a->nargs >= (size_t)cmd->max_args)
                rc = cli_usage(cmd->name, "unexpected argument '%s'", word);
            else
                a->args[a->nargs++] = word;
            continue;
        }
        if (strcmp(word, "--") == 0) {
            options_done = true;
            continue;
        }
        /* --name, --name=value */
        const char *name = word[1] == '-' ? word + 2 : word + 1;
        size_t len = strcspn(name, "=");
        const char *inline_value = name[len] == '=' ? name + len + 1 : NULL;
        const cli_option *o = cmd->options;
        for (; o && o->name; o++)
            if (word[1] == '-' && strlen(o->name) == len && strncmp(o->name, name, len) == 0) break;
        if (!o || !o->name) {
            rc = cli_usage(cmd->name, "unknown option '%.*s'", (int)(name - word + len), word);
            break;
        }
        const char *value = NULL;
        if (o->kind == CLI_FLAG) {
            if (inline_value) {
                rc = cli_usage(cmd->name, "option '--%s' takes no value", o->name);
                break;
            }
        } else if (inline_value) {
            value = inline_value;
        } else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) {
            value = argv[++i];
        } else {
            rc = cli_usage(cmd->name, "option '--%s' needs a value (%s)", o->name,
                           o->value     ? o->value
                           : o->choices ? o->choices
                                        : "a value");
            break;
        }
        rc = take_value(cmd, o, value, &a->values[a->nvalues]);
        if (rc == CLI_OK) a->nvalues++;
    }
    /* Options that go with one action only (vocabulary import --rejects). */
    for (size_t k = 0; rc == CLI_OK && k < a->nvalues; k++) {
        const cli_option *o = a->values[k].opt;
        const char *action = a->nargs ? a->args[0] : "";
        if (o->only && !listed(o->only, action, strlen(action))) {
            char which[128];
            rc = cli_usage(cmd->name, "option '--%s' goes with %s %s only", o->name, cmd->name,
                           spelled(which, sizeof which, o->only));
        }
    }
    if (rc != CLI_OK) cli_args_release(a);
    return rc;
}

/* The row of an option the handler asks for: a name the descriptor lacks is
 * a mistake in the program, caught by the first test that runs it. */
static const cli_option *option_row(const cli_args *a, const char *name)
{
    for (const cli_option *o = a->cmd->options; o && o->name; o++)
        if (strcmp(o->name, name) == 0) return o;
    fprintf(stderr, "maillage %s: no option '--%s' in the descriptor\n", a->cmd->name, name);
    abort();
}

static const cli_value *last_value(const cli_args *a, const char *name)
{
    const cli_option *o = option_row(a, name);
    for (size_t k = a->nvalues; k-- > 0;)
        if (a->values[k].opt == o) return &a->values[k];
    return NULL;
}

bool cli_flag(const cli_args *a, const char *name)
{
    return last_value(a, name) != NULL;
}

const char *cli_text(const cli_args *a, const char *name, const char *fallback)
{
    const cli_value *v = last_value(a, name);
    return v ? v->text : fallback;
}

long long cli_int(const cli_args *a, const char *name, long long fallback)
{
    const cli_value *v = last_value(a, name);
    return v ? (long long)v->number : fallback;
}

double cli_number(const cli_args *a, const char *name, double fallback)
{
    const cli_value *v = last_value(a, name);
    return v ? v->number : fallback;
}

size_t cli_texts(const cli_args *a, const char *name, const char **out)
{
    const cli_option *o = option_row(a, name);
    size_t n = 0;
    for (size_t k = 0; k < a->nvalues; k++)
        if (a->values[k].opt == o) out[n++] = a->values[k].text;
    return n;
}

const char *cli_arg(const cli_args *a, size_t i)
{
    return i < a->nargs ? a->args[i] : NULL;
}

static bool db_is_url(const char *db)
{
    return db && strstr(db, "://") != NULL;
}

void cli_db_shown(const cli *c, char *out, size_t size)
{
    const char *db = c->db_path ? c->db_path : "";
    const char *scheme = strstr(db, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (!at || !colon || colon > at) {
        snprintf(out, size, "%s", db);
        return;
    }
    /* scheme://user:SECRET@rest -> scheme://user:***@rest */
    snprintf(out, size, "%.*s:***%s", (int)(colon - db), db, at);
}

void cli_default_rejects(const cli *c, char *out, size_t size)
{
    snprintf(out, size, "%s.rejects.csv", db_is_url(c->db_path) ? "maillage" : c->db_path);
}

/* --------------------------------------------------------------- password */

int cli_read_password(const char *prompt, bool confirm, char *out, size_t size)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    for (int round = 0; round < (tty && confirm ? 2 : 1); round++) {
        char *buf = round ? malloc(size) : out;
        if (!buf) return -1;
        if (tty) {
            fprintf(stderr, "%s", round ? "Again: " : prompt);
            fflush(stderr);
            tcgetattr(STDIN_FILENO, &old);
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
        bool got = fgets(buf, (int)size, stdin) != NULL;
        if (tty) {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
            fputc('\n', stderr);
        }
        size_t n = got ? strcspn(buf, "\r\n") : 0;
        bool whole = got && buf[n] != '\0';
        if (got) buf[n] = '\0';
        if (!got || (!whole && !feof(stdin))) {
            cli_print_error("password", got ? "longer than %zu bytes" : "none given", size - 2);
            if (round) free(buf);
            return -1;
        }
        if (round) {
            bool same = strcmp(buf, out) == 0;
            memset(buf, 0, size);
            free(buf);
            if (!same) {
                cli_print_error("password", "the two passwords differ");
                return -1;
            }
        }
    }
    return 0;
}

/* The audit entry of a command that says itself which of its runs wrote
 * (audit_self): as main.c writes it for the others, on the command's own
 * database handle. */
void cli_audit(cli *c, ml_db *db, const cli_command *cmd, const cli_args *a)
{
    char what[64], args[481] = "";
    snprintf(what, sizeof what, "cli %s", cmd->name);
    size_t used = 0;
    for (size_t i = 0; i < a->nargs && used < sizeof args - 1; i++)
        used += (size_t)snprintf(args + used, sizeof args - used, "%s%s", i ? " " : "", a->args[i]);
    if (ml_audit_write(db, &c->actor, what, args, NULL) != ML_OK)
        cli_print_error(cmd->name, "warning: cannot write the audit log: %s",
                        ml_ctx_message(c->ctx));
}
