/* event.h — the private pieces of business conventions (issue 14): an event
 * loaded whole from the store (it is small: hundreds of participants,
 * thousands of requests), the rules of who may read and change it, slot
 * lists and slot times. event.c holds the calls of maillage.h, ics.c the
 * iCalendar writer. */
#ifndef ML_EVENT_H
#define ML_EVENT_H

#include "core/core.h"
#include "store/store.h"

#define EV_NAME_MAX   200
#define EV_MAX_SLOTS  64
#define EV_MAX_TABLES 100000
#define EV_MAX_PEOPLE 5000
#define EV_MAX_MEET   1000 /* max_meetings */

typedef struct ev_event {
    int64_t id, org;
    char *name, *place, *author, *breaks;
    char day[11];
    int start_min, slot_minutes, slots, tables;
    bool two_sided;
    int64_t scheduled; /* 0: never */
    int64_t published; /* 0: not published; else when (changes are recorded after it) */
    int64_t weight, bound;
    int optimal;               /* -1: not scheduled */
    int brk[EV_MAX_SLOTS + 1]; /* minutes of break after slot k (1-based) */
} ev_event;

typedef struct ev_part {
    int64_t id, siret; /* siret 0: a guest */
    char kind[8];      /* firm, buyer, guest */
    char *name, *slots_text;
    char side; /* 'A', 'B' or 0 */
    uint64_t avail;
    int64_t max; /* -1: no limit */
    bool cancelled;
} ev_part;

typedef struct ev_req {
    int64_t id, a, b, asked_by; /* participants' ids; asked_by 0: the organiser */
    bool must, accepted;
    bool avoid; /* do-not-meet: never scheduled */
    char *reason;
} ev_req;

typedef struct ev_meet {
    int64_t req;
    int slot, table; /* 1-based */
    bool locked;
} ev_meet;

typedef struct ev_outcome {
    int64_t req, amount, jobs, at; /* amount, jobs: -1 when not said */
    bool met;
    char result[12];
    char *author;
} ev_outcome;

typedef struct ev_all {
    ev_event e;
    ev_part *p;
    size_t np;
    ev_req *r;
    size_t nr;
    ev_meet *m;
    size_t nm;
    ev_outcome *o;
    size_t no;
} ev_all;

/* The rules shared by events and needs (event.c): may `who` read records
 * of organisation `org`; change them (ML_INVALID, said why); a one-line
 * text of at most max bytes; a date YYYY-MM-DD that exists. */
bool ev_reads_org(const ml_actor *who, int64_t org);
ml_err ev_may_write(ml_db *db, const ml_actor *who, int64_t org);
ml_err ev_check_text(ml_db *db, const char *field, const char *v, size_t max, bool required);
ml_err ev_check_date(ml_db *db, const char *field, const char *v);

/* Loads event `id` whole; ML_NOTFOUND. ev_release frees it. */
ml_err ev_load(ml_db *db, int64_t id, ev_all *ev);
void ev_release(ev_all *ev);

/* The local start and end of slot s (1-based) in minutes after midnight. */
void ev_slot_time(const ev_event *e, int s, int *start, int *end);
/* Local minutes of the event's day as UTC "YYYYMMDDTHHMMSSZ" (Paris time:
 * UTC+2 from the last Sunday of March to the last Sunday of October). */
void ev_utc_stamp(const char *day, int minutes, char out[17]);

/* The needs (need.c) of a public buyer who takes part in an event, that
 * `who` may read: those whose buyer's SIRET is the participant's, or whose
 * buyer's name is the participant's name; each with the firms suggested for
 * it (at most cap): [{"id", "title", "firms": [{"siret", "name", "commune",
 * "activity", "by", "reason_fr", "reason_en"}]}]. */
ml_err ev_buyer_needs(ml_db *db, const ml_actor *who, const ev_part *p, size_t cap, json_t **out);

/* What past meetings teach (learn.c): meetings held between two
 * establishments, by the supplier's and the customer's NAF division, and
 * how many led to a quote or a contract; only events `who` may read. */
typedef struct ev_learn {
    unsigned held[100][100], success[100][100];
    unsigned all_held, all_success;
} ev_learn;
ml_err ev_learn_load(ml_db *db, const ml_actor *who, ev_learn **out); /* free() it */
/* The prior: (successes + 1) / (meetings + 2) over every kind. */
double ev_learn_prior(const ev_learn *L);
/* The kind of pair of a supplier and a customer (NAF codes): {"supplier_division",
 * "customer_division", "meetings", "successes", "rate", "prior", "factor",
 * "reason_fr", "reason_en" (null without meetings)}, or null when a code is
 * unknown; *factor (1 then) multiplies the suggestion's score. */
json_t *ev_learn_pair(const ev_learn *L, const char *supplier_naf, const char *customer_naf,
                      double *factor);

/* A CPV 2008 code (cpv.c): without and with its check digit, its labels
 * (the longest French label of the CPV 2008 is 228 bytes). */
typedef struct ev_cpv {
    char code8[9], code[11], label_fr[320], label_en[320];
} ev_cpv;
/* Checks a code typed by a person ("45112500" or "45112500-9"): its shape,
 * that the CPV 2008 has it, its check digit; ML_INVALID said why. */
ml_err ev_cpv_check(ml_db *db, const char *code, ev_cpv *out);
/* The code8's row; ML_NOTFOUND (no message) when the list has none. */
ml_err ev_cpv_find(ml_db *db, const char *code8, ev_cpv *out);
/* {"code8", "code", "label_fr", "label_en", "level"}. */
json_t *ev_cpv_json(const ev_cpv *c);
/* The code one level up (45213000 -> 45210000 -> 45200000 -> 45000000);
 * false at a division. */
bool ev_cpv_parent(char code8[9]);

#endif
