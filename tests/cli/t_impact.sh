# t_impact.sh — the impact follow-up and the poles' R&D projects on SQLite
# (tests/cli/impact_checks.sh; t_impact_pg.sh runs the same on PostgreSQL).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/impact_checks.sh"
DB="$TMP/impact.db"
sql_value() { sqlite3 "$DB" "$1"; }
export USER=${USER:-tester}

impact_checks "$DB" sqlite
echo "1..$N"
