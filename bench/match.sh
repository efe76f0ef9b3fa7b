#!/usr/bin/env bash
# match.sh [ROWS=16000000] [QUERIES=1000] [BRUTE=30] — the supplier engine on a
# national-scale GENERATED snapshot, side by side with the brute-force scan
# (bench/match.c), then the report of a 1,000-member network on the demo
# database (generated Aix-Marseille territory), timed end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-16000000} queries=${2:-1000} brute=${3:-30}
make -s build/maillage build/libmaillage.a >/dev/null
mkdir -p build/bench
cc -std=c17 -O2 -g -Iinclude -Ilib -D_GNU_SOURCE -DML_DATADIR="\"$PWD/data\"" \
  $(pkg-config --cflags jansson) bench/match.c build/libmaillage.a \
  $(pkg-config --libs sqlite3 libpq jansson proj libarchive xlsxwriter libsodium cairo) -lcsv -lstemmer -lm -lpthread \
  -o build/bench/match
echo "== engine vs brute force: $rows establishments, $queries buyers, top-50 suppliers"
/usr/bin/time -f "   wall %e s, peak memory %M KB" build/bench/match "$rows" "$queries" "$brute"

echo "== network report: 1,000 members of the demo territory (generated data)"
[[ -f build/demo.db ]] || make -s demo >/dev/null
db=build/bench/network.db
cp build/demo.db "$db"
sqlite3 "$db" "select printf('%014d', siret) from etab where state='A' and diffusion='O'
  and geo > 0 order by (siret * 2654435761) % 1000003 limit 1000" >build/bench/members.txt
build/maillage --db "$db" group add "bench 1000" build/bench/members.txt >/dev/null
times=()
for i in 1 2 3 4 5; do
  s=$(date +%s.%N)
  build/maillage --db "$db" network "bench 1000" --json >build/bench/network.json
  e=$(date +%s.%N)
  times+=("$(echo "$e - $s" | bc)")
done
inside=$(jq '.model.milliseconds' build/bench/network.json)
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
echo "   maillage network (snapshot load + report + JSON), median of 5: ${median} s (goal <= 1 s)"
echo "   of which the report itself (pairs + outside partners): ${inside} ms"
