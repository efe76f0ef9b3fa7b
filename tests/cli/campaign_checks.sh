# campaign_checks.sh — the checks of interview campaigns and roadmaps
# (issue 13, item 2) on one database, shared by t_campaign.sh (SQLite) and
# t_campaign_pg.sh (PostgreSQL). The caller sources lib.sh, defines
# sql_value QUERY and calls campaign_checks DB WHAT.
D=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data" && pwd)
ASM=91000001700012 NEAR=91000002500015 TOULON=91000003300019 SOLO=91000004100012
INTERNE=91000001700020 PRIV=91000006600019

campaign_checks() {
  local db=$1 what=$2
  p() { run --db "$db" "$@"; }
  p init; p import sirene "$D/fixture_match.csv"; p import unites "$D/fixture_unites.csv"
  p programme add "Rebond" --envelope subsidy=1000000 --territory 13 --start 2026-01-01 --end 2026-12-31
  check "$what: init, import, a programme on the Bouches-du-Rhône" status_is 0

  # ------------------------------------------------------------ campaigns
  p campaign add Rebond --name "Vague 1" --start 2026-01-05 --end 2026-03-31 --json
  local c=$(json_get .id)
  check "$what: campaign add gives the campaign with its period" \
    test "$(json_get '[.name, .start, .end, .engineering.budget] | map(tostring) | join("|")')" = "Vague 1|2026-01-05|2026-03-31|0"
  p campaign add Rebond --name "Vague 1"
  check "$what: a second campaign of the same name is refused" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "already has a campaign named" <<<"$1"' "$RC" "$ERR"
  p campaign add Rebond --name "X" --start 2026-03-01 --end 2026-02-01
  check "$what: a period that ends before it starts is refused" status_is 2

  # ---------------------------------------------------------- suggestions
  p campaign suggest "$c" --json
  check "$what: suggestions: industrial establishments with employees of the territory, best first" \
    test "$(json_get '[.suggestions[].siret] | join(",")')" = "$ASM,$INTERNE,$NEAR"
  check "$what: suggestions never hold an establishment of restricted diffusion" \
    test "$(json_get "[.suggestions[] | select(.siret == \"$PRIV\")] | length")" = 0
  check "$what: a firm without employees is not suggested" \
    test "$(json_get "[.suggestions[] | select(.siret == \"$SOLO\")] | length")" = 0
  check "$what: each reason has its points and its source; the points add up to the score" \
    test "$(json_get '[.suggestions[] | ((.reasons | map(.points) | add) == .score) and (.reasons | all(.source | length > 0))] | all')" = true
  check "$what: size band, the sector's weight (3 establishments at least) and the territory's dependence are explained" \
    test "$(json_get '.suggestions[0].reasons | map(.code) | join(",")')" = "size,sector,territory_dependence"
  check "$what: a secondary establishment of an ETI is explained" \
    test "$(json_get '.suggestions[1].reasons | map(.code) | join(",")')" = "size,external_decision,territory_dependence"
  p campaign suggest "$c"
  check "$what: suggest in words gives the reasons and their sources" \
    bash -c 'grep -qF "+25 50-99 employees [SIRENE: trancheEffectifsEtablissement]" <<<"$0"' "$OUT"
  p campaign suggest "$c" --top 2 --save --json
  check "$what: suggest --save puts the best ones on the list" \
    test "$(json_get '[.added, .suggestions[0].on_list] | map(tostring) | join("|")')" = "2|to_contact"

  p programme add "Vide" --envelope subsidy=10 --territory 05
  p campaign add Vide --name "V" --json
  p campaign suggest "$(json_get .id)" --json
  check "$what: a territory without industrial employers suggests nothing (no error)" \
    test "$RC:$(json_get '[.considered, (.suggestions | length)] | map(tostring) | join(",")')" = "0:0,0"
  p programme add "Sans territoire" --envelope subsidy=10
  p campaign add "Sans territoire" --name "S" --json
  p campaign suggest "$(json_get .id)"
  check "$what: a programme without a territory gets no suggestion, and is told to add firms by hand" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "add the firms by hand" <<<"$1"' "$RC" "$ERR"

  # ---------------------------------------------------------- list edits
  p campaign firm add "$c" --siret "$TOULON" --reason "signalée par la CCI" --json
  check "$what: firm add with a reason" \
    test "$(json_get '[.source, .status, .note] | join("|")')" = "added|to_contact|signalée par la CCI"
  p campaign firm add "$c" --siret "$PRIV" --reason "x"
  check "$what: a firm with restricted diffusion cannot be added" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "restricted diffusion" <<<"$1"' "$RC" "$ERR"
  p campaign firm add "$c" --siret "$NEAR"
  check "$what: adding by hand needs a reason" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "reason is required" <<<"$1"' "$RC" "$ERR"
  p campaign firm remove "$c" --siret "$INTERNE" --reason "fermeture annoncée" --json
  check "$what: firm remove keeps the firm as removed with its reason" \
    test "$(json_get '[.status, .note] | join("|")')" = "removed|fermeture annoncée"
  p campaign suggest "$c" --save --json
  check "$what: a removed firm is not put back by the suggestions" \
    test "$(json_get "[.added, (.suggestions[] | select(.siret == \"$INTERNE\") | .on_list)] | map(tostring) | join(\"|\")")" = "1|removed"

  # ------------------------------------------------- visits and the budget
  p campaign visit "$c" --siret "$ASM" --date 2026-01-12 --time 09:30 --consultant "A. Martin"
  check "$what: a visit without an engineering budget is refused, saying how to set it" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "no engineering budget: set it first" <<<"$1"' "$RC" "$ERR"
  p campaign budget Rebond --days 3
  check "$what: campaign budget sets the person-days" has "$OUT" "budget 3.0 person-days, consumed 0.0, reserved 0.0, left 3.0"
  p campaign visit "$c" --siret "$ASM" --date 2026-01-12 --time 09:30 --consultant "A. Martin" --days 1.5 --json
  local v1=$(json_get .id)
  check "$what: a planned visit: day, time, consultant, days" \
    test "$(json_get '[.status, .visit_day, .visit_time, .consultant, .days] | join("|")')" = "planned|2026-01-12|09:30|A. Martin|1.5"
  p campaign visit "$c" --siret "$NEAR" --date 2026-01-13 --days 2
  check "$what: a visit past the budget is refused with the figures" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "is 3.0 person-days: 0.0 consumed and 1.5 reserved leave 1.5, not the 2.0 this visit takes" <<<"$1"' "$RC" "$ERR"
  p campaign visit "$c" --siret "$NEAR" --date 2026-01-13 --time 25:00
  check "$what: a time that is not HH:MM is refused" status_is 2
  p campaign budget Rebond --days 1
  check "$what: the budget cannot drop under what is reserved" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "cannot be 1.0" <<<"$1"' "$RC" "$ERR"
  p campaign status "$c" --siret "$NEAR" --status declined
  check "$what: a declined visit" status_is 0

  # ------------------------------------------- interviews, visits, projects
  p interview add Rebond --siret "$NEAR" --scores skills=2 --visit "$v1"
  check "$what: an interview cannot record the visit of another firm" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "another establishment" <<<"$1"' "$RC" "$ERR"
  p interview add Rebond --siret "$ASM" --date 2026-01-12 --scores skills=3,finance=2 --flags succession --visit "$v1"
  local iv=$OUT
  check "$what: an interview recording its planned visit" bash -c '[[ $0 -eq 0 && $1 =~ ^[0-9]+$ ]]' "$RC" "$iv"
  p campaign budget Rebond --json
  check "$what: the visit is done and its days consumed" \
    test "$(json_get '[.engineering.consumed, .engineering.reserved, .engineering.left] | map(tostring) | join("|")')" = "15|0|15"
  p interview project "$iv" --title "Ligne robotisée" --cost 400000 --ask-subsidy 80000 --type investment
  local pj=$OUT
  check "$what: a project detected during the interview" bash -c '[[ $0 -eq 0 && $1 =~ ^[0-9]+$ ]]' "$RC" "$pj"
  p interview list Rebond --json
  check "$what: the interview lists its visit and its projects" \
    test "$(json_get ".interviews[0] | [.visit, .projects[0].id, .projects[0].title] | map(tostring) | join(\"|\")")" = "$v1|$pj|Ligne robotisée"
  p project show "$pj" --json
  check "$what: the project is the interview's firm's" test "$(json_get .siret)" = "$ASM"
  p interview project 999 --title X --cost 10
  check "$what: a project of an unknown interview is refused" status_is 1
  p campaign workshop "$c" --title "Atelier compétences" --date 2026-02-01 --days 2
  check "$what: a workshop past the budget is refused" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "not the 2.0 this workshop takes" <<<"$1"' "$RC" "$ERR"
  p campaign workshop "$c" --title "Atelier compétences" --date 2026-02-01 --days 1
  check "$what: a workshop within the budget" status_is 0
  p campaign show "$c" --json
  check "$what: campaign show: firms, removed, workshops, counts" \
    test "$(json_get '[(.firms | length), (.removed | length), (.workshops | length), .counts.done, .counts.declined, .engineering.left] | map(tostring) | join("|")')" = "3|1|1|1|1|5"

  # --------------------------------------------------------- the synthesis
  p campaign synthesis "$c" --json
  check "$what: campaign synthesis: its interviews, needs, red flags, projects by type" \
    test "$(json_get '[.interviews, .firms, .needs.skills.strong, .red_flags.succession, .projects_by_type[0].type, .projects_by_type[0].cost] | map(tostring) | join("|")')" = "1|1|1|1|investment|40000000"

  # ------------------------------------------------------------ the roadmap
  p roadmap action add Rebond --title "Monter un groupement d'employeurs" --owner Agence --due 2026-04-30 --need skills
  local a1=$OUT
  p roadmap action add Rebond --title "Instruire la ligne robotisée" --project "$pj" --due 2026-01-20 --campaign "$c"
  check "$what: roadmap action add prints the action's id" bash -c '[[ $0 -eq 0 && $1 =~ ^[0-9]+$ ]]' "$RC" "$OUT"
  p roadmap action add Rebond --title "X" --project 999
  check "$what: an action on a project of no programme of ours is refused" status_is 1
  p roadmap action add Rebond --title "X" --due 2026-02-30
  check "$what: an impossible due day is refused" status_is 2
  p roadmap action done "$a1"
  p roadmap action list Rebond --json
  check "$what: roadmap action list: by due day, states, the late one said" \
    test "$(json_get '([.actions[] | .state + (if .late then "!" else "" end)] | join(",")) + "|" + (.done | tostring)')" = "open!,done|1"
  p roadmap export Rebond --pdf "$TMP/roadmap.pdf"
  check "$what: the roadmap as PDF" status_is 0
  local txt; txt=$(pdftotext "$TMP/roadmap.pdf" - 2>/dev/null | tr '\n' ' ')
  check "$what: the PDF holds the programme, the budget, the campaign and the actions" \
    bash -c 'for s in "Feuille de route — Rebond" "Budget : 3,0 j" "Campagne « Vague 1 »" "Monter un groupement" "Instruire la ligne robotisée"; do grep -qF "$s" <<<"$0" || exit 1; done' "$txt"
  check "$what: the PDF gives no figure from fewer than 3 firms" \
    bash -c 'grep -qF "Moins de 3 entreprises rencontrées" <<<"$0" && grep -qF "Transmission à préparer : moins de 3" <<<"$0"' "$txt"
  p roadmap export Rebond --docx "$TMP/roadmap.docx"
  check "$what: the roadmap as .docx" status_is 0
  check "$what: the .docx is an OOXML package (content types, relationships, the document)" \
    bash -c 'l=$(unzip -Z1 "$0") && for f in "[Content_Types].xml" _rels/.rels word/document.xml word/styles.xml; do grep -qxF "$f" <<<"$l" || exit 1; done' "$TMP/roadmap.docx"
  local dtxt; dtxt=$(unzip -p "$TMP/roadmap.docx" word/document.xml | sed -e 's/<[^>]*>/ /g' | tr -s ' ')
  check "$what: the .docx's text holds the campaign, its secrecy and the actions" \
    bash -c 'for s in "Feuille de route — Rebond" "Campagne « Vague 1 »" "moins de 3" "Monter un groupement" "besoin : Compétences et recrutement"; do grep -qF "$s" <<<"$0" || exit 1; done' "$dtxt"
  check "$what: the .docx's XML parts are well-formed" \
    python3 -c 'import sys,zipfile,xml.dom.minidom as m; z=zipfile.ZipFile(sys.argv[1]); [m.parseString(z.read(n)) for n in z.namelist()]' "$TMP/roadmap.docx"
  p roadmap export Rebond
  check "$what: export needs --pdf or --docx" status_is 2

  # ----------------------------------------------------------------- audit
  local n; n=$(sql_value "select count(*) from audit WHERE action = 'cli campaign'")
  check "$what: campaign writes are audited, reads (show, suggest without --save) are not" test "$n" -eq 11
  n=$(sql_value "select count(*) from audit WHERE action = 'cli roadmap'")
  check "$what: roadmap writes are audited, reads (list, export) are not" test "$n" -eq 3
}
