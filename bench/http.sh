#!/usr/bin/env bash
# http.sh [RUNS=3] — maillage's server against nginx serving the same bytes
# (the OpenAPI document, which maillage answers from memory), wrk with 2
# threads and 64 connections for 10 s each, same run; then a dynamic route
# (maillage only); then 1,000 slow clients that send half a header and stall
# (from 127.0.0.2) while a new client (from 127.0.0.1) must be served within
# 1 s. Loopback only, every step bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
W=build/bench/http
mkdir -p "$W/nginx/tmp"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx-light)
[[ ${#missing[@]} -eq 0 ]] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
make -s build/maillage >/dev/null
[[ -f build/demo.db ]] || make -s demo >/dev/null
cc -std=c17 -O2 -Wall -Wextra -D_GNU_SOURCE -o "$W/slowclient" bench/slowclient.c

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do timeout 10 tail --pid="$p" -f /dev/null 2>/dev/null || kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

build/maillage --db build/demo.db serve --port 0 --quiet >"$W/serve.out" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -q 'http://' "$W/serve.out" && break; sleep 0.1; done
mport=$(grep -o 'http://127.0.0.1:[0-9]*' "$W/serve.out" | head -1 | cut -d: -f3)
[[ -n $mport ]] || { echo "maillage did not start:"; cat "$W/serve.out"; exit 1; }
curl -sf --max-time 10 "http://127.0.0.1:$mport/api/v1/openapi.json" -o "$W/openapi.json"
mtype=$(curl -s --max-time 10 -o /dev/null -w '%{content_type}' "http://127.0.0.1:$mport/api/v1/openapi.json")

# A free port on 127.0.0.1 for nginx.
nport=
for _ in $(seq 50); do
  p=$((20000 + RANDOM % 40000))
  ss -Htln "sport = :$p" | grep -q . || { nport=$p; break; }
done
[[ -n $nport ]] || { echo "no free port for nginx"; exit 1; }
cat >"$W/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $PWD/$W/nginx/nginx.pid;
error_log $PWD/$W/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000;
  client_body_temp_path $PWD/$W/nginx/tmp; proxy_temp_path $PWD/$W/nginx/tmp;
  fastcgi_temp_path $PWD/$W/nginx/tmp; uwsgi_temp_path $PWD/$W/nginx/tmp; scgi_temp_path $PWD/$W/nginx/tmp;
  server {
    listen 127.0.0.1:$nport;
    location = /api/v1/openapi.json { types { } default_type "$mtype"; alias $PWD/$W/openapi.json; }
  }
}
CONF
nginx -p "$PWD/$W/nginx/" -e "$PWD/$W/nginx/error.log" -c "$PWD/$W/nginx/nginx.conf" &
pids+=($!)
for _ in $(seq 50); do curl -sf --max-time 1 -o /dev/null "http://127.0.0.1:$nport/api/v1/openapi.json" && break; sleep 0.1; done
curl -sf --max-time 10 "http://127.0.0.1:$nport/api/v1/openapi.json" | cmp -s - "$W/openapi.json" ||
  { echo "nginx does not serve the same bytes"; cat "$W/nginx/error.log"; exit 1; }
ntype=$(curl -s --max-time 10 -o /dev/null -w '%{content_type}' "http://127.0.0.1:$nport/api/v1/openapi.json")
[[ $ntype == "$mtype" ]] || { echo "Content-Type differs: maillage '$mtype', nginx '$ntype'"; exit 1; }

bench() { # URL -> "req/s p99_ms"; the full wrk output goes to $W/wrk.log
  timeout 15 wrk -t2 -c64 -d2s "$1" >/dev/null 2>&1 || true
  timeout 25 wrk -t2 -c64 -d10s --latency "$1" 2>&1 | tee -a "$W/wrk.log" | awk '
    /Non-2xx|Socket errors/ { print "wrk: " $0 >"/dev/stderr" }
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }; p99 = v }
    END { printf "%.0f %.3f\n", rps, p99 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "== wrk -t2 -c64 -d10s, $runs runs: maillage vs nginx, the same bytes ($(wc -c <"$W/openapi.json") B)"
: >"$W/m.txt"; : >"$W/n.txt"; : >"$W/d.txt"; : >"$W/wrk.log"
for i in $(seq "$runs"); do
  m=$(bench "http://127.0.0.1:$mport/api/v1/openapi.json"); echo "$m" >>"$W/m.txt"
  n=$(bench "http://127.0.0.1:$nport/api/v1/openapi.json"); echo "$n" >>"$W/n.txt"
  d=$(bench "http://127.0.0.1:$mport/api/v1/search?q=m%C3%A9canique&limit=20"); echo "$d" >>"$W/d.txt"
  echo "   run $i: maillage $m   nginx $n   maillage search $d   (req/s p99_ms)"
done
mr=$(cut -d' ' -f1 "$W/m.txt" | median); mp=$(cut -d' ' -f2 "$W/m.txt" | median)
nr=$(cut -d' ' -f1 "$W/n.txt" | median); np=$(cut -d' ' -f2 "$W/n.txt" | median)
dr=$(cut -d' ' -f1 "$W/d.txt" | median); dp=$(cut -d' ' -f2 "$W/d.txt" | median)
echo "   median: maillage $mr req/s p99 $mp ms; nginx $nr req/s p99 $np ms;" \
  "ratio $(awk -v a="$mr" -v b="$nr" 'BEGIN { printf "%.0f%%", 100 * a / b }') (goal >= 50%, p99 <= 5 ms)"
echo "   dynamic route /api/v1/search?q=mécanique: $dr req/s, p99 $dp ms (no peer)"

echo "== 1,000 slow clients from 127.0.0.2 (half a header, then silence, held 3 s), a new client from 127.0.0.1"
out=$(timeout 60 "$W/slowclient" "$mport" 1000 127.0.0.2 3) && rc=0 || rc=$?
echo "   $out"
echo "$out" >"$W/slow.txt"
read -r _ base _ acc _ ref _ ms _ st <<<"$out"
echo "   new client: status ${st:-none} in ${ms:-?} ms (goal < 1 s; ${base:-?} ms before the slow clients);" \
  "slow connections accepted ${acc:-?}, refused ${ref:-?} (per-address limit 256)"
[[ $rc -eq 0 ]] || { echo "   FAILED: the new client was not served within 1 s"; exit 1; }
