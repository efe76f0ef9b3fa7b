/* cmd_vocabulary.c — `maillage vocabulary import|list|show`: the user's own
 * trade words (a CSV term,naf,note that replaces the previous one), and
 * what a word stands for in searches. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "rejects",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "where rejected rows go (default: next to the database)",
     .only = "import"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output", .only = "list|show"},
    CLI_END_OPTIONS,
};

static int vocabulary_import(cli *c, const cli_args *a)
{
    const char *file = cli_arg(a, 1), *rejects = cli_text(a, "rejects", NULL);
    if (!file) return cli_usage("vocabulary", "give the CSV file to import (term,naf,note)");
    char default_rejects[4096];
    if (!rejects) {
        cli_default_rejects(c, default_rejects, sizeof default_rejects);
        rejects = default_rejects;
    }
    ml_db *db = NULL;
    int rc = cli_open_db(c, 0, &db);
    if (rc) return rc;
    ml_import_opts opts = {.rejects_path = rejects};
    ml_import_stats st;
    ml_err r = ml_vocabulary_import(db, file, &opts, &st);
    if (r && r != ML_FORMAT) {
        rc = cli_error(c, r);
    } else {
        cli_printf(stdout,
                   "vocabulary: %llu rows read: %llu entries imported (the previous user "
                   "vocabulary is replaced), %llu rejected\n",
                   (unsigned long long)st.rows, (unsigned long long)st.imported,
                   (unsigned long long)st.rejected);
        if (st.rejected)
            cli_printf(stdout, "  rejected rows are listed in %s; first: %s\n", rejects,
                       st.first_reject);
        if (r)
            rc = cli_error(c, r);
        else if (st.rejected)
            rc = CLI_FAIL;
    }
    ml_db_close(db);
    return rc;
}

static int vocabulary_read(cli *c, const char *text, bool json)
{
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r = ml_vocabulary_lookup(db, text, &out);
    size_t i, k;
    json_t *v, *x;
    if (r) {
        rc = cli_error(c, r);
    } else if (json) {
        cli_print_json(out);
    } else if (!text) {
        json_array_foreach(json_object_get(out, "entries"), i, v) cli_printf(
            stdout, "%s → %s%s%s\n", json_string_value(json_object_get(v, "term")),
            json_string_value(json_object_get(v, "naf")),
            json_object_get(v, "note") && !json_is_null(json_object_get(v, "note")) ? " · " : "",
            json_is_string(json_object_get(v, "note"))
                ? json_string_value(json_object_get(v, "note"))
                : "");
        if (json_array_size(json_object_get(out, "entries")) == 0)
            cli_printf(stdout, "no user vocabulary (maillage vocabulary import FILE adds one)\n");
    } else {
        json_array_foreach(json_object_get(out, "terms"), i, v)
        {
            json_t *strong = json_object_get(v, "trades"),
                   *wide = json_object_get(v, "wider_trades");
            cli_printf(stdout, "\"%s\" (%s): %zu trade%s, %zu wider\n",
                       json_string_value(json_object_get(v, "text")),
                       json_string_value(json_object_get(v, "folded")), json_array_size(strong),
                       json_array_size(strong) == 1 ? "" : "s", json_array_size(wide));
            json_array_foreach(strong, k, x)
                cli_printf(stdout, "  %-7s %s\n", json_string_value(json_object_get(x, "code")),
                           json_string_value(json_object_get(x, "label")));
            json_array_foreach(wide, k, x) cli_printf(
                stdout, "  %-7s %s (wider)\n", json_string_value(json_object_get(x, "code")),
                json_string_value(json_object_get(x, "label")));
        }
        json_array_foreach(json_object_get(out, "entries"), i, v) cli_printf(
            stdout, "entry: %s → %s (%s)\n", json_string_value(json_object_get(v, "term")),
            json_string_value(json_object_get(v, "naf")),
            json_string_value(json_object_get(v, "source")));
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

static int run(cli *c, const cli_args *a)
{
    const char *what = cli_arg(a, 0), *text = cli_arg(a, 1);
    if (!what) return cli_usage("vocabulary", "say what to do: import, list or show");
    if (strcmp(what, "import") == 0) return vocabulary_import(c, a);
    bool json = cli_flag(a, "json");
    if (strcmp(what, "list") == 0) {
        if (text) return cli_usage("vocabulary", "list takes no argument");
        return vocabulary_read(c, NULL, json);
    }
    if (strcmp(what, "show") == 0) {
        if (!text) return cli_usage("vocabulary", "show needs a word or a quoted phrase");
        return vocabulary_read(c, text, json);
    }
    return cli_usage("vocabulary", "unknown action '%s' (expected import, list or show)", what);
}

const cli_command cmd_vocabulary = {
    .name = "vocabulary",
    .usage = "import FILE [--rejects FILE] | list [--json] | show WORDS [--json]",
    .summary = "your own trade words for searches, and what a word stands for",
    .help = "  import FILE       a CSV with the columns term, naf (NAF codes of any level,\n"
            "                    separated by spaces) and note; it replaces your previous\n"
            "                    vocabulary (the shipped one stays; `init` keeps yours)\n"
            "  list              your vocabulary\n"
            "  show WORDS        the NAF sub-classes a word or phrase stands for, and why\n"
            "                    (quote a phrase)\n",
    .options = options,
    .max_args = 2,
    .run = run,
    .role = ML_ROLE_OFFICER,
    .write_actions = "import",
};
