/* test_demo.c — ml_demo_generate: synthetic SIRENE files for a real territory
 * are in the exact stock layouts, deterministic, marked as generated, and
 * import with exactly the deliberately bad rows rejected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"

#define EPCI "200054807" /* Métropole d'Aix-Marseille-Provence */
#define SIZE 2000

/* The 54 current StockEtablissement columns (SOURCES.md section 6), then ours. */
static const char etab_header[] =
    "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,"
    "trancheEffectifsEtablissement,anneeEffectifsEtablissement,"
    "activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,"
    "etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,"
    "numeroVoieEtablissement,indiceRepetitionEtablissement,dernierNumeroVoieEtablissement,"
    "indiceRepetitionDernierNumeroVoieEtablissement,typeVoieEtablissement,"
    "libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,"
    "libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,"
    "codeCommuneEtablissement,codeCedexEtablissement,libelleCedexEtablissement,"
    "codePaysEtrangerEtablissement,libellePaysEtrangerEtablissement,"
    "identifiantAdresseEtablissement,coordonneeLambertAbscisseEtablissement,"
    "coordonneeLambertOrdonneeEtablissement,complementAdresse2Etablissement,"
    "numeroVoie2Etablissement,indiceRepetition2Etablissement,typeVoie2Etablissement,"
    "libelleVoie2Etablissement,codePostal2Etablissement,libelleCommune2Etablissement,"
    "libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,"
    "codeCommune2Etablissement,codeCedex2Etablissement,libelleCedex2Etablissement,"
    "codePaysEtranger2Etablissement,libellePaysEtranger2Etablissement,dateDebut,"
    "etatAdministratifEtablissement,enseigne1Etablissement,enseigne2Etablissement,"
    "enseigne3Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,"
    "nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement,"
    "activitePrincipaleNAF25Etablissement,maillageDonneeGeneree";

/* Column positions in that header (0-based). */
enum {
    C_SIREN = 0,
    C_NIC = 1,
    C_SIRET = 2,
    C_DIFFUSION = 3,
    C_SIZE = 5,
    C_HEAD = 9,
    C_STREET = 17,
    C_COMMUNE = 22,
    C_LAMBERT_X = 28,
    C_LAMBERT_Y = 29,
    C_STATE = 45,
    C_SIGN1 = 46,
    C_NAF = 50,
    C_NOMENCLATURE = 51,
    C_EMPLOYER = 52,
    C_GENERATED = 54,
    NCOLS = 55
};

typedef struct fixture {
    ml_ctx *ctx;
    ml_db *db;
    char dir[64];
    json_t *summary;
    char *etab, *unit; /* file contents */
    size_t etab_len, unit_len;
} fixture;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    if (s) s[n] = '\0';
    if (len) *len = (size_t)n;
    return s;
}

/* Splits one CSV line (no embedded newlines) into at most `max` fields,
 * unquoting in place. Returns the field count. */
static size_t split(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        char *start = p, *w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
        } else {
            while (*p && *p != ',')
                *w++ = *p++;
        }
        char c = *p;
        *w = '\0';
        if (n < max) fields[n] = start;
        n++;
        if (c != ',') break;
        p++;
    }
    return n;
}

static char *generate(fixture *fx, const char *dir, uint64_t size, uint64_t seed, json_t **sum,
                      size_t *len)
{
    ml_demo_opts o = {.territory = EPCI, .size = size, .seed = seed, .outdir = dir};
    json_t *s = NULL;
    ml_err r = ml_demo_generate(fx->db, &o, &s);
    if (r) fail_msg("ml_demo_generate: %s", ml_ctx_message(fx->ctx));
    char path[256];
    snprintf(path, sizeof path, "%s/StockEtablissement_utf8.csv", dir);
    char *text = slurp(path, len);
    assert_non_null(text);
    if (sum)
        *sum = s;
    else
        json_decref(s);
    return text;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fx->ctx = ml_ctx_new();
    if (ml_db_open(fx->ctx, ":memory:", ML_DB_CREATE, &fx->db) || ml_db_init(fx->db)) {
        fprintf(stderr, "setup: %s\n", ml_ctx_message(fx->ctx));
        return -1;
    }
    snprintf(fx->dir, sizeof fx->dir, "/tmp/test_demo.XXXXXX");
    if (!mkdtemp(fx->dir)) return -1;
    char out[128];
    snprintf(out, sizeof out, "%s/a/b", fx->dir); /* created with mkdir -p semantics */
    fx->etab = generate(fx, out, SIZE, 7, &fx->summary, &fx->etab_len);
    char path[256];
    snprintf(path, sizeof path, "%s/StockUniteLegale_utf8.csv", out);
    fx->unit = slurp(path, &fx->unit_len);
    if (!fx->unit) return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", fx->dir);
    free(fx->etab);
    free(fx->unit);
    json_decref(fx->summary);
    ml_db_close(fx->db);
    ml_ctx_free(fx->ctx);
    free(fx);
    return 0;
}

static json_int_t sum_int(const fixture *fx, const char *key)
{
    return json_integer_value(json_object_get(fx->summary, key));
}

static void summary_describes_the_run(void **state)
{
    fixture *fx = *state;
    json_t *t = json_object_get(fx->summary, "territory");
    assert_string_equal(json_string_value(json_object_get(t, "code")), EPCI);
    assert_int_equal(sum_int(fx, "establishments"), SIZE);
    assert_true(sum_int(fx, "legal_units") > SIZE / 2 && sum_int(fx, "legal_units") < SIZE);
    assert_true(sum_int(fx, "bad_rows") >= 3);
    assert_int_equal(sum_int(fx, "seed"), 7);
    assert_true(json_is_true(json_object_get(fx->summary, "generated")));
    const char *note = json_string_value(json_object_get(fx->summary, "note"));
    assert_non_null(note);
    assert_non_null(strstr(note, "not real companies"));
    json_t *files = json_object_get(fx->summary, "files");
    assert_int_equal(access(json_string_value(json_object_get(files, "establishments")), R_OK), 0);
    assert_int_equal(access(json_string_value(json_object_get(files, "legal_units")), R_OK), 0);
}

static void headers_are_the_sirene_layouts(void **state)
{
    fixture *fx = *state;
    size_t hl = strlen(etab_header);
    assert_true(fx->etab_len > hl);
    assert_memory_equal(fx->etab, etab_header, hl);
    assert_int_equal(fx->etab[hl], '\n');

    char path[] = "/work/shared/data/sirene_samples/stock_unite_legale_echantillon_2026.csv";
    char *sample = slurp(path, NULL);
    if (sample) {
        /* The sample's header, then our mark. */
        sample[strcspn(sample, "\r\n")] = '\0';
        size_t ul = strcspn(fx->unit, "\n");
        char *expected = malloc(strlen(sample) + 32);
        snprintf(expected, strlen(sample) + 32, "%s,maillageDonneeGeneree", sample);
        assert_int_equal(ul, strlen(expected));
        assert_memory_equal(fx->unit, expected, ul);
        free(expected);
        free(sample);
    }
    assert_non_null(strstr(fx->unit, "denominationUniteLegale"));
}

/* Walks the good and bad rows of the establishments file. */
static void rows_are_valid_and_marked(void **state)
{
    fixture *fx = *state;
    json_t *tc = NULL;
    assert_int_equal(ml_territory_communes(fx->db, EPCI, &tc), ML_OK);
    json_t *communes = json_object_get(tc, "communes");

    char *text = strdup(fx->etab);
    char *save = NULL, *line = strtok_r(text, "\n", &save); /* header */
    size_t rows = 0, bad = 0, restricted = 0, restricted_nd = 0, with_xy = 0, heads = 0;
    size_t closed = 0;
    char *f[64];
    while ((line = strtok_r(NULL, "\n", &save))) {
        rows++;
        size_t n = split(line, f, 64);
        if (n != NCOLS) {
            bad++;
            continue;
        }
        if (!ml_siret_valid(f[C_SIRET], strlen(f[C_SIRET])) || strcmp(f[C_COMMUNE], "99999") == 0 ||
            strcmp(f[C_NAF], "99.99Y") == 0) {
            bad++;
            continue;
        }
        assert_int_equal(strlen(f[C_SIRET]), 14);
        assert_memory_equal(f[C_SIRET], f[C_SIREN], 9);
        assert_memory_equal(f[C_SIRET] + 9, f[C_NIC], 5);
        assert_true(ml_siren_valid(f[C_SIREN], 9));
        assert_string_equal(f[C_GENERATED], "true");
        assert_string_equal(f[C_NOMENCLATURE], "NAFRev2");
        assert_true(fx->db->be->naf_known(fx->db, f[C_NAF]));
        bool found = false;
        size_t i;
        json_t *c;
        json_array_foreach(communes, i, c)
        {
            if (strcmp(json_string_value(json_object_get(c, "code")), f[C_COMMUNE]) == 0) {
                found = true;
                break;
            }
        }
        if (!found) fail_msg("commune %s is not in EPCI %s", f[C_COMMUNE], EPCI);
        if (strcmp(f[C_HEAD], "true") == 0) heads++;
        if (strcmp(f[C_STATE], "F") == 0)
            closed++;
        else
            assert_string_equal(f[C_STATE], "A");
        if (strcmp(f[C_DIFFUSION], "P") == 0) {
            restricted++;
            if (strcmp(f[C_SIGN1], "[ND]") == 0 && strcmp(f[C_STREET], "[ND]") == 0)
                restricted_nd++;
            assert_string_equal(f[C_LAMBERT_X], "");
        } else {
            assert_string_equal(f[C_DIFFUSION], "O");
            if (*f[C_SIGN1]) assert_int_equal(strncmp(f[C_SIGN1], "DÉMO ", 6), 0);
        }
        if (*f[C_LAMBERT_X]) {
            /* Lambert-93 over Provence: x ≈ 830–950 km, y ≈ 6.23–6.32 Mm. */
            double x = strtod(f[C_LAMBERT_X], NULL), y = strtod(f[C_LAMBERT_Y], NULL);
            assert_true(x > 800000 && x < 980000);
            assert_true(y > 6200000 && y < 6350000);
            with_xy++;
        }
        bool employer = strcmp(f[C_EMPLOYER], "O") == 0;
        bool staffed = strcmp(f[C_SIZE], "NN") && strcmp(f[C_SIZE], "00");
        assert_int_equal(employer, staffed);
    }
    free(text);
    json_decref(tc);

    assert_int_equal(rows, SIZE);
    assert_int_equal(bad, (size_t)sum_int(fx, "bad_rows"));
    assert_int_equal(restricted, (size_t)sum_int(fx, "restricted"));
    assert_int_equal(closed, (size_t)sum_int(fx, "closed"));
    assert_int_equal(restricted_nd, restricted);
    assert_int_equal(heads, (size_t)sum_int(fx, "legal_units"));
    /* About 2 % restricted, about 8 % closed. */
    assert_true(restricted >= SIZE / 200 && restricted <= SIZE * 4 / 100);
    assert_true(closed >= SIZE * 4 / 100 && closed <= SIZE * 12 / 100);
    assert_true(with_xy > (rows - restricted) * 8 / 10);
}

static void legal_units_are_named_demo(void **state)
{
    fixture *fx = *state;
    char *text = strdup(fx->unit);
    char *save = NULL, *line = strtok_r(text, "\n", &save);
    char *f[64];
    size_t units = 0, persons = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        units++;
        assert_int_equal(split(line, f, 64), 36);
        assert_true(ml_siren_valid(f[0], strlen(f[0])));
        assert_string_equal(f[35], "true");
        const char *denomination = f[23], *form = f[27];
        if (strcmp(f[1], "P") == 0) {
            persons++;
            assert_string_equal(form, "1000");
            assert_string_equal(denomination, "");
            assert_string_equal(f[21], "[ND]"); /* nomUniteLegale */
        } else {
            assert_string_equal(f[1], "O");
            assert_int_equal(strncmp(denomination, "DÉMO ", 6), 0);
            assert_true(strlen(denomination) > 7);
        }
        const char *category = f[17];
        assert_true(!*category || !strcmp(category, "PME") || !strcmp(category, "ETI") ||
                    !strcmp(category, "GE"));
    }
    free(text);
    assert_int_equal(units, (size_t)sum_int(fx, "legal_units"));
    assert_true(persons > 0);
}

static void same_seed_same_bytes(void **state)
{
    fixture *fx = *state;
    char dir[128];
    size_t len = 0;
    snprintf(dir, sizeof dir, "%s/again", fx->dir);
    char *again = generate(fx, dir, SIZE, 7, NULL, &len);
    assert_int_equal(len, fx->etab_len);
    assert_memory_equal(again, fx->etab, len);
    char path[256];
    snprintf(path, sizeof path, "%s/StockUniteLegale_utf8.csv", dir);
    size_t ulen = 0;
    char *units = slurp(path, &ulen);
    assert_non_null(units);
    assert_int_equal(ulen, fx->unit_len);
    assert_memory_equal(units, fx->unit, ulen);
    free(units);
    free(again);

    snprintf(dir, sizeof dir, "%s/other", fx->dir);
    char *other = generate(fx, dir, SIZE, 8, NULL, &len);
    assert_true(len != fx->etab_len || memcmp(other, fx->etab, len) != 0);
    free(other);
}

static void bad_territory_is_invalid(void **state)
{
    fixture *fx = *state;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/none", fx->dir);
    ml_demo_opts o = {.territory = "999999999", .size = 10, .seed = 1, .outdir = dir};
    json_t *s = NULL;
    assert_int_equal(ml_demo_generate(fx->db, &o, &s), ML_INVALID);
    assert_null(s);
    assert_non_null(strstr(ml_ctx_message(fx->ctx), "999999999"));
    o.territory = "not a code";
    assert_int_equal(ml_demo_generate(fx->db, &o, NULL), ML_INVALID);
    o.territory = EPCI;
    o.outdir = "/proc/no/such/place";
    assert_int_equal(ml_demo_generate(fx->db, &o, NULL), ML_IO);
    assert_non_null(strstr(ml_ctx_message(fx->ctx), "/proc/no"));
}

static void import_rejects_exactly_the_bad_rows(void **state)
{
    fixture *fx = *state;
    json_t *files = json_object_get(fx->summary, "files");
    const char *etab = json_string_value(json_object_get(files, "establishments"));
    const char *units = json_string_value(json_object_get(files, "legal_units"));
    ml_import_stats st;
    ml_err r = ml_import_sirene(fx->db, &etab, 1, NULL, &st);
    if (r) fail_msg("import sirene: %s", ml_ctx_message(fx->ctx));
    assert_int_equal(st.rows, SIZE);
    assert_int_equal(st.rejected, (uint64_t)sum_int(fx, "bad_rows"));
    assert_int_equal(st.imported, (uint64_t)(SIZE - sum_int(fx, "bad_rows")) - st.skipped);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(st.restricted, (uint64_t)sum_int(fx, "restricted"));
    /* Positions come from the Lambert columns, not the commune centres, except for P rows. */
    assert_true(st.approximate <= st.restricted + st.imported / 20);

    ml_import_stats su;
    r = ml_import_unites(fx->db, units, NULL, &su);
    if (r) fail_msg("import unites: %s", ml_ctx_message(fx->ctx));
    assert_int_equal(su.rejected, 0);
    assert_int_equal(su.imported, (uint64_t)sum_int(fx, "legal_units"));

    json_t *info = NULL;
    assert_int_equal(ml_territory_summary(fx->db, EPCI, &info), ML_OK);
    assert_true(json_is_true(json_object_get(info, "contains_generated_data")));
    json_decref(info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(summary_describes_the_run),
        cmocka_unit_test(headers_are_the_sirene_layouts),
        cmocka_unit_test(rows_are_valid_and_marked),
        cmocka_unit_test(legal_units_are_named_demo),
        cmocka_unit_test(same_seed_same_bytes),
        cmocka_unit_test(bad_territory_is_invalid),
        cmocka_unit_test(import_rejects_exactly_the_bad_rows),
    };
    return cmocka_run_group_tests_name("demo", tests, setup, teardown);
}
