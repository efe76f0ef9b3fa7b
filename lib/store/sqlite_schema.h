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

    /* 9: nothing for SQLite. PostgreSQL's step 9 creates its search table
     * (FTS5's etab_fts and profile_fts do that work here): the step keeps
     * both engines' version numbers aligned. */
    "SELECT 1;",
};

#endif
