/* fuzz_schedule.c — libFuzzer harness for `maillage schedule`'s reading and
 * solving: each input is cut at its first "~~\n" into a participants file
 * and a requests file (the rest of the input, when there is no cut, is both),
 * given to ml_schedule_run with 6 slots and 3 tables. Whatever the bytes: no
 * crash, no leak, no undefined behaviour; bad files are ML_FORMAT, ML_LIMIT
 * or ML_IO with a message; a schedule that comes back passed the checker
 * inside the call (a refusal there, ML_ERROR, would be a bug: abort). */
#include <unistd.h>

#include "core/core.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ml_ctx *ctx;
static char pfile[64], rfile[64];

static void die(const char *what)
{
    fprintf(stderr, "fuzz_schedule: %s: %s\n", what, ctx ? ml_ctx_message(ctx) : "");
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ctx = ml_ctx_new();
    ml_snprintf(pfile, sizeof pfile, "/tmp/fuzz_schedule_p.XXXXXX");
    ml_snprintf(rfile, sizeof rfile, "/tmp/fuzz_schedule_r.XXXXXX");
    int fp = mkstemp(pfile), fr = mkstemp(rfile);
    if (!ctx || fp < 0 || fr < 0) die("init");
    close(fp);
    close(fr);
    return 0;
}

static void put(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) die("write input");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cut = size, rest = 0;
    for (size_t i = 0; i + 3 <= size; i++)
        if (data[i] == '~' && data[i + 1] == '~' && data[i + 2] == '\n') {
            cut = i, rest = i + 3;
            break;
        }
    put(pfile, data, cut);
    if (rest) put(rfile, data + rest, size - rest);
    else put(rfile, data, size);
    ml_schedule_opts o = {.participants = pfile, .requests = rfile, .slots = 6, .tables = 3,
                          .effort = 20000};
    ml_schedule *s = NULL;
    ml_err e = ml_schedule_run(ctx, &o, &s);
    if (e == ML_OK) {
        json_t *rep = NULL;
        if (!s || ml_schedule_report(ctx, s, &rep)) die("report");
        json_decref(rep);
        ml_schedule_free(s);
    } else if (e != ML_FORMAT && e != ML_LIMIT && e != ML_IO) {
        die("unexpected error");
    } else if (!*ml_ctx_message(ctx)) {
        die("an error without a message");
    }
    return 0;
}
