# t_search.sh — `maillage search` and `maillage territory` on the hand-built
# fixtures: folding, stemming, filters at every NAF level, ranking, facets,
# privacy of status P rows.
. "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")/../data" && pwd)
run init
run import sirene "$D/fixture_etablissements_2025.csv" --rejects "$TMP/r.csv"

run search decolletage
check "accents and case do not matter" has "$OUT" "DÉCOLLETAGE DES FIXTURES"
run search "DÉCOLLETAGES"
check "plural and upper case find the same firm (French stemming)" has "$OUT" "90000002700012"
run search naval --json
check "a word of the activity label finds firms (construction navale, réparation navale)" \
  test "$(json_get '[.results[].siret]|sort|join(",")')" = "90000001900019,90000005000014"
run search navires --json
check "a word in both name and activity: name matches rank first" test "$(json_get '.results[0].siret')" = 90000001900019
run search marseille --json
check "a commune name finds its establishments, arrondissements included" test "$(json_get '[.results[].siret]|join(",")')" = 90000001900019
run search fixture --json
check "open establishments come before closed ones" test "$(json_get '.results[-1].active')" = false
check "… bigger before smaller" test "$(json_get '[.results[0:3][].size.code]|join(",")')" = "12,11,03"

run search fixture --naf 30.11Z --json
check "filter by NAF sub-class" test "$(json_get '[.results[].siret]|join(",")')" = 90000001900019
run search fixture --naf 30.1 --json
check "filter by NAF group" test "$(json_get '.total')" = 1
run search fixture --naf C30A --json
check "filter by A129 code" test "$(json_get '.total')" = 1
run search fixture --naf CL --json
check "filter by A38 branch" test "$(json_get '.total')" = 1
run search fixture --naf C --json
check "filter by section counts every manufacturing firm, closed too" test "$(json_get '.total')" = 4
run search fixture --naf C --active --json
check "--active leaves out the closed one" test "$(json_get '.total')" = 3
run search fixture --naf BE --json
check "filter by A10 code" test "$(json_get '.total')" = 4
run search fixture --naf ZZ --json
check "an unknown NAF code is a usage error" status_is 2
run search fixture --dep 974 --json
check "filter by département" test "$(json_get '[.results[].siret]|join(",")')" = 90000005000014
run search fixture --epci 200054807 --json
check "filter by EPCI" test "$(json_get '.total')" = 3
run search fixture --commune 13055 --json
check "filter by a commune with arrondissements" test "$(json_get '.total')" = 1
run search fixture --region 93 --size-min 11 --json
check "filter by région and minimum size band" test "$(json_get '[.results[].siret]|sort|join(",")')" = "90000001900019,90000002700012"
run search --naf 25.11Z --json
check "a filter-only search works" status_is 0
check "establishments with status P are never listed" test "$(json_get '.total')" = 0
run search fixture --facets --json
check "facets never show a count under 3: 13=3 and 974=1 merge into one cell of 4" \
  test "$(json_get '[.facets.departement[]|"\(.code)=\(.count)"]|join(",")')" = "null=4"
check "… and count by section" test "$(json_get '.facets.section[0].code')" = C
run search 'fixture" OR *' --json
check "FTS operators in user text are inert" status_is 0
run search de la le
check "a query of only stop words says so" has "$ERR" "only stop words"
run search fixture --limit 2 --offset 1 --json
check "pagination: offset skips, limit caps" test "$(json_get '[.results[].size.code]|join(",")')" = "11,03"

run territory 200054807 --json
check "territory summary names the EPCI" test "$(json_get '.territory.name')" = "Métropole d'Aix-Marseille-Provence"
check "it counts active establishments, P rows included" test "$(json_get '.establishments.active')" = 3
check "the count of P rows is hidden below 3" test "$(json_get '.establishments.active_restricted')" = null
check "small cells are merged and hidden" test "$(json_get '[.top_communes[].code]|map(tostring)|join(",")')" = "null"
check "a remainder of 1 or 2 is never left readable by subtraction" \
  test "$(json_get '[.by_a10[]|.count]|add')" = "$(json_get '.establishments.active')"
run territory 13
check "a département code works" status_is 0
run territory 69
check "a territory the files do not cover says so" has "$OUT" "do not cover it"
check "... with no '(null)' for its import date" lacks "$OUT" "(null)"
run territory reg:93 --json
check "a région needs the reg: prefix" test "$(json_get '.territory.kind')" = region
run territory 13055 --json
check "one establishment in Marseille: a count under 3 is not published" test "$(json_get '.establishments.total')" = null
run search --commune 13055 --json
check "a commune covers its arrondissements: the search lists its one establishment" test "$(json_get '.total')" = 1
run search fixture --active --size-min 11 --json
check "open establishments of at least 10 employees: a rowid range, same answer" \
  test "$(json_get '[.results[].siret]|sort|join(",")')" = "90000001900019,90000002700012"
run search --active --json
check "a search for every open establishment works without words or filters" test "$(json_get '.total')" = 3
