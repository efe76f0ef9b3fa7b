/* vocabulary.c — `maillage vocabulary import`: a user's own trade words,
 * each with the NAF codes it stands for (CSV: term,naf,note). The file
 * replaces the previous user vocabulary; the shipped one stays. */
#include "ingest/import.h"
#include "search/search.h"

enum { V_TERM, V_NAF, V_NOTE, V_COUNT };

static const ml_column_spec vocabulary_columns[V_COUNT] = {
    [V_TERM] = {"term", true},
    [V_NAF] = {"naf", true},
    [V_NOTE] = {"note", false},
};

static ml_err vocabulary_row(ml_importer *im, const ml_csv_row *row)
{
    ml_lexicon *lex = im->user;
    const char *term = ml_import_field(im, row, V_TERM);
    const char *naf = ml_import_field(im, row, V_NAF);
    const char *note = ml_import_field(im, row, V_NOTE);
    if (!term) return ml_import_reject(im, row, V_TERM, "empty term");
    if (strlen(term) > 120) return ml_import_reject(im, row, V_TERM, "longer than 120 bytes");
    if (!naf) return ml_import_reject(im, row, V_NAF, "no NAF code");
    if (strlen(naf) > 400) return ml_import_reject(im, row, V_NAF, "longer than 400 bytes");
    char codes[512];
    ml_snprintf(codes, sizeof codes, "%s", naf);
    size_t n = 0;
    for (char *save = NULL, *c = strtok_r(codes, " ;,", &save); c;
         c = strtok_r(NULL, " ;,", &save)) {
        ml_naf_set set;
        if (!ml_lexicon_naf_code_set(lex, c, &set))
            return ml_import_reject(im, row, V_NAF,
                                    "unknown NAF code '%.20s' (expected codes of any level, like "
                                    "25.62A 25.62 25.6 25 C, separated by spaces)",
                                    c);
        n++;
    }
    if (n == 0) return ml_import_reject(im, row, V_NAF, "no NAF code");
    const char *fields[4] = {term, naf, note, "user"};
    ml_err r = im->db->be->ref_put(im->db, ML_REF_VOCAB, fields, 4);
    if (r) return r;
    im->stats->imported++;
    return ML_OK;
}

static const ml_import_kind vocabulary_kind = {
    .name = "vocabulary",
    .what = "vocabulary (term,naf,note)",
    .columns = vocabulary_columns,
    .ncolumns = V_COUNT,
    .row = vocabulary_row,
};

ml_err ml_vocabulary_import(ml_db *db, const char *path, const ml_import_opts *opts,
                            ml_import_stats *stats)
{
    ml_lexicon *lex = NULL;
    ml_err r = ml_lexicon_get(db, &lex);
    if (r) return r;
    /* The import's run (sq_run_begin) clears the previous user entries and
     * touches the lexicon in the same transaction. */
    return ml_import_run(db, &vocabulary_kind, &path, 1, opts, stats, lex);
}
