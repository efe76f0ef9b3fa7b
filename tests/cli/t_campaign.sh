# t_campaign.sh — interview campaigns and roadmaps on SQLite (issue 13,
# item 2): suggestions with their reasons, list edits, visits within the
# engineering budget, interviews and their projects, synthesis, actions,
# the roadmap as PDF and .docx (tests/cli/campaign_checks.sh;
# t_campaign_pg.sh runs the same on PostgreSQL).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/campaign_checks.sh"
DB="$TMP/campaign.db"
sql_value() { sqlite3 "$DB" "$1"; }
export USER=${USER:-tester}

campaign_checks "$DB" sqlite
echo "1..$N"
