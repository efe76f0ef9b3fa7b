/* cmd_import.c — `maillage import sirene|unites|profiles FILE...` with a
 * progress bar on a terminal and a summary (text, or --json); for
 * establishments, what an update changed. Exit status 1 when a file
 * was refused or a row was lost to its form (a stray quote, a cut), even if
 * the rest was imported. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct bar {
    bool shown;
    double last;
} bar;

static int progress(void *ud, const ml_import_progress *p)
{
    bar *b = ud;
    if (p->elapsed - b->last < 0.2) return 0;
    b->last = p->elapsed;
    double rate = p->elapsed > 0 ? (double)p->rows / p->elapsed : 0;
    double frac = p->bytes_total ? (double)p->bytes_done / (double)p->bytes_total : 0;
    if (frac > 1) frac = 1;
    char eta[32] = "--:--";
    if (frac > 0.01) {
        double left = p->elapsed * (1 - frac) / frac;
        snprintf(eta, sizeof eta, "%d:%02d", (int)left / 60, (int)left % 60);
    }
    const char *name = strrchr(p->file, '/') ? strrchr(p->file, '/') + 1 : p->file;
    int width = 24, fill = (int)(frac * width);
    fputc('\r', stderr);
    cli_printf(stderr, "%-.30s [", name);
    for (int i = 0; i < width; i++)
        fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %3.0f%% %llu rows %.0f rows/s ETA %s  ", frac * 100,
            (unsigned long long)p->rows, rate, eta);
    b->shown = true;
    return 0;
}

/* The summary as JSON: the same counts as the text, for scripts that
 * follow monthly updates. */
static void print_json(const char *kind, const char *rejects, const ml_import_stats *st)
{
    json_t *j = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:f}", "kind", kind, "rows",
                          (json_int_t)st->rows, "imported", (json_int_t)st->imported, "replaced",
                          (json_int_t)st->replaced, "rejected", (json_int_t)st->rejected, "skipped",
                          (json_int_t)st->skipped, "seconds", st->seconds);
    if (!j) return;
    if (strcmp(kind, "unites") == 0)
        json_object_set_new(j, "changes",
                            json_pack("{s:I, s:I, s:I}", "new", (json_int_t)st->added, "modified",
                                      (json_int_t)st->modified, "unchanged",
                                      (json_int_t)st->unchanged));
    if (strcmp(kind, "sirene") == 0) {
        json_object_set_new(j, "approximate", json_integer((json_int_t)st->approximate));
        json_object_set_new(j, "restricted", json_integer((json_int_t)st->restricted));
        json_object_set_new(j, "changes",
                            json_pack("{s:I, s:I, s:I, s:I}", "new", (json_int_t)st->added,
                                      "modified", (json_int_t)st->modified, "closed",
                                      (json_int_t)st->closed, "unchanged",
                                      (json_int_t)st->unchanged));
    }
    if (st->rejected) {
        json_object_set_new(j, "rejects_file", json_string(rejects));
        json_object_set_new(j, "first_reject", json_string(st->first_reject));
    }
    cli_print_json(j);
    json_decref(j);
}

static const cli_option options[] = {
    {.name = "rejects",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "where rejected rows go (default: FILE.rejects.csv next to the db)"},
    {.name = "quiet", .kind = CLI_FLAG, .help = "no progress bar"},
    {.name = "json", .kind = CLI_FLAG, .help = "the summary as JSON (with an update's changes)"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    if (a->nargs < 1) return cli_usage("import", "say what to import: sirene or unites");
    const char *kind = cli_arg(a, 0);
    bool sirene = strcmp(kind, "sirene") == 0, unites = strcmp(kind, "unites") == 0;
    bool profiles = strcmp(kind, "profiles") == 0;
    if (!sirene && !unites && !profiles)
        return cli_usage("import", "unknown kind '%s' (expected sirene, unites or profiles)", kind);
    const char *rejects = cli_text(a, "rejects", NULL);
    bool quiet = cli_flag(a, "quiet"), json = cli_flag(a, "json");
    const char **files = calloc(a->nargs, sizeof *files);
    size_t nfiles = 0;
    if (!files) return CLI_FAIL;
    for (size_t i = 1; i < a->nargs; i++)
        files[nfiles++] = cli_arg(a, i);
    if (nfiles == 0 || (!sirene && nfiles != 1)) {
        free(files);
        return cli_usage("import", unites     ? "give exactly one StockUniteLegale file"
                                   : profiles ? "give exactly one profiles CSV file"
                                              : "give at least one StockEtablissement file");
    }
    char default_rejects[4096];
    if (!rejects) {
        cli_default_rejects(c, default_rejects, sizeof default_rejects);
        rejects = default_rejects;
    }
    ml_db *db = NULL;
    int rc = cli_open_db(c, 0, &db);
    if (rc) {
        free(files);
        return rc;
    }
    bar b = {0};
    ml_import_opts opts = {.rejects_path = rejects,
                           .progress = (!quiet && !json && isatty(2)) ? progress : NULL,
                           .progress_ud = &b};
    ml_import_stats st;
    ml_err r = sirene   ? ml_import_sirene(db, files, nfiles, &opts, &st)
               : unites ? ml_import_unites(db, files[0], &opts, &st)
                        : ml_import_profiles(db, files[0], &opts, &st);
    if (b.shown) fputc('\n', stderr);
    if (r && r != ML_FORMAT) {
        rc = cli_error(c, r);
    } else if (json) {
        print_json(kind, rejects, &st);
        if (r) rc = cli_error(c, r);
    } else {
        cli_printf(stdout,
                   "%s: %llu rows read in %.1f s (%.0f rows/s): %llu imported (%llu replaced), "
                   "%llu rejected, %llu skipped (abroad)\n",
                   sirene   ? "establishments"
                   : unites ? "legal units"
                            : "profiles",
                   (unsigned long long)st.rows, st.seconds,
                   st.seconds > 0 ? (double)st.rows / st.seconds : 0,
                   (unsigned long long)st.imported, (unsigned long long)st.replaced,
                   (unsigned long long)st.rejected, (unsigned long long)st.skipped);
        if (sirene)
            cli_printf(
                stdout,
                "  %llu placed at their commune's centre (approximate), %llu with restricted "
                "diffusion (counted, never shown)\n",
                (unsigned long long)st.approximate, (unsigned long long)st.restricted);
        if (sirene)
            cli_printf(stdout, "  changes: %llu new, %llu modified, %llu closed, %llu unchanged\n",
                       (unsigned long long)st.added, (unsigned long long)st.modified,
                       (unsigned long long)st.closed, (unsigned long long)st.unchanged);
        if (unites)
            cli_printf(stdout, "  changes: %llu new, %llu modified, %llu unchanged\n",
                       (unsigned long long)st.added, (unsigned long long)st.modified,
                       (unsigned long long)st.unchanged);
        if (st.rejected)
            cli_printf(stdout, "  rejected rows are listed in %s; first: %s\n", rejects,
                       st.first_reject);
        if (r) rc = cli_error(c, r);
    }
    ml_db_close(db);
    free(files);
    return rc;
}

const cli_command cmd_import = {
    .name = "import",
    .usage = "sirene|unites|profiles FILE... [--rejects FILE] [--quiet] [--json]",
    .summary = "import SIRENE establishments, legal units, or company profiles",
    .help = "  sirene FILE...   StockEtablissement files (.csv, .csv.gz, .zip; geo variants)\n"
            "  unites FILE      StockUniteLegale file (names, PME/ETI/GE category, legal form)\n"
            "  profiles FILE    CSV: siret,offers,needs,labels,innovations,website\n"
            "                   (labels separated by ';'; see docs/guide.md)\n",
    .options = options,
    .max_args = -1,
    .run = run,
    .role = ML_ROLE_ADMIN,
};
