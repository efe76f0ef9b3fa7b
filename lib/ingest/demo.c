/* demo.c — `maillage demo`: synthetic StockEtablissement / StockUniteLegale
 * files for a real territory, in the exact SIRENE layouts, every row marked
 * as generated. Deterministic from the seed: same seed, same bytes. */
#include <errno.h>
#include <math.h>
#include <proj.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "export/csv.h"
#include "store/store.h"

#define DEMO_MAX_ROWS       100000000ULL /* same cap as the CLI */
#define INHABITANTS_PER_ROW 4.0  /* Bouches-du-Rhône 2026: 572,631 active for 2.07 M people */
#define RESTRICTED_SHARE    0.02 /* establishments with statut P */
#define CLOSED_SHARE        0.08 /* establishments closed (état F) */
#define BAD_ROWS_PER_ROW    0.0005
#define BAD_KINDS           4 /* checksum, commune, NAF, field count */
#define SIGMA_CAP_KM        4.0
#define EST_FILE            "StockEtablissement_utf8.csv"
#define UL_FILE             "StockUniteLegale_utf8.csv"

/* ------------------------------------------------------------------ layouts */

// clang-format off
/* StockEtablissement, current order (54 columns), then maillage's mark. */
#define ETAB_COLUMNS                                                                               \
    X(siren) X(nic) X(siret) X(statutDiffusionEtablissement) X(dateCreationEtablissement)          \
    X(trancheEffectifsEtablissement) X(anneeEffectifsEtablissement)                                \
    X(activitePrincipaleRegistreMetiersEtablissement) X(dateDernierTraitementEtablissement)        \
    X(etablissementSiege) X(nombrePeriodesEtablissement) X(complementAdresseEtablissement)         \
    X(numeroVoieEtablissement) X(indiceRepetitionEtablissement)                                    \
    X(dernierNumeroVoieEtablissement) X(indiceRepetitionDernierNumeroVoieEtablissement)            \
    X(typeVoieEtablissement) X(libelleVoieEtablissement) X(codePostalEtablissement)                \
    X(libelleCommuneEtablissement) X(libelleCommuneEtrangerEtablissement)                          \
    X(distributionSpecialeEtablissement) X(codeCommuneEtablissement) X(codeCedexEtablissement)     \
    X(libelleCedexEtablissement) X(codePaysEtrangerEtablissement)                                  \
    X(libellePaysEtrangerEtablissement) X(identifiantAdresseEtablissement)                         \
    X(coordonneeLambertAbscisseEtablissement) X(coordonneeLambertOrdonneeEtablissement)            \
    X(complementAdresse2Etablissement) X(numeroVoie2Etablissement)                                 \
    X(indiceRepetition2Etablissement) X(typeVoie2Etablissement) X(libelleVoie2Etablissement)       \
    X(codePostal2Etablissement) X(libelleCommune2Etablissement)                                    \
    X(libelleCommuneEtranger2Etablissement) X(distributionSpeciale2Etablissement)                  \
    X(codeCommune2Etablissement) X(codeCedex2Etablissement) X(libelleCedex2Etablissement)          \
    X(codePaysEtranger2Etablissement) X(libellePaysEtranger2Etablissement) X(dateDebut)            \
    X(etatAdministratifEtablissement) X(enseigne1Etablissement) X(enseigne2Etablissement)          \
    X(enseigne3Etablissement) X(denominationUsuelleEtablissement)                                  \
    X(activitePrincipaleEtablissement) X(nomenclatureActivitePrincipaleEtablissement)              \
    X(caractereEmployeurEtablissement) X(activitePrincipaleNAF25Etablissement)                     \
    X(maillageDonneeGeneree)

/* StockUniteLegale, current order (35 columns), then maillage's mark. */
#define UNIT_COLUMNS                                                                               \
    X(siren) X(statutDiffusionUniteLegale) X(unitePurgeeUniteLegale) X(dateCreationUniteLegale)    \
    X(sigleUniteLegale) X(sexeUniteLegale) X(prenom1UniteLegale) X(prenom2UniteLegale)             \
    X(prenom3UniteLegale) X(prenom4UniteLegale) X(prenomUsuelUniteLegale)                          \
    X(pseudonymeUniteLegale) X(identifiantAssociationUniteLegale) X(trancheEffectifsUniteLegale)   \
    X(anneeEffectifsUniteLegale) X(dateDernierTraitementUniteLegale)                               \
    X(nombrePeriodesUniteLegale) X(categorieEntreprise) X(anneeCategorieEntreprise) X(dateDebut)   \
    X(etatAdministratifUniteLegale) X(nomUniteLegale) X(nomUsageUniteLegale)                       \
    X(denominationUniteLegale) X(denominationUsuelle1UniteLegale)                                  \
    X(denominationUsuelle2UniteLegale) X(denominationUsuelle3UniteLegale)                          \
    X(categorieJuridiqueUniteLegale) X(activitePrincipaleUniteLegale)                              \
    X(nomenclatureActivitePrincipaleUniteLegale) X(nicSiegeUniteLegale)                            \
    X(economieSocialeSolidaireUniteLegale) X(societeMissionUniteLegale)                            \
    X(caractereEmployeurUniteLegale) X(activitePrincipaleNAF25UniteLegale)                         \
    X(maillageDonneeGeneree)
// clang-format on

#define X(n) EC_##n,
enum { ETAB_COLUMNS EC_COUNT };
#undef X
#define X(n) UC_##n,
enum { UNIT_COLUMNS UC_COUNT };
#undef X
#define X(n) #n,
static const char *const etab_names[EC_COUNT] = {ETAB_COLUMNS};
static const char *const unit_names[UC_COUNT] = {UNIT_COLUMNS};
#undef X
_Static_assert(EC_COUNT == 55, "54 SIRENE columns + maillageDonneeGeneree");
_Static_assert(UC_COUNT == 36, "35 SIRENE columns + maillageDonneeGeneree");

/* -------------------------------------------------------------- value sets */

/* trancheEffectifs codes and a typical headcount. How often each occurs, and
 * in which activity, comes from the real SIRENE sample (naf_sample). */
static const struct {
    const char *code;
    int headcount;
} bands[] = {
    {"NN", 0},    {"00", 0},    {"01", 2},    {"02", 4},     {"03", 8},   {"11", 15},
    {"12", 35},   {"21", 75},   {"22", 150},  {"31", 225},   {"32", 375}, {"41", 750},
    {"42", 1500}, {"51", 3500}, {"52", 7500}, {"53", 12000},
};

/* The seven groups of NAF divisions of the département figures (data/naf/
 * sector_groups_2026.csv), by first division. */
static const struct {
    int first_division;
    const char *group;
} sector_groups[] = {
    {1, "agriculture"},
    {5, "industrie"},
    {41, "construction"},
    {45, "commerce_transport_hcr"},
    {58, "services_entreprises"},
    {84, "services_publics_sante"},
    {90, "autres"},
};

static size_t group_of(const char *naf_code)
{
    int div = (naf_code[0] - '0') * 10 + (naf_code[1] - '0');
    size_t g = 0;
    for (size_t i = 0; i < ML_ARRAY_LEN(sector_groups); i++)
        if (div >= sector_groups[i].first_division) g = i;
    return g;
}
/* Indexes of bands[] ("NN", "00", "01"... as band_floor below). */
enum { BAND_NN = 0, BAND_00 = 1, BAND_01 = 2, BAND_11 = 5, BAND_21 = 7, BAND_32 = 10 };
/* Lower bound of each band from "00" on, to band a legal unit's total. */
static const int band_floor[] = {0,   0,   1,   3,   6,    10,   20,   50,
                                 100, 200, 250, 500, 1000, 2000, 5000, 10000};

/* Establishments per legal unit: most have one. */
static const struct {
    int lo, hi, weight; /* per 1,000 */
} unit_sizes[] = {{1, 1, 820}, {2, 2, 90}, {3, 3, 40}, {4, 6, 30}, {7, 15, 15}, {16, 40, 5}};

static const struct {
    const char *code;
    int weight;
} street_types[] = {{"RUE", 40}, {"AV", 20}, {"BD", 8}, {"CHE", 10}, {"RTE", 7}, {"PL", 4},
                    {"IMP", 3},  {"ALL", 2}, {"ZI", 3}, {"ZA", 3},   {"QUAI", 1}};

static const char *const street_names[] = {
    "DE LA REPUBLIQUE", "JEAN JAURES",  "VICTOR HUGO",      "DU GENERAL DE GAULLE",
    "PASTEUR",          "DES ECOLES",   "DE LA GARE",       "DU MOULIN",
    "DES LILAS",        "DE L'EGLISE",  "DES ARTISANS",     "DE L'INDUSTRIE",
    "DU STADE",         "DES PINS",     "FREDERIC MISTRAL", "DU PORT",
    "NATIONALE",        "DES PLATANES", "DE LA LIBERATION", "GAMBETTA",
    "DU MARECHAL FOCH", "DES OLIVIERS", "DE LA MAIRIE",     "JULES FERRY",
    "DU COMMERCE",      "DES FLEURS",   "PAUL CEZANNE",     "DE LA PAIX",
    "DU CHATEAU",       "DES VIGNES",   "EMILE ZOLA",       "DE LA FONTAINE",
};
static const char *const zone_names[] = {"DES ACTIVITES", "NORD",    "SUD",   "EST",
                                         "DES ARTISANS",  "DU PARC", "OUEST", "DU MOULIN"};

static const char *const surnames[] = {
    "Durand",  "Martin",    "Bernard",  "Petit",    "Robert",   "Richard", "Dubois",   "Moreau",
    "Laurent", "Simon",     "Michel",   "Lefebvre", "Leroy",    "Roux",    "David",    "Bertrand",
    "Morel",   "Fournier",  "Girard",   "Bonnet",   "Dupont",   "Lambert", "Fontaine", "Rousseau",
    "Vincent", "Muller",    "Faure",    "André",    "Mercier",  "Blanc",   "Guérin",   "Boyer",
    "Garnier", "Chevalier", "François", "Legrand",  "Gauthier", "Garcia",  "Perrin",   "Robin",
    "Clément", "Morin",     "Nicolas",  "Henry",    "Roussel",  "Mathieu", "Masson",   "Marchand",
    "Duval",   "Denis",     "Dumont",   "Lemaire",  "Noël",     "Meyer",   "Dufour",   "Meunier",
    "Brun",    "Blanchard", "Giraud",   "Joly",     "Rivière",  "Lucas",   "Brunet",   "Gaillard",
    "Barbier", "Arnaud",    "Martinez", "Gérard",   "Roche",    "Renard",  "Schmitt",  "Roy",
    "Leroux",  "Colin",     "Vidal",    "Caron",    "Picard",
};
/* A name's first word fits the trade: a factory is not a "Cabinet" nor an
 * "Agence", an accounting office not a "Manufacture". */
static const char *const prefixes_industry[] = {
    "Ateliers",  "Établissements", "Société", "Groupe",  "Usines",      "Fabrications",
    "Compagnie", "Entreprise",     "Usine",   "Atelier", "Manufacture", "Industries",
};
/* Food (divisions 10 and 11): bakers and butchers as much as factories. */
static const char *const prefixes_food[] = {
    "Maison",    "Établissements", "Société",  "Atelier",
    "Compagnie", "Entreprise",     "Ateliers", "Groupe",
};
static const char *const prefixes_services[] = {
    "Établissements", "Société", "Groupe", "Maison", "Comptoir", "Compagnie",
    "Entreprise",     "Cabinet", "Agence", "Bureau", "Office",   "Espace",
};
static const char *const sign_tails[] = {"du Centre", "du Port", "des Halles", "Express",
                                         "Plus",      "& Co",    "de la Gare", "Service"};

/* Words of NAF labels that say nothing about the trade. */
static const char *const stop_words[] = {
    "de",           "du",          "des",
    "la",           "le",          "les",
    "et",           "en",          "à",
    "au",           "aux",         "pour",
    "par",          "sur",         "sauf",
    "hors",         "non",         "autre",
    "autres",       "fabrication", "commerce",
    "activités",    "activité",    "services",
    "service",      "production",  "travaux",
    "exploitation", "location",    "gestion",
    "détail",       "gros",        "intermédiaires",
    "magasin",      "magasins",    "spécialisé",
    "spécialisés",  "divers",      "diverses",
    "produits",     "articles",    "culture",
    "cultures",     "élevage",     "n.c.a",
    "auprès",       "exception",   "soutien",
};

/* ------------------------------------------------------------------ random */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static double rng_unit(rng *r) /* [0, 1) */
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static uint64_t rng_below(rng *r, uint64_t n)
{
    return (uint64_t)(rng_unit(r) * (double)n);
}

static bool rng_chance(rng *r, double p)
{
    return rng_unit(r) < p;
}

static double rng_gauss(rng *r)
{
    double u1 = 1.0 - rng_unit(r), u2 = rng_unit(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

#define PICK(r, list) ((list)[rng_below((r), ML_ARRAY_LEN(list))])

/* First index whose cumulative weight exceeds a uniform draw. */
static size_t pick_cumulative(rng *r, const double *cum, size_t n)
{
    double x = rng_unit(r) * cum[n - 1];
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ------------------------------------------------------------------- dates */

static int days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
}

static void format_date(char out[11], int z)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int y = yoe + era * 400 + (m <= 2);
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
}

/* --------------------------------------------------------- reference data */

typedef struct commune {
    const char *code; /* borrowed from the territory JSON */
    char *city;       /* libelleCommune as SIRENE spells it: "MARSEILLE 8" */
    char *place;      /* "de Vitrolles", "d'Aubagne", "du Rove" for names */
    char postcode[6]; /* its first La Poste postcode (data/geo/postcodes.csv), "" if none */
    double lat, lon, sigma_km;
    bool overseas;
} commune;

typedef struct naf {
    const char *code;    /* borrowed from the NAF JSON */
    char *word;          /* trade word taken from the label: "Boulangerie" */
    bool land;           /* farms, forestry, fishing, quarries: rural communes */
    size_t first, count; /* its cells in gen.cells (sorted by sub-class) */
} naf;

/* One (sub-class, size band) cell of the real SIRENE sample. */
typedef struct cell {
    size_t naf, band;
} cell;

typedef struct gen {
    ml_db *db;
    rng r;
    json_t *territory, *nafs, *sample;
    commune *com;
    double *com_cum, *com_rural_cum; /* by population; for farms and quarries */
    size_t ncom;
    naf *naf;
    size_t nnaf;
    cell *cells;
    double *cell_cum; /* weights of the sample, reweighted to the area's groups */
    size_t ncells;
    const char *area; /* département whose figures set the group shares, or "FR" */
    PJ_CONTEXT *pctx;
    PJ *pj;
    /* SIREN = affine permutation of a counter over 8 digits: unique. */
    uint64_t perm_a, perm_b, perm_i;
    int day_first, day_last, day_treat;
    FILE *fe, *fu;
    ml_buf line;
    uint64_t rows, good_rows, units, restricted, closed, bad;
    const char *ev[EC_COUNT], *uv[UC_COUNT];
} gen;

/* Upper case without accents, as SIRENE writes commune labels. */
static void fold_upper(ml_buf *b, const char *s)
{
    /* Latin-1 letters U+00C0..U+00FF by their low 5 bits ("" = keep as is). */
    static const char *const latin[32] = {"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E",
                                          "E", "I", "I", "I", "I", "D", "N",  "O", "O", "O", "O",
                                          "O", "",  "O", "U", "U", "U", "U",  "Y", "",  "SS"};
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF && latin[p[1] & 0x1F][0]) {
            ml_buf_addstr(b, latin[p[1] & 0x1F]);
            p++;
        } else if (*p == 0xC5 && (p[1] == 0x92 || p[1] == 0x93)) {
            ml_buf_addstr(b, "OE");
            p++;
        } else if (*p >= 'a' && *p <= 'z') {
            ml_buf_addch(b, (char)(*p - 'a' + 'A'));
        } else {
            ml_buf_addch(b, (char)*p);
        }
    }
}

/* "Marseille 1er Arrondissement" → city "MARSEILLE 1", place "de Marseille". */
static int trailing_zeros(const char *pc)
{
    int n = 0;
    for (int i = 4; i >= 0 && pc[i] == '0'; i--)
        n++;
    return n;
}

/* Each commune's main postcode in the shipped La Poste table — the roundest
 * of its codes, the town's own (Aix-en-Provence: 13100 rather than 13080,
 * which it shares with a village), so that generated addresses carry one as
 * real ones do. A missing table leaves the postcodes empty. */
static void commune_postcodes(gen *g)
{
    char path[4096];
    if (ml_snprintf(path, sizeof path, "%s/geo/postcodes.csv", ml_ctx_datadir(g->db->ctx)))
        return;
    FILE *f = fopen(path, "r");
    if (!f) return;
    char line[128];
    while (fgets(line, sizeof line, f)) {
        char *comma = strchr(line, ',');
        if (!comma || comma - line != 5) continue;
        char *code = comma + 1;
        code[strcspn(code, "\r\n")] = '\0';
        for (size_t i = 0; i < g->ncom; i++)
            if (strcmp(g->com[i].code, code) == 0 &&
                (!g->com[i].postcode[0] ||
                 trailing_zeros(line) > trailing_zeros(g->com[i].postcode))) {
                memcpy(g->com[i].postcode, line, 5);
                g->com[i].postcode[5] = '\0';
            }
    }
    fclose(f);
}

static int commune_labels(commune *c, const char *name)
{
    ml_buf b;
    ml_buf_init(&b, 512);
    const char *arr = strstr(name, " Arrondissement");
    size_t base = strlen(name);
    char number[8] = "";
    if (arr) {
        const char *sp = arr;
        while (sp > name && sp[-1] != ' ')
            sp--;
        size_t nd = strspn(sp, "0123456789");
        if (nd && nd < sizeof number && sp > name) {
            memcpy(number, sp, nd);
            number[nd] = '\0';
            base = (size_t)(sp - 1 - name);
        }
    }
    char *short_name = malloc(base + 1);
    if (!short_name) return -1;
    memcpy(short_name, name, base);
    short_name[base] = '\0';
    fold_upper(&b, short_name);
    if (number[0]) ml_buf_addf(&b, " %s", number);
    c->city = ml_buf_failed(&b) ? NULL : ml_strdup(ml_buf_cstr(&b));
    ml_buf_reset(&b);
    if (strncmp(short_name, "Le ", 3) == 0)
        ml_buf_addf(&b, "du %s", short_name + 3);
    else if (strncmp(short_name, "Les ", 4) == 0)
        ml_buf_addf(&b, "des %s", short_name + 4);
    else if (strchr("AEIOUYH", short_name[0]) || strncmp(short_name, "É", strlen("É")) == 0)
        ml_buf_addf(&b, "d'%s", short_name);
    else
        ml_buf_addf(&b, "de %s", short_name);
    c->place = ml_buf_failed(&b) ? NULL : ml_strdup(ml_buf_cstr(&b));
    free(short_name);
    ml_buf_release(&b);
    return c->city && c->place ? 0 : -1;
}

static bool is_stop_word(const char *w, size_t n)
{
    for (size_t i = 0; i < ML_ARRAY_LEN(stop_words); i++)
        if (strlen(stop_words[i]) == n && strncasecmp(stop_words[i], w, n) == 0) return true;
    return false;
}

/* The first telling word of a NAF label, capitalised: "Fabrication de
 * moteurs et turbines" → "Moteurs". */
static char *trade_word(const char *label)
{
    const char *p = label ? label : "";
    while (*p) {
        while (*p && strchr(" ,;:()/-'.", *p))
            p++;
        const char *w = p;
        while (*p && !strchr(" ,;:()/'", *p))
            p++;
        size_t n = (size_t)(p - w);
        /* Skip elided articles: "d'équipements" → "équipements". */
        if (*p == '\'' && n <= 2) continue;
        while (n && w[n - 1] == '.')
            n--;
        if (n < 4 || is_stop_word(w, n)) continue;
        char *s = malloc(n + 1);
        if (!s) return NULL;
        memcpy(s, w, n);
        s[n] = '\0';
        unsigned char *u = (unsigned char *)s;
        if (u[0] >= 'a' && u[0] <= 'z')
            u[0] = (unsigned char)(u[0] - 'a' + 'A');
        else if (u[0] == 0xC3 && u[1] >= 0xA0 && u[1] <= 0xBE && u[1] != 0xB7)
            u[1] -= 0x20;
        return s;
    }
    return ml_strdup("Services");
}

static ml_err load_communes(gen *g)
{
    json_t *list = json_object_get(g->territory, "communes");
    size_t n = json_array_size(list);
    if (n == 0)
        return ml_fail(
            g->db->ctx, ML_INVALID, "territory '%s' has no commune with a position",
            json_string_value(json_object_get(json_object_get(g->territory, "territory"), "code")));
    g->com = calloc(n, sizeof *g->com);
    g->com_cum = calloc(n, sizeof *g->com_cum);
    g->com_rural_cum = calloc(n, sizeof *g->com_rural_cum);
    if (!g->com || !g->com_cum || !g->com_rural_cum)
        return ml_fail(g->db->ctx, ML_NOMEM, "out of memory");
    double total = 0, rural = 0;
    bool any_population = false;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(list, i);
        if (json_integer_value(json_object_get(o, "population")) > 0) any_population = true;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(list, i);
        commune *c = &g->com[g->ncom++];
        c->code = json_string_value(json_object_get(o, "code"));
        const char *name = json_string_value(json_object_get(o, "name"));
        const char *dep = json_string_value(json_object_get(o, "departement"));
        if (!c->code || commune_labels(c, name ? name : c->code))
            return ml_fail(g->db->ctx, ML_NOMEM, "out of memory");
        c->lat = json_number_value(json_object_get(o, "lat"));
        c->lon = json_number_value(json_object_get(o, "lon"));
        c->overseas = dep && strncmp(dep, "97", 2) == 0;
        double pop = (double)json_integer_value(json_object_get(o, "population"));
        if (pop < 0) pop = 0;
        /* Bigger towns spread wider around their centre. */
        c->sigma_km = fmin(SIGMA_CAP_KM, 0.4 + 1.5 * sqrt(pop / 50000.0));
        total += any_population ? pop : 1.0;
        g->com_cum[i] = total;
        /* Farms and quarries need land: small communes, not city districts. */
        rural += sqrt(pop + 1) * (pop < 10000 ? 1.0 : pop < 30000 ? 0.2 : 0.02);
        g->com_rural_cum[i] = rural;
    }
    if (total <= 0) return ml_fail(g->db->ctx, ML_INVALID, "territory has no population");
    commune_postcodes(g);
    return ML_OK;
}

/* The département that sets the shares of sector groups: the one holding
 * most of the territory's population, when its figures are shipped. */
static void pick_area(gen *g)
{
    json_t *groups = json_object_get(g->sample, "groups");
    json_t *pops = json_object();
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(g->territory, "communes"), i, o)
    {
        const char *dep = json_string_value(json_object_get(o, "departement"));
        if (!dep) continue;
        json_t *v = json_object_get(pops, dep);
        json_int_t pop = json_integer_value(json_object_get(o, "population"));
        json_object_set_new(pops, dep, json_integer(json_integer_value(v) + pop));
    }
    const char *key, *best = NULL;
    json_t *v;
    json_int_t most = -1;
    json_object_foreach(pops, key, v)
    {
        if (json_integer_value(v) > most) {
            most = json_integer_value(v);
            best = key;
        }
    }
    /* Keys of `groups` outlive `pops`. */
    g->area = "FR";
    json_object_foreach(groups, key, v)
    {
        if (best && strcmp(key, best) == 0) g->area = key;
    }
    json_decref(pops);
}

/* The reference tables the generator draws from (through the backend's
 * ref_scan): the NAF sub-classes ([{code, label, a38, a21}] by code), the
 * real SIRENE sample ({"sample": [{subclass, band, n}] by sub-class and
 * band, "groups": {area: {group: share}}}). */
static int naf_row(void *ud, const char *const *f, size_t n)
{
    /* code,label,a615,a272,a129,a88,a64,a38,a21,a10 */
    if (n < 9 || !f[0]) return 0;
    return json_array_append_new(ud, json_pack("{s:s, s:s?, s:s?, s:s?}", "code", f[0], "label",
                                               f[1], "a38", f[7], "a21", f[8]));
}

static int sample_row(void *ud, const char *const *f, size_t n)
{
    /* subclass,band,establishments */
    if (n < 3 || !f[0] || !f[1]) return 0;
    int64_t v = 0;
    if (!f[2] || ml_parse_i64(f[2], strlen(f[2]), 0, INT64_MAX, &v)) return 0;
    return json_array_append_new(ud, json_pack("{s:s, s:s, s:I}", "subclass", f[0], "band", f[1],
                                               "n", (json_int_t)v));
}

static int group_row(void *ud, const char *const *f, size_t n)
{
    /* area,grp,share */
    if (n < 3 || !f[0] || !f[1] || !f[2]) return 0;
    json_t *g = json_object_get(ud, f[0]);
    if (!g && json_object_set_new(ud, f[0], g = json_object())) return 1;
    return json_object_set_new(g, f[1], json_real(strtod(f[2], NULL)));
}

static int by_keys(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    static const char *const keys[] = {"code", "subclass", "band"};
    for (size_t i = 0; i < ML_ARRAY_LEN(keys); i++) {
        const char *x = json_string_value(json_object_get(a, keys[i]));
        const char *y = json_string_value(json_object_get(b, keys[i]));
        int c = strcmp(x ? x : "", y ? y : "");
        if (c) return c;
    }
    return 0;
}


static ml_err load_reference(gen *g)
{
    ml_db *db = g->db;
    json_t *sample = json_array(), *groups = json_object();
    g->nafs = json_array();
    g->sample = json_pack("{s:o, s:o}", "sample", sample, "groups", groups);
    if (!g->nafs || !g->sample) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_err r;
    if ((r = db->be->ref_scan(db, ML_REF_NAF, naf_row, g->nafs)) ||
        (r = db->be->ref_scan(db, ML_REF_NAF_SAMPLE, sample_row, sample)) ||
        (r = db->be->ref_scan(db, ML_REF_NAF_GROUPS, group_row, groups)))
        return r;
    /* Sorted: the draws are seeded, their order must not depend on the engine. */
    if (ml_json_array_sort(g->nafs, by_keys) || ml_json_array_sort(sample, by_keys))
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    return ML_OK;
}

/* Sub-classes and size bands drawn from the real SIRENE sample (the Strasbourg
 * area, 2018), each group of divisions reweighted to the area's share
 * (département figures of 2026); public administration (84.1x) and
 * households as employers (97, 98) are left out. */
static ml_err load_sectors(gen *g)
{
    ml_ctx *ctx = g->db->ctx;
    size_t n = json_array_size(g->nafs);
    json_t *sample = json_object_get(g->sample, "sample");
    size_t ns = json_array_size(sample);
    g->naf = calloc(n ? n : 1, sizeof *g->naf);
    g->cells = calloc(ns ? ns : 1, sizeof *g->cells);
    g->cell_cum = calloc(ns ? ns : 1, sizeof *g->cell_cum);
    if (!g->naf || !g->cells || !g->cell_cum) return ml_fail(ctx, ML_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(g->nafs, i);
        naf *f = &g->naf[g->nnaf++];
        f->code = json_string_value(json_object_get(o, "code"));
        const char *a21 = json_string_value(json_object_get(o, "a21"));
        f->land = a21 && strchr("AB", a21[0]);
        f->word = trade_word(json_string_value(json_object_get(o, "label")));
        if (!f->code || !f->word) return ml_fail(ctx, ML_NOMEM, "out of memory");
    }
    pick_area(g);
    json_t *target = json_object_get(json_object_get(g->sample, "groups"), g->area);
    /* Each group's weight in the sample, to reweight it to the area's share. */
    double in_sample[ML_ARRAY_LEN(sector_groups)] = {0}, sum = 0;
    size_t f = 0;
    for (size_t k = 0; k < ns; k++) {
        json_t *o = json_array_get(sample, k);
        const char *sub = json_string_value(json_object_get(o, "subclass"));
        const char *band = json_string_value(json_object_get(o, "band"));
        double w = (double)json_integer_value(json_object_get(o, "n"));
        if (!sub || !band || w <= 0 || strncmp(sub, "84.1", 4) == 0 || strncmp(sub, "97", 2) == 0 ||
            strncmp(sub, "98", 2) == 0)
            continue;
        while (f < g->nnaf && strcmp(g->naf[f].code, sub) < 0)
            f++;
        if (f == g->nnaf || strcmp(g->naf[f].code, sub) != 0) continue;
        size_t b = 0;
        while (b < ML_ARRAY_LEN(bands) && strcmp(bands[b].code, band) != 0)
            b++;
        if (b == ML_ARRAY_LEN(bands)) continue;
        if (g->naf[f].count == 0) g->naf[f].first = g->ncells;
        g->naf[f].count++;
        g->cells[g->ncells] = (cell){f, b};
        g->cell_cum[g->ncells++] = w; /* the weight for now */
        in_sample[group_of(sub)] += w;
        sum += w;
    }
    if (g->ncells == 0 || sum <= 0)
        return ml_fail(ctx, ML_INVALID,
                       "no sector to draw from: the NAF table or the SIRENE sample is empty "
                       "(run `maillage init` first)");
    double total = 0;
    for (size_t k = 0; k < g->ncells; k++) {
        size_t gr = group_of(g->naf[g->cells[k].naf].code);
        json_t *t = json_object_get(target, sector_groups[gr].group);
        double factor = t && in_sample[gr] > 0 ? json_real_value(t) / (in_sample[gr] / sum) : 1;
        total += g->cell_cum[k] * factor;
        g->cell_cum[k] = total;
    }
    return ML_OK;
}

/* A size band for an establishment of sub-class `ni`, as the sample gives it. */
static size_t draw_band(gen *g, size_t ni)
{
    const naf *f = &g->naf[ni];
    if (!f->count) return BAND_00;
    double lo = f->first ? g->cell_cum[f->first - 1] : 0, hi = g->cell_cum[f->first + f->count - 1];
    double x = lo + rng_unit(&g->r) * (hi - lo);
    for (size_t k = f->first; k < f->first + f->count; k++)
        if (x < g->cell_cum[k]) return g->cells[k].band;
    return g->cells[f->first + f->count - 1].band;
}

/* Another sub-class of the same division, drawn by the sample's weights. */
static size_t draw_sibling(gen *g, size_t ni)
{
    const char *code = g->naf[ni].code;
    size_t a = ni, b = ni;
    while (a > 0 && strncmp(g->naf[a - 1].code, code, 2) == 0)
        a--;
    while (b + 1 < g->nnaf && strncmp(g->naf[b + 1].code, code, 2) == 0)
        b++;
    double total = 0;
    for (size_t k = a; k <= b; k++)
        if (g->naf[k].count) {
            const naf *f = &g->naf[k];
            total +=
                g->cell_cum[f->first + f->count - 1] - (f->first ? g->cell_cum[f->first - 1] : 0);
        }
    double x = rng_unit(&g->r) * total;
    for (size_t k = a; k <= b; k++) {
        const naf *f = &g->naf[k];
        if (!f->count) continue;
        double w =
            g->cell_cum[f->first + f->count - 1] - (f->first ? g->cell_cum[f->first - 1] : 0);
        if (x < w) return k;
        x -= w;
    }
    return ni;
}

static ml_err open_proj(gen *g)
{
    g->pctx = proj_context_create();
    if (!g->pctx) return ml_fail(g->db->ctx, ML_ERROR, "cannot start PROJ");
    proj_log_level(g->pctx, PJ_LOG_NONE);
    PJ *raw = proj_create_crs_to_crs(g->pctx, "EPSG:4326", "EPSG:2154", NULL);
    if (raw) {
        /* EPSG:4326 is latitude-first; normalise to longitude, latitude. */
        g->pj = proj_normalize_for_visualization(g->pctx, raw);
        proj_destroy(raw);
    }
    if (!g->pj)
        return ml_fail(
            g->db->ctx, ML_ERROR,
            "PROJ cannot build the WGS84 → Lambert-93 transformation (proj.db missing?)");
    return ML_OK;
}

/* ---------------------------------------------------------------- writing */

static void csv_line(ml_buf *b, const char *const *v, size_t n)
{
    ml_buf_reset(b);
    for (size_t i = 0; i < n; i++) {
        if (i) ml_buf_addch(b, ',');
        ml_csv_add_field(b, v[i]);
    }
    ml_buf_addch(b, '\n');
}

static int put_line(gen *g, FILE *f, const char *const *v, size_t n)
{
    csv_line(&g->line, v, n);
    if (ml_buf_failed(&g->line)) return -1;
    return fwrite(g->line.data, 1, g->line.len, f) == g->line.len ? 0 : -1;
}

/* ------------------------------------------------------------- generation */

/* dateDernierTraitement: a moment of the second half of 2025. */
static void format_timestamp(char out[20], gen *g)
{
    int day = g->day_treat + (int)rng_below(&g->r, 180);
    int sec = (int)rng_below(&g->r, 86400);
    format_date(out, day);
    out[10] = 'T';
    put_digits(out + 11, sec / 3600, 2);
    out[13] = ':';
    put_digits(out + 14, sec / 60 % 60, 2);
    out[16] = ':';
    put_digits(out + 17, sec % 60, 2);
    out[19] = '\0';
}

typedef struct unit {
    char siren[10];
    bool restricted;
    int nic_next; /* next NIC sequence number */
    int created;
    size_t naf;  /* main activity (head office's) */
    size_t band; /* head office's size band */
    size_t home; /* head office commune */
    char name[200];
    char head_nic[6];
    int headcount;
    bool any_active, any_employer, any_band;
    int last_end; /* latest closing date */
} unit;

static void next_siren(gen *g, char out[10])
{
    for (;;) {
        uint64_t v = (g->perm_a * g->perm_i++ + g->perm_b) % 100000000ULL;
        put_digits(out, (int)v, 8);
        if (memcmp(out, "35600000", 8) == 0) continue; /* La Poste's SIREN has its own rule */
        for (int d = 0; d < 10; d++) {
            out[8] = (char)('0' + d);
            if (ml_siren_valid(out, 9)) break;
        }
        out[9] = '\0';
        return;
    }
}

/* NIC = 4-digit sequence + the digit that makes the SIRET pass Luhn. */
static void make_siret(const char *siren, int seq, char nic[6], char siret[15])
{
    memcpy(siret, siren, 9);
    put_digits(siret + 9, seq, 4);
    for (int d = 0; d < 10; d++) {
        siret[13] = (char)('0' + d);
        if (ml_siret_valid(siret, 14)) break;
    }
    siret[14] = '\0';
    memcpy(nic, siret + 9, 5);
    nic[5] = '\0';
}

static const char *unit_band(int headcount)
{
    size_t b = BAND_00;
    for (size_t i = BAND_00; i < ML_ARRAY_LEN(bands); i++)
        if (headcount >= band_floor[i]) b = i;
    return bands[b].code;
}

/* A name's first word for the trade (one draw, whichever the list). */
static const char *prefix(rng *r, bool industry, bool food)
{
    return food       ? PICK(r, prefixes_food)
           : industry ? PICK(r, prefixes_industry)
                      : PICK(r, prefixes_services);
}

static void company_name(gen *g, unit *u)
{
    rng *r = &g->r;
    const char *w = g->naf[u->naf].word, *s1 = PICK(r, surnames);
    /* Industry: divisions 05 to 39 (sections B to E). */
    const char *code = g->naf[u->naf].code;
    int div = code && code[0] >= '0' && code[0] <= '9' && code[1] >= '0' && code[1] <= '9'
                  ? (code[0] - '0') * 10 + (code[1] - '0')
                  : 0;
    bool industry = div >= 5 && div <= 39, food = div == 10 || div == 11;
    const char *place = g->com[u->home].place;
    char *o = u->name;
    size_t n = sizeof u->name;
    switch (rng_below(r, 6)) {
    case 0:
        ml_snprintf(o, n, "DÉMO %s %s %s", prefix(r, industry, food), s1, w);
        break;
    case 1:
        ml_snprintf(o, n, "DÉMO %s %s", w, s1);
        break;
    case 2:
        ml_snprintf(o, n, "DÉMO %s %s", w, place);
        break;
    case 3: {
        const char *p = prefix(r, industry, food);
        const char *s2 = PICK(r, surnames);
        ml_snprintf(o, n, "DÉMO %s %s-%s", p, s1, s2);
        break;
    }
    case 4:
        ml_snprintf(o, n, "DÉMO %s et Fils", s1);
        break;
    default: {
        char acronym[4];
        for (int i = 0; i < 3; i++)
            acronym[i] = (char)('A' + rng_below(r, 26));
        acronym[3] = '\0';
        ml_snprintf(o, n, "DÉMO %s %s", acronym, w);
    }
    }
}

enum bad_kind { BAD_NONE = -1, BAD_CHECKSUM, BAD_COMMUNE, BAD_NAF, BAD_FIELDS };

/* Writes one establishment of `u`; `head` for its first. */
static int write_etab(gen *g, unit *u, bool head, enum bad_kind bad)
{
    rng *r = &g->r;
    const char **v = g->ev;
    memset(v, 0, sizeof g->ev);
    char nic[6], siret[15], created[11], debut[11], treated[20], year[5] = "2023";
    char number[8], xs[32], ys[32], periods[4], sign[240];
    make_siret(u->siren, u->nic_next++, nic, siret);
    if (bad == BAD_CHECKSUM) {
        siret[13] = (char)('0' + (siret[13] - '0' + 1) % 10);
        nic[4] = siret[13];
    }
    if (head) memcpy(u->head_nic, nic, 6);

    /* What: mostly the unit's activity, else another of its division. */
    size_t ni = u->naf;
    if (!head && rng_chance(r, 0.15)) ni = draw_sibling(g, ni);
    const naf *f = &g->naf[ni];
    /* Where: the head office's commune for half the others, else by
     * population (farms and quarries: rural communes). */
    size_t ci = head || rng_chance(r, 0.5)
                    ? u->home
                    : pick_cumulative(r, f->land ? g->com_rural_cum : g->com_cum, g->ncom);
    const commune *c = &g->com[ci];

    /* When. */
    int cr = head ? u->created
                  : u->created + (int)rng_below(r, (uint64_t)(g->day_last - u->created + 1));
    bool closed = bad == BAD_NONE && rng_chance(r, CLOSED_SHARE);
    int start = cr, nper = 1;
    if (closed) {
        start = cr + 1 + (int)rng_below(r, (uint64_t)(g->day_last - cr + 1));
        nper = 2;
    } else if (rng_chance(r, 0.3)) {
        start = cr + (int)rng_below(r, (uint64_t)(g->day_last - cr + 1));
        nper = 2 + (int)rng_below(r, 2);
    }
    format_date(created, cr);
    format_date(debut, start);
    format_timestamp(treated, g);
    ml_snprintf(periods, sizeof periods, "%d", nper);

    /* Size: persons are small; closed establishments have no headcount. */
    size_t band = u->restricted ? (size_t)(rng_chance(r, 0.6)    ? BAND_NN
                                           : rng_chance(r, 0.75) ? BAND_00
                                                                 : BAND_01)
                  : head        ? u->band
                                : draw_band(g, ni);
    if (closed) band = BAND_NN;
    bool employer = band >= BAND_01;

    /* Position near the commune centre, Lambert-93 for mainland France. */
    bool has_xy = false;
    double dx = 0, dy = 0;
    if (!u->restricted && !c->overseas) {
        double s = c->sigma_km;
        dx = fmax(-2.5 * s, fmin(2.5 * s, rng_gauss(r) * s));
        dy = fmax(-2.5 * s, fmin(2.5 * s, rng_gauss(r) * s));
        double lat = c->lat + dy / 111.32, lon = c->lon + dx / (111.32 * cos(c->lat * M_PI / 180));
        PJ_COORD p = proj_trans(g->pj, PJ_FWD, proj_coord(lon, lat, 0, 0));
        if (isfinite(p.xy.x) && isfinite(p.xy.y) && p.xy.x != HUGE_VAL) {
            ml_snprintf(xs, sizeof xs, "%.1f", p.xy.x);
            ml_snprintf(ys, sizeof ys, "%.1f", p.xy.y);
            has_xy = true;
        }
    }

    /* Address. */
    const char *street_type = NULL, *street = NULL;
    {
        int total = 0;
        for (size_t i = 0; i < ML_ARRAY_LEN(street_types); i++)
            total += street_types[i].weight;
        int x = (int)rng_below(r, (uint64_t)total);
        for (size_t i = 0; i < ML_ARRAY_LEN(street_types); i++) {
            if (x < street_types[i].weight) {
                street_type = street_types[i].code;
                break;
            }
            x -= street_types[i].weight;
        }
        bool zone = street_type[0] == 'Z';
        street = zone ? PICK(r, zone_names) : PICK(r, street_names);
        ml_snprintf(number, sizeof number, "%d", 1 + (int)rng_below(r, zone ? 60 : 180));
        if (rng_chance(r, 0.1)) number[0] = '\0'; /* no number, as often in SIRENE */
    }
    bool has_sign = rng_chance(r, 0.2);
    if (has_sign) ml_snprintf(sign, sizeof sign, "DÉMO %s %s", f->word, PICK(r, sign_tails));

    v[EC_siren] = u->siren;
    v[EC_nic] = nic;
    v[EC_siret] = siret;
    v[EC_statutDiffusionEtablissement] = u->restricted ? "P" : "O";
    v[EC_dateCreationEtablissement] = created;
    v[EC_trancheEffectifsEtablissement] = bands[band].code;
    v[EC_anneeEffectifsEtablissement] = band != BAND_NN ? year : NULL;
    v[EC_dateDernierTraitementEtablissement] = treated;
    v[EC_etablissementSiege] = head ? "true" : "false";
    v[EC_nombrePeriodesEtablissement] = periods;
    if (u->restricted) {
        /* INSEE masks what identifies a person. */
        v[EC_numeroVoieEtablissement] = "[ND]";
        v[EC_typeVoieEtablissement] = "[ND]";
        v[EC_libelleVoieEtablissement] = "[ND]";
        v[EC_enseigne1Etablissement] = "[ND]";
        v[EC_denominationUsuelleEtablissement] = "[ND]";
    } else {
        v[EC_numeroVoieEtablissement] = number[0] ? number : NULL;
        v[EC_typeVoieEtablissement] = street_type;
        v[EC_libelleVoieEtablissement] = street;
        v[EC_enseigne1Etablissement] = has_sign ? sign : NULL;
    }
    v[EC_libelleCommuneEtablissement] = c->city;
    v[EC_codePostalEtablissement] = c->postcode[0] ? c->postcode : NULL;
    v[EC_codeCommuneEtablissement] = bad == BAD_COMMUNE ? "99999" : c->code;
    v[EC_coordonneeLambertAbscisseEtablissement] = has_xy && bad != BAD_COMMUNE ? xs : NULL;
    v[EC_coordonneeLambertOrdonneeEtablissement] = has_xy && bad != BAD_COMMUNE ? ys : NULL;
    v[EC_dateDebut] = debut;
    v[EC_etatAdministratifEtablissement] = closed ? "F" : "A";
    v[EC_activitePrincipaleEtablissement] = bad == BAD_NAF ? "99.99Y" : f->code;
    v[EC_nomenclatureActivitePrincipaleEtablissement] = "NAFRev2";
    v[EC_caractereEmployeurEtablissement] = employer ? "O" : "N";
    v[EC_maillageDonneeGeneree] = "true";
    if (put_line(g, g->fe, v, bad == BAD_FIELDS ? EC_COUNT - 3 : EC_COUNT)) return -1;

    g->rows++;
    if (bad != BAD_NONE) {
        g->bad++;
        return 0;
    }
    g->good_rows++;
    if (u->restricted) g->restricted++;
    if (closed) {
        g->closed++;
        if (start > u->last_end) u->last_end = start;
    } else {
        u->any_active = true;
        u->headcount += bands[band].headcount;
        if (band != BAND_NN) u->any_band = true;
        if (employer) u->any_employer = true;
    }
    return 0;
}

static const char *legal_form(gen *g, const unit *u)
{
    rng *r = &g->r;
    if (u->restricted) return "1000"; /* entrepreneur individuel */
    const naf *f = &g->naf[u->naf];
    if (strncmp(f->code, "68.", 3) == 0 && rng_chance(r, 0.5)) return "6540"; /* SCI */
    double x = rng_unit(r);
    if (u->headcount >= 250) return x < 0.4 ? "5599" : "5710";
    return x < 0.40 ? "5710" : x < 0.75 ? "5499" : x < 0.90 ? "5720" : x < 0.97 ? "5498" : "5599";
}

static int write_unit(gen *g, unit *u)
{
    const char **v = g->uv;
    memset(v, 0, sizeof g->uv);
    char created[11], debut[11], treated[20];
    format_date(created, u->created);
    format_date(debut, u->any_active ? u->created : u->last_end);
    format_timestamp(treated, g);
    const char *band = u->any_active && u->any_band ? unit_band(u->headcount) : "NN";
    const char *category = NULL;
    if (u->any_active && strcmp(band, "NN") != 0 && !u->restricted)
        category = u->headcount >= 5000 ? "GE" : u->headcount >= 250 ? "ETI" : "PME";

    v[UC_siren] = u->siren;
    v[UC_statutDiffusionUniteLegale] = u->restricted ? "P" : "O";
    v[UC_dateCreationUniteLegale] = created;
    if (u->restricted) {
        v[UC_sexeUniteLegale] = "[ND]";
        v[UC_prenom1UniteLegale] = "[ND]";
        v[UC_prenomUsuelUniteLegale] = "[ND]";
        v[UC_nomUniteLegale] = "[ND]";
    } else {
        v[UC_denominationUniteLegale] = u->name;
        v[UC_economieSocialeSolidaireUniteLegale] = "N";
    }
    v[UC_trancheEffectifsUniteLegale] = band;
    v[UC_anneeEffectifsUniteLegale] = strcmp(band, "NN") != 0 ? "2023" : NULL;
    v[UC_dateDernierTraitementUniteLegale] = treated;
    v[UC_nombrePeriodesUniteLegale] = u->any_active ? "1" : "2";
    v[UC_categorieEntreprise] = category;
    v[UC_anneeCategorieEntreprise] = category ? "2023" : NULL;
    v[UC_dateDebut] = debut;
    v[UC_etatAdministratifUniteLegale] = u->any_active ? "A" : "C";
    v[UC_categorieJuridiqueUniteLegale] = legal_form(g, u);
    v[UC_activitePrincipaleUniteLegale] = g->naf[u->naf].code;
    v[UC_nomenclatureActivitePrincipaleUniteLegale] = "NAFRev2";
    v[UC_nicSiegeUniteLegale] = u->head_nic;
    v[UC_caractereEmployeurUniteLegale] = u->any_employer ? "O" : "N";
    v[UC_maillageDonneeGeneree] = "true";
    g->units++;
    return put_line(g, g->fu, v, UC_COUNT);
}

/* Generates `total` establishment rows, `nbad` of them deliberately bad,
 * spread evenly through the file. */
static int generate(gen *g, uint64_t total, uint64_t nbad)
{
    rng *r = &g->r;
    uint64_t good_target = total - nbad, bad_done = 0;
    /* Persons (statut P) have one establishment; the others 1.3 on average. */
    double mean = 0, wsum = 0;
    for (size_t i = 0; i < ML_ARRAY_LEN(unit_sizes); i++) {
        mean += unit_sizes[i].weight * (unit_sizes[i].lo + unit_sizes[i].hi) / 2.0;
        wsum += unit_sizes[i].weight;
    }
    mean /= wsum;
    double p_person = RESTRICTED_SHARE * mean / (1 - RESTRICTED_SHARE + RESTRICTED_SHARE * mean);
    unit last_public = {0};
    bool have_public = false;
    while (g->good_rows < good_target) {
        unit u = {0};
        next_siren(g, u.siren);
        u.restricted = rng_chance(r, p_person);
        u.nic_next = 1 + (rng_chance(r, 0.3) ? (int)rng_below(r, 4) : 0);
        double a = rng_unit(r);
        const cell *ce = &g->cells[pick_cumulative(r, g->cell_cum, g->ncells)];
        u.naf = ce->naf;
        u.band = ce->band;
        /* Age grows with size: of the units created in the last five years
         * (a tenth of the 1975-2026 span) come about a third of those under
         * 10 employees, a tenth of those of 10 to 49, 1 % of those of 50 to
         * 249 and almost none of 250 or more. */
        double f = u.band < BAND_11   ? a * a
                   : u.band < BAND_21 ? a
                   : u.band < BAND_32 ? sqrt(a)
                                      : sqrt(sqrt(a));
        u.created = g->day_last - (int)(f * (g->day_last - g->day_first));
        u.home = pick_cumulative(r, g->naf[u.naf].land ? g->com_rural_cum : g->com_cum, g->ncom);
        int k = 1;
        if (!u.restricted) {
            int x = (int)rng_below(r, 1000);
            for (size_t i = 0; i < ML_ARRAY_LEN(unit_sizes); i++) {
                if (x < unit_sizes[i].weight) {
                    k = unit_sizes[i].lo +
                        (int)rng_below(r, (uint64_t)(unit_sizes[i].hi - unit_sizes[i].lo + 1));
                    break;
                }
                x -= unit_sizes[i].weight;
            }
            company_name(g, &u);
        }
        if ((uint64_t)k > good_target - g->good_rows) k = (int)(good_target - g->good_rows);
        for (int i = 0; i < k; i++)
            if (write_etab(g, &u, i == 0, BAD_NONE)) return -1;
        /* Bad rows go to companies (public units), evenly spaced. */
        while (!u.restricted && bad_done < nbad &&
               g->good_rows >= (bad_done + 1) * good_target / (nbad + 1)) {
            if (write_etab(g, &u, false, (enum bad_kind)(bad_done % BAD_KINDS))) return -1;
            bad_done++;
        }
        if (write_unit(g, &u)) return -1;
        if (!u.restricted) {
            last_public = u;
            have_public = true;
        }
    }
    while (bad_done < nbad && have_public) {
        if (write_etab(g, &last_public, false, (enum bad_kind)(bad_done % BAD_KINDS))) return -1;
        bad_done++;
    }
    return 0;
}

/* ---------------------------------------------------------------- files */

/* mkdir -p. */
static ml_err make_dirs(ml_ctx *ctx, const char *dir)
{
    char *p = ml_strdup(dir);
    if (!p) return ml_fail(ctx, ML_NOMEM, "out of memory");
    ml_err r = ML_OK;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0') continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            r = ml_fail(ctx, ML_IO, "%s: cannot create directory: %s", p, strerror(errno));
            break;
        }
        *s = c;
        if (!c) break;
    }
    struct stat st;
    if (!r && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        r = ml_fail(ctx, ML_IO, "%s: not a directory", dir);
    free(p);
    return r;
}

static char *join_path(const char *dir, const char *name, const char *suffix)
{
    size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
    char *s = malloc(n);
    if (s && ml_snprintf(s, n, "%s/%s%s", dir, name, suffix)) {
        free(s);
        return NULL;
    }
    return s;
}

static FILE *open_out(ml_ctx *ctx, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        ml_fail(ctx, ML_IO, "%s: cannot create: %s", path, strerror(errno));
        return NULL;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    return f;
}

static void gen_release(gen *g)
{
    for (size_t i = 0; i < g->ncom; i++) {
        free(g->com[i].city);
        free(g->com[i].place);
    }
    for (size_t i = 0; i < g->nnaf; i++)
        free(g->naf[i].word);
    free(g->com);
    free(g->com_cum);
    free(g->com_rural_cum);
    free(g->naf);
    free(g->cells);
    free(g->cell_cum);
    if (g->pj) proj_destroy(g->pj);
    if (g->pctx) proj_context_destroy(g->pctx);
    ml_buf_release(&g->line);
    json_decref(g->territory);
    json_decref(g->nafs);
    json_decref(g->sample);
}

ml_err ml_demo_generate(ml_db *db, const ml_demo_opts *opts, json_t **summary)
{
    if (summary) *summary = NULL;
    ml_ctx *ctx = db->ctx;
    if (!opts || !opts->outdir || !*opts->outdir)
        return ml_fail(ctx, ML_INVALID, "demo: no output directory given");
    if (!opts->territory || !*opts->territory)
        return ml_fail(ctx, ML_INVALID, "demo: no territory given");
    if (opts->size > DEMO_MAX_ROWS)
        return ml_fail(ctx, ML_LIMIT, "demo: at most %llu establishments",
                       (unsigned long long)DEMO_MAX_ROWS);

    gen g = {.db = db};
    ml_buf_init(&g.line, 1 << 16);
    char *est_path = NULL, *ul_path = NULL, *est_tmp = NULL, *ul_tmp = NULL;
    ml_err r = ml_territory_communes(db, opts->territory, &g.territory);
    if (r) {
        /* A territory that does not exist is a bad argument; keep the backend's words. */
        if (r == ML_NOTFOUND || r == ML_INVALID) {
            char msg[ML_MESSAGE_MAX];
            ml_snprintf(msg, sizeof msg, "%s", ctx->message);
            r = ml_fail(ctx, ML_INVALID, "demo: %s", msg);
        }
        goto out;
    }
    if ((r = load_reference(&g))) goto out;
    if ((r = load_communes(&g)) || (r = load_sectors(&g)) || (r = open_proj(&g))) goto out;

    json_t *pops = json_object_get(g.territory, "communes");
    double population = 0;
    size_t i;
    json_t *o;
    json_array_foreach(pops, i, o) population +=
        (double)json_integer_value(json_object_get(o, "population"));
    uint64_t total = opts->size;
    if (!total) {
        total = (uint64_t)llround(population / INHABITANTS_PER_ROW);
        if (total < 1) total = 1;
        if (total > DEMO_MAX_ROWS) total = DEMO_MAX_ROWS;
    }
    uint64_t nbad = 0;
    if (total >= 1000) {
        nbad = (uint64_t)llround((double)total * BAD_ROWS_PER_ROW);
        if (nbad < BAD_KINDS) nbad = BAD_KINDS;
    }

    rng_seed(&g.r, opts->seed);
    g.perm_a = 1 + 2 * rng_below(&g.r, 50000000ULL);
    while (g.perm_a % 5 == 0)
        g.perm_a += 2; /* coprime with 10^8: a permutation */
    g.perm_b = rng_below(&g.r, 100000000ULL);
    g.day_first = days_from_civil(1975, 1, 1);
    g.day_last = days_from_civil(2025, 6, 30);
    g.day_treat = days_from_civil(2025, 7, 1);

    if ((r = make_dirs(ctx, opts->outdir))) goto out;
    char suffix[32];
    ml_snprintf(suffix, sizeof suffix, ".tmp%ld", (long)getpid());
    est_path = join_path(opts->outdir, EST_FILE, "");
    ul_path = join_path(opts->outdir, UL_FILE, "");
    est_tmp = join_path(opts->outdir, EST_FILE, suffix);
    ul_tmp = join_path(opts->outdir, UL_FILE, suffix);
    if (!est_path || !ul_path || !est_tmp || !ul_tmp) {
        r = ml_fail(ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    if (!(g.fe = open_out(ctx, est_tmp)) || !(g.fu = open_out(ctx, ul_tmp))) {
        r = ML_IO;
        goto out;
    }
    if (put_line(&g, g.fe, etab_names, EC_COUNT) || put_line(&g, g.fu, unit_names, UC_COUNT) ||
        generate(&g, total, nbad)) {
        r = ml_fail(ctx, ML_IO, "%s: cannot write: %s", opts->outdir, strerror(errno));
        goto out;
    }
    FILE *fe = g.fe, *fu = g.fu;
    g.fe = g.fu = NULL;
    int ce = fclose(fe), cu = fclose(fu);
    if (ce || cu) {
        r = ml_fail(ctx, ML_IO, "%s: cannot write: %s", ce ? est_tmp : ul_tmp, strerror(errno));
        goto out;
    }
    if (rename(est_tmp, est_path) || rename(ul_tmp, ul_path)) {
        r = ml_fail(ctx, ML_IO, "%s: cannot rename into place: %s", opts->outdir, strerror(errno));
        goto out;
    }
    if (summary) {
        json_t *seed = opts->seed <= INT64_MAX ? json_integer((json_int_t)opts->seed) : NULL;
        if (!seed) {
            char s[24];
            ml_snprintf(s, sizeof s, "%llu", (unsigned long long)opts->seed);
            seed = json_string(s);
        }
        *summary = json_pack(
            "{s:O, s:I, s:I, s:I, s:I, s:I, s:o, s:{s:s, s:s}, s:b, s:s}", "territory",
            json_object_get(g.territory, "territory"), "establishments", (json_int_t)g.rows,
            "legal_units", (json_int_t)g.units, "restricted", (json_int_t)g.restricted, "closed",
            (json_int_t)g.closed, "bad_rows", (json_int_t)g.bad, "seed", seed, "files",
            "establishments", est_path, "legal_units", ul_path, "generated", 1, "note",
            "synthetic data generated by maillage demo — not real companies");
        if (!*summary) r = ml_fail(ctx, ML_NOMEM, "out of memory");
    }
out:
    if (g.fe) fclose(g.fe);
    if (g.fu) fclose(g.fu);
    if (r) {
        if (est_tmp) unlink(est_tmp);
        if (ul_tmp) unlink(ul_tmp);
    }
    free(est_path);
    free(ul_path);
    free(est_tmp);
    free(ul_tmp);
    gen_release(&g);
    return r;
}
