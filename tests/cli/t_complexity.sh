# t_complexity.sh — `maillage complexity` on any CSV, checked number for
# number against an independent computation (complexity_ref.py: numpy,
# dense matrices, numpy.linalg.eig, written from the formulas of
# docs/methods.md) on several tables: random sparse, with a time column,
# with rows and columns of zeros, with another RCA threshold; the worked
# example of the methods page; and the errors a person meets.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
REF=$HERE/complexity_ref.py
# Debian's python3 has numpy (tools/install-deps.sh); a python3 earlier in
# PATH may not.
PY=""
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import numpy' 2>/dev/null; then PY=$p; break; fi
done
if [[ -z $PY ]]; then
  fail "numpy is installed (python3-numpy, tools/install-deps.sh)"
  exit 1
fi
COLS=(--location place --activity sector --value jobs)

# compare NAME INPUT [OPTIONS...] — runs maillage complexity, then the reference.
compare() {
  local name=$1 in=$2; shift 2
  run complexity "$in" "${COLS[@]}" "$@" --out "$TMP/out.csv"
  if ((RC != 0)); then fail "$name: maillage complexity runs" "rc=$RC" "$ERR"; return; fi
  local verdict
  verdict=$("$PY" "$REF" check "$in" "$TMP/out.csv" "${COLS[@]}" "$@" 2>&1)
  if [[ $? -eq 0 ]]; then pass "$name: $verdict"
  else fail "$name: same numbers as the reference" "${verdict:0:2000}"; fi
}

"$PY" "$REF" gen 1 40 12 0.3 >"$TMP/small.csv"
compare "random 40 x 12" "$TMP/small.csv"
check "… a ranked table (ECI and COG filled)" test "$(awk -F, 'NR > 1 && $8 != "\"\"" && $12 != "\"\""' "$TMP/out.csv" | wc -l)" = 480
"$PY" "$REF" gen 3 300 80 0.05 >"$TMP/sparse.csv"
compare "random sparse 300 x 80 (5% filled)" "$TMP/sparse.csv"
"$PY" "$REF" gen 2 150 50 0.12 --time 3 >"$TMP/time.csv"
compare "three years (--time)" "$TMP/time.csv" --time year
check "… one table per year, in order" test "$(cut -d, -f1 "$TMP/out.csv" | uniq | tr '\n' ' ')" \
  = 'time "2019" "2020" "2021" '
"$PY" "$REF" gen 4 120 40 0.1 --zero-rows >"$TMP/zeros.csv"
compare "a location and an activity whose values are all 0" "$TMP/zeros.csv"
check "… are left out, and said so" has "$ERR" "left out (all their values are 0): 1 location, 1 activity"
check "… and absent from the output" lacks "$(cat "$TMP/out.csv")" "ZZ-"
compare "RCA threshold 1.5" "$TMP/small.csv" --rca-threshold 1.5
"$PY" "$REF" gen 5 100 30 0.15 --time 2 --zero-rows >"$TMP/timez.csv"
compare "RCA threshold 0.5, with years and zeros" "$TMP/timez.csv" --time year --rca-threshold 0.5

"$PY" "$REF" gen 6 200 40 0.2 >"$TMP/high.csv"
compare "RCA threshold 4: a location without presence, an activity present nowhere" \
  "$TMP/high.csv" --rca-threshold 4
check "… the location has no ECI, the activity no PCI, the rest is ranked" test \
  "$(awk -F, 'NR > 1 && $6 == 0 && $8 == "\"\"" { d = 1 } NR > 1 && $7 == 0 && $9 == "\"\"" { u = 1 }
     NR > 1 && $8 != "\"\"" { e = 1 } END { print d + u + e }' "$TMP/out.csv")" = 3

# The worked example of docs/methods.md.
printf 'place,sector,jobs\nA,x,2\nA,z,2\nB,y,1\nB,z,1\nC,z,2\nD,y,3\n' >"$TMP/example.csv"
compare "the worked example of docs/methods.md" "$TMP/example.csv"
run complexity "$TMP/example.csv" "${COLS[@]}"
check "without --out the CSV goes to stdout" has "$OUT" \
  '"D","z",0,0,0,1,3,-1.371110318,0.6232319625,0.5,0.1683761131,1.49575671'
check "… with exactly the columns of the issue" test "$(head -1 <<<"$OUT")" = \
  "location,activity,value,rca,mcp,diversity,ubiquity,eci,pci,density,coi,cog"
check "… one row per location x activity" test "$(wc -l <<<"$OUT")" = 13

# A table that cannot be ranked (one location): empty cells, never NaN.
printf 'place,sector,jobs\nA,x,1\nA,y,3\n' >"$TMP/one.csv"
compare "one location: eci, pci, coi and cog left empty" "$TMP/one.csv"
run complexity "$TMP/one.csv" "${COLS[@]}"
check "… said on stderr" has "$ERR" "eci, pci, coi and cog left empty in 1 table"
check "… and no NaN or inf" lacks "$OUT$(tr 'A-Z' 'a-z' <<<"$OUT")" "nan"

# Errors: each names the file, the line and the column.
printf 'place,sector,value\nA,x,1\n' >"$TMP/nocol.csv"
run complexity "$TMP/nocol.csv" "${COLS[@]}"
check "a missing column is named, with the header's columns" \
  has "$ERR" "nocol.csv:1: no column 'jobs' in the header (it has 'place', 'sector', 'value')"
check "… exit status 1" status_is 1
printf 'place,sector,jobs\nA,x,1\nB,y,douze\n' >"$TMP/bad.csv"
run complexity "$TMP/bad.csv" "${COLS[@]}" --out "$TMP/bad-out.csv"
check "a value that is not a number: file, line and column" \
  has "$ERR" "bad.csv:3: column jobs: 'douze' is not a number"
check "… and no output file is left" test ! -e "$TMP/bad-out.csv"
printf 'place,sector,jobs\nA,x,1\nB,y,-4\n' >"$TMP/neg.csv"
run complexity "$TMP/neg.csv" "${COLS[@]}"
check "a negative value is refused with its line" has "$ERR" "neg.csv:3: column jobs: -4 is negative"
printf 'place,sector,jobs\nA,x,1\nB,y,1e-200\n' >"$TMP/tiny.csv"
run complexity "$TMP/tiny.csv" "${COLS[@]}"
check "a value out of range is refused with its line" \
  has "$ERR" "tiny.csv:3: column jobs: value 1e-200: a value must be 0 or between 1e-100 and 1e+100"
check "… exit status 1" status_is 1
printf 'place;sector;jobs\nA;x;1\n' >"$TMP/semi.csv"
run complexity "$TMP/semi.csv" "${COLS[@]}"
check "a file with ';' between cells: said so" has "$ERR" "seems to use ';' between cells"
awk 'BEGIN { print "place,sector,jobs"; for (i = 0; i < 3001; i++) printf "L%d,A%d,1\n", i % 7, i }' >"$TMP/wide.csv"
run complexity "$TMP/wide.csv" "${COLS[@]}"
check "more than 3,000 activities: refused at the line that passes the cap" \
  has "$ERR" "wide.csv:3002: more than 3000 activities in one table"
: >"$TMP/empty.csv"
run complexity "$TMP/empty.csv" "${COLS[@]}"
check "an empty file is refused" has "$ERR" "empty.csv"
check "… exit status 1" status_is 1
printf 'place,sector,jobs\n' >"$TMP/header.csv"
run complexity "$TMP/header.csv" "${COLS[@]}"
check "a header without rows is refused" has "$ERR" "header.csv: no data rows under the header"
printf 'place,sector,jobs\nA,x,0\nB,y,0\n' >"$TMP/zero.csv"
run complexity "$TMP/zero.csv" "${COLS[@]}"
check "a table of zeros is refused" has "$ERR" "zero.csv: every value is 0"
run complexity "$TMP/none.csv" "${COLS[@]}"
check "a missing file is named" has "$ERR" "none.csv"
run complexity "$TMP/small.csv" --location place --value jobs
check "--activity missing: usage error" status_is 2
check "… saying which options name the columns" has "$ERR" "--location, --activity and --value"
run complexity "$TMP/small.csv" "${COLS[@]}" --rca-threshold 0
check "--rca-threshold 0 is refused" status_is 2
run complexity "$TMP/small.csv" "${COLS[@]}" --rca-threshold abc
check "--rca-threshold abc is refused" has "$ERR" "--rca-threshold expects a number"
run help complexity
check "maillage help complexity shows the options" has "$OUT" "--rca-threshold X"

# --by: the database's establishments (a GENERATED demo département). The
# table it builds is checked against the same table exported with the
# sqlite3 tool and given to `maillage complexity FILE`: the same PCI.
DB="$TMP/demo.db"
run --db "$DB" init
run --db "$DB" demo --territory 13 --out "$TMP/demo" --size 20000 --seed 5
run --db "$DB" import sirene "$TMP/demo/StockEtablissement_utf8.csv"
check "a generated département imports" status_is 0
pci_of_file() { # CSV of maillage complexity -> "class pci" lines, sorted
  awk -F, 'NR > 1 { gsub(/"/, "", $2); if (!($2 in s)) { s[$2] = 1; printf "%s %.4f\n", $2, $9 } }' "$1" | sort
}
pci_of_db() { awk 'f && NF == 3 && $3 != "-" { printf "%s %.4f\n", $1, $3 } /^  class/ { f = 1 }' <<<"$1" | sort; }
sqlite3 -csv -header "$DB" "SELECT coalesce(c.parent, c.code) AS place, f.a615 AS sector, count(*) AS jobs
  FROM etab e JOIN commune c ON c.code = e.commune JOIN naf f ON f.code = e.naf
  WHERE e.state = 'A' GROUP BY 1, 2" >"$TMP/db-communes.csv"
run --db "$DB" complexity --by commune
check "--by commune: activities by complexity" has "$OUT" "NAF classes by complexity (PCI)"
check "… no figure about a place is printed" lacks "$OUT" "13055"
BY_DB=$(pci_of_db "$OUT")
run complexity "$TMP/db-communes.csv" "${COLS[@]}" --out "$TMP/db-communes-out.csv"
check "… the same PCI as the table exported with sqlite3 (establishments by commune)" \
  test "$BY_DB" = "$(pci_of_file "$TMP/db-communes-out.csv")" -a -n "$BY_DB"
# Jobs: the size bands' midpoints of docs/methods.md, written out in SQL.
sqlite3 -csv -header "$DB" "SELECT c.epci AS place, f.a615 AS sector, sum(CASE e.size_band
  WHEN '00' THEN 0.5 WHEN '01' THEN 1.5 WHEN '02' THEN 4 WHEN '03' THEN 7.5 WHEN '11' THEN 15
  WHEN '12' THEN 35 WHEN '21' THEN 75 WHEN '22' THEN 150 WHEN '31' THEN 225 WHEN '32' THEN 375
  WHEN '41' THEN 750 WHEN '42' THEN 1500 WHEN '51' THEN 3500 WHEN '52' THEN 7500
  WHEN '53' THEN 12000 ELSE 0 END) AS jobs
  FROM etab e JOIN commune c ON c.code = e.commune JOIN naf f ON f.code = e.naf
  WHERE e.state = 'A' AND c.epci IS NOT NULL GROUP BY 1, 2" >"$TMP/db-epci.csv"
run --db "$DB" complexity --by epci --jobs
check "--by epci --jobs: value is estimated jobs" has "$OUT" "value: estimated jobs (size-band midpoints)"
BY_DB=$(pci_of_db "$OUT")
run complexity "$TMP/db-epci.csv" "${COLS[@]}" --out "$TMP/db-epci-out.csv"
check "… the same PCI as the table exported with sqlite3 (jobs by EPCI)" \
  test "$BY_DB" = "$(pci_of_file "$TMP/db-epci-out.csv")" -a -n "$BY_DB"
run --db "$TMP/empty.db" init
run --db "$TMP/empty.db" complexity --by epci
check "--by on a database without establishments says so" \
  has "$ERR" "the database holds no open establishment with a NAF class in an EPCI"
check "… exit status 1" status_is 1
run --db "$DB" complexity "$TMP/small.csv" --by commune
check "--by with a FILE: usage error" status_is 2
run complexity "$TMP/small.csv" "${COLS[@]}" --jobs
check "--jobs without --by: usage error" status_is 2
