/* firm.h — establishments and companies above the storage: which may be
 * shown (diffusion status P never is, docs/privacy.md), under which name,
 * and their records as the CLI, the API and the exports give them. The
 * backend returns typed rows (store.h: ml_etab_view); the rules are here. */
#ifndef ML_FIRM_H
#define ML_FIRM_H

#include "store/store.h"

/* The name an establishment is shown under: its sign (enseigne), else its
 * usual name, else its company's name when the company is public; NULL if
 * none. */
const char *ml_etab_display_name(const ml_etab_view *v);
/* Whether an establishment may be shown (listed, mapped, suggested). */
bool ml_etab_listable(const ml_etab_view *v);
/* Whether a SIRET is in the database and may be shown. */
ml_err ml_etab_exists_listable(ml_db *db, int64_t siret, bool *yes);
/* An establishment as a short record (search results, suggestions, reports);
 * *out is NULL when the SIRET is unknown or may not be shown. */
ml_err ml_etab_brief(ml_db *db, int64_t siret, json_t **out);

#endif
