# t_update_live.sh — an update of establishments beside a running server
# (SQLite): while the import reads and compares its file it holds no write
# lock, so a write through the API goes through at once instead of waiting
# for the whole import; the update still commits as one; and another import
# that ends while it reads makes it stop with nothing changed.
. "$(dirname "$0")/lib.sh"

if [[ $ENGINE == pg ]]; then
  # PostgreSQL never locks the API's tables for an import (MVCC; t_pg_shared.sh).
  skip_on_pg "an API write goes through while an update reads its file" "SQLite's locking"
  exit 0
fi

run init
check "init" status_is 0
run demo --territory 13 --size 100000 --seed 11 --out "$TMP/m1"
check "a generated stock of 100,000 establishments" status_is 0
M1=$TMP/m1/StockEtablissement_utf8.csv
run import sirene "$M1" --quiet
check "the first stock imports" status_is 0

# The next month: one sign changes (the last establishment of the file).
python3 - "$M1" "$TMP/m2.csv" >"$TMP/picked" <<'PY'
import csv, sys
src, dst = sys.argv[1:3]
with open(src, newline='', encoding='utf-8', errors='surrogateescape') as f:
    rows = list(csv.reader(f))
h = rows[0]; ix = {n: i for i, n in enumerate(h)}
for r in reversed(rows[1:]):
    if (len(r) == len(h) and r[ix['statutDiffusionEtablissement']] == 'O'
            and r[ix['etatAdministratifEtablissement']] == 'A'):
        r[ix['enseigne1Etablissement']] = 'ZORGLUBIUM'
        print(r[ix['siret']])
        break
with open(dst, 'w', newline='', encoding='utf-8', errors='surrogateescape') as f:
    csv.writer(f, lineterminator='\n').writerows(rows)
PY
MODIFIED=$(cat "$TMP/picked")
check "an establishment picked to change" test -n "$MODIFIED"
A=$(sqlite3 "$MAILLAGE_DB" "select printf('%014d', siret) from etab where diffusion = 'O' and state = 'A' limit 1")
B=$(sqlite3 "$MAILLAGE_DB" "select printf('%014d', siret) from etab where diffusion = 'O' and state = 'A' limit 1 offset 1")

"$BIN" serve --port 0 --quiet >"$TMP/serve.out" 2>"$TMP/serve.err" &
SRV=$!
trap 'kill $SRV $IMP 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
IMP=
for _ in $(seq 100); do grep -q "maillage serves" "$TMP/serve.out" && break; sleep 0.1; done
PORT=$(sed -nE 's|.*http://127\.0\.0\.1:([0-9]+)/.*|\1|p' "$TMP/serve.out")
check "a server on the same database" test -n "$PORT"

# Starts an update in the background and freezes it (SIGSTOP) while it reads
# its file: once its offset in the file (/proc fdinfo) has passed 40%: the
# rows it compares trail the reading by at most a few thousand, and nothing is
# written before the whole file is read. Sets IMP, and POS/SIZE as frozen.
start_frozen() {
  local f=$1 fd
  SIZE=$(stat -c %s "$f") POS=0
  "$BIN" import sirene "$f" --quiet --rejects "$TMP/r.csv" >"$TMP/imp.out" 2>"$TMP/imp.err" &
  IMP=$!
  for _ in $(seq 20000); do
    fd=$(ls -l /proc/$IMP/fd 2>/dev/null | awk -v f="$f" '$NF == f { print $(NF - 2) }')
    [[ -n $fd ]] && POS=$(awk '/^pos:/ { print $2 }' /proc/$IMP/fdinfo/$fd 2>/dev/null)
    if [[ ${POS:-0} -gt $((SIZE * 4 / 10)) ]]; then
      kill -STOP $IMP
      POS=$(awk '/^pos:/ { print $2 }' /proc/$IMP/fdinfo/$fd 2>/dev/null)
      return
    fi
    kill -0 $IMP 2>/dev/null || return
    sleep 0.001
  done
}
verdict() {
  curl -s -o "$TMP/v.json" -w '%{http_code} %{time_total}' -H 'Content-Type: application/json' \
    -d "{\"supplier\":\"$A\",\"buyer\":\"$B\",\"verdict\":\"note\",\"note\":\"$1\"}" \
    "http://127.0.0.1:$PORT/api/v1/verdicts"
}

start_frozen "$TMP/m2.csv"
check "the update is stopped while it reads its file (it has not ended)" \
  test "$(ps -o stat= -p $IMP | cut -c1)/$(wc -c <"$TMP/imp.out")/$((POS < SIZE))" = "T/0/1"
read -r CODE _ <<<"$(verdict "during the update")"
# (A write that waited for the import's lock would be refused after 5 s: the
# import is stopped, it would never let go.)
check "a verdict posted meanwhile is stored (201), not refused for a busy database" \
  test "$CODE" = 201
kill -CONT $IMP
wait $IMP; RC=$?
OUT=$(cat "$TMP/imp.out")
check "the update then ends well" status_is 0
check "… and reports its one change" has "$OUT" "changes: 0 new, 1 modified, 0 closed"
check "the verdict posted during the update is kept" \
  test "$(sqlite3 "$MAILLAGE_DB" "select count(*) from verdict where note = 'during the update'")" = 1
check "the change is written, with its date" \
  test "$(sqlite3 "$MAILLAGE_DB" "select change from etab_change where siret = $MODIFIED")" = modified
run search zorglubium --json
check "the search index follows the change" test "$(json_get '.results[0].siret')" = "$MODIFIED"
check "the territory's data is dated by the last import that read it, changed or not" \
  test "$(sqlite3 "$MAILLAGE_DB" "select count(distinct run) || ' ' || (max(run) = (select max(id) from import_run)) from import_cover")" = "1 1"

# Two updates at once: the one that ends second stops, with nothing changed.
python3 - "$TMP/m2.csv" "$TMP/m3.csv" <<'PY'
import sys
src, dst = sys.argv[1:3]
open(dst, 'w').write(open(src).read().replace('ZORGLUBIUM', 'ZORGLUBIUM DEUX'))
PY
RUNS=$(sqlite3 "$MAILLAGE_DB" "select count(*) from import_run")
start_frozen "$TMP/m1/StockEtablissement_utf8.csv"
check "another update is stopped while it reads its file" \
  test "$(ps -o stat= -p $IMP | cut -c1)/$((POS < SIZE))" = "T/1"
run import sirene "$TMP/m3.csv" --quiet --rejects "$TMP/r3.csv"
check "an update that starts and ends while another reads goes through" status_is 0
kill -CONT $IMP
wait $IMP; RC=$?
ERR=$(cat "$TMP/imp.err")
check "the other one then stops with a clear message (busy: run it again)" \
  has "$ERR" "another import of establishments or legal units ended while this one was reading its file; nothing was changed"
check "… and changes nothing: the sign is the second update's" \
  test "$(sqlite3 "$MAILLAGE_DB" "select sign from etab where siret = $MODIFIED")" = "ZORGLUBIUM DEUX"
check "… and records no run of its own" \
  test "$(sqlite3 "$MAILLAGE_DB" "select count(*) from import_run")" = $((RUNS + 1))

# The first legal units over 100,000 establishments: nearly every index row
# changes (it holds the units' names), so the index is made again at once.
NAME=$(awk -F, 'NR > 1 && $2 == "O" && $24 ~ /^DÉMO [A-Z][a-z]+ [A-Z][a-z]+$/ { print $24; exit }' "$TMP/m1/StockUniteLegale_utf8.csv")
run search "${NAME#DÉMO }" --json
BEFORE=$(json_get '.total')
OUT=$(MAILLAGE_LOG=debug "$BIN" import unites "$TMP/m1/StockUniteLegale_utf8.csv" --quiet 2>&1); RC=$?
check "the first legal units import over the update's establishments" status_is 0
check "… and make the search index again in one pass" has "$OUT" "the index is made again"
check "… which holds every public establishment once" \
  test "$(sqlite3 "$MAILLAGE_DB" "select (select count(*) from etab_fts) = (select count(*) from etab where diffusion = 'O')")" = 1
run search "${NAME#DÉMO }" --json
check "… and finds more establishments by a company's name (${NAME#DÉMO }) than before" \
  test "$(json_get '.total')" -gt "$BEFORE"
