/* text.c — French folding and stemming of names and labels for search. */
#include <libstemmer.h>

#include "search/text.h"

#define WORD_MAX 64

struct ml_text {
    struct sb_stemmer *stemmer;
};

/* Articles, prepositions and conjunctions that carry no meaning in a company
 * name or an activity label (already folded: no accents). */
static const char *const stop_words[] = {
    "a",  "au",  "aux", "d",   "de",   "des", "du", "en",  "et", "l",   "la",
    "le", "les", "ou",  "par", "pour", "qu",  "s",  "sur", "un", "une",
};

ml_text *ml_text_new(void)
{
    ml_text *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->stemmer = sb_stemmer_new("french", "UTF_8");
    if (!t->stemmer) {
        free(t);
        return NULL;
    }
    return t;
}

void ml_text_free(ml_text *t)
{
    if (!t) return;
    sb_stemmer_delete(t->stemmer);
    free(t);
}

/* Decodes one UTF-8 code point; returns its length, or 0 for an invalid byte. */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
    unsigned c = s[0];
    size_t n;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0)
        n = 2, c &= 0x1F;
    else if ((c & 0xF0) == 0xE0)
        n = 3, c &= 0x0F;
    else if ((c & 0xF8) == 0xF0)
        n = 4, c &= 0x07;
    else
        return 0;
    if (len < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    *cp = c;
    return n;
}

static size_t utf8_encode(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Letters and digits make words; Latin-1 and Latin Extended-A letters count
 * as letters, as does any code point past U+024F outside the punctuation block. */
static bool is_word_char(unsigned cp)
{
    if (cp < 0x80) return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    if (cp < 0xC0) return false;
    if (cp == 0xD7 || cp == 0xF7) return false;
    if (cp >= 0x2000 && cp <= 0x2BFF) return false; /* punctuation, symbols, arrows */
    if (cp >= 0x3000 && cp <= 0x303F) return false;
    return true;
}

static unsigned to_lower(unsigned cp)
{
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
    if (cp == 0x152) return 0x153;
    if (cp == 0x178) return 0xFF;
    return cp;
}

/* ASCII replacement of a lower-case accented letter, or NULL to keep it. */
static const char *unaccent(unsigned cp)
{
    static const char *const latin1[] = {
        /* e0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
        "e",          "e", "e", "e", "i", "i", "i",  "i",
        /* f0 */ "d", "n", "o", "o", "o", "o", "o",  NULL,
        "o",          "u", "u", "u", "u", "y", "th", "y",
    };
    if (cp >= 0xE0 && cp <= 0xFF) return latin1[cp - 0xE0];
    if (cp == 0xDF) return "ss";
    if (cp == 0x153) return "oe";
    return NULL;
}

static bool is_stop_word(const char *w, size_t n)
{
    for (size_t i = 0; i < ML_ARRAY_LEN(stop_words); i++)
        if (strlen(stop_words[i]) == n && memcmp(stop_words[i], w, n) == 0) return true;
    return false;
}

/* Removes accents from a lower-case UTF-8 word into `out` (size WORD_MAX*2). */
static size_t fold_accents(const char *w, size_t n, char *out, size_t outsz)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t k = utf8_decode((const unsigned char *)w + i, n - i, &cp);
        if (k == 0) break;
        const char *rep = unaccent(cp);
        size_t rl = rep ? strlen(rep) : k;
        if (o + rl >= outsz) break;
        memcpy(out + o, rep ? rep : w + i, rl);
        o += rl;
        i += k;
    }
    out[o] = '\0';
    return o;
}

static bool ends_with(const char *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(w + n - k, suffix, k) == 0;
}

/* Words the trade rule leaves alone: their -ier/-ière is no trade, or the
 * shorter stem would meet an unrelated word (chantier/chant, chaudière/chaud,
 * plombier/plomb the metal). */
static const char *const trade_rule_exceptions[] = {
    "carriere",  "carrieres",  "chantier",  "chantiers",  "chaudiere", "chaudieres",
    "frontiere", "frontieres", "lumiere",   "lumieres",   "metier",    "metiers",
    "papier",    "papiers",    "plomberie", "plomberies", "plombier",  "plombiers",
};

/* The shorter stem keeps at least this many letters: fonderie/fonds,
 * meunerie/Meunier, tôlerie/TOL would meet otherwise (the vocabulary joins
 * such pairs instead). */
#define TRADE_STEM_MIN 5

/* The trade rule, after Snowball: a trade, its shop and its people share one
 * stem. Snowball leaves "boulangerie" as "boulanger" and "boulanger" as
 * "boulang", "serrurerie" as "serrurer" and "serrurier" as "serruri"; the
 * rule drops a final "er" from the stem of a word ending in -erie, -er,
 * -ère (plurals too) and a final "i" from the stem of a word ending in -ier,
 * -ière, when TRADE_STEM_MIN letters remain: boulang, serrur, chaudronn. */
static size_t trade_rule(const char *word, size_t wl, const char *stem, size_t sl)
{
    for (size_t i = 0; i < ML_ARRAY_LEN(trade_rule_exceptions); i++)
        if (strlen(trade_rule_exceptions[i]) == wl &&
            memcmp(trade_rule_exceptions[i], word, wl) == 0)
            return sl;
    static const char *const ier[] = {"ier", "iers", "iere", "ieres"};
    static const char *const er[] = {"erie", "eries", "er", "ers", "ere", "eres"};
    for (size_t i = 0; i < ML_ARRAY_LEN(ier); i++)
        if (ends_with(word, wl, ier[i]))
            return ends_with(stem, sl, "i") && sl - 1 >= TRADE_STEM_MIN ? sl - 1 : sl;
    for (size_t i = 0; i < ML_ARRAY_LEN(er); i++)
        if (ends_with(word, wl, er[i]))
            return ends_with(stem, sl, "er") && sl - 2 >= TRADE_STEM_MIN ? sl - 2 : sl;
    return sl;
}

static int emit_word(ml_text *t, ml_buf *out, const char *w, size_t n, bool alpha, unsigned flags)
{
    char folded[WORD_MAX * 2 + 1];
    size_t fl = fold_accents(w, n, folded, sizeof folded);
    if (fl == 0) return 0;
    if (!(flags & ML_FOLD_KEEP_STOP) && is_stop_word(folded, fl)) return 0;
    const char *word = folded;
    size_t wl = fl;
    char stemmed[WORD_MAX * 2 + 1];
    if ((flags & ML_FOLD_STEM) && alpha && n > 3) {
        /* Snowball French expects accented lower-case input. */
        const sb_symbol *s = sb_stemmer_stem(t->stemmer, (const sb_symbol *)w, (int)n);
        int sl = sb_stemmer_length(t->stemmer);
        if (s && sl > 0) {
            size_t stl = fold_accents((const char *)s, (size_t)sl, stemmed, sizeof stemmed);
            if (stl > 0) word = stemmed, wl = trade_rule(folded, fl, stemmed, stl);
        }
    }
    if (out->len > 0 && ml_buf_addch(out, ' ') != 0) return -1;
    if (ml_buf_add(out, word, wl) != 0) return -1;
    return 1;
}

int ml_text_fold(ml_text *t, ml_buf *out, const char *in, size_t len, unsigned flags)
{
    const unsigned char *s = (const unsigned char *)in;
    char word[WORD_MAX * 4];
    size_t wl = 0;
    bool alpha = true, overlong = false;
    int words = 0;
    for (size_t i = 0; i <= len;) {
        unsigned cp = ' ';
        size_t k = 1;
        if (i < len) {
            k = utf8_decode(s + i, len - i, &cp);
            if (k == 0) cp = ' ', k = 1;
        }
        if (i < len && is_word_char(cp)) {
            char enc[4];
            size_t el = utf8_encode(to_lower(cp), enc);
            if (wl + el < sizeof word) {
                memcpy(word + wl, enc, el);
                wl += el;
            } else {
                overlong = true;
            }
            if (cp >= '0' && cp <= '9') alpha = false;
        } else if (wl > 0) {
            int r = emit_word(t, out, word, wl, alpha && !overlong, flags);
            if (r < 0) return -1;
            words += r;
            wl = 0;
            alpha = true;
            overlong = false;
        }
        i += k;
    }
    return words;
}

/* Position of the first exclusion marker in s, or NULL. */
static const char *exclusion_marker(const char *s)
{
    static const char *const markers[] = {"à l'exception", "à l’exception", "a l'exception",
                                          "à l'exclusion", "à l’exclusion", "sauf ",
                                          "non compris"};
    const char *best = NULL;
    for (size_t i = 0; i < ML_ARRAY_LEN(markers); i++) {
        const char *p = strstr(s, markers[i]);
        if (p && (!best || p < best)) best = p;
    }
    return best;
}

size_t ml_text_strip_exclusions(const char *label, char *out, size_t size)
{
    size_t o = 0;
    if (!size) return 0;
    const char *s = label ? label : "";
    while (*s) {
        const char *m = exclusion_marker(s);
        const char *keep_end = m ? m : s + strlen(s), *resume = keep_end;
        if (m) {
            /* Inside parentheses: drop from the open one to its close. */
            int depth = 0;
            const char *open = NULL;
            for (const char *p = s; p < m; p++) {
                if (*p == '(') depth++, open = p;
                if (*p == ')' && depth > 0) depth--;
            }
            if (depth > 0 && open) {
                keep_end = open;
                const char *close = strchr(m, ')');
                resume = close ? close + 1 : m + strlen(m);
            } else {
                while (keep_end > s &&
                       (keep_end[-1] == ' ' || keep_end[-1] == ',' || keep_end[-1] == ';'))
                    keep_end--;
                const char *semi = strchr(m, ';');
                resume = semi ? semi : m + strlen(m);
            }
        }
        size_t n = (size_t)(keep_end - s);
        if (o + n >= size) n = size - 1 - o;
        memcpy(out + o, s, n);
        o += n;
        s = resume;
        if (!m) break;
    }
    out[o] = '\0';
    return o;
}
