/* address.c — a SIRENE street line as French writes it: "99 RUE DE LA
 * LIBERATION" -> "99 rue de la Liberation". SIRENE writes upper case without
 * accents, with abbreviated street types; accents cannot be restored. */
#include "core/core.h"

/* INSEE's street types (typeVoie) and what they stand for. */
static const struct {
    const char *code, *word;
} street_types[] = {
    {"ALL", "allée"},     {"AV", "avenue"},       {"BD", "boulevard"},  {"CAR", "carrefour"},
    {"CHE", "chemin"},    {"CHS", "chaussée"},    {"CITE", "cité"},     {"COR", "corniche"},
    {"CRS", "cours"},     {"DOM", "domaine"},     {"DSC", "descente"},  {"ECA", "écart"},
    {"ESP", "esplanade"}, {"FG", "faubourg"},     {"GR", "grande rue"}, {"HAM", "hameau"},
    {"HLE", "halle"},     {"IMP", "impasse"},     {"LD", "lieu-dit"},   {"LOT", "lotissement"},
    {"MAR", "marché"},    {"MTE", "montée"},      {"PARC", "parc"},     {"PAS", "passage"},
    {"PL", "place"},      {"PLN", "plaine"},      {"PLT", "plateau"},   {"PRO", "promenade"},
    {"PRV", "parvis"},    {"QUA", "quartier"},    {"QUAI", "quai"},     {"RES", "résidence"},
    {"RLE", "ruelle"},    {"ROC", "rocade"},      {"RPT", "rond-point"}, {"RTE", "route"},
    {"RUE", "rue"},       {"SEN", "sentier"},     {"SQ", "square"},     {"TPL", "terre-plein"},
    {"TRA", "traverse"},  {"VLA", "villa"},       {"VLGE", "village"},  {"VOIE", "voie"},
    {"ZA", "zone d'activités"}, {"ZAC", "zone d'aménagement concerté"},
    {"ZI", "zone industrielle"}, {"ZONE", "zone"},
};

/* Words written in lower case inside a name. */
static const char *const small_words[] = {"a",  "au", "aux", "d",   "de",  "des", "du", "en",
                                          "et", "l",  "la",  "le",  "les", "sur", "sous", "bis",
                                          "ter", "quater"};

static bool eq_nocase(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n) return false;
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (x != y) return false;
    }
    return true;
}

/* One part of a word (between - and '): capitalised, or small. */
static void add_part(ml_buf *b, const char *p, size_t n, bool first_of_name)
{
    bool small = false;
    for (size_t i = 0; i < ML_ARRAY_LEN(small_words) && !first_of_name; i++)
        small |= eq_nocase(p, n, small_words[i]);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        bool upper = i == 0 && !small;
        if (!upper && c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        if (upper && c >= 'a' && c <= 'z') c = (unsigned char)(c - 32);
        ml_buf_addch(b, (char)c);
    }
}

void ml_address_normal_case(ml_buf *b, const char *street)
{
    const char *p = street ? street : "";
    bool first_word = true, type_done = false;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p) break;
        size_t n = strcspn(p, " ");
        if (!first_word) ml_buf_addch(b, ' ');
        /* A number (with its letter: 12B) stays as it is. */
        if (p[0] >= '0' && p[0] <= '9') {
            ml_buf_add(b, p, n);
        } else {
            const char *word = NULL;
            for (size_t i = 0; i < ML_ARRAY_LEN(street_types) && !type_done && !word; i++)
                if (eq_nocase(p, n, street_types[i].code)) word = street_types[i].word;
            if (word) {
                ml_buf_addstr(b, word);
                type_done = true;
            } else {
                /* Parts split on - and ', each cased on its own. */
                const char *q = p, *end = p + n;
                bool first_part = true;
                while (q < end) {
                    size_t k = strcspn(q, "-'");
                    if (q + k > end) k = (size_t)(end - q);
                    add_part(b, q, k, first_part && !type_done && first_word);
                    q += k;
                    if (q < end) ml_buf_addch(b, *q++);
                    first_part = false;
                }
                type_done = true;
            }
        }
        first_word = false;
        p += n;
    }
}
