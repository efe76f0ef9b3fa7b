/* api_impact.c — the handlers of the impact follow-up and of the poles'
 * R&D projects under /api/v1 (issue 13 parts 6, 7): milestones, figures
 * recorded at them, follow-ups due, indicators; partners, TRL assessments,
 * needs and suggested manufacturers. Each calls the library as the
 * request's actor: which programmes it may read or change is decided there
 * (prog_open). Amounts in bodies are euros as text; answers give cents. */
#include "api_impact.h"

/* ---------------------------------------------------------------- impact */

int h_impact_milestones(request *r)
{
    int months[ML_MILESTONES_MAX];
    size_t n = 0;
    const char *p = http_body_text(r, "months");
    while (p && *p) {
        size_t len = strcspn(p, ",");
        int64_t v;
        if (n == ML_MILESTONES_MAX || ml_parse_i64(p, len, 1, 240, &v) != 0)
            return http_problem(r, 400, "Invalid request",
                                "field 'months': months after the decision separated by commas "
                                "(\"12,24,36\"), at most %d, each 1 to 240",
                                ML_MILESTONES_MAX);
        months[n++] = (int)v;
        p += len + (p[len] == ',');
    }
    json_t *j = NULL;
    ml_err e = ml_impact_milestones(r->db, http_request_actor(r), http_path_param(r, "programme"),
                                    months, n, &j);
    return http_answer(r, e, j, 201);
}

int h_impact_due(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_impact_due(r->db, http_request_actor(r), http_path_param(r, "programme"),
                             http_arg(r, "at"), http_arg_bool(r, "all", false), &j);
    return http_answer(r, e, j, 200);
}

int h_impact_report(request *r)
{
    const char *pr = http_arg(r, "project");
    int64_t project = 0;
    if (pr && *pr && ml_parse_i64(pr, strlen(pr), 1, INT64_MAX, &project) != 0)
        return http_problem(r, 400, "Invalid request", "parameter 'project': a project's id");
    json_t *j = NULL;
    ml_err e = ml_impact_report(r->db, http_request_actor(r), http_path_param(r, "programme"),
                                project, http_arg(r, "at"), &j);
    return http_answer(r, e, j, 200);
}

int h_impact_record(request *r)
{
    ml_impact_in in = {.project = http_path_id(r, "project"),
                       .date = http_body_text(r, "date"),
                       .note = http_body_text(r, "note")};
    int64_t months;
    const char *inv = http_body_text(r, "invested");
    if (http_body_whole(r, "months", 1, 240, 0, &months) ||
        http_body_whole(r, "jobs_created", 0, 1000000, 0, &in.jobs_created) ||
        http_body_whole(r, "jobs_kept", 0, 1000000, 0, &in.jobs_kept))
        return 0;
    if (!inv || ml_euros_parse(inv, &in.invested) != 0)
        return http_problem(r, 400, "Invalid request",
                            "field 'invested': an amount in euros as text (\"250000\")");
    in.months = (int)months;
    json_t *j = NULL;
    ml_err e = ml_impact_record(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

/* ----------------------------------------------------------------- poles */

int h_project_pole(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_project_pole(r->db, http_request_actor(r), http_path_id(r, "project"), &j);
    return http_answer(r, e, j, 200);
}

int h_project_partner_add(request *r)
{
    ml_partner_in in = {.project = http_path_id(r, "project"),
                        .siret = http_body_text(r, "siret"),
                        .name = http_body_text(r, "name"),
                        .kind = http_body_text(r, "kind"),
                        .role = http_body_text(r, "role")};
    json_t *j = NULL;
    ml_err e = ml_project_partner_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_project_partner_delete(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_project_partner_remove(r->db, http_request_actor(r), http_path_id(r, "project"),
                                         http_path_id(r, "partner"), &j);
    return http_answer(r, e, j, 200);
}

int h_project_trl_add(request *r)
{
    int64_t level;
    if (http_body_whole(r, "level", 1, 9, 0, &level)) return 0;
    json_t *j = NULL;
    ml_err e =
        ml_project_trl_add(r->db, http_request_actor(r), http_path_id(r, "project"),
                           http_body_text(r, "date"), (int)level, http_body_text(r, "note"), &j);
    return http_answer(r, e, j, 201);
}

int h_project_need_add(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_project_need_add(r->db, http_request_actor(r), http_path_id(r, "project"),
                                   http_body_text(r, "text"), http_body_text(r, "naf"), &j);
    return http_answer(r, e, j, 201);
}

int h_project_need_delete(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_project_need_remove(r->db, http_request_actor(r), http_path_id(r, "project"),
                                      http_path_id(r, "need"), &j);
    return http_answer(r, e, j, 200);
}

int h_project_suggest(request *r)
{
    const char *pn = http_arg(r, "per_need");
    int64_t per = 0;
    if (pn && *pn && ml_parse_i64(pn, strlen(pn), 1, 20, &per) != 0)
        return http_problem(r, 400, "Invalid request", "parameter 'per_need': 1 to 20");
    json_t *j = NULL;
    ml_err e = ml_project_suggest(r->db, http_request_actor(r), http_path_id(r, "project"),
                                  (unsigned)per, &j);
    return http_answer(r, e, j, 200);
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

const param_spec p_impact_due[] = {
    PROGRAMME_PATH,
    AT_QUERY,
    {"all", "query", P_BOOL, 0, 0, false, "also the follow-ups recorded and those to come"},
    END};
const param_spec p_impact_report[] = {
    PROGRAMME_PATH,
    AT_QUERY,
    {"project", "query", P_INT, 1, 2147483647, false, "one project only"},
    END};
const param_spec p_pole_partner[] = {
    PROJECT_PATH, {"partner", "path", P_INT, 1, 2147483647, true, "the partner's id"}, END};
const param_spec p_pole_need[] = {
    PROJECT_PATH, {"need", "path", P_INT, 1, 2147483647, true, "the need's id"}, END};
const param_spec p_pole_suggest[] = {
    PROJECT_PATH,
    {"per_need", "query", P_INT, 1, 20, false, "suggestions per need (default 5)"},
    END};

#define LAST                                                                                       \
    {                                                                                              \
        NULL, P_STRING, false, NULL, NULL, NULL                                                    \
    }
static const body_field f_milestones[] = {
    {"months", P_STRING, true, NULL, "months after each project's decision, separated by commas",
     "12,24,36"},
    LAST};
const body_spec b_impact_milestones = {"ImpactMilestones",
                                       "the follow-up milestones of a programme", f_milestones};
static const body_field f_record[] = {
    {"months", P_STRING, true, NULL, "the milestone the figures are for", "12"},
    {"date", P_DATE, false, NULL, "the day they were collected (default today)", "2027-03-20"},
    {"jobs_created", P_STRING, true, NULL, "jobs created since the decision", "3"},
    {"jobs_kept", P_STRING, true, NULL, "jobs kept", "10"},
    {"invested", P_STRING, true, NULL, "investment realised since the decision, euros", "250000"},
    {"note", P_STRING, false, NULL, "a note", "bilan à un an"},
    LAST};
const body_spec b_impact_record = {"ImpactFigures", "a project's figures at a milestone", f_record};
static const body_field f_partner[] = {
    {"siret", P_STRING, false, NULL,
     "a partner establishment of the register (its SIRET, checked by the library)",
     "91000001700012"},
    {"name", P_STRING, false, NULL, "a laboratory or organisation without a SIRET", "LAAS-CNRS"},
    {"kind", P_STRING, false, "firm|lab|other",
     "firm with a siret; lab (default) or other with a name", NULL},
    {"role", P_STRING, true, NULL, "its role in the project", "laboratoire"},
    LAST};
const body_spec b_pole_partner = {"Partner", "a partner of a collaborative R&D project", f_partner};
static const body_field f_trl[] = {
    {"level", P_STRING, true, NULL, "the TRL, 1 to 9", "6"},
    {"date", P_DATE, false, NULL, "the assessment's day (default today)", "2026-06-01"},
    {"note", P_STRING, false, NULL, "a note", "démonstrateur"},
    LAST};
const body_spec b_pole_trl = {"TrlAssessment", "a TRL assessment of an R&D project", f_trl};
static const body_field f_need[] = {
    {"text", P_STRING, false, NULL, "the part or capability needed", "usinage de précision"},
    {"naf", P_STRING, false, NULL, "a NAF code of the activity that makes it", "25.62A"},
    LAST};
const body_spec b_pole_need = {"ProjectNeed", "a part or capability an R&D project needs", f_need};

#define OBJ(req) "{\"type\":\"object\",\"required\":" req "}"
const char s_impact_milestones[] = OBJ("[\"programme\",\"milestones\"]");
const char s_impact_due[] = OBJ("[\"programme\",\"at\",\"milestones\",\"followups\",\"counts\"]");
const char s_impact_report[] = OBJ("[\"programme\",\"at\",\"projects\",\"total\"]");
const char s_pole[] = OBJ("[\"id\",\"type\",\"lead\",\"partners\",\"trl\",\"needs\"]");
const char s_pole_suggest[] = OBJ("[\"project\",\"trl_now\",\"needs\",\"suggestions\"]");
