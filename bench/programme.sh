#!/usr/bin/env bash
# programme.sh [RUNS=50] [AT=2027-06-30] — the position of every envelope of
# a GENERATED programme (10,000 projects, 200,000 ledger entries; issue 13)
# at a date: ml_programme_position (bench/programme.c: the store's slot, the
# rules and the JSON answer) beside the plain SQL aggregate of the same
# entries with the sqlite3 CLI (.timer on), in the same run; medians, their
# ratio, and the figures compared. Goal: < 10 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50} at=${2:-2027-06-30}
make -s build/maillage build/libmaillage.a >/dev/null
mkdir -p build/bench
cc -std=c17 -O2 -g -Iinclude -Ilib -D_GNU_SOURCE -DML_DATADIR="\"$PWD/data\"" \
  $(pkg-config --cflags jansson) bench/programme.c build/libmaillage.a \
  $(pkg-config --libs sqlite3 libpq jansson proj libarchive xlsxwriter libsodium) -lcsv -lstemmer -lm -lpthread \
  -o build/bench/programme
db=build/bench/programme.db
export MAILLAGE_DATA=${MAILLAGE_DATA:-$PWD/data}
echo "== programme position: 10,000 projects, 200,000 ledger entries (GENERATED), load $(cut -d' ' -f1 /proc/loadavg)"
build/bench/programme "$db" "$runs" "$at" | tee build/bench/programme-lib.txt
# The position reads the daily sums kept beside the entries (prog_entry_day,
# migration 19); they must equal the entries' own sums.
echo "daily sums: $(sqlite3 "$db" "SELECT count(*) FROM prog_entry_day WHERE programme = 1 AND day <= '$at'") rows up to $at for $(sqlite3 "$db" "SELECT count(*) FROM prog_entry WHERE programme = 1 AND day <= '$at'") entries"
mismatch=$(sqlite3 "$db" "SELECT count(*) FROM (SELECT envelope, day, kind, sum(amount) FROM prog_entry WHERE programme = 1 GROUP BY 1, 2, 3 EXCEPT SELECT envelope, day, kind, amount FROM prog_entry_day WHERE programme = 1)")
[[ $mismatch -eq 0 ]] || { echo "MISMATCH: $mismatch daily sums differ from the entries"; exit 1; }
echo "the daily sums equal the entries' sums"
sql="SELECT envelope, kind, sum(amount) FROM prog_entry WHERE programme = 1 AND day <= '$at' GROUP BY envelope, kind;"
{ echo ".timer on"; for _ in $(seq 5); do echo "$sql"; done; for _ in $(seq "$runs"); do echo "$sql"; done; } |
  sqlite3 "$db" >build/bench/programme-sql.txt
median() { sort -g | awk '{a[NR] = $1} END {printf "%.2f", a[int(NR / 2) + 1]}'; }
peer=$(grep '^Run Time' build/bench/programme-sql.txt | tail -n "$runs" | awk '{print $4 * 1000}' | median)
peer_cpu=$(grep '^Run Time' build/bench/programme-sql.txt | tail -n "$runs" | awk '{print ($6 + $8) * 1000}' | median)
lib=$(grep -o 'median [0-9.]*' build/bench/programme-lib.txt | awk '{print $2}')
lib_cpu=$(grep -o 'cpu [0-9.]*' build/bench/programme-lib.txt | awk '{print $2}')
echo "peer sqlite3 CLI plain aggregate (same entries, same day): median $peer ms wall, cpu $peer_cpu ms ($runs runs)"
awk -v a="$lib" -v b="$peer" -v c="$lib_cpu" -v d="$peer_cpu" 'BEGIN {
  printf "ratio maillage / plain SQL: %.2f wall, %.2f cpu; goal < 10 ms: %s (wall), %s (cpu)\n",
    a / b, c / d, a < 10 ? "met" : "not met", c < 10 ? "met" : "not met" }'
# The figures agree: committed = commit - cancel, paid, repaid per envelope.
sqlite3 "$db" "SELECT envelope, sum(CASE kind WHEN 'commit' THEN amount WHEN 'cancel' THEN -amount ELSE 0 END),
  sum(CASE kind WHEN 'pay' THEN amount ELSE 0 END), sum(CASE kind WHEN 'repay' THEN amount ELSE 0 END)
  FROM prog_entry WHERE programme = 1 AND day <= '$at' GROUP BY envelope ORDER BY envelope" |
  awk -F'|' '{printf "position %s committed=%s paid=%s repaid=%s\n", $1, $2, $3, $4}' >build/bench/programme-check.txt
if diff <(sed -E 's/ available=[0-9-]+//' build/bench/programme-lib.txt | grep '^position') build/bench/programme-check.txt >/dev/null; then
  echo "the library's positions equal the SQL sums of the same entries"
else
  echo "MISMATCH between the library's positions and the SQL sums"; exit 1
fi
