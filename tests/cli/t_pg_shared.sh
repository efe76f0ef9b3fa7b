# t_pg_shared.sh — a shared deployment: two `maillage serve` on one PostgreSQL
# database behind nginx (round robin). A verdict written through one server is
# read through the other and through the proxy; a territory summary and a
# record are the same from both.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../pg/cluster.sh"
D=$(cd "$(dirname "$0")/../data" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ASM=91000001700012 NEAR=91000002500015

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [[ ! -x $NGINX ]]; then echo "ok 1 - two servers behind nginx # SKIP nginx is not installed"; exit 0; fi
if [[ ! -d $ROOT/node_modules ]]; then
  echo "ok 1 - two servers behind nginx # SKIP no node_modules (npm ci): the servers cannot start"
  exit 0
fi
pg_cluster_start
case $? in
  0) ;;
  1) echo "ok 1 - two servers behind nginx # SKIP $PG_WHY"; exit 0 ;;
  *) fail "a throwaway PostgreSQL cluster starts" "$PG_WHY"; pg_cluster_stop; exit 1 ;;
esac
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  [[ -f $TMP/nginx/nginx.pid ]] && kill "$(cat "$TMP/nginx/nginx.pid")" 2>/dev/null
  pg_cluster_stop
  rm -rf "$TMP"
}
trap cleanup EXIT
PG=$PG_URL

run --db "$PG" init
check "init on the shared PostgreSQL database" status_is 0
run --db "$PG" import sirene "$D/fixture_match.csv" --rejects "$TMP/rejects.csv"
check "… and an import" status_is 0
run --db "$PG" import unites "$D/fixture_unites.csv" --rejects "$TMP/rejects.csv"

# serve N — server N on a free port: PORT[N].
declare -A PORT
serve() {
  "$BIN" --db "$PG" serve --port 0 --quiet >"$TMP/serve$1.out" 2>"$TMP/serve$1.err" &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 300); do
    PORT[$1]=$(sed -nE 's|^maillage serves .* on http://[0-9.]+:([0-9]+)/.*|\1|p' "$TMP/serve$1.out")
    [[ -n ${PORT[$1]} ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
}
serve 1
serve 2
check "two servers start on the same PostgreSQL database" test -n "${PORT[1]}" -a -n "${PORT[2]}"
# A password in the URL is never printed (the socket's trust authentication
# ignores it, so the command connects and prints where it is).
run --db "postgresql://maillage:s3cret@/maillage?host=$PG_DIR" info
check "info prints the database with its password masked" \
  test "$RC:$(lacks "$OUT" s3cret && has "$OUT" "maillage:***@" && echo masked)" = "0:masked"

# nginx in front, round robin, on a free port (its files in $TMP).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NPORT=$(free_port)
mkdir -p "$TMP/nginx/logs"
cat >"$TMP/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  upstream maillage { server 127.0.0.1:${PORT[1]}; server 127.0.0.1:${PORT[2]}; }
  server {
    listen 127.0.0.1:$NPORT;
    location / {
      proxy_pass http://maillage;
      proxy_set_header Host 127.0.0.1;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
CONF
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" 2>"$TMP/nginx/start.err"
for _ in $(seq 50); do [[ -f $TMP/nginx/nginx.pid ]] && break; sleep 0.1; done
check "nginx starts in front of them" test -f "$TMP/nginx/nginx.pid"

get() { curl -s "http://127.0.0.1:$1/api/v1/$2" | jq -S 'del(.. | .milliseconds?)'; }
# Through the proxy, requests go to both servers.
ups=$(for _ in 1 2 3 4; do curl -s -o /dev/null -D - "http://127.0.0.1:$NPORT/api/v1/info" |
  sed -nE 's/^X-Upstream: (.*)\r$/\1/p'; done | sort -u | wc -l)
check "the proxy sends requests to both servers (round robin)" test "$ups" = 2

# A write through server 1 ...
code=$(curl -s -o "$TMP/post.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"supplier\":\"$NEAR\",\"buyer\":\"$ASM\",\"verdict\":\"accept\",\"author\":\"agence A\"}" \
  "http://127.0.0.1:${PORT[1]}/api/v1/verdicts")
check "a verdict recorded through server 1" test "$code" = 201
# ... is read through server 2 and through the proxy.
check "… is read through server 2" test "$(get "${PORT[2]}" "establishments/$ASM/links" |
  jq -r '.links[0].author // empty')" = "agence A"
proxy_links=$(for _ in 1 2; do get "$NPORT" "establishments/$ASM/links" | jq -r '.links | length'; done | sort -u)
check "… and through the proxy, whichever server answers" test "$proxy_links" = 1
# A write through the proxy is read through each server.
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"supplier\":\"$NEAR\",\"buyer\":\"$ASM\",\"verdict\":\"note\",\"note\":\"rencontre le 3\",\"author\":\"agence B\"}" \
  "http://127.0.0.1:$NPORT/api/v1/verdicts")
check "a note recorded through the proxy" test "$code" = 201
for n in 1 2; do
  check "… is read through server $n" test "$(get "${PORT[$n]}" "establishments/$ASM/links" |
    jq -r '.notes[0].note // empty')" = "rencontre le 3"
done
# Reads agree.
a=$(get "${PORT[1]}" "territories/13") b=$(get "${PORT[2]}" "territories/13")
check "a territory summary is the same from both servers ($(jq -r '.establishments.active' <<<"$a") open)" \
  test "$(jq -r '.establishments.active | type' <<<"$a")" = number -a "$a" = "$b"
a=$(get "${PORT[1]}" "establishments/$ASM") b=$(get "${PORT[2]}" "establishments/$ASM")
check "an establishment's record is the same from both servers" \
  test "$(jq -r '.siret' <<<"$a")" = "$ASM" -a "$a" = "$b"
