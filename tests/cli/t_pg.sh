# t_pg.sh — PostgreSQL as a second engine: a throwaway cluster (tests/pg/cluster.sh),
# `init`, the fixtures of t_match.sh imported into PostgreSQL and into SQLite, and
# the two engines' answers compared: imports, vocabulary, search (hits, order,
# totals, facets, completions), profiles, matching, networks, the API; a killed
# import leaves the previous data intact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../pg/cluster.sh"
D=$(cd "$(dirname "$0")/../data" && pwd)
ASM=91000001700012 NEAR=91000002500015 SOLO=91000004100012 PRIV=91000006600019
SQ="$TMP/sqlite.db"

pg_cluster_start
case $? in
  0) ;;
  1) echo "ok 1 - PostgreSQL engine # SKIP $PG_WHY"; exit 0 ;;
  *) fail "a throwaway PostgreSQL cluster starts" "$PG_WHY"; pg_cluster_stop; exit 1 ;;
esac
trap 'pg_cluster_stop; rm -rf "$TMP"' EXIT
PG=$PG_URL
psql() { "$PG_BIN/psql" "$@"; } # the cluster's own client
psql_value() { psql -X -qtA "$PG" -c "$1"; }

# both ARGS... — runs maillage on SQLite then on PostgreSQL: $SQ_OUT, $PG_OUT
# (timings taken out), their statuses $SQ_RC, $PG_RC, PostgreSQL's stderr $PG_ERR.
untimed() { sed -E 's/ in [0-9.]+ s \([0-9]+ rows\/s\)//'; }
both() {
  run --db "$SQ" "$@"; SQ_OUT=$(untimed <<<"$OUT"); SQ_RC=$RC
  run --db "$PG" "$@"; PG_OUT=$(untimed <<<"$OUT"); PG_RC=$RC; PG_ERR=$ERR
}
# both_json ARGS... — the same, JSON output without its timings (milliseconds).
both_json() {
  both "$@"
  SQ_OUT=$(jq -S 'del(.. | .milliseconds?)' <<<"$SQ_OUT" 2>&1)
  PG_OUT=$(jq -S 'del(.. | .milliseconds?)' <<<"$PG_OUT" 2>&1)
}
same() { [[ $SQ_RC -eq 0 && $PG_RC -eq 0 && -n $SQ_OUT && "$SQ_OUT" == "$PG_OUT" ]]; }
check_same() {
  if same; then pass "$1"; else
    fail "$1" "sqlite rc=$SQ_RC, postgresql rc=$PG_RC" "postgresql stderr: ${PG_ERR:0:400}" \
      "diff: $(diff <(echo "$SQ_OUT") <(echo "$PG_OUT") | head -20 | tr '\n' '|')"
  fi
}

# ------------------------------------------------------------ opening, schema
run --db "$PG" init
check "maillage --db postgresql://… init creates the schema and loads the reference data" status_is 0
run --db "$SQ" init
check "… and the SQLite database beside it" status_is 0
check "… the same number of versioned migrations as SQLite" \
  test "$(psql_value "SELECT value FROM meta WHERE key = 'schema_version'")" = "$(sqlite3 "$SQ" 'PRAGMA user_version')"
diffs=""
for t in region departement epci commune naf naf_level io_use io_branch io_class io_general \
  io_resale naf_sample naf_group_share legal_form vocabulary postcode; do
  a=$(sqlite3 "$SQ" "SELECT count(*) FROM $t") b=$(psql_value "SELECT count(*) FROM $t")
  [[ $a == "$b" && $a -gt 0 ]] || diffs+=" $t:$a/$b"
done
check "… every reference table holds the same rows as on SQLite${diffs:+ (differ:$diffs)}" test -z "$diffs"
sum_sq=$(sqlite3 "$SQ" "SELECT printf('%.6f', sum(weight)) || ' ' || sum(general) FROM io_class")
sum_pg=$(psql_value "SELECT to_char(sum(weight), 'FM999999990.000000') || ' ' || sum(general) FROM io_class")
check "… with the same values (inter-industry weights: $sum_pg)" test "$sum_sq" = "$sum_pg"
check "… and the French text-search configuration with accents folded" \
  test "$(psql_value "SELECT to_tsvector('maillage_fr', 'Décolletage des Pièces')::text")" = "'decolletag':1 'piec':3"
run --db "$PG" init
check "init runs again on a migrated database (reference data reloaded, no migration)" status_is 0

# Two processes opening a new database at once: one migrates, the other waits.
psql_value "CREATE DATABASE twice" >/dev/null
TWICE="postgresql:///twice?host=$PG_DIR&user=maillage"
"$BIN" --db "$TWICE" init >"$TMP/i1" 2>&1 & i1=$!
"$BIN" --db "$TWICE" init >"$TMP/i2" 2>&1 & i2=$!
wait $i1; r1=$?; wait $i2; r2=$?
check "two inits at once on a new database both succeed" test "$r1$r2" = 00
check "… leaving one schema and the reference data once" test "$(psql -X -qtA "$TWICE" -c \
  "SELECT (SELECT value FROM meta WHERE key = 'schema_version') || ' ' || (SELECT count(*) FROM commune)")" = \
  "$(psql_value "SELECT (SELECT value FROM meta WHERE key = 'schema_version') || ' ' || (SELECT count(*) FROM commune)")"
psql -X -q "$TWICE" -c "UPDATE meta SET value = '99' WHERE key = 'schema_version'"
run --db "$TWICE" match $ASM
check "a database of a newer maillage is refused, and left as it is" \
  test "$(has "$ERR" "schema version 99 is newer than this maillage" && echo said) $(psql -X -qtA "$TWICE" -c "SELECT value FROM meta WHERE key = 'schema_version'")" = "said 99"

run --db "postgresql:///nosuchdb?host=$PG_DIR&user=maillage" match $ASM
check "a database that does not exist: a clear error naming the database and the host" \
  has "$ERR" "cannot connect to PostgreSQL database nosuchdb on $PG_DIR"
run --db "postgres:///maillage?host=$TMP/nowhere" match $ASM
check "postgres:// selects PostgreSQL too; no server there: said so" \
  has "$ERR" "cannot connect to PostgreSQL database maillage on $TMP/nowhere"
check "… as a failure, not a usage error" status_is 1
check "… in one line (libpq's line breaks joined)" test "$(wc -l <<<"$ERR")" = 1
run --db "postgresql://maillage:secret@/maillage?host=%zz" match $ASM
check "a malformed URL is a usage error that does not repeat the URL (it may hold a password)" \
  test "$RC:$(lacks "$ERR" secret && echo hidden)" = "2:hidden"

# ------------------------------------------------------------------- imports
both import sirene "$D/fixture_match.csv" --rejects "$TMP/rejects.csv"
check_same "import sirene: the same summary on both engines (${PG_OUT%%$'\n'*})"
both import unites "$D/fixture_unites.csv" --rejects "$TMP/rejects.csv"
check_same "import unites: the same summary on both engines"
both import sirene "$D/fixture_match.csv" --rejects "$TMP/rejects.csv"
check_same "a second import replaces, and says so alike"
check "… replaced, not added" has "$PG_OUT" "8 imported (8 replaced)"
check "… and PostgreSQL holds each establishment once, from the last run" \
  test "$(psql_value "SELECT count(*) || ' ' || count(DISTINCT run) FROM etab")" = "8 1"
printf '%s\n' "$(head -2 "$D/fixture_match.csv")" "$(sed -n 2p "$D/fixture_match.csv")" >"$TMP/dup.csv"
both import sirene "$TMP/dup.csv" --rejects "$TMP/rejects.csv"
check_same "a SIRET twice in one file: the same answer on both engines"

printf 'term,naf,note\ndécolletage fin,25.62A,test\nsoudure laser,25.62B,\n' >"$TMP/voc.csv"
both vocabulary import "$TMP/voc.csv" --rejects "$TMP/rejects.csv"
check_same "vocabulary import: the same summary on both engines"
both vocabulary list
check_same "vocabulary list: the user's entries, alike"
check "… really there" has "$PG_OUT" "soudure laser"
both vocabulary show "décolletage fin"
check_same "vocabulary show: the search lexicon, built from the reference tables, alike"

# ------------------------------------------------------------------ matching
both_json match $ASM --json
check_same "match --json: the same suggestions, scores and reasons on both engines"
check "… and they are the real ones (t_match.sh's order)" \
  test "$(jq -r '[.suggestions[].siret]|join(",")' <<<"$PG_OUT")" = "$NEAR,$SOLO,91000003300019,91000005800016"
both_json match $NEAR --customers --json
check_same "match --customers --json: the same on both engines"
both_json match $ASM --brute-force --radius 10 --json
check_same "match --brute-force --radius 10: the same on both engines"
both match $ASM --lang fr
check_same "match in text (French): the same on both engines"
# The records, the territory summary and the lists built above the backends
# (lib/firm, lib/territory, lib/privacy) from typed rows: the same on both.
both_json show $ASM --json
check_same "show --json: the same record on both engines (names, labels, chain, company)"
both show $PRIV
check "show of a restricted (P) establishment: refused on PostgreSQL too" \
  test "$PG_RC" = 1 -a "$SQ_RC" = 1 -a "$(has "$PG_ERR" "restricted diffusion" && echo y)" = y
both_json territory 13 --json
SQ_OUT=$(jq -S 'del(.sources.sirene.imported)' <<<"$SQ_OUT"); PG_OUT=$(jq -S 'del(.sources.sirene.imported)' <<<"$PG_OUT")
check_same "territory 13 --json: the same figures and breakdowns, secrecy applied alike"
# Territory diagnostics (lib/territory/indicators.c, perimeters.c) from the
# backends' activity cells, years, coverage and perimeters.
both_json territory 200054807 --indicators --base 13 --level class --json
check_same "territory --indicators: the same jobs, quotients, categories and years on both"
printf '13001\n13055\n' >"$TMP/perimeter.txt"
both_json territory define "Aix et Marseille" "$TMP/perimeter.txt" --json
check_same "territory define: the same perimeter (communes, population) on both"
both_json territory p-aix-et-marseille --json
SQ_OUT=$(jq -S 'del(.sources.sirene.imported)' <<<"$SQ_OUT"); PG_OUT=$(jq -S 'del(.sources.sirene.imported)' <<<"$PG_OUT")
check_same "a perimeter's summary: the same on both"
both territory list
check_same "territory list: the user's perimeter and the 332 Territoires d'industrie on both"
both_json territory ti-9301 --indicators --json
check_same "a Territoire d'industrie's indicators: the same on both"
both territory delete p-aix-et-marseille
check_same "territory delete: on both"
both_json info --json
SQ_OUT=$(jq -S '.counts' <<<"$SQ_OUT"); PG_OUT=$(jq -S '.counts' <<<"$PG_OUT")
check_same "info: the same counts on both engines"
both match $PRIV
check "a restricted establishment gets no suggestions on PostgreSQL either" \
  test "$SQ_RC/$PG_RC/${#PG_OUT}" = "1/1/0"

# ------------------------------------------------------------------ networks
both group add "Lauréats" "$D/fixture_network.txt" --rejects "$TMP/g.csv"
check_same "group add: the same members added and rejected"
both_json group list --json
SQ_OUT=$(jq 'del(.[].created)' <<<"$SQ_OUT") PG_OUT=$(jq 'del(.[].created)' <<<"$PG_OUT")
check_same "group list: the same networks and sizes"
both_json network "Lauréats" --json
check_same "network report: the same pairs, bonuses and outside partners"
run --db "$SQ" network "Lauréats" --csv "$TMP/sq.csv"
run --db "$PG" network "Lauréats" --csv "$TMP/pg.csv"
check "… and the same CSV export, byte for byte" cmp -s "$TMP/sq.csv" "$TMP/pg.csv"
check "… a real report (pairs found)" test "$(jq '.pairs|length' <<<"$PG_OUT")" -ge 1
both_json match $ASM --json
check_same "after the network, match gives the same network bonus on both engines"
both_json links $ASM --json
check_same "links: the same (no verdict yet)"
both network "Nope"
check "an unknown network is reported on PostgreSQL too" has "$PG_ERR" "no network named 'Nope'"

# -------------------------------------------------------------------- search
# PostgreSQL's own full-text search (tsvector, tsquery, GIN) over the words
# ml_text_fold gives: the same hits, order, totals and facets as FTS5.
search_same() { # DESC ARGS... — search --json on both engines, compared
  local d=$1; shift
  both_json search "$@" --json
  check_same "search $*: $d"
}
search_same "a trade word stands for its sub-classes (same hits, same order)" usinage
check "… real hits (open before closed, bigger first)" \
  test "$(jq -r '[.results[].siret]|join(",")' <<<"$PG_OUT")" = "91000001700020,91000007400013"
search_same "with facets (départements, sections, sizes, secrecy applied alike)" fixture --facets
check "… the facets counted all of them" test "$(jq -r '.facets.counted' <<<"$PG_OUT")" = 7
search_same "a name word" equipementier
search_same "a name word and a place" "equipementier toulon"
search_same "a commune's name finds its establishments" aix --facets
search_same "a word being typed (prefix)" equip --prefix
search_same "a word being typed that is also a trade" usin --prefix
search_same "filters: département, open only, minimum size" fixture --dep 13 --active --size-min 11
search_same "filters: a commune by name, with a trade" usinage --commune Aix-en-Provence
search_same "filters: an EPCI and a région" fixture --epci 200054807 --region 93
search_same "filters alone: a NAF division, no words" --naf 29 --facets
search_same "filters alone: a département" --dep 83
search_same "a page further (offset, limit)" fixture --offset 2 --limit 2
search_same "a SIREN: the company's public establishments" 910000017
search_same "a SIRET" 91000001700012
search_same "a word of a wider description only: neighbouring trades" perçage
search_same "nothing found: the nearest trades" usinnage
search_same "a restricted (P) establishment is never found by its trade" "mécanique industrielle" --facets
check "… on PostgreSQL either" lacks "$PG_OUT" 91000006600019
both search usinage --dep 13
check_same "search in text: the same answer"
run --db "$SQ" search fixture --csv "$TMP/sq-search.csv"
run --db "$PG" search fixture --csv "$TMP/pg-search.csv"
check "search --csv: the same export, byte for byte" cmp -s "$TMP/sq-search.csv" "$TMP/pg-search.csv"
check "PostgreSQL keeps the search rows in a tsvector under a GIN index" \
  test "$(psql_value "SELECT count(*) FROM pg_indexes WHERE tablename = 'etab_search' AND indexdef LIKE '%USING gin (words)%'")" = 1
check "… one row per establishment that may be listed (the public ones)" \
  test "$(psql_value "SELECT count(*) FROM etab_search")" = 7
check "… and the completions of a word being typed, counted as SQLite counts them" \
  test "$(psql_value "SELECT string_agg(word || ':' || n, ' ' ORDER BY word) FROM search_word")" = \
  "$(sqlite3 "$SQ" "SELECT group_concat(word || ':' || n, ' ') FROM (SELECT * FROM search_word ORDER BY word)")"
# An upgrade from a version without search rows (migration 12 asks for them
# to be filled): a read says so, the next writable open fills them.
psql_value "DELETE FROM etab_search; DELETE FROM search_word; UPDATE meta SET value = 'rebuild' WHERE key = 'search_index';
  INSERT INTO meta(key, value) SELECT 'search_index', 'rebuild' WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_index')" >/dev/null
run --db "$PG" search usinage
check "search rows left to fill by an upgrade: search says to run init" has "$ERR" "run \`maillage init\` once"
run --db "$PG" init
search_same "… and once init has filled them, the same answers as SQLite" fixture --facets
search_same "… completions included" equip --prefix
both_json suggest naf usin --json
check_same "suggest naf: the same suggestions"
both_json suggest commune aix --json
check_same "suggest commune: the same suggestions"

# ------------------------------------------------------------------ profiles
both import profiles "$D/fixture_profiles.csv" --rejects "$TMP/p.csv"
check_same "import profiles: the same summary on both engines"
check "… and the profiles are there" test "$(psql_value "SELECT count(*) FROM profile WHERE offers_words <> ''")" = 3
both_json match $ASM --json
check_same "match with profiles: the same suggestions, text scores and words on both engines"
check "… where declared words count (a text score)" \
  test "$(jq '[.suggestions[] | select(.parts.text > 0 and (.matched_words | length) > 0)] | length' <<<"$PG_OUT")" -ge 1
both_json match 91000003300019 --customers --json
check_same "match --customers with profiles: the same on both engines"
both_json bridges "Lauréats" --json
check_same "bridges of a network (profiles' texts): the same on both engines"
both_json bridges --territory 13 --json
check_same "bridges of a territory: the same on both engines"

# The verdict command checks both establishments with `show`: the same
# verdicts go into both databases by SQL, with the same dates.
verdicts="INSERT INTO verdict(supplier, buyer, verdict, author, at) VALUES
  ($NEAR, $ASM, 'reject', 'test agent', '2026-01-02 03:04:05'),
  ($SOLO, $ASM, 'accept', NULL, '2026-01-02 03:04:05')"
sqlite3 "$SQ" "$verdicts" && psql_value "$verdicts" >/dev/null
both_json match $ASM --json
check_same "verdicts read alike: the rejected pair is left out on both engines"
check "… really left out" lacks "$(jq -r '[.suggestions[].siret]|join(",")' <<<"$PG_OUT")" $NEAR
both_json links $ASM --json
check_same "links: the same known link and rejection on both engines"
check "… the accepted pair is the known link" test "$(jq -r '.links[0].supplier' <<<"$PG_OUT")" = $SOLO

# -------------------------------------------------------------------- serve
# serve_start DB — a server on a free port: $SERVE_PID, $SERVE_PORT.
serve_start() {
  "$BIN" --db "$1" serve --port 0 --quiet >"$TMP/serve.out" 2>"$TMP/serve.err" &
  SERVE_PID=$! SERVE_PORT=""
  for _ in $(seq 300); do
    SERVE_PORT=$(sed -nE 's|^maillage serves .* on http://[0-9.]+:([0-9]+)/.*|\1|p' "$TMP/serve.out")
    [[ -n $SERVE_PORT ]] && break
    kill -0 $SERVE_PID 2>/dev/null || break
    sleep 0.1
  done
}
api() { curl -s "http://127.0.0.1:$SERVE_PORT/api/v1/$1" | jq -S 'del(.. | .milliseconds?)'; }
# The server needs its web files (the vendored ones come from `npm ci`, which
# `make test` runs first).
PG_PID=""
if [[ ! -d "$(dirname "$0")/../../node_modules" ]]; then
  pass "serve on PostgreSQL # SKIP no node_modules (npm ci): the server cannot start"
else
  serve_start "$SQ"
  SQ_OUT=$(api "establishments/$ASM/suppliers") SQ_RC=0
  sq_report=$(api "networks/Lauréats/report")
  sq_search=$(api "search?q=fixture&facets=true")
  kill $SERVE_PID; wait $SERVE_PID 2>/dev/null
  serve_start "$PG"
  PG_PID=$SERVE_PID
  check "serve starts on PostgreSQL" test -n "$SERVE_PORT"
  PG_OUT=$(api "establishments/$ASM/suppliers") PG_RC=0 PG_ERR=$(cat "$TMP/serve.err")
  check_same "GET /api/v1/establishments/SIRET/suppliers: the same answer from both engines"
  SQ_OUT=$sq_report PG_OUT=$(api "networks/Lauréats/report")
  check_same "GET /api/v1/networks/NAME/report: the same from both engines"
  SQ_OUT=$sq_search PG_OUT=$(api "search?q=fixture&facets=true")
  check_same "GET /api/v1/search: the same answer from both engines"
fi

# --------------------------------------------- a killed import changes nothing
run --db "$PG" match $ASM --json
before=$(jq -S 'del(.. | .milliseconds?)' <<<"$OUT")
runs=$(psql_value "SELECT count(*) FROM import_run")
# A newer file: every establishment closed and renamed.
python3 - "$D/fixture_match.csv" "$TMP/closed.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
h = rows[0]
for r in rows[1:]:
    r[h.index('etatAdministratifEtablissement')] = 'F'
    r[h.index('denominationUsuelleEtablissement')] = 'RENAMED'
csv.writer(open(sys.argv[2], 'w', newline='', encoding='utf-8')).writerows(rows)
EOF
# Another session holds a lock that lets the import copy every row into its
# staging table and stops it as it publishes them; it is killed right there.
psql -X -q "$PG" -c "BEGIN; LOCK TABLE etab IN SHARE MODE; SELECT pg_sleep(300)" >/dev/null 2>&1 &
locker=$!
for _ in $(seq 100); do
  [[ $(psql_value "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'etab' AND l.mode = 'ShareLock' AND l.granted") == 1 ]] && break
  sleep 0.1
done
"$BIN" --db "$PG" import sirene "$TMP/closed.csv" --rejects "$TMP/rejects.csv" >/dev/null 2>&1 &
importer=$!
waiting=""
for _ in $(seq 300); do
  waiting=$(psql_value "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INTO etab%stage_etab%'")
  [[ -n $waiting ]] && break
  sleep 0.1
done
check "an import copies its rows and waits to publish them" test -n "$waiting"
[[ -n $PG_PID ]] && check "… meanwhile the server answers from the previous data" test "$(
  curl -s "http://127.0.0.1:$SERVE_PORT/api/v1/establishments/$ASM/suppliers" |
    jq -r '.establishment|"\(.name) \(.active)"')" = "ASSEMBLAGE AUTOMOBILE FIXTURE true"
kill -9 $importer 2>/dev/null
wait $importer 2>/dev/null
psql_value "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(300)%' AND pid <> pg_backend_pid()" >/dev/null
wait $locker 2>/dev/null
# The killed import's session ends when the server notices its client is gone.
for _ in $(seq 100); do
  [[ $(psql_value "SELECT count(*) FROM pg_stat_activity WHERE pid = ${waiting:-0}") == 0 ]] && break
  sleep 0.1
done
check "after the kill, no establishment of the killed import is visible" \
  test "$(psql_value "SELECT count(*) FILTER (WHERE usual_name = 'RENAMED') || ' ' || count(*) FROM etab")" = "0 8"
check "… nor its import run" test "$(psql_value "SELECT count(*) FROM import_run")" = "$runs"
run --db "$PG" match $ASM --json
check "… and match answers exactly as before the import" test "$(jq -S 'del(.. | .milliseconds?)' <<<"$OUT")" = "$before"
run --db "$PG" import sirene "$TMP/closed.csv" --rejects "$TMP/rejects.csv"
check "the same import, not killed, then goes through" has "$OUT" "8 imported (8 replaced)"
check "… and its rows are there (7 renamed: the restricted one keeps no name)" test "$(psql_value "SELECT count(*) FROM etab WHERE state = 'F' AND usual_name = 'RENAMED'")" = 7
if [[ -n $PG_PID ]]; then
  check "the running server reads what the import committed (renamed, closed)" test "$(
    curl -s "http://127.0.0.1:$SERVE_PORT/api/v1/establishments/$ASM/suppliers" |
      jq -r '.establishment|"\(.name) \(.active)"')" = "RENAMED false"
  kill $PG_PID; wait $PG_PID 2>/dev/null
fi

# A first import into an empty table is copied straight into it: killed in
# the middle of its COPY, it leaves the table empty.
psql_value "CREATE DATABASE bulk" >/dev/null
BULK="postgresql:///bulk?host=$PG_DIR&user=maillage"
run --db "$BULK" init
python3 - "$D/fixture_match.csv" "$TMP/big.csv" 100000 <<'EOF2'
import csv, sys
def luhn(digits):  # the digit that makes `digits` + it pass the Luhn check
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
h, model = rows[0], rows[1]
w = csv.writer(open(sys.argv[2], 'w', newline='', encoding='utf-8'))
w.writerow(h)
for i in range(int(sys.argv[3])):
    siren = '8%07d' % i; siren += luhn(siren)
    nic = '0001'; nic += luhn(siren + nic)
    r = list(model)
    r[h.index('siren')], r[h.index('nic')], r[h.index('siret')] = siren, nic, siren + nic
    r[h.index('denominationUsuelleEtablissement')] = 'BULK %d' % i
    w.writerow(r)
EOF2
"$BIN" --db "$BULK" import sirene "$TMP/big.csv" --rejects "$TMP/rejects.csv" >/dev/null 2>&1 &
importer=$!
copied=0
for _ in $(seq 600); do
  copied=$(psql -X -qtA "$BULK" -c "SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy")
  [[ $copied -gt 0 ]] && break
  sleep 0.05
done
kill -STOP $importer 2>/dev/null
copied=$(psql -X -qtA "$BULK" -c "SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy")
check "a first import copies straight into the table (caught mid-copy: $copied of 100000 rows)" \
  test "$copied" -gt 0 -a "$copied" -lt 100000
kill -9 $importer 2>/dev/null
wait $importer 2>/dev/null
for _ in $(seq 100); do
  [[ $(psql -X -qtA "$BULK" -c "SELECT count(*) FROM pg_stat_progress_copy") == 0 ]] && break
  sleep 0.1
done
check "killed in the middle of its COPY, it leaves the table empty and no import run" \
  test "$(psql -X -qtA "$BULK" -c "SELECT (SELECT count(*) FROM etab) || ' ' || (SELECT count(*) FROM import_run)")" = "0 0"
run --db "$BULK" import sirene "$TMP/big.csv" --rejects "$TMP/rejects.csv"
check "the same import, not killed, then goes through" has "$OUT" "100000 imported (0 replaced)"
both_bulk=$(psql -X -qtA "$BULK" -c "SELECT count(*) || ' ' || count(DISTINCT siren) || ' ' || min(usual_name) FROM etab")
check "… every row in its place" test "$both_bulk" = "100000 100000 BULK 0"
check "… and the planner's statistics of the table refreshed after the commit" \
  test "$(psql -X -qtA "$BULK" -c "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'etab'")" = t

# ----------------------------------------------------------------- MAILLAGE_DB
MAILLAGE_DB=$PG run search usinage --json
check "MAILLAGE_DB=postgresql://… selects PostgreSQL (the killed-then-redone import: closed, renamed)" \
  test "$(jq -r '.results[0].name' <<<"$OUT")" = RENAMED
MAILLAGE_DB=$PG run --db "$SQ" search usinage --json
check "--db overrides MAILLAGE_DB" test "$(jq -r '.results[0].name' <<<"$OUT")" = "ATELIER INTERNE FIXTURE"
run --db "$SQ" demo --territory 200054807 --out "$TMP/demo-sq" --seed 3 --size 3000
run --db "$PG" demo --territory 200054807 --out "$TMP/demo-pg" --seed 3 --size 3000
check "demo on PostgreSQL: the same generated files, byte for byte, as on SQLite" \
  test "$(cd "$TMP/demo-sq" && md5sum *.csv)" = "$(cd "$TMP/demo-pg" && md5sum *.csv)"
# The generated territory (3,000 establishments, units first) in two fresh
# databases: searches that find hundreds, capped totals, facets, prefixes.
psql_value "CREATE DATABASE gen" >/dev/null
GEN="postgresql:///gen?host=$PG_DIR&user=maillage" GSQ="$TMP/gen.db"
for db in "$GSQ" "$GEN"; do
  run --db "$db" init
  run --db "$db" import unites "$TMP/demo-sq/StockUniteLegale_utf8.csv" --rejects "$TMP/g.csv"
  run --db "$db" import sirene "$TMP/demo-sq/StockEtablissement_utf8.csv" --rejects "$TMP/g.csv"
done
differ=""
for q in "demo --facets" "boulangerie" "conseil --active" "bou --prefix" "mar --prefix --facets" \
  "--naf C --facets" "--dep 13 --size-min 11" "transport --offset 20 --limit 10" "informatique aix"; do
  a=$(eval run --db "$GSQ" search $q --json; jq -S 'del(.. | .milliseconds?)' <<<"$OUT")
  b=$(eval run --db "'$GEN'" search $q --json; jq -S 'del(.. | .milliseconds?)' <<<"$OUT")
  [[ -n $a && $a == "$b" ]] || differ+=" [$q]"
done
check "a generated territory: the same answers to nine searches on both engines${differ:+ (differ:$differ)}" test -z "$differ"
run --db "$GEN" search demo --facets --json
check "… among them a capped total and facets over the first 5,000" \
  test "$(jq -r '"\(.total) \(.total_exact)"' <<<"$OUT")" = "1000 false"
run --db "$PG" verdict $NEAR $ASM reject
check "verdict (it shows both establishments first) works on PostgreSQL" status_is 0

