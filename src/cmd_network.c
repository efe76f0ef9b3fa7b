/* cmd_network.c — `maillage group add|list` (networks as lists of SIRET) and
 * `maillage network NAME`: the best pairs inside a network, exports. */
#include "cli.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

int cmd_group(cli *c, int argc, char **argv)
{
    if (argc < 2) return cli_usage("group", "say what to do: add or list");
    ml_db *db = NULL;
    int rc;
    if (strcmp(argv[1], "list") == 0) {
        bool json = argc == 3 && strcmp(argv[2], "--json") == 0;
        if (argc > 2 && !json) return cli_usage("group", "unexpected argument '%s'", argv[2]);
        if ((rc = cli_open_db(c, ML_DB_READONLY, &db))) return rc;
        json_t *list = NULL;
        ml_err r = ml_network_list(db, &list);
        if (r)
            rc = cli_error(c, r);
        else if (json)
            cli_print_json(list);
        else {
            size_t i;
            json_t *v;
            json_array_foreach(list, i, v) cli_printf(
                stdout, "%-40s %6lld members  (created %s)\n", str(v, "name"),
                (long long)json_integer_value(json_object_get(v, "members")), str(v, "created"));
            if (!json_array_size(list))
                cli_printf(stdout, "no network yet: maillage group add NAME FILE\n");
        }
        json_decref(list);
        ml_db_close(db);
        return rc;
    }
    if (strcmp(argv[1], "add") != 0)
        return cli_usage("group", "unknown action '%s' (expected add or list)", argv[1]);
    const char *name = NULL, *file = NULL, *rejects = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--rejects") == 0 && i + 1 < argc)
            rejects = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage("group", "unknown option '%s'", argv[i]);
        else if (!name)
            name = argv[i];
        else if (!file)
            file = argv[i];
        else
            return cli_usage("group", "unexpected argument '%s'", argv[i]);
    }
    if (!name || !file) return cli_usage("group", "give a NAME and a FILE of SIRET");
    char def[4096];
    if (!rejects) {
        snprintf(def, sizeof def, "%s.rejects.csv", c->db_path);
        rejects = def;
    }
    if ((rc = cli_open_db(c, 0, &db))) return rc;
    ml_import_opts o = {.rejects_path = rejects};
    ml_import_stats st;
    ml_err r = ml_network_add(db, name, file, &o, &st);
    if (r)
        rc = cli_error(c, r);
    else {
        cli_printf(stdout, "network \"%s\": %llu lines read, %llu members added, %llu rejected\n",
                   name, (unsigned long long)st.rows, (unsigned long long)st.imported,
                   (unsigned long long)st.rejected);
        if (st.rejected)
            cli_printf(stdout, "  rejected lines are in %s; first: %s\n", rejects, st.first_reject);
    }
    ml_db_close(db);
    return rc;
}

typedef struct net_args {
    const char *name;
    const ml_network_opts *opts;
    bool territory; /* name is a territory code */
} net_args;

static ml_err run_report(ml_db *db, const ml_snapshot *snap, void *ud, json_t **out)
{
    const net_args *a = ud;
    return ml_network_report(db, snap, a->name, a->opts, out);
}

static ml_err run_bridges(ml_db *db, const ml_snapshot *snap, void *ud, json_t **out)
{
    const net_args *a = ud;
    if (a->territory) return ml_bridges_territory(db, snap, a->name, a->opts, out);
    return ml_bridges(db, snap, a->name, a->opts, out);
}

int cmd_network(cli *c, int argc, char **argv)
{
    const char *name = NULL, *csv = NULL, *xlsx = NULL;
    bool plain = false;
    bool json = false;
    ml_network_opts o = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool val = i + 1 < argc;
        if (strcmp(a, "--json") == 0)
            json = true;
        else if (strcmp(a, "--csv") == 0 && val)
            csv = argv[++i];
        else if (strcmp(a, "--xlsx") == 0 && val)
            xlsx = argv[++i];
        else if (strcmp(a, "--plain") == 0)
            plain = true;
        else if ((strcmp(a, "--limit") == 0 || strcmp(a, "--scale") == 0) && val) {
            char *end = NULL;
            double d = strtod(argv[++i], &end);
            bool lim = a[2] == 'l';
            if (*end || !(d >= 1) || d > (lim ? 1000 : 1000))
                return cli_usage("network", "%s expects a number from 1 to 1000", a);
            if (lim)
                o.limit = (unsigned)d;
            else
                o.scale_km = d;
        } else if (a[0] == '-')
            return cli_usage("network", "unknown or incomplete option '%s'", a);
        else if (!name)
            name = a;
        else
            return cli_usage("network", "unexpected argument '%s'", a);
    }
    if (!name) return cli_usage("network", "give the network's NAME (see maillage group list)");
    net_args a = {name, &o, false};
    json_t *rep = NULL;
    int rc = cli_with_snapshot(c, run_report, &a, &rep);
    ml_err r = ML_OK;
    if (!rc && csv)
        r = ml_export_network(c->ctx, rep, plain ? ML_EXPORT_CSV_PLAIN : ML_EXPORT_CSV, csv);
    if (!rc && !r && xlsx) r = ml_export_network(c->ctx, rep, ML_EXPORT_XLSX, xlsx);
    if (r) {
        rc = cli_error(c, r);
    } else if (rc) {
        /* the error is printed */
    } else if (json) {
        cli_print_json(rep);
    } else {
        cli_printf(stdout, "network \"%s\": %lld members, %lld active and placed\n", name,
                   (long long)json_integer_value(json_object_get(rep, "members")),
                   (long long)json_integer_value(json_object_get(rep, "members_placed")));
        cli_printf(stdout, "\nbest pairs inside the network (each pair once, both directions):\n");
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(rep, "pairs"), i, v)
        {
            json_t *pa = json_object_get(v, "a"), *pb = json_object_get(v, "b");
            cli_printf(stdout, "%3zu. %s (%s) <-> %s (%s)  score %.4f\n", i + 1, str(pa, "name"),
                       str(pa, "siret"), str(pb, "name"), str(pb, "siret"),
                       json_number_value(json_object_get(v, "score")));
            json_t *ab = json_object_get(v, "a_to_b"), *ba = json_object_get(v, "b_to_a");
            if (json_is_object(ab))
                cli_printf(stdout, "     A supplies B: %s\n", str(ab, "reason_en"));
            if (json_is_object(ba))
                cli_printf(stdout, "     B supplies A: %s\n", str(ba, "reason_en"));
        }
        static const char *const keys[] = {"outside_suppliers", "outside_customers"};
        static const char *const titles[] = {"best suppliers outside the network",
                                             "best customers outside the network"};
        for (int k = 0; k < 2; k++) {
            cli_printf(stdout, "\n%s:\n", titles[k]);
            json_array_foreach(json_object_get(rep, keys[k]), i, v)
            {
                if (i == 10) {
                    cli_printf(stdout, "  … (--json or --xlsx for all)\n");
                    break;
                }
                json_t *in = json_object_get(v, "input");
                cli_printf(stdout, "%3zu. %s (%s), %s — %s %s — serves %lld member(s)\n     %s\n",
                           i + 1, str(v, "name"), str(v, "siret"),
                           str(json_object_get(v, "commune"), "name"), str(in, "code"),
                           str(in, "label_en"),
                           (long long)json_integer_value(json_object_get(v, "members_served")),
                           str(v, "reason_en"));
            }
        }
        if (csv) cli_printf(stdout, "\npairs written to %s\n", csv);
        if (xlsx) cli_printf(stdout, "workbook written to %s\n", xlsx);
    }
    json_decref(rep);
    return rc;
}

int cmd_bridges(cli *c, int argc, char **argv)
{
    bool json = false, territory = false;
    const char *name = NULL;
    ml_network_opts o = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
            char *end = NULL;
            unsigned long n = strtoul(argv[++i], &end, 10);
            if (*end || n < 1 || n > 1000) return cli_usage("bridges", "--limit expects 1 to 1000");
            o.limit = (unsigned)n;
        } else if (strcmp(argv[i], "--territory") == 0 && i + 1 < argc && !name) {
            name = argv[++i];
            territory = true;
        } else if (argv[i][0] == '-')
            return cli_usage("bridges", "unknown option '%s'", argv[i]);
        else if (!name)
            name = argv[i];
        else
            return cli_usage("bridges", "unexpected argument '%s'", argv[i]);
    }
    if (!name) return cli_usage("bridges", "give the network's NAME, or --territory CODE");
    net_args args = {name, &o, territory};
    json_t *res = NULL;
    int rc = cli_with_snapshot(c, run_bridges, &args, &res);
    if (rc) {
        /* the error is printed */
    } else if (json) {
        cli_print_json(res);
    } else {
        cli_printf(stdout, "cross-sector bridges in %s \"%s\":\n",
                   territory ? "territory" : "network", name);
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(res, "bridges"), i, v)
        {
            json_t *a = json_object_get(v, "a"), *b = json_object_get(v, "b");
            cli_printf(stdout, "%3zu. %s (%s) × %s (%s)\n     %s\n", i + 1, str(a, "name"),
                       str(a, "siret"), str(b, "name"), str(b, "siret"), str(v, "reason_en"));
        }
        if (!json_array_size(json_object_get(res, "bridges"))) cli_printf(stdout, "  none found\n");
    }
    json_decref(res);
    return rc;
}
