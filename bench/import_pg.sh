#!/usr/bin/env bash
# import_pg.sh — `maillage import sirene` into PostgreSQL (COPY into staging
# tables, the checks, the publication, its search table), against psql's own
# `\copy` of the same file into a plain table of 55 text columns as the peer,
# both on one throwaway cluster (tests/pg/cluster.sh: a Unix socket, fsync
# off — the same for both). PostgreSQL 15's COPY refuses a whole file for one
# short row, so the peer reads the file less its malformed rows (written once
# beside it; the generated file has 0.05 % of them on purpose), and its rate
# counts the rows it loaded.
# Usage: bench/import_pg.sh [ROWS=2000000] [RUNS=3]
# Data is GENERATED (synthetic, `maillage demo --territory FR --seed 42`).
set -euo pipefail

ROWS=${1:-2000000}
RUNS=${2:-3}
case $ROWS in '' | *[!0-9]*) echo "import_pg.sh: ROWS must be a number" >&2; exit 2 ;; esac
case $RUNS in '' | *[!0-9]* | 0) echo "import_pg.sh: RUNS must be a number ≥ 1" >&2; exit 2 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build/maillage
WORK=$ROOT/build/bench
STEP_TIMEOUT=${STEP_TIMEOUT:-1800}
SEED=42
[ -x "$BIN" ] || { echo "import_pg.sh: $BIN missing (run make)" >&2; exit 1; }
command -v psql > /dev/null || { echo "import_pg.sh: psql missing (postgresql-client)" >&2; exit 1; }
mkdir -p "$WORK"

# shellcheck source=../tests/pg/cluster.sh
. "$ROOT/tests/pg/cluster.sh"
trap pg_cluster_stop EXIT
pg_cluster_start || { echo "import_pg.sh: $PG_WHY" >&2; exit 1; }

if [ ! -s "$WORK/ref.db" ]; then
    "$BIN" --db "$WORK/ref.db.tmp" init > /dev/null
    mv "$WORK/ref.db.tmp" "$WORK/ref.db"
fi
DIR=$WORK/gen-s$SEED-n$ROWS
FILE=$DIR/StockEtablissement_utf8.csv
if [ ! -s "$FILE" ]; then
    rm -rf "$DIR.tmp"
    "$BIN" --db "$WORK/ref.db" demo --territory FR --size "$ROWS" --seed "$SEED" --out "$DIR.tmp" > /dev/null
    mv "$DIR.tmp" "$DIR"
fi
CLEAN=$DIR/StockEtablissement_utf8.wellformed.csv
if [ ! -s "$CLEAN" ]; then
    python3 - "$FILE" "$CLEAN.tmp" << 'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f, open(sys.argv[2], 'w', newline='', encoding='utf-8') as o:
    r, w = csv.reader(f), csv.writer(o, lineterminator='\n')
    head = next(r)
    w.writerow(head)
    for row in r:
        if len(row) == len(head):
            w.writerow(row)
PY
    mv "$CLEAN.tmp" "$CLEAN"
fi
DATA_ROWS=$(($(wc -l < "$FILE") - 1))
CLEAN_ROWS=$(($(wc -l < "$CLEAN") - 1))
COLS=$(head -1 "$FILE" | tr ',' '\n' | wc -l)

timed() {
    local tf=$WORK/import-pg-time.txt
    /usr/bin/time -o "$tf" -f "%e %M" timeout "$STEP_TIMEOUT" "$@" > "$WORK/import-pg-out.txt" \
        2> "$WORK/import-pg-err.txt"
    read -r T RSS < "$tf"
}
rate() { awk -v r="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? r / t : 0) }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
fresh() { # NAME: a new empty database; prints its URL
    as_pg "$PG_BIN/dropdb" --if-exists -h "$PG_DIR" -U "$PG_DB" "$1" > /dev/null 2>&1 || true
    as_pg "$PG_BIN/createdb" -h "$PG_DIR" -U "$PG_DB" "$1"
    echo "postgresql:///$1?host=$PG_DIR&user=$PG_DB"
}

echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(psql --version)"
echo "== $DATA_ROWS data rows (GENERATED, seed $SEED), $(du -h "$FILE" | cut -f1); peer file: $CLEAN_ROWS well-formed rows"
COLDEFS=$(seq 1 "$COLS" | sed 's/^/c/; s/$/ text/' | paste -sd,)
: > "$WORK/import-pg-m.txt"
: > "$WORK/import-pg-p.txt"
for i in $(seq 1 "$RUNS"); do
    URL=$(fresh bench_maillage)
    "$BIN" --db "$URL" init > /dev/null
    timed "$BIN" --db "$URL" import sirene "$FILE" --quiet
    R=$(rate "$DATA_ROWS" "$T")
    echo "run $i maillage: $T s, $R rows/s, peak RSS $((RSS / 1024)) MiB   [$(head -1 "$WORK/import-pg-out.txt")]"
    echo "$R" >> "$WORK/import-pg-m.txt"
    URL=$(fresh bench_peer)
    psql -q "$URL" -c "CREATE TABLE etab($COLDEFS)"
    timed psql -q "$URL" -c "\\copy etab FROM '$CLEAN' WITH (FORMAT csv, HEADER true)"
    R=$(rate "$CLEAN_ROWS" "$T")
    echo "run $i psql \\copy: $T s, $R rows/s"
    echo "$R" >> "$WORK/import-pg-p.txt"
done
M=$(median < "$WORK/import-pg-m.txt")
P=$(median < "$WORK/import-pg-p.txt")
echo "import into PostgreSQL, $DATA_ROWS rows, median of $RUNS: maillage $M rows/s, psql \\copy into a plain table $P rows/s, ratio $(awk -v m="$M" -v p="$P" 'BEGIN { printf "%.2f", (p > 0 ? m / p : 0) }')x"
