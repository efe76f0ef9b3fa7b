# t_needs_pg.sh — the needs grid's checks (tests/cli/needs_checks.sh) on
# PostgreSQL, in a throwaway cluster (tests/pg/cluster.sh); and the report's
# pieces there: the communes' map figures as SQLite gives them, the PDF.
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

# The same stock in SQLite: the communes' figures agree, the report is drawn.
run --db "$TMP/same.db" init
run --db "$TMP/same.db" import sirene "$NEEDS_D/fixture_match.csv"
run --db "$TMP/same.db" territory 200054807 --communes --json
LITE=$OUT
run --db "$PG_URL" territory 200054807 --communes --json
check "postgresql: the communes' map figures are SQLite's" test "$OUT" = "$LITE"
run --db "$PG_URL" territory 200054807 --pdf "$TMP/pg.pdf"
check "postgresql: the report is written" status_is 0
if command -v pdftotext >/dev/null; then
  check "postgresql: the report has its key figures" \
    grep -q "Établissements ouverts" <<<"$(pdftotext -layout "$TMP/pg.pdf" -)"
fi
echo "1..$N"
