/* explain.c — the words of suggestions, network pairs and bridges: why one
 * NAF class sells to another, with its share, what that share is a share of,
 * and the source, in French and in English. */
#include <math.h>

#include "match/match.h"

#define NBSP "\xc2\xa0" /* non-breaking space, before % and : in French */

/* A label as it reads inside a sentence: first letter in lower case (unless
 * the word is an acronym). */
static void add_label(ml_buf *b, const char *label)
{
    if (!label || !*label) {
        ml_buf_addstr(b, "?");
        return;
    }
    char c = label[0];
    if (c >= 'A' && c <= 'Z' && !(label[1] >= 'A' && label[1] <= 'Z')) c = (char)(c + 32);
    ml_buf_addch(b, c);
    ml_buf_addstr(b, label + 1);
}

void ml_say_percent(ml_buf *b, double share, bool fr)
{
    char tmp[32];
    double pct = share * 100;
    ml_snprintf(tmp, sizeof tmp, pct >= 9.95 ? "%.0f" : pct >= 0.095 ? "%.1f" : "%.2f", pct);
    if (fr)
        for (char *p = tmp; *p; p++)
            if (*p == '.') *p = ',';
    ml_buf_addstr(b, tmp);
    ml_buf_addstr(b, fr ? NBSP "%" : "%");
}

void ml_say_distance(ml_buf *b, double km, bool fr)
{
    if (km < 1)
        ml_buf_addstr(b, fr ? "à moins d'un kilomètre" : "less than 1 km away");
    else
        ml_buf_addf(b, fr ? "à %.0f" NBSP "km" : "%.0f km away", km);
}

static const char *label_of(const ml_snapshot *s, int k, bool fr)
{
    return fr ? s->sec[k].label_fr : s->sec[k].label_en;
}

/* « fabrication de pain et de pâtisserie fraîche » (NAF 10.71) */
static void add_class(ml_buf *b, const ml_snapshot *s, int k, bool fr)
{
    ml_buf_addstr(b, fr ? "«" NBSP : "“");
    add_label(b, label_of(s, k, fr));
    ml_buf_addf(b, fr ? NBSP "» (NAF %s)" : "” (NAF %s)", s->sec[k].code);
}

bool ml_link_is_resale(const ml_snapshot *s, int supplier, int buyer)
{
    size_t k = ml_pair(s, supplier, buyer);
    return s->resale_share[k] > 0 && s->weight[k] > s->ic_share[k] * 0.5f;
}

void ml_say_source(const ml_snapshot *s, ml_buf *b, bool fr)
{
    ml_buf_addf(
        b,
        fr ? "Insee, consommations intermédiaires %d (produits français ou importés) au niveau"
             " A38, réparties par classe NAF d'après les tableaux détaillés 2017 du BEA américain"
           : "INSEE intermediate uses %d (French-made or imported products) at A38 level, split"
             " by NAF class after the US BEA 2017 detailed tables",
        s->io_year);
}

void ml_say_link(const ml_snapshot *s, int supplier, int buyer, bool from_supplier, ml_buf *b,
                 bool fr)
{
    size_t k = ml_pair(s, supplier, buyer);
    if (ml_link_is_resale(s, supplier, buyer)) {
        const ml_sector_info *bi = &s->sec[buyer];
        bool wholesaler = strncmp(s->sec[supplier].code, "46.", 3) == 0;
        if (fr) {
            ml_buf_addstr(b, from_supplier ? "son activité, " : "l'activité ");
            add_class(b, s, buyer, true);
            ml_buf_addf(b, "%s revend des produits (%s) : ", from_supplier ? "," : "",
                        bi->goods_fr ? bi->goods_fr : "marchandises");
            ml_buf_addstr(b, from_supplier ? "votre activité, " : "l'activité ");
            add_class(b, s, supplier, true);
            ml_buf_addf(b, "%s en %s ; elle pèse ", from_supplier ? "," : "",
                        wholesaler ? "vend en gros" : "fabrique");
            ml_say_percent(b, s->resale_share[k], true);
            ml_buf_addstr(b, " de ses achats de marchandises, selon la taille des activités"
                             " (marchandises revendues, hors consommations intermédiaires)");
        } else {
            ml_buf_addstr(b, from_supplier ? "its class, " : "the ");
            add_class(b, s, buyer, false);
            ml_buf_addf(b, "%s resells goods (%s): ", from_supplier ? "," : " class",
                        bi->goods_en ? bi->goods_en : "merchandise");
            ml_buf_addstr(b, from_supplier ? "your class, " : "the ");
            add_class(b, s, supplier, false);
            ml_buf_addf(b, "%s %s them; it stands for ", from_supplier ? "," : " class",
                        wholesaler ? "wholesales" : "makes");
            ml_say_percent(b, s->resale_share[k], false);
            ml_buf_addstr(b, " of its purchases of goods, by the size of the classes"
                             " (goods for resale, outside intermediate consumption)");
        }
        return;
    }
    if (fr) {
        ml_buf_addstr(b, from_supplier ? "son activité, " : "l'activité ");
        add_class(b, s, buyer, true);
        ml_buf_addf(b, "%s achète ", from_supplier ? "," : "");
        ml_say_percent(b, s->ic_share[k], true);
        ml_buf_addstr(b, " de ses consommations intermédiaires (produits français ou importés) ");
        if (supplier == buyer) {
            ml_buf_addstr(b, from_supplier ? "à des entreprises de la même activité que vous"
                                           : "à des entreprises de la même activité");
        } else {
            ml_buf_addstr(b, from_supplier ? "à votre activité, " : "à l'activité ");
            add_class(b, s, supplier, true);
        }
    } else {
        ml_buf_addstr(b, from_supplier ? "its class, " : "the ");
        add_class(b, s, buyer, false);
        ml_buf_addf(b, "%s buys ", from_supplier ? "," : " class");
        ml_say_percent(b, s->ic_share[k], false);
        ml_buf_addstr(b, " of its intermediate consumption (French-made or imported products) ");
        if (supplier == buyer) {
            ml_buf_addstr(b, "from firms of the same class");
        } else {
            ml_buf_addstr(b, from_supplier ? "from your class, " : "from the ");
            add_class(b, s, supplier, false);
            if (!from_supplier) ml_buf_addstr(b, " class");
        }
    }
}

void ml_say_general(const ml_snapshot *s, int k, ml_buf *b, bool fr)
{
    const char *g = fr ? s->sec[k].general_fr : s->sec[k].general_en;
    if (!g) return;
    ml_buf_addstr(b, fr ? "intrant que toute entreprise achète (" : "an input every firm buys (");
    ml_buf_addstr(b, g);
    ml_buf_addch(b, ')');
}
