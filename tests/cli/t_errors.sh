# t_errors.sh — bad input gets one clear message and loses nothing: wrong
# header, truncated files, missing files, usage errors, a kill mid-import.
. "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")/../data" && pwd)
FIX=$D/fixture_etablissements_2025.csv
run init

run import sirene "$D/stock_unite_legale_echantillon_2026.csv"
check "a StockUniteLegale file given as establishments is refused" status_is 1
check "… with a message saying what it is and what to type" has "$ERR" "this is a StockUniteLegale file (legal units); import it with \`maillage import unites FILE\`"
run import unites "$FIX"
check "and the other way round" has "$ERR" "this is a StockEtablissement file"

printf 'a,b,c\n1,2,3\n' >"$TMP/wrong.csv"
run import sirene "$TMP/wrong.csv"
check "a file with a foreign header is refused, naming the file, line and missing column" \
  has "$ERR" "wrong.csv: line 1: not a StockEtablissement header: column 'siret' is missing"

run import sirene "$TMP/nope.csv"
check "a missing file is an error naming it" status_is 1
check "… with the system's reason" has "$ERR" "nope.csv"

: >"$TMP/empty.csv"
run import sirene "$TMP/empty.csv"
check "an empty file is refused clearly" has "$ERR" "empty file"

head -c 2500 "$FIX" >"$TMP/cut.csv"
run import sirene "$TMP/cut.csv" --rejects "$TMP/cut.rejects.csv"
check "a file cut mid-row keeps its complete rows" has "$OUT" "imported"
check "… and rejects the cut row" has "$(cat "$TMP/cut.rejects.csv")" "fields where the header has 54"

gzip -c "$FIX" | head -c 600 >"$TMP/cut.csv.gz"
run --db "$TMP/gz.db" init
run --db "$TMP/gz.db" import sirene "$TMP/cut.csv.gz"
check "a truncated .gz is an error" status_is 1
check "… that says the compressed data is truncated" has "$ERR" "truncated"

run search
check "search without words or filters is a usage error (exit 2)" status_is 2
run search --limit 5000 x
check "a limit out of range is a usage error" status_is 2
run show 12345678901234
check "show refuses an invalid SIRET" status_is 2
check "… and says so" has "$ERR" "not a valid SIRET"
run show 73282932000074
check "show of an unknown SIRET is a failure (exit 1)" status_is 1
run territory 99
check "an unknown territory is a failure" has "$ERR" "no departement with code '99'"
run frobnicate
check "an unknown command is a usage error" status_is 2
run --db "$TMP/none/x.db" info
check "a database that cannot be opened is reported with its path" has "$ERR" "none/x.db"

# A kill in the middle of an import leaves the previous database intact.
run import sirene "$FIX" --rejects "$TMP/r.csv"
before=$(sqlite3 "$MAILLAGE_DB" "select count(*), sum(siret) from etab")
python3 - "$TMP/big.csv" "$FIX" <<'PY'
import sys
def luhn_digit(s):
    for c in "0123456789":
        t = 0
        for i, ch in enumerate(reversed(s + c)):
            d = int(ch) * (2 if i % 2 else 1)
            t += d - 9 if d > 9 else d
        if t % 10 == 0:
            return c
src = open(sys.argv[2]).read().splitlines(True)
row = src[2].split(",")
with open(sys.argv[1], "w") as f:
    f.write(src[0])
    for i in range(300000):  # distinct new establishments: a finished import would add them
        siren = "8%07d" % i
        siren += luhn_digit(siren)
        siret = siren + "0001"
        siret += luhn_digit(siret)
        row[0], row[1], row[2] = siren, siret[9:], siret
        f.write(",".join(row))
PY
"$BIN" import sirene "$TMP/big.csv" --rejects "$TMP/big.rejects.csv" >/dev/null 2>&1 &
pid=$!
sleep 1.5
killed=no
kill -9 $pid 2>/dev/null && killed=yes
wait $pid 2>/dev/null
check "the kill hit an import still running" test $killed = yes
after=$(sqlite3 "$MAILLAGE_DB" "select count(*), sum(siret) from etab")
check "kill -9 during an import leaves the previous data" test "$before" = "$after"
check "… and the database passes an integrity check" test "$(sqlite3 "$MAILLAGE_DB" 'pragma integrity_check')" = ok
run show 90000001900019
check "… and is usable at once" status_is 0
