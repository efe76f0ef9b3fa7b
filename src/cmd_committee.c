/* cmd_committee.c — `maillage committee add|list|agenda|order|vote|decide|
 * minutes|letters|pack` (issue 13 part 5): a programme's committee meeting,
 * its agenda of the projects ready with one sheet each (the firm, the
 * interviews, the request, every rule checked, the envelopes before and
 * after), the members' votes, the decisions (a grant goes through the one
 * decision path: refused with its reason when it breaks a rule), and its
 * documents as PDF. */
#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "date",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the meeting's day (default today)",
     .only = "add"},
    {.name = "place", .kind = CLI_TEXT, .value = "TEXT", .help = "where it meets", .only = "add"},
    {.name = "member",
     .kind = CLI_TEXT,
     .value = "NAME|ORG|ROLE",
     .help = "a member, repeatable: \"Anne Martin|Région Occitanie|présidente\"",
     .only = "add|vote"},
    {.name = "vote",
     .kind = CLI_CHOICE,
     .value = "V",
     .choices = "for|against|abstain",
     .help = "for, against or abstain",
     .only = "vote"},
    {.name = "grant",
     .kind = CLI_FLAG,
     .help = "grant the aid given (--subsidy, --advance...)",
     .only = "decide"},
    {.name = "refuse", .kind = CLI_FLAG, .help = "refuse, with --reason", .only = "decide"},
    {.name = "reason",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "why (required to refuse)",
     .only = "decide"},
    CLI_AID_OPTIONS,
    {.name = "out",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "the PDF to write (required)",
     .only = "minutes|letters|pack"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static void eur(json_t *o, const char *key, char out[32])
{
    ml_euros_format(json_integer_value(json_object_get(o, key)), out, 32);
}

static void print_committee(json_t *c)
{
    cli_printf(stdout, "committee %lld of %s%s, %s%s%s: %lld projects, %lld decided\n",
               (long long)json_integer_value(json_object_get(c, "id")),
               cli_str(c, "programme_name"),
               json_is_true(json_object_get(c, "generated")) ? " (GENERATED)" : "",
               cli_str(c, "day"), *cli_str(c, "place") ? ", " : "", cli_str(c, "place"),
               (long long)json_integer_value(json_object_get(c, "projects")),
               (long long)json_integer_value(json_object_get(c, "decided")));
    size_t i, k;
    json_t *v, *w;
    json_array_foreach(json_object_get(c, "members"), i, v)
        cli_printf(stdout, "  member %lld: %s, %s, %s\n",
                   (long long)json_integer_value(json_object_get(v, "seq")), cli_str(v, "name"),
                   cli_str(v, "organisation"), cli_str(v, "role"));
    json_array_foreach(json_object_get(c, "agenda"), i, v)
    {
        json_t *firm = json_object_get(v, "firm"), *rq = json_object_get(v, "request");
        char s[32], a[32];
        eur(rq, "subsidy", s);
        eur(rq, "advance", a);
        cli_printf(stdout, "%lld. project %lld [%s] %s — %s (SIRET %s, NAF %s, %s)\n",
                   (long long)json_integer_value(json_object_get(v, "seq")),
                   (long long)json_integer_value(json_object_get(v, "project")),
                   cli_str(v, "stage"), cli_str(v, "title"),
                   json_is_true(json_object_get(firm, "restricted")) ? "restricted diffusion"
                                                                     : cli_str(firm, "name"),
                   cli_str(firm, "siret"), cli_str(firm, "naf"), cli_str(firm, "commune_name"));
        cli_printf(stdout, "   request: subsidy %s, advance %s EUR; interviews: %zu\n", s, a,
                   json_array_size(json_object_get(v, "interviews")));
        json_array_foreach(json_object_get(v, "checks"), k, w) cli_printf(
            stdout, "   %s %s%s%s: %s\n",
            json_is_true(json_object_get(w, "pass")) ? "PASS" : "FAIL", cli_str(w, "rule"),
            *cli_str(w, "instrument") ? " " : "", cli_str(w, "instrument"), cli_str(w, "detail"));
        json_array_foreach(json_object_get(v, "envelopes"), k, w)
        {
            char b[32], t[32], f[32];
            eur(w, "available_before", b);
            eur(w, "taken", t);
            eur(w, "available_after", f);
            cli_printf(stdout, "   %s envelope: %s before, %s taken, %s after\n",
                       cli_str(w, "instrument"), b, t, f);
        }
        json_t *vt = json_object_get(v, "votes");
        cli_printf(stdout, "   votes: for %lld, against %lld, abstain %lld; decision: %s%s%s\n",
                   (long long)json_integer_value(json_object_get(vt, "for")),
                   (long long)json_integer_value(json_object_get(vt, "against")),
                   (long long)json_integer_value(json_object_get(vt, "abstain")),
                   *cli_str(v, "decision") ? cli_str(v, "decision") : "none yet",
                   *cli_str(v, "reason") ? ": " : "", cli_str(v, "reason"));
    }
}

static int run(cli *c, const cli_args *a)
{
    static const char *const actions =
        "add, list, agenda, order, vote, decide, minutes, letters or pack";
    const char *action = cli_arg(a, 0), *arg = cli_arg(a, 1);
    if (!action) return cli_usage("committee", "say what to do: %s", actions);
    bool add = !strcmp(action, "add"), list = !strcmp(action, "list"),
         agenda = !strcmp(action, "agenda"), order = !strcmp(action, "order"),
         vote = !strcmp(action, "vote"), decide = !strcmp(action, "decide"),
         pdf = !strcmp(action, "minutes") || !strcmp(action, "letters") || !strcmp(action, "pack");
    if (!add && !list && !agenda && !order && !vote && !decide && !pdf)
        return cli_usage("committee", "unknown action '%s' (expected %s)", action, actions);
    size_t want = order || vote || decide ? 3 : 2;
    if (a->nargs != want || !arg)
        return cli_usage("committee",
                         add || list ? "%s PROGRAMME"
                         : order     ? "order ID PROJECT,PROJECT,..."
                         : want == 3 ? "%s ID PROJECT"
                                     : "%s ID",
                         action);
    int64_t id = 0, project = 0;
    if (!add && !list && ml_parse_i64(arg, strlen(arg), 1, INT64_MAX, &id) != 0)
        return cli_usage("committee", "'%s' is not a committee ID", arg);
    if ((vote || decide) &&
        ml_parse_i64(cli_arg(a, 2), strlen(cli_arg(a, 2)), 1, INT64_MAX, &project) != 0)
        return cli_usage("committee", "'%s' is not a project ID", cli_arg(a, 2));
    if (pdf && !cli_text(a, "out", NULL))
        return cli_usage("committee", "%s ID --out FILE.pdf", action);
    /* members: NAME|ORG|ROLE */
    const char *texts[64];
    size_t nm = cli_texts(a, "member", texts);
    ml_committee_member members[40];
    char buf[40][3][201];
    if (add && (!nm || nm > 40))
        return cli_usage("committee", "give 1 to 40 --member \"NAME|ORGANISATION|ROLE\"");
    for (size_t i = 0; add && i < nm; i++) {
        const char *p = texts[i];
        for (int k = 0; k < 3; k++) {
            size_t n = strcspn(p, "|");
            if ((k < 2 && p[n] != '|') || (k == 2 && p[n]) || n > 200)
                return cli_usage("committee", "--member '%s': NAME|ORGANISATION|ROLE", texts[i]);
            memcpy(buf[i][k], p, n);
            buf[i][k][n] = '\0';
            p += n + (k < 2);
        }
        members[i] = (ml_committee_member){buf[i][0], buf[i][1], buf[i][2]};
    }
    int64_t order_ids[500];
    size_t norder = 0;
    for (const char *p = order ? cli_arg(a, 2) : ""; *p;) {
        size_t n = strcspn(p, ",");
        if (norder == 500 || ml_parse_i64(p, n, 1, INT64_MAX, &order_ids[norder]) != 0)
            return cli_usage("committee",
                             "order ID PROJECT,PROJECT,...: project IDs separated by ','");
        norder++;
        p += n + (p[n] == ',');
    }
    ml_committee_decision_in d = {.committee = id,
                                  .project = project,
                                  .grant = cli_flag(a, "grant"),
                                  .reason = cli_text(a, "reason", NULL)};
    if (decide) {
        if (cli_flag(a, "grant") == cli_flag(a, "refuse"))
            return cli_usage("committee", "decide ID PROJECT --grant [--subsidy EUR] [--advance "
                                          "EUR ...] | --refuse --reason TEXT");
        const char *s = cli_text(a, "subsidy", NULL), *v = cli_text(a, "advance", NULL);
        if ((s && ml_euros_parse(s, &d.aid.subsidy) != 0) ||
            (v && ml_euros_parse(v, &d.aid.advance) != 0))
            return cli_usage("committee", "--subsidy, --advance: amounts in euros");
        if (d.aid.advance && !cli_text(a, "instalments", NULL))
            return cli_usage(
                "committee",
                "an advance needs --instalments N (and --every MONTHS, --deferral MONTHS)");
        d.aid.deferral = (int)cli_int(a, "deferral", 0);
        d.aid.instalments = (int)cli_int(a, "instalments", 1);
        d.aid.every = (int)cli_int(a, "every", 3);
    }
    if (vote && (!cli_text(a, "member", NULL) || !cli_text(a, "vote", NULL)))
        return cli_usage("committee",
                         "vote ID PROJECT --member NAME|NUMBER --vote for|against|abstain");
    ml_db *db = NULL;
    int rc = cli_open_db(c, list || agenda || pdf ? ML_DB_READONLY : 0, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r;
    if (add) {
        ml_committee_in in = {.programme = arg,
                              .date = cli_text(a, "date", NULL),
                              .place = cli_text(a, "place", NULL),
                              .members = members,
                              .nmembers = nm};
        r = ml_committee_add(db, cli_actor(c), &in, &out);
    } else if (list) {
        r = ml_committee_list(db, cli_actor(c), arg, &out);
    } else if (order) {
        r = ml_committee_order(db, cli_actor(c), id, order_ids, norder, &out);
    } else if (vote) {
        r = ml_committee_vote(db, cli_actor(c), id, project, cli_text(a, "member", NULL),
                              cli_text(a, "vote", NULL), &out);
    } else if (decide) {
        r = ml_committee_decide(db, cli_actor(c), &d, &out);
    } else {
        r = ml_committee_show(db, cli_actor(c), id, &out);
        if (!r && pdf) r = ml_export_committee_pdf(c->ctx, out, action, cli_text(a, "out", NULL));
    }
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (add) {
        cli_printf(stdout, "%lld\n", (long long)json_integer_value(json_object_get(out, "id")));
    } else if (list) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(out, "committees"), i, v) cli_printf(
            stdout, "%lld  %s  %s  %lld projects, %lld decided%s\n",
            (long long)json_integer_value(json_object_get(v, "id")), cli_str(v, "day"),
            cli_str(v, "place"), (long long)json_integer_value(json_object_get(v, "projects")),
            (long long)json_integer_value(json_object_get(v, "decided")),
            json_is_true(json_object_get(v, "held")) ? "  HELD" : "");
        if (!json_array_size(json_object_get(out, "committees")))
            cli_printf(stdout, "no committee\n");
    } else if (pdf) {
        cli_printf(stdout, "%s written to %s\n", action, cli_text(a, "out", NULL));
    } else {
        print_committee(out);
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_committee = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "add|order|vote|decide",
    .name = "committee",
    .usage = "add PROGRAMME --date D --member \"NAME|ORG|ROLE\"... | list PROGRAMME | agenda ID | "
             "order ID "
             "P1,P2,... | vote ID PROJECT --member M --vote V | decide ID PROJECT --grant "
             "[--subsidy EUR] "
             "[--advance EUR --instalments N ...] | --refuse --reason T | minutes|letters|pack ID "
             "--out FILE",
    .summary = "committee meetings: agenda and sheets, votes, decisions, minutes and letters",
    .help =
        "  add PROGRAMME    a meeting; its agenda: the projects instructed or at the committee\n"
        "                   stage (prints its id)\n"
        "  list PROGRAMME   the programme's committees\n"
        "  agenda ID        the agenda, one sheet per project: the firm, its interviews, the\n"
        "                   request, every rule checked (pass or fail), the envelopes before\n"
        "                   and after, votes and decision\n"
        "  order ID P1,P2   the agenda's order (a ready project not on it joins it)\n"
        "  vote ID PROJECT  a member's vote (--member NAME or its number, --vote)\n"
        "  decide ID PROJECT  --grant: the decision (refused, exit 1, with the reason, when it\n"
        "                   breaks a rule or the votes recorded do not carry it); --refuse\n"
        "                   --reason: the project becomes rejected\n"
        "  minutes ID       the minutes as PDF (--out FILE)\n"
        "  letters ID       the notification letters as PDF, one per decided project\n"
        "  pack ID          the committee pack as PDF: the agenda and the sheets\n",
    .options = options,
    .max_args = 3,
    .run = run,
};
