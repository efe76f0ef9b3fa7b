# t_history_pg.sh — the checks of t_history.sh (tests/cli/history_checks.sh)
# on PostgreSQL, in a throwaway cluster (tests/pg/cluster.sh): contacts,
# interactions, follow-ups, documents (in a configured folder: a PostgreSQL
# database has no file to keep them beside), the timeline, GDPR.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../pg/cluster.sh"
. "$(dirname "$0")/history_checks.sh"
export USER=${USER:-tester}

pg_cluster_start
case $? in
  0) ;;
  1) echo "ok 1 - history on PostgreSQL # SKIP $PG_WHY"; echo "1..1"; exit 0 ;;
  *) fail "a throwaway PostgreSQL cluster starts" "$PG_WHY"; pg_cluster_stop; exit 1 ;;
esac
trap 'pg_cluster_stop; rm -rf "$TMP"' EXIT
sql_value() { "$PG_BIN/psql" -X -qtA "$PG_URL" -c "$1"; }

run --db "$PG_URL" init
run --db "$PG_URL" import sirene "$D/fixture_match.csv"
printf '%%PDF-1.4\n' >"$TMP/a.pdf"
run --db "$PG_URL" doc add "$ASM" "$TMP/a.pdf"
check "postgresql: without a documents folder, a document is refused and the setting named" \
  bash -c '[[ $0 -ne 0 ]] && grep -qF "doc settings --folder" <<<"$1"' "$RC" "$ERR"
mkdir -p "$TMP/docs"
history_checks "$PG_URL" "$TMP/docs" postgresql
check "postgresql: the documents are in the folder set, under their random id" \
  bash -c 'ls "$0" | grep -qE "^[0-9a-f]{32}$"' "$TMP/docs"
echo "1..$N"
