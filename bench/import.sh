#!/usr/bin/env bash
# import.sh — import throughput and peak memory of `maillage import sirene`,
# against sqlite3's own `.import --csv` of the same file as the peer.
# Usage: bench/import.sh [ROWS=2000000] [RUNS=3]
# Data is GENERATED (synthetic, `maillage demo --territory FR --seed 42`).
set -euo pipefail

ROWS=${1:-2000000}
RUNS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build/maillage
WORK=$ROOT/build/bench
STEP_TIMEOUT=${STEP_TIMEOUT:-1200} # seconds; no single step may run longer
SEED=42

case $ROWS in '' | *[!0-9]*) echo "import.sh: ROWS must be a number" >&2; exit 2 ;; esac
case $RUNS in '' | *[!0-9]* | 0) echo "import.sh: RUNS must be a number ≥ 1" >&2; exit 2 ;; esac
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

FILE=$(gen "$SEED" "$ROWS")
DATA_ROWS=$(($(wc -l < "$FILE") - 1))
echo "== import: $DATA_ROWS data rows (GENERATED, seed $SEED), $(du -h "$FILE" | cut -f1) — $FILE"

: > "$WORK/import-m.txt"
: > "$WORK/import-s.txt"
: > "$WORK/import-r.txt"
for i in $(seq 1 "$RUNS"); do
    run_maillage "$FILE"
    echo "run $i maillage: $T s, $RATE rows/s, peak RSS $((RSS / 1024)) MiB   [$MSG]"
    echo "$RATE" >> "$WORK/import-m.txt"
    echo "$RSS" >> "$WORK/import-r.txt"
    run_sqlite3 "$FILE"
    echo "run $i sqlite3:  $T s, $RATE rows/s, peak RSS $((RSS / 1024)) MiB   [$MSG]"
    echo "$RATE" >> "$WORK/import-s.txt"
done

M=$(median < "$WORK/import-m.txt")
S=$(median < "$WORK/import-s.txt")
R=$(median < "$WORK/import-r.txt")
RATIO=$(awk -v m="$M" -v s="$S" 'BEGIN { printf "%.2f", (s > 0 ? m / s : 0) }')

# Does peak memory grow with the file? One maillage run on a quarter of it.
QROWS=$((ROWS / 4))
QFILE=$(gen "$SEED" "$QROWS")
FULL_ROWS=$DATA_ROWS
DATA_ROWS=$(($(wc -l < "$QFILE") - 1))
run_maillage "$QFILE"
QRSS=$RSS
echo "quarter maillage ($DATA_ROWS rows): $T s, $RATE rows/s, peak RSS $((QRSS / 1024)) MiB"

{
    echo "import median rows/s: maillage $M, sqlite3 .import $S (runs: $RUNS, rows: $FULL_ROWS)"
    echo "import ratio maillage/sqlite3: ${RATIO}x (goal: >= 3x) — $(awk -v r="$RATIO" 'BEGIN { print (r >= 3 ? "met" : "NOT met") }')"
    echo "import maillage median peak RSS: $((R / 1024)) MiB (goal: < 1 GB — $(awk -v r="$R" 'BEGIN { print (r < 1048576 ? "met" : "NOT met") }'))"
    echo "import maillage peak RSS by file size: $QROWS rows $((QRSS / 1024)) MiB, $ROWS rows $((R / 1024)) MiB"
} | tee "$WORK/import-summary.txt"
rm -f "$WORK/import-maillage.db" "$WORK/import-maillage.db"-* "$WORK/import-maillage.db".rejects.csv "$WORK/import-sqlite3.db"
