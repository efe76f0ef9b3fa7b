#!/usr/bin/env bash
# import.sh — import throughput and peak memory of `maillage import sirene`,
# against sqlite3's own `.import --csv` of the same file as the peer, at two
# sizes; monthly updates (the same stock again, then next month's); and the latency of API writes
# (verdict POSTs) while a monthly update runs.
# Usage: bench/import.sh [ROWS=2000000] [RUNS=3] [BIG_ROWS=10000000] [BIG_RUNS=1]
#   BIG_ROWS=0 skips the second size; VERDICT_PORT (9150) is the server's port.
# Data is GENERATED (synthetic, `maillage demo --territory FR --seed 42`).
set -euo pipefail

ROWS=${1:-2000000}
RUNS=${2:-3}
BIG_ROWS=${3:-10000000}
BIG_RUNS=${4:-1}
PORT=${VERDICT_PORT:-9150}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build/maillage
WORK=$ROOT/build/bench
STEP_TIMEOUT=${STEP_TIMEOUT:-1200} # seconds; no single step may run longer
SEED=42

for v in "$ROWS" "$BIG_ROWS"; do
    case $v in '' | *[!0-9]*) echo "import.sh: ROWS and BIG_ROWS must be numbers" >&2; exit 2 ;; esac
done
for v in "$RUNS" "$BIG_RUNS"; do
    case $v in '' | *[!0-9]* | 0) echo "import.sh: RUNS and BIG_RUNS must be numbers ≥ 1" >&2; exit 2 ;; esac
done
[ -x "$BIN" ] || { echo "import.sh: $BIN missing (run make)" >&2; exit 1; }
command -v sqlite3 > /dev/null || { echo "import.sh: sqlite3 CLI missing" >&2; exit 1; }
mkdir -p "$WORK"

# Reference data, needed by `demo` to generate files.
if [ ! -s "$WORK/ref.db" ]; then
    timeout "$STEP_TIMEOUT" "$BIN" --db "$WORK/ref.db.tmp" init > /dev/null
    mv "$WORK/ref.db.tmp" "$WORK/ref.db"
fi

# Generates (once, cached by seed and size) a national file of $2 rows.
gen() {
    local seed=$1 n=$2 dir=$WORK/gen-s$1-n$2
    if [ ! -s "$dir/StockEtablissement_utf8.csv" ]; then
        rm -rf "$dir.tmp"
        timeout "$STEP_TIMEOUT" "$BIN" --db "$WORK/ref.db" demo --territory FR --size "$n" \
            --seed "$seed" --out "$dir.tmp" > /dev/null
        mv "$dir.tmp" "$dir"
    fi
    echo "$dir/StockEtablissement_utf8.csv"
}

# Runs a command under /usr/bin/time; sets T (wall seconds) and RSS (peak KiB).
timed() {
    local tf=$WORK/import-time.txt
    /usr/bin/time -o "$tf" -f "%e %M" timeout "$STEP_TIMEOUT" "$@" > "$WORK/import-out.txt" \
        2> "$WORK/import-err.txt"
    read -r T RSS < "$tf"
}

rate() { awk -v r="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? r / t : 0) }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# One maillage import into a fresh database; sets T, RSS, RATE.
run_maillage() {
    local file=$1 db=$WORK/import-maillage.db
    rm -f "$db" "$db"-* "$db".rejects.csv
    timeout "$STEP_TIMEOUT" "$BIN" --db "$db" init > /dev/null
    timed "$BIN" --db "$db" import sirene "$file" --quiet
    RATE=$(rate "$DATA_ROWS" "$T")
    MSG=$(tr '\n' ' ' < "$WORK/import-out.txt")
}

# One sqlite3 .import into a fresh database; sets T, RSS, RATE.
run_sqlite3() {
    local file=$1 db=$WORK/import-sqlite3.db
    rm -f "$db" "$db"-* "$db".rejects.csv
    timed sqlite3 "$db" ".import --csv $file etab"
    RATE=$(rate "$DATA_ROWS" "$T")
    MSG="$(grep -c . "$WORK/import-err.txt" || true) warnings on stderr (short rows)"
}

# The floor any import through SQLite meets: the rows maillage just wrote,
# already typed, copied into a fresh table of the same schema (a WHERE keeps
# SQLite from copying raw pages), then the table's indexes built, with
# journaling off. No CSV is parsed and no search index is written. Sets FLOOR
# (wall seconds).
floor_run() {
    local src=$WORK/import-maillage.db db=$WORK/import-floor.db
    rm -f "$db" "$db"-*
    {
        echo "ATTACH '$src' AS src; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
        echo "PRAGMA cache_size=-393216;"
        sqlite3 "$src" "SELECT sql || ';' FROM sqlite_master WHERE name = 'etab'"
        echo "INSERT INTO main.etab SELECT * FROM src.etab WHERE siret > 0;"
        sqlite3 "$src" "SELECT sql || ';' FROM sqlite_master WHERE tbl_name = 'etab' AND type = 'index' AND sql IS NOT NULL"
    } > "$WORK/import-floor.sql"
    timed sqlite3 "$db" ".read $WORK/import-floor.sql"
    FLOOR=$T
    echo "SQLite floor (typed rows copied table to table + indexes): $FLOOR s"
    rm -f "$db" "$db"-*
}

# size ROWS RUNS: RUNS pairs of runs (maillage, then sqlite3) on a file of
# ROWS rows; appends its summary lines to $SUMMARY.
size() {
    local rows=$1 runs=$2 file
    file=$(gen "$SEED" "$rows")
    DATA_ROWS=$(($(wc -l < "$file") - 1))
    echo "== import: $DATA_ROWS data rows (GENERATED, seed $SEED), $(du -h "$file" | cut -f1) — $file"
    : > "$WORK/import-m.txt"
    : > "$WORK/import-s.txt"
    : > "$WORK/import-r.txt"
    for i in $(seq 1 "$runs"); do
        local l0
        l0=$(load)
        run_maillage "$file"
        echo "run $i maillage: $T s, $RATE rows/s, peak RSS $((RSS / 1024)) MiB (load before: $l0)   [$MSG]"
        echo "$RATE" >> "$WORK/import-m.txt"
        echo "$RSS" >> "$WORK/import-r.txt"
        l0=$(load)
        run_sqlite3 "$file"
        echo "run $i sqlite3:  $T s, $RATE rows/s, peak RSS $((RSS / 1024)) MiB (load before: $l0)   [$MSG]"
        echo "$RATE" >> "$WORK/import-s.txt"
    done
    floor_run
    local m s r ratio
    m=$(median < "$WORK/import-m.txt")
    s=$(median < "$WORK/import-s.txt")
    r=$(median < "$WORK/import-r.txt")
    ratio=$(awk -v m="$m" -v s="$s" 'BEGIN { printf "%.2f", (s > 0 ? m / s : 0) }')
    local budget
    budget=$(awk -v r="$DATA_ROWS" -v s="$s" 'BEGIN { printf "%.2f", (s > 0 ? r / (3 * s) : 0) }')
    {
        echo "import $DATA_ROWS rows: SQLite's own floor for these rows (rows already typed, copied table to table, and the same two indexes; no CSV parsing, no search index) $FLOOR s; 3x sqlite3 .import allows $budget s"
        echo "import $DATA_ROWS rows, median of $runs: maillage $m rows/s, sqlite3 .import $s rows/s, ratio ${ratio}x (goal >= 3x: $(awk -v r="$ratio" 'BEGIN { print (r >= 3 ? "met" : "NOT met") }')), maillage peak RSS $((r / 1024)) MiB (goal < 1 GB: $(awk -v r="$r" 'BEGIN { print (r < 1048576 ? "met" : "NOT met") }'))"
    } >> "$SUMMARY"
}

SUMMARY=$WORK/import-summary.txt
: > "$SUMMARY"
echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(load), sqlite3 $(sqlite3 --version | cut -d' ' -f1)"

size "$ROWS" "$RUNS"
[ "$BIG_ROWS" -gt 0 ] && size "$BIG_ROWS" "$BIG_RUNS"

# Does peak memory grow with the file? One maillage run on a quarter of ROWS.
QFILE=$(gen "$SEED" $((ROWS / 4)))
DATA_ROWS=$(($(wc -l < "$QFILE") - 1))
run_maillage "$QFILE"
echo "quarter maillage ($DATA_ROWS rows): $T s, $RATE rows/s, peak RSS $((RSS / 1024)) MiB"
echo "import peak RSS by file size: $DATA_ROWS rows $((RSS / 1024)) MiB (the sizes above: see their lines)" >> "$SUMMARY"

# Monthly updates: the ROWS stock imported over itself (every row compared,
# none written), then next month's stock (bench/monthly.py: 1% of the signs
# changed, 1% closed), with the time the write lock was held (from the
# debug log); then the latency of verdict POSTs through the API while the
# monthly update runs beside a server.
FILE=$(gen "$SEED" "$ROWS")
DATA_ROWS=$(($(wc -l < "$FILE") - 1))
MONTH=$WORK/monthly-s$SEED-n$ROWS.csv
[ -s "$MONTH" ] || { python3 "$ROOT/bench/monthly.py" "$FILE" "$MONTH.tmp" && mv "$MONTH.tmp" "$MONTH"; }
DB=$WORK/import-maillage.db
# Seconds the write lock was held, from MAILLAGE_LOG=debug's lines.
locked() { awk '/staged changes written in/ { for (i = 1; i <= NF; i++) if ($i == "in") t += $(i + 1) }
    /search index written in/ { for (i = 1; i <= NF; i++) if ($i == "in") { t += $(i + 1); break } }
    END { printf "%.2f", t }' "$WORK/import-err.txt"; }
run_maillage "$FILE"
cp "$DB" "$WORK/import-base.db"
MAILLAGE_LOG=debug timed "$BIN" --db "$DB" import sirene "$FILE" --quiet
echo "update (the same $DATA_ROWS rows again): $T s, $(rate "$DATA_ROWS" "$T") rows/s, write lock held $(locked) s, peak RSS $((RSS / 1024)) MiB   [$(grep changes "$WORK/import-out.txt" | tr -s ' ')]"
echo "import update of $DATA_ROWS unchanged rows: $(rate "$DATA_ROWS" "$T") rows/s, write lock held $(locked) s, peak RSS $((RSS / 1024)) MiB" >> "$SUMMARY"
cp "$WORK/import-base.db" "$DB"
MAILLAGE_LOG=debug timed "$BIN" --db "$DB" import sirene "$MONTH" --quiet
CHANGES=$(grep changes "$WORK/import-out.txt" | tr -s ' ' | sed 's/^ //')
echo "monthly update ($DATA_ROWS rows, GENERATED changes): $T s, $(rate "$DATA_ROWS" "$T") rows/s, write lock held $(locked) s, peak RSS $((RSS / 1024)) MiB   [$CHANGES]"
echo "import monthly update of $DATA_ROWS rows ($CHANGES): $(rate "$DATA_ROWS" "$T") rows/s, write lock held $(locked) s" >> "$SUMMARY"

# Legal units over the ROWS establishments: the first import (every index row
# changes: the index is made again), then the same file again (an update:
# compared, nothing written), beside sqlite3's .import of the same file.
UFILE=$(dirname "$FILE")/StockUniteLegale_utf8.csv
UROWS=$(($(wc -l < "$UFILE") - 1))
cp "$WORK/import-base.db" "$DB"
timed "$BIN" --db "$DB" import unites "$UFILE" --quiet
UFIRST=$T URSS=$RSS
MAILLAGE_LOG=debug timed "$BIN" --db "$DB" import unites "$UFILE" --quiet
UAGAIN=$T ULOCK=$(locked)
rm -f "$WORK/import-sqlite3.db"
timed sqlite3 "$WORK/import-sqlite3.db" ".import --csv $UFILE unite"
echo "legal units ($UROWS rows over $DATA_ROWS establishments): first import $UFIRST s ($(rate "$UROWS" "$UFIRST") rows/s, peak RSS $((URSS / 1024)) MiB), the same again $UAGAIN s ($(rate "$UROWS" "$UAGAIN") rows/s, write lock held $ULOCK s); sqlite3 .import $T s ($(rate "$UROWS" "$T") rows/s)"
echo "import legal units, $UROWS rows: first $(rate "$UROWS" "$UFIRST") rows/s (index made again), update $(rate "$UROWS" "$UAGAIN") rows/s (write lock $ULOCK s), sqlite3 .import $(rate "$UROWS" "$T") rows/s" >> "$SUMMARY"

if command -v curl > /dev/null; then
    cp "$WORK/import-base.db" "$DB"
    A=$(sqlite3 "$DB" "select siret from etab where diffusion = 'O' and state = 'A' limit 1")
    B=$(sqlite3 "$DB" "select siret from etab where diffusion = 'O' and state = 'A' limit 1 offset 1")
    "$BIN" --db "$DB" serve --port "$PORT" > "$WORK/verdict-serve.txt" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 100); do
        curl -fs -o /dev/null "http://127.0.0.1:$PORT/api/v1/info" && break
        sleep 0.1
    done
    BEFORE=$(sqlite3 "$DB" "select count(*) from verdict")
    "$BIN" --db "$DB" import sirene "$MONTH" --quiet > "$WORK/verdict-import.txt" 2>&1 &
    IMPORT=$!
    : > "$WORK/verdict-lat.txt"
    while kill -0 "$IMPORT" 2> /dev/null; do
        curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H 'Content-Type: application/json' \
            -d "{\"supplier\":\"$(printf %014d "$A")\",\"buyer\":\"$(printf %014d "$B")\",\"verdict\":\"note\",\"note\":\"bench\"}" \
            "http://127.0.0.1:$PORT/api/v1/verdicts" >> "$WORK/verdict-lat.txt" || true
        sleep 0.2
    done
    wait "$IMPORT" || true
    kill "$SERVER" 2> /dev/null || true
    wait "$SERVER" 2> /dev/null || true
    SENT=$(grep -c . "$WORK/verdict-lat.txt" || true)
    STORED=$(($(sqlite3 "$DB" "select count(*) from verdict") - BEFORE))
    P50=$(awk '{ print $2 * 1000 }' "$WORK/verdict-lat.txt" | median)
    P95=$(awk '{ print $2 * 1000 }' "$WORK/verdict-lat.txt" | sort -g | awk '{ a[NR] = $1 } END { i = int(NR * 0.95 + 0.999); if (i < 1) i = 1; print a[i] }')
    MAX=$(awk '{ print $2 * 1000 }' "$WORK/verdict-lat.txt" | sort -g | tail -1)
    CODES=$(cut -d' ' -f1 "$WORK/verdict-lat.txt" | sort | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }')
    echo "verdict POSTs during a monthly update: $SENT sent ($CODES), $STORED stored; latency p50 $P50 ms, p95 $P95 ms, max $MAX ms"
    echo "import: verdict POSTs during a monthly update: $SENT sent ($CODES), $STORED stored, latency p50 $P50 ms, p95 $P95 ms, max $MAX ms" >> "$SUMMARY"
fi
rm -f "$WORK/import-base.db"

cat "$SUMMARY"
rm -f "$WORK/import-maillage.db" "$WORK/import-maillage.db"-* "$WORK/import-maillage.db".rejects.csv "$WORK/import-sqlite3.db"
