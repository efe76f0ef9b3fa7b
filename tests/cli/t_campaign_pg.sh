# t_programme_pg.sh — the checks of t_campaign.sh (tests/cli/campaign_checks.sh)
# on PostgreSQL, in a throwaway cluster (tests/pg/cluster.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../pg/cluster.sh"
. "$(dirname "$0")/campaign_checks.sh"
export USER=${USER:-tester}

pg_cluster_start
case $? in
  0) ;;
  1) echo "ok 1 - campaigns on PostgreSQL # SKIP $PG_WHY"; echo "1..1"; exit 0 ;;
  *) fail "a throwaway PostgreSQL cluster starts" "$PG_WHY"; pg_cluster_stop; exit 1 ;;
esac
trap 'pg_cluster_stop; rm -rf "$TMP"' EXIT
sql_value() { "$PG_BIN/psql" -X -qtA "$PG_URL" -c "$1"; }

campaign_checks "$PG_URL" postgresql
echo "1..$N"
