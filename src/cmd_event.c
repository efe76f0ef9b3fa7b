/* cmd_event.c — `maillage event ...`: business conventions (issue 14), from
 * the event to its participants, requests, suggestions, schedule, agendas
 * (iCalendar, CSV, Excel), the organiser's grid and the outcomes. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "date",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .only = "add",
     .help = "the day of the event"},
    {.name = "start",
     .kind = CLI_TEXT,
     .value = "HH:MM",
     .only = "add",
     .help = "when the first slot starts (Paris time)"},
    {.name = "slot-minutes",
     .kind = CLI_INT,
     .value = "N",
     .min = 5,
     .max = 240,
     .only = "add",
     .help = "the length of a slot"},
    {.name = "slots",
     .kind = CLI_TEXT,
     .value = "N|LIST",
     .only = "add|participant",
     .help = "add: how many slots (1 to 64); participant add: the slots the\n"
             "participant is available in, as 1-6,9 (default: all)"},
    {.name = "tables",
     .kind = CLI_INT,
     .value = "T",
     .min = 1,
     .max = 100000,
     .only = "add",
     .help = "tables (or rooms): meetings at most in one slot"},
    {.name = "two-sided",
     .kind = CLI_FLAG,
     .only = "add",
     .help = "side A (buyers) meets side B (sellers) only"},
    {.name = "breaks",
     .kind = CLI_TEXT,
     .value = "K:MIN,...",
     .only = "add",
     .help = "breaks after slots, as 4:30,8:60 (30 minutes after slot 4...)"},
    {.name = "place",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .only = "add",
     .help = "where the event is held"},
    {.name = "org",
     .kind = CLI_TEXT,
     .value = "NAME",
     .only = "add",
     .help = "the organisation that runs it (default: the local administrator's)"},
    {.name = "guest",
     .kind = CLI_TEXT,
     .value = "NAME",
     .only = "participant",
     .help = "a guest who is not in the register (instead of a SIRET)"},
    {.name = "buyer", .kind = CLI_FLAG, .only = "participant", .help = "a public buyer"},
    {.name = "side",
     .kind = CLI_CHOICE,
     .value = "A|B",
     .choices = "A|B",
     .only = "participant",
     .help = "the side in a two-sided event (A buyers, B sellers)"},
    {.name = "max",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 1000,
     .only = "participant",
     .help = "meetings at most (default: no limit)"},
    {.name = "priority",
     .kind = CLI_CHOICE,
     .value = "must|wish|avoid",
     .choices = "must|wish|avoid",
     .only = "request",
     .help = "must (placed first), wish (default) or avoid (never scheduled: do not meet)"},
    {.name = "asked-by",
     .kind = CLI_CHOICE,
     .value = "a|b|organiser",
     .choices = "a|b|organiser",
     .only = "request",
     .help = "who asked (default organiser)"},
    {.name = "pending",
     .kind = CLI_FLAG,
     .only = "request",
     .help = "the other side has not accepted yet (not scheduled)"},
    {.name = "reason",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .only = "request",
     .help = "why they should meet"},
    {.name = "cancel",
     .kind = CLI_TEXT,
     .value = "PARTICIPANT",
     .only = "schedule",
     .help = "a participant who cancelled; the others' meetings stay in place"},
    {.name = "ics",
     .kind = CLI_TEXT,
     .value = "FILE",
     .only = "agenda",
     .help = "write it as iCalendar (.ics)"},
    {.name = "csv",
     .kind = CLI_TEXT,
     .value = "FILE",
     .only = "agenda|grid",
     .help = "write CSV for a French spreadsheet"},
    {.name = "xlsx",
     .kind = CLI_TEXT,
     .value = "FILE",
     .only = "agenda|grid",
     .help = "write an Excel workbook"},
    {.name = "pdf",
     .kind = CLI_TEXT,
     .value = "FILE",
     .only = "agenda|grid",
     .help = "write a PDF: the participant's agenda, or the organiser's table plan"},
    {.name = "lang",
     .kind = CLI_CHOICE,
     .value = "fr|en",
     .choices = "fr|en",
     .only = "agenda|grid",
     .help = "the PDF's language (French by default)"},
    {.name = "met",
     .kind = CLI_CHOICE,
     .value = "yes|no",
     .choices = "yes|no",
     .only = "outcome",
     .help = "whether the meeting was held"},
    {.name = "result",
     .kind = CLI_CHOICE,
     .value = "quote|contract|none",
     .choices = "quote|contract|none",
     .only = "outcome",
     .help = "what followed"},
    {.name = "amount",
     .kind = CLI_INT,
     .value = "EUR",
     .min = 0,
     .max = 1e12,
     .only = "outcome",
     .help = "the amount of the quote or contract, in euros"},
    {.name = "jobs",
     .kind = CLI_INT,
     .value = "N",
     .min = 0,
     .max = 1000000,
     .only = "outcome",
     .help = "jobs created or kept"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static const char *s_(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static long long i_(json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

static void print_event(json_t *e)
{
    cli_printf(stdout, "event %lld: %s, %s from %s, %lld slots of %lld minutes, %lld tables, %s\n",
               i_(e, "id"), s_(e, "name"), s_(e, "date"), s_(e, "start"), i_(e, "slots"),
               i_(e, "slot_minutes"), i_(e, "tables"),
               json_is_true(json_object_get(e, "two_sided")) ? "two-sided" : "open");
}

static void print_meetings(json_t *list, bool agenda)
{
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m)
    {
        if (agenda)
            cli_printf(stdout, "  slot %2lld  %s-%s  table %3lld  %s\n", i_(m, "slot"),
                       s_(m, "start"), s_(m, "end"), i_(m, "table"),
                       s_(json_object_get(m, "with"), "name"));
        else
            cli_printf(stdout, "  slot %2lld  %s-%s  table %3lld  %s / %s%s\n", i_(m, "slot"),
                       s_(m, "start"), s_(m, "end"), i_(m, "table"),
                       s_(json_object_get(m, "a"), "name"), s_(json_object_get(m, "b"), "name"),
                       json_is_true(json_object_get(m, "locked")) ? "  (locked)" : "");
    }
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t n = fwrite(data, 1, len, f);
    return fclose(f) == 0 && n == len ? 0 : -1;
}

static const char *const actions =
    "add, list, show, participant, request, suggest, schedule, lock, unlock, publish, changes, "
    "agenda, grid, outcome or learned";

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0);
    if (!action) return cli_usage("event", "say what to do: %s", actions);
    const char *sub = cli_arg(a, 1);
    bool json = cli_flag(a, "json");
    static const char *const known[] = {"add",     "list",     "show",    "participant", "request",
                                        "suggest", "schedule", "lock",    "unlock",      "agenda",
                                        "grid",    "outcome",  "publish", "changes",     "learned"};
    bool ok = false;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        ok |= strcmp(action, known[i]) == 0;
    if (!ok) return cli_usage("event", "unknown action '%s' (expected %s)", action, actions);
    bool two_words = strcmp(action, "participant") == 0 || strcmp(action, "request") == 0;
    if (two_words && !sub)
        return cli_usage("event", "event %s: say add%s", action,
                         strcmp(action, "participant") == 0 ? " or link" : ", accept or suggested");
    size_t base = two_words ? 2 : 1; /* the first argument after the action's words */
    const char *ev = cli_arg(a, base), *x = cli_arg(a, base + 1), *y = cli_arg(a, base + 2);
    if (strcmp(action, "list") && strcmp(action, "learned") && !ev)
        return cli_usage("event", strcmp(action, "add") == 0 ? "event add NAME: give the name"
                                                             : "give the event (number or name)");
    bool pair = strcmp(action, "lock") == 0 || strcmp(action, "unlock") == 0 ||
                strcmp(action, "outcome") == 0 ||
                (two_words && strcmp(action, "request") == 0 && strcmp(sub, "suggested"));
    if (pair && (!x || !y))
        return cli_usage("event", "event %s: give the event and two participants", action);
    if (strcmp(action, "agenda") == 0 && !x)
        return cli_usage("event", "event agenda EVENT PARTICIPANT");
    if (strcmp(action, "grid") == 0 && !cli_text(a, "xlsx", NULL) && !cli_text(a, "csv", NULL) &&
        !cli_text(a, "pdf", NULL))
        return cli_usage("event", "event grid EVENT: give --xlsx FILE, --csv FILE or --pdf FILE");
    if (strcmp(action, "outcome") == 0 && !cli_text(a, "met", NULL))
        return cli_usage("event", "event outcome: say --met yes or --met no");
    bool reads = strcmp(action, "list") == 0 || strcmp(action, "show") == 0 ||
                 strcmp(action, "suggest") == 0 || strcmp(action, "agenda") == 0 ||
                 strcmp(action, "grid") == 0 || strcmp(action, "changes") == 0 ||
                 strcmp(action, "learned") == 0;
    ml_db *db = NULL;
    int rc = cli_open_db(c, reads ? ML_DB_READONLY : 0, &db);
    if (rc) return rc;
    const ml_actor *who = cli_actor(c);
    json_t *out = NULL;
    ml_err r = ML_OK;
    if (strcmp(action, "add") == 0) {
        long long slots = 0;
        const char *st = cli_text(a, "slots", NULL);
        if (!st || !cli_text(a, "date", NULL) || !cli_text(a, "start", NULL) ||
            !cli_text(a, "slot-minutes", NULL) || !cli_text(a, "tables", NULL)) {
            ml_db_close(db);
            return cli_usage("event", "event add NAME needs --date, --start, --slot-minutes, "
                                      "--slots and --tables");
        }
        int64_t v;
        if (ml_parse_i64(st, strlen(st), 1, 64, &v)) {
            ml_db_close(db);
            return cli_usage("event", "--slots: a whole number from 1 to 64 (not '%s')", st);
        }
        slots = v;
        ml_event_in in = {.name = ev,
                          .date = cli_text(a, "date", NULL),
                          .start = cli_text(a, "start", NULL),
                          .slot_minutes = (unsigned)cli_int(a, "slot-minutes", 0),
                          .slots = (unsigned)slots,
                          .tables = (unsigned)cli_int(a, "tables", 0),
                          .two_sided = cli_flag(a, "two-sided"),
                          .breaks = cli_text(a, "breaks", NULL),
                          .place = cli_text(a, "place", NULL)};
        ml_actor as = *who; /* the local administrator acts for an organisation */
        const char *org = cli_text(a, "org", NULL);
        r = org ? ml_org_find(db, org, &as.org) : ML_OK;
        if (!r) r = ml_event_add(db, &as, &in, &out);
        if (!r && !json) print_event(json_object_get(out, "event"));
    } else if (strcmp(action, "list") == 0) {
        r = ml_event_list(db, who, &out);
        size_t i;
        json_t *e;
        if (!r && !json)
            json_array_foreach(json_object_get(out, "events"), i, e)
                cli_printf(stdout, "%5lld  %s  %-40s %4lld participants%s\n", i_(e, "id"),
                           s_(e, "date"), s_(e, "name"), i_(e, "participants"),
                           json_is_true(json_object_get(e, "scheduled")) ? ", scheduled" : "");
    } else if (strcmp(action, "show") == 0) {
        r = ml_event_show(db, who, ev, &out);
        if (!r && !json) {
            print_event(json_object_get(out, "event"));
            size_t i;
            json_t *p;
            cli_printf(stdout, "participants:\n");
            json_array_foreach(json_object_get(out, "participants"), i, p)
                cli_printf(stdout, "  %4lld  %-6s %s %s%s\n", i_(p, "id"), s_(p, "kind"),
                           *s_(p, "side") ? s_(p, "side") : "-", s_(p, "name"),
                           json_is_true(json_object_get(p, "cancelled")) ? " (cancelled)" : "");
            cli_printf(stdout, "requests:\n");
            json_array_foreach(json_object_get(out, "requests"), i, p)
                cli_printf(stdout, "  %4lld  %s / %s  %s%s\n", i_(p, "id"),
                           s_(json_object_get(p, "a"), "name"), s_(json_object_get(p, "b"), "name"),
                           s_(p, "priority"),
                           json_is_true(json_object_get(p, "accepted")) ? "" : " (pending)");
            cli_printf(stdout, "meetings:\n");
            print_meetings(json_object_get(out, "meetings"), false);
        }
    } else if (strcmp(action, "participant") == 0 && strcmp(sub, "add") == 0) {
        const char *guest = cli_text(a, "guest", NULL);
        if (!x && !guest) {
            ml_db_close(db);
            return cli_usage("event", "event participant add EVENT SIRET | --guest NAME");
        }
        ml_event_participant_in in = {.siret = x,
                                      .guest = guest,
                                      .buyer = cli_flag(a, "buyer"),
                                      .side = cli_text(a, "side", NULL),
                                      .slots = cli_text(a, "slots", NULL),
                                      .max_meetings = (unsigned)cli_int(a, "max", 0)};
        r = ml_event_participant_add(db, who, ev, &in, &out);
        if (!r && !json) {
            json_t *p = json_object_get(out, "participant");
            cli_printf(stdout, "participant %lld: %s (%s)\n", i_(p, "id"), s_(p, "name"),
                       s_(p, "kind"));
            cli_printf(stdout, "personal agenda link (shown once): /#/agenda/%s\n",
                       s_(out, "link"));
        }
    } else if (strcmp(action, "participant") == 0 && strcmp(sub, "link") == 0) {
        if (!x) {
            ml_db_close(db);
            return cli_usage("event", "event participant link EVENT PARTICIPANT");
        }
        r = ml_event_participant_link(db, who, ev, x, &out);
        if (!r && !json)
            cli_printf(stdout,
                       "new personal agenda link (the old one no longer works): "
                       "/#/agenda/%s\n",
                       s_(out, "link"));
    } else if (strcmp(action, "request") == 0 && strcmp(sub, "add") == 0) {
        r = ml_event_request_add(db, who, ev, x, y, cli_text(a, "priority", NULL),
                                 cli_text(a, "asked-by", NULL), cli_flag(a, "pending"),
                                 cli_text(a, "reason", NULL), &out);
        if (!r && !json) {
            json_t *q = json_object_get(out, "request");
            cli_printf(stdout, "request %lld: %s / %s (%s%s)\n", i_(q, "id"),
                       s_(json_object_get(q, "a"), "name"), s_(json_object_get(q, "b"), "name"),
                       s_(q, "priority"),
                       json_is_true(json_object_get(q, "accepted")) ? "" : ", pending");
        }
    } else if (strcmp(action, "request") == 0 && strcmp(sub, "accept") == 0) {
        r = ml_event_request_accept(db, who, ev, x, y, &out);
        if (!r && !json) cli_printf(stdout, "request accepted\n");
    } else if (strcmp(action, "request") == 0 && strcmp(sub, "suggested") == 0) {
        /* every suggestion becomes a request, with its reason */
        json_t *sug = NULL;
        r = ml_event_suggest(db, who, ev, &sug);
        size_t i, added = 0;
        json_t *s;
        json_array_foreach(json_object_get(sug, "suggestions"), i, s)
        {
            if (r) break;
            char ia[24], ib[24];
            snprintf(ia, sizeof ia, "%lld", i_(json_object_get(s, "a"), "id"));
            snprintf(ib, sizeof ib, "%lld", i_(json_object_get(s, "b"), "id"));
            json_t *q = NULL;
            r = ml_event_request_add(db, who, ev, ia, ib, "wish", "organiser", false,
                                     s_(s, "reason_fr"), &q);
            json_decref(q);
            added += !r;
        }
        json_decref(sug);
        out = json_pack("{s:I}", "added", (json_int_t)added);
        if (!r && !json) cli_printf(stdout, "%zu suggested requests added\n", added);
    } else if (strcmp(action, "participant") == 0 || strcmp(action, "request") == 0) {
        ml_db_close(db);
        return cli_usage("event", "unknown action 'event %s %s'", action, sub);
    } else if (strcmp(action, "suggest") == 0) {
        r = ml_event_suggest(db, who, ev, &out);
        size_t i;
        json_t *s;
        if (!r && !json) {
            json_array_foreach(json_object_get(out, "suggestions"), i, s)
            {
                if (strcmp(s_(s, "source"), "need") == 0)
                    cli_printf(stdout, "%s could meet %s (the buyer's need)\n    %s\n",
                               s_(json_object_get(s, "a"), "name"),
                               s_(json_object_get(s, "b"), "name"), s_(s, "reason_en"));
                else
                    cli_printf(stdout, "%s could buy from %s (score %.3f)\n    %s\n",
                               s_(json_object_get(s, "a"), "name"),
                               s_(json_object_get(s, "b"), "name"),
                               json_number_value(json_object_get(s, "score")), s_(s, "reason_en"));
            }
            if (!json_array_size(json_object_get(out, "suggestions")))
                cli_printf(stdout, "no suggestion among the event's establishments\n");
        }
    } else if (strcmp(action, "learned") == 0) {
        /* what past meetings teach the suggestions, kind of pair by kind */
        r = ml_event_learning(db, who, &out);
        size_t i;
        json_t *k;
        if (!r && !json) {
            cli_printf(stdout,
                       "meetings held between two establishments: %lld, %lld led to a "
                       "quote or a contract (prior %.4f)\n",
                       i_(out, "meetings"), i_(out, "successes"),
                       json_number_value(json_object_get(out, "prior")));
            json_array_foreach(json_object_get(out, "kinds"), i, k) cli_printf(
                stdout,
                "  supplier %s -> customer %s: %lld of %lld, rate %.4f, "
                "factor %.3f\n",
                s_(k, "supplier_division"), s_(k, "customer_division"), i_(k, "successes"),
                i_(k, "meetings"), json_number_value(json_object_get(k, "rate")),
                json_number_value(json_object_get(k, "factor")));
        }
    } else if (strcmp(action, "schedule") == 0) {
        r = ml_event_schedule(db, who, ev, cli_text(a, "cancel", NULL), &out);
        if (!r && !json) {
            print_meetings(json_object_get(out, "meetings_list"), false);
            cli_printf(stdout,
                       "meetings: %lld\nweight: %lld\nupper bound: %lld\noptimal: %s\n"
                       "check: %s\n",
                       i_(out, "meetings"), i_(out, "weight"), i_(out, "upper_bound"),
                       json_is_true(json_object_get(out, "optimal")) ? "yes" : "no",
                       s_(out, "check"));
            if (json_object_get(out, "changes"))
                cli_printf(stdout, "changes noted for the participants: %lld\n",
                           i_(out, "changes"));
        }
    } else if (strcmp(action, "publish") == 0) {
        r = ml_event_publish(db, who, ev, &out);
        if (!r && !json)
            cli_printf(stdout, "%s: %lld meetings; later changes are noted in each agenda\n",
                       json_is_true(json_object_get(out, "already")) ? "already published"
                                                                     : "published",
                       i_(out, "meetings"));
    } else if (strcmp(action, "changes") == 0) {
        r = ml_event_changes(db, who, ev, x, &out);
        if (!r && !json) {
            size_t i;
            json_t *ch;
            if (!json_is_integer(json_object_get(out, "published")))
                cli_printf(stdout, "not published yet: no change is noted before publication\n");
            else if (!json_array_size(json_object_get(out, "changes")))
                cli_printf(stdout, "no change since publication\n");
            json_array_foreach(json_object_get(out, "changes"), i, ch)
            {
                json_t *b = json_object_get(ch, "before"), *f = json_object_get(ch, "after");
                cli_printf(stdout, "  %s: %s with %s",
                           s_(json_object_get(ch, "participant"), "name"), s_(ch, "kind"),
                           s_(ch, "with"));
                if (json_is_object(b))
                    cli_printf(stdout, "; was %s table %lld", s_(b, "start"), i_(b, "table"));
                if (json_is_object(f))
                    cli_printf(stdout, "; now %s table %lld", s_(f, "start"), i_(f, "table"));
                cli_printf(stdout, "%s\n",
                           json_is_true(json_object_get(ch, "seen")) ? " (seen)" : "");
            }
        }
    } else if (strcmp(action, "lock") == 0 || strcmp(action, "unlock") == 0) {
        r = ml_event_lock(db, who, ev, x, y, strcmp(action, "lock") == 0);
        if (!r && !json) cli_printf(stdout, "meeting %sed\n", action);
    } else if (strcmp(action, "agenda") == 0) {
        r = ml_event_agenda(db, who, ev, x, &out);
        const char *ics = cli_text(a, "ics", NULL), *csv = cli_text(a, "csv", NULL),
                   *xlsx = cli_text(a, "xlsx", NULL);
        if (!r && ics) {
            char *text = NULL;
            size_t len = 0;
            r = ml_event_ics(c->ctx, out, &text, &len);
            if (!r && write_file(ics, text, len)) {
                cli_print_error("event", "cannot write '%s'", ics);
                rc = CLI_FAIL;
            }
            free(text);
        }
        if (!r && csv) r = ml_export_event_agenda(c->ctx, out, ML_EXPORT_CSV, csv);
        if (!r && xlsx) r = ml_export_event_agenda(c->ctx, out, ML_EXPORT_XLSX, xlsx);
        if (!r && cli_text(a, "pdf", NULL))
            r = ml_export_event_agenda_pdf(c->ctx, out, cli_text(a, "lang", NULL),
                                           cli_text(a, "pdf", NULL));
        if (!r && !json && !rc) {
            json_t *p = json_object_get(out, "participant");
            cli_printf(stdout, "agenda of %s, %s:\n", s_(p, "name"),
                       s_(json_object_get(out, "event"), "date"));
            print_meetings(json_object_get(out, "meetings"), true);
        }
    } else if (strcmp(action, "grid") == 0) {
        r = ml_event_show(db, who, ev, &out);
        const char *csv = cli_text(a, "csv", NULL), *xlsx = cli_text(a, "xlsx", NULL);
        if (!r && xlsx) r = ml_export_event_grid(c->ctx, out, ML_EXPORT_XLSX, xlsx);
        if (!r && csv) r = ml_export_event_grid(c->ctx, out, ML_EXPORT_CSV, csv);
        const char *pdf = cli_text(a, "pdf", NULL);
        if (!r && pdf) r = ml_export_event_plan_pdf(c->ctx, out, cli_text(a, "lang", NULL), pdf);
        if (!r && !json)
            cli_printf(stdout, "%s written to %s\n", pdf && !xlsx && !csv ? "table plan" : "grid",
                       xlsx  ? xlsx
                       : csv ? csv
                             : pdf);
        if (!r && !json) json_decref(out), out = NULL;
    } else if (strcmp(action, "outcome") == 0) {
        ml_event_outcome_in in = {.met = strcmp(cli_text(a, "met", "no"), "yes") == 0,
                                  .result = cli_text(a, "result", NULL),
                                  .amount =
                                      cli_text(a, "amount", NULL) ? cli_int(a, "amount", 0) : -1,
                                  .jobs = cli_text(a, "jobs", NULL) ? cli_int(a, "jobs", 0) : -1};
        r = ml_event_outcome(db, who, ev, x, y, &in, &out);
        if (!r && !json)
            cli_printf(stdout, "outcome recorded (%zu records written to the firms' history)\n",
                       json_array_size(json_object_get(out, "written")));
    }
    if (r)
        rc = cli_error(c, r);
    else if (json && out)
        cli_print_json(out);
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_event = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "add|participant|request|schedule|lock|unlock|outcome|publish",
    .name = "event",
    .usage =
        "add NAME --date D --start HH:MM --slot-minutes N --slots N --tables T | list |\n"
        "       show EVENT | participant add EVENT SIRET|--guest NAME | request add EVENT A B |\n"
        "       suggest EVENT | schedule EVENT | agenda EVENT P | grid EVENT | outcome EVENT A B",
    .summary = "business conventions: participants, requests, the optimal schedule, agendas",
    .help =
        "  add NAME                    an event (your organisation's)\n"
        "  list, show EVENT            events; one with its participants, requests, meetings\n"
        "  participant add EVENT SIRET|--guest NAME   a participant (prints its personal link)\n"
        "  participant link EVENT P    a new personal link for a participant\n"
        "  request add EVENT A B       a meeting request (--priority must|wish|avoid); request\n"
        "                              accept EVENT A B\n"
        "  request suggested EVENT     adds every suggestion as a request\n"
        "  suggest EVENT               suggested requests: the public buyers' needs, then the\n"
        "                              supplier/customer engine weighed by past outcomes\n"
        "  schedule EVENT              computes, checks and saves the schedule\n"
        "  lock|unlock EVENT A B       keep a meeting where it is on the next run\n"
        "  publish EVENT               the schedule is out: later changes are noted per "
        "participant\n"
        "  changes EVENT [P]           what changed since publication (moved, new, cancelled)\n"
        "  agenda EVENT P              a participant's agenda (--ics, --csv, --xlsx, --pdf)\n"
        "  grid EVENT                  the organiser's grid (--xlsx with its table plan, --csv)\n"
        "                              or the table plan as PDF (--pdf, --lang en)\n"
        "  outcome EVENT A B --met yes|no   what followed a meeting\n"
        "  learned                     what past meetings teach the suggestions, by kind of\n"
        "                              pair (supplier and customer NAF divisions)\n"
        "EVENT is the event's number or name; a participant (P, A, B) its number in the\n"
        "event, its SIRET or the guest's name.\n",
    .options = options,
    .max_args = 5,
    .run = run,
};
