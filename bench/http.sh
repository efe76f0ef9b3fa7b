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
for p in wrk nginx; do command -v $p >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${p/nginx/nginx-light}" >/dev/null; done
make -s build/maillage >/dev/null
[[ -f build/demo.db ]] || make -s demo >/dev/null
cc -O2 -Wall -o "$W/slowclient" bench/slowclient.c

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

build/maillage --db build/demo.db serve --port 0 --quiet >"$W/serve.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q 'http://' "$W/serve.out" && break; sleep 0.1; done
mport=$(grep -o '127.0.0.1:[0-9]*' "$W/serve.out" | head -1 | cut -d: -f2)
curl -s "http://127.0.0.1:$mport/api/v1/openapi.json" >"$W/openapi.json"

nport=$((mport + 1))
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
    location = /api/v1/openapi.json { default_type "application/json; charset=utf-8"; alias $PWD/$W/openapi.json; }
  }
}
CONF
nginx -c "$PWD/$W/nginx/nginx.conf" &
pids+=($!)
sleep 0.5

bench() { # URL -> "req/s p99_ms"
  wrk -t2 -c64 -d2s "$1" >/dev/null 2>&1 || true
  wrk -t2 -c64 -d10s --latency "$1" 2>/dev/null | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }; p99 = v }
    END { printf "%.0f %.3f\n", rps, p99 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "== wrk -t2 -c64 -d10s, $runs runs: maillage vs nginx, the same bytes ($(wc -c <"$W/openapi.json") B)"
: >"$W/m.txt"; : >"$W/n.txt"; : >"$W/d.txt"
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

echo "== 1,000 slow clients from 127.0.0.2 (half a header, then silence), a new client from 127.0.0.1"
"$W/slowclient" "$mport" 1000 127.0.0.2 | sed 's/^/   /'
