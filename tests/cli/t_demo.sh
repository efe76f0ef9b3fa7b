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

# The sector mix of a generated territory is its département's real one (2026).
run demo --territory 200054807 --size 100000 --seed 1 --out "$TMP/mix"
mix=$(python3 - "$TMP/mix/StockEtablissement_utf8.csv" "$MAILLAGE_DATA/naf/sector_groups_2026.csv" <<'PY'
import csv, sys
groups = [(1, "agriculture"), (5, "industrie"), (41, "construction"), (45, "commerce_transport_hcr"),
          (58, "services_entreprises"), (84, "services_publics_sante"), (90, "autres")]
count, total = {}, 0
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    naf = r["activitePrincipaleEtablissement"] or ""
    if r["etatAdministratifEtablissement"] != "A" or len(naf) != 6 or not naf[:2].isdigit():
        continue
    g = [name for first, name in groups if int(naf[:2]) >= first][-1]
    count[g] = count.get(g, 0) + 1
    total += 1
worst = max(abs(100 * count.get(r["group"], 0) / total - 100 * float(r["share"]))
            for r in csv.DictReader(open(sys.argv[2])) if r["area"] == "13")
print(f"{worst:.2f}")
PY
)
check "a generated Aix-Marseille keeps the Bouches-du-Rhône's sector mix within 1 point (worst: $mix)" \
  awk -v w="$mix" 'BEGIN { exit !(w != "" && w < 1.0) }'
farms=$(python3 -c "
import csv,sys
n=city=0
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8')):
    if r['activitePrincipaleEtablissement'][:2] in ('01','02','03'):
        n+=1; city+=r['codeCommuneEtablissement'].startswith('132')
print(f'{n} {city}')" "$TMP/mix/StockEtablissement_utf8.csv")
check "farms go to rural communes, seldom to Marseille's districts ($farms: farms, in Marseille)" \
  awk -v f="$farms" 'BEGIN { split(f, a, " "); exit !(a[1] > 100 && a[2] / a[1] < 0.05) }'
