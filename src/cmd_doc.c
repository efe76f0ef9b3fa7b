/* cmd_doc.c — `maillage doc add|list|get|settings`: documents attached to an
 * establishment, checked on size and type, kept in the documents folder. */
#include <errno.h>

#include "cli.h"

static const cli_option options[] = {
    {.name = "name",
     .kind = CLI_TEXT,
     .value = "NAME",
     .help = "the name to keep (default: the file's)",
     .only = "add"},
    {.name = "out",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "where to write it (default: its name, in the current folder)",
     .only = "get"},
    {.name = "folder",
     .kind = CLI_TEXT,
     .value = "DIR",
     .help = "the documents folder, an absolute path (\"\": beside the database)",
     .only = "settings"},
    {.name = "max-mb",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 32,
     .help = "the largest document accepted, in MB (default 10)",
     .only = "settings"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

/* Reads at most max + 1 bytes of a file (one more than allowed: the library
 * then says it is too big). */
static char *read_file(const char *path, size_t max, size_t *len, int *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = errno;
        return NULL;
    }
    char *buf = malloc(max + 1);
    *len = buf ? fread(buf, 1, max + 1, f) : 0;
    *err = ferror(f) ? EIO : buf ? 0 : ENOMEM;
    fclose(f);
    if (*err) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int settings(cli *c, const cli_args *a)
{
    ml_db *db = NULL;
    const char *folder = cli_text(a, "folder", NULL);
    long long max = cli_int(a, "max-mb", 0);
    int rc = cli_open_db(c, folder || max ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    char v[32];
    snprintf(v, sizeof v, "%lld", max);
    ml_err r = ML_OK;
    if (folder) r = ml_history_set(db, cli_actor(c), "documents_folder", folder);
    if (!r && max) r = ml_history_set(db, cli_actor(c), "document_max_mb", v);
    json_t *out = NULL;
    if (!r) r = ml_history_settings(db, &out);
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else {
        json_t *dir = json_object_get(out, "documents_folder");
        cli_printf(stdout, "documents folder: %s\nlargest document: %lld bytes\n",
                   dir ? json_string_value(dir) : "(none: set one with --folder DIR)",
                   (long long)json_integer_value(json_object_get(out, "document_max_bytes")));
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0), *arg = cli_arg(a, 1);
    if (!action) return cli_usage("doc", "say what to do: add, list, get or settings");
    if (strcmp(action, "settings") == 0) {
        if (arg) return cli_usage("doc", "unexpected argument '%s'", arg);
        return settings(c, a);
    }
    bool add = strcmp(action, "add") == 0, list = strcmp(action, "list") == 0,
         get = strcmp(action, "get") == 0;
    if (!add && !list && !get)
        return cli_usage("doc", "unknown action '%s' (expected add, list, get or settings)",
                         action);
    if (!arg) return cli_usage("doc", get ? "give the document's ID" : "give a SIRET");
    const char *file = cli_arg(a, 2);
    if (add && !file) return cli_usage("doc", "give the FILE to attach");
    if (!add && file) return cli_usage("doc", "unexpected argument '%s'", file);
    ml_db *db = NULL;
    int rc = cli_open_db(c, add ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL, *meta = NULL;
    ml_err r = ML_OK;
    if (add) {
        json_t *s = NULL;
        size_t len = 0;
        int err = 0;
        char *data = NULL;
        if (!(r = ml_history_settings(db, &s))) {
            size_t max = (size_t)json_integer_value(json_object_get(s, "document_max_bytes"));
            data = read_file(file, max, &len, &err);
        }
        json_decref(s);
        if (!r && !data) {
            cli_print_error("doc", "cannot read %s: %s", file, strerror(err));
            ml_db_close(db);
            return CLI_FAIL;
        }
        if (!r)
            r = ml_document_add(db, cli_actor(c), arg, cli_text(a, "name", file), data, len, &out);
        free(data);
    } else if (list) {
        r = ml_document_list(db, cli_actor(c), arg, &out);
    } else {
        void *data = NULL;
        size_t len = 0;
        r = ml_document_get(db, cli_actor(c), arg, &meta, &data, &len);
        if (!r) {
            const char *path = cli_text(a, "out", json_string_value(json_object_get(meta, "name")));
            FILE *f = fopen(path, "wbx"); /* never over a file already there */
            bool ok = f && fwrite(data, 1, len, f) == len;
            if (f) ok = fclose(f) == 0 && ok;
            if (!ok) {
                cli_print_error("doc", "cannot write %s: %s", path,
                                f ? "write failed" : strerror(errno));
                rc = CLI_FAIL;
            } else {
                cli_printf(stdout, "%s: %zu bytes written to %s\n",
                           json_string_value(json_object_get(meta, "name")), len, path);
            }
        }
        free(data);
    }
    if (r) {
        rc = cli_error(c, r);
    } else if (get) {
        /* done above */
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (add) {
        cli_printf(stdout, "attached %s (%s, %lld bytes) as %s\n", cli_str(out, "name"),
                   cli_str(out, "type"),
                   (long long)json_integer_value(json_object_get(out, "size")), cli_str(out, "id"));
    } else {
        size_t i;
        json_t *v, *all = json_object_get(out, "documents");
        json_array_foreach(all, i, v) cli_printf(
            stdout, "%s  %s  %lld bytes  (%s, by %s)\n", cli_str(v, "id"), cli_str(v, "name"),
            (long long)json_integer_value(json_object_get(v, "size")), cli_str(v, "created"),
            cli_str(v, "author"));
        if (!json_array_size(all)) cli_printf(stdout, "no document for %s yet\n", arg);
    }
    json_decref(out);
    json_decref(meta);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_doc = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "add|settings",
    .name = "doc",
    .usage = "add SIRET FILE [--name NAME] | list SIRET | get ID [--out FILE] | settings "
             "[--folder DIR] [--max-mb N]",
    .summary = "documents attached to an establishment (PDF, images, office files, CSV, text)",
    .help = "  add SIRET FILE  attach a file: PDF, PNG, JPEG, ODT/ODS/ODP, DOCX/XLSX/PPTX,\n"
            "                  CSV or TXT, recognised by its first bytes; at most 10 MB\n"
            "  list SIRET      the documents you may read\n"
            "  get ID          write one to a file (never over an existing file)\n"
            "  settings        the documents folder and the largest document accepted\n",
    .options = options,
    .max_args = 3,
    .run = run,
};
