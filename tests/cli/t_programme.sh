# t_programme.sh — programmes on SQLite: envelopes and their rules,
# projects and their stages, decisions refused with their reasons, the
# ledger, positions at a date, schedules, de minimis, audit
# (tests/cli/programme_checks.sh; t_programme_pg.sh runs the same on PostgreSQL).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/programme_checks.sh"
DB="$TMP/programme.db"
sql_value() { sqlite3 "$DB" "$1"; }
export USER=${USER:-tester}

programme_checks "$DB" sqlite
echo "1..$N"
