/* programme_sql.h — the statements of lib/programme's slot (ml_prog_sql),
 * the same on every backend: plain SQL both engines run, parameters written
 * $1, $2... (the SQLite backend reads them as ?1, ?2...). No rule lives
 * here: what an entry does to a position, who may read, which stage follows
 * which, are lib/programme's. */
#ifndef ML_PROGRAMME_SQL_H
#define ML_PROGRAMME_SQL_H

#include "store/store.h"

#define PROG_COLUMNS                                                                               \
    "id, org, name, territory, territory_name, start_day, end_day, author, created, generated"
#define PROJ_COLUMNS                                                                               \
    "id, programme, siret, siren, type, title, description, cost, eligible, jobs_created,"         \
    " jobs_kept, req_subsidy, req_advance, stage, author, created, updated"
#define SCHEME_COLUMNS                                                                             \
    "id, title, promise, description, eligibility, aid_types, bearers, parents, url, targets,"     \
    " geo, geo_excl, opens, closes, updated_day, headcount_min, headcount_max, sizes, naf,"        \
    " naf_excl, sectors, project_types, stages, imported, author"
#define COMMITTEE_COLUMNS "id, programme, day, place, author, created"
#define CAMP_COLUMNS "id, programme, name, start_day, end_day, author, created, generated"
#define CFIRM_COLUMNS                                                                              \
    "id, campaign, siret, siren, source, score, reasons, note, status, visit_day, visit_time,"    \
    " consultant, tenths, author, created, updated"
#define ACTION_COLUMNS                                                                             \
    "id, programme, campaign, title, owner, due, state, project, need, author, created, updated"
#define ENTRY_COLUMNS                                                                              \
    "id, programme, envelope, project, siren, kind, day, amount, note, author, created"

static const char *const ml_programme_sql[ML_PROG_SQL_COUNT] = {
    [ML_PROG_ADD] = "INSERT INTO programme(name, org, territory, territory_name, start_day,"
                    " end_day, author, created, generated) VALUES($1, $2, $3, $4, $5, $6, $7, $8,"
                    " $9) RETURNING id",
    [ML_PROG_BY_ID] = "SELECT " PROG_COLUMNS " FROM programme WHERE id = $1",
    [ML_PROG_BY_NAME] = "SELECT " PROG_COLUMNS " FROM programme WHERE name = $1",
    [ML_PROG_LIST] = "SELECT " PROG_COLUMNS " FROM programme ORDER BY name",
    [ML_PROG_ORG_PUT] = "INSERT INTO prog_org(programme, org, role) VALUES($1, $2, $3)"
                        " ON CONFLICT(programme, org) DO UPDATE SET role = excluded.role",
    [ML_PROG_ORGS] = "SELECT p.org, o.name, p.role FROM prog_org p LEFT JOIN org o ON o.id = p.org"
                     " WHERE p.programme = $1 ORDER BY p.org",
    [ML_PROG_ORG_ROLE] = "SELECT role FROM prog_org WHERE programme = $1 AND org = $2",
    [ML_PROG_ENV_ADD] = "INSERT INTO prog_envelope(programme, instrument, funder, amount,"
                        " max_project, max_small, max_medium, max_large, revolving)"
                        " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    [ML_PROG_ENVS] = "SELECT id, instrument, funder, amount, max_project, max_small, max_medium,"
                     " max_large, revolving FROM prog_envelope WHERE programme = $1 ORDER BY id",
    [ML_PROG_PROJ_ADD] = "INSERT INTO prog_project(programme, siret, siren, type, title,"
                         " description, cost, eligible, jobs_created, jobs_kept, req_subsidy,"
                         " req_advance, stage, author, created, updated) VALUES($1, $2, $3, $4,"
                         " $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
    [ML_PROG_PROJ_BY_ID] = "SELECT " PROJ_COLUMNS " FROM prog_project WHERE id = $1",
    [ML_PROG_PROJ_LIST] = "SELECT " PROJ_COLUMNS " FROM prog_project WHERE programme = $1"
                          " ORDER BY id",
    [ML_PROG_PROJ_STAGE] = "UPDATE prog_project SET stage = $2, updated = $3 WHERE id = $1",
    [ML_PROG_PROJ_EDIT] = "UPDATE prog_project SET type = $2, title = $3, description = $4,"
                          " cost = $5, eligible = $6, jobs_created = $7, jobs_kept = $8,"
                          " req_subsidy = $9, req_advance = $10, updated = $11 WHERE id = $1",
    [ML_PROG_ENTRY_ADD] = "INSERT INTO prog_entry(programme, envelope, project, siren, kind, day,"
                          " amount, note, author, created) VALUES($1, $2, $3, $4, $5, $6, $7, $8,"
                          " $9, $10) RETURNING id",
    [ML_PROG_ENTRIES] = "SELECT " ENTRY_COLUMNS " FROM prog_entry WHERE programme = $1"
                        " AND ($2 = 0 OR envelope = $2) AND ($3 = 0 OR project = $3)"
                        " ORDER BY day, id",
    [ML_PROG_SIREN_ENTRIES] = "SELECT " ENTRY_COLUMNS " FROM prog_entry WHERE siren = $1"
                              " ORDER BY day, id",
    [ML_PROG_AID_ADD] = "INSERT INTO prog_aid(siren, day, amount, source, author, created)"
                        " VALUES($1, $2, $3, $4, $5, $6) RETURNING id",
    [ML_PROG_AIDS] = "SELECT id, siren, day, amount, source, author FROM prog_aid"
                     " WHERE siren = $1 ORDER BY day, id",
    [ML_PROG_INST_ADD] = "INSERT INTO prog_instalment(project, envelope, seq, due, amount)"
                         " VALUES($1, $2, $3, $4, $5)",
    [ML_PROG_INSTS] = "SELECT i.project, i.envelope, i.seq, i.due, i.amount FROM prog_instalment i"
                      " JOIN prog_project p ON p.id = i.project WHERE p.programme = $1"
                      " AND ($2 = 0 OR i.project = $2) ORDER BY i.project, i.envelope, i.seq",
    [ML_PROG_INTERVIEW_ADD] = "INSERT INTO prog_interview(programme, siret, siren, day, scores,"
                              " flags, notes, author, created) VALUES($1, $2, $3, $4, $5, $6, $7,"
                              " $8, $9) RETURNING id",
    [ML_PROG_INTERVIEWS] = "SELECT id, siret, siren, day, scores, flags, notes, author, visit"
                           " FROM prog_interview WHERE programme = $1 ORDER BY day, id",
    [ML_PROG_LOCK] = "UPDATE programme SET generated = generated",
    [ML_PROG_INST_DROP] = "DELETE FROM prog_instalment WHERE project = $1 AND envelope = $2",
    /* aid schemes, routes and committees (issue 13 parts 3 and 5) */
    [ML_PROG_SCHEME_PUT] =
        "INSERT INTO prog_scheme(" SCHEME_COLUMNS ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9,"
        " $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)"
        " ON CONFLICT(id) DO UPDATE SET title = excluded.title, promise = excluded.promise,"
        " description = excluded.description, eligibility = excluded.eligibility,"
        " aid_types = excluded.aid_types, bearers = excluded.bearers, parents = excluded.parents,"
        " url = excluded.url, targets = excluded.targets, geo = excluded.geo,"
        " geo_excl = excluded.geo_excl, opens = excluded.opens, closes = excluded.closes,"
        " updated_day = excluded.updated_day, headcount_min = excluded.headcount_min,"
        " headcount_max = excluded.headcount_max, sizes = excluded.sizes, naf = excluded.naf,"
        " naf_excl = excluded.naf_excl, sectors = excluded.sectors,"
        " project_types = excluded.project_types, stages = excluded.stages,"
        " imported = excluded.imported, author = excluded.author",
    [ML_PROG_SCHEMES] = "SELECT " SCHEME_COLUMNS " FROM prog_scheme ORDER BY title, id",
    [ML_PROG_SCHEME_BY_ID] = "SELECT " SCHEME_COLUMNS " FROM prog_scheme WHERE id = $1",
    [ML_PROG_ROUTE_ADD] = "INSERT INTO prog_route(project, scheme, day, note, author, created)"
                          " VALUES($1, $2, $3, $4, $5, $6) RETURNING id",
    [ML_PROG_ROUTES] = "SELECT r.id, r.scheme, s.title, r.day, r.note, r.author, s.url"
                       " FROM prog_route r LEFT JOIN prog_scheme s ON s.id = r.scheme"
                       " WHERE r.project = $1 ORDER BY r.day, r.id",
    [ML_PROG_COM_ADD] = "INSERT INTO prog_committee(programme, day, place, author, created)"
                        " VALUES($1, $2, $3, $4, $5) RETURNING id",
    [ML_PROG_COM_BY_ID] = "SELECT " COMMITTEE_COLUMNS " FROM prog_committee WHERE id = $1",
    [ML_PROG_COMS] = "SELECT " COMMITTEE_COLUMNS " FROM prog_committee WHERE programme = $1"
                     " ORDER BY day, id",
    [ML_PROG_COM_MEMBER_ADD] = "INSERT INTO prog_committee_member(committee, seq, name,"
                               " organisation, role) VALUES($1, $2, $3, $4, $5)",
    [ML_PROG_COM_MEMBERS] = "SELECT seq, name, organisation, role FROM prog_committee_member"
                            " WHERE committee = $1 ORDER BY seq",
    [ML_PROG_COM_ITEM_PUT] = "INSERT INTO prog_committee_item(committee, project, seq)"
                             " VALUES($1, $2, $3) ON CONFLICT(committee, project)"
                             " DO UPDATE SET seq = excluded.seq",
    [ML_PROG_COM_ITEMS] = "SELECT project, seq, decision, reason FROM prog_committee_item"
                          " WHERE committee = $1 ORDER BY seq, project",
    [ML_PROG_COM_ITEM_DECIDE] = "UPDATE prog_committee_item SET decision = $3, reason = $4"
                                " WHERE committee = $1 AND project = $2",
    [ML_PROG_COM_VOTE_PUT] = "INSERT INTO prog_committee_vote(committee, project, member, vote)"
                             " VALUES($1, $2, $3, $4) ON CONFLICT(committee, project, member)"
                             " DO UPDATE SET vote = excluded.vote",
    [ML_PROG_COM_VOTES] = "SELECT project, member, vote FROM prog_committee_vote"
                          " WHERE committee = $1 ORDER BY project, member",
    /* impact follow-up and poles (issue 13 parts 6, 7, 11) */
    [ML_PROG_MILESTONE_PUT] = "INSERT INTO prog_milestone(programme, months) VALUES($1, $2)",
    [ML_PROG_MILESTONE_DROP] = "DELETE FROM prog_milestone WHERE programme = $1",
    [ML_PROG_MILESTONES] = "SELECT months FROM prog_milestone WHERE programme = $1 ORDER BY months",
    [ML_PROG_FOLLOWUP_PUT] = "INSERT INTO prog_followup(project, months, day, jobs_created,"
                             " jobs_kept, invested, note, author, created) VALUES($1, $2, $3, $4,"
                             " $5, $6, $7, $8, $9) ON CONFLICT(project, months) DO UPDATE SET"
                             " day = excluded.day, jobs_created = excluded.jobs_created,"
                             " jobs_kept = excluded.jobs_kept, invested = excluded.invested,"
                             " note = excluded.note, author = excluded.author,"
                             " created = excluded.created",
    [ML_PROG_FOLLOWUPS] = "SELECT f.project, f.months, f.day, f.jobs_created, f.jobs_kept,"
                          " f.invested, f.note, f.author FROM prog_followup f JOIN prog_project p"
                          " ON p.id = f.project WHERE p.programme = $1 AND ($2 = 0 OR f.project"
                          " = $2) ORDER BY f.project, f.months",
    [ML_PROG_FIRSTS] = "SELECT project, min(day) FROM prog_entry WHERE programme = $1"
                       " AND kind = 'commit' GROUP BY project ORDER BY project",
    [ML_PROG_PARTNER_ADD] = "INSERT INTO prog_partner(project, siret, name, kind, role, author,"
                            " created) VALUES($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    [ML_PROG_PARTNER_DROP] = "DELETE FROM prog_partner WHERE project = $1 AND id = $2",
    [ML_PROG_PARTNERS] = "SELECT id, siret, name, kind, role, author FROM prog_partner"
                         " WHERE project = $1 ORDER BY id",
    [ML_PROG_TRL_ADD] = "INSERT INTO prog_trl(project, day, level, note, author, created)"
                        " VALUES($1, $2, $3, $4, $5, $6) RETURNING id",
    [ML_PROG_TRLS] = "SELECT id, day, level, note, author FROM prog_trl WHERE project = $1"
                     " ORDER BY day, id",
    [ML_PROG_NEED_ADD] = "INSERT INTO prog_need(project, text, naf, author, created)"
                         " VALUES($1, $2, $3, $4, $5) RETURNING id",
    [ML_PROG_NEED_DROP] = "DELETE FROM prog_need WHERE project = $1 AND id = $2",
    [ML_PROG_NEEDS] = "SELECT id, text, naf, author FROM prog_need WHERE project = $1 ORDER BY id",
    [ML_PROG_DAY_SUMS] = "SELECT envelope, kind, sum(amount) FROM prog_entry_day"
                         " WHERE programme = $1 AND day <= $2 GROUP BY envelope, kind",
    [ML_PROG_DAY_MISMATCH] =
        "SELECT count(*) FROM (SELECT envelope, day, kind FROM (SELECT envelope, day, kind,"
        " sum(amount) AS s FROM prog_entry WHERE programme = $1 GROUP BY envelope, day, kind"
        " EXCEPT SELECT envelope, day, kind, amount FROM prog_entry_day WHERE programme = $1"
        " AND entries > 0) a UNION SELECT envelope, day, kind FROM (SELECT envelope, day, kind,"
        " amount FROM prog_entry_day WHERE programme = $1 AND entries > 0 EXCEPT SELECT"
        " envelope, day, kind, sum(amount) FROM prog_entry WHERE programme = $1 GROUP BY"
        " envelope, day, kind) b) x",
    /* campaigns (migration 17) */
    [ML_PROG_ENG_SET] = "UPDATE programme SET eng_tenths = $2 WHERE id = $1",
    [ML_PROG_ENG_GET] = "SELECT eng_tenths FROM programme WHERE id = $1",
    [ML_PROG_VISIT_DAYS] = "SELECT f.status, sum(f.tenths) FROM prog_campaign_firm f"
                           " JOIN prog_campaign c ON c.id = f.campaign WHERE c.programme = $1"
                           " AND f.id <> $2 GROUP BY f.status",
    [ML_PROG_WORKSHOP_DAYS] = "SELECT coalesce(sum(w.tenths), 0) FROM prog_workshop w"
                              " JOIN prog_campaign c ON c.id = w.campaign WHERE c.programme = $1",
    [ML_PROG_CAMP_ADD] = "INSERT INTO prog_campaign(programme, name, start_day, end_day, author,"
                         " created, generated) VALUES($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    [ML_PROG_CAMP_BY_ID] = "SELECT " CAMP_COLUMNS " FROM prog_campaign WHERE id = $1",
    [ML_PROG_CAMPS] = "SELECT " CAMP_COLUMNS " FROM prog_campaign WHERE programme = $1 ORDER BY id",
    [ML_PROG_CFIRM_ADD] = "INSERT INTO prog_campaign_firm(campaign, siret, siren, source, score,"
                          " reasons, note, status, author, created, updated) VALUES($1, $2, $3,"
                          " $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    [ML_PROG_CFIRM_GET] = "SELECT " CFIRM_COLUMNS " FROM prog_campaign_firm WHERE campaign = $1"
                          " AND siret = $2",
    [ML_PROG_CFIRM_BY_ID] = "SELECT " CFIRM_COLUMNS " FROM prog_campaign_firm WHERE id = $1",
    [ML_PROG_CFIRMS] = "SELECT " CFIRM_COLUMNS " FROM prog_campaign_firm WHERE campaign = $1"
                       " ORDER BY CASE WHEN visit_day IS NULL THEN 1 ELSE 0 END, visit_day,"
                       " visit_time, score DESC, id",
    [ML_PROG_CFIRM_READD] = "UPDATE prog_campaign_firm SET source = $2, score = $3, reasons = $4,"
                            " note = $5, status = 'to_contact', updated = $6 WHERE id = $1",
    [ML_PROG_CFIRM_STATUS] = "UPDATE prog_campaign_firm SET status = $2, note = coalesce($3, note),"
                             " tenths = $4, updated = $5 WHERE id = $1",
    [ML_PROG_CFIRM_VISIT] = "UPDATE prog_campaign_firm SET visit_day = $2, visit_time = $3,"
                            " consultant = $4, tenths = $5, status = 'planned', updated = $6"
                            " WHERE id = $1",
    [ML_PROG_WORKSHOP_ADD] = "INSERT INTO prog_workshop(campaign, title, day, tenths, author,"
                             " created) VALUES($1, $2, $3, $4, $5, $6) RETURNING id",
    [ML_PROG_WORKSHOPS] = "SELECT id, title, day, tenths, author FROM prog_workshop"
                          " WHERE campaign = $1 ORDER BY day, id",
    [ML_PROG_INTERVIEW_VISIT] = "UPDATE prog_interview SET visit = $2 WHERE id = $1",
    [ML_PROG_INTERVIEW_BY_ID] = "SELECT programme, siret, day FROM prog_interview WHERE id = $1",
    [ML_PROG_PROJ_INTERVIEW] = "UPDATE prog_project SET interview = $2 WHERE id = $1",
    [ML_PROG_PROJ_LINKED] = "SELECT id, interview, type, title, cost, siret, req_subsidy,"
                            " req_advance FROM prog_project"
                            " WHERE programme = $1 AND interview IS NOT NULL ORDER BY id",
    [ML_PROG_ACTION_ADD] = "INSERT INTO prog_action(programme, campaign, title, owner, due, state,"
                           " project, need, author, created, updated) VALUES($1, $2, $3, $4, $5,"
                           " 'open', $6, $7, $8, $9, $9) RETURNING id",
    [ML_PROG_ACTIONS] = "SELECT " ACTION_COLUMNS " FROM prog_action WHERE programme = $1"
                        " ORDER BY CASE WHEN due IS NULL THEN 1 ELSE 0 END, due, id",
    [ML_PROG_ACTION_BY_ID] = "SELECT " ACTION_COLUMNS " FROM prog_action WHERE id = $1",
    [ML_PROG_ACTION_STATE] = "UPDATE prog_action SET state = $2, updated = $3 WHERE id = $1",
};


#endif
