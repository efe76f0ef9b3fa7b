/* api_history.c — the handlers of a firm's history under /api/v1 (issue
 * 11): contacts, interactions, follow-ups, documents, the timeline, and the
 * admins' requests on personal data. Each calls the library as the
 * request's actor (http_request_actor): what it may read is decided there.
 * Bodies were checked against their body_spec before a handler runs. */
#include "api_history.h"

/* ------------------------------------------------------------------ contacts */

int h_contacts(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_contact_list(r->db, http_request_actor(r), http_path_param(r, "siret"), &j);
    return http_answer(r, e, j, 200);
}

static ml_contact_in contact_in(request *r, const char *firm)
{
    ml_contact_in in = {.firm = firm,
                        .name = http_body_text(r, "name"),
                        .position = http_body_text(r, "position"),
                        .email = http_body_text(r, "email"),
                        .phone = http_body_text(r, "phone"),
                        .basis = http_body_text(r, "basis"),
                        .source = http_body_text(r, "source")};
    return in;
}

int h_contact_add(request *r)
{
    char siren[ML_SIREN_SIZE];
    const char *siret = http_path_param(r, "siret");
    const char *company = http_body_text(r, "company");
    ml_snprintf(siren, sizeof siren, "%.9s", siret);
    ml_contact_in in = contact_in(r, company && strcmp(company, "yes") == 0 ? siren : siret);
    json_t *j = NULL;
    ml_err e = ml_contact_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_contact_update(request *r)
{
    ml_contact_in in = contact_in(r, NULL);
    json_t *j = NULL;
    ml_err e = ml_contact_update(r->db, http_request_actor(r), http_path_id(r, "contact"), &in, &j);
    return http_answer(r, e, j, 201);
}

/* -------------------------------------------------------------- interactions */

int h_interactions(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_interaction_list(r->db, http_request_actor(r), http_path_param(r, "siret"), &j);
    return http_answer(r, e, j, 200);
}

int h_interaction_add(request *r)
{
    int64_t ids[20];
    size_t n = 0;
    const char *list = http_body_text(r, "contacts");
    for (const char *p = list ? list : ""; *p;) {
        size_t k = strspn(p, "0123456789");
        if (!k || n == 20 || ml_parse_i64(p, k, 1, INT64_MAX, &ids[n]) != 0)
            return http_problem(r, 400, "Invalid request",
                                "field 'contacts': contact ids separated by commas, at most 20");
        n++;
        p += k;
        if (*p == ',') p++;
        while (*p == ' ')
            p++;
    }
    ml_interaction_in in = {.siret = http_path_param(r, "siret"),
                            .kind = http_body_text(r, "kind"),
                            .date = http_body_text(r, "date"),
                            .notes = http_body_text(r, "notes"),
                            .contacts = ids,
                            .ncontacts = n};
    json_t *j = NULL;
    ml_err e = ml_interaction_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

/* ----------------------------------------------------------------- follow-ups */

int h_firm_followups(request *r)
{
    ml_followup_filter f = {.siret = http_path_param(r, "siret"),
                            .overdue = http_arg_bool(r, "overdue", false)};
    json_t *j = NULL;
    ml_err e = ml_followup_list(r->db, http_request_actor(r), &f, &j);
    return http_answer(r, e, j, 200);
}

int h_followups(request *r)
{
    ml_followup_filter f = {.overdue = http_arg_bool(r, "overdue", false),
                            .mine = http_arg_bool(r, "mine", false),
                            .own_org = http_arg_bool(r, "own_org", false)};
    json_t *j = NULL;
    ml_err e = ml_followup_list(r->db, http_request_actor(r), &f, &j);
    return http_answer(r, e, j, 200);
}

int h_followup_add(request *r)
{
    ml_followup_in in = {.siret = http_path_param(r, "siret"),
                         .what = http_body_text(r, "what"),
                         .due = http_body_text(r, "due"),
                         .owner = http_body_text(r, "owner")};
    json_t *j = NULL;
    ml_err e = ml_followup_add(r->db, http_request_actor(r), &in, &j);
    return http_answer(r, e, j, 201);
}

int h_followup_done(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_followup_done(r->db, http_request_actor(r), http_path_id(r, "followup"),
                                strcmp(http_body_text(r, "done"), "yes") == 0, &j);
    return http_answer(r, e, j, 201);
}

/* ------------------------------------------------------------------ documents */

int h_documents(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_document_list(r->db, http_request_actor(r), http_path_param(r, "siret"), &j);
    return http_answer(r, e, j, 200);
}

int h_document_add(request *r)
{
    json_t *j = NULL;
    ml_err e =
        ml_document_add(r->db, http_request_actor(r), http_path_param(r, "siret"),
                        http_arg(r, "filename"), r->raw_body ? r->raw_body : "", r->raw_len, &j);
    return http_answer(r, e, j, 201);
}

/* Content-Disposition: always an attachment (never shown inline), with an
 * ASCII name and the UTF-8 one (RFC 6266). */
static const char *disposition(const char *name)
{
    static __thread char disp[1024];
    ml_buf b;
    ml_buf_init(&b, sizeof disp - 1);
    ml_buf_addstr(&b, "attachment; filename=\"");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p >= 0x80) {
            while ((p[1] & 0xc0) == 0x80)
                p++;
            ml_buf_addch(&b, '_');
        } else {
            ml_buf_addch(&b, (*p < 0x20 || *p == '"' || *p == '\\') ? '_' : (char)*p);
        }
    }
    ml_buf_addstr(&b, "\"; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '-' || *p == '_')
            ml_buf_addch(&b, (char)*p);
        else
            ml_buf_addf(&b, "%%%02X", *p);
    }
    ml_snprintf(disp, sizeof disp, "%s",
                ml_buf_failed(&b) ? "attachment; filename=\"document\"" : ml_buf_cstr(&b));
    ml_buf_release(&b);
    return disp;
}

int h_document_get(request *r)
{
    json_t *meta = NULL;
    void *data = NULL;
    size_t len = 0;
    ml_err e = ml_document_get(r->db, http_request_actor(r), http_path_param(r, "document"), &meta,
                               &data, &len);
    if (e) return http_error(r, e);
    /* The type the library recognised, never one that a browser renders as
     * a page (HTML is never accepted); nosniff is on every answer. */
    static __thread char type[128];
    ml_snprintf(type, sizeof type, "%s", json_string_value(json_object_get(meta, "type")));
    http_file_bytes(r, type, "document", data, len);
    r->disposition = disposition(json_string_value(json_object_get(meta, "name")));
    json_decref(meta);
    return 0;
}

/* ------------------------------------------------------------------ timeline */

int h_timeline(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_timeline(r->db, http_request_actor(r), http_path_param(r, "siret"), &j);
    return http_answer(r, e, j, 200);
}

/* --------------------------------------------------------------------- GDPR */

int h_gdpr_export(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_gdpr_export(r->db, http_request_actor(r), http_body_text(r, "person"), &j);
    return http_answer(r, e, j, 201);
}

int h_gdpr_erase(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_gdpr_erase(r->db, http_request_actor(r), http_body_text(r, "person"), &j);
    return http_answer(r, e, j, 201);
}

int h_gdpr_review(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_gdpr_review(r->db, http_request_actor(r), &j);
    return http_answer(r, e, j, 200);
}

int h_gdpr_erasures(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_gdpr_erasures(r->db, http_request_actor(r), &j);
    return http_answer(r, e, j, 200);
}

/* ------------------------------------------------------------ the table's parts */

#define SIRET_PATH                                                                                 \
    {                                                                                              \
        "siret", "path", P_SIRET, 0, 0, true, "SIRET (14 digits)"                                  \
    }
#define END                                                                                        \
    {                                                                                              \
        NULL, NULL, 0, 0, 0, false, NULL                                                           \
    }

const param_spec p_hist_none[] = {END};
const param_spec p_hist_siret[] = {SIRET_PATH, END};
const param_spec p_hist_firm_followups[] = {
    SIRET_PATH,
    {"overdue", "query", P_BOOL, 0, 0, false, "only those not done whose due date has passed"},
    END};
const param_spec p_hist_followups[] = {
    {"overdue", "query", P_BOOL, 0, 0, false, "only those not done whose due date has passed"},
    {"mine", "query", P_BOOL, 0, 0, false, "only those the caller owns"},
    {"own_org", "query", P_BOOL, 0, 0, false,
     "only those of the caller's own organisation (not the shared workspaces')"},
    END};
const param_spec p_hist_followup[] = {
    {"followup", "path", P_INT, 1, 2147483647, true, "the follow-up's id"}, END};
const param_spec p_hist_contact[] = {
    {"contact", "path", P_INT, 1, 2147483647, true, "the contact's id"}, END};
const param_spec p_hist_upload[] = {SIRET_PATH,
                                    {"filename", "query", P_STRING, 0, 255, true,
                                     "the file's name; its extension must agree with its content"},
                                    END};
const param_spec p_hist_document[] = {
    {"document", "path", P_NAME, 0, 32, true, "the document's id (32 hex digits)"}, END};

#define CONTACT_FIELDS(required)                                                                   \
    {"name", P_STRING, required, NULL, "the person's name (at most 200 bytes)", NULL},             \
        {"position", P_STRING, false, NULL, "role or position in the firm", NULL},                 \
        {"email", P_STRING, false, NULL, "email address", NULL},                                   \
        {"phone", P_STRING, false, NULL, "phone number: digits, spaces, + - . ( )", NULL},         \
        {"basis",                                                                                  \
         P_STRING,                                                                                 \
         required,                                                                                 \
         NULL,                                                                                     \
         "lawful basis and purpose (docs/privacy.md), e.g. legitimate interest: following the "    \
         "firm's project",                                                                         \
         NULL},                                                                                    \
    {                                                                                              \
        "source", P_STRING, false, NULL, "where the details come from", NULL                       \
    }
static const body_field f_contact[] = {
    CONTACT_FIELDS(true),
    {"company", P_STRING, false, "yes|no",
     "yes: a contact of the company (SIREN), not only of "
     "this establishment",
     NULL},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
const body_spec b_contact = {"Contact", "a person to talk to in the firm (personal data)",
                             f_contact};
static const body_field f_contact_update[] = {CONTACT_FIELDS(false),
                                              {NULL, P_STRING, false, NULL, NULL, NULL}};
const body_spec b_contact_update = {"ContactUpdate", "the fields of a contact to change",
                                    f_contact_update};
static const body_field f_interaction[] = {
    {"kind", P_STRING, true, "visit|call|meeting|email|event", "what it was", NULL},
    {"date", P_DATE, false, NULL, "when (default: today)", NULL},
    {"notes", P_STRING, false, NULL, "the notes (at most 8,000 bytes)", NULL},
    {"contacts", P_STRING, false, NULL, "ids of the firm's contacts who took part: \"3,17\"", NULL},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
const body_spec b_interaction = {"Interaction", "a visit, call, meeting, email or event",
                                 f_interaction};
static const body_field f_followup[] = {
    {"what", P_STRING, true, NULL, "what is to be done", NULL},
    {"due", P_DATE, true, NULL, "by when", NULL},
    {"owner", P_STRING, false, NULL, "who will do it (default: the caller)", NULL},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
const body_spec b_followup = {"FollowUp", "something to do about the firm, by whom, by when",
                              f_followup};
static const body_field f_followup_done[] = {
    {"done", P_STRING, true, "yes|no", "yes: done; no: to do again", NULL},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
const body_spec b_followup_done = {"FollowUpDone", "whether a follow-up is done", f_followup_done};
static const body_field f_person[] = {
    {"person", P_STRING, true, NULL, "the person's email address, or a contact id", NULL},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
const body_spec b_person = {"Person", "whose personal data (in the body: never in a URL or a log)",
                            f_person};

#define OBJ(req) "{\"type\":\"object\",\"required\":" req "}"
const char s_hist_contacts[] = OBJ("[\"firm\",\"contacts\"]");
const char s_hist_contact[] = OBJ("[\"id\",\"name\",\"basis\",\"org\",\"author\"]");
const char s_hist_interactions[] = OBJ("[\"siret\",\"interactions\"]");
const char s_hist_interaction[] = OBJ("[\"id\",\"kind\",\"date\",\"org\",\"author\"]");
const char s_hist_followups[] = OBJ("[\"today\",\"followups\"]");
const char s_hist_followup[] = OBJ("[\"id\",\"what\",\"due\",\"done\",\"overdue\"]");
const char s_hist_documents[] = OBJ("[\"siret\",\"documents\"]");
const char s_hist_document[] = OBJ("[\"id\",\"name\",\"type\",\"size\"]");
const char s_hist_timeline[] =
    "{\"type\":\"object\",\"required\":[\"siret\",\"name\",\"items\"],\"properties\":{\"items\":"
    "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"at\",\"kind\"],"
    "\"properties\":{\"kind\":{\"enum\":[\"interaction\",\"contact\",\"followup\",\"document\","
    "\"verdict\",\"note\",\"sirene\"]}}}}}}";
const char s_hist_export[] = OBJ("[\"person\",\"contacts\",\"interactions\"]");
const char s_hist_erase[] = OBJ("[\"erased\",\"contacts\"]");
const char s_hist_review[] = OBJ("[\"retention_months\",\"contacts\"]");
const char s_hist_erasures[] = OBJ("[\"erasures\"]");
