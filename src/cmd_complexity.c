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
     .min = 0.000001,
     .max = 1000000,
     .help = "presence (mcp = 1) where RCA >= X (default 1)"},
    {.name = "out", .kind = CLI_TEXT, .value = "FILE", .help = "write the CSV there (default: stdout)"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
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
        return cli_usage("complexity", "--location, --activity and --value name the columns to read");
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
        cli_printf(stderr,
                   "left out (all their values are 0): %zu location%s, %zu activit%s\n",
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
             "[--out FILE]",
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
