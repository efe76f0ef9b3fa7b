# t_complexity_pg.sh — relatedness and complexity of the database's
# establishments on PostgreSQL (a throwaway cluster, tests/pg/cluster.sh):
# the same GENERATED département imported into PostgreSQL and into SQLite,
# and `maillage complexity --by` answering the same on both engines.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../pg/cluster.sh"
SQ="$TMP/sqlite.db"

pg_cluster_start
case $? in
  0) ;;
  1) echo "ok 1 - PostgreSQL engine # SKIP $PG_WHY"; exit 0 ;;
  *) fail "a throwaway PostgreSQL cluster starts" "$PG_WHY"; pg_cluster_stop; exit 1 ;;
esac
trap 'pg_cluster_stop; rm -rf "$TMP"' EXIT
PG=$PG_URL

run --db "$SQ" init
run --db "$SQ" demo --territory 13 --out "$TMP/demo" --size 20000 --seed 5
run --db "$SQ" import sirene "$TMP/demo/StockEtablissement_utf8.csv"
check "a generated département imports into SQLite" status_is 0
run --db "$PG" init
run --db "$PG" import sirene "$TMP/demo/StockEtablissement_utf8.csv"
check "… and into PostgreSQL" status_is 0

for args in "--by commune" "--by epci" "--by commune --jobs" "--by epci --jobs --rca-threshold 1.5"; do
  # shellcheck disable=SC2086
  run --db "$SQ" complexity $args; SQ_OUT=$OUT SQ_RC=$RC
  # shellcheck disable=SC2086
  run --db "$PG" complexity $args
  if [[ $SQ_RC -eq 0 && $RC -eq 0 && $SQ_OUT == "$OUT" ]] && has "$OUT" "NAF classes by complexity"; then
    pass "complexity $args: the same on PostgreSQL as on SQLite ($(sed -n 2p <<<"$OUT"))"
  else
    fail "complexity $args: the same on PostgreSQL as on SQLite" "sqlite rc=$SQ_RC, postgresql rc=$RC" \
      "postgresql stderr: ${ERR:0:400}" "diff: $(diff <(echo "$SQ_OUT") <(echo "$OUT") | head -10 | tr '\n' '|')"
  fi
done
