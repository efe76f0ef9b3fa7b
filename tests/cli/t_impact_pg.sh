# t_impact_pg.sh — the checks of t_impact.sh (tests/cli/impact_checks.sh)
# on PostgreSQL, in a throwaway cluster (tests/pg/cluster.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../pg/cluster.sh"
. "$(dirname "$0")/impact_checks.sh"
export USER=${USER:-tester}

pg_cluster_start
case $? in
  0) ;;
  1) echo "ok 1 - impact on PostgreSQL # SKIP $PG_WHY"; echo "1..1"; exit 0 ;;
  *) fail "a throwaway PostgreSQL cluster starts" "$PG_WHY"; pg_cluster_stop; exit 1 ;;
esac
trap 'pg_cluster_stop; rm -rf "$TMP"' EXIT
sql_value() { "$PG_BIN/psql" -X -qtA "$PG_URL" -c "$1"; }

impact_checks "$PG_URL" postgresql
echo "1..$N"
