# committee_checks.sh — the checks of aid schemes, routing and committees
# (issue 13 parts 3 and 5) on one database, shared by t_committee.sh (SQLite)
# and t_committee_pg.sh (PostgreSQL): each engine must pass the same. The
# caller sources lib.sh, defines sql_value QUERY and calls committee_checks DB WHAT.
D=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data" && pwd)
CAT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../data/schemes" && pwd)/dispositifs-aide-maillage.csv
NEAR=91000002500015 ASM=91000001700012

committee_checks() {
  local db=$1 what=$2
  p() { run --db "$db" "$@"; }
  p init; p import sirene "$D/fixture_match.csv"; p import unites "$D/fixture_unites.csv"
  check "$what: init and import the fixtures" status_is 0

  # ---------------------------------------------------------- the catalogue
  local bad="$TMP/schemes-bad.csv"
  printf '%s\n' 'id,titre,description,eligibilite,types_aides,porteurs,cibles,eligibilite_geographique,date_mise_a_jour,ciblage_secteur_activite' \
    'a,Aide A,Une aide,"• PME",financement,Région,professionnels,PAYS-99100,2026-11-30,industrie' \
    'b,Aide B,"Une aide sur' 'deux lignes","• PME",financement,Région,professionnels,France,2026-11-30,industrie' >"$bad"
  p scheme import "$bad"
  check "$what: a catalogue with a bad line is refused whole, the line and column named" \
    bash -c '[[ $0 -ne 0 ]] && grep -qF "schemes-bad.csv line 3, column eligibilite_geographique: '"'"'France'"'"' is not one of COG codes" <<<"$1"' "$RC" "$ERR"
  p scheme list
  check "$what: nothing of it was imported" has "$OUT" "no scheme"
  cut -d, -f1-3 "$CAT" >"$TMP/short.csv"
  p scheme import "$TMP/short.csv"
  check "$what: a header without the schema's required columns is refused, named" \
    bash -c '[[ $0 -ne 0 ]] && grep -qF "line 1: the header lacks column description" <<<"$1"' "$RC" "$ERR"
  p scheme import "$CAT"
  check "$what: the starting catalogue imports (11 schemes; the warning column is not read)" \
    bash -c '[[ $0 -eq 0 ]] && grep -qF "11 schemes imported" <<<"$1" && grep -qF "column not read: maillage_avertissement" <<<"$1"' "$RC" "$OUT"
  p scheme import "$CAT"
  check "$what: importing it again replaces the schemes (still 11)" \
    test "$(sql_value 'select count(*) from prog_scheme')" = 11
  p scheme list
  check "$what: scheme list says the catalogue is to check" \
    bash -c 'grep -qF "maillage-bpi-pret-vert  Bpifrance — Prêt Vert  https://www.bpifrance.fr/" <<<"$0" && grep -qF "see each scheme'"'"'s official page before use" <<<"$0"' "$OUT"

  # ------------------------------------------------------ eligibility, routing
  p programme add "Rebond" --envelope "subsidy=1000000:max=200000:small=50:medium=40:large=20" \
    --envelope "advance=500000:revolving" --territory 13
  p project add Rebond --siret "$NEAR" --title "Ligne robotisée" --cost 400000 --ask-subsidy 100000 --ask-advance 50000
  local p1=$OUT
  p project add Rebond --siret "$ASM" --title "Extension" --cost 500000 --ask-subsidy 300000
  local p2=$OUT
  p scheme eligible "$p1" --at 2026-02-01 --json
  check "$what: eligibility: the regional scheme's conditions, each met or not, explained" \
    test "$(json_get '.schemes[] | select(.id == "maillage-region-sud-investissement") | [.verdict, (.conditions | map(.condition + "=" + .state) | join(","))] | join(" ")')" = \
    "not_eligible target=met,project_type=met,size=met,naf=met,territory=met,stage=unmet"
  check "$what: eligible schemes come first; one of another region is not (REG-76)" \
    bash -c 'jq -e ".schemes[0].verdict == \"eligible\" and (.schemes[] | select(.id == \"maillage-region-occitanie-pass\") | .conditions[] | select(.condition == \"territory\") | .explain | test(\"outside REG-76\"))" <<<"$0" >/dev/null' "$OUT"
  p scheme eligible "$p1"
  check "$what: the text lists the eligible schemes with their conditions" \
    bash -c 'grep -qF "eligible  Bpifrance — Prêt Vert" <<<"$0" && grep -qE "met +size +a PME company" <<<"$0"' "$OUT"
  p scheme eligible "$p2" --all --json
  check "$what: a company too large for a scheme: unmet, why" \
    test "$(json_get '.schemes[] | select(.id == "maillage-region-sud-investissement") | .conditions[] | select(.condition == "size") | .explain')" = \
    "it is for MIC|PME companies; this one is ETI"
  local edge="$TMP/schemes-edge.csv"
  printf '%s\n' 'id,titre,description,eligibilite,types_aides,porteurs,cibles,eligibilite_geographique,date_mise_a_jour,ciblage_secteur_activite,ciblage_naf,ciblage_naf_exclusions,eligibilite_effectif_minimal,eligibilite_effectif_maximal,date_cloture,eligibilite_geographique_exclusions' \
    'x-excl,Exclu,d,e,financement,p,professionnels,PAYS-99100,2026-11-30,industrie,C,29.3,,,,' \
    'x-closed,Clos,d,e,financement,p,professionnels,PAYS-99100,2026-11-30,industrie,,,,,2026-01-31T23:59:59Z,' \
    'x-head,Effectif,d,e,financement,p,professionnels,PAYS-99100,2026-11-30,industrie,,,30,,,' \
    'x-small,Petites,d,e,financement,p,professionnels,PAYS-99100,2026-11-30,industrie,,,0,10,,' \
    'x-dep,Hors 13,d,e,financement,p,professionnels,REG-93,2026-11-30,industrie,,,,,,DEP-13' >"$edge"
  p scheme import "$edge"
  p scheme eligible "$p1" --at 2026-02-01 --all --json
  local st='[.schemes[] | select(.id | startswith("x-")) | .id + ":" + .verdict + ":" + ([.conditions[] | select(.state != "met") | .condition + "=" + .state] | join("+"))] | sort | join(" ")'
  check "$what: NAF excluded by its group, a closed scheme, a band that straddles a bound, one outside, a département excluded" \
    test "$(json_get "$st")" = "x-closed:not_eligible:project_type=unknown+dates=unmet x-dep:not_eligible:project_type=unknown+territory=unmet x-excl:not_eligible:project_type=unknown+naf=unmet x-head:to_check:project_type=unknown+headcount=unknown x-small:not_eligible:project_type=unknown+headcount=unmet"
  p scheme route "$p1" nowhere
  check "$what: routing to an unknown scheme is refused" \
    bash -c '[[ $0 -ne 0 ]] && grep -qF "no aid scheme '"'"'nowhere'"'"' in the catalogue" <<<"$1"' "$RC" "$ERR"
  p scheme route "$p1" maillage-region-sud-investissement --date 2026-02-01 --note "dossier transmis"
  check "$what: a project routed to a scheme becomes routed" \
    bash -c '[[ $0 -eq 0 ]] && grep -qF "project '"$p1"' [routed]" <<<"$1" && grep -qF "routed to Région Sud" <<<"$1"' "$RC" "$OUT"
  p project show "$p1"
  check "$what: the route is shown on the project" has "$OUT" "routed on 2026-02-01 to Région Sud"

  # ---------------------------------------------------------------- committee
  for s in applied instructed; do p project move "$p1" $s; done
  for s in qualified routed applied instructed committee; do p project move "$p2" $s; done
  p interview add Rebond --siret "$NEAR" --date 2026-01-20 --scores skills=3 --flags succession --notes "Visite atelier"
  p committee add Rebond --date 2026-03-31 --place "Hôtel de Région" --member "Anne Martin|Région Sud|présidente" \
    --member "Paul Roux|Bpifrance|membre" --member "Léa Petit|Préfecture|membre"
  local c=$OUT
  check "$what: committee add prints its id" bash -c '[[ $0 -eq 0 && $1 =~ ^[0-9]+$ ]]' "$RC" "$c"
  p committee add Rebond --date 2026-03-31 --member "Anne Martin"
  check "$what: a member without organisation and role is refused" status_is 2
  p committee agenda "$c" --json
  check "$what: the agenda holds the ready projects, by id" test "$(json_get '[.agenda[].project] | map(tostring) | join(",")')" = "$p1,$p2"
  check "$what: a sheet: the firm from the register, its interview, every rule checked" \
    test "$(json_get '.agenda[0] | [.firm.name, .firm.naf, (.interviews | length | tostring), (.checks | map(.rule) | join(",")), (.passes | tostring)] | join("|")')" = \
    "EQUIPEMENTIER PROCHE FIXTURE|29.32Z|1|eligible,envelope,max_project,intensity,envelope,max_project,intensity,de_minimis|true"
  check "$what: the sheet of a request beyond a rule says which, the envelopes before and after follow the agenda" \
    test "$(json_get '.agenda[1] | [(.checks | map(select(.pass | not) | .rule) | join(",")), (.envelopes | map(.available_before | tostring) | join(","))] | join("|")')" = \
    "max_project,intensity|90000000,45000000"
  p committee order "$c" "$p2,$p1"
  check "$what: the agenda's order changes" bash -c '[[ $0 -eq 0 ]] && grep -qF "1. project '"$p2"'" <<<"$1"' "$RC" "$OUT"
  p committee order "$c" 999
  check "$what: a project that does not exist cannot join the agenda" status_is 1
  p committee vote "$c" "$p1" --member "Anne Martin" --vote for
  p committee vote "$c" "$p1" --member 2 --vote against
  p committee vote "$c" "$p1" --member 3 --vote against
  p committee decide "$c" "$p1" --grant --subsidy 100000
  check "$what: a grant the votes do not carry is refused with the tally" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "(for 1, against 2, abstain 0) do not carry a grant" <<<"$1"' "$RC" "$ERR"
  p committee vote "$c" "$p1" --member "Léa Petit" --vote for
  p committee decide "$c" "$p2" --grant --subsidy 300000
  check "$what: a grant beyond a rule is refused with the decision's own reason" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "the most one project may get from the subsidy envelope is 200000.00 euros; 300000.00 euros asked" <<<"$1"' "$RC" "$ERR"
  check "$what: … and nothing was written to the ledger" test "$(sql_value 'select count(*) from prog_entry')" = 0
  p committee decide "$c" "$p1" --grant --subsidy 100000 --advance 50000 --deferral 12 --instalments 4 --every 6
  check "$what: a grant goes through the decision: committed on the committee's day" \
    test "$(sql_value "select count(*) || ' ' || min(day) || ' ' || sum(amount) from prog_entry where kind = 'commit'")" = "2 2026-03-31 15000000"
  p committee decide "$c" "$p2" --refuse
  check "$what: a refusal needs its reason" status_is 2
  p committee decide "$c" "$p2" --refuse --reason "Plafond par projet dépassé"
  check "$what: a refusal rejects the project" test "$(sql_value "select stage from prog_project where id = $p2")" = rejected
  p committee vote "$c" "$p1" --member 1 --vote against
  check "$what: the votes close with the decision" bash -c '[[ $0 -eq 1 ]] && grep -qF "votes are closed" <<<"$1"' "$RC" "$ERR"
  p committee list Rebond
  check "$what: committee list says it was held" has "$OUT" "2 projects, 2 decided  HELD"

  # ------------------------------------------------------------- documents
  p committee minutes "$c" --out "$TMP/pv.pdf"; pdftotext "$TMP/pv.pdf" "$TMP/pv.txt"
  local t; t=$(tr -s ' \n' '  ' <"$TMP/pv.txt")
  check "$what: the minutes: members, votes by member, decisions with amounts and reason" \
    bash -c 'for w in "Procès-verbal du comité" "Comité du 31/03/2026 — Hôtel de Région" "Léa Petit" "Votes : pour 2, contre 1, abstention 0" "Paul Roux : contre" "Décision : accordé — subvention 100 000,00 €, avance remboursable 50 000,00 €" "Décision : refusé — motif : Plafond par projet dépassé"; do grep -qF -- "$w" <<<"$0" || { echo "missing: $w"; exit 1; }; done' "$t"
  p committee letters "$c" --out "$TMP/letters.pdf"; pdftotext -layout "$TMP/letters.pdf" "$TMP/l.txt"
  t=$(tr -s ' \n' '  ' <"$TMP/l.txt")
  check "$what: the letters: granted with amounts and schedule, refused with the reason" \
    bash -c 'for w in "a décidé d'"'"'accorder à votre projet « Ligne robotisée »" "— avance remboursable : 50 000,00 €" "31/03/2027" "12 500,00 €" "n'"'"'a pas retenu votre projet « Extension »" "Motif : Plafond par projet dépassé"; do grep -qF -- "$w" <<<"$0" || { echo "missing: $w"; exit 1; }; done' "$t"
  p committee pack "$c" --out "$TMP/pack.pdf"; pdftotext "$TMP/pack.pdf" "$TMP/pack.txt"
  t=$(tr -s ' \n' '  ' <"$TMP/pack.txt")
  check "$what: the pack: the agenda and one sheet per project" \
    bash -c 'for w in "Dossier du comité" "Ordre du jour" "Fiche 1 — Extension" "Fiche 2 — Ligne robotisée" "Entretien du 20/01/2026" "NAF 29.32Z"; do grep -qF -- "$w" <<<"$0" || { echo "missing: $w"; exit 1; }; done' "$t"
  p committee pack "$c"
  check "$what: a document needs --out" status_is 2
  p programme add "Démo" --generated --envelope subsidy=1000
  p committee add "Démo" --date 2026-05-01 --member "X|Y|Z"
  p committee pack "$OUT" --out "$TMP/demo.pdf"; pdftotext "$TMP/demo.pdf" "$TMP/demo.txt"
  t=$(tr -s ' \n' '  ' <"$TMP/demo.txt")
  check "$what: a generated programme's pack says so on every page" \
    bash -c 'grep -qF "DONNÉES DE DÉMONSTRATION GÉNÉRÉES" <<<"$0" && grep -qF "Aucun projet à l'"'"'ordre du jour" <<<"$0"' "$t"
  p audit --json --limit 200
  check "$what: the writes of the command line were audited" \
    test "$(json_get '[(if type == "array" then . else .entries end)[] | select(.action | test("^cli (scheme|committee)"))] | length')" -ge 10
}
