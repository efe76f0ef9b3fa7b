/* api_needs.c — the needs grid under /api/v1 (issue 12 part 6): a
 * territory's (/territories/{code}/needs) and a firm's
 * (/establishments/{siret}/needs). Each calls the library as the request's
 * actor (http_request_actor): what it may read is decided there. */
#include "api_needs.h"

/* The subject of the path: a territory code or a SIRET. */
static const char *subject(request *r)
{
    const char *code = http_path_param(r, "code");
    return code ? code : http_path_param(r, "siret");
}

int h_needs_grid(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_needs_show(r->db, http_request_actor(r), subject(r), &j);
    return http_answer(r, e, j, 200);
}

int h_needs_grid_set(request *r)
{
    json_t *j = NULL;
    const char *need = json_string_value(json_object_get(r->body, "need"));
    const char *level = json_string_value(json_object_get(r->body, "level"));
    const char *note = json_string_value(json_object_get(r->body, "note"));
    ml_err e = ml_needs_set(r->db, http_request_actor(r), subject(r), need, level, note, &j);
    return http_answer(r, e, j, 201);
}

const param_spec p_needs_territory[] = {
    {"code", "path", P_CODE, 0, 0, true,
     "commune, EPCI, département, reg:CODE, FR, ti-RRNN (Territoire d'industrie) or p-NAME"},
    {NULL, NULL, 0, 0, 0, false, NULL},
};
const param_spec p_needs_firm[] = {
    {"siret", "path", P_SIRET, 0, 0, true, "SIRET (14 digits)"},
    {NULL, NULL, 0, 0, 0, false, NULL},
};

static const body_field f_need[] = {
    {"need", P_STRING, true,
     "skills|land|accessibility|ecosystem|innovation|digital|ecological|finance|export",
     "the need: skills and recruitment, land and premises, accessibility, ecosystem and "
     "suppliers, innovation, digital transition, ecological and energy transition, finance, "
     "export",
     "skills"},
    {"level", P_STRING, true, "none|low|medium|high|critical", "how strong the need is", "high"},
    {"note", P_STRING, false, NULL, "what it is about (at most 4,000 bytes)",
     "Welders are hard to recruit"},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
const body_spec b_need = {"NeedLevel", "a level (and a note) for one need of the grid", f_need};

const char s_needs[] =
    "{\"type\":\"object\",\"required\":[\"subject\",\"needs\",\"history\",\"levels\"],"
    "\"properties\":{\"needs\":{\"type\":\"array\",\"minItems\":9,\"maxItems\":9,\"items\":{"
    "\"type\":\"object\",\"required\":[\"need\",\"label_fr\",\"label_en\",\"level\"]}},"
    "\"history\":{\"type\":\"array\"}}}";
