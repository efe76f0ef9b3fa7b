/* programme.h — what the programme domain's files share (lib/programme,
 * issue 13): the rows as C structs, the statements' runner, who may read
 * or write a programme, days and months, and the ledger's arithmetic. The
 * public calls are in maillage.h. */
#ifndef ML_PROGRAMME_H
#define ML_PROGRAMME_H

#include "store/store.h"

#define PROG_NAME_MAX        200
#define PROG_TEXT_MAX        200
#define PROG_DESC_MAX        4000
#define PROG_EUROS_MAX       100000000000000LL /* 10^12 euros in cents: more is a typo */
#define PROG_ENVELOPES       32                /* envelopes of one programme */
#define PROG_MONTHS_MAX      600               /* deferral and spacing of instalments */
#define PROG_INSTALMENTS_MAX 240
/* A project before its decision not moved nor edited for this many days is stale. */
#define PROG_STALE_DAYS 30
/* An instalment unpaid this many months after its due day is defaulted. */
#define PROG_DEFAULT_MONTHS 3

typedef struct prog {
    int64_t id, org, created;
    char name[PROG_NAME_MAX + 1];
    char territory[48], territory_name[160];
    char start[11], end[11];
    char author[160];
    bool generated;
} prog;

typedef struct prog_env {
    int64_t id, amount, max_project;
    int max_small, max_medium, max_large;
    bool revolving;
    char instrument[32], funder[PROG_TEXT_MAX + 1];
} prog_env;

typedef struct prog_project {
    int64_t id, programme, siret, siren, cost, eligible, jobs_created, jobs_kept;
    int64_t req_subsidy, req_advance, created, updated;
    char type[32], stage[32];
    char title[PROG_TEXT_MAX + 1];
    char description[PROG_DESC_MAX + 1];
    char author[160];
} prog_project;

typedef enum prog_kind { K_COMMIT, K_PAY, K_REPAY, K_CANCEL, K_COUNT } prog_kind;

typedef struct prog_entry {
    int64_t id, programme, envelope, project, siren, amount, created;
    prog_kind kind;
    char day[11];
    char note[PROG_TEXT_MAX + 1];
    char author[160];
} prog_entry;

typedef struct prog_entries {
    prog_entry *v;
    size_t n, cap;
} prog_entries;

typedef struct prog_inst {
    int64_t project, envelope, amount;
    int seq;
    char due[11];
} prog_inst;

/* The runner of a statement (the backend's programme_sql). */
ml_err prog_sql(ml_db *db, ml_prog_sql id, const ml_sql_arg *args, size_t nargs, ml_text_row_fn fn,
                void *ud);
#define PI(v)    ((ml_sql_arg){.type = ML_ARG_INT, .i = (v)})
#define PT(v)    ((ml_sql_arg){.type = ML_ARG_TEXT, .s = (v)})
#define NARGS(a) (sizeof(a) / sizeof(a)[0])
/* A row callback keeping the first column as an int64_t *ud. */
int prog_first_id(void *ud, const char *const *cols, size_t n);
int64_t prog_col_int(const char *const *cols, size_t n, size_t i);
void prog_col_text(const char *const *cols, size_t n, size_t i, char *out, size_t size);

/* The kinds' names ("commit", "pay", "repay", "cancel"); -1 unknown. */
const char *prog_kind_name(prog_kind k);
int prog_kind_parse(const char *s);

/* A programme by id or name, as who may see it: ML_NOTFOUND for one that
 * does not exist or that who's organisation does not run (the same
 * message); with `write`, ML_INVALID unless who may write to it. *role is
 * who's role there ("officer", "funder", "committee", "reader"; "admin"
 * for the deployment's administrator). */
ml_err prog_open(ml_db *db, const ml_actor *who, const char *ref, bool write, prog *p,
                 char role[16]);
/* The same for a programme by id (a project's). */
ml_err prog_open_id(ml_db *db, const ml_actor *who, int64_t id, bool write, prog *p, char role[16]);
ml_err prog_envelopes(ml_db *db, int64_t programme, prog_env *out, size_t max, size_t *n);
ml_err prog_project_get(ml_db *db, int64_t id, prog_project *p);
/* An establishment of the register a programme may keep a record about
 * (`what`: "project", "interview", "campaign"): ML_INVALID, ML_NOTFOUND, or ML_PRIVATE
 * for restricted diffusion; its SIRET, name and A10 section ("" unknown). */
ml_err prog_firm(ml_db *db, const char *text, const char *what, int64_t *siret, char name[200],
                 char a10[8]);
/* Entries of a programme (envelope and project 0: all), by day then id. */
ml_err prog_entries_load(ml_db *db, int64_t programme, int64_t envelope, int64_t project,
                         prog_entries *out);
void prog_entries_free(prog_entries *e);

/* Days: a valid YYYY-MM-DD (or NULL: today) copied into out; ML_INVALID
 * naming `field` otherwise. */
ml_err prog_day(ml_db *db, const char *field, const char *v, char out[11]);
void prog_today(char out[11]);
/* `day` plus `months` months (may be negative), the day of the month kept
 * or, past the month's end, its last day (31 January + 1 = 28 or 29
 * February). */
void prog_add_months(const char *day, int months, char out[11]);

/* The ledger's arithmetic (ledger.c), pure functions of entries. */
/* The least value, over day `from` and every later day with an entry, of
 * base + sum of coef[kind] * amount of the entries dated on or before that
 * day (entries sorted by day). */
int64_t prog_headroom(const prog_entry *e, size_t n, const char *from, int64_t base,
                      const int coef[K_COUNT]);
/* Sums per kind of the entries dated on or before `at` (NULL: all). */
void prog_sums(const prog_entry *e, size_t n, const char *at, int64_t sums[K_COUNT]);
/* Splits `amount` cents into n instalments that sum to it exactly: each
 * amount / n, the first amount % n one cent more. */
void prog_split(int64_t amount, int n, int64_t *out);
/* The company size an aid intensity cap applies to: 0 small, 1 medium,
 * 2 large, from the legal unit's category (GE, ETI: large) and the size
 * band (under 50: small; under 250: medium). */
int prog_company_size(const char *category, const char *size_band);
const char *prog_size_name(int size);
/* An instalment of `amount` whose (project, envelope) got `paid` and
 * `repaid` in all, the instalments before it coming to `before`: what of
 * it is owed (the schedule follows what was paid out), what of that the
 * repayments cover (applied in order of due day), and its state on `at`:
 * "not_paid_out" (nothing of it owed), "paid", "due" (its day not
 * passed), "late", "defaulted" (PROG_DEFAULT_MONTHS after its day). */
int64_t prog_owed(int64_t amount, int64_t paid, int64_t before);
int64_t prog_covered(int64_t owed, int64_t repaid, int64_t before);
const char *prog_inst_state(const char *due, int64_t owed, int64_t covered, const char *at);

/* ---- aid schemes and committees (issue 13 parts 3 and 5) */

/* A firm as a committee's sheet and the schemes' eligibility read it from
 * the register: restricted is true for diffusion 'P' (then name, address and
 * commune stay empty: never shown); the company's category (PME, ETI, GE)
 * and headcount band (the legal unit's, else the establishment's). */
typedef struct prog_firm_view {
    bool found, restricted;
    int64_t siret, siren;
    char name[200], naf[8], naf_label[200], band[4], category[8];
    char commune[8], commune_name[120];
} prog_firm_view;
ml_err prog_firm_view_get(ml_db *db, int64_t siret, prog_firm_view *out);

/* One rule a decision is checked against, checked: its name ("eligible",
 * "envelope", "max_project", "intensity", "de_minimis"), the instrument
 * ("" for the project's rules), whether it passes, and what it found (the
 * sentence a refusal gives when it does not pass). */
typedef struct prog_check {
    char rule[16], instrument[32];
    bool pass;
    char detail[512];
} prog_check;
#define PROG_CHECKS_MAX 16
/* Every rule a decision granting `subsidy` and `advance` to project pj on
 * `day` is checked against, all of them (ml_project_decide stops at the
 * first that fails: both run the same checks, project.c). */
ml_err prog_decision_checks(ml_db *db, const prog_project *pj, int64_t subsidy, int64_t advance,
                            const char *day, prog_check *out, size_t max, size_t *n);
/* Shared with impact.c and pole.c (project.c): a PROJ row into a
 * prog_project (ud); a project and its programme as who may see (change)
 * it; whether a project is decided (decided to followed); the shown name
 * of an establishment ("" when restricted or unknown). */
int prog_project_row(void *ud, const char *const *c, size_t n);
ml_err prog_project_open(ml_db *db, const ml_actor *who, int64_t id, bool write, prog_project *pj,
                         prog *p);
bool prog_project_decided(const prog_project *pj);
void prog_firm_name(ml_db *db, int64_t siret, char name[200]);
/* Text a user gives (NULL or "" allowed unless required): at most max
 * bytes of UTF-8 without control characters but newline and tab. */
ml_err prog_text_ok(ml_db *db, const char *field, const char *v, size_t max, bool required);
/* Campaigns (campaign.c). Links interview `interview` to the planned
 * visit `visit` (a campaign firm's id) of programme p for establishment
 * `siret`: the visit is then done and its days consumed (ML_REFUSED past
 * the engineering budget). Runs inside the caller's transaction. */
ml_err prog_visit_link(ml_db *db, const prog *p, int64_t interview, int64_t visit, int64_t siret);
/* A campaign as who may read it: its programme, its name, and the ids
 * and SIRET of the firms on its list (removed ones left out), n of each,
 * both arrays the caller's to free. */
ml_err prog_campaign_members(ml_db *db, const ml_actor *who, int64_t campaign, prog *p,
                             int64_t **ids, int64_t **sirets, size_t *n, char name[201]);
/* The themes of the needs grid (interview.c): "skills" ... "export"; -1 unknown. */
int prog_theme_index(const char *s);

#endif
