/* fuzz_import.c — libFuzzer harness for one importer, chosen when compiled
 * (-DFUZZ_SIRENE, -DFUZZ_UNITES, -DFUZZ_PROFILES or -DFUZZ_NETWORK): each
 * input is a file given to the real importer, with its rejects file, on a
 * real in-memory database holding the reference data and the fixtures.
 * Whatever the bytes: no crash, no leak, no undefined behaviour, one of the
 * errors an importer may give for bad input, and a database still usable. */
#include <unistd.h>

#include "core/core.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ml_ctx *ctx;
static ml_db *db;
static char input[64], rejects[64];

static void die(const char *what)
{
    fprintf(stderr, "fuzz_import: %s: %s\n", what, ctx ? ml_ctx_message(ctx) : "");
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ctx = ml_ctx_new();
    if (!ctx || ml_db_open(ctx, ":memory:", ML_DB_CREATE, &db) || ml_db_init(db)) die("init");
    const char *fixture = TESTS_DATA "/fixture_match.csv";
    ml_import_opts none = {0};
    if (ml_import_sirene(db, &fixture, 1, &none, NULL)) die("fixture");
    ml_snprintf(input, sizeof input, "/tmp/fuzz_import.XXXXXX");
    ml_snprintf(rejects, sizeof rejects, "/tmp/fuzz_import_rejects.XXXXXX");
    int fd = mkstemp(input), fr = mkstemp(rejects);
    if (fd < 0 || fr < 0) die("temporary files");
    close(fd);
    close(fr);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(input, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) die("write input");
    ml_import_opts opts = {.rejects_path = rejects};
    ml_import_stats st;
    const char *path = input;
#if defined(FUZZ_SIRENE)
    ml_err e = ml_import_sirene(db, &path, 1, &opts, &st);
#elif defined(FUZZ_UNITES)
    ml_err e = ml_import_unites(db, path, &opts, &st);
#elif defined(FUZZ_PROFILES)
    ml_err e = ml_import_profiles(db, path, &opts, &st);
#elif defined(FUZZ_NETWORK)
    ml_err e = ml_network_add(db, "fuzz", path, &opts, &st);
#else
#error "say which importer: -DFUZZ_SIRENE, -DFUZZ_UNITES, -DFUZZ_PROFILES or -DFUZZ_NETWORK"
#endif
    /* Bad input is ML_FORMAT (form), ML_LIMIT (size) or ML_IO (unreadable
     * archive); anything else is the program's fault. */
    if (e != ML_OK && e != ML_FORMAT && e != ML_LIMIT && e != ML_IO) die(ml_err_name(e));
    if (st.imported > st.rows || st.rejected > st.rows) die("counts");
    /* The database still answers. */
    uint64_t stamp;
    if (ml_db_data_stamp(db, &stamp) != ML_OK) die("the database no longer answers");
    return 0;
}
