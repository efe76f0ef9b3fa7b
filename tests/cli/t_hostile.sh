# t_hostile.sh — input made by an attacker or a careless hand: formulas,
# stray quotes, terminal escapes, zips of several files, missing files and
# directories, read-only and future databases. Every case gets one clear,
# escaped message, loses no good row silently, and leaves no trace when refused.
. "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")/../data" && pwd)
MATCH=$D/fixture_match.csv

# mkcsv OUT FIELD=VALUE... — the header of fixture_match.csv and its rows,
# each row's named fields replaced (row N only with N:FIELD=VALUE).
mkcsv() {
  python3 - "$MATCH" "$@" <<'PY'
import csv, sys
src, out, edits = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = list(csv.reader(open(src, newline='')))
head = rows[0]
for e in edits:
    key, value = e.split('=', 1)
    n, _, name = key.rpartition(':')
    for i, r in enumerate(rows[1:], 1):
        if not n or int(n) == i:
            r[head.index(name)] = value
with open(out, 'w', newline='') as f:
    csv.writer(f, lineterminator='\n').writerows(rows)
PY
}
history() { sqlite3 "$MAILLAGE_DB" "select count(*) from import_run"; }

run init
check "init" status_is 0

# ------------------------------------------------------------ formulas
mkcsv "$TMP/formula.csv" "1:dateCreationEtablissement==cmd|' /C calc'!A0"
run import sirene "$TMP/formula.csv" --rejects "$TMP/formula.rejects.csv"
R=$(cat "$TMP/formula.rejects.csv")
check "a rejected value that is a formula is written as text in the rejects file" \
  has "$R" "\"'=cmd|' /C calc'!A0\",\"not a date YYYY-MM-DD\""
check "… never as a formula" lacks "$R" ',"=cmd'
