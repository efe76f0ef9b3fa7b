#!/usr/bin/env bash
# quality.sh [TOP=10] — do the suggestions name the partners a professional would
# name? The pairs of tests/data/quality_pairs.csv against maillage's NAF class
# model as shipped (total intermediate uses), its domestic-use variant (rebuilt
# here by tools/refdata/io_naf.py --use domestic) and INSEE's A38 table alone,
# in the same run (bench/quality.c).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/libmaillage.a >/dev/null
mkdir -p build/bench
cc -std=c17 -O2 -g -Wall -Wextra -Iinclude -Ilib -D_GNU_SOURCE -DML_DATADIR="\"$PWD/data\"" \
  $(pkg-config --cflags jansson) bench/quality.c build/libmaillage.a \
  $(pkg-config --libs sqlite3 libpq jansson proj libarchive xlsxwriter libsodium cairo) -lcsv -lstemmer -lm -lpthread \
  -o build/bench/quality
python3 tools/refdata/io_naf.py --use domestic --out build/bench/naf_class_io_domestic.csv >/dev/null
build/bench/quality tests/data/quality_pairs.csv "${1:-10}" build/bench/naf_class_io_domestic.csv \
  "domestic variant"
