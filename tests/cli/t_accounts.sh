# t_accounts.sh — organisations and accounts from the command line, as the
# local administrator: org, user (password on standard input), workspace,
# invite, audit; clear errors; the audit log append-only; and the same on
# PostgreSQL (a throwaway cluster, skipped when absent), signing in through
# a server that keeps its sessions there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../pg/cluster.sh"
PW='correct horse battery'

# accounts DB LABEL — the whole CLI tour on one database.
accounts() {
  local db=$1 lbl=$2
  run --db "$db" init
  check "$lbl: init" status_is 0
  run --db "$db" org add "Agence Sud" --type agency
  check "$lbl: org add prints the new organisation" has "$OUT" "organisation 1: Agence Sud (agency)"
  run --db "$db" org add "Agence Sud"
  check "$lbl: … a name given twice is refused, saying why" has "$ERR" "an organisation named 'Agence Sud' exists"
  run --db "$db" org add "Préfecture" --type prefecture
  run --db "$db" org add X --type bank
  check "$lbl: … an unknown type is refused with the list" has "$ERR" "agency, epci, prefecture, cluster, chamber, company or buyer"
  OUT=$(printf '%s\n' "$PW" | "$BIN" --db "$db" user add --admin --org "Agence Sud" Admin@Agence.example 2>&1); RC=$?
  check "$lbl: user add --admin reads the password from standard input" has "$OUT" "account 1: Admin@Agence.example"
  OUT=$(printf 'short\n' | "$BIN" --db "$db" user add --org "Agence Sud" v@p.example 2>&1); RC=$?
  check "$lbl: … a password of fewer than 8 bytes is refused" has "$OUT" "a password has from 8 to 200 bytes"
  OUT=$(printf '%s\n' "$PW" | "$BIN" --db "$db" user add --org Nulle v@p.example 2>&1); RC=$?
  check "$lbl: … an unknown organisation is named" has "$OUT" "no organisation named 'Nulle'"
  OUT=$(printf '%s\n' "$PW" | "$BIN" --db "$db" user add --org Préfecture --role viewer pas-un-email 2>&1); RC=$?
  check "$lbl: … so is an address that is not one" has "$OUT" "'pas-un-email' is not an email address"
  OUT=$(printf '%s\n' "$PW" | "$BIN" --db "$db" user add --org Préfecture --role viewer v@p.example 2>&1); RC=$?
  check "$lbl: a viewer of the prefecture" status_is 0
  OUT=$(printf '%s\n' "$PW" | "$BIN" --db "$db" user add --org Préfecture v@p.example 2>&1); RC=$?
  check "$lbl: … an email given twice is refused" has "$OUT" "an account with the email v@p.example exists"
  run --db "$db" user list
  check "$lbl: user list: emails (lower case), roles, organisations" \
    bash -c '[[ $0 == *"admin@agence.example"*"site admin"*"Agence Sud: admin"* && $0 == *"v@p.example"*"Préfecture: viewer"* ]]' "$OUT"
  run --db "$db" user disable v@p.example
  check "$lbl: user disable" has "$OUT" "v@p.example disabled"
  run --db "$db" user list --json
  check "$lbl: … the list says so" test "$(json_get '.[] | select(.email == "v@p.example") | .disabled')" = true
  run --db "$db" user enable v@p.example
  OUT=$(printf 'another password\n' | "$BIN" --db "$db" user passwd v@p.example 2>&1); RC=$?
  check "$lbl: user passwd sets a password from standard input" has "$OUT" "v@p.example: password set"
  run --db "$db" workspace share "Réseau Sud" "Agence Sud"
  run --db "$db" workspace share "Réseau Sud" "Préfecture"
  run --db "$db" workspace list
  check "$lbl: workspace share and list" has "$OUT" "Réseau Sud: Agence Sud, Préfecture"
  run --db "$db" invite "Agence Sud" --role officer --url https://carto.example.org/
  check "$lbl: invite prints a one-time link" bash -c '[[ $0 =~ ^https://carto\.example\.org/#/invite/[A-Za-z0-9_-]{43}$ ]]' "$OUT"
  run --db "$db" audit
  check "$lbl: audit lists every write with its author (the local administrator)" \
    bash -c '[[ $0 == *"(local)"*"org.add Agence Sud"* && $0 == *"user.disable v@p.example"* && $0 == *"invite.create"* && $0 == *"cli init"* ]]' "$OUT"
  run --db "$db" audit --csv "$TMP/audit-$lbl.csv"
  check "$lbl: audit --csv writes a file for a French spreadsheet" \
    bash -c 'head -c 3 "$0" | od -An -tx1 | grep -q "ef bb bf" && grep -q "id;at;actor" "$0"' "$TMP/audit-$lbl.csv"
  run --db "$db" audit --since 2999-01-01
  check "$lbl: audit --since a day to come: no entry" has "$OUT" "no entry"
  run --db "$db" audit --since yesterday
  check "$lbl: … a day that is not one is refused" has "$ERR" "--since expects a day YYYY-MM-DD"
}

accounts "$TMP/a.db" sqlite
check "sqlite: the audit log refuses an UPDATE" bash -c 'sqlite3 "$0" "UPDATE audit SET actor = 1" 2>&1 | grep -q append-only' "$TMP/a.db"
check "sqlite: … and a DELETE" bash -c 'sqlite3 "$0" "DELETE FROM audit" 2>&1 | grep -q append-only' "$TMP/a.db"
run user --help
check "user --help explains the roles" has "$OUT" "guest (its own records), viewer (reads)"

pg_cluster_start
case $? in
  0) ;;
  1) echo "ok $((N + 1)) - PostgreSQL accounts # SKIP $PG_WHY"; exit 0 ;;
  *) fail "a throwaway PostgreSQL cluster starts" "$PG_WHY"; pg_cluster_stop; exit 1 ;;
esac
trap 'pg_cluster_stop; rm -rf "$TMP"' EXIT
accounts "$PG_URL" postgresql
check "postgresql: the audit log refuses an UPDATE" \
  bash -c '"$0/psql" -X -q "$1" -c "UPDATE audit SET actor = 1" 2>&1 | grep -q append-only' "$PG_BIN" "$PG_URL"
check "postgresql: … a DELETE and a TRUNCATE" \
  bash -c '"$0/psql" -X -q "$1" -c "DELETE FROM audit" 2>&1 | grep -q append-only && "$0/psql" -X -q "$1" -c "TRUNCATE audit" 2>&1 | grep -q append-only' "$PG_BIN" "$PG_URL"
# Signing in through a server whose sessions are kept in PostgreSQL.
"$BIN" --db "$PG_URL" serve --port 0 --quiet >"$TMP/serve.out" 2>"$TMP/serve.err" &
SRV=$!
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null; pg_cluster_stop; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do grep -q "maillage serves" "$TMP/serve.out" && break; sleep 0.1; done
PORT=$(sed -nE 's|.*http://127\.0\.0\.1:([0-9]+)/.*|\1|p' "$TMP/serve.out")
J="$TMP/cookies"
CSRF=$(curl -s -c "$J" -b "$J" "http://127.0.0.1:$PORT/api/v1/session" | jq -r .csrf)
OUT=$(curl -s -c "$J" -b "$J" -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
  -d "{\"email\":\"admin@agence.example\",\"password\":\"$PW\"}" "http://127.0.0.1:$PORT/api/v1/session")
check "postgresql: a login through the server opens a session kept in PostgreSQL" \
  test "$(jq -r '.user.role + " " + .user.organisation.name' <<<"$OUT")" = "admin Agence Sud"
OUT=$(curl -s -b "$J" "http://127.0.0.1:$PORT/api/v1/account")
check "postgresql: … which the next request reads back" test "$(jq -r '.sessions | length' <<<"$OUT")" = 1
check "postgresql: … one session row, its secret kept only as a hash" \
  test "$("$PG_BIN/psql" -X -qtA "$PG_URL" -c "SELECT count(*) FROM session WHERE length(hash) = 64")" = 1
# The server knows the PostgreSQL database has accounts: a change needs a session.
OUT=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"supplier":"91000002500015","buyer":"91000001700012","verdict":"accept"}' "http://127.0.0.1:$PORT/api/v1/verdicts")
check "postgresql: … and a change without a session is refused (401)" test "$OUT" = 401
ERR=$(timeout 3 "$BIN" --db "$PG_URL" serve --bind 0.0.0.0 --port 0 --quiet 2>&1 >/dev/null); RC=$?
check "postgresql: serve beyond this machine does not warn of a database without accounts" lacks "$ERR" "no accounts yet"
