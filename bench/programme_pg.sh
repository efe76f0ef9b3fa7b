#!/usr/bin/env bash
# programme_pg.sh [RUNS=50] [AT=2027-06-30] — programme.sh on PostgreSQL (issue
# 13 part 11): the GENERATED programme of bench/programme.sh (10,000 projects,
# 200,000 ledger entries, made once in build/bench/programme.db) copied into a
# throwaway cluster (tests/pg/cluster.sh: a Unix socket, fsync off) with
# psql's \copy — the entries' trigger writes their daily sums on the way, as
# for any entry —, then ml_programme_position timed there (bench/programme.c)
# beside the plain SQL aggregate of the same entries with psql (\timing), in
# the same run; medians, their ratio, and the figures compared.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50} at=${2:-2027-06-30}
db=build/bench/programme.db
export MAILLAGE_DATA=${MAILLAGE_DATA:-$PWD/data}
[[ -s $db && -x build/bench/programme ]] || bash bench/programme.sh 5 "$at" >/dev/null
command -v psql >/dev/null || { echo "programme_pg.sh: psql missing (postgresql-client)" >&2; exit 1; }
# shellcheck source=../tests/pg/cluster.sh
. tests/pg/cluster.sh
trap pg_cluster_stop EXIT
pg_cluster_start || { echo "programme_pg.sh: $PG_WHY" >&2; exit 1; }
build/maillage --db "$PG_URL" init >/dev/null
copy() { # TABLE COLUMNS
  sqlite3 -csv "$db" "SELECT $2 FROM $1" | psql -X -q "$PG_URL" -c "\\copy $1($2) FROM STDIN CSV"
}
t0=$(date +%s.%N)
copy programme "id, name, org, territory, territory_name, start_day, end_day, author, created, generated"
copy prog_org "programme, org, role"
copy prog_envelope "id, programme, instrument, funder, amount, max_project, max_small, max_medium, max_large, revolving"
copy prog_project "id, programme, siret, siren, type, title, description, cost, eligible, jobs_created, jobs_kept, req_subsidy, req_advance, stage, author, created, updated"
copy prog_entry "id, programme, envelope, project, siren, kind, day, amount, note, author, created"
psql -X -q "$PG_URL" -c "ANALYZE"
echo "== programme position on PostgreSQL: $(psql -X -qtA "$PG_URL" -c "SELECT count(*) FROM prog_entry") entries copied (GENERATED) in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s, load $(cut -d' ' -f1 /proc/loadavg)"
build/bench/programme "$PG_URL" "$runs" "$at" | tee build/bench/programme-pg-lib.txt
echo "daily sums: $(psql -X -qtA "$PG_URL" -c "SELECT count(*) FROM prog_entry_day WHERE programme = 1 AND day <= '$at'") rows up to $at"
mismatch=$(psql -X -qtA "$PG_URL" -c "SELECT count(*) FROM (SELECT envelope, day, kind, sum(amount) FROM prog_entry WHERE programme = 1 GROUP BY 1, 2, 3 EXCEPT SELECT envelope, day, kind, amount FROM prog_entry_day WHERE programme = 1) x")
[[ $mismatch -eq 0 ]] || { echo "MISMATCH: $mismatch daily sums differ from the entries"; exit 1; }
echo "the daily sums equal the entries' sums"
sql="SELECT envelope, kind, sum(amount) FROM prog_entry WHERE programme = 1 AND day <= '$at' GROUP BY envelope, kind;"
{ echo '\timing on'; for _ in $(seq $((runs + 5))); do echo "$sql"; done; } |
  psql -X -q "$PG_URL" >build/bench/programme-pg-sql.txt
median() { sort -g | awk '{a[NR] = $1} END {printf "%.2f", a[int(NR / 2) + 1]}'; }
peer=$(grep '^Time:' build/bench/programme-pg-sql.txt | tail -n "$runs" | awk '{print $2}' | median)
lib=$(grep -o 'median [0-9.]*' build/bench/programme-pg-lib.txt | awk '{print $2}')
echo "peer psql plain aggregate (same entries, same day): median $peer ms ($runs runs)"
awk -v a="$lib" -v b="$peer" 'BEGIN {
  printf "ratio maillage / plain SQL: %.2f wall; goal < 10 ms: %s\n", a / b, a < 10 ? "met" : "not met" }'
psql -X -qtA -F'|' "$PG_URL" -c "SELECT envelope, sum(CASE kind WHEN 'commit' THEN amount WHEN 'cancel' THEN -amount ELSE 0 END),
  sum(CASE kind WHEN 'pay' THEN amount ELSE 0 END), sum(CASE kind WHEN 'repay' THEN amount ELSE 0 END)
  FROM prog_entry WHERE programme = 1 AND day <= '$at' GROUP BY envelope ORDER BY envelope" |
  awk -F'|' '{printf "position %s committed=%s paid=%s repaid=%s\n", $1, $2, $3, $4}' >build/bench/programme-pg-check.txt
if diff <(sed -E 's/ available=[0-9-]+//' build/bench/programme-pg-lib.txt | grep '^position') build/bench/programme-pg-check.txt >/dev/null; then
  echo "the library's positions equal the SQL sums of the same entries"
else
  echo "MISMATCH between the library's positions and the SQL sums"; exit 1
fi
