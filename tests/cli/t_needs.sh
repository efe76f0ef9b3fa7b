# t_needs.sh — the needs grid of a territory or a firm on SQLite
# (tests/cli/needs_checks.sh), and the audit entry of a level set.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/needs_checks.sh"

run init
run import sirene "$NEEDS_D/fixture_match.csv"
check "the fixture imports" status_is 0
needs_checks "$MAILLAGE_DB" sqlite
run audit --json
check "setting a need is in the audit log" \
  test "$(json_get '[.[] | select(.action == "cli needs")] | length')" -ge 4
echo "1..$N"
