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

# One option parser for every command (src/cli.c), from each command's descriptor.
run network Lauréats --limit 2.5
check "network --limit 2.5 is a usage error" status_is 2
check "… saying a whole number is expected, and its range" has "$ERR" "maillage network: --limit expects a whole number from 1 to 1000, not '2.5'"
run bridges Lauréats --limit 2.5
check "bridges --limit 2.5 is refused the same way" has "$ERR" "maillage bridges: --limit expects a whole number from 1 to 1000, not '2.5'"
for v in +3 1e3 0x10 " 3" "" -0.5; do
  run search usinage --limit "$v"
  check "search --limit '$v' is not a whole number: usage error" status_is 2
done
run search usinage --limit=7 --json
check "--limit=7 is read like --limit 7" test "$(json_get '.query.limit')" = 7
run match 91000001700012 --limit 501
check "a number past its range is a usage error" status_is 2
check "… that gives the range" has "$ERR" "--limit expects a whole number from 1 to 500, not '501'"
run match 91000001700012 --radius -1
check "a distance below its range too" has "$ERR" "--radius expects a number from 0 to 20000, not '-1'"
run match 91000001700012 --lang de
check "a value not among the choices is named with them" has "$ERR" "--lang expects fr or en, not 'de'"
run search usinage --colour red
check "an unknown option is a usage error" status_is 2
check "… naming it" has "$ERR" "maillage search: unknown option '--colour'"
check "… with the command's usage line" has "$ERR" "usage: maillage [--db PATH] search QUERY"
run demo --out
check "an option without its value is a usage error naming it" has "$ERR" "maillage demo: option '--out' needs a value (DIR)"
run territory 13 --csv --json
check "… also when an option follows in its place" has "$ERR" "option '--csv' needs a value (FILE)"
run info --json=yes
check "a switch given a value is refused" has "$ERR" "option '--json' takes no value"
run vocabulary list --rejects r.csv
check "an option of another action is refused" has "$ERR" "option '--rejects' goes with vocabulary import only"
run info extra
check "an argument a command does not take is a usage error" has "$ERR" "unexpected argument 'extra'"
run help network
check "help COMMAND prints the command's help" status_is 0
check "… its usage line" has "$OUT" "usage: maillage [--db PATH] network NAME"
check "… and one line per option of its descriptor, with its range" has "$OUT" "  --limit N         pairs and outside partners listed (default 50) [1 to 1000, whole]"
help_cmd=$OUT
run network --help
check "COMMAND --help prints the same" test "$OUT" = "$help_cmd"
run help
check "help lists every command from the descriptors" has "$OUT" "  bridges    cross-sector bridges"
check "… the help command too" has "$OUT" "  help       the commands, or one command's arguments and options"
run help frobnicate
check "help of an unknown command is a usage error" status_is 2

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
skip_on_pg "… and the database passes an integrity check" "SQLite's integrity check of the file" ||
check "… and the database passes an integrity check" test "$(sqlite3 "$MAILLAGE_DB" 'pragma integrity_check')" = ok
run show 90000001900019
check "… and is usable at once" status_is 0
