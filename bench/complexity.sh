#!/usr/bin/env bash
# complexity.sh [RUNS=5] [DENSE_RUNS=3] — relatedness and economic complexity
# (issue 12) on a national GENERATED table, ~35,000 communes × 615 NAF classes:
# lib/complexity beside a straightforward dense implementation in the same run
# (bench/complexity.c), both timed (median of RUNS and DENSE_RUNS runs), their
# peak memory, and every figure compared. Goal: < 1 s and < 500 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5} dense_runs=${2:-3}
make -s build/maillage build/libmaillage.a >/dev/null
mkdir -p build/bench
cc -std=c17 -O2 -g -Iinclude -Ilib -D_GNU_SOURCE -DML_DATADIR="\"$PWD/data\"" \
  $(pkg-config --cflags jansson) bench/complexity.c build/libmaillage.a \
  $(pkg-config --libs sqlite3 libpq jansson proj libarchive xlsxwriter libsodium cairo) -lcsv -lstemmer -lm -lpthread \
  -o build/bench/complexity
echo "== relatedness and complexity: every commune x 615 NAF classes (GENERATED), lib/complexity vs dense"
build/bench/complexity "$PWD/data" "$runs" "$dense_runs" | tee build/bench/complexity-summary.txt
