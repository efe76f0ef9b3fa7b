# t_trades.sh — what a person types in the search box and the filters:
# trade words that stand for NAF codes, SIRET, SIREN and postcodes, names
# in filters, prefixes, the nearest trades when nothing matches, the user's
# own vocabulary, and the suggestions of the filter boxes.
. "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")/../data" && pwd)
run init
run import sirene "$D/fixture_search.csv" --rejects "$TMP/r.csv"
check "the search fixture imports" status_is 0
PREC=92000001500015 CUVE=92000002300019 PAIN=92000003100012 SECRET=92000004900014
CONSEIL=92000005600019 MOUL=92000006400013 MAG=92000006400039 OLD=92000007200016
ids() { json_get '[.results[].siret]|join(",")'; }

# ---------------------------------------------------------------- trades
run search usinage --json
check "usinage finds the machining firm whose name does not say so (NAF 25.62B)" test "$(ids)" = $PREC
check "… and never the restricted (P) machining firm" lacks "$OUT" $SECRET
check "… and says which NAF sub-classes the word stands for" \
  test "$(json_get '[.query.interpretation.terms[0].trades_listed[].code]|join(",")')" = "25.62A,25.62B"
run search chaudronnerie --json
check "chaudronnerie finds the tank maker (NAF 25.29Z), open before closed" test "$(ids)" = "$CUVE,$OLD"
run search chaudronnerie --active --json
check "… and only the open one with --active" test "$(ids)" = $CUVE
run search "traitement de surface" usinage --json
check "a vocabulary phrase is one term" test "$(json_get '.query.interpretation.terms[0].phrase')" = true
run search farine --json
check "farine (flour) finds the flour mill through the vocabulary" test "$(json_get '.results[0].siret')" = $MOUL
run search meunerie --json
check "meunerie (the NAF label of 10.61A) finds it too" test "$(json_get '.results[0].siret')" = $MOUL
run search boulanger --json
check "boulanger finds the bakery and the bread shop before a firm named Boulanger" \
  test "$(ids)" = "$PAIN,$MAG,$CONSEIL"
run search boulangeries --json
check "boulangeries and boulanger find the same bakeries" test "$(json_get '.results[0].siret')" = $PAIN
run search usinage
check "the text output says what the word stands for" has "$OUT" '"usinage" stands for 2 NAF sub-classes'
check "… and a word of own trades gives no neighbouring activities" lacks "$OUT" "neighbouring"
run search perçage --json
check "perçage (only in NACE-BEL's description of 25.62) finds machining as a neighbouring activity" \
  test "$(ids)" = $PREC
check "… and the answer says it found neighbours, not the very trade" test "$(json_get '.wider')" = true
run search perçage
check "… so does the text output" has "$OUT" "neighbouring activities"

# ------------------------------------------------------------- prefixes
run search chaudro --json
check "a cut word finds nothing without --prefix" test "$(json_get '.total')" = 0
run search chaudro --prefix --json
check "… and the boilermakers with --prefix (the word being typed)" test "$(ids)" = "$CUVE,$OLD"
run search "méca" --prefix --json
check "méca with --prefix finds mécanique industrielle" test "$(json_get '.results[0].siret')" = $PREC

# ----------------------------------------------------------- identifiers
run search 920000015 00015 --json
check "a SIRET typed with spaces finds that establishment" test "$(ids)" = $PREC
check "… and says it was read as a SIRET" test "$(json_get '.query.interpretation.siret')" = $PREC
run search "920 000 064" --json
check "a SIREN lists the company's establishments, head office first" test "$(ids)" = "$MOUL,$MAG"
run search 92000004900014 --json
check "the SIRET of a restricted (P) establishment shows nothing" test "$(json_get '.total')" = 0
run search 13100 --json
check "a postcode finds the establishments of its communes" \
  test "$(json_get '[.results[].siret]|sort|join(",")')" = "$PREC,$CUVE,$PAIN,$OLD"
check "… and names those communes" \
  test "$(json_get '[.query.interpretation.postcode.communes[].name]|join(",")')" = "Aix-en-Provence,Beaurecueil,Saint-Antonin-sur-Bayon,Saint-Marc-Jaumegarde,Le Tholonet"
run search boulangerie 13100 --json
check "a postcode with words narrows them" test "$(ids)" = $PAIN
run search 13100
check "the text output says what the postcode stands for" has "$OUT" "postcode 13100: Aix-en-Provence (13001)"

# ------------------------------------------------------- nothing found
run search usinnage --json
check "a misspelt trade finds nothing, and the nearest trade is offered" \
  test "$(json_get '.nearest[0].term')" = usinage
run search usinnage
check "… the text output says what was searched and the nearest trades" has "$OUT" 'nothing matches "usinnage"; nearest trades: usinage (25.62)'
run search chaudronnerie --dep 29 --json
check "known words found nothing because of a filter: no nearest trade" test "$(json_get '.nearest|length')" = 0

# --------------------------------------------------------- names in filters
run search --commune "Aix-en-Provence" --json
check "--commune takes a name" test "$(ids)" = "$CUVE,$OLD"
check "… and says which commune it became" test "$(json_get '.query.interpretation.filters.commune[0].code')" = 13001
run search --commune "le tholonet" --json
check "… accents, case and hyphens do not matter" test "$(ids)" = $PREC
run search --commune "Saint-Denis"
check "an ambiguous name is a usage error" status_is 2
check "… that lists the communes with their codes and départements" has "$ERR" "Saint-Denis (93066, Seine-Saint-Denis)"
run search --commune "Saint-Denis (93066)" --json
check "a name with its code in parentheses (what the UI proposes) is that commune" status_is 0
run search --commune 29200 --json
check "a 5-digit commune filter that is no INSEE code is a postcode (29200: Brest)" test "$(ids)" = "$MOUL,$MAG"
run search --commune 13008 --json
check "… one that is an INSEE code is that commune (13008: Aurons, not Marseille 8e)" \
  test "$(json_get '.query.interpretation.filters.commune[0].name')" = Aurons
run search 13008 --json
check "… while the search box reads it as a postcode (Marseille 8e)" test "$(ids)" = $CONSEIL
run search --dep "Bouches-du-Rhône" --naf chaudronnerie --json
check "--dep takes a name, --naf a trade word" test "$(ids)" = "$CUVE,$OLD"
run search --dep Finistère --naf "Meunerie" --json
check "--naf takes a NAF label" test "$(ids)" = $MOUL
run search --epci "Métropole d'Aix-Marseille-Provence" --naf 25.62 --json
check "--epci takes a name" test "$(ids)" = $PREC
run search --commune Nulle-Part-Sur-Mer
check "an unknown name is a usage error that says so" has "$ERR" "no commune has the name or code"

# ---------------------------------------------------------------- suggest
run suggest commune aix --json
check "suggest commune aix proposes Aix-en-Provence first (biggest)" test "$(json_get '.suggestions[0].code')" = 13001
run suggest commune 13100 --json
check "suggest commune 13100 proposes the postcode's communes, then the commune of that INSEE code" \
  test "$(json_get '[.suggestions[].code]|join(",")')" = "13001,13109,13095,13012,13090,13100"
run suggest naf 25.6 --json
check "suggest naf 25.6 proposes the codes it starts, in code order" \
  test "$(json_get '[.suggestions[].code]|join(",")')" = "25.6,25.61,25.61Z,25.62,25.62A,25.62B"
run suggest naf tôlerie --json
check "suggest naf proposes vocabulary words with their codes" \
  test "$(json_get '.suggestions[0].detail')" = "25.50B 25.99B 25.11Z 33.11Z"
run suggest planet x
check "an unknown kind is a usage error" status_is 2

# ------------------------------------------------------ user vocabulary
cat >"$TMP/vocab.csv" <<'CSV'
term,naf,note
pâte à pain,10.71,our own word
tours numériques,25.62B 28.41Z,CNC machining
brouette,99.99Z,no such code
CSV
run vocabulary import "$TMP/vocab.csv" --rejects "$TMP/vr.csv"
check "a user vocabulary with a bad row imports the good rows and says so" status_is 1
check "… the bad row is in the rejects file with its reason" grep -q "unknown NAF code '99.99Z'" "$TMP/vr.csv"
run search "tours numériques" --json
check "a user phrase finds the firms of its codes" test "$(ids)" = $PREC
run vocabulary list
check "vocabulary list shows the user's entries" has "$OUT" "tours numériques → 25.62B 28.41Z · CNC machining"
run vocabulary show usinage
check "vocabulary show says what a word stands for" has "$OUT" "25.62B  Mécanique industrielle"
run init
run search "tours numériques" --json
check "init keeps the user vocabulary" test "$(ids)" = $PREC
printf 'term,naf,note\n' >"$TMP/empty.csv"
run vocabulary import "$TMP/empty.csv"
run search "tours numériques" --json
check "importing another file replaces the user vocabulary" test "$(json_get '.total')" = 0
