#!/bin/sh
# fuzz.sh SECONDS — builds the CSV reader's libFuzzer harness and runs it for
# SECONDS seconds (default 60); exits non-zero when the fuzzer finds a crash.
set -eu

seconds=${1:-60}
cd "$(dirname "$0")/.."

out=build/fuzz
corpus=$out/corpus_csv
mkdir -p "$out" "$corpus"

clang -std=c17 -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla -Werror \
    -Iinclude -Ilib -D_GNU_SOURCE -DML_DATADIR='"data"' -I/usr/include/x86_64-linux-gnu \
    tests/fuzz/fuzz_csv.c lib/core/core.c lib/ingest/csv.c \
    -o "$out/fuzz_csv" -lcsv -larchive -ljansson

# A few seeds covering the shapes the reader must handle.
printf 'siren,nom\n123456789,ACME\n' >"$corpus/seed_simple"
printf '\357\273\277a,b\r\n"x, ""y""",2\r\n\r\n' >"$corpus/seed_bom_crlf"
printf 'h\n"multi\nline\r\nfield",z\n\n\nlast' >"$corpus/seed_multiline"
printf ';a;b\r1;"2;3"\r' >"$corpus/seed_semicolon_cr"
printf 'h\n"never closed\n' >"$corpus/seed_unclosed"

echo "fuzz_csv: running for ${seconds}s"
"$out/fuzz_csv" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix="$out/" "$corpus"
