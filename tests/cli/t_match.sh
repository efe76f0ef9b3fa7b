# t_match.sh — `maillage match`, verdicts, networks, bridges on hand-built
# fixtures whose right answer a person can check (tests/data/README.md).
. "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")/../data" && pwd)
ASM=91000001700012 NEAR=91000002500015 FAR=91000003300019 SOLO=91000004100012
RESTO=91000005800016 SAMECO=91000001700020 PRIV=91000006600019 CLOSED=91000007400013
NB=$'\xc2\xa0' # French typography: a non-breaking space before % and :
run init
run import sirene "$D/fixture_match.csv"

run match $ASM --json
order=$(json_get '[.suggestions[].siret]|join(",")')
check "suppliers of a car assembler: near parts maker, one-person maker, far maker, then the restaurant" \
  test "$order" = "$NEAR,$SOLO,$FAR,$RESTO"
check "never its own company's other establishment" lacks "$order" $SAMECO
check "never an establishment with restricted diffusion" lacks "$order" $PRIV
check "never a closed establishment" lacks "$order" $CLOSED
share=$(awk -F, '$1=="29.32" && $2=="29.10" {print $4}' "$MAILLAGE_DATA/io/naf_class_io_2018.csv")
# A share as the sentences write it: "7,6" in French, "7.6" in English.
pct() { awk -v s="$1" -v sep="$2" 'BEGIN { v = s * 100; x = sprintf(v >= 9.95 ? "%.0f" : v >= 0.095 ? "%.1f" : "%.2f", v); sub(/\./, sep, x); print x }'; }
PFR=$(pct "$share" ,) PEN=$(pct "$share" .)
check "the share is the NAF class table's: what class 29.10 buys from 29.32 ($PEN %)" \
  test "$(json_get '.suggestions[0].parts.sector.ic_share*1000|round')" = "$(awk -v s="$share" 'BEGIN{printf "%d", s*1000+0.5}')"
check "… an intermediate-consumption link between the two classes" \
  test "$(json_get '.suggestions[0].parts.sector|"\(.link) \(.supplier_class.code)>\(.buyer_class.code) \(.year)"')" = "intermediate 29.32>29.10 2018"
check "… with its source" has "$(json_get '.suggestions[0].parts.sector.source')" "split by NAF class after the US BEA 2017 detailed tables"
check "the score is the product of its parts" test "$(json_get '.suggestions[0]|(.parts.sector.share*.parts.distance_factor*.parts.size_factor*.parts.network_factor) - .score|fabs < 1e-12')" = true
check "distance decays with the default 30 km scale" test "$(json_get '.suggestions[2].parts|(.distance_factor - ((-.distance_km/30)|exp))|fabs < 1e-9')" = true
check "a one-person shop is penalised as supplier of a 1,000+ plant" test "$(json_get '.suggestions[1].parts.size_factor')" = 0.25
check "the French sentence names both classes, the share and what it is a share of" \
  has "$(json_get '.suggestions[0].reason_fr')" "Fabrication d'autres équipements automobiles, à 3${NB}km, 20 à 49 salariés${NB}: l'activité «${NB}construction de véhicules automobiles${NB}» (NAF 29.10) achète ${PFR}${NB}% de ses consommations intermédiaires (produits français ou importés) à l'activité «${NB}fabrication d'autres équipements automobiles${NB}» (NAF 29.32)"
check "… and its source and year" has "$(json_get '.suggestions[0].reason_fr')" "(Insee, consommations intermédiaires 2018 (produits français ou importés) au niveau A38, réparties par classe NAF d'après les tableaux détaillés 2017 du BEA américain)"
check "the English one too" has "$(json_get '.suggestions[0].reason_en')" "3 km away, 20-49 employees: the “manufacture of motor vehicles” (NAF 29.10) class buys ${PEN}% of its intermediate consumption (French-made or imported products)"
check "the size penalty is said" has "$(json_get '.suggestions[1].reason_en')" "small for your volumes (score reduced)"
check "each suggestion says what sets it apart" test "$(json_get '[.suggestions[].detail_fr]|unique|length')" = 4
check "suggestions are grouped by what is bought, the class link said once" \
  test "$(json_get '[.groups[]|"\(.class):\(.items|map(tostring)|join("+"))"]|join(",")')" = "29.32:1+2+3,56.10:4"
check "… with the group's reason" has "$(json_get '.groups[0].reason_fr')" "achète ${PFR}${NB}% de ses consommations intermédiaires (produits français ou importés)"
check "inputs every firm buys are left out, and said" test "$(json_get '[.left_out[].label_fr]|index("marges commerciales") >= 0')" = true
run match $ASM --per-input 2 --json
check "--per-input 2 keeps two firms of one class" test "$(json_get '[.suggestions[].siret]|join(",")')" = "$NEAR,$SOLO,$RESTO"
run match $ASM --lang fr
check "the text output groups suppliers under what they sell" has "$OUT" "  29.32 Fabrication d'autres équipements automobiles"
check "… and lists what was left out" has "$OUT" "Non proposés, achetés par toute entreprise (--all-inputs)"

run match $ASM --brute-force --json
check "the brute-force reference gives the same list" test "$(json_get '[.suggestions[].siret]|join(",")')" = "$order"
run match $ASM --radius 10 --json
check "--radius leaves out Toulon (63 km)" lacks "$(json_get '[.suggestions[].siret]|join(",")')" $FAR
run match $NEAR --customers --json
check "customers of a car-parts maker: the car assembler first (29.10 buys $PEN % from 29.32)" \
  test "$(json_get '.suggestions[0].siret')" = $ASM
check "… said from the supplier's side" has "$(json_get '.suggestions[0].reason_en')" "its class, “manufacture of motor vehicles” (NAF 29.10), buys ${PEN}% of its intermediate consumption (French-made or imported products) from your class"
check "… and the pair has the same score both ways (customers mirror suppliers)" \
  test "$(json_get '.suggestions[0].parts.sector.share*1e6|round')" = "$(awk -v s="$share" 'BEGIN{printf "%d", s*1e6+0.5}')"
run match $PRIV
check "no suggestions for a restricted establishment" has "$ERR" "restricted diffusion"
run match $CLOSED
check "no suggestions for a closed establishment" has "$ERR" "closed"
run match 12345678901234
check "an invalid SIRET is a usage error" status_is 2

run import profiles "$D/fixture_profiles.csv" --rejects "$TMP/p.csv"
check "profiles import, bad rows rejected" has "$OUT" "3 imported (0 replaced), 2 rejected"
check "a profile for a restricted establishment is refused" has "$(cat "$TMP/p.csv")" '"91000006600019","not in the database, or restricted diffusion (statut P)"'
run match $ASM --json
check "a declared need raises the supplier whose offers answer it" test "$(json_get "[.suggestions[]|select(.siret==\"$FAR\")][0].parts.text > 0")" = true
check "… showing the words matched" test "$(json_get "[.suggestions[]|select(.siret==\"$FAR\")][0].matched_words|join(\",\")")" = "usinage,precision"
check "a shared label (French Fab) gives the network bonus" test "$(json_get "[.suggestions[]|select(.siret==\"$FAR\")][0].parts.network_factor")" = 1.2

run verdict $NEAR $ASM reject --by "test agent"
check "a verdict is recorded" status_is 0
run match $ASM --json
check "a rejected pair is never proposed again" lacks "$(json_get '[.suggestions[].siret]|join(",")')" $NEAR
run match $NEAR --customers --json
check "… in either direction" lacks "$(json_get '[.suggestions[].siret]|join(",")')" $ASM
run verdict $SOLO $ASM accept
run links $ASM --json
check "an accepted pair is listed as a known link" test "$(json_get '.links[0].supplier')" = $SOLO
check "… with who said so" test "$(json_get '[.rejected[0].author]|join("")')" = "test agent"
run verdict $SOLO $ASM maybe
check "an unknown verdict is a usage error" status_is 2
run verdict $PRIV $ASM accept
check "a verdict on a restricted establishment is refused" status_is 1

run group add "Lauréats" "$D/fixture_network.txt" --rejects "$TMP/g.csv"
check "a network is created from a list of SIRET" has "$OUT" "3 members added, 1 rejected"
run group list --json
check "networks are listed with their size" test "$(json_get '.[0].members')" = 3
run network "Lauréats" --json --csv "$TMP/n.csv" --xlsx "$TMP/n.xlsx"
check "the network report lists each pair of members once" \
  test "$(json_get '[.pairs[]|[.a.siret,.b.siret]|sort|join("-")]|(length == (unique|length))')" = true
check "… leaving out the pair rejected above" lacks "$(json_get '[.pairs[]|.a.siret + "-" + .b.siret]|join(",")')" "$ASM-$NEAR"
check "… each with the reason of every direction that exists" \
  test "$(json_get '[.pairs[]|(.a_to_b.reason_fr // "") + (.b_to_a.reason_fr // "")|length > 0]|all')" = true
check "members share the network bonus" test "$(json_get '[.pairs[]|(.a_to_b // .b_to_a).parts.network_factor]|unique|join(",")')" = 1.2
check "every outside partner comes with its reason and the member it serves best" \
  test "$(json_get '[.outside_suppliers[]|(.reason_fr|length > 0) and (.best_member.siret|length == 14)]|all')" = true
check "outside partners are proposed for the network as a whole" test "$(json_get '.outside_suppliers|length')" -ge 2
check "the CSV export has a header and one line per pair" test "$(wc -l <"$TMP/n.csv")" = "$(( $(json_get '.pairs|length') + 1 ))"
check "the Excel export is a real workbook (zip with sheets)" has "$(python3 -c "import zipfile,sys;print(zipfile.ZipFile(sys.argv[1]).namelist())" "$TMP/n.xlsx")" "xl/worksheets/sheet1.xml"
run network "Nope"
check "an unknown network is reported" has "$ERR" "no network named 'Nope'"

printf 'siret,offers,needs\n%s,Usinage de précision de pièces,\n' $SAMECO >"$TMP/p2.csv"
run import profiles "$TMP/p2.csv"
printf 'siret\n%s\n%s\n' $ASM $SAMECO >"$TMP/b.txt"
run group add "Bridge" "$TMP/b.txt"
run bridges "Bridge" --json
check "a bridge joins two branches sharing words of offers and needs" test "$(json_get '.bridges[0].shared_words|join(",")')" = "usinag,precis"
check "… explained with the trade link too" has "$(json_get '.bridges[0].reason_fr')" "achète $(pct "$(awk -F, '$1=="25.62" && $2=="29.10" {print $4}' "$MAILLAGE_DATA/io/naf_class_io_2018.csv")" ,)${NB}% de ses consommations intermédiaires (produits français ou importés) à l'activité «${NB}usinage${NB}»"
run bridges --territory 200054807 --json
check "bridges in a territory compare its establishments that have a profile" \
  test "$(json_get '.territory + ":" + (.members_placed|tostring)')" = "200054807:3"
check "… and join different branches" test "$(json_get '.bridges|length')" -ge 1

printf 'siret\n%s\n"91000001\n%s\n' $ASM $RESTO >"$TMP/quote.txt"
run group add "Quote" "$TMP/quote.txt" --rejects "$TMP/q.csv"
check "a stray quote in a network list loses its own line, not the lines after it" has "$OUT" "2 members added, 1 rejected"
check "… and the rejects file says which line and why, through the one CSV writer" \
  has "$(cat "$TMP/q.csv")" ',3,"siret","","an unbalanced quote: this line is not read"'

run verdict $SOLO $ASM withdraw --by "test agent"
check "an accepted pair can be withdrawn" status_is 0
run links $ASM --json
check "… then it is no longer a known link" test "$(json_get '[.links[].supplier]|index("'$SOLO'")')" = null
run verdict $NEAR $ASM withdraw
run match $ASM --json
check "a withdrawn rejection lets the pair be proposed again" has "$(json_get '[.suggestions[].siret]|join(",")')" $NEAR
