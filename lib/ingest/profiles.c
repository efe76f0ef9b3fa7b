/* profiles.c — `maillage import profiles`: what companies say they offer and
 * need, their labels and innovations, per SIRET (CSV, columns by name). */
#include "firm/firm.h"
#include "ingest/import.h"

enum { P_SIRET, P_OFFERS, P_NEEDS, P_LABELS, P_INNOVATIONS, P_WEBSITE, P_COUNT };

static const ml_column_spec profile_columns[P_COUNT] = {
    [P_SIRET] = {"siret", true},
    [P_OFFERS] = {"offers", false},
    [P_NEEDS] = {"needs", false},
    [P_LABELS] = {"labels", false},
    [P_INNOVATIONS] = {"innovations", false},
    [P_WEBSITE] = {"website", false},
};

static ml_err profile_row(ml_importer *im, const ml_csv_row *row)
{
    ml_db *db = im->db;
    const char *siret = ml_import_field(im, row, P_SIRET);
    if (!siret) return ml_import_reject(im, row, P_SIRET, "empty SIRET");
    size_t sl = strlen(siret);
    ml_profile p = {0};
    ml_id_check idc = ml_siret_parse(siret, sl, &p.siret);
    if (idc == ML_ID_NOT_DIGITS)
        return ml_import_reject(im, row, P_SIRET, "%zu characters, expected 14 digits", sl);
    if (idc != ML_ID_OK) return ml_import_reject(im, row, P_SIRET, "checksum (Luhn) fails");
    bool listable = false;
    ml_err r = ml_etab_exists_listable(db, p.siret, &listable);
    if (r) return r;
    if (!listable)
        return ml_import_reject(im, row, P_SIRET,
                                "not in the database, or restricted diffusion (statut P)");
    p.offers = ml_import_field(im, row, P_OFFERS);
    p.needs = ml_import_field(im, row, P_NEEDS);
    p.labels = ml_import_field(im, row, P_LABELS);
    p.innovations = ml_import_field(im, row, P_INNOVATIONS);
    p.website = ml_import_field(im, row, P_WEBSITE);
    if (!p.offers && !p.needs && !p.labels && !p.innovations)
        return ml_import_reject(im, row, -1, "no offers, needs, labels or innovations");
    if (p.website && strncmp(p.website, "https://", 8) && strncmp(p.website, "http://", 7))
        return ml_import_reject(im, row, P_WEBSITE, "expected an address starting with https://");
    ml_put_result res;
    if ((r = db->be->profile_put(db, im->run, &p, &res))) return r;
    if (res == ML_PUT_DUPLICATE)
        return ml_import_reject(im, row, P_SIRET, "duplicate SIRET: already read in this import");
    im->stats->imported++;
    if (res == ML_PUT_REPLACED) im->stats->replaced++;
    return ML_OK;
}

static const ml_import_kind profile_kind = {
    .name = "profiles",
    .what = "profiles (siret,offers,needs,labels,innovations,website)",
    .columns = profile_columns,
    .ncolumns = P_COUNT,
    .row = profile_row,
};

ml_err ml_import_profiles(ml_db *db, const char *path, const ml_import_opts *opts,
                          ml_import_stats *stats)
{
    return ml_import_run(db, &profile_kind, &path, 1, opts, stats, NULL);
}
