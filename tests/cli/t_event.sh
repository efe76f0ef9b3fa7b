# t_event.sh — business conventions on SQLite (tests/cli/event_checks.sh;
# t_event_pg.sh runs the same on PostgreSQL).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/event_checks.sh"
export USER=${USER:-tester}
event_checks "$TMP/event.db" sqlite
need_checks "$TMP/event.db" sqlite
agenda_checks "$TMP/event.db" sqlite
cpv_checks "$TMP/event.db" sqlite
learn_checks "$TMP/event.db" sqlite
echo "1..$N"
