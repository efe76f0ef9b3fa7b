#!/bin/sh
# fuzz.sh [SECONDS] — builds the libFuzzer harnesses with clang, ASan and
# UBSan (the library and the HTTP face through the Makefile, in build/fuzz)
# and runs each for its share of SECONDS (default 60): the CSV reader, each
# importer (sirene, unites, profiles, network lists), the HTTP router, the
# complexity tool's CSV reading and computation, and the scheduler's files.
# Prints one TAP line per harness; exits non-zero when one finds a crash (the
# input that made it is left in build/fuzz/crash-*).
set -eu

seconds=${1:-60}
cd "$(dirname "$0")/.."
out=build/fuzz
mkdir -p "$out"
pkgs="sqlite3 libpq jansson proj libarchive xlsxwriter libmicrohttpd zlib libsodium cairo"
cflags="-std=c17 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
  -Wformat=2 -Wvla -Werror -Iinclude -Ilib -D_GNU_SOURCE $(pkg-config --cflags $pkgs) \
  -DML_DATADIR=\"$PWD/data\" -DTESTS_DATA=\"$PWD/tests/data\" -DML_WEBDIR=\"$PWD/web\" \
  -DML_VENDORDIR=\"$PWD/node_modules\""
libs="$(pkg-config --libs $pkgs) -lcsv -lstemmer -lm -lpthread"

# The library and the server (every file of src/http), instrumented for
# coverage (only what changed).
http=$(for f in src/http/*.c; do printf '%s ' "$out/${f%.c}.o"; done)
# shellcheck disable=SC2086
make --no-print-directory -j2 CC=clang BUILD="$out" SANITIZE=fuzzer-no-link,address,undefined \
  EXTRA_WARN=-Wno-string-concatenation \
  "$out/libmaillage.a" $http >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }

build() { # name source extra-flags objects
  bin="$out/$1"
  if [ ! -x "$bin" ] || [ -n "$(find "$2" "$out/libmaillage.a" $4 -newer "$bin" 2>/dev/null)" ]; then
    # shellcheck disable=SC2086
    clang $cflags $3 "$2" $4 "$out/libmaillage.a" $libs -o "$bin"
  fi
}
build fuzz_csv tests/fuzz/fuzz_csv.c "" ""
for k in sirene unites profiles network; do
  K=$(echo "$k" | tr a-z A-Z)
  build "fuzz_$k" tests/fuzz/fuzz_import.c "-DFUZZ_$K" ""
done
build fuzz_router tests/fuzz/fuzz_router.c "" "$http"
build fuzz_complexity tests/fuzz/fuzz_complexity.c "" ""
build fuzz_schedule tests/fuzz/fuzz_schedule.c "" ""

# Seeds: the shapes each input must handle.
seed() { mkdir -p "$out/corpus_$1"; printf "$3" >"$out/corpus_$1/$2"; }
seed csv simple 'siren,nom\n123456789,ACME\n'
seed csv bom_crlf '\357\273\277a,b\r\n"x, ""y""",2\r\n\r\n'
seed csv multiline 'h\n"multi\nline\r\nfield",z\n\n\nlast'
seed csv semicolon_cr ';a;b\r1;"2;3"\r'
seed csv unclosed 'h\n"never closed\n'
seed csv stray_quote 'a,b\n1,2\n"3,4\n5,6\n7,8\n\001'
for k in sirene unites; do cp tests/data/fixture_etablissements_2025.csv "$out/corpus_sirene/fixture" 2>/dev/null || mkdir -p "$out/corpus_sirene"; done
cp tests/data/fixture_etablissements_2025.csv "$out/corpus_sirene/fixture"
head -c 3000 tests/data/fixture_match.csv >"$out/corpus_sirene/match_cut"
mkdir -p "$out/corpus_unites" "$out/corpus_profiles" "$out/corpus_network"
cp tests/data/stock_unite_legale_echantillon_2026.csv "$out/corpus_unites/sample"
cp tests/data/fixture_profiles.csv "$out/corpus_profiles/fixture"
cp tests/data/fixture_network.txt "$out/corpus_network/fixture"
seed network csv 'siret,nom\n91000001700012,a\n"91000002500015",b\n'
seed complexity plain 'l,a,v\nA,x,2\nA,z,2\nB,y,1\nB,z,1\nC,z,2\nD,y,3\n'
seed complexity timed 'l,a,v,t\nA,x,1,2020\nB,y,2.5,2020\nA,y,1e3,2021\nB,x,0,2021\nB,x,4,2021\n'
seed complexity bad 'l,a,v\nA,x,-1\nA,"y",nan\n'
seed schedule two_sided 'id,side,slots,max_meetings\nx,A,1-3,2\ny,B,,\nz,B,"2,4-6",1\n~~\na,b,weight\nx,y,3\nx,z,\n'
seed schedule open 'id,slots\na,\nb,1-6\nc,2\n~~\na,b\nb,c\nc,a\nb,a\n'
seed schedule musts 'id,side,max_meetings\nx,A,1\ny,B,\nz,B,\n~~\na,b,weight,priority\nx,y,2,must\nz,x,1,wish\ny,x,3,MUST\n'
seed router info 'GET /api/v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
seed router map 'GET /api/v1/map/clusters?territory=13&zoom=9&bbox=4.2,43.1,5.9,43.9&naf=C HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip;q=0.5, *;q=0\r\nIf-None-Match: W/"0-0", *\r\n\r\n'
seed router search 'GET /api/v1/search?q=usinage&commune=13001&limit=5&facets=true HTTP/1.1\r\nHost: localhost\r\n\r\nGET /api/v1/establishments/91000001700012/suppliers?radius=10 HTTP/1.1\r\nHost: localhost\r\n\r\n'
seed router verdict 'POST /api/v1/verdicts HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n{"supplier":"91000002500015","buyer":"91000001700012","verd'
seed router network 'GET /api/v1/networks/Laur%%C3%%A9ats/report?limit=3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
seed router static 'GET /static/app.js HTTP/1.0\r\n\r\nHEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
seed router bad 'GET /api/v1/establishments/%%ff HTTP/9.9\r\nHost: evil.example\r\nContent-Length: -1\r\n\r\n'

# Shares of the time: the router and the reader get more.
run() { # n name share max_len
  secs=$(( seconds * $3 / 100 )); [ "$secs" -ge 1 ] || secs=1
  if "$out/$2" -max_total_time="$secs" -max_len="$4" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$out/crash-$2-" "$out/corpus_${2#fuzz_}" >"$out/$2.log" 2>&1; then
    echo "ok $1 - $2 found no crash in $secs s"
  else
    echo "not ok $1 - $2 crashed: see $out/$2.log and $out/crash-$2-*"
    tail -30 "$out/$2.log" | sed 's/^/#   /'
    failed=1
  fi
}
failed=0
run 1 fuzz_csv 15 4096
run 2 fuzz_router 25 16384
run 3 fuzz_sirene 15 8192
run 4 fuzz_unites 10 8192
run 5 fuzz_profiles 10 8192
run 6 fuzz_network 10 4096
run 7 fuzz_complexity 5 4096
run 8 fuzz_schedule 10 4096
exit $failed
