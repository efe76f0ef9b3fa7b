#!/usr/bin/env bash
# schedule.sh [RUNS=5] — the meeting scheduler (lib/schedule) on GENERATED
# business conventions up to 2,000 participants, 20,000 requests, 20 slots
# and 800 tables, two-sided and open, with and without availability
# windows, beside a first-fit greedy in the same run (bench/schedule.c).
# Every schedule passes the independent checker. Goals (issue 14): under
# 1 s at the largest size; the proven optimum on two-sided events with
# shared slots; within 1 % of the upper bound otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
make -s build/libmaillage.a >/dev/null
mkdir -p build/bench
cc -std=c17 -O2 -g -Iinclude -Ilib -D_GNU_SOURCE $(pkg-config --cflags jansson) \
  bench/schedule.c build/libmaillage.a \
  $(pkg-config --libs sqlite3 libpq jansson proj libarchive xlsxwriter libsodium cairo) -lcsv -lstemmer -lm -lpthread \
  -o build/bench/schedule
echo "== scheduler vs first-fit greedy: $runs generated events per line"
build/bench/schedule "$runs" | tee build/bench/schedule-summary.txt
