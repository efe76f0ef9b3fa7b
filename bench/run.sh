#!/usr/bin/env bash
# run.sh — the benchmarks of `make bench`: import throughput (SQLite, then
# PostgreSQL), then search
# latency, matching, relatedness and complexity, the meeting scheduler, the
# web server; ends with a summary. Work files go to build/bench, never the tree.
# Sizes can be lowered for a quick run: IMPORT_ROWS=200000 SEARCH_ROWS=500000 bench/run.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/build/bench
mkdir -p "$WORK"

"$ROOT/bench/import.sh" "${IMPORT_ROWS:-2000000}" "${IMPORT_RUNS:-3}"
"$ROOT/bench/import_pg.sh" "${IMPORT_PG_ROWS:-2000000}" "${IMPORT_PG_RUNS:-3}" | tee "$WORK/import-pg-summary.txt"
"$ROOT/bench/search.sh" "${SEARCH_ROWS:-5000000}" "${SEARCH_QUERIES:-1000}"
"$ROOT/bench/match.sh" "${MATCH_ROWS:-16000000}" "${MATCH_QUERIES:-1000}"
"$ROOT/bench/quality.sh"
"$ROOT/bench/complexity.sh" "${COMPLEXITY_RUNS:-5}" "${COMPLEXITY_DENSE_RUNS:-3}"
"$ROOT/bench/schedule.sh" "${SCHEDULE_RUNS:-5}"
"$ROOT/bench/http.sh" "${HTTP_RUNS:-3}"
"$ROOT/bench/auth.sh" "${AUTH_RUNS:-7}"

echo
echo "== summary ($(date -u +%Y-%m-%d), $(nproc) cores; GENERATED data)"
cat "$WORK/import-summary.txt"
grep -E '^import into PostgreSQL' "$WORK/import-pg-summary.txt"
grep -E '^(search |reference|  brute force|  ml_search \(same\))' "$WORK/search-summary.txt"
awk '/facets off/ { f = 1 } f && /^  all/ { print "search facets off:" $0; exit }' "$WORK/search-summary.txt"
awk '/facets on/ { f = 1 } f && /^  all/ { print "search facets on: " $0; exit }' "$WORK/search-summary.txt"
grep -E '^  typed ' "$WORK/search-summary.txt" | sed 's/^/search as typed in the UI:/' 
grep -E '^   (lib/complexity|dense peer|same results|ratio)' "$WORK/complexity-summary.txt" | sed 's/^   /complexity: /'
grep -E '2000/20000/20/800' -A1 --no-group-separator "$WORK/schedule-summary.txt" | sed 's/^/schedule: /'
