# t_committee.sh — aid schemes, routing and committees on SQLite: the
# catalogue imported all or nothing, eligibility explained, routing, the
# agenda and its sheets, votes, decisions through the decision's path, the
# minutes, letters and pack read back as text (tests/cli/committee_checks.sh;
# t_committee_pg.sh runs the same on PostgreSQL).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/committee_checks.sh"
DB="$TMP/committee.db"
sql_value() { sqlite3 "$DB" "$1"; }
export USER=${USER:-tester}

committee_checks "$DB" sqlite
echo "1..$N"
