/* api.c — the JSON API under /api/v1: one row per route (method, path,
 * parameters with their types, summary, answer schema) and its handler. The
 * OpenAPI document is generated from the same rows. */
#include <unistd.h>

#include "api_event.h"
#include "api_history.h"
#include "api_programme.h"
#include "api_impact.h"
#include "api_committee.h"
#include "api_needs.h"
#include "http.h"

/* --------------------------------------------------------------- handlers */

static int h_info(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_db_info(r->db, &j);
    /* Anyone may read this route: where the server keeps its files (the
     * database's path, the reference data's folder) is not theirs to know.
     * `maillage info` on the server shows both. */
    if (!e) {
        json_object_del(j, "path");
        json_object_del(json_object_get(j, "meta"), "reference_data");
    }
    return http_answer(r, e, j, 200);
}

static ml_search_query search_query(request *r)
{
    ml_search_query q = {
        .text = http_arg(r, "q"),
        .commune = http_arg(r, "commune"),
        .epci = http_arg(r, "epci"),
        .departement = http_arg(r, "dep"),
        .region = http_arg(r, "region"),
        .naf = http_arg(r, "naf"),
        .size_min = http_arg(r, "size_min"),
        .active_only = http_arg_bool(r, "active", false),
        .facets = http_arg_bool(r, "facets", false),
        .prefix = http_arg_bool(r, "prefix", false),
        .limit = (unsigned)http_arg_int(r, "limit", 20),
        .offset = (unsigned)http_arg_int(r, "offset", 0),
    };
    return q;
}

static int h_search(request *r)
{
    ml_search_query q = search_query(r);
    json_t *j = NULL;
    ml_err e = ml_search(r->db, &q, &j);
    return http_answer(r, e, j, 200);
}

static int h_suggest(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_suggest(r->db, http_arg(r, "kind"), http_arg(r, "q"),
                          (unsigned)http_arg_int(r, "limit", 10), &j);
    return http_answer(r, e, j, 200);
}

static int h_establishment(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_show(r->db, http_path_param(r, "siret"), &j);
    return http_answer(r, e, j, 200);
}

static int suggestions(request *r, ml_direction dir)
{
    ml_match_opts o = {.direction = dir,
                       .limit = (unsigned)http_arg_int(r, "limit", 20),
                       .radius_km = (double)http_arg_int(r, "radius", 0),
                       .scale_km = (double)http_arg_int(r, "scale", 0),
                       .per_input = (unsigned)http_arg_int(r, "per_input", 0),
                       .all_inputs = http_arg_bool(r, "all_inputs", false)};
    json_t *j = NULL;
    ml_err e = ml_match(r->db, http_snapshot(r), http_path_param(r, "siret"), &o, &j);
    return http_answer(r, e, j, 200);
}

static int h_suppliers(request *r)
{
    return suggestions(r, ML_SUPPLIERS);
}

static int h_customers(request *r)
{
    return suggestions(r, ML_CUSTOMERS);
}

static int h_links(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_links_as(r->db, http_request_actor(r), http_path_param(r, "siret"), &j);
    return http_answer(r, e, j, 200);
}

static int h_company(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_company(r->db, http_path_param(r, "siren"), &j);
    return http_answer(r, e, j, 200);
}

/* The body was checked against b_verdict before this runs. */
static int h_verdict(request *r)
{
    const char *v[5];
    static const char *const keys[] = {"supplier", "buyer", "verdict", "note", "author"};
    for (size_t i = 0; i < ML_ARRAY_LEN(keys); i++)
        v[i] = json_string_value(json_object_get(r->body, keys[i]));
    /* Written as the request's actor: its organisation kept (issue 11). */
    const ml_actor *who = http_request_actor(r);
    ml_err e = ml_verdict_add_as(r->db, who, v[0], v[1], v[2], v[3], v[4]);
    if (e) return http_error(r, e);
    if (!v[4]) v[4] = who->name;
    return http_json(r, 201,
                     json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "supplier", v[0], "buyer", v[1],
                               "verdict", v[2], "note", v[3], "author", v[4]));
}

static int h_networks(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_network_list(r->db, &j);
    return http_answer(r, e, j, 200);
}

static int h_network(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_network_members(r->db, http_path_param(r, "name"), &j);
    return http_answer(r, e, j, 200);
}

static ml_network_opts net_opts(request *r)
{
    ml_network_opts o = {.limit = (unsigned)http_arg_int(r, "limit", 50)};
    return o;
}

static int h_report(request *r)
{
    ml_network_opts o = net_opts(r);
    json_t *j = NULL;
    ml_err e = ml_network_report(r->db, http_snapshot(r), http_path_param(r, "name"), &o, &j);
    return http_answer(r, e, j, 200);
}

static int h_bridges(request *r)
{
    ml_network_opts o = net_opts(r);
    json_t *j = NULL;
    ml_err e = ml_bridges(r->db, http_snapshot(r), http_path_param(r, "name"), &o, &j);
    return http_answer(r, e, j, 200);
}

/* An export: the library writes the file (to a temporary name), the answer
 * carries its bytes, with a file name that says what and when. */
typedef ml_err (*export_fn)(request *r, ml_export_format fmt, const char *path, char *name,
                            size_t name_size);

static int send_file(request *r, ml_export_format fmt, const char *type, export_fn fn);

static int send_export(request *r, bool xlsx, export_fn fn)
{
    ml_export_format fmt = xlsx                            ? ML_EXPORT_XLSX
                           : http_arg_bool(r, "plain", false) ? ML_EXPORT_CSV_PLAIN
                                                              : ML_EXPORT_CSV;
    return send_file(r, fmt,
                     xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                          : "text/csv; charset=utf-8",
                     fn);
}

/* The file `fn` writes, sent with `type`. */
static int send_file(request *r, ml_export_format fmt, const char *type, export_fn fn)
{
    char tmpl[] = "/tmp/maillage-export-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) return http_problem(r, 500, "Internal error", "cannot create a temporary file");
    close(fd);
    char name[256] = "maillage";
    ml_err e = fn(r, fmt, tmpl, name, sizeof name);
    return http_send_temp(r, e, tmpl, type, name);
}

static ml_err network_export(request *r, ml_export_format fmt, const char *path, char *name,
                             size_t size)
{
    ml_network_opts o = {.limit = 1000};
    json_t *j = NULL;
    const char *net = http_path_param(r, "name");
    ml_err e = ml_network_report(r->db, http_snapshot(r), net, &o, &j);
    if (!e) e = ml_export_network(http_ctx(r), j, fmt, path);
    json_decref(j);
    ml_export_filename(name, size, "reseau", net, fmt);
    return e;
}

static ml_err search_export(request *r, ml_export_format fmt, const char *path, char *name,
                            size_t size)
{
    ml_search_query q = search_query(r);
    ml_err e = ml_export_search_query(r->db, &q, 0, fmt, path, NULL, NULL);
    ml_export_filename(name, size, "recherche", q.text, fmt);
    return e;
}

static ml_err territory_export(request *r, ml_export_format fmt, const char *path, char *name,
                               size_t size)
{
    json_t *j = NULL;
    const char *code = http_path_param(r, "code");
    ml_err e = ml_territory_summary(r->db, code, &j);
    if (!e) e = ml_export_territory(http_ctx(r), j, fmt, path);
    ml_export_filename(name, size, "territoire", code, fmt);
    json_decref(j);
    return e;
}

/* The query's indicator options (base, level, by); false after a problem answer. */
static bool indicator_opts(request *r, ml_indicator_opts *o)
{
    const char *by = http_arg(r, "by");
    if (by && strcmp(by, "jobs") != 0 && strcmp(by, "establishments") != 0) {
        http_problem(r, 400, "Invalid request", "parameter 'by': expected jobs or establishments");
        return false;
    }
    *o = (ml_indicator_opts){.base = http_arg(r, "base"),
                             .level = http_arg(r, "level"),
                             .by_establishments = by && strcmp(by, "establishments") == 0};
    return true;
}

static ml_err indicators_export(request *r, ml_export_format fmt, const char *path, char *name,
                                size_t size)
{
    json_t *sum = NULL, *ind = NULL;
    const char *code = http_path_param(r, "code");
    ml_indicator_opts o;
    indicator_opts(r, &o); /* checked by the handler */
    ml_err e = ml_territory_indicators(r->db, code, &o, &ind);
    if (!e) e = ml_territory_summary(r->db, code, &sum);
    if (!e) e = ml_export_indicators(http_ctx(r), sum, ind, fmt, path);
    ml_export_filename(name, size, "indicateurs", code, fmt);
    json_decref(sum);
    json_decref(ind);
    return e;
}

static int h_indicators_csv(request *r)
{
    ml_indicator_opts o;
    if (!indicator_opts(r, &o)) return 0;
    return send_export(r, false, indicators_export);
}

static int h_indicators_xlsx(request *r)
{
    ml_indicator_opts o;
    if (!indicator_opts(r, &o)) return 0;
    return send_export(r, true, indicators_export);
}

static ml_err report_export(request *r, ml_export_format fmt, const char *path, char *name,
                            size_t size)
{
    (void)fmt;
    const char *code = http_path_param(r, "code");
    ml_report_opts o = {.base = http_arg(r, "base"),
                        .level = http_arg(r, "level"),
                        .lang = http_arg(r, "lang")};
    ml_err e = ml_report_territory(r->db, code, &o, path);
    ml_export_filename(name, size, "rapport", code, ML_EXPORT_CSV);
    size_t n = strlen(name);
    if (n > 4 && strcmp(name + n - 4, ".csv") == 0) memcpy(name + n - 4, ".pdf", 4);
    return e;
}

static int h_choropleth(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_territory_choropleth(r->db, http_path_param(r, "code"), &j);
    return http_answer(r, e, j, 200);
}

static int h_territory_pdf(request *r)
{
    return send_file(r, ML_EXPORT_CSV, "application/pdf", report_export);
}

static int h_export_csv(request *r)
{
    return send_export(r, false, network_export);
}

static int h_export_xlsx(request *r)
{
    return send_export(r, true, network_export);
}

static int h_search_csv(request *r)
{
    return send_export(r, false, search_export);
}

static int h_search_xlsx(request *r)
{
    return send_export(r, true, search_export);
}

static int h_territory_csv(request *r)
{
    return send_export(r, false, territory_export);
}

static int h_territory_xlsx(request *r)
{
    return send_export(r, true, territory_export);
}

/* A programme's workbook (issue 13), as the caller may read it. */
static ml_err programme_export(request *r, ml_export_format fmt, const char *path, char *name,
                               size_t size)
{
    const char *prog = http_path_param(r, "programme");
    ml_err e = ml_export_programme_report(r->db, http_ctx(r), http_request_actor(r), prog,
                                          http_arg(r, "at"), fmt, path);
    json_t *j = NULL; /* the file is named after the programme's name */
    if (!e && ml_programme_show(r->db, http_request_actor(r), prog, &j) == ML_OK)
        prog = json_string_value(json_object_get(j, "name"));
    ml_export_filename(name, size, "programme", prog ? prog : "", fmt);
    json_decref(j);
    return e;
}

static int h_programme_xlsx(request *r)
{
    return send_export(r, true, programme_export);
}

/* A programme's impact workbook (issue 13 part 6), as the caller may read it. */
static ml_err impact_export(request *r, ml_export_format fmt, const char *path, char *name,
                            size_t size)
{
    const char *prog = http_path_param(r, "programme");
    ml_err e = ml_export_impact_report(r->db, http_ctx(r), http_request_actor(r), prog,
                                       http_arg(r, "at"), fmt, path);
    json_t *j = NULL;
    if (!e && ml_programme_show(r->db, http_request_actor(r), prog, &j) == ML_OK)
        prog = json_string_value(json_object_get(j, "name"));
    ml_export_filename(name, size, "impact", prog ? prog : "", fmt);
    json_decref(j);
    return e;
}

static int h_impact_xlsx(request *r)
{
    return send_export(r, true, impact_export);
}

static int h_impact_csv(request *r)
{
    return send_export(r, false, impact_export);
}

static int h_territories(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_territory_children(r->db, http_arg(r, "parent"), &j);
    return http_answer(r, e, j, 200);
}

static int h_territory(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_territory_summary(r->db, http_path_param(r, "code"), &j);
    return http_answer(r, e, j, 200);
}

static int h_indicators(request *r)
{
    json_t *j = NULL;
    const char *by = http_arg(r, "by");
    if (by && strcmp(by, "jobs") != 0 && strcmp(by, "establishments") != 0)
        return http_problem(r, 400, "Invalid request",
                            "parameter 'by': expected jobs or establishments");
    ml_indicator_opts o = {.base = http_arg(r, "base"),
                           .level = http_arg(r, "level"),
                           .by_establishments = by && strcmp(by, "establishments") == 0};
    ml_err e = ml_territory_indicators(r->db, http_path_param(r, "code"), &o, &j);
    return http_answer(r, e, j, 200);
}

static int h_opportunities(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_territory_opportunities(r->db, http_path_param(r, "code"),
                                          (unsigned)http_arg_int(r, "limit", 10), &j);
    return http_answer(r, e, j, 200);
}

static int h_perimeters(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_perimeter_list(r->db, &j);
    return http_answer(r, e, j, 200);
}

static int h_perimeter_define(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_perimeter_define_text(
        r->db, http_request_actor(r), json_string_value(json_object_get(r->body, "name")),
        json_string_value(json_object_get(r->body, "code")),
        json_string_value(json_object_get(r->body, "members")), &j);
    return http_answer(r, e, j, 201);
}

static int h_perimeter_delete(request *r)
{
    ml_err e = ml_perimeter_delete(r->db, http_request_actor(r), http_path_param(r, "code"));
    if (e) return http_error(r, e);
    return http_json(r, 200, json_pack("{s:s, s:b}", "code", http_path_param(r, "code"),
                                       "deleted", 1));
}

static int h_rankings(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_territory_rank(r->db, NULL, http_arg(r, "criteria"), http_arg(r, "among"), &j);
    return http_answer(r, e, j, 200);
}

static int h_map(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_map_points(r->db, http_arg(r, "territory"), http_arg(r, "naf"),
                             (unsigned)http_arg_int(r, "limit", 20000), &j);
    return http_answer(r, e, j, 200);
}

static int h_map_communes(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_territory_communes(r->db, http_arg(r, "territory"), &j);
    return http_answer(r, e, j, 200);
}

/* ------------------------------------------------------------------ table */

#define LIMIT(max, what)                                                                           \
    {                                                                                              \
        "limit", "query", P_INT, 1, max, false, what                                               \
    }
#define SIRET_PATH                                                                                 \
    {                                                                                              \
        "siret", "path", P_SIRET, 0, 0, true, "SIRET (14 digits)"                                  \
    }
#define NAME_PATH                                                                                  \
    {                                                                                              \
        "name", "path", P_NAME, 0, 120, true, "network name (URL-encoded)"                         \
    }
#define END                                                                                        \
    {                                                                                              \
        NULL, NULL, 0, 0, 0, false, NULL                                                           \
    }

static const param_spec p_none[] = {END};
/* The words and filters of a search, shared by the search and its exports. */
#define SEARCH_FILTERS \
    {"q", "query", P_STRING, 0, 200, false, \
     "words (accents, case, French inflections ignored; trade words stand for their NAF codes), " \
     "a SIRET or SIREN (spaces allowed), or a postcode"}, \
    {"commune", "query", P_STRING, 0, 120, false, "INSEE commune code, postcode or name"}, \
    {"epci", "query", P_STRING, 0, 120, false, "EPCI SIREN or name"}, \
    {"dep", "query", P_STRING, 0, 120, false, "département code or name"}, \
    {"region", "query", P_STRING, 0, 120, false, "région code or name"}, \
    {"naf", "query", P_STRING, 0, 120, false, \
     "NAF code at any level, NAF label or trade word (chaudronnerie)"}, \
    {"size_min", "query", P_CODE, 0, 0, false, "minimum size band (trancheEffectifs)"}, \
    {"active", "query", P_BOOL, 0, 0, false, "only open establishments"}
static const param_spec p_search[] = {
    SEARCH_FILTERS,
    {"facets", "query", P_BOOL, 0, 0, false, "also count by département, section, size"},
    {"prefix", "query", P_BOOL, 0, 0, false,
     "the text is being typed: its last word also matches longer words"},
    LIMIT(200, "results (default 20)"),
    {"offset", "query", P_INT, 0, 10000, false, "results to skip"},
    END,
};
#define PLAIN                                                                                      \
    {"plain", "query", P_BOOL, 0, 0, false,                                                        \
     "CSV for programs (',' and '.') instead of a French spreadsheet (BOM, ';', decimal comma)"}
static const param_spec p_search_export[] = {
    SEARCH_FILTERS,
    PLAIN,
    END,
};
static const param_spec p_suggest[] = {
    {"kind", "query", P_STRING, 0, 16, true, "commune, epci, departement, region or naf"},
    {"q", "query", P_STRING, 0, 200, true, "what was typed: a name, a code or a postcode"},
    LIMIT(50, "suggestions (default 10)"),
    END,
};
static const param_spec p_siret[] = {SIRET_PATH, END};
static const param_spec p_match[] = {
    SIRET_PATH,
    LIMIT(500, "suggestions (default 20)"),
    {"radius", "query", P_INT, 0, 20000, false, "only partners within this many km"},
    {"scale", "query", P_INT, 1, 1000, false, "distance decay scale in km (default 30)"},
    {"per_input", "query", P_INT, 1, 500, false, "at most this many of one NAF class (default 3)"},
    {"all_inputs", "query", P_BOOL, 0, 0, false,
     "also inputs every firm buys (banks, rent, head office, trade margins)"},
    END,
};
static const param_spec p_siren[] = {{"siren", "path", P_SIREN, 0, 0, true, "SIREN (9 digits)"},
                                     END};
static const param_spec p_name[] = {NAME_PATH, END};
static const param_spec p_name_plain[] = {NAME_PATH, PLAIN, END};
static const param_spec p_name_limit[] = {NAME_PATH, LIMIT(1000, "pairs or bridges (default 50)"),
                                          END};
static const param_spec p_territories[] = {
    {"parent", "query", P_CODE, 0, 0, false, "none: régions; reg:CODE; a département; an EPCI"},
    END};
static const param_spec p_territory[] = {
    {"code", "path", P_CODE, 0, 0, true, "commune, EPCI, département, reg:CODE or FR"}, END};
static const param_spec p_territory_plain[] = {
    {"code", "path", P_CODE, 0, 0, true, "commune, EPCI, département, reg:CODE or FR"}, PLAIN,
    END};
static const param_spec p_indicators[] = {
    {"code", "path", P_CODE, 0, 0, true,
     "commune, EPCI, département, reg:CODE, FR, ti-RRNN (Territoire d'industrie) or p-NAME"},
    {"base", "query", P_CODE, 0, 0, false,
     "the territory compared with (default: the widest of France, région, département the "
     "database covers)"},
    {"level", "query", P_STRING, 0, 10, false,
     "NAF level: A10, A21, A38 (default), A64, A88, A129, group, class, subclass"},
    {"by", "query", P_STRING, 0, 16, false,
     "quotients of jobs (default, estimated from size bands) or establishments"},
    END,
};
static const param_spec p_indicators_export[] = {
    {"code", "path", P_CODE, 0, 0, true,
     "commune, EPCI, département, reg:CODE, FR, ti-RRNN (Territoire d'industrie) or p-NAME"},
    {"base", "query", P_CODE, 0, 0, false,
     "the territory compared with (default: the widest of France, région, département the "
     "database covers)"},
    {"level", "query", P_STRING, 0, 10, false,
     "NAF level: A10, A21, A38 (default), A64, A88, A129, group, class, subclass"},
    {"by", "query", P_STRING, 0, 16, false,
     "quotients of jobs (default, estimated from size bands) or establishments"},
    PLAIN,
    END,
};
static const param_spec p_report[] = {
    {"code", "path", P_CODE, 0, 0, true,
     "commune, EPCI, département, reg:CODE, FR, ti-RRNN (Territoire d'industrie) or p-NAME"},
    {"base", "query", P_CODE, 0, 0, false,
     "the territory compared with (default: the widest the database covers)"},
    {"level", "query", P_STRING, 0, 10, false,
     "NAF level of the sector table: A10, A21, A38 (default), A64, A88, A129, group, class, "
     "subclass"},
    {"lang", "query", P_STRING, 0, 2, false, "fr (default) or en"},
    END,
};
static const param_spec p_opportunities[] = {
    {"code", "path", P_CODE, 0, 0, true, "a commune or an EPCI"},
    LIMIT(30, "opportunities (default 10)"),
    END,
};
static const param_spec p_rankings[] = {
    {"among", "query", P_CODE, 0, 0, true,
     "the territories ranked: a département or reg:CODE (their EPCI), an EPCI (its communes), "
     "ti (the Territoires d'industrie)"},
    {"criteria", "query", P_STRING, 0, 2000, true,
     "indicator:weight:direction:normalisation, separated by commas, e.g. "
     "industry_jobs_share:3:higher:minmax,net_creation_rate:1:higher:minmax"},
    END,
};
static const param_spec p_perimeter[] = {
    {"code", "path", P_CODE, 0, 0, true, "a perimeter of yours: p-NAME"}, END};
static const param_spec p_map[] = {
    {"territory", "query", P_CODE, 0, 0, true, "commune, EPCI, département, reg:CODE or FR"},
    {"naf", "query", P_CODE, 0, 0, false, "NAF sub-class, division, A38, A21 or A10 code"},
    LIMIT(100000, "points (default 20000)"),
    END,
};
static const param_spec p_clusters[] = {
    {"territory", "query", P_CODE, 0, 0, true, "commune, EPCI, département, reg:CODE or FR"},
    {"zoom", "query", P_INT, 0, ML_MAP_ZOOM_MAX, false,
     "web map zoom level (default: the zoom that shows the whole territory or bbox)"},
    {"bbox", "query", P_BBOX, 0, 80, false,
     "west,south,east,north in degrees: the cells this box touches (default: the territory)"},
    {"naf", "query", P_CODE, 0, 0, false, "NAF sub-class, division, A38, A21 or A10 code"},
    END,
};
static const param_spec p_communes[] = {
    {"territory", "query", P_CODE, 0, 0, true, "commune, EPCI, département, reg:CODE or FR"}, END};

/* Answer schemas: the keys a client can rely on. */
#define OBJ(req) "{\"type\":\"object\",\"required\":" req "}"
static const char s_info[] = OBJ("[\"counts\",\"contains_generated_data\"]");
static const char s_search[] =
    "{\"type\":\"object\",\"required\":[\"query\",\"total\",\"total_exact\",\"results\"],"
    "\"properties\":{\"total\":{\"type\":\"integer\"},\"results\":{\"type\":\"array\",\"items\":"
    "{\"$ref\":\"#/components/schemas/Brief\"}}}}";
static const char s_suggest[] =
    "{\"type\":\"object\",\"required\":[\"kind\",\"q\",\"suggestions\"],\"properties\":"
    "{\"suggestions\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":"
    "[\"code\",\"label\"]}}}}";
static const char s_show[] =
    "{\"type\":\"object\",\"required\":[\"siret\",\"name\",\"active\",\"activity\",\"territory\","
    "\"company\",\"generated\"]}";
static const char s_match[] =
    "{\"type\":\"object\",\"required\":[\"establishment\",\"class\",\"direction\",\"model\","
    "\"suggestions\",\"groups\",\"left_out\",\"known_links\"],\"properties\":{\"suggestions\":"
    "{\"type\":\"array\",\"items\":{\"allOf\":[{\"$ref\":\"#/components/schemas/Brief\"},"
    "{\"type\":\"object\",\"required\":[\"rank\",\"score\",\"distance_km\",\"input\",\"parts\","
    "\"reason_fr\",\"reason_en\",\"detail_fr\",\"detail_en\"]}]}},\"groups\":{\"type\":\"array\","
    "\"items\":{\"type\":\"object\",\"required\":[\"class\",\"share\",\"link\",\"reason_fr\","
    "\"reason_en\",\"items\"]}},\"left_out\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
    "\"required\":[\"label_fr\",\"ic_share\",\"classes\"]}}}}";
static const char s_links[] = OBJ("[\"siret\",\"links\",\"rejected\",\"notes\"]");
static const char s_company[] = OBJ("[\"siren\",\"establishments\"]");
static const char s_verdict[] = OBJ("[\"supplier\",\"buyer\",\"verdict\"]");
static const char s_networks[] =
    "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"name\",\"members\"]}}";
static const char s_network[] = OBJ("[\"name\",\"members\",\"members_total\"]");
static const char s_report[] =
    "{\"type\":\"object\",\"required\":[\"network\",\"members\",\"pairs\",\"outside_suppliers\","
    "\"outside_customers\"],\"properties\":{\"pairs\":{\"type\":\"array\",\"items\":{\"type\":"
    "\"object\",\"required\":[\"rank\",\"score\",\"a\",\"b\",\"a_to_b\",\"b_to_a\"]}},"
    "\"outside_suppliers\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":"
    "[\"siret\",\"total_score\",\"members_served\",\"best_member\",\"reason_fr\",\"reason_en\"]}}}"
    "}";
static const char s_bridges[] = OBJ("[\"network\",\"bridges\"]");
static const char s_choropleth[] =
    "{\"type\":\"object\",\"required\":[\"territory\",\"communes\",\"privacy\"],\"properties\":{"
    "\"communes\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"code\","
    "\"name\",\"establishments\",\"secret\",\"per_1000\",\"industry_jobs_share\"],"
    "\"properties\":{\"establishments\":{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"integer\","
    "\"not\":{\"enum\":[1,2]}}]}}}}}}";
static const char s_territories[] = OBJ("[\"children\"]");
static const char s_territory[] = OBJ("[\"territory\",\"establishments\",\"by_a10\",\"privacy\"]");
static const char s_indicators[] =
    OBJ("[\"territory\",\"base\",\"level\",\"value\",\"figures\",\"activities\","
        "\"specialisations\",\"company_categories\",\"years\",\"privacy\"]");
static const char s_perimeters[] = OBJ("[\"perimeters\"]");
static const char s_opportunities[] =
    OBJ("[\"territory\",\"compared_with\",\"place\",\"opportunities\",\"chart\"]");
static const char s_rankings[] =
    OBJ("[\"among\",\"criteria\",\"territories\",\"with_data\",\"territoires_industrie\"]");
static const char s_perimeter[] = OBJ("[\"territory\",\"members\"]");
static const char s_deleted[] = OBJ("[\"code\",\"deleted\"]");
static const char s_map[] =
    "{\"type\":\"object\",\"required\":[\"territory\",\"points\",\"truncated\"],\"properties\":"
    "{\"points\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"siret\","
    "\"lat\",\"lon\",\"approximate\",\"generated\"]}}}}";
static const char s_communes[] = OBJ("[\"territory\",\"communes\"]");
static const char s_clusters[] =
    "{\"type\":\"object\",\"required\":[\"territory\",\"zoom\",\"cell_px\",\"bbox\",\"extent\","
    "\"total\",\"territory_total\",\"clusters\",\"points\",\"privacy\"],\"properties\":{"
    "\"zoom\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":20},"
    "\"total\":{\"type\":\"integer\",\"minimum\":0},"
    "\"territory_total\":{\"type\":\"integer\",\"minimum\":0},"
    "\"bbox\":{\"type\":[\"array\",\"null\"],\"items\":{\"type\":\"number\"},\"minItems\":4,"
    "\"maxItems\":4},"
    "\"clusters\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"cell\","
    "\"lat\",\"lon\",\"count\",\"a10\",\"a10_count\",\"bounds\"],\"properties\":{\"count\":"
    "{\"type\":\"integer\",\"minimum\":1},\"a10\":{\"type\":[\"string\",\"null\"]}}}},"
    "\"points\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"cell\","
    "\"siret\",\"lat\",\"lon\",\"a10\",\"approximate\",\"generated\"],\"properties\":{"
    "\"siret\":{\"type\":\"string\",\"pattern\":\"^[0-9]{14}$\"}}}}}}";

/* Request bodies. */
static const body_field f_verdict[] = {
    {"supplier", P_SIRET, true, NULL, "SIRET of the establishment that would supply", NULL},
    {"buyer", P_SIRET, true, NULL, "SIRET of the establishment that would buy", NULL},
    {"verdict", P_STRING, true, "accept|reject|note|withdraw",
     "accept: a known link; reject: never proposed again, in either direction; note: a remark "
     "(needs note); withdraw: undo the pair's accept or reject (the history stays)", NULL},
    {"note", P_STRING, false, NULL, "the remark (at most 4,000 bytes: 413 beyond)", NULL},
    {"author", P_STRING, false, NULL, "who says so (at most 200 bytes: 413 beyond)", NULL},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
static const body_spec b_verdict = {
    "Verdict", "what a person says of a suggested pair: the supplier, the buyer and the verdict",
    f_verdict};

static const body_field f_perimeter[] = {
    {"name", P_STRING, true, NULL, "the perimeter's name (at most 200 characters)",
     "Étang de Berre"},
    {"code", P_STRING, false, NULL, "its code, p-NAME (default: p- and the name's words)",
     "p-etang-de-berre"},
    {"members", P_STRING, true, NULL,
     "commune codes and EPCI SIREN, separated by spaces, commas or line ends; all or nothing",
     "13056 13047 13039 13081"},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
static const body_spec b_perimeter = {
    "Perimeter", "a named list of communes and EPCI (replaces a perimeter of the same code)",
    f_perimeter};
/* ------------------------------------------- accounts (issue 11): bodies */

static const param_spec p_id[] = {
    {"id", "path", P_INT, 1, 2147483647, true, "the identifier"}, END};
static const param_spec p_audit[] = {
    {"since", "query", P_STRING, 0, 25, false, "entries from this day (YYYY-MM-DD) or Unix time"},
    LIMIT(10000, "at most this many entries (default 1,000)"), END};
static const param_spec p_audit_csv[] = {
    {"since", "query", P_STRING, 0, 25, false, "entries from this day (YYYY-MM-DD) or Unix time"},
    {"plain", "query", P_BOOL, 0, 0, false, "plain CSV (commas, no BOM) rather than French"},
    END};
static const char s_session[] = OBJ("[\"signed_in\",\"accounts\",\"public_read\",\"csrf\"]");
static const char s_done[] = "{\"type\":\"object\"}";
static const char s_account[] = OBJ("[\"id\",\"email\",\"role\",\"sessions\",\"tokens\"]");
static const char s_token[] = OBJ("[\"id\",\"name\",\"scope\",\"token\"]");
static const char s_org[] = OBJ("[\"id\",\"name\",\"role\",\"members\",\"invitations\"]");
static const char s_invite[] = OBJ("[\"link\",\"token\",\"role\",\"expires\",\"mailed\"]");
static const char s_audit[] = "{\"type\":\"array\",\"items\":{\"type\":\"object\","
                              "\"required\":[\"id\",\"at\",\"actor\",\"action\"]}}";

static const body_field f_login[] = {
    {"email", P_STRING, true, NULL, "the account's email", NULL},
    {"password", P_STRING, true, NULL, "its password", NULL},
    {"organisation", P_STRING, false, NULL, "the organisation to act for (default: the first)", NULL},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
static const body_spec b_login = {"Login", "an email and a password", f_login};
static const body_field f_password[] = {
    {"current", P_STRING, true, NULL, "the current password", NULL},
    {"password", P_STRING, true, NULL, "the new one (8 to 200 bytes)", NULL},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
static const body_spec b_password = {"PasswordChange", "the current and the new password",
                                     f_password};
static const body_field f_token[] = {
    {"name", P_STRING, true, NULL, "what the token is for", NULL},
    {"scope", P_STRING, false, "read|write", "read (default): GET only; write: also changes", NULL},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
static const body_spec b_token = {"TokenRequest", "a name and a scope", f_token};
static const body_field f_member[] = {
    {"role", P_STRING, true, "guest|viewer|officer|admin|none", "the new role; none removes", NULL},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
static const body_spec b_member = {"MemberRole", "a member's role", f_member};
static const body_field f_invite[] = {
    {"role", P_STRING, true, "guest|viewer|officer|admin", "the role the invitation gives", NULL},
    {"email", P_STRING, false, NULL, "the only email that may use it (and where to mail it)", NULL},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
static const body_spec b_invite = {"Invitation", "a role and, optionally, an email", f_invite};
static const body_field f_accept[] = {
    {"token", P_STRING, true, NULL, "the secret of the invitation link", NULL},
    {"email", P_STRING, true, NULL, "the account's email", NULL},
    {"name", P_STRING, false, NULL, "the name shown as author", NULL},
    {"password", P_STRING, true, NULL, "a new password (or an existing account's)", NULL},
    {NULL, P_STRING, false, NULL, NULL, NULL},
};
static const body_spec b_accept = {"InvitationAcceptance", "who accepts an invitation", f_accept};

const route http_routes[] = {
    {
        .method = "GET",
        .pattern = "/api/v1/info",
        .fn = h_info,
        .summary = "What the database holds",
        .tag = "database",
        .params = p_none,
        .schema = s_info,
        .role = ROLE_PUBLIC,
        .open = true,
        .cache_seconds = 10,
        .description =
            "Counts every table (counts under 3 are null) and says whether the data holds "
            "generated demo data. Kept 10 seconds, and never across a change of the data.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/search",
        .fn = h_search,
        .summary = "Search establishments",
        .tag = "search",
        .params = p_search,
        .schema = s_search,
        .role = ROLE_PUBLIC,
        .description =
            "Words, a SIRET or SIREN, or a postcode; filters take a code or a name (a name of "
            "several places is a 400 listing them). The answer says what the query was understood "
            "as "
            "and, when nothing matched, the nearest trades.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/search/export.csv",
        .fn = h_search_csv,
        .summary = "Search results as CSV for a French spreadsheet (or plain), the first 10,000",
        .tag = "search",
        .params = p_search_export,
        .file_type = "text/csv",
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/search/export.xlsx",
        .fn = h_search_xlsx,
        .summary = "Search results as an Excel workbook, the first 10,000",
        .tag = "search",
        .params = p_search_export,
        .file_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/suggest",
        .fn = h_suggest,
        .summary =
            "Codes and names matching what is typed in a filter box (commune, EPCI, département, "
            "région, NAF)",
        .tag = "search",
        .params = p_suggest,
        .schema = s_suggest,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/establishments/{siret}",
        .fn = h_establishment,
        .summary = "One establishment",
        .tag = "establishments",
        .params = p_siret,
        .schema = s_show,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/establishments/{siret}/suppliers",
        .fn = h_suppliers,
        .summary = "Suggested suppliers, with their reasons",
        .tag = "suggestions",
        .params = p_match,
        .schema = s_match,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/establishments/{siret}/customers",
        .fn = h_customers,
        .summary = "Suggested customers, with their reasons",
        .tag = "suggestions",
        .params = p_match,
        .schema = s_match,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/establishments/{siret}/links",
        .fn = h_links,
        .summary = "Known links, rejected pairs and notes",
        .tag = "suggestions",
        .params = p_siret,
        .schema = s_links,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/companies/{siren}",
        .fn = h_company,
        .summary = "A company and its establishments",
        .tag = "establishments",
        .params = p_siren,
        .schema = s_company,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/verdicts",
        .fn = h_verdict,
        .summary = "Record a verdict on a pair (accept, reject, note, withdraw)",
        .tag = "suggestions",
        .params = p_none,
        .schema = s_verdict,
        .body = &b_verdict,
        .role = ROLE_OFFICER,
        .description =
            "accept, reject, note or withdraw a suggested pair. Accepted only with Content-Type: "
            "application/json and, when the request has an Origin, from the server's own origin or "
            "one given with --allow-origin.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/networks",
        .fn = h_networks,
        .summary = "Networks",
        .tag = "networks",
        .params = p_none,
        .schema = s_networks,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/networks/{name}",
        .fn = h_network,
        .summary = "A network's members",
        .tag = "networks",
        .params = p_name,
        .schema = s_network,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/networks/{name}/report",
        .fn = h_report,
        .summary = "Best pairs inside a network and its best outside partners",
        .tag = "networks",
        .params = p_name_limit,
        .schema = s_report,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/networks/{name}/bridges",
        .fn = h_bridges,
        .summary = "Cross-sector bridges in a network",
        .tag = "networks",
        .params = p_name_limit,
        .schema = s_bridges,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/networks/{name}/export.csv",
        .fn = h_export_csv,
        .summary = "The network's pairs as CSV for a French spreadsheet (or plain)",
        .tag = "networks",
        .params = p_name_plain,
        .file_type = "text/csv",
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/networks/{name}/export.xlsx",
        .fn = h_export_xlsx,
        .summary = "The network's report as an Excel workbook",
        .tag = "networks",
        .params = p_name,
        .file_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/territories",
        .fn = h_territories,
        .summary = "The territorial tree",
        .tag = "territories",
        .params = p_territories,
        .schema = s_territories,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/territories/{code}",
        .fn = h_territory,
        .summary = "A territory's summary",
        .tag = "territories",
        .params = p_territory,
        .schema = s_territory,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/territories/{code}/indicators",
        .fn = h_indicators,
        .summary = "A territory's indicators: jobs, industry, specialisations, diversity, "
                   "concentration, largest employers, creations and closures",
        .tag = "territories",
        .params = p_indicators,
        .schema = s_indicators,
        .role = ROLE_PUBLIC,
        .cache_seconds = 300,
        .description = "Location quotients compare the territory with a base the database "
                       "covers (bases_tried says which were tried and their coverage); figures "
                       "of fewer than 3 establishments are null. Methods: docs/methods.md.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/territories/{code}/opportunities",
        .fn = h_opportunities,
        .summary = "What a commune or an EPCI could grow into, and which of its firms could lead",
        .tag = "territories",
        .params = p_opportunities,
        .schema = s_opportunities,
        .role = ROLE_PUBLIC,
        .cache_seconds = 300,
        .description = "NAF classes with RCA under 1 and the highest density among the "
                       "database's communes (or EPCI), each with its closest classes the place "
                       "holds and their largest public establishments; every class's RCA and "
                       "density for the chart. Methods: docs/methods.md.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/rankings",
        .fn = h_rankings,
        .summary = "Territories ranked on weighted criteria, each score broken down",
        .tag = "territories",
        .params = p_rankings,
        .schema = s_rankings,
        .role = ROLE_PUBLIC,
        .cache_seconds = 300,
        .description = "Each territory with its score, and each criterion's value, normalised "
                       "value and contribution; the Territoires d'industrie each belongs to. "
                       "Methods: docs/methods.md (Rankings).",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/perimeters",
        .fn = h_perimeters,
        .summary = "Perimeters: the Territoires d'industrie and your own",
        .tag = "territories",
        .params = p_none,
        .schema = s_perimeters,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/perimeters",
        .fn = h_perimeter_define,
        .summary = "Define a perimeter from commune and EPCI codes",
        .tag = "territories",
        .params = p_none,
        .schema = s_perimeter,
        .body = &b_perimeter,
        .role = ROLE_OFFICER,
    },
    {
        .method = "DELETE",
        .pattern = "/api/v1/perimeters/{code}",
        .fn = h_perimeter_delete,
        .summary = "Delete a perimeter of yours",
        .tag = "territories",
        .params = p_perimeter,
        .schema = s_deleted,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/territories/{code}/export.csv",
        .fn = h_territory_csv,
        .summary = "A territory's figures as CSV (key figures)",
        .tag = "territories",
        .params = p_territory_plain,
        .file_type = "text/csv",
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/territories/{code}/export.xlsx",
        .fn = h_territory_xlsx,
        .summary =
            "A territory's figures as an Excel workbook (key figures, sectors, sizes, communes)",
        .tag = "territories",
        .params = p_territory,
        .file_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        .role = ROLE_PUBLIC,
    },
    /* report: the territory's PDF report and the indicators' exports (issue 12, part 7) */
    {
        .method = "GET",
        .pattern = "/api/v1/territories/{code}/report.pdf",
        .fn = h_territory_pdf,
        .summary = "A territory's report as PDF (A4), for a committee",
        .tag = "report",
        .params = p_report,
        .file_type = "application/pdf",
        .role = ROLE_PUBLIC,
        .description = "Key figures, sectors, specialisations with their quotients, company "
                       "categories, creations and closures by year, opportunities with named "
                       "firms (commune and EPCI), secrecy and methods; every page says when the "
                       "data is generated. French by default; lang=en.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/territories/{code}/choropleth",
        .fn = h_choropleth,
        .summary = "A territory's communes with the figures its map colours them by",
        .tag = "report",
        .params = p_territory,
        .schema = s_choropleth,
        .role = ROLE_PUBLIC,
        .cache_seconds = 300,
        .description = "Open establishments, per 1,000 inhabitants, and industry's share of "
                       "estimated jobs for each commune (Paris, Lyon, Marseille whole); a "
                       "commune of 1 or 2 establishments has null figures and secret true. "
                       "Methods: docs/methods.md; secrecy: docs/privacy.md.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/territories/{code}/indicators.csv",
        .fn = h_indicators_csv,
        .summary = "A territory's indicators as CSV (every table, then method and sources)",
        .tag = "report",
        .params = p_indicators_export,
        .file_type = "text/csv",
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/territories/{code}/indicators.xlsx",
        .fn = h_indicators_xlsx,
        .summary = "A territory's indicators as an Excel workbook (a sheet per table, and one "
                   "of method and sources)",
        .tag = "report",
        .params = p_indicators_export,
        .file_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/map",
        .fn = h_map,
        .summary = "Points of a territory's establishments",
        .tag = "map",
        .params = p_map,
        .schema = s_map,
        .role = ROLE_PUBLIC,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/map/clusters",
        .fn = http_map_clusters_handler,
        .summary = "A map view of a territory's establishments, counted by the server: clusters "
                   "per cell of "
                   "the zoom level, points where they are few",
        .tag = "map",
        .params = p_clusters,
        .schema = s_clusters,
        .role = ROLE_PUBLIC,
        .description =
            "Squares of 64 pixels of a web map at the zoom level: clusters of more than 3 "
            "establishments, the establishments of the others. Establishments with restricted "
            "diffusion are never placed nor counted.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/map/communes",
        .fn = h_map_communes,
        .summary = "Commune centres of a territory",
        .tag = "map",
        .params = p_communes,
        .schema = s_communes,
        .role = ROLE_PUBLIC,
    },
    /* ---- a firm's history (issue 11): private records, never kept (no cache) */
    {
        .method = "GET",
        .pattern = "/api/v1/establishments/{siret}/contacts",
        .fn = h_contacts,
        .summary = "An establishment's contacts and its company's",
        .tag = "history",
        .params = p_hist_siret,
        .schema = s_hist_contacts,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/establishments/{siret}/contacts",
        .fn = h_contact_add,
        .summary = "Add a contact (personal data: docs/privacy.md)",
        .tag = "history",
        .params = p_hist_siret,
        .schema = s_hist_contact,
        .body = &b_contact,
        .role = ROLE_OFFICER,
        .description = "Refused (403) for an establishment with restricted diffusion.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/contacts/{contact}",
        .fn = h_contact_update,
        .summary = "Change a contact's details",
        .tag = "history",
        .params = p_hist_contact,
        .schema = s_hist_contact,
        .body = &b_contact_update,
        .role = ROLE_OFFICER,
    },
    /* needs: the needs grid of a territory or a firm (issue 12 part 6) */
    {
        .method = "GET",
        .pattern = "/api/v1/territories/{code}/needs",
        .fn = h_needs_grid,
        .summary = "A territory's needs grid, as your organisation and its workspaces see it",
        .tag = "needs",
        .params = p_needs_territory,
        .schema = s_needs,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/territories/{code}/needs",
        .fn = h_needs_grid_set,
        .summary = "Set a level (and a note) for one need of a territory",
        .tag = "needs",
        .params = p_needs_territory,
        .schema = s_needs,
        .body = &b_need,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/establishments/{siret}/needs",
        .fn = h_needs_grid,
        .summary = "A firm's needs grid, as your organisation and its workspaces see it",
        .tag = "needs",
        .params = p_needs_firm,
        .schema = s_needs,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/establishments/{siret}/needs",
        .fn = h_needs_grid_set,
        .summary = "Set a level (and a note) for one need of a firm",
        .tag = "needs",
        .params = p_needs_firm,
        .schema = s_needs,
        .body = &b_need,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/establishments/{siret}/interactions",
        .fn = h_interactions,
        .summary = "Interactions with an establishment, newest first",
        .tag = "history",
        .params = p_hist_siret,
        .schema = s_hist_interactions,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/establishments/{siret}/interactions",
        .fn = h_interaction_add,
        .summary = "Record a visit, call, meeting, email or event",
        .tag = "history",
        .params = p_hist_siret,
        .schema = s_hist_interaction,
        .body = &b_interaction,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/establishments/{siret}/follow-ups",
        .fn = h_firm_followups,
        .summary = "An establishment's follow-ups",
        .tag = "history",
        .params = p_hist_firm_followups,
        .schema = s_hist_followups,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/establishments/{siret}/follow-ups",
        .fn = h_followup_add,
        .summary = "Add a follow-up: what, by when, by whom",
        .tag = "history",
        .params = p_hist_siret,
        .schema = s_hist_followup,
        .body = &b_followup,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/follow-ups",
        .fn = h_followups,
        .summary = "Follow-ups of every firm (overdue=1: the overdue ones)",
        .tag = "history",
        .params = p_hist_followups,
        .schema = s_hist_followups,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/follow-ups/{followup}/done",
        .fn = h_followup_done,
        .summary = "Mark a follow-up done, or to do again",
        .tag = "history",
        .params = p_hist_followup,
        .schema = s_hist_followup,
        .body = &b_followup_done,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/establishments/{siret}/documents",
        .fn = h_documents,
        .summary = "An establishment's documents",
        .tag = "history",
        .params = p_hist_siret,
        .schema = s_hist_documents,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/establishments/{siret}/documents",
        .fn = h_document_add,
        .summary = "Attach a document (the file as the body)",
        .tag = "history",
        .params = p_hist_upload,
        .schema = s_hist_document,
        .role = ROLE_OFFICER,
        .upload_max = HISTORY_UPLOAD_MAX,
        .description =
            "The file's bytes as the body, Content-Type: application/octet-stream, its name in "
            "?filename=. Accepted: PDF, PNG, JPEG, ODT/ODS/ODP, DOCX/XLSX/PPTX, CSV, TXT, "
            "recognised by their first bytes and agreeing with the name's extension (422 "
            "otherwise); at most the configured size (10 MB by default; 413 beyond).",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/documents/{document}",
        .fn = h_document_get,
        .summary = "A document, as an attachment",
        .tag = "history",
        .params = p_hist_document,
        .role = ROLE_VIEWER,
        .file_type = "application/octet-stream",
        .description = "Always Content-Disposition: attachment, with the type recognised at "
                       "upload (never HTML) and X-Content-Type-Options: nosniff.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/establishments/{siret}/timeline",
        .fn = h_timeline,
        .summary = "Everything about an establishment and its company, newest first",
        .tag = "history",
        .params = p_hist_siret,
        .schema = s_hist_timeline,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/gdpr/export",
        .fn = h_gdpr_export,
        .summary = "Everything held on one person (admins)",
        .tag = "history",
        .params = p_hist_none,
        .schema = s_hist_export,
        .body = &b_person,
        .role = ROLE_ADMIN,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/gdpr/erase",
        .fn = h_gdpr_erase,
        .summary = "Erase a person's data, keeping an anonymised trace (admins)",
        .tag = "history",
        .params = p_hist_none,
        .schema = s_hist_erase,
        .body = &b_person,
        .role = ROLE_ADMIN,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/gdpr/review",
        .fn = h_gdpr_review,
        .summary = "Contacts kept past the retention period (admins)",
        .tag = "history",
        .params = p_hist_none,
        .schema = s_hist_review,
        .role = ROLE_ADMIN,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/gdpr/erasures",
        .fn = h_gdpr_erasures,
        .summary = "The anonymised traces of the erasures made (admins)",
        .tag = "history",
        .params = p_hist_none,
        .schema = s_hist_erasures,
        .role = ROLE_ADMIN,
    },
    /* ---- end of the history */
    /* ---- business conventions (issue 14): an organisation's events, never kept */
    {
        .method = "GET",
        .pattern = "/api/v1/events",
        .fn = h_events,
        .summary = "The events the caller's organisations run, newest first",
        .tag = "events",
        .params = p_ev_none,
        .schema = s_ev_list,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/events",
        .fn = h_event_add,
        .summary = "Make an event: its day, slots, breaks and tables",
        .tag = "events",
        .params = p_ev_none,
        .schema = s_ev_event,
        .body = &b_ev_event,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/events/{event}",
        .fn = h_event_show,
        .summary = "An event with its participants, requests, meetings and grid",
        .tag = "events",
        .params = p_ev_event,
        .schema = s_ev_show,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/events/{event}/participants",
        .fn = h_event_participant_add,
        .summary = "Add a participant; the answer holds its personal agenda link, shown once",
        .tag = "events",
        .params = p_ev_event,
        .schema = s_ev_participant,
        .body = &b_ev_participant,
        .role = ROLE_OFFICER,
        .description = "An establishment with restricted diffusion is refused (403).",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/events/{event}/participants/{participant}/link",
        .fn = h_event_participant_link,
        .summary = "A new personal agenda link for a participant (the old one stops working)",
        .tag = "events",
        .params = p_ev_participant,
        .schema = s_ev_participant,
        .role = ROLE_OFFICER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/events/{event}/requests",
        .fn = h_event_request_add,
        .summary = "Ask for a meeting between two participants",
        .tag = "events",
        .params = p_ev_event,
        .schema = s_ev_request,
        .body = &b_ev_request,
        .role = ROLE_OFFICER,
        .description = "Refused (400), said why: a pair of one side in a two-sided event, no shared slot, more must-meets than a participant can have, an unknown participant.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/events/{event}/requests/accept",
        .fn = h_event_request_accept,
        .summary = "Accept a pending request",
        .tag = "events",
        .params = p_ev_event,
        .schema = s_ev_request,
        .body = &b_ev_pair,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/events/{event}/suggestions",
        .fn = h_event_suggestions,
        .summary = "Suggested requests among the event's establishments, each with its reason",
        .tag = "events",
        .params = p_ev_event,
        .schema = s_ev_suggestions,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/events/{event}/schedule",
        .fn = h_event_schedule,
        .summary = "Compute, check and save the schedule (locked meetings kept)",
        .tag = "events",
        .params = p_ev_event,
        .schema = s_ev_schedule,
        .body = &b_ev_schedule,
        .role = ROLE_OFFICER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/events/{event}/lock",
        .fn = h_event_lock,
        .summary = "Lock a scheduled meeting in place, or unlock it",
        .tag = "events",
        .params = p_ev_event,
        .schema = s_ev_ok,
        .body = &b_ev_lock,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/events/{event}/agenda/{participant}",
        .fn = h_event_agenda,
        .summary = "A participant's agenda",
        .tag = "events",
        .params = p_ev_participant,
        .schema = s_ev_agenda,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/events/{event}/agenda/{participant}/ics",
        .fn = h_event_agenda_ics,
        .summary = "A participant's agenda as iCalendar",
        .tag = "events",
        .params = p_ev_participant,
        .role = ROLE_VIEWER,
        .file_type = "text/calendar",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/events/{event}/grid.xlsx",
        .fn = h_event_grid_xlsx,
        .summary = "The organiser's grid (slots by tables) and the meetings, as Excel",
        .tag = "events",
        .params = p_ev_event,
        .role = ROLE_VIEWER,
        .file_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    },
    /* agendas: the PDF agenda and the table plan (issue 14) */
    {
        .method = "GET",
        .pattern = "/api/v1/events/{event}/agenda/{participant}/pdf",
        .fn = h_event_agenda_pdf,
        .summary = "A participant's agenda as PDF (A4)",
        .tag = "events",
        .params = p_ev_participant_pdf,
        .role = ROLE_VIEWER,
        .file_type = "application/pdf",
        .description = "The event, the participant, every slot with its meeting (time, table, "
                       "the other party's name, commune and activity) or free, the breaks; says "
                       "when the event's firms are generated. French by default; lang=en.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/events/{event}/publish",
        .fn = h_event_publish,
        .summary = "Publish the schedule: later changes are noted in each participant's agenda",
        .tag = "events",
        .params = p_ev_event,
        .schema = s_ev_publish,
        .role = ROLE_OFFICER,
        .description = "Needs a schedule. From then on each new schedule (a re-run, a "
                       "cancellation, a do-not-meet request) records, per participant, each "
                       "meeting moved, new or cancelled. Publishing again changes nothing "
                       "(already: true).",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/events/{event}/changes",
        .fn = h_event_changes,
        .summary = "What changed since publication, per participant, and whether they saw it",
        .tag = "events",
        .params = p_ev_changes,
        .schema = s_ev_changes,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/events/{event}/plan.pdf",
        .fn = h_event_plan_pdf,
        .summary = "The table plan as PDF: slot by slot, which pair sits at which table",
        .tag = "events",
        .params = p_ev_event_pdf,
        .role = ROLE_VIEWER,
        .file_type = "application/pdf",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/events/{event}/outcomes",
        .fn = h_event_outcome,
        .summary = "What followed a meeting: it joins the firms' timelines and verdicts",
        .tag = "events",
        .params = p_ev_event,
        .schema = s_ev_outcome,
        .body = &b_ev_outcome,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/agenda/{token}",
        .fn = h_agenda_link,
        .summary = "A participant's agenda, by its personal link (no account needed)",
        .tag = "events",
        .params = p_ev_token,
        .schema = s_ev_agenda,
        .role = ROLE_PUBLIC,
        .open = true,
        .description = "Only the meetings of the participant the link was made for; 404 for a link that is unknown or was replaced.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/agenda/{token}/ics",
        .fn = h_agenda_link_ics,
        .summary = "The same agenda as iCalendar",
        .tag = "events",
        .params = p_ev_token,
        .role = ROLE_PUBLIC,
        .open = true,
        .file_type = "text/calendar",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/agenda/{token}/seen",
        .fn = h_agenda_link_seen,
        .summary = "The participant has seen the changes of their agenda (its notices go)",
        .tag = "events",
        .params = p_ev_token,
        .schema = s_ev_seen,
        .role = ROLE_PUBLIC,
        .open = true,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/agenda/{token}/pdf",
        .fn = h_agenda_link_pdf,
        .summary = "The same agenda as PDF (A4)",
        .tag = "events",
        .params = p_ev_token_pdf,
        .role = ROLE_PUBLIC,
        .open = true,
        .file_type = "application/pdf",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/needs",
        .fn = h_needs,
        .summary = "Public buyers' innovation needs the caller's organisations follow",
        .tag = "events",
        .params = p_ev_none,
        .schema = s_ev_needs,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/needs",
        .fn = h_need_add,
        .summary = "Record a public buyer's innovation need",
        .tag = "events",
        .params = p_ev_none,
        .schema = s_ev_need,
        .body = &b_ev_need,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/needs/{need}",
        .fn = h_need_show,
        .summary = "A need with its route (the threshold), checklist and local firms that could answer",
        .tag = "events",
        .params = p_ev_need_show,
        .schema = s_ev_need_show,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/needs/{need}/evidence",
        .fn = h_need_evidence,
        .summary = "Mark a piece of evidence of the checklist gathered, or not",
        .tag = "events",
        .params = p_ev_need,
        .schema = s_ev_need_show,
        .body = &b_ev_evidence,
        .role = ROLE_OFFICER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/needs/{need}/award",
        .fn = h_need_award,
        .summary = "Record the contract notified",
        .tag = "events",
        .params = p_ev_need,
        .schema = s_ev_need_show,
        .body = &b_ev_award,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/needs/{need}/decp",
        .fn = h_need_decp,
        .summary = "The purchase as a DECP record (public-procurement data, schema 2.0.3)",
        .tag = "events",
        .params = p_ev_need,
        .schema = s_ev_decp,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/needs/{need}/invite",
        .fn = h_need_invite,
        .summary = "An innovation conference: the buyer meets the suggested firms in an event",
        .tag = "events",
        .params = p_ev_need,
        .schema = s_ev_invite,
        .body = &b_ev_invite,
        .role = ROLE_OFFICER,
    },
    /* CPV codes, a need's code, what outcomes teach (issue 14) */
    {
        .method = "GET",
        .pattern = "/api/v1/cpv",
        .fn = h_cpv_search,
        .summary = "CPV 2008 codes whose French label has these words, or that start with these digits",
        .tag = "events",
        .params = p_ev_cpv_search,
        .schema = s_ev_cpv_search,
        .role = ROLE_PUBLIC,
        .cache_seconds = 3600,
        .description = "Accents, case and plurals are ignored (the label and the words are folded "
                       "and stemmed as search folds French); each word may start a longer one; 4 "
                       "words at most; shortest labels first.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/cpv/{code}",
        .fn = h_cpv_show,
        .summary = "A CPV 2008 code with its French and English labels",
        .tag = "events",
        .params = p_ev_cpv,
        .schema = s_ev_cpv,
        .role = ROLE_PUBLIC,
        .cache_seconds = 3600,
        .description = "400, said why: not 8 digits, not a code of the CPV 2008, a wrong check digit.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/needs/{need}/cpv",
        .fn = h_need_cpv,
        .summary = "Set a need's CPV code (checked against the CPV 2008), or take it away",
        .tag = "events",
        .params = p_ev_need,
        .schema = s_ev_need_show,
        .body = &b_ev_need_cpv,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/meetings/learning",
        .fn = h_event_learning,
        .summary = "What past meetings teach the suggested requests, by kind of pair (supplier and customer NAF divisions)",
        .tag = "events",
        .params = p_ev_none,
        .schema = s_ev_learning,
        .role = ROLE_VIEWER,
        .description = "Only the outcomes of the events the caller's organisations may read.",
    },
    /* ---- end of business conventions */
    /* ---- programmes (issue 13): confidential to the programme's organisations, never kept (no cache) */
    {
        .method = "POST",
        .pattern = "/api/v1/programmes",
        .fn = h_programme_add,
        .summary = "Create a programme with its envelopes (the caller's organisation runs it)",
        .tag = "programmes",
        .params = p_prog_none,
        .schema = s_prog,
        .body = &b_programme,
        .role = ROLE_OFFICER,
        .description = "Amounts in euros as text; answers give integer cents.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes",
        .fn = h_programmes,
        .summary = "The programmes the caller's organisation runs",
        .tag = "programmes",
        .params = p_prog_none,
        .schema = s_prog_list,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}",
        .fn = h_programme,
        .summary = "A programme: organisations, envelopes and their rules",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_prog,
        .role = ROLE_VIEWER,
        .description = "404 for a programme the caller's organisation does not run.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/programmes/{programme}/projects",
        .fn = h_project_add,
        .summary = "Add a firm's project",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_prog_project,
        .body = &b_project,
        .role = ROLE_OFFICER,
        .description = "Refused (403) for a firm with restricted diffusion.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/projects",
        .fn = h_projects,
        .summary = "A programme's projects and the pipeline's stages (stale ones flagged)",
        .tag = "programmes",
        .params = p_prog_projects,
        .schema = s_prog_projects,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/projects/{project}",
        .fn = h_project,
        .summary = "A project: aid, ledger entries, repayment schedule on a day",
        .tag = "programmes",
        .params = p_prog_project_at,
        .schema = s_prog_project,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/projects/{project}",
        .fn = h_project_edit,
        .summary = "Change a project's fields (before the decision; after it, title and description)",
        .tag = "programmes",
        .params = p_prog_project,
        .schema = s_prog_project,
        .body = &b_project_edit,
        .role = ROLE_OFFICER,
        .description = "Refused (409) for a figure of a decided project.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/projects/{project}/stage",
        .fn = h_project_stage,
        .summary = "Move a project to another stage",
        .tag = "programmes",
        .params = p_prog_project,
        .schema = s_prog_project,
        .body = &b_project_stage,
        .role = ROLE_OFFICER,
        .description = "Refused (409) with the rule when the move is not allowed.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/projects/{project}/decision",
        .fn = h_project_decision,
        .summary = "Decide a project's aid (commitments and the advance's schedule)",
        .tag = "programmes",
        .params = p_prog_project,
        .schema = s_prog_project,
        .body = &b_decision,
        .role = ROLE_OFFICER,
        .description = "Refused (409) with the reason when it exceeds an envelope, the most per project, the aid intensity or the de minimis ceiling.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/projects/{project}/ledger",
        .fn = h_project_entry,
        .summary = "Record a payment, repayment or cancellation",
        .tag = "programmes",
        .params = p_prog_project,
        .schema = s_prog_project,
        .body = &b_entry,
        .role = ROLE_OFFICER,
        .description = "Refused (409) with the reason when it pays more than is committed, repays more than is paid or cancels what is paid.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/ledger",
        .fn = h_programme_ledger,
        .summary = "A programme's ledger, oldest first",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_prog_ledger,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/position",
        .fn = h_programme_position,
        .summary = "Each envelope's position on a day, computed from the ledger",
        .tag = "programmes",
        .params = p_prog_position,
        .schema = s_prog_position,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/impact",
        .fn = h_programme_impact,
        .summary = "What the decided projects add up to on a day: aid, jobs, leverage, repayments",
        .tag = "programmes",
        .params = p_prog_position,
        .schema = s_prog_impact,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/export.xlsx",
        .fn = h_programme_xlsx,
        .summary = "The programme's workbook for its funders: envelopes, projects, ledger, impact",
        .tag = "programmes",
        .params = p_prog_position,
        .file_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/programmes/{programme}/interviews",
        .fn = h_interview_add,
        .summary = "Record an interview of a firm: needs grid, red flags, notes",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_prog_interview,
        .body = &b_interview,
        .role = ROLE_OFFICER,
        .description = "Refused (403) for a firm with restricted diffusion.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/interviews",
        .fn = h_interviews,
        .summary = "A programme's interviews, oldest first",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_prog_interviews,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/synthesis",
        .fn = h_programme_synthesis,
        .summary = "The synthesis of the interviews: needs by theme and sector, red flags, projects by type",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_prog_synthesis,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/committee",
        .fn = h_programme_committee,
        .summary = "The committee's agenda: projects at the committee stage checked against the rules, envelopes before and after",
        .tag = "programmes",
        .params = p_prog_position,
        .schema = s_prog_committee,
        .role = ROLE_VIEWER,
    },
    /* ---- campaigns and roadmaps (issue 13, item 2): confidential to the programme's organisations, never kept */
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/engineering",
        .fn = h_engineering,
        .summary = "The engineering budget's position in tenths of a person-day: budget, consumed, reserved, left",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_engineering,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/programmes/{programme}/engineering",
        .fn = h_engineering_set,
        .summary = "Set the programme's engineering budget in person-days",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_engineering,
        .body = &b_engineering,
        .role = ROLE_OFFICER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/programmes/{programme}/campaigns",
        .fn = h_campaign_add,
        .summary = "Create an interview campaign of a programme (name, period)",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_campaign,
        .body = &b_campaign,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/campaigns",
        .fn = h_campaigns,
        .summary = "A programme's campaigns with their counts and the engineering budget's position",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_campaigns,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/campaigns/{campaign}",
        .fn = h_campaign,
        .summary = "A campaign: the firms on its list with their planned visits and status, removed firms with their reason, workshops, engineering position",
        .tag = "programmes",
        .params = p_campaign,
        .schema = s_campaign,
        .role = ROLE_VIEWER,
        .description = "404 for a campaign of a programme the caller's organisation does not run.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/campaigns/{campaign}/suggestions",
        .fn = h_campaign_suggestions,
        .summary = "Firms suggested for the campaign in the programme's territory: industrial establishments with employees, scored, each reason with its source",
        .tag = "programmes",
        .params = p_campaign_top,
        .schema = s_campaign_suggest,
        .role = ROLE_VIEWER,
        .description = "Never an establishment of restricted diffusion. The score is explained in docs/methods.md (Campaign suggestions).",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/campaigns/{campaign}/suggestions",
        .fn = h_campaign_suggestions_save,
        .summary = "Put the best suggestions not yet on the list (nor removed from it) on the campaign's list",
        .tag = "programmes",
        .params = p_campaign,
        .schema = s_campaign_suggest,
        .body = &b_suggest,
        .role = ROLE_OFFICER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/campaigns/{campaign}/firms",
        .fn = h_campaign_firm_add,
        .summary = "Add an establishment to the campaign's list with the reason",
        .tag = "programmes",
        .params = p_campaign,
        .schema = s_campaign_firm,
        .body = &b_campaign_firm,
        .role = ROLE_OFFICER,
        .description = "Refused (403) for a firm with restricted diffusion.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/campaigns/{campaign}/visits",
        .fn = h_campaign_visit,
        .summary = "Plan (or move) a firm's visit: day, time, consultant, person-days reserved on the engineering budget",
        .tag = "programmes",
        .params = p_campaign,
        .schema = s_campaign_firm,
        .body = &b_visit,
        .role = ROLE_OFFICER,
        .description = "Refused (409) when the days would go past the programme's engineering budget; the message gives the figures.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/campaigns/{campaign}/status",
        .fn = h_campaign_status,
        .summary = "A visit's status: to_contact, planned, done (its days consumed) or declined",
        .tag = "programmes",
        .params = p_campaign,
        .schema = s_campaign_firm,
        .body = &b_visit_status,
        .role = ROLE_OFFICER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/campaigns/{campaign}/workshops",
        .fn = h_campaign_workshop,
        .summary = "Record a workshop consuming person-days of the engineering budget",
        .tag = "programmes",
        .params = p_campaign,
        .schema = s_workshop,
        .body = &b_workshop,
        .role = ROLE_OFFICER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/campaigns/{campaign}/removals",
        .fn = h_campaign_firm_remove,
        .summary = "Take an establishment off the campaign's list (kept as removed, with the reason)",
        .tag = "programmes",
        .params = p_campaign,
        .schema = s_campaign_firm,
        .body = &b_campaign_firm,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/campaigns/{campaign}/synthesis",
        .fn = h_campaign_synthesis,
        .summary = "The synthesis of the campaign's interviews: needs by theme and sector, red flags, projects detected by type",
        .tag = "programmes",
        .params = p_campaign,
        .schema = s_prog_synthesis,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/interviews/{interview}/projects",
        .fn = h_interview_project,
        .summary = "Record a project detected during an interview (the interview's firm; the project points back to it)",
        .tag = "programmes",
        .params = p_interview,
        .schema = s_prog_project,
        .body = &b_interview_project,
        .role = ROLE_OFFICER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/programmes/{programme}/actions",
        .fn = h_action_add,
        .summary = "Add an action to the programme's roadmap: owner, due day, the project or need it serves",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_action,
        .body = &b_action,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/actions",
        .fn = h_actions,
        .summary = "The roadmap's actions by due day, late ones said",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_actions,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/actions/{action}/state",
        .fn = h_action_state,
        .summary = "Mark a roadmap action done, or open again",
        .tag = "programmes",
        .params = p_action,
        .schema = s_action,
        .body = &b_action_state,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/roadmap.pdf",
        .fn = h_roadmap_pdf,
        .summary = "The roadmap document as PDF: programme, engineering budget, each campaign's synthesis (no figure from fewer than 3 firms), actions",
        .tag = "programmes",
        .params = p_prog,
        .file_type = "application/pdf",
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/roadmap.docx",
        .fn = h_roadmap_docx,
        .summary = "The roadmap document as a Word-compatible .docx (Office Open XML)",
        .tag = "programmes",
        .params = p_prog,
        .file_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        .role = ROLE_VIEWER,
    },
    /* ---- end of programmes */
    /* ---- impact follow-up and poles (issue 13 parts 6, 7): confidential as programmes, no cache */
    {
        .method = "POST",
        .pattern = "/api/v1/programmes/{programme}/milestones",
        .fn = h_impact_milestones,
        .summary = "Set the follow-up milestones: months after each project's decision",
        .tag = "programmes",
        .params = p_prog,
        .schema = s_impact_milestones,
        .body = &b_impact_milestones,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/followups",
        .fn = h_impact_due,
        .summary = "The impact follow-ups due and overdue on a day (all of them with all=true)",
        .tag = "programmes",
        .params = p_impact_due,
        .schema = s_impact_due,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/indicators",
        .fn = h_impact_report,
        .summary = "Impact per project and for the programme: leverage, aid per job, repayment rate, jobs promised and realised",
        .tag = "programmes",
        .params = p_impact_report,
        .schema = s_impact_report,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/impact.xlsx",
        .fn = h_impact_xlsx,
        .summary = "The impact workbook for the funders: indicators, projects, follow-ups, method",
        .tag = "programmes",
        .params = p_prog_position,
        .file_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/impact.csv",
        .fn = h_impact_csv,
        .summary = "The impact report as CSV for a French spreadsheet",
        .tag = "programmes",
        .params = p_prog_position,
        .file_type = "text/csv",
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/projects/{project}/followups",
        .fn = h_impact_record,
        .summary = "Record a decided project's figures at a milestone: jobs created and kept, investment realised",
        .tag = "programmes",
        .params = p_prog_project,
        .schema = s_impact_report,
        .body = &b_impact_record,
        .role = ROLE_OFFICER,
        .description = "Refused (409) before the decision; 400 for a month that is not a milestone.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/projects/{project}/pole",
        .fn = h_project_pole,
        .summary = "An R&D project's partners, TRL history and needs",
        .tag = "programmes",
        .params = p_prog_project,
        .schema = s_pole,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/projects/{project}/partners",
        .fn = h_project_partner_add,
        .summary = "Add a partner to a collaborative R&D project (an establishment or a lab by name)",
        .tag = "programmes",
        .params = p_prog_project,
        .schema = s_pole,
        .body = &b_pole_partner,
        .role = ROLE_OFFICER,
        .description = "Refused (403) for an establishment with restricted diffusion, (409) for a project that is not collaborative_rd.",
    },
    {
        .method = "DELETE",
        .pattern = "/api/v1/projects/{project}/partners/{partner}",
        .fn = h_project_partner_delete,
        .summary = "Remove a partner",
        .tag = "programmes",
        .params = p_pole_partner,
        .schema = s_pole,
        .role = ROLE_OFFICER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/projects/{project}/trl",
        .fn = h_project_trl_add,
        .summary = "Record a TRL assessment (1 to 9) of an R&D project",
        .tag = "programmes",
        .params = p_prog_project,
        .schema = s_pole,
        .body = &b_pole_trl,
        .role = ROLE_OFFICER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/projects/{project}/needs",
        .fn = h_project_need_add,
        .summary = "Add a part or capability an R&D project needs (words and/or a NAF code)",
        .tag = "programmes",
        .params = p_prog_project,
        .schema = s_pole,
        .body = &b_pole_need,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/projects/{project}/suggestions",
        .fn = h_project_suggest,
        .summary = "From TRL 6: local manufacturers and subcontractors for each need, each with why",
        .tag = "programmes",
        .params = p_pole_suggest,
        .schema = s_pole_suggest,
        .role = ROLE_VIEWER,
        .description = "Refused (409) before TRL 6 or without needs. Never an establishment with restricted diffusion.",
    },
    {
        .method = "DELETE",
        .pattern = "/api/v1/projects/{project}/needs/{need}",
        .fn = h_project_need_delete,
        .summary = "Remove a need",
        .tag = "programmes",
        .params = p_pole_need,
        .schema = s_pole,
        .role = ROLE_OFFICER,
    },
    /* ---- end of impact follow-up and poles */
    /* ---- aid schemes and committees (issue 13 parts 3 and 5): the catalogue is read by
     * any viewer; projects and committees are confidential to the programme's
     * organisations (a committee member's reads, an officer's writes), never kept */
    {
        .method = "GET",
        .pattern = "/api/v1/schemes",
        .fn = h_schemes,
        .summary = "The catalogue of aid schemes (Etalab's schema-dispositif-aide columns)",
        .tag = "committees",
        .params = p_com_none,
        .schema = s_com_schemes,
        .role = ROLE_VIEWER,
        .description = "The starting catalogue shipped in data/schemes is written by the maillage "
                       "team, not an official list: check each scheme on its official page.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/projects/{project}/schemes",
        .fn = h_project_schemes,
        .summary = "The schemes a project is eligible for, each condition met, unmet or unknown, explained",
        .tag = "committees",
        .params = p_com_project_at,
        .schema = s_com_eligible,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/projects/{project}/routes",
        .fn = h_project_route,
        .summary = "Route a project to a scheme of the catalogue (a detected or qualified project becomes routed)",
        .tag = "committees",
        .params = p_com_project,
        .schema = s_com_routes,
        .body = &b_com_route,
        .role = ROLE_OFFICER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/programmes/{programme}/committees",
        .fn = h_committee_add,
        .summary = "A committee meeting: its agenda is built from the projects ready",
        .tag = "committees",
        .params = p_com_prog,
        .schema = s_committee,
        .body = &b_committee,
        .role = ROLE_OFFICER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/programmes/{programme}/committees",
        .fn = h_committees,
        .summary = "A programme's committee meetings",
        .tag = "committees",
        .params = p_com_prog,
        .schema = s_com_list,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/committees/{committee}",
        .fn = h_committee,
        .summary = "A committee: members, the agenda with one sheet per project (firm, interviews, request, every rule checked, envelopes before and after), votes, decisions",
        .tag = "committees",
        .params = p_com_id,
        .schema = s_committee,
        .role = ROLE_VIEWER,
        .description = "404 for a committee of a programme the caller's organisation does not run.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/committees/{committee}/order",
        .fn = h_committee_order,
        .summary = "The agenda's order (a ready project not on it joins it)",
        .tag = "committees",
        .params = p_com_id,
        .schema = s_committee,
        .body = &b_com_order,
        .role = ROLE_OFFICER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/committees/{committee}/votes",
        .fn = h_committee_vote,
        .summary = "A member's vote on a project of the agenda",
        .tag = "committees",
        .params = p_com_id,
        .schema = s_committee,
        .body = &b_com_vote,
        .role = ROLE_OFFICER,
        .description = "Refused (409) once the project is decided.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/committees/{committee}/decisions",
        .fn = h_committee_decision,
        .summary = "The committee's decision on a project: a grant goes through the project's decision, a refusal rejects it",
        .tag = "committees",
        .params = p_com_id,
        .schema = s_committee,
        .body = &b_com_decision,
        .role = ROLE_OFFICER,
        .description = "Refused (409) with the reason when the grant breaks an envelope, the most per project, the aid intensity or the de minimis ceiling, or when the votes recorded do not carry it.",
    },
    {
        .method = "GET",
        .pattern = "/api/v1/committees/{committee}/minutes.pdf",
        .fn = h_committee_minutes,
        .summary = "The committee's minutes as PDF (members, votes, decisions, envelopes after)",
        .tag = "committees",
        .params = p_com_id,
        .file_type = "application/pdf",
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/committees/{committee}/letters.pdf",
        .fn = h_committee_letters,
        .summary = "The notification letters as PDF, one page per decided project",
        .tag = "committees",
        .params = p_com_id,
        .file_type = "application/pdf",
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/committees/{committee}/pack.pdf",
        .fn = h_committee_pack,
        .summary = "The committee pack as PDF: the agenda and one sheet per project",
        .tag = "committees",
        .params = p_com_id,
        .file_type = "application/pdf",
        .role = ROLE_VIEWER,
    },
    /* ---- end of aid schemes and committees */
    {
        .method = "GET",
        .pattern = "/api/v1/openapi.json",
        .fn = http_openapi_handler,
        .summary = "This document: the OpenAPI 3.1 description of the API, generated from the "
                   "server's route table",
        .tag = "api",
        .params = p_none,
        .schema = "{\"type\":\"object\",\"required\":[\"openapi\",\"paths\"]}",
        .role = ROLE_PUBLIC,
        .open = true,
    },
    /* ---------------------------------------------- accounts (issue 11) */
    {
        .method = "GET",
        .pattern = "/api/v1/session",
        .fn = http_session_get,
        .summary = "Who is signed in, and the CSRF token every change must send",
        .tag = "accounts",
        .params = p_none,
        .schema = s_session,
        .role = ROLE_PUBLIC,
        .open = true,
        .description = "Not signed in: also sets the maillage_csrf cookie whose value (csrf) "
                       "goes in the X-CSRF-Token header of a login.",
    },
    {
        .method = "POST",
        .pattern = "/api/v1/session",
        .fn = http_session_login,
        .summary = "Sign in: a new session (cookie maillage_session) and its CSRF token",
        .tag = "accounts",
        .params = p_none,
        .schema = s_session,
        .body = &b_login,
        .role = ROLE_PUBLIC,
        .open = true,
        .audit_self = true,
        .description = "401 for a wrong email or password; 429 with Retry-After after too many "
                       "failures for the account or the address.",
    },
    {
        .method = "DELETE",
        .pattern = "/api/v1/session",
        .fn = http_session_logout,
        .summary = "Sign out (this session)",
        .tag = "accounts",
        .params = p_none,
        .schema = s_done,
        .role = ROLE_GUEST,
    },
    {
        .method = "DELETE",
        .pattern = "/api/v1/sessions",
        .fn = http_session_logout_all,
        .summary = "Sign out everywhere (every session of the account)",
        .tag = "accounts",
        .params = p_none,
        .schema = s_done,
        .role = ROLE_GUEST,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/account",
        .fn = http_account_get,
        .summary = "One's account: organisations, sessions, API tokens",
        .tag = "accounts",
        .params = p_none,
        .schema = s_account,
        .role = ROLE_GUEST,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/account/password",
        .fn = http_account_password,
        .summary = "Change one's password (other sessions end)",
        .tag = "accounts",
        .params = p_none,
        .schema = s_done,
        .body = &b_password,
        .role = ROLE_GUEST,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/tokens",
        .fn = http_token_create,
        .summary = "A new API token (shown once), for scripts: Authorization: Bearer TOKEN",
        .tag = "accounts",
        .params = p_none,
        .schema = s_token,
        .body = &b_token,
        .role = ROLE_VIEWER,
    },
    {
        .method = "DELETE",
        .pattern = "/api/v1/tokens/{id}",
        .fn = http_token_revoke,
        .summary = "Revoke one of one's API tokens",
        .tag = "accounts",
        .params = p_id,
        .schema = s_done,
        .role = ROLE_VIEWER,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/org",
        .fn = http_org_get,
        .summary = "One's organisation: its members (and invitations, for its administrators)",
        .tag = "accounts",
        .params = p_none,
        .schema = s_org,
        .role = ROLE_VIEWER,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/org/members/{id}",
        .fn = http_member_set,
        .summary = "Change a member's role, or remove them (role none)",
        .tag = "accounts",
        .params = p_id,
        .schema = s_done,
        .body = &b_member,
        .role = ROLE_ADMIN,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/org/invites",
        .fn = http_invite_create,
        .summary = "Invite a member: a one-time link to copy (or mailed, when configured)",
        .tag = "accounts",
        .params = p_none,
        .schema = s_invite,
        .body = &b_invite,
        .role = ROLE_ADMIN,
    },
    {
        .method = "POST",
        .pattern = "/api/v1/invites/accept",
        .fn = http_invite_accept,
        .summary = "Accept an invitation: the account is made (or joins) and signed in",
        .tag = "accounts",
        .params = p_none,
        .schema = s_session,
        .body = &b_accept,
        .role = ROLE_PUBLIC,
        .open = true,
        .audit_self = true,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/audit",
        .fn = http_audit_get,
        .summary = "The audit log: every write, who, when, from where (administrators)",
        .tag = "accounts",
        .params = p_audit,
        .schema = s_audit,
        .role = ROLE_ADMIN,
    },
    {
        .method = "GET",
        .pattern = "/api/v1/audit/export.csv",
        .fn = http_audit_csv,
        .summary = "The audit log as CSV",
        .tag = "accounts",
        .params = p_audit_csv,
        .file_type = "text/csv",
        .role = ROLE_ADMIN,
    },
};
const size_t http_nroutes = sizeof http_routes / sizeof http_routes[0];

/* ---------------------------------------------------------------- OpenAPI */

static json_t *param_schema(ml_json_build *jb, const param_spec *p)
{
    switch (p->type) {
    case P_INT:
        return ml_json_pack(jb, "{s:s, s:I, s:I}", "type", "integer", "minimum", (json_int_t)p->min,
                            "maximum", (json_int_t)p->max);
    case P_BOOL:
        return ml_json_pack(jb, "{s:s}", "type", "boolean");
    case P_SIRET:
        return ml_json_pack(jb, "{s:s, s:s}", "type", "string", "pattern", "^[0-9]{14}$");
    case P_SIREN:
        return ml_json_pack(jb, "{s:s, s:s}", "type", "string", "pattern", "^[0-9]{9}$");
    case P_CODE:
        return ml_json_pack(jb, "{s:s, s:s, s:i}", "type", "string", "pattern", "^[0-9A-Za-z.:]+$",
                            "maxLength", 16);
    case P_BBOX:
        return ml_json_pack(jb, "{s:s, s:s, s:I}", "type", "string", "pattern",
                            "^-?[0-9]{1,3}(\\.[0-9]{1,12})?(,-?[0-9]{1,3}(\\.[0-9]{1,12})?){3}$",
                            "maxLength", (json_int_t)p->max);
    default:
        return ml_json_pack(jb, "{s:s, s:I}", "type", "string", "maxLength",
                            (json_int_t)(p->max ? p->max : 200));
    }
}

/* The JSON Schema of a request body, from its fields. */
static json_t *body_schema(ml_json_build *jb, const body_spec *b)
{
    json_t *props = json_object(), *required = json_array();
    for (const body_field *f = b->fields; f->name; f++) {
        json_t *p = f->type == P_SIRET
                        ? ml_json_pack(jb, "{s:s, s:s}", "type", "string", "pattern", "^[0-9]{14}$")
                    : f->type == P_DATE
                        ? ml_json_pack(jb, "{s:s, s:s, s:s}", "type", "string", "format", "date",
                                       "pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
                        : ml_json_pack(jb, "{s:s}", "type", "string");
        if (!f->required)
            json_object_set_new(p, "type", ml_json_pack(jb, "[s,s]", "string", "null"));
        if (f->choices) {
            json_t *values = json_array();
            for (const char *c = f->choices; *c;) {
                size_t n = strcspn(c, "|");
                json_array_append_new(values, json_stringn(c, n));
                c += n + (c[n] == '|');
            }
            json_object_set_new(p, "enum", values);
        }
        if (f->description) json_object_set_new(p, "description", json_string(f->description));
        if (f->example) json_object_set_new(p, "examples", ml_json_pack(jb, "[s]", f->example));
        json_object_set_new(props, f->name, p);
        if (f->required) json_array_append_new(required, json_string(f->name));
    }
    return ml_json_pack(jb, "{s:s, s:s, s:o, s:o, s:b}", "type", "object", "description",
                        b->description ? b->description : "", "required", required, "properties",
                        props, "additionalProperties", 0);
}

/* An operation: its parameters, body, answers, role and cache, from the row. */
static json_t *operation(ml_json_build *jb, const route *rt, json_t *components)
{
    json_t *problem = ml_json_pack(
        jb, "{s:s, s:{s:{s:{s:s}}}}", "description", "a problem document (RFC 9457)", "content",
        "application/problem+json", "schema", "$ref", "#/components/schemas/Problem");
    json_t *params = json_array();
    for (const param_spec *p = rt->params; p && p->name; p++)
        json_array_append_new(params,
                              ml_json_pack(jb, "{s:s, s:s, s:b, s:s, s:o}", "name", p->name, "in",
                                           p->in, "required", p->required, "description",
                                           p->description, "schema", param_schema(jb, p)));
    json_t *ok;
    if (rt->schema) {
        json_t *schema = json_loads(rt->schema, 0, NULL);
        ok = ml_json_pack(jb, "{s:s, s:{s:{s:o}}}", "description", "success", "content",
                          "application/json", "schema", schema ? schema : json_object());
    } else {
        ok = ml_json_pack(jb, "{s:s, s:{s:{s:{s:s, s:s}}}}", "description", "a file", "content",
                          rt->file_type ? rt->file_type : "application/octet-stream", "schema",
                          "type", "string", "format", "binary");
    }
    const char *code = strcmp(rt->method, "POST") == 0 ? "201" : "200";
    json_t *responses =
        ml_json_pack(jb, "{s:o, s:O, s:O, s:O, s:O, s:O}", code, ok, "400", problem, "403", problem,
                     "404", problem, "405", problem, "500", problem);
    json_object_set(responses, "401", problem);
    if (rt->body || rt->upload_max) {
        json_object_set(responses, "413", problem);
        json_object_set(responses, "415", problem);
    }
    if (rt->upload_max) {
        json_object_set(responses, "422", problem);
    }
    json_t *op = ml_json_pack(jb, "{s:s, s:[s], s:o, s:o}", "summary", rt->summary, "tags", rt->tag,
                              "parameters", params, "responses", responses);
    if (rt->description) json_object_set_new(op, "description", json_string(rt->description));
    if (rt->body) {
        char ref[128];
        ml_snprintf(ref, sizeof ref, "#/components/schemas/%s", rt->body->name);
        json_object_set_new(components, rt->body->name, body_schema(jb, rt->body));
        json_object_set_new(op, "requestBody",
                            ml_json_pack(jb, "{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
                                         "application/json", "schema", "$ref", ref));
    }
    if (rt->upload_max)
        json_object_set_new(op, "requestBody",
                            ml_json_pack(jb, "{s:b, s:{s:{s:{s:s, s:s, s:I}}}}", "required", 1,
                                         "content", "application/octet-stream", "schema", "type",
                                         "string", "format", "binary", "maxLength",
                                         (json_int_t)rt->upload_max));
    char opid[128];
    ml_snprintf(opid, sizeof opid, "%s%s", rt->method, rt->pattern);
    for (char *p = opid; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            *p = '_';
    json_object_set_new(op, "operationId", json_string(opid));
    /* Who may call it and how long its answer is kept: extensions (OpenAPI 3.1 allows x-). */
    json_object_set_new(op, "x-maillage-role", json_string(http_role_name(rt->role)));
    json_object_set_new(op, "x-maillage-open", json_boolean(rt->open));
    json_object_set_new(op, "x-maillage-cache-seconds", json_integer(rt->cache_seconds));
    json_decref(problem);
    return op;
}

json_t *http_openapi(void)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    json_t *paths = json_object(), *components = json_object();
    for (size_t i = 0; i < http_nroutes; i++) {
        const route *rt = &http_routes[i];
        json_t *item = json_object_get(paths, rt->pattern);
        if (!item) json_object_set_new(paths, rt->pattern, item = json_object());
        char method[8];
        ml_snprintf(method, sizeof method, "%s", rt->method);
        for (char *p = method; *p; p++)
            *p = (char)(*p - 'A' + 'a');
        json_object_set_new(item, method, operation(jb, rt, components));
    }
    json_t *brief = json_loads(
        "{\"type\":\"object\",\"required\":[\"siret\",\"name\",\"active\",\"size\",\"activity\","
        "\"commune\",\"position\",\"generated\"],\"properties\":{\"siret\":{\"type\":\"string\","
        "\"pattern\":\"^[0-9]{14}$\"},\"generated\":{\"type\":\"boolean\"},\"active\":{\"type\":"
        "\"boolean\"}}}",
        0, NULL);
    json_t *doc = ml_json_pack(
        jb,
        "{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:{s:{s:s, s:[s,s,s,s], s:{s:{s:s}, s:{s:s},"
        " s:{s:s}, s:{s:s, s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:s}}}, s:o}}}",
        "openapi", "3.1.0", "info", "title", "maillage API", "version", ML_VERSION, "description",
        "The industrial web of a French territory: search, establishments, suggested suppliers "
        "and customers with their reasons, networks, territories. Establishments with "
        "restricted diffusion (statut P) never appear.",
        "servers", "url", "/", "paths", paths, "components", "schemas", "Problem", "type", "object",
        "required", "title", "status", "code", "detail", "properties", "type", "type", "string",
        "title", "type", "string", "status", "type", "integer", "code", "type", "string",
        "description",
        "stable identifier of the kind of problem, from its title (invalid_request, not_found,"
        " restricted_diffusion…): what a client translates",
        "detail", "type", "string", "instance", "type", "string", "parameter", "type", "string",
        "description", "the request parameter or body field at fault, when one is", "Brief", brief);
    json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
    json_object_update(schemas, components);
    json_decref(components);
    if (jb->failed) { /* a part is missing: no document rather than a wrong one */
        json_decref(doc);
        return NULL;
    }
    return doc;
}
