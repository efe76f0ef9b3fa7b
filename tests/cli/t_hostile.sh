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

# A sign longer than its buffer: the row is rejected with the reason, never
# imported with its sign cut or missing.
long=$(printf 'ATELIER%.0s' $(seq 1 200))
mkcsv "$TMP/longsign.csv" "1:enseigne1Etablissement=$long"
run import sirene "$TMP/longsign.csv" --rejects "$TMP/longsign.rejects.csv"
check "a sign past its buffer rejects its row" has "$(cat "$TMP/longsign.rejects.csv")" "signs longer than 1024 bytes together"
row1=$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(r[0]["siret"])' "$TMP/longsign.csv")
check "… and that row is not in the database, with a cut sign or none" \
  test "$(sqlite3 "$MAILLAGE_DB" "select count(*) from etab where siret = $row1")" = 0

# A network list whose path holds a quote and a comma: the path is one
# quoted cell of the rejects file, which keeps its 5 columns on every row.
mkdir -p "$TMP/q\"uo,te"
printf 'siret\n12345678901234\nabc\n' >"$TMP/q\"uo,te/members.txt"
run group add Hostile "$TMP/q\"uo,te/members.txt" --rejects "$TMP/group.rejects.csv"
cols=$(python3 -c 'import csv,sys; print(" ".join(str(len(r)) for r in csv.reader(open(sys.argv[1], newline=""))))' "$TMP/group.rejects.csv")
check "group add on a path holding a quote writes a rejects file of 5 columns on every row" test "$cols" = "5 5 5"
check "… the path is one cell, its quote doubled" has "$(cat "$TMP/group.rejects.csv")" "\"$TMP/q\"\"uo,te/members.txt\",2,"

# ---------------------------------------------------------- stray quotes
# many OUT N — fixture_match.csv's rows repeated as N distinct valid establishments.
many() {
  python3 - "$MATCH" "$1" "$2" <<'PY'
import csv, sys
def luhn(s):
    for c in "0123456789":
        t = sum((lambda d: d - 9 if d > 9 else d)(int(ch) * (2 if i % 2 else 1)) for i, ch in enumerate(reversed(s + c)))
        if t % 10 == 0: return c
rows = list(csv.reader(open(sys.argv[1], newline='')))
head, base = rows[0], rows[1]
with open(sys.argv[2], 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(head)
    for i in range(int(sys.argv[3])):
        r = list(base)
        siren = "92%06d" % i; siren += luhn(siren)
        siret = siren + "0001"; siret += luhn(siret)
        r[head.index('siren')], r[head.index('nic')], r[head.index('siret')] = siren, siret[9:], siret
        r[head.index('enseigne1Etablissement')] = "ATELIER %d" % i
        w.writerow(r)
PY
}
many "$TMP/30.csv" 30
# Line 13 (the 12th row): a sign opening a quote it never closes.
sed '13s/ATELIER 11/"ATELIER 11/' "$TMP/30.csv" >"$TMP/stray.csv"
n0=$(sqlite3 "$MAILLAGE_DB" "select count(*) from etab")
run import sirene "$TMP/stray.csv" --rejects "$TMP/stray.rejects.csv"
check "a stray quote loses only its own line: the 29 other rows are imported" has "$OUT" "29 imported"
check "… the import exits with status 1 (a row was lost)" status_is 1
check "… and says which line and why" has "$ERR" "stray.csv: line 13"
check "… in words a user can act on" has "$ERR" "quote"
check "the rejects file names line 13 and the unbalanced quote" has "$(cat "$TMP/stray.rejects.csv")" '",13,"",'
check "the rows after the stray quote are in the database" \
  test "$(sqlite3 "$MAILLAGE_DB" "select count(*) from etab where sign like 'ATELIER %'")" = 29
# The same quote on the last line: the file ends inside the quoted field.
sed '31s/ATELIER 29/"ATELIER 29/' "$TMP/30.csv" >"$TMP/stray_end.csv"
run import sirene "$TMP/stray_end.csv" --rejects "$TMP/stray_end.rejects.csv"
check "a quote left open at the end of the file loses that line only" has "$OUT" "29 imported"
check "… with status 1" status_is 1
check "… naming line 31" has "$ERR" "line 31"
# A plain file cut in the middle of its last row.
head -c -40 "$TMP/30.csv" >"$TMP/cut.csv"
run import sirene "$TMP/cut.csv" --rejects "$TMP/cut.rejects.csv"
check "a plain CSV cut mid-row keeps its complete rows" has "$OUT" "29 imported"
check "… and exits with status 1: the file is truncated" status_is 1
check "… and says so" has "$ERR" "truncated"

# ---------------------------------------------------------- zip archives
mkdir -p "$TMP/z"
cp "$MATCH" "$TMP/z/StockEtablissement_utf8.csv"
cp "$D/stock_unite_legale_echantillon_2026.csv" "$TMP/z/StockUniteLegale_utf8.csv"
echo "read me" >"$TMP/z/LISEZMOI.txt"
many "$TMP/z/StockEtablissement_part2.csv" 3
(cd "$TMP/z" && python3 -c "
import zipfile, sys
z = zipfile.ZipFile('both.zip', 'w', zipfile.ZIP_DEFLATED)
for n in ['LISEZMOI.txt', 'StockEtablissement_utf8.csv', 'StockUniteLegale_utf8.csv', 'StockEtablissement_part2.csv']:
    z.write(n)
z.close()")
run --db "$TMP/zip.db" init
run --db "$TMP/zip.db" import sirene "$TMP/z/both.zip" --rejects "$TMP/zip.rejects.csv"
check "a zip with two StockEtablissement CSVs imports both" has "$OUT" "11 imported"
check "… with status 0" status_is 0
check "… and says it ignored the StockUniteLegale file, and why" has "$ERR" "StockUniteLegale_utf8.csv: ignored: this is a StockUniteLegale file"
check "… and the file that is not a CSV" has "$ERR" "LISEZMOI.txt: ignored: not a .csv file"
run --db "$TMP/zip.db" import unites "$TMP/z/both.zip"
check "the same zip given to import unites imports its legal units" has "$OUT" "9 imported"
check "… and ignores the establishments" has "$ERR" "StockEtablissement_utf8.csv: ignored"

# ------------------------------------------- missing files and directories
h0=$(history)
run import sirene "$TMP/missing.csv" "$MATCH"
check "a missing file among several is refused up front, with status 1" status_is 1
check "… naming it" has "$ERR" "missing.csv: cannot read: No such file or directory"
check "… and saying nothing was imported" has "$ERR" "nothing was imported"
check "… nothing is: no import recorded" test "$(history)" = "$h0"
mkdir -p "$TMP/adir"
run import sirene "$TMP/adir"
check "a directory is refused as such" has "$ERR" "adir: is a directory"
check "… with status 1" status_is 1

# ----------------------------------------------- refused files leave no trace
printf 'a,b,c\n1,2,3\n' >"$TMP/wrong.csv"
: >"$TMP/empty.csv"
head -c 3000 /bin/sh >"$TMP/garbage.csv"
for f in wrong empty garbage; do
  run import sirene "$TMP/$f.csv"
  check "a refused file ($f) exits with status 1" status_is 1
done
run import sirene "$TMP/adir"
check "refused imports (wrong header, empty, garbage, directory) leave no row in the import history" \
  test "$(history)" = "$h0"
run import profiles "$TMP/wrong.csv"
check "… nor does a refused profiles file" test "$(history)" = "$h0"

# --------------------------------------------------- terminal escapes
printf '\033[2J\033]0;pwned\007siren,x\n1,2\n' >"$TMP/esc.csv"
run import sirene "$TMP/esc.csv"
check "a CSV header with terminal escapes is refused" status_is 1
check "… and its escapes are not echoed raw" lacks "$ERR" $'\033'
check "… nor the bell" lacks "$ERR" $'\007'
check "… they are shown escaped" has "$ERR" '\e[2J\e]0;pwned\x07siren'
printf 'siren,siret\n\033[31m,\2337\n' >"$TMP/esc2.csv"
run import sirene "$TMP/esc2.csv"
check "escapes in a binary file are not echoed raw either" lacks "$ERR$OUT" $'\033'
run import sirene "$TMP/garbage.csv"
check "nor from an executable given as CSV" lacks "$ERR$OUT" $'\033'

# ------------------------------------------------ future schema version
cp "$MAILLAGE_DB" "$TMP/future.db"
sqlite3 "$TMP/future.db" "pragma journal_mode=delete; pragma user_version=99;" >/dev/null
sum0=$(sha256sum <"$TMP/future.db")
run --db "$TMP/future.db" info
check "a database from a future maillage is refused" has "$ERR" "schema version 99 is newer"
check "… before anything is written: the file is unchanged" test "$(sha256sum <"$TMP/future.db")" = "$sum0"
check "… and no journal file was made" test ! -e "$TMP/future.db-wal"
check "… its journal mode is still its own" test "$(sqlite3 "$TMP/future.db" 'pragma journal_mode')" = delete

# ------------------------------------------------- read-only databases
if [[ $ENGINE == pg ]]; then
  for d in "a database in a read-only place can be searched" "… and finds what it holds" "… and shown" \
    "importing into a read-only database fails" "… saying it is read-only" \
    "a read-only database file in a writable place says read-only too"; do
    skip_on_pg "$d" "a read-only SQLite file (PostgreSQL's permissions are its roles')"
  done
else
  # As root, permissions are not checked: the commands run as nobody then.
  as_user() { if [[ $(id -u) -eq 0 ]]; then setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; else "$@"; fi; }
  mkdir -p "$TMP/ro"
  cp "$MAILLAGE_DB" "$TMP/ro/ro.db"
  chmod 755 "$TMP"
  chmod 444 "$TMP/ro/ro.db"
  chmod 555 "$TMP/ro"
  OUT=$(as_user "$BIN" --db "$TMP/ro/ro.db" search ATELIER 2>"$TMP/stderr"); RC=$?; ERR=$(cat "$TMP/stderr")
  check "a database in a read-only place can be searched" status_is 0
  check "… and finds what it holds" has "$OUT" "ATELIER"
  OUT=$(as_user "$BIN" --db "$TMP/ro/ro.db" show 91000002500015 2>"$TMP/stderr"); RC=$?; ERR=$(cat "$TMP/stderr")
  check "… and shown" status_is 0
  OUT=$(as_user "$BIN" --db "$TMP/ro/ro.db" import sirene "$MATCH" --rejects /dev/null 2>"$TMP/stderr"); RC=$?; ERR=$(cat "$TMP/stderr")
  check "importing into a read-only database fails" status_is 1
  check "… saying it is read-only" has "$ERR" "read-only"
  chmod 755 "$TMP/ro"
  OUT=$(as_user "$BIN" --db "$TMP/ro/ro.db" import sirene "$MATCH" --rejects /dev/null 2>"$TMP/stderr"); RC=$?; ERR=$(cat "$TMP/stderr")
  check "a read-only database file in a writable place says read-only too" has "$ERR" "read-only"
  chmod 700 "$TMP"
fi

# ------------------------------------------------- malformed codes
run search ATELIER --commune .
check "search with a malformed commune code is a usage error" status_is 2
check "… saying which code and what is expected" has "$ERR" "invalid commune code '.' (expected 5 characters"
run search ATELIER --region ..
check "… and a malformed région code too" has "$ERR" "invalid région code '..'"
run search ATELIER --commune 13001
check "a well-formed code still searches" status_is 0
run serve --bind nowhere --port 0
check "serve refuses a --bind that is not an IPv4 address, before opening anything" status_is 2
