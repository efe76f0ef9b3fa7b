/* cmd_cpv.c — `maillage cpv ...`: the CPV 2008 codes of public procurement
 * (issue 14): find a code by the words of its label, or show one, with its
 * French label (English with --lang en). */
#include "cli.h"

static const cli_option options[] = {
    {.name = "limit",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 100,
     .only = "search",
     .help = "at most N codes (default 20)"},
    {.name = "lang",
     .kind = CLI_CHOICE,
     .value = "LANG",
     .choices = "fr|en",
     .help = "the labels' language (default fr)"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static void print_code(json_t *v, bool en)
{
    const char *fr = json_string_value(json_object_get(v, "label_fr"));
    const char *eng = json_string_value(json_object_get(v, "label_en"));
    cli_printf(stdout, "%s  %s\n", json_string_value(json_object_get(v, "code")),
               en && eng ? eng
               : fr      ? fr
                         : "");
}

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0);
    bool search = action && strcmp(action, "search") == 0;
    bool show = action && strcmp(action, "show") == 0;
    if (!search && !show) return cli_usage("cpv", "say what to do: search WORDS or show CODE");
    if (!cli_arg(a, 1))
        return cli_usage("cpv", search ? "cpv search WORDS: give words (quote several) or digits"
                                       : "cpv show CODE: give a code (45112500 or 45112500-9)");
    if (a->nargs > 2)
        return cli_usage("cpv", "quote the words of a search: maillage cpv search \"%s %s\"",
                         cli_arg(a, 1), cli_arg(a, 2));
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    bool en = strcmp(cli_text(a, "lang", "fr"), "en") == 0;
    json_t *out = NULL;
    ml_err r = search ? ml_cpv_search(db, cli_arg(a, 1), (unsigned)cli_int(a, "limit", 0), &out)
                      : ml_cpv_get(db, cli_arg(a, 1), &out);
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (show) {
        print_code(json_object_get(out, "cpv"), en);
    } else {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(out, "results"), i, v) print_code(v, en);
        if (!json_array_size(json_object_get(out, "results")))
            cli_printf(stdout, "no CPV code has these words: %s\n", cli_arg(a, 1));
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_cpv = {
    .name = "cpv",
    .usage = "search WORDS [--limit N] | show CODE  [--lang en] [--json]",
    .summary = "CPV 2008 codes of public procurement: find one by words, show one",
    .help = "  search WORDS   codes whose French label has these words (accents, case and\n"
            "                 plurals ignored; each word may be the start of a longer one;\n"
            "                 4 words at most) or whose code starts with these digits\n"
            "  show CODE      a code (8 digits, or with its check digit) and its label\n",
    .options = options,
    .max_args = 3,
    .run = run,
};
