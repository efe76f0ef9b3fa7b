/* sirene.c — StockEtablissement and StockUniteLegale importers: the column
 * tables, the validation of each row, coordinates, and privacy masking. */
#include <math.h>

#include "geo/proj.h"
#include "core/size_band.h"
#include "ingest/import.h"
#include "search/text.h"

/* ------------------------------------------------------------ establishments */

enum {
    E_SIRET,
    E_SIREN,
    E_NIC,
    E_DIFFUSION,
    E_CREATED,
    E_SIZE,
    E_SIZE_YEAR,
    E_HEAD,
    E_COMPLEMENT,
    E_NUMBER,
    E_INDEX,
    E_STREET_TYPE,
    E_STREET,
    E_POSTCODE,
    E_CITY,
    E_COMMUNE,
    E_COUNTRY,
    E_LAMBERT_X,
    E_LAMBERT_Y,
    E_STATE,
    E_SIGN1,
    E_SIGN2,
    E_SIGN3,
    E_USUAL_NAME,
    E_NAF,
    E_NAF_NOMENCLATURE,
    E_EMPLOYER,
    E_NAF25,
    E_LON,
    E_LAT,
    E_GENERATED,
    E_PROCESSED,
    E_SINCE,
    E_COUNT
};

static const ml_column_spec etab_columns[E_COUNT] = {
    [E_SIRET] = {"siret", true},
    [E_SIREN] = {"siren", false},
    [E_NIC] = {"nic", false},
    [E_DIFFUSION] = {"statutDiffusionEtablissement", true},
    [E_CREATED] = {"dateCreationEtablissement", false},
    [E_SIZE] = {"trancheEffectifsEtablissement", false},
    [E_SIZE_YEAR] = {"anneeEffectifsEtablissement", false},
    [E_HEAD] = {"etablissementSiege", false},
    [E_COMPLEMENT] = {"complementAdresseEtablissement", false},
    [E_NUMBER] = {"numeroVoieEtablissement", false},
    [E_INDEX] = {"indiceRepetitionEtablissement", false},
    [E_STREET_TYPE] = {"typeVoieEtablissement", false},
    [E_STREET] = {"libelleVoieEtablissement", false},
    [E_POSTCODE] = {"codePostalEtablissement", false},
    [E_CITY] = {"libelleCommuneEtablissement", false},
    [E_COMMUNE] = {"codeCommuneEtablissement", true},
    [E_COUNTRY] = {"codePaysEtrangerEtablissement", false},
    [E_LAMBERT_X] = {"coordonneeLambertAbscisseEtablissement", false},
    [E_LAMBERT_Y] = {"coordonneeLambertOrdonneeEtablissement", false},
    [E_STATE] = {"etatAdministratifEtablissement", true},
    [E_SIGN1] = {"enseigne1Etablissement", false},
    [E_SIGN2] = {"enseigne2Etablissement", false},
    [E_SIGN3] = {"enseigne3Etablissement", false},
    [E_USUAL_NAME] = {"denominationUsuelleEtablissement", false},
    [E_NAF] = {"activitePrincipaleEtablissement", true},
    [E_NAF_NOMENCLATURE] = {"nomenclatureActivitePrincipaleEtablissement", false},
    [E_EMPLOYER] = {"caractereEmployeurEtablissement", false},
    [E_NAF25] = {"activitePrincipaleNAF25Etablissement", false},
    [E_LON] = {"longitude", false},
    [E_LAT] = {"latitude", false},
    /* maillage's own mark on synthetic files (maillage demo). */
    [E_GENERATED] = {"maillageDonneeGeneree", false},
    /* When INSEE last processed the row: kept with the changes an update applies. */
    [E_PROCESSED] = {"dateDernierTraitementEtablissement", false},
    /* When the current state began: a closed establishment's closure date
     * (territory diagnostics count closures by year with it). */
    [E_SINCE] = {"dateDebut", false},
};


/* Street type codes of SIRENE, spelled out for addresses people read. */
static const struct {
    const char *code, *name;
} street_types[] = {
    {"ALL", "ALLEE"},     {"AV", "AVENUE"},    {"BD", "BOULEVARD"},   {"CAR", "CARREFOUR"},
    {"CHE", "CHEMIN"},    {"CHS", "CHAUSSEE"}, {"CITE", "CITE"},      {"COR", "CORNICHE"},
    {"CRS", "COURS"},     {"DOM", "DOMAINE"},  {"DSC", "DESCENTE"},   {"ECA", "ECART"},
    {"ESP", "ESPLANADE"}, {"FG", "FAUBOURG"},  {"GR", "GRANDE RUE"},  {"HAM", "HAMEAU"},
    {"HLE", "HALLE"},     {"IMP", "IMPASSE"},  {"LD", "LIEU-DIT"},    {"LOT", "LOTISSEMENT"},
    {"MAR", "MARCHE"},    {"MTE", "MONTEE"},   {"PARC", "PARC"},      {"PAS", "PASSAGE"},
    {"PL", "PLACE"},      {"PLN", "PLAINE"},   {"PLT", "PLATEAU"},    {"PRO", "PROMENADE"},
    {"PRV", "PARVIS"},    {"QUA", "QUARTIER"}, {"QUAI", "QUAI"},      {"RES", "RESIDENCE"},
    {"RLE", "RUELLE"},    {"ROC", "ROCADE"},   {"RPT", "ROND-POINT"}, {"RTE", "ROUTE"},
    {"RUE", "RUE"},       {"SEN", "SENTIER"},  {"SQ", "SQUARE"},      {"TPL", "TERRE-PLEIN"},
    {"TRA", "TRAVERSE"},  {"VLA", "VILLA"},    {"VLGE", "VILLAGE"},   {"ZA", "ZA"},
    {"ZAC", "ZAC"},       {"ZI", "ZI"},
};

typedef struct etab_state {
    ml_proj *proj;
    ml_buf sign, address;
    ml_text *text; /* the reading thread's own folder (not shareable) */
    ml_buf words;  /* the folded words of the sign and usual name */
} etab_state;

static const char *street_type_name(const char *code)
{
    for (size_t i = 0; i < ML_ARRAY_LEN(street_types); i++)
        if (strcmp(code, street_types[i].code) == 0) return street_types[i].name;
    return code;
}

/* Great-circle distance in km. */
static double distance_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371.0, rad = 3.14159265358979323846 / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

/* A point this far from its commune's centre is an error in the source. */
#define MAX_KM_FROM_CENTRE 60.0

/* What the reading thread hands the writing one. */
typedef struct etab_item {
    ml_etab e;
    uint64_t line;
} etab_item;

/* A copy in the batch's arena. */
static const char *keep_str(ml_import_arena *a, const char *s)
{
    return s ? ml_import_arena_dup(a, s, strlen(s)) : NULL;
}

static ml_err etab_convert(ml_importer *im, const ml_csv_row *row, void *item,
                           ml_import_arena *arena, bool *keep)
{
    etab_state *es = im->user;
    ml_db *db = im->db;
    *keep = false;
#define F(c) ml_import_field(im, row, (c))
    const char *siret = F(E_SIRET);
    if (!siret) return ml_import_reject(im, row, E_SIRET, "empty SIRET");
    size_t sl = strlen(siret);
    int64_t id = 0;
    ml_id_check idc = ml_siret_parse(siret, sl, &id);
    if (idc == ML_ID_NOT_DIGITS)
        return ml_import_reject(im, row, E_SIRET, "%zu characters, expected 14 digits", sl);
    if (idc != ML_ID_OK) return ml_import_reject(im, row, E_SIRET, "checksum (Luhn) fails");
    const char *siren = F(E_SIREN), *nic = F(E_NIC);
    if (siren && (strlen(siren) != 9 || memcmp(siren, siret, 9) != 0))
        return ml_import_reject(im, row, E_SIREN, "does not match the first 9 digits of the SIRET");
    if (nic && (strlen(nic) != 5 || memcmp(nic, siret + 9, 5) != 0))
        return ml_import_reject(im, row, E_NIC, "does not match the last 5 digits of the SIRET");

    etab_item *it = item;
    memset(it, 0, sizeof *it);
    it->line = row->line;
    ml_etab e = {0};
    e.siret = id;
    e.siren = ml_siret_siren(e.siret);
    const char *diff = F(E_DIFFUSION), *state = F(E_STATE);
    if (!diff || strlen(diff) != 1 || !strchr("OPN", diff[0]))
        return ml_import_reject(im, row, E_DIFFUSION, "expected O or P (or the former N)");
    e.diffusion = diff[0] == 'O' ? 'O' : 'P'; /* former N units are now P */
    if (!state || strlen(state) != 1 || !strchr("AF", state[0]))
        return ml_import_reject(im, row, E_STATE, "expected A (active) or F (closed)");
    e.state = state[0];
    e.created = F(E_CREATED);
    if (e.created && !ml_date_valid(e.created))
        return ml_import_reject(im, row, E_CREATED, "not a date YYYY-MM-DD");
    e.size_band = F(E_SIZE);
    if (e.size_band && !ml_size_code_valid(e.size_band))
        return ml_import_reject(im, row, E_SIZE, "unknown size band");
    if (e.size_band && strcmp(e.size_band, "NN") == 0) e.size_band = NULL;
    const char *year = F(E_SIZE_YEAR);
    int64_t y = 0;
    if (year && ml_parse_i64(year, strlen(year), 1900, 2100, &y))
        return ml_import_reject(im, row, E_SIZE_YEAR, "not a year");
    e.size_year = (int)y;
    const char *head = F(E_HEAD);
    e.head_office = head && strcmp(head, "true") == 0;

    /* Where: a French commune, or abroad (out of scope). */
    e.commune = F(E_COMMUNE);
    double clat = 0, clon = 0;
    char dep[4] = "";
    bool centre = false;
    if (!e.commune) {
        if (F(E_COUNTRY)) {
            im->stats->skipped++;
            return ML_OK;
        }
        /* Old closed establishments often have no address at all: kept, unplaced. */
        if (e.state == 'A') return ml_import_reject(im, row, E_COMMUNE, "missing commune code");
    } else {
        centre = db->be->commune_known(db, e.commune, &clat, &clon, dep);
        if (!centre && !dep[0]) return ml_import_reject(im, row, E_COMMUNE, "unknown commune code");
    }

    /* Activity: NAF rév. 2 codes must exist; older nomenclatures are kept as published. */
    e.naf_raw = F(E_NAF);
    const char *nomenclature = F(E_NAF_NOMENCLATURE);
    if (e.naf_raw && (!nomenclature || strcmp(nomenclature, "NAFRev2") == 0)) {
        if (!db->be->naf_known(db, e.naf_raw))
            return ml_import_reject(im, row, E_NAF, "not a NAF rév. 2 sub-class");
        e.naf = e.naf_raw;
    }
    e.naf25 = F(E_NAF25);
    e.employer = F(E_EMPLOYER);
    const char *gen = F(E_GENERATED);
    e.generated = gen && strcmp(gen, "true") == 0;

    /* Position: INSEE's Lambert coordinates, else a geocoded variant, else the
     * commune centre (flagged approximate). */
    const char *xs = F(E_LAMBERT_X), *ys = F(E_LAMBERT_Y), *lons = F(E_LON), *lats = F(E_LAT);
    double x, yy;
    e.geo = ML_GEO_NONE;
    if (xs && ys) {
        if (ml_parse_double(xs, strlen(xs), &x) || ml_parse_double(ys, strlen(ys), &yy))
            return ml_import_reject(im, row, E_LAMBERT_X, "coordinates are not numbers");
        if (ml_proj_to_wgs84(es->proj, dep, x, yy, &e.lat, &e.lon) == 0) e.geo = ML_GEO_LAMBERT;
    }
    if (e.geo == ML_GEO_NONE && lons && lats) {
        if (ml_parse_double(lons, strlen(lons), &e.lon) ||
            ml_parse_double(lats, strlen(lats), &e.lat) || fabs(e.lat) > 90 || fabs(e.lon) > 180)
            return ml_import_reject(im, row, E_LON, "longitude/latitude are not valid numbers");
        e.geo = ML_GEO_GEOCODED;
    }
    if (e.geo != ML_GEO_NONE && centre &&
        distance_km(e.lat, e.lon, clat, clon) > MAX_KM_FROM_CENTRE)
        e.geo = ML_GEO_NONE;
    if (e.geo == ML_GEO_NONE && centre) {
        e.lat = clat;
        e.lon = clon;
        e.geo = ML_GEO_COMMUNE;
    }

    if (e.diffusion == 'O') {
        /* Names and address; for status P they are not even stored. */
        ml_buf_reset(&es->sign);
        for (int c = E_SIGN1; c <= E_SIGN3; c++) {
            const char *s = F(c);
            if (!s) continue;
            if (es->sign.len) ml_buf_addstr(&es->sign, " / ");
            ml_buf_addstr(&es->sign, s);
        }
        e.sign = es->sign.len ? ml_buf_cstr(&es->sign) : NULL;
        e.usual_name = F(E_USUAL_NAME);
        ml_buf_reset(&es->address);
        const char *parts[] = {F(E_NUMBER), F(E_INDEX),
                               F(E_STREET_TYPE) ? street_type_name(F(E_STREET_TYPE)) : NULL,
                               F(E_STREET)};
        for (size_t i = 0; i < ML_ARRAY_LEN(parts); i++) {
            if (!parts[i]) continue;
            if (es->address.len && i != 1) ml_buf_addch(&es->address, ' ');
            ml_buf_addstr(&es->address, parts[i]);
        }
        const char *compl = F(E_COMPLEMENT);
        if (compl ) {
            if (es->address.len) ml_buf_addstr(&es->address, ", ");
            ml_buf_addstr(&es->address, compl );
        }
        if (ml_buf_failed(&es->sign))
            return ml_import_reject(im, row, E_SIGN1, "signs longer than %zu bytes together",
                                    es->sign.cap);
        if (ml_buf_failed(&es->address))
            return ml_import_reject(im, row, E_STREET, "address longer than %zu bytes",
                                    es->address.cap);
        e.address = es->address.len ? ml_buf_cstr(&es->address) : NULL;
        e.postcode = F(E_POSTCODE);
        e.city = F(E_CITY);
    } else {
        e.geo = ML_GEO_NONE;
        im->stats->restricted++;
    }
#undef F
    /* The strings go into the batch: the row is gone when the item is written. */
    e.created = keep_str(arena, e.created);
    e.size_band = keep_str(arena, e.size_band);
    e.sign = keep_str(arena, e.sign);
    e.usual_name = keep_str(arena, e.usual_name);
    e.address = keep_str(arena, e.address);
    e.postcode = keep_str(arena, e.postcode);
    e.city = keep_str(arena, e.city);
    e.commune = keep_str(arena, e.commune);
    e.naf_raw = keep_str(arena, e.naf_raw);
    e.naf = e.naf ? e.naf_raw : NULL;
    e.naf25 = keep_str(arena, e.naf25);
    e.employer = keep_str(arena, e.employer);
    /* The words the search index keeps of the names, folded here, in the
     * reading thread, rather than by the writing one. */
    if (e.diffusion == 'O' && es->text) {
        ml_buf_reset(&es->words);
        bool ok = true;
        const char *names[2] = {e.sign, e.usual_name};
        for (int i = 0; ok && i < 2; i++)
            if (names[i] && *names[i])
                ok = ml_text_fold(es->text, &es->words, names[i], strlen(names[i]), ML_FOLD_STEM) >=
                     0;
        if (ok && arena->cap - arena->len > es->words.len + 1)
            e.name_words =
                ml_import_arena_dup(arena, es->words.len ? es->words.data : "", es->words.len);
    }
    /* "2025-09-14T10:22:33" as INSEE writes it: the day is enough. */
    const char *processed = ml_import_field(im, row, E_PROCESSED);
    if (processed && strlen(processed) >= 10) {
        char day[11];
        memcpy(day, processed, 10);
        day[10] = '\0';
        if (ml_date_valid(day)) e.processed = ml_import_arena_dup(arena, day, 10);
    }
    /* An unreadable dateDebut dates nothing; the row is kept. */
    const char *since = ml_import_field(im, row, E_SINCE);
    if (since && ml_date_valid(since)) e.state_since = ml_import_arena_dup(arena, since, 10);
    it->e = e;
    *keep = true;
    return ML_OK;
}

static ml_err etab_put(ml_importer *im, const ml_import_origin *from, void *item)
{
    etab_item *it = item;
    ml_db *db = im->db;
    ml_put_result res;
    ml_err r = db->be->etab_put(db, im->run, &it->e, &res);
    if (r) return r;
    if (res == ML_PUT_DUPLICATE) {
        char siret[24];
        ml_snprintf(siret, sizeof siret, "%014lld", (long long)it->e.siret);
        return ml_import_reject_item(im, from, it->line, E_SIRET, siret,
                                     "duplicate SIRET: already read in this import");
    }
    ml_import_stats *st = im->stats;
    st->imported++;
    st->replaced += res != ML_PUT_NEW;
    st->added += res == ML_PUT_NEW;
    st->modified += res == ML_PUT_REPLACED;
    st->closed += res == ML_PUT_CLOSED;
    st->unchanged += res == ML_PUT_UNCHANGED;
    if (it->e.geo == ML_GEO_COMMUNE) st->approximate++;
    return ML_OK;
}

static const ml_import_kind etab_kind = {
    .name = "sirene",
    .what = "StockEtablissement",
    .other_hint = "statutDiffusionUniteLegale",
    .other_msg = "this is a StockUniteLegale file (legal units); import it with "
                 "`maillage import unites FILE`",
    .columns = etab_columns,
    .ncolumns = E_COUNT,
    .item_size = sizeof(etab_item),
    .convert = etab_convert,
    .put = etab_put,
};

ml_err ml_import_sirene(ml_db *db, const char *const *paths, size_t npaths,
                        const ml_import_opts *opts, ml_import_stats *stats)
{
    etab_state es = {0};
    ml_buf_init(&es.sign, 1024);
    ml_buf_init(&es.address, 2048);
    ml_buf_init(&es.words, 1 << 20);
    es.text = ml_text_new(); /* without it, the backend folds the names */
    /* Rows are read and converted in a thread of their own, with its own
     * messages: the database's context is the writing thread's. */
    ml_ctx *reader = ml_ctx_new();
    if (!reader) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_ctx_set_log(reader, db->ctx->log, db->ctx->log_ud);
    es.proj = ml_proj_new(reader);
    ml_err r = ML_ERROR;
    if (es.proj)
        r = ml_import_run_pipelined(db, &etab_kind, paths, npaths, opts, stats, &es, reader);
    else
        ml_fail(db->ctx, ML_ERROR, "%s", ml_ctx_message(reader));
    ml_proj_free(es.proj);
    ml_ctx_free(reader);
    ml_buf_release(&es.sign);
    ml_buf_release(&es.address);
    ml_buf_release(&es.words);
    ml_text_free(es.text);
    return r;
}

/* -------------------------------------------------------------- legal units */

enum {
    U_SIREN,
    U_DIFFUSION,
    U_CREATED,
    U_ACRONYM,
    U_FIRST_NAME,
    U_USUAL_FIRST_NAME,
    U_LAST_NAME,
    U_USE_NAME,
    U_DENOMINATION,
    U_USUAL_DENOMINATION,
    U_CATEGORY,
    U_CATEGORY_YEAR,
    U_STATE,
    U_LEGAL_FORM,
    U_NAF,
    U_ESS,
    U_GENERATED,
    U_COUNT
};

static const ml_column_spec unite_columns[U_COUNT] = {
    [U_SIREN] = {"siren", true},
    [U_DIFFUSION] = {"statutDiffusionUniteLegale", true},
    [U_CREATED] = {"dateCreationUniteLegale", false},
    [U_ACRONYM] = {"sigleUniteLegale", false},
    [U_FIRST_NAME] = {"prenom1UniteLegale", false},
    [U_USUAL_FIRST_NAME] = {"prenomUsuelUniteLegale", false},
    [U_LAST_NAME] = {"nomUniteLegale", false},
    [U_USE_NAME] = {"nomUsageUniteLegale", false},
    [U_DENOMINATION] = {"denominationUniteLegale", true},
    [U_USUAL_DENOMINATION] = {"denominationUsuelle1UniteLegale", false},
    [U_CATEGORY] = {"categorieEntreprise", false},
    [U_CATEGORY_YEAR] = {"anneeCategorieEntreprise", false},
    [U_STATE] = {"etatAdministratifUniteLegale", false},
    [U_LEGAL_FORM] = {"categorieJuridiqueUniteLegale", false},
    [U_NAF] = {"activitePrincipaleUniteLegale", false},
    [U_ESS] = {"economieSocialeSolidaireUniteLegale", false},
    [U_GENERATED] = {"maillageDonneeGeneree", false},
};

/* What the reading thread hands the writing one. */
typedef struct unite_item {
    ml_unite u;
    uint64_t line;
} unite_item;

static ml_err unite_convert(ml_importer *im, const ml_csv_row *row, void *item,
                            ml_import_arena *arena, bool *keep)
{
    ml_buf *name = im->user;
    *keep = false;
#define F(c) ml_import_field(im, row, (c))
    const char *siren = F(U_SIREN);
    if (!siren) return ml_import_reject(im, row, U_SIREN, "empty SIREN");
    size_t sl = strlen(siren);
    ml_unite u = {0};
    ml_id_check idc = ml_siren_parse(siren, sl, &u.siren);
    if (idc == ML_ID_NOT_DIGITS)
        return ml_import_reject(im, row, U_SIREN, "%zu characters, expected 9 digits", sl);
    if (idc != ML_ID_OK) return ml_import_reject(im, row, U_SIREN, "checksum (Luhn) fails");
    const char *diff = F(U_DIFFUSION), *state = F(U_STATE);
    if (!diff || strlen(diff) != 1 || !strchr("OPN", diff[0]))
        return ml_import_reject(im, row, U_DIFFUSION, "expected O or P (or the former N)");
    u.diffusion = diff[0] == 'O' ? 'O' : 'P';
    if (state && (strlen(state) != 1 || !strchr("AC", state[0])))
        return ml_import_reject(im, row, U_STATE, "expected A (active) or C (ceased)");
    u.state = state ? state[0] : 0;
    u.created = keep_str(arena, F(U_CREATED));
    if (u.created && !ml_date_valid(u.created))
        return ml_import_reject(im, row, U_CREATED, "not a date YYYY-MM-DD");
    u.category = keep_str(arena, F(U_CATEGORY));
    if (u.category && strcmp(u.category, "PME") && strcmp(u.category, "ETI") &&
        strcmp(u.category, "GE"))
        return ml_import_reject(im, row, U_CATEGORY, "expected PME, ETI or GE");
    const char *cy = F(U_CATEGORY_YEAR);
    int64_t y = 0;
    if (cy && ml_parse_i64(cy, strlen(cy), 1900, 2100, &y))
        return ml_import_reject(im, row, U_CATEGORY_YEAR, "not a year");
    u.category_year = (int)y;
    u.legal_form = keep_str(arena, F(U_LEGAL_FORM));
    u.naf = keep_str(arena, F(U_NAF));
    u.ess = keep_str(arena, F(U_ESS));
    const char *gen = F(U_GENERATED);
    u.generated = gen && strcmp(gen, "true") == 0;
    if (u.diffusion == 'O') {
        /* A company's denomination, or "NAME First name" for a person. */
        ml_buf_reset(name);
        const char *den = F(U_DENOMINATION);
        if (den) {
            ml_buf_addstr(name, den);
        } else {
            const char *last = F(U_USE_NAME) ? F(U_USE_NAME) : F(U_LAST_NAME);
            const char *first = F(U_USUAL_FIRST_NAME) ? F(U_USUAL_FIRST_NAME) : F(U_FIRST_NAME);
            if (last) ml_buf_addstr(name, last);
            if (first) ml_buf_addf(name, "%s%s", name->len ? " " : "", first);
        }
        if (!name->len && F(U_USUAL_DENOMINATION)) ml_buf_addstr(name, F(U_USUAL_DENOMINATION));
        if (ml_buf_failed(name))
            return ml_import_reject(im, row, U_DENOMINATION, "name longer than %zu bytes",
                                    name->cap);
        u.name = name->len ? ml_import_arena_dup(arena, ml_buf_cstr(name), name->len) : NULL;
        u.acronym = keep_str(arena, F(U_ACRONYM));
    } else {
        im->stats->restricted++;
    }
#undef F
    unite_item *it = item;
    it->u = u;
    it->line = row->line;
    *keep = true;
    return ML_OK;
}

static ml_err unite_put(ml_importer *im, const ml_import_origin *from, void *item)
{
    unite_item *it = item;
    ml_put_result res;
    ml_err r = im->db->be->unite_put(im->db, im->run, &it->u, &res);
    if (r) return r;
    if (res == ML_PUT_DUPLICATE) {
        char siren[16];
        ml_snprintf(siren, sizeof siren, "%09lld", (long long)it->u.siren);
        return ml_import_reject_item(im, from, it->line, U_SIREN, siren,
                                     "duplicate SIREN: already read in this import");
    }
    im->stats->imported++;
    /* Already there: changed or not ("replaced", as for establishments). */
    if (res != ML_PUT_NEW) im->stats->replaced++;
    im->stats->added += res == ML_PUT_NEW;
    im->stats->modified += res == ML_PUT_REPLACED;
    im->stats->unchanged += res == ML_PUT_UNCHANGED;
    return ML_OK;
}

static const ml_import_kind unite_kind = {
    .name = "unites",
    .what = "StockUniteLegale",
    .other_hint = "statutDiffusionEtablissement",
    .other_msg = "this is a StockEtablissement file (establishments); import it with "
                 "`maillage import sirene FILE`",
    .columns = unite_columns,
    .ncolumns = U_COUNT,
    .item_size = sizeof(unite_item),
    .convert = unite_convert,
    .put = unite_put,
};

ml_err ml_import_unites(ml_db *db, const char *path, const ml_import_opts *opts,
                        ml_import_stats *stats)
{
    ml_buf name;
    ml_buf_init(&name, 2048);
    /* Rows are read and converted in a thread of their own (as establishments). */
    ml_ctx *reader = ml_ctx_new();
    if (!reader) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_ctx_set_log(reader, db->ctx->log, db->ctx->log_ud);
    ml_err r = ml_import_run_pipelined(db, &unite_kind, &path, 1, opts, stats, &name, reader);
    ml_ctx_free(reader);
    ml_buf_release(&name);
    return r;
}
