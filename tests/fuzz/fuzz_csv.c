/* fuzz_csv.c — libFuzzer harness for the CSV reader: any bytes, small limits,
 * with and without recovery from unbalanced quotes; every delivered field is
 * read in full and checked against its length, lines only go forward. */
#include "ingest/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fuzz_state {
    const ml_csv_limits *limits;
    uint64_t rows;
    uint64_t last_line;
} fuzz_state;

static int check_row(void *ud, const ml_csv_row *row)
{
    fuzz_state *st = ud;
    size_t total = 0;
    unsigned sum = 0;
    if ((row->nfields == 0 && !row->broken) || row->nfields > st->limits->max_fields) abort();
    if (row->broken && !st->limits->recover) abort();
    if (row->index != st->rows || row->line <= st->last_line) abort();
    for (size_t i = 0; i < row->nfields; i++) {
        if (row->lens[i] > st->limits->max_field) abort();
        /* Touch every byte so ASan sees any read past the field. */
        for (size_t j = 0; j < row->lens[i]; j++)
            sum += (unsigned char)row->fields[i][j];
        if (row->fields[i][row->lens[i]] != '\0') abort();
        total += row->lens[i];
    }
    if (total > st->limits->max_row) abort();
    st->rows++;
    st->last_line = row->line;
    /* Stop now and then to cover the interrupted path. */
    return sum % 251 == 7;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ml_csv_limits limits = {.max_field = 1024, .max_fields = 64, .max_row = 8192};
    if (size && data[0] == ';') limits.delimiter = ';';
    limits.recover = size && (data[size - 1] & 1);
    fuzz_state st = {.limits = &limits};
    ml_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ml_err err = ml_csv_parse_buffer(&ctx, "fuzz.csv", data, size, &limits, check_row, &st);
    if (err != ML_OK && err != ML_LIMIT && err != ML_FORMAT && err != ML_INTERRUPTED) abort();
    if (err == ML_FORMAT && st.rows != 0) abort();
    return 0;
}
