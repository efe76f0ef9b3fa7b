/* history.h — what the history domain's files share (lib/history): who may
 * do what, the firm a record is about, checked text, the JSON of each kind
 * of record, settings. The public calls are in maillage.h. */
#ifndef ML_HISTORY_H
#define ML_HISTORY_H

#include "store/store.h"

/* The firm a record is about: an establishment (siret, and its siren) or a
 * company (siret 0). */
typedef struct hist_firm {
    int64_t siret, siren;
    char text[ML_SIRET_SIZE]; /* as given: 14 or 9 digits */
} hist_firm;

/* Reads `firm` (a SIRET, or a SIREN when `company` allows it) and checks it
 * is in the database and may be shown: ML_INVALID, ML_NOTFOUND, or
 * ML_PRIVATE with a message saying maillage keeps nothing about it. */
ml_err hist_firm_get(ml_db *db, const char *firm, bool company, hist_firm *f);

/* The role checks: ML_OK, or ML_INVALID naming the role needed. */
ml_err hist_may_read(ml_db *db, const ml_actor *who);
ml_err hist_may_write(ml_db *db, const ml_actor *who);
ml_err hist_may_admin(ml_db *db, const ml_actor *who);

/* A text field: UTF-8, at most max bytes, no control character (but line
 * breaks and tabs when multiline); required: present and not empty. */
ml_err hist_text(ml_db *db, const char *field, const char *v, size_t max, bool multiline,
                 bool required);
/* A date YYYY-MM-DD that exists (years 1900..2200). */
ml_err hist_date(ml_db *db, const char *field, const char *v);
/* Today (UTC) as YYYY-MM-DD; and the day `months` months before it. */
void hist_today(char out[11]);
void hist_months_ago(int months, char out[11]);

/* The JSON of each record (NULL when out of memory). */
json_t *hist_contact_json(const ml_contact_row *c);
json_t *hist_interaction_json(const ml_interaction_row *i);
json_t *hist_followup_json(const ml_followup_row *f, const char *today);
json_t *hist_document_json(const ml_document_row *d);
/* "00000000000000" of a SIRET, JSON null for 0. */
json_t *hist_siret_json(int64_t siret);

/* Settings (meta keys), with their defaults. */
#define HIST_RETENTION_MONTHS 36
#define HIST_DOCUMENT_MAX     (10 * 1000 * 1000)
#define HIST_DOCUMENT_HARD    (32 * 1000 * 1000) /* the most a setting may allow */
ml_err hist_setting_int(ml_db *db, const char *key, int64_t fallback, int64_t *out);
/* The folder documents are kept in: the setting, else the database file's
 * path + ".documents"; ML_INVALID when neither (an in-memory or PostgreSQL
 * database without the setting). */
ml_err hist_documents_folder(ml_db *db, char *out, size_t size);

#endif
