/* api_committee.c — the handlers of aid schemes, routing and committees
 * under /api/v1 (issue 13 parts 3 and 5). Each calls the library as the
 * request's actor: which programme it may read or change is decided there
 * (a committee member's organisation reads, an officer's writes). Amounts
 * in bodies are euros as text, as the command line takes them; answers give
 * integer cents. Bodies were checked against their body_spec before a
 * handler runs. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "api_committee.h"

/* ----------------------------------------------------- schemes, routes */

int h_schemes(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_scheme_list(r->db, http_request_actor(r), &j);
    return http_answer(r, e, j, 200);
}

int h_project_schemes(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_project_schemes(r->db, http_request_actor(r), http_path_id(r, "project"),
                                  http_arg(r, "at"), &j);
    return http_answer(r, e, j, 200);
}

int h_project_route(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_project_route(r->db, http_request_actor(r), http_path_id(r, "project"),
                                http_body_text(r, "scheme"), http_body_text(r, "date"),
                                http_body_text(r, "note"), &j);
    return http_answer(r, e, j, 201);
}

/* ------------------------------------------------------------ committees */

int h_committees(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_committee_list(r->db, http_request_actor(r), http_path_param(r, "programme"), &j);
    return http_answer(r, e, j, 200);
}

#define MEMBERS_MAX 40

int h_committee_add(request *r)
{
    /* members: "NAME|ORGANISATION|ROLE;NAME|ORGANISATION|ROLE" */
    ml_committee_member m[MEMBERS_MAX];
    char buf[MEMBERS_MAX][3][201];
    size_t n = 0;
    for (const char *p = http_body_text(r, "members"); p && *p;) {
        if (n == MEMBERS_MAX)
            return http_problem(r, 400, "Invalid request", "field 'members': at most %d",
                                MEMBERS_MAX);
        for (int k = 0; k < 3; k++) {
            size_t len = strcspn(p, k < 2 ? "|;" : ";");
            if ((k < 2 && p[len] != '|') || len > 200)
                return http_problem(r, 400, "Invalid request",
                                    "field 'members': NAME|ORGANISATION|ROLE separated by ';'");
            memcpy(buf[n][k], p, len);
            buf[n][k][len] = '\0';
            p += len + (p[len] != '\0');
        }
        m[n] = (ml_committee_member){buf[n][0], buf[n][1], buf[n][2]};
        n++;
    }
    ml_committee_in in = {.programme = http_path_param(r, "programme"),
                          .date = http_body_text(r, "date"),
                          .place = http_body_text(r, "place"),
                          .members = m,
                          .nmembers = n};
    json_t *j = NULL;
    ml_err e = ml_committee_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_committee(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_committee_show(r->db, http_request_actor(r), http_path_id(r, "committee"), &j);
    return http_answer(r, e, j, 200);
}

int h_committee_order(request *r)
{
    int64_t ids[500];
    size_t n = 0;
    for (const char *p = http_body_text(r, "projects"); p && *p;) {
        size_t len = strcspn(p, ",");
        if (n == 500 || ml_parse_i64(p, len, 1, INT64_MAX, &ids[n]) != 0)
            return http_problem(r, 400, "Invalid request",
                                "field 'projects': project ids separated by ',' (at most 500)");
        n++;
        p += len + (p[len] == ',');
    }
    json_t *j = NULL;
    ml_err e =
        ml_committee_order(r->db, http_request_actor(r), http_path_id(r, "committee"), ids, n, &j);
    return http_answer(r, e, j, 201);
}

int h_committee_vote(request *r)
{
    int64_t project;
    if (http_body_whole(r, "project", 1, INT64_MAX, 0, &project)) return 0;
    json_t *j = NULL;
    ml_err e =
        ml_committee_vote(r->db, http_request_actor(r), http_path_id(r, "committee"), project,
                          http_body_text(r, "member"), http_body_text(r, "vote"), &j);
    return http_answer(r, e, j, 201);
}

int h_committee_decision(request *r)
{
    int64_t project, deferral, instalments, every;
    ml_committee_decision_in in = {.committee = http_path_id(r, "committee"),
                                   .reason = http_body_text(r, "reason")};
    const char *d = http_body_text(r, "decision");
    in.grant = d && strcmp(d, "grant") == 0;
    if (http_body_whole(r, "project", 1, INT64_MAX, 0, &project) ||
        http_body_euros(r, "subsidy", &in.aid.subsidy) ||
        http_body_euros(r, "advance", &in.aid.advance) ||
        http_body_whole(r, "deferral", 0, 600, 0, &deferral) ||
        http_body_whole(r, "instalments", 1, 240, 1, &instalments) ||
        http_body_whole(r, "every", 1, 600, 3, &every))
        return 0;
    in.project = project;
    in.aid.deferral = (int)deferral;
    in.aid.instalments = (int)instalments;
    in.aid.every = (int)every;
    json_t *j = NULL;
    ml_err e = ml_committee_decide(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

/* A committee's document as PDF, written to a temporary file and sent. */
static int send_document(request *r, const char *what, const char *kind)
{
    json_t *j = NULL;
    ml_err e = ml_committee_show(r->db, http_request_actor(r), http_path_id(r, "committee"), &j);
    if (e) return http_error(r, e);
    char tmpl[] = "/tmp/maillage-committee-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        json_decref(j);
        return http_problem(r, 500, "Internal error", "cannot create a temporary file");
    }
    close(fd);
    char name[256], label[300];
    ml_snprintf(label, sizeof label, "%s-%s",
                json_string_value(json_object_get(j, "programme_name")),
                json_string_value(json_object_get(j, "day")));
    ml_export_filename(name, sizeof name, kind, label, ML_EXPORT_CSV);
    size_t n = strlen(name);
    if (n > 4 && strcmp(name + n - 4, ".csv") == 0) memcpy(name + n - 4, ".pdf", 4);
    e = ml_export_committee_pdf(http_ctx(r), j, what, tmpl);
    json_decref(j);
    return http_send_temp(r, e, tmpl, "application/pdf", name);
}

int h_committee_minutes(request *r)
{
    return send_document(r, "minutes", "proces-verbal");
}

int h_committee_letters(request *r)
{
    return send_document(r, "letters", "notifications");
}

int h_committee_pack(request *r)
{
    return send_document(r, "pack", "dossier-comite");
}

/* ------------------------------------------------------------ the specs */

#define END                                                                                        \
    {                                                                                              \
        NULL, NULL, P_STRING, 0, 0, false, NULL                                                    \
    }
const param_spec p_com_none[] = {END};
const param_spec p_com_prog[] = {
    {"programme", "path", P_STRING, 0, 200, true, "the programme's id or name"}, END};
const param_spec p_com_project[] = {
    {"project", "path", P_INT, 1, 2147483647, true, "the project's id"}, END};
const param_spec p_com_project_at[] = {
    {"project", "path", P_INT, 1, 2147483647, true, "the project's id"},
    {"at", "query", P_DATE, 0, 0, false, "the day the conditions are read on (default today)"},
    END};
const param_spec p_com_id[] = {
    {"committee", "path", P_INT, 1, 2147483647, true, "the committee's id"}, END};

#define LAST                                                                                       \
    {                                                                                              \
        NULL, P_STRING, false, NULL, NULL, NULL                                                    \
    }
static const body_field f_route[] = {
    {"scheme", P_STRING, true, NULL, "the scheme's id in the catalogue", "maillage-bpi-pret-vert"},
    {"date", P_DATE, false, NULL, "the routing's day (default today)", "2026-02-01"},
    {"note", P_STRING, false, NULL, "a note", "dossier transmis"},
    LAST};
const body_spec b_com_route = {"SchemeRoute", "a project routed to an aid scheme", f_route};
static const body_field f_committee[] = {
    {"date", P_DATE, true, NULL, "the meeting's day", "2026-03-31"},
    {"place", P_STRING, false, NULL, "where it meets", "Hôtel de Région"},
    {"members", P_STRING, true, NULL,
     "the members: NAME|ORGANISATION|ROLE separated by ';' (1 to 40)",
     "Anne Martin|Région|présidente;Paul Roux|Bpifrance|membre"},
    LAST};
const body_spec b_committee = {"Committee",
                               "a committee meeting; its agenda: the projects instructed or at "
                               "the committee stage",
                               f_committee};
static const body_field f_order[] = {
    {"projects", P_STRING, true, NULL,
     "project ids in their new order, separated by ','; the others follow", "2,1"},
    LAST};
const body_spec b_com_order = {"CommitteeOrder", "the agenda's order", f_order};
static const body_field f_vote[] = {
    {"project", P_STRING, true, NULL, "a project of the agenda (its id)", "1"},
    {"member", P_STRING, true, NULL, "a member (its name or its number)", "1"},
    {"vote", P_STRING, true, "for|against|abstain", "the vote", "for"},
    LAST};
const body_spec b_com_vote = {"CommitteeVote", "a member's vote on a project", f_vote};
static const body_field f_decision[] = {
    {"project", P_STRING, true, NULL, "a project of the agenda (its id)", "1"},
    {"decision", P_STRING, true, "grant|refuse", "grant the aid given, or refuse", "grant"},
    {"reason", P_STRING, false, NULL, "why (required to refuse)", "Projet structurant"},
    {"subsidy", P_STRING, false, NULL, "subsidy granted, euros", "100000"},
    {"advance", P_STRING, false, NULL, "advance granted, euros", "50000"},
    {"deferral", P_STRING, false, NULL, "months to the first instalment", "12"},
    {"instalments", P_STRING, false, NULL, "instalments of the advance", "4"},
    {"every", P_STRING, false, NULL, "months between instalments", "6"},
    LAST};
const body_spec b_com_decision = {
    "CommitteeDecision", "the committee's decision on a project of its agenda", f_decision};

#define OBJ(req) "{\"type\":\"object\",\"required\":" req "}"
const char s_com_schemes[] = OBJ("[\"schemes\",\"note\"]");
const char s_com_eligible[] = OBJ("[\"project\",\"at\",\"schemes\",\"note\"]");
const char s_com_routes[] = OBJ("[\"project\",\"stage\",\"routes\"]");
const char s_com_list[] = OBJ("[\"programme\",\"committees\"]");
const char s_committee[] =
    OBJ("[\"id\",\"programme\",\"day\",\"held\",\"members\",\"agenda\",\"envelopes\"]");
