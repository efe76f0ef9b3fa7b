/* api.c — the JSON API under /api/v1: one row per route (method, path,
 * parameters with their types, summary, answer schema) and its handler. The
 * OpenAPI document is generated from the same rows. */
#include <unistd.h>

#include "http.h"

/* --------------------------------------------------------------- handlers */

static int answer(request *r, ml_err e, json_t *j, int status)
{
    if (e) {
        json_decref(j);
        return http_error(r, e);
    }
    return http_json(r, status, j);
}

int http_info_handler(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_db_info(r->db, &j);
    return answer(r, e, j, 200);
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
    return answer(r, e, j, 200);
}

static int h_suggest(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_suggest(r->db, http_arg(r, "kind"), http_arg(r, "q"),
                          (unsigned)http_arg_int(r, "limit", 10), &j);
    return answer(r, e, j, 200);
}

static int h_establishment(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_show(r->db, http_path_param(r, "siret"), &j);
    return answer(r, e, j, 200);
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
    return answer(r, e, j, 200);
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
    ml_err e = ml_links(r->db, http_path_param(r, "siret"), &j);
    return answer(r, e, j, 200);
}

static int h_company(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_company(r->db, http_path_param(r, "siren"), &j);
    return answer(r, e, j, 200);
}

static int h_verdict(request *r)
{
    if (!json_is_object(r->body))
        return http_problem(r, 400, "Invalid request", "the body must be a JSON object");
    static const char *const keys[] = {"supplier", "buyer", "verdict", "note", "author"};
    const char *v[5] = {NULL};
    const char *k;
    json_t *val;
    json_object_foreach(r->body, k, val)
    {
        size_t i = 0;
        while (i < ML_ARRAY_LEN(keys) && strcmp(keys[i], k))
            i++;
        if (i == ML_ARRAY_LEN(keys))
            return http_problem(r, 400, "Invalid request", "unknown field '%.60s'", k);
        if (!json_is_string(val) && !json_is_null(val))
            return http_problem(r, 400, "Invalid request", "field '%s' must be a string", k);
        v[i] = json_string_value(val);
    }
    for (int i = 0; i < 3; i++)
        if (!v[i])
            return http_problem(r, 400, "Invalid request", "field '%s' is required", keys[i]);
    /* Checked here too so that a long value is never quoted whole. */
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(v[i]);
        if (ml_siret_digits(v[i], n, NULL) != ML_ID_OK) {
            char echo[HTTP_ECHO_MAX + 8];
            return http_problem(r, 400, "Invalid request",
                                "field '%s': expected a SIRET (14 digits), not '%s'", keys[i],
                                http_echo(echo, sizeof echo, v[i], 20));
        }
    }
    ml_err e = ml_verdict_add(r->db, v[0], v[1], v[2], v[3], v[4]);
    if (e) return http_error(r, e);
    return http_json(r, 201,
                     json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "supplier", v[0], "buyer", v[1],
                               "verdict", v[2], "note", v[3], "author", v[4]));
}

static int h_networks(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_network_list(r->db, &j);
    return answer(r, e, j, 200);
}

static int h_network(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_network_members(r->db, http_path_param(r, "name"), &j);
    return answer(r, e, j, 200);
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
    return answer(r, e, j, 200);
}

static int h_bridges(request *r)
{
    ml_network_opts o = net_opts(r);
    json_t *j = NULL;
    ml_err e = ml_bridges(r->db, http_snapshot(r), http_path_param(r, "name"), &o, &j);
    return answer(r, e, j, 200);
}

/* An export: the library writes the file (to a temporary name), the answer
 * carries its bytes, with a file name that says what and when. */
typedef ml_err (*export_fn)(request *r, ml_export_format fmt, const char *path, char *name,
                            size_t name_size);

static int send_export(request *r, bool xlsx, export_fn fn)
{
    ml_export_format fmt = xlsx                            ? ML_EXPORT_XLSX
                           : http_arg_bool(r, "plain", false) ? ML_EXPORT_CSV_PLAIN
                                                              : ML_EXPORT_CSV;
    char tmpl[] = "/tmp/maillage-export-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) return http_problem(r, 500, "Internal error", "cannot create a temporary file");
    close(fd);
    char name[256] = "maillage";
    ml_err e = fn(r, fmt, tmpl, name, sizeof name);
    FILE *f = e ? NULL : fopen(tmpl, "rb");
    char *data = NULL;
    size_t len = 0;
    if (f) {
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        rewind(f);
        data = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (data) len = fread(data, 1, (size_t)n, f);
        fclose(f);
    }
    unlink(tmpl);
    if (e) return http_error(r, e);
    if (!data) return http_problem(r, 500, "Internal error", "cannot read the export");
    return http_file_bytes(r,
                           xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                                : "text/csv; charset=utf-8",
                           name, data, len);
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

static int h_territories(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_territory_children(r->db, http_arg(r, "parent"), &j);
    return answer(r, e, j, 200);
}

static int h_territory(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_territory_summary(r->db, http_path_param(r, "code"), &j);
    return answer(r, e, j, 200);
}

static int h_map(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_map_points(r->db, http_arg(r, "territory"), http_arg(r, "naf"),
                             (unsigned)http_arg_int(r, "limit", 20000), &j);
    return answer(r, e, j, 200);
}

static int h_map_communes(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_territory_communes(r->db, http_arg(r, "territory"), &j);
    return answer(r, e, j, 200);
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
static const char s_territories[] = OBJ("[\"children\"]");
static const char s_territory[] = OBJ("[\"territory\",\"establishments\",\"by_a10\",\"privacy\"]");
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

const route http_routes[] = {
    {"GET", "/api/v1/info", http_info_handler, "What the database holds", "database", p_none,
     s_info, NULL},
    {"GET", "/api/v1/search", h_search, "Search establishments", "search", p_search, s_search,
     NULL},
    {"GET", "/api/v1/search/export.csv", h_search_csv,
     "Search results as CSV for a French spreadsheet (or plain), the first 10,000", "search",
     p_search_export, NULL, "text/csv"},
    {"GET", "/api/v1/search/export.xlsx", h_search_xlsx,
     "Search results as an Excel workbook, the first 10,000", "search", p_search_export, NULL,
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"GET", "/api/v1/suggest", h_suggest,
     "Codes and names matching what is typed in a filter box (commune, EPCI, département, "
     "région, NAF)",
     "search", p_suggest, s_suggest, NULL},
    {"GET", "/api/v1/establishments/{siret}", h_establishment, "One establishment",
     "establishments", p_siret, s_show, NULL},
    {"GET", "/api/v1/establishments/{siret}/suppliers", h_suppliers,
     "Suggested suppliers, with their reasons", "suggestions", p_match, s_match, NULL},
    {"GET", "/api/v1/establishments/{siret}/customers", h_customers,
     "Suggested customers, with their reasons", "suggestions", p_match, s_match, NULL},
    {"GET", "/api/v1/establishments/{siret}/links", h_links,
     "Known links, rejected pairs and notes", "suggestions", p_siret, s_links, NULL},
    {"GET", "/api/v1/companies/{siren}", h_company, "A company and its establishments",
     "establishments", p_siren, s_company, NULL},
    {"POST", "/api/v1/verdicts", h_verdict, "Record a verdict on a pair (accept, reject, note)",
     "suggestions", p_none, s_verdict, NULL},
    {"GET", "/api/v1/networks", h_networks, "Networks", "networks", p_none, s_networks, NULL},
    {"GET", "/api/v1/networks/{name}", h_network, "A network's members", "networks", p_name,
     s_network, NULL},
    {"GET", "/api/v1/networks/{name}/report", h_report,
     "Best pairs inside a network and its best outside partners", "networks", p_name_limit,
     s_report, NULL},
    {"GET", "/api/v1/networks/{name}/bridges", h_bridges, "Cross-sector bridges in a network",
     "networks", p_name_limit, s_bridges, NULL},
    {"GET", "/api/v1/networks/{name}/export.csv", h_export_csv,
     "The network's pairs as CSV for a French spreadsheet (or plain)", "networks", p_name_plain,
     NULL, "text/csv"},
    {"GET", "/api/v1/networks/{name}/export.xlsx", h_export_xlsx,
     "The network's report as an Excel workbook", "networks", p_name, NULL,
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"GET", "/api/v1/territories", h_territories, "The territorial tree", "territories",
     p_territories, s_territories, NULL},
    {"GET", "/api/v1/territories/{code}", h_territory, "A territory's summary", "territories",
     p_territory, s_territory, NULL},
    {"GET", "/api/v1/territories/{code}/export.csv", h_territory_csv,
     "A territory's figures as CSV (key figures)", "territories", p_territory_plain, NULL,
     "text/csv"},
    {"GET", "/api/v1/territories/{code}/export.xlsx", h_territory_xlsx,
     "A territory's figures as an Excel workbook (key figures, sectors, sizes, communes)",
     "territories", p_territory, NULL,
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"GET", "/api/v1/map", h_map, "Points of a territory's establishments", "map", p_map, s_map,
     NULL},
    {"GET", "/api/v1/map/clusters", http_map_clusters_handler,
     "A map view of a territory's establishments, counted by the server: clusters per cell of "
     "the zoom level, points where they are few",
     "map", p_clusters, s_clusters, NULL},
    {"GET", "/api/v1/map/communes", h_map_communes, "Commune centres of a territory", "map",
     p_communes, s_communes, NULL},
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

json_t *http_openapi(void)
{
    ml_json_build jb = {0};
    json_t *paths = json_object();
    json_t *problem = ml_json_pack(
        &jb, "{s:s, s:{s:{s:{s:s}}}}", "description", "a problem document (RFC 9457)", "content",
        "application/problem+json", "schema", "$ref", "#/components/schemas/Problem");
    for (size_t i = 0; i < http_nroutes; i++) {
        const route *rt = &http_routes[i];
        json_t *item = json_object_get(paths, rt->pattern);
        if (!item) json_object_set_new(paths, rt->pattern, item = json_object());
        json_t *params = json_array();
        for (const param_spec *p = rt->params; p && p->name; p++)
            json_array_append_new(params,
                                  ml_json_pack(&jb, "{s:s, s:s, s:b, s:s, s:o}", "name", p->name,
                                               "in", p->in, "required", p->required, "description",
                                               p->description, "schema", param_schema(&jb, p)));
        json_t *ok;
        if (rt->schema) {
            json_t *schema = json_loads(rt->schema, 0, NULL);
            ok = ml_json_pack(&jb, "{s:s, s:{s:{s:o}}}", "description", "success", "content",
                              "application/json", "schema", schema ? schema : json_object());
        } else {
            ok = ml_json_pack(&jb, "{s:s, s:{s:{s:{s:s, s:s}}}}", "description", "a file",
                              "content", rt->file_type ? rt->file_type : "application/octet-stream",
                              "schema", "type", "string", "format", "binary");
        }
        const char *code = strcmp(rt->method, "POST") == 0 ? "201" : "200";
        json_t *op =
            ml_json_pack(&jb, "{s:s, s:[s], s:o, s:{s:o, s:O, s:O, s:O, s:O}}", "summary",
                         rt->summary, "tags", rt->tag, "parameters", params, "responses", code, ok,
                         "400", problem, "403", problem, "404", problem, "500", problem);
        if (strcmp(rt->method, "POST") == 0)
            json_object_set_new(
                op, "requestBody",
                ml_json_pack(
                    &jb,
                    "{s:b, s:{s:{s:{s:s, s:[s,s,s], s:{s:{s:s}, s:{s:s}, s:{s:s, s:[s,s,s]},"
                    " s:{s:s}, s:{s:s}}, s:b}}}}",
                    "required", 1, "content", "application/json", "schema", "type", "object",
                    "required", "supplier", "buyer", "verdict", "properties", "supplier", "type",
                    "string", "buyer", "type", "string", "verdict", "type", "string", "enum",
                    "accept", "reject", "note", "note", "type", "string", "author", "type",
                    "string", "additionalProperties", 0));
        char opid[128];
        ml_snprintf(opid, sizeof opid, "%s%s", rt->method, rt->pattern);
        for (char *p = opid; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
                *p = '_';
        json_object_set_new(op, "operationId", json_string(opid));
        char method[8];
        ml_snprintf(method, sizeof method, "%s", rt->method);
        for (char *p = method; *p; p++)
            *p = (char)(*p - 'A' + 'a');
        json_object_set_new(item, method, op);
    }
    json_decref(problem);
    json_object_set_new(paths, "/api/v1/openapi.json",
                        ml_json_pack(&jb, "{s:{s:s, s:s, s:{s:{s:s, s:{s:{s:{s:s}}}}}}}", "get",
                                     "summary", "This document", "operationId", "openapi",
                                     "responses", "200", "description", "OpenAPI 3.1", "content",
                                     "application/json", "schema", "type", "object"));
    json_t *brief = json_loads(
        "{\"type\":\"object\",\"required\":[\"siret\",\"name\",\"active\",\"size\",\"activity\","
        "\"commune\",\"position\",\"generated\"],\"properties\":{\"siret\":{\"type\":\"string\","
        "\"pattern\":\"^[0-9]{14}$\"},\"generated\":{\"type\":\"boolean\"},\"active\":{\"type\":"
        "\"boolean\"}}}",
        0, NULL);
    json_t *doc = ml_json_pack(
        &jb,
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
        "description", "the request parameter at fault, when one is", "Brief", brief);
    if (jb.failed) { /* a part is missing: no document rather than a wrong one */
        json_decref(doc);
        return NULL;
    }
    return doc;
}
