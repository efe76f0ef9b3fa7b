/* api_event.c — the handlers of business conventions under /api/v1 (issue
 * 14): events, participants, requests, suggestions, the schedule, agendas
 * (JSON, iCalendar), the organiser's grid (Excel) and outcomes. Each calls
 * the library as the request's actor, which decides what it may read and
 * change; the personal agenda links are answered to whoever holds one.
 * Bodies were checked against their body_spec before a handler runs. */
#include <unistd.h>

#include "api_event.h"

static bool yes(request *r, const char *name)
{
    const char *v = http_body_text(r, name);
    return v && strcmp(v, "yes") == 0;
}

int h_events(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_list(r->db, http_request_actor(r), &j);
    return http_answer(r, e, j, 200);
}

int h_event_add(request *r)
{
    int64_t minutes = 0, slots = 0, tables = 0;
    if (http_body_whole(r, "slot_minutes", 5, 240, minutes, &minutes) ||
        http_body_whole(r, "slots", 1, 64, slots, &slots) ||
        http_body_whole(r, "tables", 1, 100000, tables, &tables))
        return 0;
    ml_event_in in = {.name = http_body_text(r, "name"),
                      .date = http_body_text(r, "date"),
                      .start = http_body_text(r, "start"),
                      .slot_minutes = (unsigned)minutes,
                      .slots = (unsigned)slots,
                      .tables = (unsigned)tables,
                      .two_sided = yes(r, "two_sided"),
                      .breaks = http_body_text(r, "breaks"),
                      .place = http_body_text(r, "place")};
    json_t *j = NULL;
    ml_err e = ml_event_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_event_show(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_show(r->db, http_request_actor(r), http_path_param(r, "event"), &j);
    return http_answer(r, e, j, 200);
}

int h_event_participant_add(request *r)
{
    int64_t max = 0;
    if (http_body_whole(r, "max_meetings", 1, 1000, max, &max)) return 0;
    ml_event_participant_in in = {.siret = http_body_text(r, "siret"),
                                  .guest = http_body_text(r, "guest"),
                                  .buyer = yes(r, "buyer"),
                                  .side = http_body_text(r, "side"),
                                  .slots = http_body_text(r, "slots"),
                                  .max_meetings = (unsigned)max};
    if (!in.siret && !in.guest)
        return http_problem(r, 400, "Invalid request",
                            "field 'siret': give an establishment's SIRET or a guest's name");
    json_t *j = NULL;
    ml_err e = ml_event_participant_add(r->db, http_request_actor(r), http_path_param(r, "event"),
                                        &in, &j);
    return http_answer(r, e, j, 201);
}

int h_event_participant_link(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_participant_link(r->db, http_request_actor(r), http_path_param(r, "event"),
                                         http_path_param(r, "participant"), &j);
    return http_answer(r, e, j, 201);
}

int h_event_request_add(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_request_add(r->db, http_request_actor(r), http_path_param(r, "event"),
                                    http_body_text(r, "a"), http_body_text(r, "b"),
                                    http_body_text(r, "priority"), http_body_text(r, "asked_by"),
                                    yes(r, "pending"), http_body_text(r, "reason"), &j);
    return http_answer(r, e, j, 201);
}

int h_event_request_accept(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_request_accept(r->db, http_request_actor(r), http_path_param(r, "event"),
                                       http_body_text(r, "a"), http_body_text(r, "b"), &j);
    return http_answer(r, e, j, 201);
}

int h_event_suggestions(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_suggest(r->db, http_request_actor(r), http_path_param(r, "event"), &j);
    return http_answer(r, e, j, 200);
}

int h_event_schedule(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_schedule(r->db, http_request_actor(r), http_path_param(r, "event"),
                                 http_body_text(r, "cancel"), &j);
    return http_answer(r, e, j, 201);
}

int h_event_lock(request *r)
{
    const char *locked = http_body_text(r, "locked");
    ml_err e = ml_event_lock(r->db, http_request_actor(r), http_path_param(r, "event"),
                             http_body_text(r, "a"), http_body_text(r, "b"),
                             !locked || strcmp(locked, "no") != 0);
    return http_answer(
        r, e, e ? NULL : json_pack("{s:b}", "locked", !locked || strcmp(locked, "no")), 201);
}

int h_event_agenda(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_agenda(r->db, http_request_actor(r), http_path_param(r, "event"),
                               http_path_param(r, "participant"), &j);
    return http_answer(r, e, j, 200);
}

static int send_ics(request *r, ml_err e, json_t *agenda)
{
    if (e) return http_error(r, e);
    char *text = NULL;
    size_t len = 0;
    e = ml_event_ics(http_ctx(r), agenda, &text, &len);
    json_decref(agenda);
    if (e) return http_error(r, e);
    return http_file_bytes(r, "text/calendar; charset=utf-8", "agenda.ics", text, len);
}

int h_event_agenda_ics(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_agenda(r->db, http_request_actor(r), http_path_param(r, "event"),
                               http_path_param(r, "participant"), &j);
    return send_ics(r, e, j);
}

int h_agenda_link(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_agenda_link(r->db, http_path_param(r, "token"), &j);
    return http_answer(r, e, j, 200);
}

int h_agenda_link_ics(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_agenda_link(r->db, http_path_param(r, "token"), &j);
    return send_ics(r, e, j);
}

int h_event_grid_xlsx(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_show(r->db, http_request_actor(r), http_path_param(r, "event"), &j);
    if (e) return http_error(r, e);
    char tmpl[] = "/tmp/maillage-event-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        json_decref(j);
        return http_problem(r, 500, "Internal error", "cannot create a temporary file");
    }
    close(fd);
    char name[256];
    ml_export_filename(name, sizeof name, "grille",
                       json_string_value(json_object_get(json_object_get(j, "event"), "name")),
                       ML_EXPORT_XLSX);
    e = ml_export_event_grid(http_ctx(r), j, ML_EXPORT_XLSX, tmpl);
    json_decref(j);
    return http_send_temp(
        r, e, tmpl, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
}

/* A PDF written by `write` from `j` (consumed) to a temporary file, sent
 * back as `kind`-<name>-<date>.pdf. */
typedef ml_err (*pdf_writer)(ml_ctx *ctx, json_t *j, const char *lang, const char *path);

static int send_pdf(request *r, ml_err e, json_t *j, pdf_writer write, const char *kind,
                    const char *name_of)
{
    if (e) return http_error(r, e);
    char tmpl[] = "/tmp/maillage-event-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        json_decref(j);
        return http_problem(r, 500, "Internal error", "cannot create a temporary file");
    }
    close(fd);
    char name[256];
    ml_export_filename(name, sizeof name, kind, name_of, ML_EXPORT_CSV);
    size_t n = strlen(name);
    if (n > 4 && strcmp(name + n - 4, ".csv") == 0) memcpy(name + n - 4, ".pdf", 4);
    e = write(http_ctx(r), j, http_arg(r, "lang"), tmpl);
    json_decref(j);
    return http_send_temp(r, e, tmpl, "application/pdf", name);
}

static const char *participant_name(json_t *agenda)
{
    return json_string_value(json_object_get(json_object_get(agenda, "participant"), "name"));
}

int h_event_agenda_pdf(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_agenda(r->db, http_request_actor(r), http_path_param(r, "event"),
                               http_path_param(r, "participant"), &j);
    return send_pdf(r, e, j, ml_export_event_agenda_pdf, "agenda", e ? "" : participant_name(j));
}

int h_agenda_link_pdf(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_agenda_link(r->db, http_path_param(r, "token"), &j);
    return send_pdf(r, e, j, ml_export_event_agenda_pdf, "agenda", e ? "" : participant_name(j));
}

int h_event_plan_pdf(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_show(r->db, http_request_actor(r), http_path_param(r, "event"), &j);
    return send_pdf(r, e, j, ml_export_event_plan_pdf, "plan-de-tables",
                    e ? ""
                      : json_string_value(json_object_get(json_object_get(j, "event"), "name")));
}

int h_event_publish(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_publish(r->db, http_request_actor(r), http_path_param(r, "event"), &j);
    return http_answer(r, e, j, 201);
}

int h_event_changes(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_changes(r->db, http_request_actor(r), http_path_param(r, "event"),
                                http_arg(r, "participant"), &j);
    return http_answer(r, e, j, 200);
}

int h_agenda_link_seen(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_agenda_seen(r->db, http_path_param(r, "token"), &j);
    return http_answer(r, e, j, 201);
}

int h_event_outcome(request *r)
{
    int64_t amount = -1, jobs = -1;
    if (http_body_whole(r, "amount", 0, 1000000000000LL, amount, &amount) ||
        http_body_whole(r, "jobs", 0, 1000000, jobs, &jobs))
        return 0;
    ml_event_outcome_in in = {.met = yes(r, "met"),
                              .result = http_body_text(r, "result"),
                              .amount = http_body_text(r, "amount") ? amount : -1,
                              .jobs = http_body_text(r, "jobs") ? jobs : -1};
    json_t *j = NULL;
    ml_err e = ml_event_outcome(r->db, http_request_actor(r), http_path_param(r, "event"),
                                http_body_text(r, "a"), http_body_text(r, "b"), &in, &j);
    return http_answer(r, e, j, 201);
}

/* ------------------------------------------------------------- needs */

static int64_t need_id(request *r)
{
    const char *v = http_path_param(r, "need");
    int64_t id = 0;
    if (!v || ml_parse_i64(v, strlen(v), 1, INT64_MAX, &id)) return 0;
    return id;
}

int h_needs(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_need_list(r->db, http_request_actor(r), &j);
    return http_answer(r, e, j, 200);
}

int h_need_add(request *r)
{
    int64_t budget = 0;
    if (http_body_whole(r, "budget", 1, 1000000000000LL, budget, &budget)) return 0;
    ml_need_in in = {.buyer = http_body_text(r, "buyer"),
                     .buyer_siret = http_body_text(r, "buyer_siret"),
                     .title = http_body_text(r, "title"),
                     .text = http_body_text(r, "text"),
                     .cpv = http_body_text(r, "cpv"),
                     .naf = http_body_text(r, "naf"),
                     .budget = budget,
                     .deadline = http_body_text(r, "deadline"),
                     .commune = http_body_text(r, "commune")};
    json_t *j = NULL;
    ml_err e = ml_need_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_need_show(request *r)
{
    json_t *j = NULL;
    ml_err e =
        ml_need_show(r->db, http_request_actor(r), need_id(r), http_arg_int(r, "threshold", 0), &j);
    return http_answer(r, e, j, 200);
}

int h_need_evidence(request *r)
{
    json_t *j = NULL;
    const char *done = http_body_text(r, "done");
    ml_err e = ml_need_evidence(r->db, http_request_actor(r), need_id(r), http_body_text(r, "key"),
                                !done || strcmp(done, "no") != 0, &j);
    return http_answer(r, e, j, 201);
}

int h_need_award(request *r)
{
    int64_t amount = 0, months = 0;
    if (http_body_whole(r, "amount", 1, 1000000000000LL, amount, &amount) ||
        http_body_whole(r, "months", 1, 600, months, &months))
        return 0;
    json_t *j = NULL;
    ml_err e = ml_need_award(r->db, http_request_actor(r), need_id(r), http_body_text(r, "holder"),
                             amount, http_body_text(r, "date"), (unsigned)months, &j);
    return http_answer(r, e, j, 201);
}

int h_need_decp(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_need_decp(r->db, http_request_actor(r), need_id(r), &j);
    return http_answer(r, e, j, 200);
}

int h_need_invite(request *r)
{
    json_t *j = NULL;
    ml_err e =
        ml_need_invite(r->db, http_request_actor(r), need_id(r), http_body_text(r, "event"), &j);
    return http_answer(r, e, j, 201);
}

/* ------------------------------------------------- CPV codes, learning */

int h_cpv_search(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_cpv_search(r->db, http_arg(r, "q"), (unsigned)http_arg_int(r, "limit", 0), &j);
    return http_answer(r, e, j, 200);
}

int h_cpv_show(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_cpv_get(r->db, http_path_param(r, "code"), &j);
    return http_answer(r, e, j, 200);
}

int h_need_cpv(request *r)
{
    json_t *j = NULL;
    ml_err e =
        ml_need_set_cpv(r->db, http_request_actor(r), need_id(r), http_body_text(r, "cpv"), &j);
    return http_answer(r, e, j, 201);
}

int h_event_learning(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_event_learning(r->db, http_request_actor(r), &j);
    return http_answer(r, e, j, 200);
}

/* ------------------------------------------------------------- the table */

#define END                                                                                        \
    {                                                                                              \
        NULL, NULL, 0, 0, 0, false, NULL                                                           \
    }
#define EVENT_PATH                                                                                 \
    {                                                                                              \
        "event", "path", P_STRING, 0, 200, true, "the event's number or name"                      \
    }

const param_spec p_ev_none[] = {END};
const param_spec p_ev_event[] = {EVENT_PATH, END};
const param_spec p_ev_participant[] = {
    EVENT_PATH,
    {"participant", "path", P_STRING, 0, 200, true,
     "the participant's number in the event, SIRET or guest's name"},
    END};
const param_spec p_ev_participant_pdf[] = {
    EVENT_PATH,
    {"participant", "path", P_STRING, 0, 200, true,
     "the participant's number in the event, SIRET or guest's name"},
    {"lang", "query", P_STRING, 0, 2, false, "fr (default) or en"},
    END};
const param_spec p_ev_event_pdf[] = {
    EVENT_PATH, {"lang", "query", P_STRING, 0, 2, false, "fr (default) or en"}, END};
const param_spec p_ev_token_pdf[] = {
    {"token", "path", P_NAME, 0, 43, true, "the secret of a personal agenda link"},
    {"lang", "query", P_STRING, 0, 2, false, "fr (default) or en"},
    END};
const param_spec p_ev_changes[] = {
    EVENT_PATH,
    {"participant", "query", P_STRING, 0, 200, false,
     "only this participant's changes (number, SIRET or guest's name)"},
    END};
const param_spec p_ev_need[] = {{"need", "path", P_INT, 1, 2147483647, true, "the need's number"},
                                END};
const param_spec p_ev_need_show[] = {
    {"need", "path", P_INT, 1, 2147483647, true, "the need's number"},
    {"threshold", "query", P_INT, 1, 2000000000, false,
     "the innovative-purchase threshold in euros HT (default 100000)"},
    END};
const param_spec p_ev_cpv_search[] = {
    {"q", "query", P_STRING, 0, 200, true,
     "words of what is bought (accents, case and plurals ignored), or a code's first digits"},
    {"limit", "query", P_INT, 1, 100, false, "codes at most (default 20)"},
    END};
const param_spec p_ev_cpv[] = {
    {"code", "path", P_STRING, 0, 10, true, "a CPV code: 8 digits, or with its check digit"}, END};
const param_spec p_ev_token[] = {
    {"token", "path", P_NAME, 0, 43, true, "the secret of a personal agenda link"}, END};

#define NO_FIELD                                                                                   \
    {                                                                                              \
        NULL, P_STRING, false, NULL, NULL, NULL                                                    \
    }
static const body_field f_event[] = {
    {"name", P_STRING, true, NULL, "the event's name (at most 200 bytes)",
     "Convention d'affaires de l'industrie"},
    {"date", P_DATE, true, NULL, "the day", "2026-06-16"},
    {"start", P_STRING, true, NULL, "when the first slot starts, HH:MM, Paris time", "09:00"},
    {"slot_minutes", P_STRING, true, NULL, "the length of a slot in minutes (5 to 240)", "20"},
    {"slots", P_STRING, true, NULL, "how many slots (1 to 64)", "6"},
    {"tables", P_STRING, true, NULL, "tables or rooms: meetings at most in one slot", "4"},
    {"two_sided", P_STRING, false, "yes|no", "yes: side A (buyers) meets side B (sellers) only",
     "no"},
    {"breaks", P_STRING, false, NULL, "breaks after slots: 3:30 is 30 minutes after slot 3",
     "3:30"},
    {"place", P_STRING, false, NULL, "where it is held", "Aix-en-Provence"},
    NO_FIELD,
};
const body_spec b_ev_event = {"Event", "a business convention: its day, slots and tables", f_event};

static const body_field f_participant[] = {
    {"siret", P_SIRET, false, NULL,
     "an establishment of the register (restricted diffusion refused)", NULL},
    {"guest", P_STRING, false, NULL, "or a guest's name (not in the register)", NULL},
    {"buyer", P_STRING, false, "yes|no", "a public buyer", "no"},
    {"side", P_STRING, false, "A|B", "the side in a two-sided event (A buyers, B sellers)", NULL},
    {"slots", P_STRING, false, NULL, "available slots as 1-6,9 (default: all)", "1-6"},
    {"max_meetings", P_STRING, false, NULL, "meetings at most (1 to 1,000)", "4"},
    NO_FIELD,
};
const body_spec b_ev_participant = {"EventParticipant",
                                    "a participant: an establishment or a guest", f_participant};

#define PAIR_FIELDS                                                                                \
    {"a", P_STRING, true, NULL, "a participant: its number, SIRET or guest's name", "1"},          \
    {                                                                                              \
        "b", P_STRING, true, NULL, "the other participant", "2"                                    \
    }
static const body_field f_request[] = {
    PAIR_FIELDS,
    {"priority", P_STRING, false, "must|wish|avoid",
     "must (placed first), wish, or avoid (do-not-meet: never scheduled; a request the pair "
     "already has becomes do-not-meet)",
     "wish"},
    {"asked_by", P_STRING, false, "a|b|organiser", "who asked", "organiser"},
    {"pending", P_STRING, false, "yes|no", "yes: the other side has not accepted yet", "no"},
    {"reason", P_STRING, false, NULL, "why they should meet", NULL},
    NO_FIELD,
};
const body_spec b_ev_request = {"EventRequest", "a meeting request between two participants",
                                f_request};
static const body_field f_pair[] = {PAIR_FIELDS, NO_FIELD};
const body_spec b_ev_pair = {"EventPair", "two participants of an event", f_pair};
static const body_field f_schedule[] = {
    {"cancel", P_STRING, false, NULL,
     "a participant who cancelled: their meetings go, the others stay in place", NULL},
    NO_FIELD,
};
const body_spec b_ev_schedule = {"EventSchedule", "what to schedule", f_schedule};
static const body_field f_lock[] = {
    PAIR_FIELDS,
    {"locked", P_STRING, false, "yes|no", "yes (default): kept where it is on a re-run", "yes"},
    NO_FIELD,
};
const body_spec b_ev_lock = {"EventLock", "a scheduled meeting to keep in place (or not)", f_lock};
static const body_field f_outcome[] = {
    PAIR_FIELDS,
    {"met", P_STRING, true, "yes|no", "whether the meeting was held", "yes"},
    {"result", P_STRING, false, "quote|contract|none", "what followed", "none"},
    {"amount", P_STRING, false, NULL, "the amount in euros", NULL},
    {"jobs", P_STRING, false, NULL, "jobs created or kept", NULL},
    NO_FIELD,
};
const body_spec b_ev_outcome = {"EventOutcome", "what followed a meeting", f_outcome};

static const body_field f_need[] = {
    {"buyer", P_STRING, true, NULL, "the public buyer's name", "Ville d'Aix-en-Provence"},
    {"buyer_siret", P_SIRET, false, NULL, "the buyer's SIRET (the DECP record needs it)", NULL},
    {"title", P_STRING, true, NULL, "the need in a line", "Navette électrique autonome"},
    {"text", P_STRING, false, NULL, "the need described (at most 4,000 bytes)", NULL},
    {"cpv", P_STRING, false, NULL, "CPV 2008 code: 8 digits, or with its check digit", "34144900"},
    {"naf", P_STRING, false, NULL, "the activity (NAF) of the firms that could answer", "29.32Z"},
    {"budget", P_STRING, true, NULL, "euros HT", "80000"},
    {"deadline", P_DATE, false, NULL, "when it is needed", "2026-09-30"},
    {"commune", P_STRING, false, NULL, "the place of execution (INSEE commune code)", "13001"},
    NO_FIELD,
};
const body_spec b_ev_need = {"BuyerNeed", "a public buyer's innovation need", f_need};
static const body_field f_evidence[] = {
    {"key", P_STRING, true, "novelty|market|price|sourcing", "the item of the checklist",
     "novelty"},
    {"done", P_STRING, false, "yes|no", "gathered (default yes)", "yes"},
    NO_FIELD,
};
const body_spec b_ev_evidence = {"NeedEvidence", "a piece of evidence gathered (or not)",
                                 f_evidence};
static const body_field f_award[] = {
    {"holder", P_SIRET, true, NULL, "the establishment that got the contract", NULL},
    {"amount", P_STRING, true, NULL, "euros HT", "75000"},
    {"date", P_DATE, true, NULL, "the day it was notified", "2026-10-15"},
    {"months", P_STRING, true, NULL, "its length in months", "12"},
    NO_FIELD,
};
const body_spec b_ev_award = {"NeedAward", "the contract notified", f_award};
static const body_field f_invite[] = {
    {"event", P_STRING, true, NULL, "the event (number or name)", "1"},
    NO_FIELD,
};
static const body_field f_need_cpv[] = {
    {"cpv", P_STRING, false, NULL,
     "the CPV 2008 code (8 digits, or with its check digit); empty: none", "34144900"},
    NO_FIELD,
};
const body_spec b_ev_need_cpv = {"NeedCpv", "a need's CPV code", f_need_cpv};
const body_spec b_ev_invite = {"NeedInvite", "the event of an innovation conference", f_invite};

#define OBJ(req) "{\"type\":\"object\",\"required\":" req "}"
const char s_ev_list[] = OBJ("[\"events\"]");
const char s_ev_event[] = OBJ("[\"event\"]");
const char s_ev_show[] = OBJ("[\"event\",\"participants\",\"requests\",\"meetings\",\"grid\"]");
const char s_ev_participant[] = OBJ("[\"event\",\"participant\",\"link\"]");
const char s_ev_request[] = OBJ("[\"event\",\"request\"]");
const char s_ev_suggestions[] = OBJ("[\"event\",\"suggestions\"]");
const char s_ev_schedule[] =
    OBJ("[\"meetings\",\"weight\",\"upper_bound\",\"optimal\",\"check\",\"meetings_list\"]");
const char s_ev_ok[] = OBJ("[\"locked\"]");
const char s_ev_agenda[] = OBJ("[\"event\",\"participant\",\"meetings\"]");
const char s_ev_outcome[] = OBJ("[\"event\",\"request\",\"outcome\",\"written\"]");
const char s_ev_publish[] = OBJ("[\"event\",\"published\",\"already\",\"meetings\"]");
const char s_ev_changes[] = OBJ("[\"event\",\"published\",\"changes\"]");
const char s_ev_seen[] = OBJ("[\"seen\"]");
const char s_ev_needs[] = OBJ("[\"needs\"]");
const char s_ev_need[] = OBJ("[\"need\"]");
const char s_ev_need_show[] =
    OBJ("[\"need\",\"threshold\",\"checklist\",\"ready\",\"suggestions\"]");
const char s_ev_decp[] = OBJ("[\"marches\"]");
const char s_ev_invite[] = OBJ("[\"event\",\"buyer\",\"firms_added\",\"requests_added\"]");
const char s_ev_cpv_search[] = OBJ("[\"query\",\"words\",\"results\"]");
const char s_ev_cpv[] = OBJ("[\"cpv\"]");
const char s_ev_learning[] = OBJ("[\"meetings\",\"successes\",\"prior\",\"kinds\"]");
