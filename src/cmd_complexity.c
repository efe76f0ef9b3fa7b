/* cmd_complexity.c — `maillage complexity FILE`: relatedness and economic
 * complexity (RCA, presence, ECI, PCI, density, COI, COG) of any CSV of
 * location × activity × value, as the Atlas of Economic Complexity's
 * ecomplexity package defines them. */
#include <errno.h>
#include <unistd.h>

#include "cli.h"

static const cli_option options[] = {
    {.name = "location", .kind = CLI_TEXT, .value = "COL", .help = "the column of locations"},
    {.name = "activity", .kind = CLI_TEXT, .value = "COL", .help = "the column of activities"},
    {.name = "value",
     .kind = CLI_TEXT,
     .value = "COL",
     .help = "the column of values (numbers, 0 or more; a pair given twice is summed)"},
    {.name = "time",
     .kind = CLI_TEXT,
     .value = "COL",
     .help = "a column of periods: one computation per distinct value"},
    {.name = "rca-threshold",
     .kind = CLI_NUMBER,
     .value = "X",
     .min = 0.001,
     .max = 1000000,
     .help = "presence (mcp = 1) where RCA >= X (default 1)"},
    {.name = "out",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "write the CSV there (default: stdout)"},
    {.name = "by",
     .kind = CLI_CHOICE,
     .choices = "commune|epci",
     .help = "instead of a FILE: the database's active establishments by commune or EPCI\n"
             "and NAF class; prints the activities by complexity (PCI)"},
    {.name = "jobs",
     .kind = CLI_FLAG,
     .help = "with --by: estimated jobs (size-band midpoints) instead of establishments"},
    CLI_END_OPTIONS,
};

static int by_pci(const void *x, const void *y)
{
    const ml_complexity_activity *a = x, *b = y;
    if (a->has_pci != b->has_pci) return a->has_pci ? -1 : 1;
    if (a->pci != b->pci) return a->pci > b->pci ? -1 : 1;
    return strcmp(a->code, b->code);
}

/* --by: the database's table. What is printed is about activities (their
 * complexity across the country), never a figure about one place. */
static int run_db(cli *c, const char *by, bool jobs, double threshold)
{
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    ml_complexity *cx = NULL;
    ml_complexity_activity *acts = NULL;
    ml_err r = ml_complexity_from_db(
        db, strcmp(by, "epci") == 0 ? ML_COMPLEXITY_EPCI : ML_COMPLEXITY_COMMUNE,
        jobs ? ML_COMPLEXITY_JOBS : ML_COMPLEXITY_ESTABLISHMENTS, &cx);
    if (!r) r = ml_complexity_compute(cx, threshold);
    if (r) {
        rc = cli_error(c, r);
        goto out;
    }
    ml_complexity_info info;
    ml_complexity_summary(cx, &info);
    size_t na = info.activities;
    if (!(acts = calloc(na, sizeof *acts))) {
        cli_print_error("complexity", "out of memory");
        rc = CLI_FAIL;
        goto out;
    }
    for (size_t p = 0; p < na; p++)
        ml_complexity_activity_get(cx, p, &acts[p]);
    qsort(acts, na, sizeof *acts, by_pci);
    cli_printf(stdout,
               "active establishments by %s and NAF class, value: %s\n"
               "%zu %s, %zu NAF classes, %zu presences (RCA >= %g)\n",
               by, jobs ? "estimated jobs (size-band midpoints)" : "establishments", info.locations,
               strcmp(by, "epci") == 0 ? "EPCI" : "communes", na, info.present, threshold);
    if (!info.ranked) {
        cli_printf(stdout, "complexity not defined: fewer than two places or activities with "
                           "presence, or places all alike\n");
        goto out;
    }
    cli_printf(stdout,
               "second eigenvalue of Mpp %.6f\n\nNAF classes by complexity (PCI), "
               "most complex first\n  %-7s %8s %10s\n",
               info.eigenvalue, "class", "ubiquity", "pci");
    for (size_t p = 0; p < na; p++)
        if (acts[p].has_pci)
            cli_printf(stdout, "  %-7s %8u %10.4f\n", acts[p].code, acts[p].ubiquity, acts[p].pci);
        else
            cli_printf(stdout, "  %-7s %8u %10s\n", acts[p].code, acts[p].ubiquity, "-");
out:
    free(acts);
    ml_complexity_free(cx);
    ml_db_close(db);
    return rc;
}

static int run(cli *c, const cli_args *a)
{
    const char *by = cli_text(a, "by", NULL);
    if (by) {
        if (cli_arg(a, 0) || cli_text(a, "location", NULL) || cli_text(a, "activity", NULL) ||
            cli_text(a, "value", NULL) || cli_text(a, "time", NULL) || cli_text(a, "out", NULL))
            return cli_usage("complexity", "--by reads the database: no FILE, columns or --out");
        return run_db(c, by, cli_flag(a, "jobs"), cli_number(a, "rca-threshold", 1));
    }
    if (cli_flag(a, "jobs")) return cli_usage("complexity", "--jobs goes with --by");

    const char *path = cli_arg(a, 0), *out = cli_text(a, "out", NULL);
    ml_complexity_csv_opts o = {
        .location = cli_text(a, "location", NULL),
        .activity = cli_text(a, "activity", NULL),
        .value = cli_text(a, "value", NULL),
        .time = cli_text(a, "time", NULL),
        .rca_threshold = cli_number(a, "rca-threshold", 1),
    };
    if (!path) return cli_usage("complexity", "give the CSV file to read");
    if (!o.location || !o.activity || !o.value)
        return cli_usage("complexity",
                         "--location, --activity and --value name the columns to read");
    /* The results go to a temporary file beside --out, renamed at the end:
     * a failure never leaves half a file under the name asked for. */
    char tmp[4096];
    FILE *f = stdout;
    if (out) {
        if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", out) >= (int)sizeof tmp)
            return cli_usage("complexity", "--out: path too long");
        int fd = mkstemp(tmp);
        if (fd < 0 || !(f = fdopen(fd, "w"))) {
            cli_print_error("complexity", "%s: cannot write: %s", out, strerror(errno));
            if (fd >= 0) close(fd), unlink(tmp);
            return CLI_FAIL;
        }
    }
    ml_complexity_csv_stats st;
    ml_err r = ml_complexity_csv(c->ctx, path, &o, f, &st);
    int rc = r ? cli_error(c, r) : CLI_OK;
    if (out) {
        if (fclose(f) != 0 && !rc) {
            cli_print_error("complexity", "%s: cannot write: %s", out, strerror(errno));
            rc = CLI_FAIL;
        }
        if (!rc && rename(tmp, out) != 0) {
            cli_print_error("complexity", "%s: cannot write: %s", out, strerror(errno));
            rc = CLI_FAIL;
        }
        if (rc) unlink(tmp);
    } else if (fflush(stdout) != 0 && !rc) {
        cli_print_error("complexity", "cannot write the results: %s", strerror(errno));
        rc = CLI_FAIL;
    }
    if (rc) return rc;
    /* What was done, on stderr: stdout may be the CSV. */
    cli_printf(stderr, "%llu rows read, %zu table%s, %llu cells written%s%s\n",
               (unsigned long long)st.rows, st.tables, st.tables == 1 ? "" : "s",
               (unsigned long long)st.written, out ? " to " : "", out ? out : "");
    if (st.left_out_locations || st.left_out_activities)
        cli_printf(stderr, "left out (all their values are 0): %zu location%s, %zu activit%s\n",
                   st.left_out_locations, st.left_out_locations == 1 ? "" : "s",
                   st.left_out_activities, st.left_out_activities == 1 ? "y" : "ies");
    if (st.unranked)
        cli_printf(stderr,
                   "eci, pci, coi and cog left empty in %zu table%s: fewer than two locations "
                   "or activities with presence, or locations all alike\n",
                   st.unranked, st.unranked == 1 ? "" : "s");
    return CLI_OK;
}

const cli_command cmd_complexity = {
    .name = "complexity",
    .usage = "FILE --location COL --activity COL --value COL [--time COL] [--rca-threshold X] "
             "[--out FILE] | --by commune|epci [--jobs]",
    .summary = "relatedness and economic complexity of any location × activity CSV",
    .help = "  FILE         a CSV (',' between cells; .csv.gz and .zip too) with a header\n"
            "\n"
            "Writes one row per location × activity of each table (time, location, activity,\n"
            "value, rca, mcp, diversity, ubiquity, eci, pci, density, coi, cog) as the Atlas\n"
            "of Economic Complexity's ecomplexity package defines them (docs/methods.md).\n"
            "Locations and activities whose values are all 0 are left out; a figure that is\n"
            "not defined is an empty cell.\n",
    .options = options,
    .max_args = 1,
    .run = run,
};
