/* sqlite_schema.h — versioned schema migrations of the SQLite backend.
 * Migration N brings a database from user_version N-1 to N; never edit a
 * released step, add a new one. */
#ifndef ML_SQLITE_SCHEMA_H
#define ML_SQLITE_SCHEMA_H

static const char *const ml_sqlite_migrations[] = {
    /* 1: reference data, establishments, legal units, search index. */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE region(code TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE departement(code TEXT PRIMARY KEY, region TEXT, name TEXT NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE epci(code TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT) WITHOUT ROWID;"
    "CREATE TABLE commune(code TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT,"
    " departement TEXT, region TEXT, epci TEXT, parent TEXT, population INTEGER,"
    " lat REAL, lon REAL) WITHOUT ROWID;"
    "CREATE INDEX commune_departement ON commune(departement);"
    "CREATE INDEX commune_epci ON commune(epci);"
    "CREATE TABLE naf(code TEXT PRIMARY KEY, label TEXT NOT NULL, a615 TEXT, a272 TEXT,"
    " a129 TEXT, a88 TEXT, a64 TEXT, a38 TEXT, a21 TEXT, a10 TEXT) WITHOUT ROWID;"
    "CREATE TABLE naf_level(level TEXT, code TEXT, label_fr TEXT, label_en TEXT,"
    " PRIMARY KEY(level, code)) WITHOUT ROWID;"
    "CREATE TABLE io_use(year INTEGER, product TEXT, branch TEXT, value REAL,"
    " PRIMARY KEY(year, product, branch)) WITHOUT ROWID;"
    "CREATE TABLE io_branch(year INTEGER, branch TEXT, output REAL, intermediate REAL,"
    " PRIMARY KEY(year, branch)) WITHOUT ROWID;"
    "CREATE TABLE import_run(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started TEXT,"
    " finished TEXT, rows INTEGER, imported INTEGER, rejected INTEGER);"
    "CREATE TABLE etab(siret INTEGER PRIMARY KEY, siren INTEGER NOT NULL,"
    " diffusion TEXT NOT NULL, state TEXT NOT NULL, created TEXT, size_band TEXT,"
    " size_year INTEGER, head_office INTEGER NOT NULL DEFAULT 0, sign TEXT, usual_name TEXT,"
    " address TEXT, postcode TEXT, city TEXT, commune TEXT, naf TEXT, naf_raw TEXT,"
    " naf25 TEXT, employer TEXT, lat REAL, lon REAL, geo INTEGER NOT NULL DEFAULT 0,"
    " generated INTEGER NOT NULL DEFAULT 0, run INTEGER);"
    "CREATE INDEX etab_siren ON etab(siren);"
    "CREATE INDEX etab_commune ON etab(commune, state);"
    "CREATE TABLE unite(siren INTEGER PRIMARY KEY, diffusion TEXT NOT NULL, state TEXT,"
    " name TEXT, acronym TEXT, category TEXT, category_year INTEGER, legal_form TEXT,"
    " naf TEXT, created TEXT, ess TEXT, generated INTEGER NOT NULL DEFAULT 0, run INTEGER);"
    /* Folded, stemmed text; rowid = rank key << 47 | siret (see sqlite.c). */
    "CREATE VIRTUAL TABLE etab_fts USING fts5(name, activity, place, tags,"
    " detail=column, columnsize=0, tokenize='ascii');",

    /* 2: what people add: profiles, networks, verdicts on suggested pairs. */
    "CREATE TABLE profile(siret INTEGER PRIMARY KEY, offers TEXT, needs TEXT, labels TEXT,"
    " innovations TEXT, website TEXT, run INTEGER);"
    /* Folded, stemmed words of offers, needs, labels; rowid = siret. */
    "CREATE VIRTUAL TABLE profile_fts USING fts5(offers, needs, labels, tokenize='ascii');"
    "CREATE TABLE network(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " created TEXT NOT NULL DEFAULT (datetime('now')));"
    "CREATE TABLE network_member(network INTEGER NOT NULL REFERENCES network(id)"
    " ON DELETE CASCADE, siret INTEGER NOT NULL, PRIMARY KEY(network, siret)) WITHOUT ROWID;"
    "CREATE INDEX network_member_siret ON network_member(siret);"
    "CREATE TABLE verdict(id INTEGER PRIMARY KEY, supplier INTEGER NOT NULL,"
    " buyer INTEGER NOT NULL, verdict TEXT NOT NULL CHECK (verdict IN"
    " ('accept', 'reject', 'note')), note TEXT, author TEXT, at TEXT NOT NULL"
    " DEFAULT (datetime('now')));"
    "CREATE INDEX verdict_pair ON verdict(supplier, buyer);"
    "CREATE INDEX verdict_buyer ON verdict(buyer);",

    /* 3: arrondissements by parent commune (territory lists of communes). */
    "CREATE INDEX commune_parent ON commune(parent);",

    /* 4: WIOD's 56 industries for France, to split A38 branches. */
    "CREATE TABLE wiod_industry(code TEXT PRIMARY KEY, label TEXT NOT NULL,"
    " divisions TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE wiod_use(year INTEGER, product TEXT, industry TEXT, value REAL,"
    " PRIMARY KEY(year, product, industry)) WITHOUT ROWID;",

    /* 5: the inter-industry table at the level of NAF classes replaces the
     * WIOD split; the real SIRENE sample the demo generator draws from. */
    "DROP TABLE wiod_use;"
    "DROP TABLE wiod_industry;"
    "CREATE TABLE io_class(year INTEGER, supplier TEXT, buyer TEXT, weight REAL,"
    " ic_share REAL, resale_share REAL, general INTEGER,"
    " PRIMARY KEY(year, supplier, buyer)) WITHOUT ROWID;"
    "CREATE TABLE io_general(class TEXT PRIMARY KEY, group_fr TEXT, group_en TEXT)"
    " WITHOUT ROWID;"
    "CREATE TABLE io_resale(trade_class TEXT PRIMARY KEY, goods_fr TEXT, goods_en TEXT,"
    " makers TEXT, wholesalers TEXT) WITHOUT ROWID;"
    "CREATE TABLE naf_sample(subclass TEXT, band TEXT, establishments INTEGER,"
    " PRIMARY KEY(subclass, band)) WITHOUT ROWID;"
    "CREATE TABLE naf_group_share(area TEXT, grp TEXT, share REAL, PRIMARY KEY(area, grp))"
    " WITHOUT ROWID;",

    /* 6: a verdict can be withdrawn (undo): the pair is back to no verdict,
     * the history kept. SQLite cannot change a CHECK: the table is rebuilt. */
    "CREATE TABLE verdict_new(id INTEGER PRIMARY KEY, supplier INTEGER NOT NULL,"
    " buyer INTEGER NOT NULL, verdict TEXT NOT NULL CHECK (verdict IN"
    " ('accept', 'reject', 'note', 'withdraw')), note TEXT, author TEXT, at TEXT NOT NULL"
    " DEFAULT (datetime('now')));"
    "INSERT INTO verdict_new SELECT id, supplier, buyer, verdict, note, author, at FROM verdict;"
    "DROP TABLE verdict;"
    "ALTER TABLE verdict_new RENAME TO verdict;"
    "CREATE INDEX verdict_pair ON verdict(supplier, buyer);"
    "CREATE INDEX verdict_buyer ON verdict(buyer);"
    /* … and the labels of legal forms (catégories juridiques). */
    "CREATE TABLE legal_form(code TEXT PRIMARY KEY, label TEXT NOT NULL) WITHOUT ROWID;",
    /* 7: search: the vocabulary (curated, NACE-BEL activity descriptions,
     * the user's), La Poste postcodes, the words of names and communes (to
     * complete a word being typed), a dense number per establishment, and a
     * search index whose rowid also carries the commune and the NAF
     * sub-class, with the SIRET beside it. The index is filled again at the
     * next writable open (meta search_index = rebuild; sqlite.c). */
    "CREATE TABLE vocabulary(term TEXT NOT NULL, naf TEXT NOT NULL, note TEXT,"
    " source TEXT NOT NULL);"
    "CREATE INDEX vocabulary_source ON vocabulary(source);"
    "CREATE TABLE postcode(code TEXT NOT NULL, commune TEXT NOT NULL,"
    " PRIMARY KEY(code, commune)) WITHOUT ROWID;"
    "CREATE TABLE search_word(word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
    /* For frequent words: in how many names of each NAF sub-class (its
     * index in the rowid): a query learns that a word and a trade never
     * meet without walking two long posting lists. */
    "CREATE TABLE search_word_naf(word TEXT NOT NULL, naf INTEGER NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY(word, naf)) WITHOUT ROWID;"
    "ALTER TABLE etab ADD COLUMN ix INTEGER;"
    "DROP TABLE etab_fts;"
    /* Activity words are written "a_word" ('_' is a token character, and
     * never one of a folded word): a name word's postings then hold no
     * activity rows, which a column filter would have to walk through. */
    "CREATE VIRTUAL TABLE etab_fts USING fts5(name, activity, place, tags, siret UNINDEXED,"
    " detail=column, columnsize=0, tokenize=\"ascii tokenchars '_'\");"
    "INSERT OR REPLACE INTO meta(key, value) VALUES('search_index', 'rebuild');",

    /* 8: monthly updates. An import over establishments already there
     * writes only what changed, and keeps each change with its date (the
     * day of the import; INSEE's dateDernierTraitementEtablissement, when
     * the file has it) and how many of each kind a run applied. The first
     * import of a database is the reference: its rows are not listed. */
    "CREATE TABLE etab_change(run INTEGER NOT NULL, siret INTEGER NOT NULL,"
    " change TEXT NOT NULL CHECK (change IN ('new', 'modified', 'closed', 'reopened')),"
    " at TEXT NOT NULL, insee_date TEXT, PRIMARY KEY(run, siret)) WITHOUT ROWID;"
    "CREATE INDEX etab_change_siret ON etab_change(siret);"
    "ALTER TABLE import_run ADD COLUMN added INTEGER;"
    "ALTER TABLE import_run ADD COLUMN modified INTEGER;"
    "ALTER TABLE import_run ADD COLUMN closed INTEGER;"
    "ALTER TABLE import_run ADD COLUMN unchanged INTEGER;",

    /* 9: territory diagnostics. When an establishment's current state
     * began (SIRENE's dateDebut: a closed one's closure date); the
     * Territoires d'industrie as shipped reference data (one row per
     * territory and commune); the user's own perimeters, kept across
     * `init`. */
    "ALTER TABLE etab ADD COLUMN state_since TEXT;"
    "CREATE TABLE ti(code TEXT NOT NULL, phase TEXT NOT NULL, name TEXT NOT NULL,"
    " commune TEXT NOT NULL, member TEXT, member_kind TEXT, PRIMARY KEY(code, commune))"
    " WITHOUT ROWID;"
    "CREATE TABLE perimeter(code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,"
    " org INTEGER NOT NULL DEFAULT 0, author TEXT, created TEXT NOT NULL, source TEXT)"
    " WITHOUT ROWID;"
    "CREATE TABLE perimeter_commune(perimeter TEXT NOT NULL, commune TEXT NOT NULL,"
    " PRIMARY KEY(perimeter, commune)) WITHOUT ROWID;",

    /* 10 (history, issue 11): what organisations record
     * about a firm: contacts (personal data, docs/privacy.md), interactions,
     * follow-ups, documents (their bytes in the documents folder), the
     * anonymised trace of each erasure; verdicts get their organisation and
     * author id (0 for those written before accounts). */
    "CREATE TABLE hist_contact(id INTEGER PRIMARY KEY, siret INTEGER NOT NULL,"
    " siren INTEGER NOT NULL, org INTEGER NOT NULL DEFAULT 0, author_id INTEGER NOT NULL"
    " DEFAULT 0, author TEXT, name TEXT NOT NULL, position TEXT, email TEXT, phone TEXT,"
    " basis TEXT NOT NULL, source TEXT, created TEXT NOT NULL DEFAULT (datetime('now')),"
    " updated TEXT NOT NULL DEFAULT (datetime('now')), updated_by TEXT);"
    "CREATE INDEX hist_contact_siren ON hist_contact(siren);"
    "CREATE INDEX hist_contact_email ON hist_contact(email);"
    "CREATE TABLE hist_interaction(id INTEGER PRIMARY KEY, siret INTEGER NOT NULL,"
    " siren INTEGER NOT NULL, org INTEGER NOT NULL DEFAULT 0, author_id INTEGER NOT NULL"
    " DEFAULT 0, author TEXT, kind TEXT NOT NULL CHECK (kind IN ('visit', 'call', 'meeting',"
    " 'email', 'event')), day TEXT NOT NULL, notes TEXT, contacts TEXT NOT NULL DEFAULT ',',"
    " created TEXT NOT NULL DEFAULT (datetime('now')));"
    "CREATE INDEX hist_interaction_siren ON hist_interaction(siren);"
    "CREATE TABLE hist_followup(id INTEGER PRIMARY KEY, siret INTEGER NOT NULL,"
    " siren INTEGER NOT NULL, org INTEGER NOT NULL DEFAULT 0, author_id INTEGER NOT NULL"
    " DEFAULT 0, author TEXT, owner_id INTEGER NOT NULL DEFAULT 0, owner TEXT,"
    " what TEXT NOT NULL, due TEXT NOT NULL, done TEXT,"
    " created TEXT NOT NULL DEFAULT (datetime('now')));"
    "CREATE INDEX hist_followup_siren ON hist_followup(siren);"
    "CREATE INDEX hist_followup_due ON hist_followup(due) WHERE done IS NULL;"
    "CREATE TABLE hist_document(id TEXT PRIMARY KEY, siret INTEGER NOT NULL,"
    " siren INTEGER NOT NULL, org INTEGER NOT NULL DEFAULT 0, author_id INTEGER NOT NULL"
    " DEFAULT 0, author TEXT, name TEXT NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL,"
    " created TEXT NOT NULL DEFAULT (datetime('now')));"
    "CREATE INDEX hist_document_siren ON hist_document(siren);"
    "CREATE TABLE hist_erasure(id INTEGER PRIMARY KEY, at TEXT NOT NULL DEFAULT"
    " (datetime('now')), org INTEGER NOT NULL DEFAULT 0, author_id INTEGER NOT NULL DEFAULT 0,"
    " author TEXT, what TEXT NOT NULL);"
    "ALTER TABLE verdict ADD COLUMN org INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE verdict ADD COLUMN author_id INTEGER NOT NULL DEFAULT 0;",

    /* 11: organisations and accounts (lib/account): organisations with a
     * type, accounts (the password as an Argon2id string), a role per
     * organisation, workspaces organisations share, sessions and API tokens
     * (only a hash of their secret), one-time invitations, failed logins
     * (throttling) and the audit log, which triggers keep append-only.
     * Times are Unix seconds (UTC), set by lib/account. */
    "CREATE TABLE org(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, type TEXT NOT NULL,"
    " created INTEGER NOT NULL);"
    "CREATE TABLE account(id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT,"
    " password TEXT, site_admin INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0,"
    " created INTEGER NOT NULL);"
    "CREATE TABLE member(org INTEGER NOT NULL REFERENCES org(id), account INTEGER NOT NULL"
    " REFERENCES account(id), role TEXT NOT NULL CHECK (role IN ('guest', 'viewer', 'officer',"
    " 'admin')), PRIMARY KEY(org, account)) WITHOUT ROWID;"
    "CREATE INDEX member_account ON member(account);"
    "CREATE TABLE workspace(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " created INTEGER NOT NULL);"
    "CREATE TABLE workspace_org(workspace INTEGER NOT NULL REFERENCES workspace(id),"
    " org INTEGER NOT NULL REFERENCES org(id), PRIMARY KEY(workspace, org)) WITHOUT ROWID;"
    "CREATE INDEX workspace_org_org ON workspace_org(org);"
    "CREATE TABLE session(hash TEXT PRIMARY KEY, account INTEGER NOT NULL, org INTEGER NOT NULL,"
    " csrf TEXT NOT NULL, created INTEGER NOT NULL, seen INTEGER NOT NULL, address TEXT)"
    " WITHOUT ROWID;"
    "CREATE INDEX session_account ON session(account);"
    "CREATE TABLE api_token(id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE,"
    " account INTEGER NOT NULL, org INTEGER NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL"
    " CHECK (scope IN ('read', 'write')), created INTEGER NOT NULL, used INTEGER,"
    " revoked INTEGER);"
    "CREATE INDEX api_token_account ON api_token(account);"
    "CREATE TABLE invite(hash TEXT PRIMARY KEY, org INTEGER NOT NULL, role TEXT NOT NULL,"
    " email TEXT, created_by INTEGER, created INTEGER NOT NULL, expires INTEGER NOT NULL,"
    " used INTEGER, account INTEGER) WITHOUT ROWID;"
    "CREATE TABLE login_failure(kind TEXT NOT NULL, key TEXT NOT NULL, at INTEGER NOT NULL);"
    "CREATE INDEX login_failure_key ON login_failure(kind, key, at);"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, account INTEGER,"
    " actor TEXT NOT NULL, org INTEGER, address TEXT, action TEXT NOT NULL, target TEXT,"
    " detail TEXT);"
    "CREATE INDEX audit_at ON audit(at);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",

    /* 12: nothing for SQLite. PostgreSQL's step 12 creates its search table
     * (FTS5's etab_fts and profile_fts do that work here): the step keeps
     * both engines' version numbers aligned. */
    "SELECT 1;",

    /* 13 (needs, issue 12 part 6): the needs grid of a territory or a firm,
     * one row per level set (history kept: the latest row of a need is its
     * level), with its organisation and author. subject: "firm:SIRET" or
     * "KIND:CODE" of a territory (epci:200054807). */
    "CREATE TABLE need(id INTEGER PRIMARY KEY, subject TEXT NOT NULL, need TEXT NOT NULL,"
    " level TEXT NOT NULL CHECK (level IN ('none', 'low', 'medium', 'high', 'critical')),"
    " note TEXT, org INTEGER NOT NULL DEFAULT 0, author_id INTEGER NOT NULL DEFAULT 0,"
    " author TEXT, created TEXT NOT NULL DEFAULT (datetime('now')));"
    "CREATE INDEX need_subject ON need(subject, id);",


    /* 14 (events, issue 14): business conventions. An event belongs to an
     * organisation; its participants are establishments (siret), public
     * buyers or guests, each with a side, available slots ("1-6,9", empty:
     * all), a maximum of meetings and the hash of a personal link; requests
     * between two participants (priority, who asked, accepted); the
     * meetings of the last schedule (locked ones are kept on a re-run);
     * what followed each meeting. Times are Unix seconds. */
    "CREATE TABLE event(id INTEGER PRIMARY KEY, org INTEGER NOT NULL DEFAULT 0,"
    " name TEXT NOT NULL, day TEXT NOT NULL, start_min INTEGER NOT NULL,"
    " slot_minutes INTEGER NOT NULL, slots INTEGER NOT NULL, tables INTEGER NOT NULL,"
    " two_sided INTEGER NOT NULL, breaks TEXT NOT NULL DEFAULT '', place TEXT,"
    " created INTEGER NOT NULL, author TEXT, scheduled INTEGER, weight INTEGER,"
    " bound INTEGER, optimal INTEGER);"
    "CREATE TABLE event_participant(id INTEGER PRIMARY KEY, event INTEGER NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('firm', 'buyer', 'guest')), siret INTEGER,"
    " name TEXT NOT NULL, side TEXT NOT NULL DEFAULT '', slots TEXT NOT NULL DEFAULT '',"
    " max_meetings INTEGER, cancelled INTEGER NOT NULL DEFAULT 0, token TEXT UNIQUE);"
    "CREATE INDEX event_participant_event ON event_participant(event);"
    "CREATE TABLE event_request(id INTEGER PRIMARY KEY, event INTEGER NOT NULL,"
    " a INTEGER NOT NULL, b INTEGER NOT NULL, priority TEXT NOT NULL CHECK (priority IN"
    " ('must', 'wish')), asked_by INTEGER NOT NULL DEFAULT 0, accepted INTEGER NOT NULL,"
    " reason TEXT, created INTEGER NOT NULL, UNIQUE(event, a, b));"
    "CREATE TABLE event_meeting(event INTEGER NOT NULL, request INTEGER NOT NULL,"
    " slot INTEGER NOT NULL, tab INTEGER NOT NULL, locked INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(event, request));"
    "CREATE TABLE event_outcome(event INTEGER NOT NULL, request INTEGER NOT NULL,"
    " met INTEGER NOT NULL, result TEXT NOT NULL DEFAULT 'none', amount INTEGER,"
    " jobs INTEGER, at INTEGER NOT NULL, author TEXT, PRIMARY KEY(event, request));"
    /* a public buyer's innovation need: the purchase it may lead to, the
     * evidence gathered (checklist keys), the contract once notified */
    "CREATE TABLE event_need(id INTEGER PRIMARY KEY, org INTEGER NOT NULL DEFAULT 0,"
    " buyer TEXT NOT NULL, buyer_siret INTEGER, title TEXT NOT NULL, text TEXT, cpv TEXT,"
    " naf TEXT, budget INTEGER NOT NULL, deadline TEXT, commune TEXT,"
    " evidence TEXT NOT NULL DEFAULT '', holder INTEGER, amount INTEGER, notified TEXT,"
    " months INTEGER, created INTEGER NOT NULL, author TEXT);",

    /* 15: programmes (lib/programme, issue 13): a programme and the
     * organisations that run it (officer, funder, committee, reader), its
     * envelopes per instrument and funder with their rules, projects, the
     * ledger (commitments, payments, repayments, cancellations, dated; the
     * positions are computed from it, never stored), repayment schedules and
     * aid recorded from elsewhere against a company's de minimis ceiling, and
     * the interviews of firms (scores on the needs grid, red flags, notes).
     * Money is integer cents; days are YYYY-MM-DD; created and updated are
     * Unix seconds. */
    "CREATE TABLE programme(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " org INTEGER NOT NULL, territory TEXT, territory_name TEXT, start_day TEXT, end_day TEXT,"
    " author TEXT, created INTEGER NOT NULL, generated INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE prog_org(programme INTEGER NOT NULL REFERENCES programme(id),"
    " org INTEGER NOT NULL, role TEXT NOT NULL CHECK (role IN ('officer', 'funder',"
    " 'committee', 'reader')), PRIMARY KEY(programme, org)) WITHOUT ROWID;"
    "CREATE TABLE prog_envelope(id INTEGER PRIMARY KEY, programme INTEGER NOT NULL"
    " REFERENCES programme(id), instrument TEXT NOT NULL, funder TEXT NOT NULL DEFAULT '',"
    " amount INTEGER NOT NULL CHECK (amount >= 0), max_project INTEGER NOT NULL DEFAULT 0,"
    " max_small INTEGER NOT NULL DEFAULT 0, max_medium INTEGER NOT NULL DEFAULT 0,"
    " max_large INTEGER NOT NULL DEFAULT 0, revolving INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE(programme, instrument, funder));"
    "CREATE TABLE prog_project(id INTEGER PRIMARY KEY, programme INTEGER NOT NULL"
    " REFERENCES programme(id), siret INTEGER NOT NULL, siren INTEGER NOT NULL, type TEXT NOT NULL,"
    " title TEXT NOT NULL, description TEXT, cost INTEGER NOT NULL, eligible INTEGER NOT NULL,"
    " jobs_created INTEGER NOT NULL DEFAULT 0, jobs_kept INTEGER NOT NULL DEFAULT 0,"
    " req_subsidy INTEGER NOT NULL DEFAULT 0, req_advance INTEGER NOT NULL DEFAULT 0,"
    " stage TEXT NOT NULL, author TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL);"
    "CREATE INDEX prog_project_programme ON prog_project(programme);"
    "CREATE TABLE prog_entry(id INTEGER PRIMARY KEY, programme INTEGER NOT NULL,"
    " envelope INTEGER NOT NULL REFERENCES prog_envelope(id), project INTEGER NOT NULL,"
    " siren INTEGER NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('commit', 'pay', 'repay',"
    " 'cancel')), day TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount > 0), note TEXT,"
    " author TEXT, created INTEGER NOT NULL);"
    "CREATE INDEX prog_entry_position ON prog_entry(programme, envelope, kind, day, amount);"
    "CREATE INDEX prog_entry_project ON prog_entry(project);"
    "CREATE INDEX prog_entry_siren ON prog_entry(siren);"
    "CREATE TABLE prog_instalment(project INTEGER NOT NULL, envelope INTEGER NOT NULL,"
    " seq INTEGER NOT NULL, due TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount >= 0),"
    " PRIMARY KEY(project, envelope, seq)) WITHOUT ROWID;"
    "CREATE TABLE prog_aid(id INTEGER PRIMARY KEY, siren INTEGER NOT NULL, day TEXT NOT NULL,"
    " amount INTEGER NOT NULL CHECK (amount > 0), source TEXT NOT NULL, author TEXT,"
    " created INTEGER NOT NULL);"
    "CREATE INDEX prog_aid_siren ON prog_aid(siren);"
    "CREATE TABLE prog_interview(id INTEGER PRIMARY KEY, programme INTEGER NOT NULL"
    " REFERENCES programme(id), siret INTEGER NOT NULL, siren INTEGER NOT NULL,"
    " day TEXT NOT NULL, scores TEXT NOT NULL, flags TEXT NOT NULL, notes TEXT, author TEXT,"
    " created INTEGER NOT NULL);"
    "CREATE INDEX prog_interview_programme ON prog_interview(programme);",

    /* 16 (agendas, issue 14): a do-not-meet request (priority 'avoid', the
     * CHECK widened: SQLite rebuilds the table, nothing refers to it by a
     * foreign key); when an event's schedule was published (Unix seconds);
     * what changed for each participant after it (a meeting moved, new or
     * cancelled), until they have seen it. */
    "CREATE TABLE event_request_v15(id INTEGER PRIMARY KEY, event INTEGER NOT NULL,"
    " a INTEGER NOT NULL, b INTEGER NOT NULL, priority TEXT NOT NULL CHECK (priority IN"
    " ('must', 'wish', 'avoid')), asked_by INTEGER NOT NULL DEFAULT 0,"
    " accepted INTEGER NOT NULL, reason TEXT, created INTEGER NOT NULL, UNIQUE(event, a, b));"
    "INSERT INTO event_request_v15 SELECT id, event, a, b, priority, asked_by, accepted, reason,"
    " created FROM event_request;"
    "DROP TABLE event_request;"
    "ALTER TABLE event_request_v15 RENAME TO event_request;"
    "ALTER TABLE event ADD COLUMN published INTEGER;"
    "CREATE TABLE event_change(id INTEGER PRIMARY KEY, event INTEGER NOT NULL,"
    " participant INTEGER NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('moved', 'new',"
    " 'cancelled')), other TEXT NOT NULL, slot_before INTEGER, tab_before INTEGER,"
    " slot_after INTEGER, tab_after INTEGER, at INTEGER NOT NULL,"
    " seen INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX event_change_participant ON event_change(event, participant, id);",

    /* 17 (campaigns, issue 13): a programme's engineering budget (tenths
     * of a person-day); interview campaigns, the firms chosen (suggested
     * with their score and reasons, or added by hand, or removed with a
     * reason) with their planned visit and its days; workshops; an
     * interview's visit, a project's interview; the roadmap's actions. */
    "ALTER TABLE programme ADD COLUMN eng_tenths INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE prog_campaign(id INTEGER PRIMARY KEY, programme INTEGER NOT NULL"
    " REFERENCES programme(id), name TEXT NOT NULL, start_day TEXT, end_day TEXT, author TEXT,"
    " created INTEGER NOT NULL, generated INTEGER NOT NULL DEFAULT 0, UNIQUE(programme, name));"
    "CREATE TABLE prog_campaign_firm(id INTEGER PRIMARY KEY, campaign INTEGER NOT NULL"
    " REFERENCES prog_campaign(id), siret INTEGER NOT NULL, siren INTEGER NOT NULL,"
    " source TEXT NOT NULL, score INTEGER NOT NULL DEFAULT 0, reasons TEXT, note TEXT,"
    " status TEXT NOT NULL, visit_day TEXT, visit_time TEXT, consultant TEXT,"
    " tenths INTEGER NOT NULL DEFAULT 0, author TEXT, created INTEGER NOT NULL,"
    " updated INTEGER NOT NULL, UNIQUE(campaign, siret));"
    "CREATE TABLE prog_workshop(id INTEGER PRIMARY KEY, campaign INTEGER NOT NULL"
    " REFERENCES prog_campaign(id), title TEXT NOT NULL, day TEXT NOT NULL,"
    " tenths INTEGER NOT NULL, author TEXT, created INTEGER NOT NULL);"
    "ALTER TABLE prog_interview ADD COLUMN visit INTEGER;"
    "ALTER TABLE prog_project ADD COLUMN interview INTEGER;"
    "CREATE TABLE prog_action(id INTEGER PRIMARY KEY, programme INTEGER NOT NULL"
    " REFERENCES programme(id), campaign INTEGER, title TEXT NOT NULL, owner TEXT,"
    " due TEXT, state TEXT NOT NULL, project INTEGER, need TEXT, author TEXT,"
    " created INTEGER NOT NULL, updated INTEGER NOT NULL);"
    "CREATE INDEX prog_action_programme ON prog_action(programme);",

    /* 18 (committees, issue 13 parts 3 and 5): the catalogue of aid schemes
     * in Etalab's schema-dispositif-aide columns (plus maillage's project
     * types and stages), a project's routes to schemes, and committee
     * meetings: their members, their agenda (projects in order, each with
     * the committee's decision), the members' votes. */
    "CREATE TABLE prog_scheme(id TEXT PRIMARY KEY, title TEXT NOT NULL, promise TEXT,"
    " description TEXT NOT NULL, eligibility TEXT NOT NULL, aid_types TEXT NOT NULL,"
    " bearers TEXT NOT NULL, parents TEXT, url TEXT, targets TEXT NOT NULL, geo TEXT NOT NULL,"
    " geo_excl TEXT, opens TEXT, closes TEXT, updated_day TEXT NOT NULL, headcount_min INTEGER,"
    " headcount_max INTEGER, sizes TEXT, naf TEXT, naf_excl TEXT, sectors TEXT NOT NULL,"
    " project_types TEXT, stages TEXT, imported INTEGER NOT NULL, author TEXT);"
    "CREATE TABLE prog_route(id INTEGER PRIMARY KEY, project INTEGER NOT NULL, scheme TEXT NOT NULL,"
    " day TEXT NOT NULL, note TEXT, author TEXT, created INTEGER NOT NULL);"
    "CREATE INDEX prog_route_project ON prog_route(project);"
    "CREATE TABLE prog_committee(id INTEGER PRIMARY KEY, programme INTEGER NOT NULL"
    " REFERENCES programme(id), day TEXT NOT NULL, place TEXT, author TEXT,"
    " created INTEGER NOT NULL);"
    "CREATE TABLE prog_committee_member(committee INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " name TEXT NOT NULL, organisation TEXT NOT NULL, role TEXT NOT NULL,"
    " PRIMARY KEY(committee, seq)) WITHOUT ROWID;"
    "CREATE TABLE prog_committee_item(committee INTEGER NOT NULL, project INTEGER NOT NULL,"
    " seq INTEGER NOT NULL, decision TEXT CHECK (decision IN ('granted', 'refused')),"
    " reason TEXT, PRIMARY KEY(committee, project)) WITHOUT ROWID;"
    "CREATE TABLE prog_committee_vote(committee INTEGER NOT NULL, project INTEGER NOT NULL,"
    " member INTEGER NOT NULL, vote TEXT NOT NULL CHECK (vote IN ('for', 'against',"
    " 'abstain')), PRIMARY KEY(committee, project, member)) WITHOUT ROWID;",

    /* 19 (impact and poles, issue 13 parts 6, 7, 11): the follow-up
     * milestones of a programme (months after a project's decision) and the
     * figures recorded at each (jobs created and kept, investment realised);
     * the partners of a collaborative R&D project (an establishment of the
     * register or an organisation by name, with its role), its TRL
     * assessments over time and the parts or capabilities it needs; and the
     * ledger's sums per (envelope, day, kind), kept by triggers in the
     * transaction that writes the entries (derived from them, never edited
     * apart), which positions read instead of every entry. */
    "CREATE TABLE prog_milestone(programme INTEGER NOT NULL REFERENCES programme(id),"
    " months INTEGER NOT NULL CHECK (months BETWEEN 1 AND 240),"
    " PRIMARY KEY(programme, months)) WITHOUT ROWID;"
    "CREATE TABLE prog_followup(project INTEGER NOT NULL REFERENCES prog_project(id),"
    " months INTEGER NOT NULL, day TEXT NOT NULL, jobs_created INTEGER NOT NULL,"
    " jobs_kept INTEGER NOT NULL, invested INTEGER NOT NULL CHECK (invested >= 0), note TEXT,"
    " author TEXT, created INTEGER NOT NULL, PRIMARY KEY(project, months)) WITHOUT ROWID;"
    "CREATE TABLE prog_partner(id INTEGER PRIMARY KEY, project INTEGER NOT NULL"
    " REFERENCES prog_project(id), siret INTEGER, name TEXT NOT NULL, kind TEXT NOT NULL"
    " CHECK (kind IN ('firm', 'lab', 'other')), role TEXT NOT NULL, author TEXT,"
    " created INTEGER NOT NULL);"
    "CREATE INDEX prog_partner_project ON prog_partner(project);"
    "CREATE TABLE prog_trl(id INTEGER PRIMARY KEY, project INTEGER NOT NULL"
    " REFERENCES prog_project(id), day TEXT NOT NULL, level INTEGER NOT NULL"
    " CHECK (level BETWEEN 1 AND 9), note TEXT, author TEXT, created INTEGER NOT NULL);"
    "CREATE INDEX prog_trl_project ON prog_trl(project, day);"
    "CREATE TABLE prog_need(id INTEGER PRIMARY KEY, project INTEGER NOT NULL"
    " REFERENCES prog_project(id), text TEXT, naf TEXT, author TEXT, created INTEGER NOT NULL);"
    "CREATE INDEX prog_need_project ON prog_need(project);"
    "CREATE TABLE prog_entry_day(programme INTEGER NOT NULL, envelope INTEGER NOT NULL,"
    " day TEXT NOT NULL, kind TEXT NOT NULL, amount INTEGER NOT NULL, entries INTEGER NOT NULL,"
    " PRIMARY KEY(programme, day, envelope, kind)) WITHOUT ROWID;"
    "INSERT INTO prog_entry_day SELECT programme, envelope, day, kind, sum(amount), count(*)"
    " FROM prog_entry GROUP BY programme, day, envelope, kind;"
    "CREATE TRIGGER prog_entry_day_add AFTER INSERT ON prog_entry BEGIN"
    " INSERT INTO prog_entry_day VALUES(NEW.programme, NEW.envelope, NEW.day, NEW.kind,"
    " NEW.amount, 1) ON CONFLICT(programme, day, envelope, kind) DO UPDATE SET"
    " amount = amount + excluded.amount, entries = entries + 1; END;"
    "CREATE TRIGGER prog_entry_day_drop AFTER DELETE ON prog_entry BEGIN"
    " UPDATE prog_entry_day SET amount = amount - OLD.amount, entries = entries - 1"
    " WHERE programme = OLD.programme AND day = OLD.day AND envelope = OLD.envelope"
    " AND kind = OLD.kind; END;"
    "CREATE TRIGGER prog_entry_no_update BEFORE UPDATE ON prog_entry"
    " BEGIN SELECT RAISE(ABORT, 'a ledger entry is not changed: cancel it by another'); END;",

    /* 20 (CPV, issue 14): the CPV 2008 codes with their French and English
     * labels (reference data, data/cpv/), code8 without the check digit;
     * words: the French label folded and stemmed, between spaces, that the
     * search by words reads (LIKE '% word%'). */
    "CREATE TABLE cpv(code8 TEXT PRIMARY KEY, code TEXT NOT NULL, label_fr TEXT NOT NULL,"
    " label_en TEXT, words TEXT NOT NULL) WITHOUT ROWID;",

    /* 21 (issue 10, updates beside a running server): the latest import of
     * establishments that brought rows of each commune. A territory's data
     * is "as of" that import even where nothing changed: an update no longer
     * rewrites its unchanged rows to mark them seen (etab.run is the run that
     * last wrote a row). Filled from etab.run once. */
    "CREATE TABLE import_cover(commune TEXT PRIMARY KEY, run INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO import_cover SELECT commune, max(run) FROM etab"
    " WHERE commune IS NOT NULL AND run IS NOT NULL GROUP BY commune;",
};



#endif
