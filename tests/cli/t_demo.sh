# t_demo.sh — `maillage demo`: synthetic SIRENE files for a real territory,
# always marked as generated, importable, with the bad rows it announces.
. "$(dirname "$0")/lib.sh"
run demo --territory 200054807 --size 3000 --seed 5 --out "$TMP/d1" --json
check "demo writes files for the Aix-Marseille EPCI" status_is 0
check "the summary says the data is synthetic" has "$(json_get .note)" "not real companies"
bad=$(json_get .bad_rows)
n=$(json_get .establishments)
E="$TMP/d1/StockEtablissement_utf8.csv"
check "the establishment file has the SIRENE header plus the generated flag" \
  test "$(head -1 "$E" | tr ',' '\n' | sed -n '1p;3p;55p' | paste -sd,)" = "siren,siret,maillageDonneeGeneree"
check "every company name says DÉMO" test "$(grep -c 'DÉMO' "$TMP/d1/StockUniteLegale_utf8.csv")" -gt 100
check "every row carries the generated flag" test "$(tail -n +2 "$E" | grep -vc ',true$')" -le "$bad"
run demo --territory 200054807 --size 3000 --seed 5 --out "$TMP/d2"
check "the same seed writes the same files" cmp -s "$E" "$TMP/d2/StockEtablissement_utf8.csv"
run demo --territory 200054807 --size 3000 --seed 6 --out "$TMP/d3"
differ() { ! cmp -s "$1" "$2"; }
check "another seed writes other files" differ "$E" "$TMP/d3/StockEtablissement_utf8.csv"

run init
run import unites "$TMP/d1/StockUniteLegale_utf8.csv"
check "generated legal units import without rejects" has "$OUT" "0 rejected"
run import sirene "$E" --rejects "$TMP/rej.csv"
check "generated establishments import; exactly the deliberately bad rows are rejected" has "$OUT" "$bad rejected"
run info --json
check "the database knows it holds generated data" test "$(json_get .contains_generated_data)" = true
run search démo --limit 1 --json
check "search results say a firm is generated" test "$(json_get '.results[0].generated')" = true
run territory 200054807
check "the territory summary warns about generated data" has "$OUT" "GENERATED demo data"
run demo --territory 99999 --out "$TMP/x"
check "an unknown territory is refused" test $RC -ne 0
run demo --size -3 --out "$TMP/x"
check "a negative size is a usage error" status_is 2
