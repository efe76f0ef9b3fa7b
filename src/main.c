/* main.c — maillage's entry point: global options, then one row of the
 * subcommand table. `maillage --help` is generated from that table. */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const cli_command cli_commands[] = {
    {"init", cmd_init, "", "create or update a database with the reference data",
     "Loads communes, EPCI, départements, régions, NAF rév. 2 and INSEE's input-output\n"
     "tables from the data directory ($MAILLAGE_DATA or the shipped data/).\n"},
    {"import", cmd_import, "sirene|unites|profiles FILE... [--rejects FILE] [--quiet]",
     "import SIRENE establishments, legal units, or company profiles",
     "  sirene FILE...   StockEtablissement files (.csv, .csv.gz, .zip; geo variants)\n"
     "  unites FILE      StockUniteLegale file (names, PME/ETI/GE category, legal form)\n"
     "  profiles FILE    CSV: siret,offers,needs,labels,innovations,website\n"
     "                   (labels separated by ';'; see docs/guide.md)\n"
     "  --rejects FILE   where rejected rows go (default: FILE.rejects.csv next to the db)\n"
     "  --quiet          no progress bar\n"},
    {"search", cmd_search, "QUERY [filters] [--json] [--csv FILE] [--xlsx FILE]",
     "find establishments by name, trade, place, SIRET or postcode",
     "  QUERY             words (trade words like usinage stand for their NAF codes),\n"
     "                    a SIRET or SIREN (spaces allowed), or a postcode (13100)\n"
     "  --commune C       a commune: INSEE code, postcode or name (\"Aix-en-Provence\")\n"
     "  --epci E --dep D --region R   code or name (\"Bouches-du-Rhône\")\n"
     "  --naf N           any NAF level (25.62A 25.62 25.6 25 C, A10/A38/A64/A129 codes),\n"
     "                    a NAF label or a trade word of the vocabulary (chaudronnerie)\n"
     "  --size-min BAND   minimum size band (trancheEffectifs code, e.g. 11 = 10-19)\n"
     "  --active          only open establishments\n"
     "  --facets          counts by département, section and size\n"
     "  --prefix          the last word may be the start of a longer one (méca)\n"
     "  --limit N (20) --offset N --json\n"
     "  --csv FILE [--plain] --xlsx FILE   the results as files (the first 10,000):\n"
     "                    CSV for a French spreadsheet (--plain: ',' and '.'), Excel\n"},
    {"suggest", cmd_suggest, "commune|epci|departement|region|naf TEXT [--limit N] [--json]",
     "names and codes that match a text: what the filter boxes suggest",
     "  commune TEXT      by name, INSEE code or postcode (biggest first)\n"
     "  epci|departement|region TEXT   by name or code\n"
     "  naf TEXT          NAF codes by prefix, labels and trade words\n"
     "  --limit N         at most N (default 10, at most 50)\n"
     "  --json\n"},
    {"vocabulary", cmd_vocabulary,
     "import FILE [--rejects FILE] | list [--json] | show WORDS [--json]",
     "your own trade words for searches, and what a word stands for",
     "  import FILE       a CSV with the columns term, naf (NAF codes of any level,\n"
     "                    separated by spaces) and note; it replaces your previous\n"
     "                    vocabulary (the shipped one stays; `init` keeps yours)\n"
     "  list              your vocabulary\n"
     "  show WORDS        the NAF sub-classes a word or phrase stands for, and why\n"},
    {"show", cmd_show, "SIRET [--json]", "one establishment, its company, sector and territory",
     "  --json   machine-readable output\n"},
    {"territory", cmd_territory, "CODE [--csv FILE [--plain]] [--xlsx FILE] [--json]",
     "summary of a commune, EPCI, département, région",
     "  CODE         13055 (commune), 200054807 (EPCI), 13 (département), reg:93 (région), FR\n"
     "  --csv FILE   write the key figures as CSV for a French spreadsheet (BOM, ';', comma)\n"
     "  --plain      with --csv: CSV for programs (',' and '.', no BOM)\n"
     "  --xlsx FILE  write an Excel workbook: key figures, sectors, sizes, communes, sources\n"
     "  --json\n"},
    {"match", cmd_match,
     "SIRET [--suppliers|--customers] [--radius KM] [--limit N] [--per-input N] [--json]",
     "suggested local suppliers or customers, each with its reasons",
     "  --suppliers       who could sell to this establishment (default)\n"
     "  --customers       who could buy from it\n"
     "  --radius KM       only partners within KM km (default 5 distance scales: 150 km)\n"
     "  --scale KM        distance decay scale (default 30 km; see docs/methods.md)\n"
     "  --limit N         suggestions wanted (default 20, at most 500)\n"
     "  --per-input N     at most N firms of one NAF class, i.e. of one thing bought (default 3)\n"
     "  --all-inputs      also what every firm buys (banks, rent, head office, trade margins)\n"
     "  --lang fr|en      language of the reasons in text output (default en)\n"
     "  --brute-force     score every establishment (the reference engine; slow)\n"
     "  --json\n"},
    {"verdict", cmd_verdict,
     "SUPPLIER_SIRET BUYER_SIRET accept|reject|note|withdraw [--note TEXT] [--by NAME]",
     "record a verdict on a suggested pair (a rejected pair is never proposed again)",
     "  accept   a known link: listed by `maillage links`\n"
     "  reject   never proposed again, in either direction\n"
     "  note     a remark (--note TEXT is required)\n"
     "  withdraw undo the pair's accept or reject (the history is kept)\n"
     "  --by NAME who says so (default $USER)\n"},
    {"links", cmd_links, "SIRET [--json]",
     "known links, rejected pairs and notes of an establishment", "  --json\n"},
    {"group", cmd_group, "add NAME FILE [--rejects FILE] | list [--json]",
     "networks: named lists of SIRET (laureates, cluster members)",
     "  add NAME FILE     add the SIRETs of FILE (a CSV with a siret column, or one\n"
     "                    SIRET per line) to the network NAME, creating it if needed\n"
     "  list              the networks and their sizes\n"},
    {"network", cmd_network, "NAME [--limit N] [--csv FILE [--plain]] [--xlsx FILE] [--json]",
     "best supplier/customer pairs inside a network, and its best outside partners",
     "  --limit N         pairs and outside partners listed (default 50)\n"
     "  --scale KM        distance decay scale (default 30 km)\n"
     "  --csv FILE        write the pairs as CSV for a French spreadsheet (UTF-8 with BOM,\n"
     "                    ';' between cells, decimal comma)\n"
     "  --plain           with --csv: CSV for programs (',' and '.', no BOM)\n"
     "  --xlsx FILE       write an Excel workbook: pairs, outside partners, method\n"
     "  --json\n"},
    {"bridges", cmd_bridges, "NAME | --territory CODE [--limit N] [--json]",
     "cross-sector bridges in a network or a territory: shared technologies, needs, trade links",
     "  NAME             a network (maillage group list)\n"
     "  --territory CODE a commune, EPCI, département, reg:CODE: among its establishments\n"
     "                   that have a profile (maillage import profiles)\n"
     "  --limit N        bridges listed (default 50)\n  --json\n"},
    {"serve", cmd_serve,
     "[--port 8080] [--bind 127.0.0.1] [--tiles URL] [--threads N] [--allow-origin ORIGIN] "
     "[--allow-host NAME] [--quiet]",
     "the web UI and the JSON API (/api/v1, OpenAPI at /api/v1/openapi.json)",
     "  --port N      TCP port (default 8080; 0 picks a free one, printed at start)\n"
     "  --bind ADDR   IPv4 address to listen on (default 127.0.0.1: this machine only;\n"
     "                another address is accepted with a warning: there are no accounts)\n"
     "  --allow-host NAME    a host name to answer for besides localhost and IP\n"
     "                addresses (repeatable; others get 421: DNS rebinding)\n"
     "  --allow-origin ORIGIN  an origin (https://carto.example.org) whose pages may\n"
     "                record verdicts besides the server's own, e.g. a reverse proxy\n"
     "  --tiles URL   map tile server, e.g. https://tile.example/{z}/{x}/{y}.png (default\n"
     "                $MAILLAGE_TILES, else none: the offline base map shipped in web/)\n"
     "  --threads N   worker threads (default 4)\n"
     "  --quiet       no access log on stderr\n"
     "Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.\n"},
    {"demo", cmd_demo, "--territory CODE --out DIR [--size N] [--seed S] [--json]",
     "write synthetic SIRENE-format files for a real territory",
     "  --territory CODE  EPCI, département or reg:CODE (default 200054807, Aix-Marseille)\n"
     "  --out DIR         output folder\n"
     "  --size N          establishments (default: in proportion to population)\n"
     "  --seed S          same seed, same files (default 1)\n"
     "Every generated company is named \"DÉMO …\" and flagged as generated.\n"},
    {"info", cmd_info, "[--json]", "what the database holds", "  --json\n"},
};
const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

static void print_usage(FILE *f)
{
    fprintf(f,
            "maillage %s — the industrial web of a French territory\n\n"
            "usage: maillage [--db PATH] COMMAND [ARGS]\n\n"
            "commands:\n",
            ML_VERSION);
    for (size_t i = 0; i < cli_ncommands; i++)
        fprintf(f, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
    fprintf(f, "\noptions:\n"
               "  --db PATH     database file (default $MAILLAGE_DB, else maillage.db)\n"
               "  --version     print the version\n"
               "  --help        this help; `maillage COMMAND --help` for a command\n"
               "\nexit status: 0 success, 1 failure, 2 usage error\n");
}

int main(int argc, char **argv)
{
    cli c = {.prog = "maillage"};
    const char *env = getenv("MAILLAGE_DB");
    c.db_path = env && *env ? env : "maillage.db";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            if (++i >= argc) return cli_usage(NULL, "--db needs a path");
            c.db_path = argv[i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            c.db_path = argv[i] + 5;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_usage(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("maillage %s\n", ML_VERSION);
            return CLI_OK;
        } else {
            return cli_usage(NULL, "unknown option '%s'", argv[i]);
        }
    }
    if (i >= argc) {
        print_usage(stderr);
        return CLI_USAGE;
    }
    const cli_command *cmd = NULL;
    for (size_t k = 0; k < cli_ncommands; k++)
        if (strcmp(argv[i], cli_commands[k].name) == 0) cmd = &cli_commands[k];
    if (!cmd) return cli_usage(NULL, "unknown command '%s' (see maillage --help)", argv[i]);
    if (cli_wants_help(argc - i, argv + i)) {
        cli_print_help(stdout, cmd);
        return CLI_OK;
    }
    c.ctx = ml_ctx_new();
    if (!c.ctx) {
        fputs("maillage: out of memory\n", stderr);
        return CLI_FAIL;
    }
    ml_ctx_set_log(c.ctx, cli_log, NULL);
    int rc = cmd->run(&c, argc - i, argv + i);
    ml_ctx_free(c.ctx);
    return rc;
}
