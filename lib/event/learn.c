/* learn.c — what past meetings teach the suggestions (issue 14): per kind
 * of pair (the supplier's NAF division, the customer's), how many meetings
 * held led to a quote or a contract, smoothed towards the rate of all
 * meetings (a Beta prior worth LEARN_PRIOR meetings), and the bounded factor
 * that multiplies a suggestion's score. Only the outcomes of events the
 * caller may read count. docs/methods.md gives the formula. */
#include <math.h>

#include "event/event.h"

#define LEARN_PRIOR      6.0 /* the prior weighs as much as this many meetings */
#define LEARN_FACTOR_MIN 0.5
#define LEARN_FACTOR_MAX 1.5

static int division(const char *naf)
{
    if (!naf || naf[0] < '0' || naf[0] > '9' || naf[1] < '0' || naf[1] > '9') return -1;
    return (naf[0] - '0') * 10 + (naf[1] - '0');
}

typedef struct learn_rows {
    const ml_actor *who;
    ev_learn *L;
} learn_rows;

static int learn_row(void *ud, const char *const *c, size_t n)
{
    learn_rows *lr = ud;
    if (n < 6 || !c[0] || !c[3]) return 0;
    int64_t org = 0;
    ml_parse_i64(c[0], strlen(c[0]), INT64_MIN, INT64_MAX, &org);
    if (!ev_reads_org(lr->who, org)) return 0;
    /* the supplier: side B in a two-sided event, else b (as outcomes say) */
    bool a_sells = c[1] && strcmp(c[1], "B") == 0;
    int sup = division(a_sells ? c[4] : c[5]), cus = division(a_sells ? c[5] : c[4]);
    if (sup < 0 || cus < 0) return 0;
    bool success = strcmp(c[3], "quote") == 0 || strcmp(c[3], "contract") == 0;
    lr->L->held[sup][cus]++, lr->L->success[sup][cus] += success;
    lr->L->all_held++, lr->L->all_success += success;
    return 0;
}

ml_err ev_learn_load(ml_db *db, const ml_actor *who, ev_learn **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    learn_rows lr = {.who = who, .L = *out};
    ml_err r = db->be->event_sql(db, ML_EV_LEARN, NULL, 0, learn_row, &lr, NULL);
    if (r) free(*out), *out = NULL;
    return r;
}

double ev_learn_prior(const ev_learn *L)
{
    return (L->all_success + 1.0) / (L->all_held + 2.0);
}

static void decimal_comma(char *s)
{
    for (; *s; s++)
        if (*s == '.') *s = ',';
}

json_t *ev_learn_pair(const ev_learn *L, const char *supplier_naf, const char *customer_naf,
                      double *factor)
{
    *factor = 1.0;
    int sup = division(supplier_naf), cus = division(customer_naf);
    if (!L || sup < 0 || cus < 0) return json_null();
    unsigned n = L->held[sup][cus], s = L->success[sup][cus];
    double prior = ev_learn_prior(L);
    double rate = (s + LEARN_PRIOR * prior) / (n + LEARN_PRIOR);
    double f = rate / prior;
    if (f < LEARN_FACTOR_MIN) f = LEARN_FACTOR_MIN;
    if (f > LEARN_FACTOR_MAX) f = LEARN_FACTOR_MAX;
    f = round(f * 1000) / 1000;
    *factor = f;
    char fr[300] = "", en[300] = "", x[16];
    if (n) {
        ml_snprintf(x, sizeof x, "%.2f", f);
        decimal_comma(x);
        ml_snprintf(fr, sizeof fr,
                    "rencontres passées entre ces secteurs (fournisseur division %02d, client "
                    "division %02d) : %u sur %u %s abouti à un devis ou un contrat ; score × %s",
                    sup, cus, s, n, s > 1 ? "ont" : "a", x);
        ml_snprintf(en, sizeof en,
                    "past meetings between these sectors (supplier division %02d, customer "
                    "division %02d): %u of %u led to a quote or a contract; score × %.2f",
                    sup, cus, s, n, f);
    }
    char sd[3], cd[3];
    ml_snprintf(sd, sizeof sd, "%02d", sup);
    ml_snprintf(cd, sizeof cd, "%02d", cus);
    return json_pack("{s:s, s:s, s:i, s:i, s:f, s:f, s:f, s:s?, s:s?}", "supplier_division", sd,
                     "customer_division", cd, "meetings", (int)n, "successes", (int)s, "rate",
                     round(rate * 10000) / 10000, "prior", round(prior * 10000) / 10000, "factor",
                     f, "reason_fr", n ? fr : NULL, "reason_en", n ? en : NULL);
}

ml_err ml_event_learning(ml_db *db, const ml_actor *who, json_t **out)
{
    *out = NULL;
    ev_learn *L = NULL;
    ml_err r = ev_learn_load(db, who, &L);
    if (r) return r;
    json_t *kinds = json_array();
    for (int s = 0; kinds && s < 100; s++)
        for (int c = 0; c < 100; c++) {
            if (!L->held[s][c]) continue;
            char sd[3], cd[3];
            double f;
            ml_snprintf(sd, sizeof sd, "%02d", s);
            ml_snprintf(cd, sizeof cd, "%02d", c);
            json_t *k = ev_learn_pair(L, sd, cd, &f);
            if (!k || json_array_append_new(kinds, k)) {
                json_decref(kinds);
                kinds = NULL;
                break;
            }
        }
    if (kinds)
        *out = json_pack("{s:i, s:i, s:f, s:f, s:f, s:f, s:o}", "meetings", (int)L->all_held,
                         "successes", (int)L->all_success, "prior",
                         round(ev_learn_prior(L) * 10000) / 10000, "prior_weight", LEARN_PRIOR,
                         "factor_min", LEARN_FACTOR_MIN, "factor_max", LEARN_FACTOR_MAX, "kinds",
                         kinds);
    free(L);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}
