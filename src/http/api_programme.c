/* api_programme.c — the handlers of programmes under /api/v1 (issue 13):
 * programmes, projects, stages, decisions, ledger entries and positions.
 * Each calls the library as the request's actor (http_request_actor): which
 * programmes it may read or change is decided there. Request bodies give
 * amounts in euros as text ("1500000" or "1500000.50"), as the command line
 * does; answers give integer cents. Bodies were checked against their
 * body_spec before a handler runs. */
#include <unistd.h>

#include "api_programme.h"

/* ------------------------------------------------------------ programmes */

int h_programmes(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_programme_list(r->db, http_request_actor(r), &j);
    return http_answer(r, e, j, 200);
}

int h_programme_add(request *r)
{
    ml_envelope_in envs[2];
    size_t n = 0;
    int64_t subsidy, advance, max_project;
    if (http_body_euros(r, "subsidy", &subsidy) || http_body_euros(r, "advance", &advance) ||
        http_body_euros(r, "max_per_project", &max_project))
        return 0;
    const char *revolving = http_body_text(r, "revolving");
    if (subsidy)
        envs[n++] = (ml_envelope_in){.instrument = "subsidy",
                                     .amount = subsidy,
                                     .max_project = max_project,
                                     .funder = http_body_text(r, "funder")};
    if (advance)
        envs[n++] = (ml_envelope_in){.instrument = "advance",
                                     .amount = advance,
                                     .max_project = max_project,
                                     .funder = http_body_text(r, "funder"),
                                     .revolving = revolving && strcmp(revolving, "yes") == 0};
    ml_programme_in in = {.name = http_body_text(r, "name"),
                          .territory = http_body_text(r, "territory"),
                          .start = http_body_text(r, "start"),
                          .end = http_body_text(r, "end"),
                          .envelopes = envs,
                          .nenvelopes = n};
    json_t *j = NULL;
    ml_err e = ml_programme_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_programme(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_programme_show(r->db, http_request_actor(r), http_path_param(r, "programme"), &j);
    return http_answer(r, e, j, 200);
}

int h_programme_position(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_programme_position(r->db, http_request_actor(r), http_path_param(r, "programme"),
                                     http_arg(r, "at"), &j);
    return http_answer(r, e, j, 200);
}

int h_programme_impact(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_programme_impact(r->db, http_request_actor(r), http_path_param(r, "programme"),
                                   http_arg(r, "at"), &j);
    return http_answer(r, e, j, 200);
}

int h_programme_ledger(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_ledger_list(r->db, http_request_actor(r), http_path_param(r, "programme"), &j);
    return http_answer(r, e, j, 200);
}

/* ------------------------------------------------------------ interviews */

int h_interviews(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_interview_list(r->db, http_request_actor(r), http_path_param(r, "programme"), &j);
    return http_answer(r, e, j, 200);
}

int h_interview_add(request *r)
{
    ml_interview_in in = {.programme = http_path_param(r, "programme"),
                          .siret = http_body_text(r, "siret"),
                          .date = http_body_text(r, "date"),
                          .scores = http_body_text(r, "scores"),
                          .flags = http_body_text(r, "flags"),
                          .notes = http_body_text(r, "notes")};
    if (http_body_whole(r, "visit", 1, INT64_MAX, 0, &in.visit)) return 0;
    json_t *j = NULL;
    ml_err e = ml_interview_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_programme_committee(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_programme_committee(r->db, http_request_actor(r), http_path_param(r, "programme"),
                                      http_arg(r, "at"), &j);
    return http_answer(r, e, j, 200);
}

int h_programme_synthesis(request *r)
{
    json_t *j = NULL;
    ml_err e =
        ml_programme_synthesis(r->db, http_request_actor(r), http_path_param(r, "programme"), &j);
    return http_answer(r, e, j, 200);
}

/* -------------------------------------------------------------- projects */

int h_projects(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_project_list(r->db, http_request_actor(r), http_path_param(r, "programme"),
                               http_arg(r, "at"), http_arg_bool(r, "stale", false), &j);
    return http_answer(r, e, j, 200);
}

int h_project_add(request *r)
{
    ml_project_in in = {.programme = http_path_param(r, "programme"),
                        .siret = http_body_text(r, "siret"),
                        .type = http_body_text(r, "type"),
                        .title = http_body_text(r, "title"),
                        .description = http_body_text(r, "description")};
    if (http_body_euros(r, "cost", &in.cost) || http_body_euros(r, "eligible", &in.eligible) ||
        http_body_euros(r, "requested_subsidy", &in.req_subsidy) ||
        http_body_euros(r, "requested_advance", &in.req_advance) ||
        http_body_whole(r, "jobs_created", 0, 1000000, 0, &in.jobs_created) ||
        http_body_whole(r, "jobs_kept", 0, 1000000, 0, &in.jobs_kept))
        return 0;
    json_t *j = NULL;
    ml_err e = ml_project_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_project_edit(request *r)
{
    ml_project_in in = {.type = http_body_text(r, "type"),
                        .title = http_body_text(r, "title"),
                        .description = http_body_text(r, "description")};
    if (http_body_euros(r, "cost", &in.cost) || http_body_euros(r, "eligible", &in.eligible) ||
        http_body_euros(r, "requested_subsidy", &in.req_subsidy) ||
        http_body_euros(r, "requested_advance", &in.req_advance) ||
        http_body_whole(r, "jobs_created", 0, 1000000, -1, &in.jobs_created) ||
        http_body_whole(r, "jobs_kept", 0, 1000000, -1, &in.jobs_kept))
        return 0;
    /* An amount not given is kept. */
    const char *names[] = {"cost", "eligible", "requested_subsidy", "requested_advance"};
    int64_t *values[] = {&in.cost, &in.eligible, &in.req_subsidy, &in.req_advance};
    for (size_t i = 0; i < 4; i++)
        if (!http_body_text(r, names[i]) || !*http_body_text(r, names[i])) *values[i] = -1;
    json_t *j = NULL;
    ml_err e = ml_project_edit(r->db, http_request_actor(r), http_path_id(r, "project"), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_project(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_project_show(r->db, http_request_actor(r), http_path_id(r, "project"),
                               http_arg(r, "at"), &j);
    return http_answer(r, e, j, 200);
}

int h_project_stage(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_project_move(r->db, http_request_actor(r), http_path_id(r, "project"),
                               http_body_text(r, "stage"), &j);
    return http_answer(r, e, j, 201);
}

int h_project_decision(request *r)
{
    ml_decision_in in = {.project = http_path_id(r, "project"),
                         .date = http_body_text(r, "date"),
                         .funder = http_body_text(r, "funder")};
    int64_t deferral, instalments, every;
    if (http_body_euros(r, "subsidy", &in.subsidy) || http_body_euros(r, "advance", &in.advance) ||
        http_body_whole(r, "deferral", 0, 600, 0, &deferral) ||
        http_body_whole(r, "instalments", 1, 240, 1, &instalments) ||
        http_body_whole(r, "every", 1, 600, 3, &every))
        return 0;
    in.deferral = (int)deferral;
    in.instalments = (int)instalments;
    in.every = (int)every;
    /* Other instruments: "loan=50000;guarantee=20000". */
    ml_aid_line aid[8];
    char names[8][32];
    size_t n = 0;
    for (const char *p = http_body_text(r, "aid"); p && *p;) {
        size_t len = strcspn(p, ";");
        const char *eq = memchr(p, '=', len);
        char amount[40];
        size_t k = eq ? (size_t)(eq - p) : 0, m = eq ? len - k - 1 : 0;
        if (n == 8 || !eq || !k || k >= sizeof names[n] || m >= sizeof amount)
            return http_problem(r, 400, "Invalid request",
                                "field 'aid': INSTRUMENT=EUROS separated by ';' (at most 8)");
        memcpy(names[n], p, k);
        names[n][k] = '\0';
        memcpy(amount, eq + 1, m);
        amount[m] = '\0';
        if (ml_euros_parse(amount, &aid[n].amount) != 0)
            return http_problem(r, 400, "Invalid request",
                                "field 'aid': INSTRUMENT=EUROS separated by ';' (at most 8)");
        aid[n].instrument = names[n];
        n++;
        p += len + (p[len] == ';');
    }
    in.aid = aid;
    in.naid = n;
    json_t *j = NULL;
    ml_err e = ml_project_decide(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_project_entry(request *r)
{
    ml_entry_in in = {.project = http_path_id(r, "project"),
                      .kind = http_body_text(r, "kind"),
                      .instrument = http_body_text(r, "instrument"),
                      .date = http_body_text(r, "date"),
                      .note = http_body_text(r, "note")};
    if (http_body_euros(r, "amount", &in.amount)) return 0;
    json_t *j = NULL;
    ml_err e = ml_ledger_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

/* ------------------------------------------------------------ the specs */

#define PROGRAMME_PATH                                                                             \
    {                                                                                              \
        "programme", "path", P_STRING, 0, 200, true, "the programme's id or name"                  \
    }
#define PROJECT_PATH                                                                               \
    {                                                                                              \
        "project", "path", P_INT, 1, 2147483647, true, "the project's id"                          \
    }
#define AT_QUERY                                                                                   \
    {                                                                                              \
        "at", "query", P_DATE, 0, 0, false, "the day (default today)"                              \
    }
#define END                                                                                        \
    {                                                                                              \
        NULL, NULL, P_STRING, 0, 0, false, NULL                                                    \
    }

const param_spec p_prog_none[] = {END};
const param_spec p_prog[] = {PROGRAMME_PATH, END};
const param_spec p_prog_position[] = {PROGRAMME_PATH, AT_QUERY, END};
const param_spec p_prog_projects[] = {
    PROGRAMME_PATH,
    AT_QUERY,
    {"stale", "query", P_BOOL, 0, 0, false,
     "only the projects not decided and neither moved nor edited in the 30 days before `at`"},
    END};
const param_spec p_prog_project[] = {PROJECT_PATH, END};
const param_spec p_prog_project_at[] = {PROJECT_PATH, AT_QUERY, END};

#define LAST                                                                                       \
    {                                                                                              \
        NULL, P_STRING, false, NULL, NULL, NULL                                                    \
    }
static const body_field f_programme[] = {
    {"name", P_STRING, true, NULL, "its name (unique)", "Rebond industriel"},
    {"territory", P_STRING, false, NULL, "a territory code (commune, EPCI, département...)", "13"},
    {"start", P_DATE, false, NULL, "the period's first day", "2026-01-01"},
    {"end", P_DATE, false, NULL, "the period's last day", "2026-12-31"},
    {"subsidy", P_STRING, false, NULL, "the subsidy envelope, euros", "1000000"},
    {"advance", P_STRING, false, NULL, "the repayable advance envelope, euros", "500000"},
    {"max_per_project", P_STRING, false, NULL, "the most one project may get, euros", "300000"},
    {"revolving", P_STRING, false, "yes|no", "repayments flow back into the advance envelope",
     "yes"},
    {"funder", P_STRING, false, NULL, "who funds the envelopes", "Région"},
    LAST};
const body_spec b_programme = {"Programme", "a programme and its envelopes", f_programme};
#define PROJECT_TYPES "investment|rd|industrialisation|recruitment|training|export|collaborative_rd"
static const body_field f_project[] = {
    {"siret", P_SIRET, true, NULL, "the firm's establishment", NULL},
    {"title", P_STRING, true, NULL, "the project's title", "Ligne robotisée"},
    {"type", P_STRING, false, PROJECT_TYPES,
     "what kind of project (collaborative_rd: a pole's R&D project with partners and TRL)",
     "collaborative_rd"},
    {"description", P_STRING, false, NULL, "what it is", "Une ligne d'assemblage robotisée"},
    {"cost", P_STRING, true, NULL, "total cost, euros", "400000"},
    {"eligible", P_STRING, false, NULL, "eligible expenses, euros (default: the cost)", "350000"},
    {"jobs_created", P_STRING, false, NULL, "jobs created", "5"},
    {"jobs_kept", P_STRING, false, NULL, "jobs kept", "20"},
    {"requested_subsidy", P_STRING, false, NULL, "subsidy requested, euros", "100000"},
    {"requested_advance", P_STRING, false, NULL, "advance requested, euros", "150000"},
    LAST};
const body_spec b_project = {"Project", "a firm's project in a programme", f_project};
static const body_field f_project_edit[] = {
    {"title", P_STRING, false, NULL, "the project's title", "Ligne robotisée (phase 1)"},
    {"type", P_STRING, false, PROJECT_TYPES, "what kind of project", "collaborative_rd"},
    {"description", P_STRING, false, NULL, "what it is", "Première tranche"},
    {"cost", P_STRING, false, NULL, "total cost, euros", "380000"},
    {"eligible", P_STRING, false, NULL, "eligible expenses, euros", "340000"},
    {"jobs_created", P_STRING, false, NULL, "jobs created", "4"},
    {"jobs_kept", P_STRING, false, NULL, "jobs kept", "20"},
    {"requested_subsidy", P_STRING, false, NULL, "subsidy requested, euros", "90000"},
    {"requested_advance", P_STRING, false, NULL, "advance requested, euros", "150000"},
    LAST};
const body_spec b_project_edit = {"ProjectUpdate",
                                  "the fields of a project to change (before the decision; "
                                  "after it, only title and description)",
                                  f_project_edit};
static const body_field f_interview[] = {
    {"siret", P_SIRET, true, NULL, "the establishment met", NULL},
    {"date", P_DATE, false, NULL, "the visit's day (default today)", "2026-02-10"},
    {"scores", P_STRING, false, NULL,
     "the needs grid, 0 (none) to 3 (pressing): skills, land, access, ecosystem, innovation, "
     "digital, transition, finance, export",
     "skills=3,land=1,finance=2"},
    {"flags", P_STRING, false, NULL, "red flags: succession, key_customer, site_at_risk",
     "succession"},
    {"notes", P_STRING, false, NULL, "free notes", "Visite de l'atelier"},
    {"visit", P_STRING, false, NULL,
     "the planned visit it records (a campaign firm's id): the visit is then done and its days "
     "consumed",
     ""},
    LAST};
const body_spec b_interview = {"Interview", "an interview of a firm on the needs grid",
                               f_interview};
static const body_field f_project_stage[] = {
    {"stage", P_STRING, true,
     "detected|qualified|routed|applied|instructed|committee|signed|paid|completed|followed|"
     "rejected|abandoned",
     "the stage to move to (one on or back before the decision)", "qualified"},
    LAST};
const body_spec b_project_stage = {"ProjectStage", "a project's next stage", f_project_stage};
static const body_field f_decision[] = {
    {"date", P_DATE, false, NULL, "the decision's day (default today)", "2026-03-31"},
    {"subsidy", P_STRING, false, NULL, "subsidy granted, euros", "100000"},
    {"advance", P_STRING, false, NULL, "advance granted, euros", "150000"},
    {"deferral", P_STRING, false, NULL, "months to the first instalment", "12"},
    {"instalments", P_STRING, false, NULL, "instalments of the advance", "4"},
    {"every", P_STRING, false, NULL, "months between instalments", "6"},
    {"funder", P_STRING, false, NULL, "the envelopes' funder when several", "Région"},
    {"aid", P_STRING, false, NULL,
     "aid of other instruments, euros: \"loan=50000;guarantee=20000\" (a loan is repaid on the "
     "same schedule)",
     ""},
    LAST};
const body_spec b_decision = {"Decision", "the aid granted to a project", f_decision};
static const body_field f_entry[] = {
    {"kind", P_STRING, true, "pay|repay|cancel", "what the entry is", "pay"},
    {"amount", P_STRING, true, NULL, "euros", "1000"},
    {"instrument", P_STRING, false, NULL, "subsidy, advance...: when the project has several",
     "subsidy"},
    {"date", P_DATE, false, NULL, "its day (default today)", "2026-04-15"},
    {"note", P_STRING, false, NULL, "a note", "premier versement"},
    LAST};
const body_spec b_entry = {"LedgerEntry", "a payment, repayment or cancellation", f_entry};

#define OBJ(req) "{\"type\":\"object\",\"required\":" req "}"
const char s_prog_list[] = OBJ("[\"programmes\"]");
const char s_prog[] = OBJ("[\"id\",\"name\",\"role\",\"envelopes\",\"organisations\"]");
const char s_prog_position[] = OBJ("[\"programme\",\"at\",\"envelopes\",\"total\"]");
const char s_prog_impact[] =
    OBJ("[\"programme\",\"at\",\"projects_decided\",\"aid\",\"leverage\",\"repayments\"]");
const char s_prog_interviews[] = OBJ("[\"programme\",\"interviews\"]");
const char s_prog_interview[] = OBJ("[\"id\",\"siret\",\"date\",\"scores\",\"flags\"]");
const char s_prog_synthesis[] =
    OBJ("[\"interviews\",\"firms\",\"needs\",\"by_sector\",\"red_flags\",\"projects_by_type\"]");
const char s_prog_committee[] = OBJ("[\"programme\",\"at\",\"projects\",\"envelopes\"]");
const char s_prog_ledger[] = OBJ("[\"programme\",\"entries\"]");
const char s_prog_projects[] = OBJ("[\"programme\",\"stages\",\"projects\"]");
const char s_prog_project[] = OBJ("[\"id\",\"stage\",\"siret\",\"entries\",\"schedule\"]");

/* ---------------------------------------------- campaigns and roadmaps */

/* Person-days of the body as tenths (absent: 0); -1 with a 400 answered. */
static int tenths(request *r, const char *name, int64_t *out)
{
    const char *v = http_body_text(r, name);
    *out = 0;
    if (!v || !*v) return 0;
    int64_t units = 0, frac = 0;
    const char *dot = strpbrk(v, ".,");
    size_t n = dot ? (size_t)(dot - v) : strlen(v);
    if (ml_parse_i64(v, n, 0, 10000, &units) == 0 &&
        (!dot || ml_parse_i64(dot + 1, strlen(dot + 1), 0, 9, &frac) == 0) &&
        units * 10 + frac > 0) {
        *out = units * 10 + frac;
        return 0;
    }
    http_problem(r, 400, "Invalid request",
                 "field '%s': person-days as text, one decimal at most (\"1\", \"0.5\")", name);
    return -1;
}

int h_campaigns(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_campaign_list(r->db, http_request_actor(r), http_path_param(r, "programme"), &j);
    return http_answer(r, e, j, 200);
}

int h_campaign_add(request *r)
{
    ml_campaign_in in = {.programme = http_path_param(r, "programme"),
                         .name = http_body_text(r, "name"),
                         .start = http_body_text(r, "start"),
                         .end = http_body_text(r, "end")};
    json_t *j = NULL;
    ml_err e = ml_campaign_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_campaign(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_campaign_show(r->db, http_request_actor(r), http_path_id(r, "campaign"), &j);
    return http_answer(r, e, j, 200);
}

int h_campaign_suggestions(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_campaign_suggest(r->db, http_request_actor(r), http_path_id(r, "campaign"),
                                   (unsigned)http_arg_int(r, "top", 0), false, &j);
    return http_answer(r, e, j, 200);
}

int h_campaign_suggestions_save(request *r)
{
    int64_t top;
    if (http_body_whole(r, "top", 1, 500, 0, &top)) return 0;
    json_t *j = NULL;
    ml_err e = ml_campaign_suggest(r->db, http_request_actor(r), http_path_id(r, "campaign"),
                                   (unsigned)top, true, &j);
    return http_answer(r, e, j, 201);
}

int h_campaign_firm_add(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_campaign_firm_add(r->db, http_request_actor(r), http_path_id(r, "campaign"),
                                    http_body_text(r, "siret"), http_body_text(r, "reason"), &j);
    return http_answer(r, e, j, 201);
}

int h_campaign_firm_remove(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_campaign_firm_remove(r->db, http_request_actor(r), http_path_id(r, "campaign"),
                                       http_body_text(r, "siret"), http_body_text(r, "reason"), &j);
    return http_answer(r, e, j, 201);
}

int h_campaign_visit(request *r)
{
    ml_visit_in in = {.siret = http_body_text(r, "siret"),
                      .date = http_body_text(r, "date"),
                      .time = http_body_text(r, "time"),
                      .consultant = http_body_text(r, "consultant")};
    if (tenths(r, "days", &in.tenths)) return 0;
    json_t *j = NULL;
    ml_err e =
        ml_campaign_visit(r->db, http_request_actor(r), http_path_id(r, "campaign"), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_campaign_status(request *r)
{
    int64_t t;
    if (tenths(r, "days", &t)) return 0;
    json_t *j = NULL;
    ml_err e = ml_campaign_status(r->db, http_request_actor(r), http_path_id(r, "campaign"),
                                  http_body_text(r, "siret"), http_body_text(r, "status"), t, &j);
    return http_answer(r, e, j, 201);
}

int h_campaign_workshop(request *r)
{
    int64_t t;
    if (tenths(r, "days", &t)) return 0;
    json_t *j = NULL;
    ml_err e = ml_campaign_workshop(r->db, http_request_actor(r), http_path_id(r, "campaign"),
                                    http_body_text(r, "title"), http_body_text(r, "date"), t, &j);
    return http_answer(r, e, j, 201);
}

int h_campaign_synthesis(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_campaign_synthesis(r->db, http_request_actor(r), http_path_id(r, "campaign"), &j);
    return http_answer(r, e, j, 200);
}

int h_engineering(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_programme_engineering_position(r->db, http_request_actor(r),
                                                 http_path_param(r, "programme"), &j);
    return http_answer(r, e, j, 200);
}

int h_engineering_set(request *r)
{
    int64_t t;
    if (tenths(r, "days", &t)) return 0;
    json_t *j = NULL;
    ml_err e = ml_programme_engineering(r->db, http_request_actor(r),
                                        http_path_param(r, "programme"), t, &j);
    return http_answer(r, e, j, 201);
}

int h_interview_project(request *r)
{
    ml_project_in in = {.type = http_body_text(r, "type"),
                        .title = http_body_text(r, "title"),
                        .description = http_body_text(r, "description")};
    if (http_body_euros(r, "cost", &in.cost) || http_body_euros(r, "eligible", &in.eligible) ||
        http_body_euros(r, "requested_subsidy", &in.req_subsidy) ||
        http_body_euros(r, "requested_advance", &in.req_advance) ||
        http_body_whole(r, "jobs_created", 0, 1000000, 0, &in.jobs_created) ||
        http_body_whole(r, "jobs_kept", 0, 1000000, 0, &in.jobs_kept))
        return 0;
    json_t *j = NULL;
    ml_err e =
        ml_interview_project(r->db, http_request_actor(r), http_path_id(r, "interview"), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_actions(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_action_list(r->db, http_request_actor(r), http_path_param(r, "programme"), &j);
    return http_answer(r, e, j, 200);
}

int h_action_add(request *r)
{
    ml_action_in in = {.programme = http_path_param(r, "programme"),
                       .title = http_body_text(r, "title"),
                       .owner = http_body_text(r, "owner"),
                       .due = http_body_text(r, "due"),
                       .need = http_body_text(r, "need")};
    if (http_body_whole(r, "project", 1, INT64_MAX, 0, &in.project) ||
        http_body_whole(r, "campaign", 1, INT64_MAX, 0, &in.campaign))
        return 0;
    json_t *j = NULL;
    ml_err e = ml_action_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_action_state(request *r)
{
    const char *state = http_body_text(r, "state");
    json_t *j = NULL;
    ml_err e = ml_action_done(r->db, http_request_actor(r), http_path_id(r, "action"),
                              state && strcmp(state, "done") == 0, &j);
    return http_answer(r, e, j, 201);
}

/* The roadmap document written to a temporary file, sent back as
 * feuille-de-route-<programme>-<date>.pdf or .docx. */
static int send_roadmap(request *r, ml_doc_format fmt)
{
    const char *prog = http_path_param(r, "programme");
    json_t *doc = NULL;
    ml_err e = ml_roadmap_document(r->db, http_request_actor(r), prog, &doc);
    if (e) return http_error(r, e);
    char tmpl[] = "/tmp/maillage-roadmap-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        json_decref(doc);
        return http_problem(r, 500, "Internal error", "cannot create a temporary file");
    }
    close(fd);
    char name[256];
    ml_export_filename(name, sizeof name, "feuille-de-route",
                       json_string_value(json_object_get(doc, "programme")), ML_EXPORT_CSV);
    size_t n = strlen(name);
    if (n > 4 && strcmp(name + n - 4, ".csv") == 0)
        ml_snprintf(name + n - 4, sizeof name - (n - 4), "%s",
                    fmt == ML_DOC_PDF ? ".pdf" : ".docx");
    e = ml_export_roadmap(http_ctx(r), doc, fmt, tmpl);
    json_decref(doc);
    return http_send_temp(r, e, tmpl,
                           fmt == ML_DOC_PDF ? "application/pdf"
                                             : "application/"
                                               "vnd.openxmlformats-officedocument."
                                               "wordprocessingml.document",
                           name);
}

int h_roadmap_pdf(request *r)
{
    return send_roadmap(r, ML_DOC_PDF);
}

int h_roadmap_docx(request *r)
{
    return send_roadmap(r, ML_DOC_DOCX);
}

#define CAMPAIGN_PATH                                                                              \
    {                                                                                              \
        "campaign", "path", P_INT, 1, 2147483647, true, "the campaign's id"                        \
    }
const param_spec p_campaign[] = {CAMPAIGN_PATH, END};
const param_spec p_campaign_top[] = {
    CAMPAIGN_PATH, {"top", "query", P_INT, 1, 500, false, "suggestions given (default 30)"}, END};
const param_spec p_interview[] = {
    {"interview", "path", P_INT, 1, 2147483647, true, "the interview's id"}, END};
const param_spec p_action[] = {{"action", "path", P_INT, 1, 2147483647, true, "the action's id"},
                               END};

static const body_field f_campaign[] = {
    {"name", P_STRING, true, NULL, "its name (unique in the programme)", "Première vague"},
    {"start", P_DATE, false, NULL, "its first day", "2026-01-05"},
    {"end", P_DATE, false, NULL, "its last day", "2026-03-31"},
    LAST};
const body_spec b_campaign = {"Campaign", "an interview campaign of a programme", f_campaign};
static const body_field f_suggest[] = {
    {"top", P_STRING, false, NULL, "the best N suggestions put on the list (default 30)", "20"},
    LAST};
const body_spec b_suggest = {"CampaignSuggestions", "the suggestions to put on the campaign's list",
                             f_suggest};
static const body_field f_campaign_firm[] = {
    {"siret", P_SIRET, true, NULL, "the establishment", NULL},
    {"reason", P_STRING, false, NULL, "why it is added (required) or removed",
     "signalée par la CCI"},
    LAST};
const body_spec b_campaign_firm = {"CampaignFirm", "a firm added to or removed from the list",
                                   f_campaign_firm};
static const body_field f_visit[] = {
    {"siret", P_SIRET, true, NULL, "the establishment on the list", NULL},
    {"date", P_DATE, true, NULL, "the visit's day", "2026-01-12"},
    {"time", P_STRING, false, NULL, "its time, HH:MM", "09:30"},
    {"consultant", P_STRING, false, NULL, "who visits", "A. Martin"},
    {"days", P_STRING, false, NULL, "person-days it takes (default 1)", "1"},
    LAST};
const body_spec b_visit = {"Visit", "a planned visit (days reserved on the engineering budget)",
                           f_visit};
static const body_field f_visit_status[] = {
    {"siret", P_SIRET, true, NULL, "the establishment on the list", NULL},
    {"status", P_STRING, true, "to_contact|planned|done|declined",
     "the visit's status (done consumes its days)", "declined"},
    {"days", P_STRING, false, NULL, "person-days consumed (default: as planned, or 1)", "1"},
    LAST};
const body_spec b_visit_status = {"VisitStatus", "a visit's status", f_visit_status};
static const body_field f_workshop[] = {
    {"title", P_STRING, true, NULL, "the workshop", "Atelier compétences"},
    {"date", P_DATE, false, NULL, "its day (default today)", "2026-02-03"},
    {"days", P_STRING, true, NULL, "person-days it consumes", "0.5"},
    LAST};
const body_spec b_workshop = {"Workshop", "a workshop consuming engineering days", f_workshop};
static const body_field f_engineering[] = {
    {"days", P_STRING, true, NULL, "the engineering budget, person-days", "100"}, LAST};
const body_spec b_engineering = {"EngineeringBudget", "a programme's engineering budget",
                                 f_engineering};
static const body_field f_interview_project[] = {
    {"title", P_STRING, true, NULL, "the project's title", "Ligne robotisée"},
    {"type", P_STRING, false, "investment|rd|industrialisation|recruitment|training|export",
     "what kind of project", "investment"},
    {"description", P_STRING, false, NULL, "what it is", "Détecté pendant la visite"},
    {"cost", P_STRING, true, NULL, "total cost, euros", "400000"},
    {"eligible", P_STRING, false, NULL, "eligible expenses, euros", "350000"},
    {"jobs_created", P_STRING, false, NULL, "jobs created", "5"},
    {"jobs_kept", P_STRING, false, NULL, "jobs kept", "20"},
    {"requested_subsidy", P_STRING, false, NULL, "subsidy requested, euros", "100000"},
    {"requested_advance", P_STRING, false, NULL, "advance requested, euros", "150000"},
    LAST};
const body_spec b_interview_project = {
    "InterviewProject", "a project detected during an interview (its firm)", f_interview_project};
static const body_field f_action[] = {
    {"title", P_STRING, true, NULL, "the action", "Monter un groupement d'employeurs"},
    {"owner", P_STRING, false, NULL, "who carries it", "Agence"},
    {"due", P_DATE, false, NULL, "its due day", "2026-06-30"},
    {"project", P_STRING, false, NULL, "the programme's project it serves (id)", ""},
    {"need", P_STRING, false,
     "skills|land|access|ecosystem|innovation|digital|transition|finance|export",
     "the need of the grid it answers", "skills"},
    {"campaign", P_STRING, false, NULL, "the campaign it comes from (id)", ""},
    LAST};
const body_spec b_action = {"RoadmapAction", "an action of the roadmap", f_action};
static const body_field f_action_state[] = {
    {"state", P_STRING, true, "open|done", "the action's state", "done"}, LAST};
const body_spec b_action_state = {"RoadmapActionState", "an action done or open again",
                                  f_action_state};

const char s_campaigns[] = OBJ("[\"programme\",\"campaigns\",\"engineering\"]");
const char s_campaign[] =
    OBJ("[\"id\",\"name\",\"firms\",\"removed\",\"workshops\",\"engineering\"]");
const char s_campaign_suggest[] = OBJ("[\"campaign\",\"considered\",\"suggestions\",\"method\"]");
const char s_campaign_firm[] = OBJ("[\"id\",\"siret\",\"status\",\"source\"]");
const char s_workshop[] = OBJ("[\"id\",\"title\",\"day\",\"tenths\"]");
const char s_engineering[] = OBJ("[\"programme\",\"engineering\"]");
const char s_actions[] = OBJ("[\"programme\",\"actions\"]");
const char s_action[] = OBJ("[\"id\",\"title\",\"state\"]");
