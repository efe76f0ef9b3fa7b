# t_match.sh — `maillage match`, verdicts, networks, bridges on hand-built
# fixtures whose right answer a person can check (tests/data/README.md).
. "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")/../data" && pwd)
ASM=91000001700012 NEAR=91000002500015 FAR=91000003300019 SOLO=91000004100012
RESTO=91000005800016 SAMECO=91000001700020 PRIV=91000006600019 CLOSED=91000007400013
run init
run import sirene "$D/fixture_match.csv"

run match $ASM --json
order=$(json_get '[.suggestions[].siret]|join(",")')
check "suppliers of a car assembler: near machining, one-person shop, far machining, restaurant" \
  test "$order" = "$NEAR,$SOLO,$FAR,$RESTO"
check "never its own company's other establishment" lacks "$order" $SAMECO
check "never an establishment with restricted diffusion" lacks "$order" $PRIV
check "never a closed establishment" lacks "$order" $CLOSED
check "the A38 share is INSEE's: car industry buys 11.9 % from metal products" \
  test "$(json_get '.suggestions[0].parts.sector.a38_share*1000|round')" = 119
check "WIOD refines it: 70.9 % of what motor vehicles buy from metals are fabricated metal products" \
  test "$(json_get '.suggestions[0].parts.sector.refinement.split*1000|round')" = 709
check "… so the sector part is their product, 8.4 %" \
  test "$(json_get '.suggestions[0].parts.sector|(.share - .a38_share * .refinement.split)|fabs < 1e-12')" = true
check "… with its source and year" test "$(json_get '.suggestions[0].parts.sector|"\(.source) \(.year) \(.level)"')" = "INSEE, tableau des entrées-sorties domestiques 2019 A38"
check "the score is the product of its parts" test "$(json_get '.suggestions[0]|(.parts.sector.share*.parts.distance_factor*.parts.size_factor*.parts.network_factor) - .score|fabs < 1e-12')" = true
check "distance decays with the default 30 km scale" test "$(json_get '.suggestions[2].parts|(.distance_factor - ((-.distance_km/30)|exp))|fabs < 1e-9')" = true
check "a one-person shop is penalised as supplier of a 1,000+ plant" test "$(json_get '.suggestions[1].parts.size_factor')" = 0.25
check "the French sentence quotes the share, distance and source" \
  has "$(json_get '.suggestions[0].reason_fr')" "Mécanique industrielle, à 3 km : la branche « fabrication de matériels de transport » achète 12 % de ses consommations intermédiaires domestiques à la branche « métallurgie et fabrication de produits métalliques"
check "… and its sources" has "$(json_get '.suggestions[0].reason_fr')" "(TES Insee 2019, niveau A38), dont 71 % à « fabrication de produits métalliques, à l'exception des machines et des équipements » (WIOD 2014)"
check "the English one too" has "$(json_get '.suggestions[0].reason_en')" "3 km away: the “manufacture of transport equipment” branch buys 12% of its domestic intermediate consumption"
check "the size penalty is said" has "$(json_get '.suggestions[1].reason_en')" "size mismatch (score × 0.25)"

run match $ASM --brute-force --json
check "the brute-force reference gives the same list" test "$(json_get '[.suggestions[].siret]|join(",")')" = "$order"
run match $ASM --radius 10 --json
check "--radius leaves out Toulon (63 km)" lacks "$(json_get '[.suggestions[].siret]|join(",")')" $FAR
run match $NEAR --customers --json
check "customers of a machining firm include the car assembler (its branch buys 11.9 % from metal products)" \
  test "$(json_get "[.suggestions[]|select(.siret==\"$ASM\")][0].parts.sector.a38_share*1000|round")" = 119
check "… after other metal firms: the metal branch buys 31 % of its inputs from itself" \
  test "$(json_get '.suggestions[0].parts.sector.a38_share*100|round')" = 31
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
check "the network report ranks pairs inside the network" test "$(json_get '.pairs[0].supplier.siret + ">" + .pairs[0].buyer.siret')" = "$RESTO>$NEAR"
check "… leaving out the pair rejected above" lacks "$(json_get '[.pairs[]|.supplier.siret + ">" + .buyer.siret]|join(",")')" "$NEAR>$ASM"
check "members share the network bonus" test "$(json_get '.pairs[0].supplier.parts.network_factor')" = 1.2
check "outside partners are proposed for the network as a whole" test "$(json_get '.outside_suppliers|length')" -ge 2
check "the CSV export has a header and one line per pair" test "$(wc -l <"$TMP/n.csv")" = "$(( $(json_get '.pairs|length') + 1 ))"
check "the Excel export is a real workbook (zip with sheets)" has "$(python3 -c "import zipfile,sys;print(zipfile.ZipFile(sys.argv[1]).namelist())" "$TMP/n.xlsx")" "xl/worksheets/sheet1.xml"
run network "Nope"
check "an unknown network is reported" has "$ERR" "no network named 'Nope'"

printf 'siret\n%s\n%s\n' $ASM $FAR >"$TMP/b.txt"
run group add "Bridge" "$TMP/b.txt"
run bridges "Bridge" --json
check "a bridge joins two branches sharing words of offers and needs" test "$(json_get '.bridges[0].shared_words|join(",")')" = "usinag,precis"
check "… explained with the trade link too" has "$(json_get '.bridges[0].reason_fr')" "achète 11.9 % de ses consommations intermédiaires domestiques"
run bridges --territory 200054807 --json
check "bridges in a territory compare its establishments that have a profile" \
  test "$(json_get '.territory + ":" + (.members_placed|tostring)')" = "200054807:2"
check "… and join different branches" test "$(json_get '.bridges|length')" -ge 1
