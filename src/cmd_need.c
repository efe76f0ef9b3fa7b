/* cmd_need.c — `maillage need ...`: a public buyer's innovation need (issue
 * 14): the need, the local firms that could answer, the innovative-purchase
 * route against its threshold, the checklist of evidence, the contract and
 * its record in the public-procurement data format (DECP). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "buyer",
     .kind = CLI_TEXT,
     .value = "NAME",
     .only = "add",
     .help = "the public buyer's name"},
    {.name = "buyer-siret",
     .kind = CLI_TEXT,
     .value = "SIRET",
     .only = "add",
     .help = "the buyer's SIRET (the DECP record needs it)"},
    {.name = "title",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .only = "add",
     .help = "the need in a line"},
    {.name = "text",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .only = "add",
     .help = "the need described"},
    {.name = "cpv",
     .kind = CLI_TEXT,
     .value = "CODE",
     .only = "add",
     .help = "its CPV 2008 code (45112500 or 45112500-9)"},
    {.name = "naf",
     .kind = CLI_TEXT,
     .value = "CODE",
     .only = "add",
     .help = "the activity (NAF) of the firms that could answer"},
    {.name = "budget",
     .kind = CLI_INT,
     .value = "EUR",
     .min = 1,
     .max = 1e12,
     .only = "add",
     .help = "the budget in euros HT"},
    {.name = "deadline",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .only = "add",
     .help = "when it is needed"},
    {.name = "commune",
     .kind = CLI_TEXT,
     .value = "CODE",
     .only = "add",
     .help = "the place of execution (INSEE commune code)"},
    {.name = "org",
     .kind = CLI_TEXT,
     .value = "NAME",
     .only = "add",
     .help = "the organisation that follows it (default: the local administrator's)"},
    {.name = "threshold",
     .kind = CLI_INT,
     .value = "EUR",
     .min = 1,
     .max = 1e12,
     .only = "show|check|uncheck|cpv",
     .help = "the innovative-purchase threshold, euros HT (default 100000)"},
    {.name = "holder",
     .kind = CLI_TEXT,
     .value = "SIRET",
     .only = "award",
     .help = "the establishment that got the contract"},
    {.name = "amount",
     .kind = CLI_INT,
     .value = "EUR",
     .min = 1,
     .max = 1e12,
     .only = "award",
     .help = "the contract's amount, euros HT"},
    {.name = "date",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .only = "award",
     .help = "the day it was notified"},
    {.name = "months",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 600,
     .only = "award",
     .help = "its length in months"},
    {.name = "lang",
     .kind = CLI_CHOICE,
     .value = "LANG",
     .choices = "fr|en",
     .help = "the CPV label's language (default fr)"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static const char *s_(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* "CPV 34144900-7 Véhicules électriques" (English with --lang en). */
static void print_cpv(json_t *n, bool en)
{
    json_t *c = json_object_get(n, "cpv_label");
    if (!json_is_object(c)) return;
    const char *label = en && json_is_string(json_object_get(c, "label_en")) ? s_(c, "label_en")
                                                                             : s_(c, "label_fr");
    cli_printf(stdout, "CPV %s %s\n", s_(c, "code"), label);
}

static void print_show(json_t *o, bool en)
{
    json_t *n = json_object_get(o, "need"), *t = json_object_get(o, "threshold");
    cli_printf(stdout, "need %lld: %s — %s (budget %lld € HT)\n",
               (long long)json_integer_value(json_object_get(n, "id")), s_(n, "buyer"),
               s_(n, "title"), (long long)json_integer_value(json_object_get(n, "budget")));
    print_cpv(n, en);
    cli_printf(stdout, "\n%s\n\nchecklist:\n", s_(t, "why_en"));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(o, "checklist"), i, v)
        cli_printf(stdout, "  [%s] %-9s %s\n", json_is_true(json_object_get(v, "done")) ? "x" : " ",
                   s_(v, "key"), s_(v, "label_en"));
    cli_printf(stdout, "%s\n",
               json_is_true(json_object_get(o, "ready"))
                   ? "ready: the innovative purchase may go ahead"
                   : "not ready yet");
    json_t *c = json_object_get(n, "contract");
    if (json_is_object(c))
        cli_printf(stdout, "contract: %s, %lld € HT, notified %s, %lld months\n", s_(c, "siret"),
                   (long long)json_integer_value(json_object_get(c, "amount")), s_(c, "notified"),
                   (long long)json_integer_value(json_object_get(c, "months")));
    cli_printf(stdout, "\nlocal firms that could answer:\n");
    json_array_foreach(json_object_get(o, "suggestions"), i, v)
        cli_printf(stdout, "  %s  %s — %s\n", s_(v, "siret"), s_(v, "name"), s_(v, "reason_en"));
    if (json_is_string(json_object_get(o, "suggestions_unavailable")))
        cli_printf(stdout, "  none: %s\n", s_(o, "suggestions_unavailable"));
    else if (!json_array_size(json_object_get(o, "suggestions")))
        cli_printf(stdout, "  none found\n");
}

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0), *arg = cli_arg(a, 1);
    static const char *const known = "add, list, show, check, uncheck, award, decp, invite or cpv";
    if (!action) return cli_usage("need", "say what to do: %s", known);
    bool add = strcmp(action, "add") == 0, list = strcmp(action, "list") == 0;
    bool show = strcmp(action, "show") == 0, check = strcmp(action, "check") == 0,
         uncheck = strcmp(action, "uncheck") == 0, award = strcmp(action, "award") == 0,
         decp = strcmp(action, "decp") == 0, invite = strcmp(action, "invite") == 0,
         cpv = strcmp(action, "cpv") == 0;
    if (!add && !list && !show && !check && !uncheck && !award && !decp && !invite && !cpv)
        return cli_usage("need", "unknown action '%s' (expected %s)", action, known);
    int64_t id = 0;
    if (!add && !list && (!arg || ml_parse_i64(arg, strlen(arg), 1, INT64_MAX, &id)))
        return cli_usage("need", "need %s: give the need's number", action);
    if (invite && !cli_arg(a, 2))
        return cli_usage("need", "need invite ID EVENT: give the event (number or name)");
    if (cpv && !cli_arg(a, 2))
        return cli_usage("need", "need cpv ID CODE: give the CPV code (find one with maillage "
                                 "cpv search WORDS), or \"\" to take it away");
    if ((check || uncheck) && !cli_arg(a, 2))
        return cli_usage("need", "need %s ID ITEM: novelty, market, price or sourcing", action);
    if (add && (!cli_text(a, "buyer", NULL) || !cli_text(a, "title", NULL) ||
                !cli_text(a, "budget", NULL)))
        return cli_usage("need", "need add needs --buyer, --title and --budget");
    if (award && (!cli_text(a, "holder", NULL) || !cli_text(a, "amount", NULL) ||
                  !cli_text(a, "date", NULL) || !cli_text(a, "months", NULL)))
        return cli_usage("need", "need award ID needs --holder, --amount, --date and --months");
    ml_db *db = NULL;
    int rc = cli_open_db(c, list || show || decp ? ML_DB_READONLY : 0, &db);
    if (rc) return rc;
    ml_actor as = *cli_actor(c);
    bool en = strcmp(cli_text(a, "lang", "fr"), "en") == 0;
    json_t *out = NULL;
    ml_err r = ML_OK;
    if (add) {
        const char *org = cli_text(a, "org", NULL);
        ml_need_in in = {.buyer = cli_text(a, "buyer", NULL),
                         .buyer_siret = cli_text(a, "buyer-siret", NULL),
                         .title = cli_text(a, "title", NULL),
                         .text = cli_text(a, "text", NULL),
                         .cpv = cli_text(a, "cpv", NULL),
                         .naf = cli_text(a, "naf", NULL),
                         .budget = cli_int(a, "budget", 0),
                         .deadline = cli_text(a, "deadline", NULL),
                         .commune = cli_text(a, "commune", NULL)};
        r = org ? ml_org_find(db, org, &as.org) : ML_OK;
        if (!r) r = ml_need_add(db, &as, &in, &out);
        if (!r && !cli_flag(a, "json")) {
            json_t *n = json_object_get(out, "need");
            cli_printf(stdout, "need %lld: %s — %s\n",
                       (long long)json_integer_value(json_object_get(n, "id")), s_(n, "buyer"),
                       s_(n, "title"));
            print_cpv(n, en);
            cli_printf(stdout, "see it with: maillage need show %lld\n",
                       (long long)json_integer_value(json_object_get(n, "id")));
        }
    } else if (list) {
        r = ml_need_list(db, &as, &out);
        size_t i;
        json_t *v;
        if (!r && !cli_flag(a, "json"))
            json_array_foreach(json_object_get(out, "needs"), i, v) cli_printf(
                stdout, "%5lld  %-30s %s (%lld € HT)%s\n",
                (long long)json_integer_value(json_object_get(v, "id")), s_(v, "buyer"),
                s_(v, "title"), (long long)json_integer_value(json_object_get(v, "budget")),
                json_is_true(json_object_get(v, "contract")) ? ", contract" : "");
    } else if (show || check || uncheck) {
        r = show ? ml_need_show(db, &as, id, cli_int(a, "threshold", 0), &out)
                 : ml_need_evidence(db, &as, id, cli_arg(a, 2), check, &out);
        if (!r && !show && cli_text(a, "threshold", NULL)) {
            json_decref(out);
            r = ml_need_show(db, &as, id, cli_int(a, "threshold", 0), &out);
        }
        if (!r && !cli_flag(a, "json")) print_show(out, en);
    } else if (cpv) {
        r = ml_need_set_cpv(db, &as, id, cli_arg(a, 2), &out);
        if (!r && !cli_flag(a, "json")) print_show(out, en);
    } else if (award) {
        r = ml_need_award(db, &as, id, cli_text(a, "holder", NULL), cli_int(a, "amount", 0),
                          cli_text(a, "date", NULL), (unsigned)cli_int(a, "months", 0), &out);
        if (!r && !cli_flag(a, "json")) print_show(out, en);
    } else if (invite) {
        r = ml_need_invite(db, &as, id, cli_arg(a, 2), &out);
        if (!r && !cli_flag(a, "json")) {
            cli_printf(stdout,
                       "event %s: the buyer is participant %lld; %lld firms added, %lld "
                       "requests added\n",
                       s_(out, "event"),
                       (long long)json_integer_value(json_object_get(out, "buyer")),
                       (long long)json_integer_value(json_object_get(out, "firms_added")),
                       (long long)json_integer_value(json_object_get(out, "requests_added")));
            size_t i;
            json_t *v;
            json_array_foreach(json_object_get(out, "skipped"), i, v)
                cli_printf(stdout, "  skipped %s: %s\n", s_(v, "siret"), s_(v, "why"));
        }
    } else {
        r = ml_need_decp(db, &as, id, &out);
        if (!r) cli_print_json(out);
        json_decref(out);
        out = NULL;
    }
    if (r)
        rc = cli_error(c, r);
    else if (cli_flag(a, "json") && out)
        cli_print_json(out);
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_need = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "add|check|uncheck|award|invite|cpv",
    .name = "need",
    .usage = "add --buyer NAME --title TEXT --budget EUR [...] | list | show ID |\n"
             "       check|uncheck ID ITEM | award ID --holder SIRET [...] | decp ID |\n"
             "       invite ID EVENT | cpv ID CODE",
    .summary = "a public buyer's innovation need: local firms, the innovative-purchase route",
    .help = "  add                 a public buyer's need (CPV, NAF, budget, deadline, place)\n"
            "  list, show ID       needs; one with the threshold checked against its budget,\n"
            "                      the checklist of evidence and local firms that could answer\n"
            "  check ID ITEM       evidence gathered: novelty, market, price or sourcing\n"
            "  award ID            the contract notified (--holder, --amount, --date, --months)\n"
            "  decp ID             the purchase as a DECP record (public-procurement data, JSON)\n"
            "  invite ID EVENT     an innovation conference: the buyer meets the suggested firms\n"
            "  cpv ID CODE         sets the need's CPV 2008 code (find one: maillage cpv search)\n",
    .options = options,
    .max_args = 3,
    .run = run,
};
