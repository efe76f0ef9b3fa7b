# t_needs_pg.sh — the needs grid's checks (tests/cli/needs_checks.sh) on
# PostgreSQL, in a throwaway cluster (tests/pg/cluster.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../pg/cluster.sh"
. "$(dirname "$0")/needs_checks.sh"
export USER=${USER:-tester}

pg_cluster_start
case $? in
  0) ;;
  1) echo "ok 1 - needs on PostgreSQL # SKIP $PG_WHY"; echo "1..1"; exit 0 ;;
  *) fail "a throwaway PostgreSQL cluster starts" "$PG_WHY"; pg_cluster_stop; exit 1 ;;
esac
trap 'pg_cluster_stop; rm -rf "$TMP"' EXIT

run --db "$PG_URL" init
check "postgresql: init" status_is 0
run --db "$PG_URL" import sirene "$NEEDS_D/fixture_match.csv"
check "postgresql: the fixture imports" status_is 0
needs_checks "$PG_URL" postgresql
echo "1..$N"
