/* fuzz_complexity.c — libFuzzer harness for `maillage complexity FILE`: each
 * input is a CSV given to ml_complexity_csv (columns l, a, v and the time
 * column t when the header has one), its output parsed back. Whatever the
 * bytes: no crash, no leak, no undefined behaviour, one of the errors bad
 * input may give, and no NaN or infinity ever written. */
#include <unistd.h>

#include "core/core.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ml_ctx *ctx;
static char input[64];

static void die(const char *what)
{
    fprintf(stderr, "fuzz_complexity: %s: %s\n", what, ctx ? ml_ctx_message(ctx) : "");
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ctx = ml_ctx_new();
    ml_snprintf(input, sizeof input, "/tmp/fuzz_complexity.XXXXXX");
    int fd = mkstemp(input);
    if (!ctx || fd < 0) die("init");
    close(fd);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(input, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) die("write input");
    /* With a time column when the first line names one. */
    const void *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)((const uint8_t *)nl - data) : size;
    bool timed = memmem(data, head, ",t", 2) != NULL;
    ml_complexity_csv_opts o = {.location = "l",
                                .activity = "a",
                                .value = "v",
                                .time = timed ? "t" : NULL,
                                .rca_threshold = size % 3 == 0 ? 1.5 : 1};
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) die("memstream");
    ml_complexity_csv_stats st;
    ml_err e = ml_complexity_csv(ctx, input, &o, out, &st);
    fclose(out);
    if (e != ML_OK && e != ML_FORMAT && e != ML_LIMIT && e != ML_IO && e != ML_INVALID)
        die(ml_err_name(e));
    if (e == ML_OK) {
        /* Below the header, outside quoted names, no nan or inf: walk the
         * unquoted cells. */
        bool quoted = false;
        const char *body = memchr(text, '\n', len);
        if (!body) die("no header");
        for (size_t i = (size_t)(body - text); i < len; i++) {
            if (text[i] == '"') quoted = !quoted;
            if (!quoted && (text[i] == 'n' || text[i] == 'i' || text[i] == 'N' || text[i] == 'I'))
                die("a number that is not finite");
        }
        if (st.written == 0) die("nothing written");
    }
    free(text);
    return 0;
}
