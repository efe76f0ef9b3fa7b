#!/usr/bin/env bash
# search.sh — search latency over a database of ROWS GENERATED establishments
# (built once and cached in build/bench), measured by bench/search.c.
# Usage: bench/search.sh [ROWS=5000000] [QUERIES=1000]
set -euo pipefail

ROWS=${1:-5000000}
QUERIES=${2:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build/maillage
LIBA=$ROOT/build/libmaillage.a
WORK=$ROOT/build/bench
STEP_TIMEOUT=${STEP_TIMEOUT:-1800} # seconds; no single step may run longer
SEED=7
DB=$WORK/search-s$SEED-n$ROWS.db
GEN=$WORK/gen-s$SEED-n$ROWS
PROG=$WORK/search-bench

case $ROWS in '' | *[!0-9]*) echo "search.sh: ROWS must be a number" >&2; exit 2 ;; esac
[ -x "$BIN" ] && [ -f "$LIBA" ] || { echo "search.sh: build first (make)" >&2; exit 1; }
mkdir -p "$WORK"

if [ ! -s "$DB" ]; then
    echo "== building $DB (GENERATED data, seed $SEED, $ROWS establishments)"
    if [ ! -s "$GEN/StockEtablissement_utf8.csv" ]; then
        [ -s "$WORK/ref.db" ] || timeout "$STEP_TIMEOUT" "$BIN" --db "$WORK/ref.db" init > /dev/null
        rm -rf "$GEN.tmp"
        timeout "$STEP_TIMEOUT" "$BIN" --db "$WORK/ref.db" demo --territory FR --size "$ROWS" \
            --seed "$SEED" --out "$GEN.tmp" > /dev/null
        mv "$GEN.tmp" "$GEN"
    fi
    rm -f "$DB.tmp" "$DB.tmp"-* "$DB.tmp".rejects.csv
    timeout "$STEP_TIMEOUT" "$BIN" --db "$DB.tmp" init > /dev/null
    /usr/bin/time -f "  import unites: %e s, peak RSS %M KiB" \
        timeout "$STEP_TIMEOUT" "$BIN" --db "$DB.tmp" import unites "$GEN/StockUniteLegale_utf8.csv" --quiet
    /usr/bin/time -f "  import sirene: %e s, peak RSS %M KiB" \
        timeout "$STEP_TIMEOUT" "$BIN" --db "$DB.tmp" import sirene "$GEN/StockEtablissement_utf8.csv" --quiet
    mv "$DB.tmp" "$DB"
    rm -f "$DB.tmp".rejects.csv
fi

# A cached database may predate a schema migration: open it writable once
# (migrations only add tables and indexes) so the read-only run can open it.
timeout "$STEP_TIMEOUT" "$BIN" --db "$DB" init > /dev/null

# Same compile and link flags as the Makefile's.
if [ ! -x "$PROG" ] || [ "$ROOT/bench/search.c" -nt "$PROG" ] || [ "$LIBA" -nt "$PROG" ]; then
    (cd "$ROOT" && cc -std=c17 -O2 -Iinclude -Ilib -I/usr/include/x86_64-linux-gnu \
        bench/search.c build/libmaillage.a \
        $(pkg-config --libs sqlite3 libpq jansson proj libarchive xlsxwriter libsodium cairo) \
        -lcsv -lstemmer -lm -lpthread -o "$PROG")
fi

timeout "$STEP_TIMEOUT" "$PROG" "$DB" "$QUERIES" | tee "$WORK/search-summary.txt"
