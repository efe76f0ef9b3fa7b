# t_history.sh — a firm's shared history on SQLite: contacts, interactions,
# follow-ups and the overdue ones, documents refused when too big or of the
# wrong type, the timeline, GDPR export, erasure and review
# (tests/cli/history_checks.sh; t_history_pg.sh runs the same on PostgreSQL).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/history_checks.sh"
DB="$TMP/history.db"
sql_value() { sqlite3 "$DB" "$1"; }
export USER=${USER:-tester}

history_checks "$DB" "" sqlite
check "sqlite: documents are kept beside the database by default, under their random id" \
  bash -c 'ls "$0.documents" | grep -qE "^[0-9a-f]{32}$"' "$DB"
echo "1..$N"
