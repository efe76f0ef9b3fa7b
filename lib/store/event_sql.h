/* event_sql.h — the statements of lib/event's slot (ml_event_sql), the same
 * on every backend, as account_sql.h: plain SQL both engines run,
 * parameters written $1, $2... (the SQLite backend reads them as ?1...). */
#ifndef ML_EVENT_SQL_H
#define ML_EVENT_SQL_H

#include "store/store.h"

static const char *const ml_event_sql_text[ML_EV_SQL_COUNT] = {
    [ML_EV_BEGIN] = "BEGIN",
    [ML_EV_COMMIT] = "COMMIT",
    [ML_EV_ROLLBACK] = "ROLLBACK",
    [ML_EV_ADD] = "INSERT INTO event(org, name, day, start_min, slot_minutes, slots, tables,"
                  " two_sided, breaks, place, created, author)"
                  " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    [ML_EV_LIST] = "SELECT e.id, e.org, e.name, e.day, e.slots, e.tables, e.two_sided,"
                   " (SELECT count(*) FROM event_participant p WHERE p.event = e.id),"
                   " e.scheduled FROM event e ORDER BY e.day DESC, e.id DESC",
    [ML_EV_GET] = "SELECT id, org, name, day, start_min, slot_minutes, slots, tables, two_sided,"
                  " breaks, place, created, author, scheduled, weight, bound, optimal"
                  " FROM event WHERE id = $1",
    [ML_EV_BY_NAME] = "SELECT id, org FROM event WHERE name = $1 ORDER BY id",
    [ML_EV_SCHEDULED] = "UPDATE event SET scheduled = $2, weight = $3, bound = $4, optimal = $5"
                        " WHERE id = $1",
    [ML_EV_P_ADD] = "INSERT INTO event_participant(event, kind, siret, name, side, slots,"
                    " max_meetings, token) VALUES($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    [ML_EV_P_LIST] = "SELECT id, kind, siret, name, side, slots, max_meetings, cancelled"
                     " FROM event_participant WHERE event = $1 ORDER BY id",
    [ML_EV_P_BY_TOKEN] = "SELECT event, id FROM event_participant WHERE token = $1",
    [ML_EV_P_CANCEL] = "UPDATE event_participant SET cancelled = 1 WHERE event = $1 AND id = $2",
    [ML_EV_P_TOKEN] = "UPDATE event_participant SET token = $3 WHERE event = $1 AND id = $2",
    [ML_EV_R_ADD] = "INSERT INTO event_request(event, a, b, priority, asked_by, accepted, reason,"
                    " created) VALUES($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    [ML_EV_R_LIST] = "SELECT id, a, b, priority, asked_by, accepted, reason FROM event_request"
                     " WHERE event = $1 ORDER BY id",
    [ML_EV_R_ACCEPT] = "UPDATE event_request SET accepted = 1 WHERE event = $1 AND id = $2",
    [ML_EV_M_CLEAR] = "DELETE FROM event_meeting WHERE event = $1",
    [ML_EV_M_ADD] = "INSERT INTO event_meeting(event, request, slot, tab, locked)"
                    " VALUES($1, $2, $3, $4, $5)",
    [ML_EV_M_LIST] = "SELECT request, slot, tab, locked FROM event_meeting WHERE event = $1"
                     " ORDER BY slot, tab",
    [ML_EV_M_LOCK] = "UPDATE event_meeting SET locked = $3 WHERE event = $1 AND request = $2",
    [ML_EV_O_PUT] = "INSERT INTO event_outcome(event, request, met, result, amount, jobs, at,"
                    " author) VALUES($1, $2, $3, $4, $5, $6, $7, $8)"
                    " ON CONFLICT(event, request) DO UPDATE SET met = excluded.met,"
                    " result = excluded.result, amount = excluded.amount, jobs = excluded.jobs,"
                    " at = excluded.at, author = excluded.author",
    [ML_EV_NEED_ADD] = "INSERT INTO event_need(org, buyer, buyer_siret, title, text, cpv, naf,"
                       " budget, deadline, commune, created, author)"
                       " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    [ML_EV_NEED_GET] =
        "SELECT id, org, buyer, buyer_siret, title, text, cpv, naf, budget, deadline,"
        " commune, evidence, holder, amount, notified, months, created, author"
        " FROM event_need WHERE id = $1",
    [ML_EV_NEED_LIST] = "SELECT id, org, buyer, title, budget, deadline, holder FROM event_need"
                        " ORDER BY id DESC",
    [ML_EV_NEED_EVIDENCE] = "UPDATE event_need SET evidence = $2 WHERE id = $1",
    [ML_EV_NEED_AWARD] = "UPDATE event_need SET holder = $2, amount = $3, notified = $4,"
                         " months = $5 WHERE id = $1",
    /* agendas (issue 14) */
    [ML_EV_R_PRIORITY] = "UPDATE event_request SET priority = $3 WHERE event = $1 AND id = $2",
    [ML_EV_PUBLISH] = "UPDATE event SET published = $2 WHERE id = $1",
    [ML_EV_PUBLISHED] = "SELECT published FROM event WHERE id = $1",
    [ML_EV_C_ADD] = "INSERT INTO event_change(event, participant, kind, other, slot_before,"
                    " tab_before, slot_after, tab_after, at)"
                    " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    [ML_EV_C_LIST] = "SELECT id, participant, kind, other, slot_before, tab_before, slot_after,"
                     " tab_after, at, seen FROM event_change WHERE event = $1 ORDER BY id",
    [ML_EV_C_SEEN] = "UPDATE event_change SET seen = 1 WHERE event = $1 AND participant = $2",
    [ML_EV_O_LIST] = "SELECT request, met, result, amount, jobs, at, author FROM event_outcome"
                     " WHERE event = $1 ORDER BY request",
    /* CPV codes, needs in events, what outcomes teach (issue 14) */
    [ML_EV_CPV_GET] = "SELECT code8, code, label_fr, label_en FROM cpv WHERE code8 = $1",
    [ML_EV_CPV_SEARCH] = "SELECT code8, code, label_fr, label_en FROM cpv"
                         " WHERE words LIKE $1 AND words LIKE $2 AND words LIKE $3"
                         " AND words LIKE $4 AND code8 LIKE $5"
                         " ORDER BY CASE WHEN $5 = '%' THEN length(label_fr) ELSE 0 END, code8"
                         " LIMIT $6",
    [ML_EV_CPV_COUNT] = "SELECT count(*) FROM cpv",
    [ML_EV_NEED_BUYERS] = "SELECT id, org, buyer, buyer_siret FROM event_need ORDER BY id",
    [ML_EV_P_NAF] = "SELECT p.id, t.naf FROM event_participant p JOIN etab t ON t.siret = p.siret"
                    " WHERE p.event = $1",
    [ML_EV_LEARN] = "SELECT e.org, pa.side, pb.side, o.result, ta.naf, tb.naf"
                    " FROM event_outcome o JOIN event e ON e.id = o.event"
                    " JOIN event_request q ON q.id = o.request AND q.event = o.event"
                    " JOIN event_participant pa ON pa.id = q.a"
                    " JOIN event_participant pb ON pb.id = q.b"
                    " JOIN etab ta ON ta.siret = pa.siret JOIN etab tb ON tb.siret = pb.siret"
                    " WHERE o.met = 1 ORDER BY o.event, o.request",
    [ML_EV_NEED_CPV] = "UPDATE event_need SET cpv = $2 WHERE id = $1",
};

#endif
