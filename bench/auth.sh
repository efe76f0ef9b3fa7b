#!/usr/bin/env bash
# auth.sh [RUNS=7] — what accounts cost (issue 11): requests per second on a
# cached route (/api/v1/info) signed in with a session cookie beside the
# same route without one, same server, same run (wrk -t2 -c64 -d5s, in
# pairs whose order alternates, so that the load of a shared machine falls
# on both; goal >= 90 %), and the cost of one login (Argon2id, libsodium's
# interactive limits: 2 passes over 64 MiB) measured as POST /api/v1/session
# over loopback, 15 times. Medians, and the median of the pairs' ratios.
# Works on a copy of the demo database.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
W=build/bench/auth
mkdir -p "$W"
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
make -s build/maillage >/dev/null
[[ -f build/demo.db ]] || make -s demo >/dev/null
cp build/demo.db "$W/auth.db"
rm -f "$W/auth.db-wal" "$W/auth.db-shm"
pw='bench password'
echo "$pw" | build/maillage --db "$W/auth.db" user add --org "DÉMO Agence de développement" \
  --role officer bench@demo.maillage.fr >/dev/null

pid=
cleanup() { [[ -n $pid ]] && { kill "$pid" 2>/dev/null || true; timeout 10 tail --pid="$pid" -f /dev/null || true; }; }
trap cleanup EXIT
build/maillage --db "$W/auth.db" serve --port 0 --quiet >"$W/serve.out" 2>&1 &
pid=$!
for _ in $(seq 300); do grep -q 'http://' "$W/serve.out" && break; sleep 0.1; done
port=$(grep -o 'http://127.0.0.1:[0-9]*' "$W/serve.out" | head -1 | cut -d: -f3)
[[ -n $port ]] || { echo "maillage did not start:"; cat "$W/serve.out"; exit 1; }
U=http://127.0.0.1:$port

# login -> "seconds cookie_value"
login() {
  local jar=$W/jar csrf
  rm -f "$jar"
  csrf=$(curl -sf --max-time 10 -c "$jar" -b "$jar" "$U/api/v1/session" | jq -r .csrf)
  local t
  t=$(curl -sf --max-time 30 -c "$jar" -b "$jar" -o /dev/null -w '%{time_total}' \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
    -d "{\"email\":\"bench@demo.maillage.fr\",\"password\":\"$pw\"}" "$U/api/v1/session")
  echo "$t $(awk '$6 == "maillage_session" { print $7 }' "$jar")"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; } # the server's user + system time
hz=$(getconf CLK_TCK)
bench() { # URL [COOKIE] -> "req/s server_cpu_us_per_request"
  local args=() t0 t1
  [[ -n ${2:-} ]] && args=(-H "Cookie: maillage_session=$2")
  timeout 15 wrk -t2 -c64 -d1s "${args[@]}" "$1" >/dev/null 2>&1 || true
  t0=$(cpu_ticks)
  timeout 25 wrk -t2 -c64 -d5s "${args[@]}" "$1" >"$W/one.log" 2>&1 || true
  t1=$(cpu_ticks)
  cat "$W/one.log" >>"$W/wrk.log"
  awk -v dt=$((t1 - t0)) -v hz="$hz" '
    /Non-2xx|Socket errors/ { print "wrk: " $0 >"/dev/stderr" }
    / requests in / { n = $1 }
    /Requests\/sec/ { rps = $2 }
    END { printf "%.0f %.1f\n", rps, n ? dt / hz * 1e6 / n : 0 }' "$W/one.log"
}

read -r _ cookie < <(login)
who=$(curl -sf -H "Cookie: maillage_session=$cookie" "$U/api/v1/session" | jq -r '.user.email // "nobody"')
[[ $who == bench@demo.maillage.fr ]] || { echo "the session cookie does not sign in ($who)"; exit 1; }

echo "== wrk -t2 -c64 -d5s on GET /api/v1/info (kept 10 s), $runs pairs: signed in vs not, order alternating"
: >"$W/anon.txt"; : >"$W/auth.txt"; : >"$W/ratio.txt"; : >"$W/wrk.log"
for i in $(seq "$runs"); do
  if ((i % 2)); then
    a=$(bench "$U/api/v1/info"); s=$(bench "$U/api/v1/info" "$cookie")
  else
    s=$(bench "$U/api/v1/info" "$cookie"); a=$(bench "$U/api/v1/info")
  fi
  echo "$a" >>"$W/anon.txt"; echo "$s" >>"$W/auth.txt"
  awk -v a="${s% *}" -v b="${a% *}" 'BEGIN { printf "%.1f\n", 100 * a / b }' >>"$W/ratio.txt"
  echo "   pair $i: without a session ${a% *} req/s (${a#* } µs CPU/request)   with a session" \
    "${s% *} req/s (${s#* } µs CPU/request)   ($(tail -1 "$W/ratio.txt") %)"
done
ar=$(cut -d' ' -f1 "$W/anon.txt" | median); sr=$(cut -d' ' -f1 "$W/auth.txt" | median)
ac=$(cut -d' ' -f2 "$W/anon.txt" | median); sc=$(cut -d' ' -f2 "$W/auth.txt" | median)
rr=$(median <"$W/ratio.txt")
echo "   median: without $ar req/s, with a session $sr req/s; ratio of the medians" \
  "$(awk -v a="$sr" -v b="$ar" 'BEGIN { printf "%.0f%%", 100 * a / b }'), median of the pairs' ratios $rr% (goal >= 90%)"
echo "   the server's CPU time per request (not swayed by other programs' load): without $ac µs," \
  "with a session $sc µs: $(awk -v a="$ac" -v b="$sc" 'BEGIN { printf "%.0f%%", 100 * a / b }') of the requests per CPU second"
echo "== one login (POST /api/v1/session: Argon2id ops=2 mem=64 MiB, a new session), 15 times"
: >"$W/login.txt"
for _ in $(seq 15); do read -r t _ < <(login); awk -v t="$t" 'BEGIN { printf "%.1f\n", t * 1000 }' >>"$W/login.txt"; done
lm=$(median <"$W/login.txt")
echo "   median $lm ms per login (min $(sort -n "$W/login.txt" | head -1), max $(sort -n "$W/login.txt" | tail -1));" \
  "one login costs as much as $(awk -v l="$lm" -v s="$sr" 'BEGIN { printf "%.0f", l / 1000 * s }') signed-in cached requests (median rate)"
