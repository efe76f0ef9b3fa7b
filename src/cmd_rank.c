/* cmd_rank.c — `maillage rank CRITERIA_FILE --among CODE`: territories ranked
 * on the user's criteria, each score broken down. */
#include <math.h>

#include "cli.h"

static const cli_option options[] = {
    {.name = "among",
     .kind = CLI_TEXT,
     .value = "CODE",
     .help = "the territories ranked: a département or reg:CODE (their EPCI), an EPCI\n"
             "(its communes), ti (the Territoires d'industrie)"},
    {.name = "top",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 2000,
     .help = "show the first N (default 20)"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    const char *file = cli_arg(a, 0), *among = cli_text(a, "among", NULL);
    if (!file) return cli_usage("rank", "give a file of criteria");
    if (!among) return cli_usage("rank", "say which territories to rank with --among");
    long top = (long)cli_number(a, "top", 20);
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *o = NULL;
    ml_err r = ml_territory_rank(db, file, NULL, among, &o);
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(o);
    } else {
        json_t *crit = json_object_get(o, "criteria");
        size_t i, k;
        json_t *v, *w;
        cli_printf(stdout, "criteria:\n");
        json_array_foreach(crit, i, v)
            cli_printf(stdout, "  %-30s weight %5.1f (%4.1f%%), %s is better, %s\n",
                       json_string_value(json_object_get(v, "indicator")),
                       json_number_value(json_object_get(v, "weight")),
                       100 * json_number_value(json_object_get(v, "share")),
                       json_string_value(json_object_get(v, "direction")),
                       json_string_value(json_object_get(v, "normalisation")));
        cli_printf(stdout, "\n rank  score  territory\n");
        json_array_foreach(json_object_get(o, "territories"), i, v)
        {
            if ((long)i >= top) break;
            json_t *t = json_object_get(v, "territory"), *sc = json_object_get(v, "score");
            json_t *tis = json_object_get(v, "territoires_industrie");
            char score[16];
            if (json_is_number(sc))
                snprintf(score, sizeof score, "%5.3f", json_number_value(sc));
            else
                snprintf(score, sizeof score, "    -");
            char ti[64] = "";
            if (json_array_size(tis))
                snprintf(ti, sizeof ti, "  [Territoire d'industrie %s]",
                         json_string_value(json_array_get(tis, 0)));
            cli_printf(stdout, "%5lld  %s  %s %s%s%s\n",
                       (long long)json_integer_value(json_object_get(v, "rank")), score,
                       json_string_value(json_object_get(t, "code")),
                       json_string_value(json_object_get(t, "name")), ti,
                       json_is_number(sc) ? "" : "  (no establishment in the database)");
            json_array_foreach(json_object_get(v, "values"), k, w)
            {
                json_t *val = json_object_get(w, "value");
                char value[32];
                if (json_is_number(val))
                    snprintf(value, sizeof value, "%.6g", json_number_value(val));
                else
                    snprintf(value, sizeof value, "<3 or none");
                cli_printf(stdout, "               %-30s %12s  -> %5.3f (+%5.3f)\n",
                           json_string_value(json_object_get(w, "indicator")), value,
                           json_number_value(json_object_get(w, "normalised")),
                           json_number_value(json_object_get(w, "contribution")));
            }
        }
        long long with = (long long)json_integer_value(json_object_get(o, "with_data"));
        long long all = (long long)json_array_size(json_object_get(o, "territories"));
        if (with < all)
            cli_printf(stdout,
                       "\nonly %lld of the %lld territories have establishments in the database: "
                       "the others are ranked last (import their SIRENE stock)\n",
                       with, all);
        json_t *ti = json_object_get(o, "territoires_industrie");
        if (ti && json_integer_value(json_object_get(ti, "in_all")) > 0)
            cli_printf(stdout,
                       "\nTerritoires d'industrie: %lld of the %lld territories ranked belong to "
                       "one; %lld of the first %lld do\n",
                       (long long)json_integer_value(json_object_get(ti, "in_all")),
                       (long long)json_array_size(json_object_get(o, "territories")),
                       (long long)json_integer_value(json_object_get(ti, "in_top")),
                       (long long)json_integer_value(json_object_get(ti, "top")));
    }
    json_decref(o);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_rank = {
    .name = "rank",
    .usage = "CRITERIA_FILE --among CODE [--top N] [--json]",
    .summary = "rank territories on criteria you choose and weigh",
    .help = "  CRITERIA_FILE  CSV: indicator,weight,direction (higher|lower),normalisation\n"
            "                 (minmax|zscore|rank); data/examples/rank_territoires_industrie.csv\n"
            "                 is a Territoires d'industrie-style selection. Indicators:\n"
            "                 establishments, employers, jobs, population,\n"
            "                 industry_establishments, industry_jobs, industry_jobs_share,\n"
            "                 industry_establishments_share, industry_specialisation,\n"
            "                 creation_rate, net_creation_rate, diversity, hhi, top5_share,\n"
            "                 sme_jobs_share (docs/methods.md, Rankings)\n",
    .options = options,
    .max_args = 1,
    .run = run,
};
