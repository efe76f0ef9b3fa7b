/* schedule.h — the one-to-one meeting scheduler of business conventions
 * (issue 14): the event model, the solvers (exact for two-sided events whose
 * participants share their slots, a heuristic with an upper bound
 * otherwise) and an independent checker. Pure C, no storage. The faces use
 * the ml_schedule_* calls of maillage.h (io.c); tests and benchmarks may use
 * this header directly. Slots are 0-based here, 1-based in files. */
#ifndef ML_SCHEDULE_H
#define ML_SCHEDULE_H

#include "core/core.h"

#define ML_SCHED_MAX_SLOTS    64 /* a slot set is one uint64_t */
#define ML_SCHED_MAX_TABLES   100000
#define ML_SCHED_MAX_WEIGHT   1000000    /* weights are whole numbers 1..this */
#define ML_SCHED_NO_LIMIT     UINT32_MAX /* max_meetings left empty */
#define ML_SCHED_MAX_PEOPLE   200000
#define ML_SCHED_MAX_REQUESTS 2000000

enum { ML_SIDE_NONE = 0, ML_SIDE_A = 1, ML_SIDE_B = 2 };

typedef struct ml_sched_request {
    uint32_t a, b;  /* participants, a != b */
    int64_t weight; /* 1..ML_SCHED_MAX_WEIGHT */
} ml_sched_request;

typedef struct ml_sched_meeting {
    uint32_t req;   /* the request it answers */
    uint32_t slot;  /* 0..nslots-1 */
    uint32_t table; /* 0..ntables-1 */
} ml_sched_meeting;

/* An event: participants, requests, slots and tables. The arrays are owned
 * by the event (ml_sched_event_release frees them). */
typedef struct ml_sched_event {
    uint32_t nslots, ntables;
    bool two_sided;  /* every participant has a side A or B */
    size_t np;       /* participants */
    char **id;       /* np ids (may be NULL for events built in memory) */
    uint8_t *side;   /* ML_SIDE_* */
    uint64_t *avail; /* bit s: available in slot s */
    uint32_t *max;   /* meetings at most (ML_SCHED_NO_LIMIT) */
    size_t nr;       /* requests, each pair at most once */
    ml_sched_request *req;
    size_t nlocked; /* meetings that must be kept as they are */
    ml_sched_meeting *locked;
} ml_sched_event;

/* Allocates an event of np participants (available everywhere, no limit,
 * no side) and room for nr requests (nr set to 0); ML_NOMEM. */
ml_err ml_sched_event_init(ml_sched_event *ev, uint32_t nslots, uint32_t ntables, size_t np,
                           size_t nr);
void ml_sched_event_release(ml_sched_event *ev);
/* All the slots of the event as a set. */
static inline uint64_t ml_sched_all_slots(uint32_t nslots)
{
    return nslots >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << nslots) - 1);
}

/* What the solver found. */
typedef struct ml_sched_result {
    size_t n;                    /* meetings */
    ml_sched_meeting *m;         /* sorted by slot, then table; owned */
    int64_t weight;              /* total weight of the meetings */
    int64_t bound;               /* no schedule of this event weighs more */
    bool optimal;                /* weight == bound: proven optimal */
    bool exact;                  /* found by the exact two-sided algorithm */
    uint64_t gaps;               /* idle gaps, summed over participants (ml_sched_gaps) */
    size_t kept, moved, dropped; /* with `previous`: meetings kept in place, placed
                                    elsewhere, or no longer placed */
} ml_sched_result;

typedef struct ml_sched_params {
    uint64_t seed;                    /* ties in the heuristic's order; same seed, same schedule */
    uint64_t effort;                  /* steps of local search (0 = the default, 3,000,000: about
                                         0.4 s of CPU for 20,000 requests) */
    const ml_sched_meeting *previous; /* a previous schedule to keep where it still fits */
    size_t nprevious;
    bool no_exact;    /* (tests, benchmark) always use the heuristic */
    bool greedy_only; /* (benchmark) first-fit greedy in request order: no search, no
                         bound (INT64_MAX) */
} ml_sched_params;

/* Schedules the event: the exact algorithm when it applies (two-sided, every
 * participant with a request available in the same slots, nothing locked or
 * kept), the heuristic otherwise; then fewer idle gaps without losing
 * weight. Locked meetings are kept (they must be valid: ml_sched_check with
 * no meetings tells). ML_NOMEM. */
ml_err ml_sched_solve(ml_ctx *ctx, const ml_sched_event *ev, const ml_sched_params *p,
                      ml_sched_result *out);
void ml_sched_result_release(ml_sched_result *r);

/* Upper bound of the total weight of any schedule: a maximum-weight
 * b-matching that ignores which slot each meeting takes (bound.c); its
 * chosen requests are flagged in `chosen` (nr bytes, may be NULL). */
ml_err ml_sched_bound(const ml_sched_event *ev, int64_t *bound, uint8_t *chosen);

/* Maximum-weight b-matching of a bipartite graph by min-cost flow (flow.c):
 * left vertices 0..nl-1 with capacities capl, right 0..nr-1 with capr, edges
 * (u[i], v[i], w[i] > 0) of capacity 1, and at most `total` edges in all.
 * Sets used[i] (0/1) and returns the weight through *weight. ML_NOMEM. */
ml_err ml_sched_bmatching(size_t nl, const uint32_t *capl, size_t nright, const uint32_t *capr,
                          size_t ne, const uint32_t *u, const uint32_t *v, const int64_t *w,
                          uint64_t total, uint8_t *used, int64_t *weight);

/* Idle gaps of one participant: the slots between their first and last
 * meeting where they are available and have no meeting. */
uint32_t ml_sched_gaps(uint64_t busy, uint64_t avail);

/* ------------------------------------------------------------------ checker
 * check.c: separate from the solver and as plain as possible. */
typedef enum ml_sched_violation {
    ML_SCHED_VALID = 0,
    ML_SCHED_BAD_SLOT,       /* a slot outside 1..N */
    ML_SCHED_BAD_TABLE,      /* a table outside 1..T */
    ML_SCHED_BAD_REQUEST,    /* a meeting that answers no request */
    ML_SCHED_REQUEST_TWICE,  /* one request met twice */
    ML_SCHED_TWO_PLACES,     /* a participant in two meetings of one slot */
    ML_SCHED_TABLE_TWICE,    /* two meetings at one table in one slot */
    ML_SCHED_TOO_MANY,       /* more than T meetings in one slot */
    ML_SCHED_UNAVAILABLE,    /* a meeting in a slot one side is not available */
    ML_SCHED_OVER_MAX,       /* more meetings than a participant's max_meetings */
    ML_SCHED_LOCKED_MISSING, /* a locked meeting not kept at its slot and table */
    ML_SCHED_SAME_SIDE,      /* a request between two participants of one side */
    ML_SCHED_SELF,           /* a request of someone with themself */
    ML_SCHED_WEIGHT,         /* the weight announced is not the meetings' */
} ml_sched_violation;

/* Verifies every constraint of `n` meetings against the event, and that
 * they weigh `weight` (pass -1 to skip that). Returns the first violation
 * found and describes it in `why` (may be NULL) with participants' ids. */
ml_sched_violation ml_sched_check(const ml_sched_event *ev, const ml_sched_meeting *m, size_t n,
                                  int64_t weight, char *why, size_t whysize);

#endif
