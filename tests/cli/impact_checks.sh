# impact_checks.sh — the impact follow-up and the poles' R&D projects
# (issue 13 parts 6, 7, 11) on one database, shared by t_impact.sh (SQLite)
# and t_impact_pg.sh (PostgreSQL): milestones, figures recorded at them,
# follow-ups due and overdue, indicators worked by hand, the workbook read
# back, the ledger's daily sums equal to its entries; partners, TRL history,
# needs and suggestions (never restricted diffusion). The caller sources
# lib.sh, defines sql_value QUERY and calls impact_checks DB WHAT.
D=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data" && pwd)
NEAR=91000002500015 ASM=91000001700012 PRIV=91000006600019 INTERNE=91000001700020

impact_checks() {
  local db=$1 what=$2
  p() { run --db "$db" "$@"; }
  p init; p import sirene "$D/fixture_match.csv"; p import unites "$D/fixture_unites.csv"
  check "$what: init and import the fixtures" status_is 0
  p programme add "Rebond" --envelope subsidy=1000000 --envelope "advance=500000:revolving" \
    --territory 13 --start 2026-01-01 --end 2028-12-31
  p project add Rebond --siret "$NEAR" --title "Ligne" --cost 400000 --jobs 5 --jobs-kept 10
  local p1=$OUT
  p project add Rebond --siret "$ASM" --title "Extension" --cost 900000 --jobs 20 --jobs-kept 100
  local p2=$OUT

  # ------------------------------------------------------------ milestones
  p impact milestones Rebond 24,12,36
  check "$what: impact milestones, in months after the decision, sorted" \
    bash -c '[[ $0 -eq 0 ]] && grep -qF "follow-ups at 12, 24, 36 months" <<<"$1"' "$RC" "$OUT"
  p impact milestones Rebond 12,12
  check "$what: a milestone given twice is refused" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "given twice" <<<"$1"' "$RC" "$ERR"
  p impact milestones Rebond 0,300
  check "$what: a milestone out of 1..240 months is refused" status_is 2
  p impact milestones Rebond 6,12,24
  p impact record "$p1" --months 6 --jobs-created 1 --jobs-kept 10 --invested 100
  check "$what: figures of a project not decided are refused" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "once its aid is decided" <<<"$1"' "$RC" "$ERR"

  # ------------------------------------------------- decisions and ledger
  p project decide "$p1" --subsidy 100000 --advance 100000 --deferral 6 --instalments 4 --every 6 --date 2026-01-15
  p project decide "$p2" --subsidy 150000 --date 2026-03-01
  p ledger pay "$p1" --instrument advance --amount 100000 --date 2026-02-01
  p ledger pay "$p1" --instrument subsidy --amount 50000 --date 2026-02-01
  p ledger repay "$p1" --instrument advance --amount 25000 --date 2026-07-15
  p ledger pay "$p2" --amount 150000 --date 2026-04-01
  check "$what: decisions and ledger entries" status_is 0

  # ------------------------------------------------------------ follow-ups
  p impact record "$p1" --months 7 --jobs-created 1 --jobs-kept 10 --invested 100
  check "$what: figures for a month that is not a milestone are refused, with the milestones" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "not a milestone of programme '"'"'Rebond'"'"' (6, 12, 24)" <<<"$1"' "$RC" "$ERR"
  p impact record "$p1" --months 6 --jobs-created 1 --jobs-kept 10 --invested 100 --date 2025-12-31
  check "$what: figures dated before the decision are refused" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "before the project" <<<"$1"' "$RC" "$ERR"
  p impact record "$p1" --months 6 --jobs-created 2 --jobs-kept 10 --invested 200000 --date 2026-07-20 --note "premier suivi"
  check "$what: impact record at the 6-month milestone" status_is 0
  p impact record "$p1" --months 12 --jobs-created 3 --jobs-kept 10 --invested 250000 --date 2027-01-20
  p impact record "$p2" --months 6 --jobs-created 12 --jobs-kept 95 --invested 1000000 --date 2026-09-10
  p impact record "$p2" --months 6 --jobs-created 10 --jobs-kept 95 --invested 1050000 --date 2026-09-12
  check "$what: figures recorded again at a milestone replace the first" \
    test "$(sql_value "SELECT jobs_created || ':' || invested FROM prog_followup WHERE project = $p2")" = "10:105000000"
  p impact due Rebond --at 2027-05-31
  check "$what: impact due: the 12-month follow-up of the second project is due (2027-03-01, less than 3 months ago)" \
    bash -c 'grep -qF "project $1  Extension  12 months  due 2027-03-01  due" <<<"$0" && ! grep -qF "recorded on" <<<"$0"' "$OUT" "$p2"
  p impact due Rebond --at 2027-02-28 --all --json
  check "$what: the day before its due day a follow-up is to come; on it, due; 3 months after, overdue" \
    bash -c '[[ $(jq -r ".followups[] | select(.project == $1 and .months == 12) | .state" <<<"$0") == upcoming ]]' "$OUT" "$p2"
  p impact due Rebond --at 2027-03-01 --all --json
  check "$what: … on its due day (2027-03-01), due" \
    bash -c '[[ $(jq -r ".followups[] | select(.project == $1 and .months == 12) | .state" <<<"$0") == due ]]' "$OUT" "$p2"
  p impact due Rebond --at 2027-06-01 --all --json
  check "$what: … three months after it (2027-06-01), overdue" \
    bash -c '[[ $(jq -r ".followups[] | select(.project == $1 and .months == 12) | .state" <<<"$0") == overdue ]]' "$OUT" "$p2"
  p impact due Rebond --at 2027-06-02 --all --json
  check "$what: impact due --all: recorded, due, overdue and upcoming counted" \
    test "$(json_get '.counts | [.recorded, .due, .overdue, .upcoming] | map(tostring) | join(":")')" = "3:0:1:2"
  p impact due Rebond --at 2027-06-02 --json
  check "$what: … without --all, only those to collect: overdue 3 months after its day" \
    test "$(json_get '[.followups[] | "\(.project)/\(.months)/\(.state)"] | join(",")')" = "$p2/12/overdue"

  # ------------------------------------------------------------ indicators
  p impact show Rebond --at 2027-06-01 --json
  check "$what: per project: aid, jobs promised and realised (the latest follow-up), invested" \
    test "$(json_get ".projects[] | select(.project == $p1) | [.aid, .jobs_promised.created, .jobs_realised.created, .jobs_realised.months, .invested] | map(tostring) | join(\":\")")" = "20000000:5:3:12:25000000"
  check "$what: … leverage (250,000 - 200,000) / 200,000 = 0.25; planned (400,000 - 200,000) / 200,000 = 1" \
    test "$(json_get ".projects[] | select(.project == $p1) | [.leverage, .leverage_planned] | map(tostring) | join(\":\")")" = "0.25:1"
  check "$what: … aid per job 200,000 / 13 = 15,384.62 euros" \
    test "$(json_get ".projects[] | select(.project == $p1) | .aid_per_job")" = 1538462
  check "$what: … repayment rate: 50,000 due by 2027-06-01, 25,000 repaid" \
    test "$(json_get ".projects[] | select(.project == $p1) | .repayments | [.due, .repaid, .rate] | map(tostring) | join(\":\")")" = "5000000:2500000:0.5"
  check "$what: programme: leverage of the followed projects (1,300,000 - 350,000) / 350,000" \
    test "$(json_get '.total.leverage * 10000 | round')" = 27143
  check "$what: … aid per job 350,000 / 118, jobs realised against promised 118 / 135" \
    test "$(json_get '[.total.aid_per_job, (.total.jobs_ratio * 1000 | round), .total.jobs_realised.created, .total.jobs_promised.created] | map(tostring) | join(":")')" = "296610:874:13:25"
  p impact show Rebond --project "$p2" --at 2026-08-01 --json
  check "$what: … before a project's first follow-up, its realised figures are empty" \
    test "$(json_get '[(.projects | length), .projects[0].jobs_realised, .projects[0].leverage, .total.leverage] | map(tostring) | join(":")')" = "1:null:null:null"

  # ---------------------------------------------------------------- export
  p impact export Rebond --at 2027-06-01 --xlsx "$TMP/impact.xlsx" --csv "$TMP/impact.csv"
  check "$what: impact export writes the workbook and the CSV report" status_is 0
  check "$what: … the workbook read back: its sheets, the leverage and the follow-ups in French" \
    python3 -c 'import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1]); wb = z.read("xl/workbook.xml").decode()
assert all(n in wb for n in ("Indicateurs", "Projets", "Suivis")), wb
strings = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/"))
assert "Effet de levier réalisé" in strings and "en retard" in strings, strings[:400]
s1 = z.read("xl/worksheets/sheet1.xml").decode()
assert "<v>350000</v>" in s1 and re.search(r"<v>2\.714", s1), s1[:800]
s2 = z.read("xl/worksheets/sheet2.xml").decode()
assert "<v>25000</v>" in s2 and "<v>0.25</v>" in s2, s2[:800]' "$TMP/impact.xlsx"
  check "$what: … the CSV report for a French spreadsheet" \
    bash -c 'grep -qF "\"Aide publique (engagée moins annulée)\";350000,00" "$0" && grep -qF "\"en retard\"" "$0"' "$TMP/impact.csv"

  # ---------------------------------------------------- ledger daily sums
  p impact check Rebond
  check "$what: the ledger's daily sums equal the sums of its entries" \
    bash -c '[[ $0 -eq 0 ]] && grep -qF "equal" <<<"$1"' "$RC" "$OUT"
  check "$what: … the same by SQL: per envelope, day and kind" \
    test "$(sql_value "SELECT count(*) FROM (SELECT envelope, day, kind, sum(amount) AS s, count(*) AS n FROM prog_entry GROUP BY envelope, day, kind) e LEFT JOIN prog_entry_day d ON d.envelope = e.envelope AND d.day = e.day AND d.kind = e.kind AND d.amount = e.s AND d.entries = e.n WHERE d.day IS NULL")" = 0
  sql_value "UPDATE prog_entry_day SET amount = amount + 1 WHERE day = '2026-02-01' AND kind = 'pay'" >/dev/null
  p impact check Rebond
  check "$what: … and daily sums changed behind the entries' back are caught, counted once each (exit 1)" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "2 daily sums differ" <<<"$1"' "$RC" "$OUT"
  sql_value "UPDATE prog_entry_day SET amount = amount - 1 WHERE day = '2026-02-01' AND kind = 'pay'" >/dev/null
  p programme position Rebond --at 2026-12-31 --json
  check "$what: positions read from the daily sums equal the entries'" \
    test "$(json_get '[.envelopes[] | .committed, .paid, .repaid] | map(tostring) | join(":")')" = "25000000:20000000:0:10000000:10000000:2500000"
  sql_value "UPDATE prog_entry SET amount = amount + 1" >/dev/null 2>&1
  check "$what: a ledger entry cannot be changed behind the daily sums' back" \
    test "$(sql_value "SELECT sum(amount) FROM prog_entry")" = "$(sql_value "SELECT sum(amount) FROM prog_entry_day")"

  # ------------------------------------------------------------------ poles
  p project add Rebond --siret "$ASM" --title "Capteur embarqué" --type collaborative_rd --cost 900000
  local p3=$OUT
  check "$what: a collaborative_rd project" status_is 0
  p project partner "$p1" --name "LAAS" --role laboratoire
  check "$what: partners belong to collaborative R&D projects" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "type collaborative_rd" <<<"$1"' "$RC" "$ERR"
  p project partner "$p3" --siret "$NEAR" --role "industriel"
  p project partner "$p3" --name "LAAS-CNRS" --role "laboratoire de recherche" --json
  check "$what: partners: an establishment of the register and a lab by name, with their roles" \
    test "$(json_get '[.partners[] | .kind + "/" + .name + "/" + .role] | join(",")')" = "firm/EQUIPEMENTIER PROCHE FIXTURE/industriel,lab/LAAS-CNRS/laboratoire de recherche"
  sql_value "UPDATE etab SET diffusion = 'P' WHERE siret = $NEAR" >/dev/null
  p project pole "$p3" --json
  check "$what: a partner that has since become of restricted diffusion is shown by neither name nor SIRET" \
    test "$(json_get '[.partners[0] | .name, .siret, .restricted] | map(tostring) | join(":")')" = "null:null:true"
  sql_value "UPDATE etab SET diffusion = 'O' WHERE siret = $NEAR" >/dev/null
  p project partner "$p3" --siret "$PRIV" --role x
  check "$what: a restricted-diffusion establishment is never a partner" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "restricted diffusion" <<<"$1"' "$RC" "$ERR"
  p project partner "$p3" --siret "$ASM" --role x
  check "$what: the lead is not its own partner" bash -c '[[ $0 -eq 2 ]] && grep -qF "lead already" <<<"$1"' "$RC" "$ERR"
  p project partner "$p3" --siret "$NEAR" --role x
  check "$what: a partner once" bash -c '[[ $0 -eq 2 ]] && grep -qF "partner already" <<<"$1"' "$RC" "$ERR"
  p project trl "$p3" --level 10
  check "$what: a TRL beyond 9 is refused" status_is 2
  p project trl "$p3" --level 3 --date 2025-03-01 --note "preuve de concept"
  p project trl "$p3" --level 5 --date 2026-02-01
  p project needs "$p3" --text "usinage"
  p project suggest "$p3"
  check "$what: no suggestion before TRL 6, with why" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "is at TRL 5" <<<"$1"' "$RC" "$ERR"
  p project trl "$p3" --level 6 --date 2026-06-01 --note "démonstrateur en environnement réel"
  p project pole "$p3" --json
  check "$what: the TRL history, oldest first, and the level now" \
    test "$(json_get '[(.trl | map(.level | tostring) | join(">")), .trl_now, .near_industrial] | map(tostring) | join(":")')" = "3>5>6:6:true"
  p project needs "$p3" --naf 99.99Z
  check "$what: a NAF code the engine does not know is refused" bash -c '[[ $0 -ne 0 ]]' "$RC"
  p project needs "$p3" --naf 25.62
  p project suggest "$p3" --json
  check "$what: suggestions for each need, each with why, in the programme's territory" \
    bash -c '[[ $0 -eq 0 ]] && [[ $(jq "[.suggestions[] | select(.why | test(\"answers need .* Bouches-du-Rhône\"))] | length" <<<"$1") -ge 1 ]]' "$RC" "$OUT"
  check "$what: … never the lead, a partner, nor a restricted-diffusion establishment" \
    bash -c '! jq -r ".suggestions[].siret" <<<"$0" | grep -qE "^($1|$2|$3)$"' "$OUT" "$ASM" "$NEAR" "$PRIV"
  check "$what: … the internal workshop making mechanical parts is suggested for «usinage»" \
    test "$(json_get ".needs[0].suggestions[0].siret")" = "$INTERNE"
  # Words no establishment has all of: the search widens to the trade's word, and says so.
  p project needs "$p3" --text "usinage de précision"
  p project suggest "$p3" --json
  check "$what: a need no firm matches word for word is searched by its trade word, said in why" \
    test "$(json_get '[.needs[2].suggestions[0].siret, (.needs[2].suggestions[0].why | test("searched «usinage» instead"))] | map(tostring) | join(":")')" = "$INTERNE:true"
  p project partner "$p3" --remove 999
  check "$what: removing a partner that is not there says so" status_is 1
  local partner
  partner=$(sql_value "SELECT min(id) FROM prog_partner WHERE project = $p3")
  p project partner "$p3" --remove "$partner" --json
  check "$what: a partner removed" test "$(json_get '.partners | length')" = 1

  # ----------------------------------------------------------------- audit
  check "$what: every write of the follow-up and of the poles is audited" \
    test "$(sql_value "SELECT count(*) FROM audit WHERE action IN ('cli impact', 'cli project') AND (target LIKE 'record%' OR target LIKE 'milestones%' OR target LIKE 'partner%' OR target LIKE 'trl%' OR target LIKE 'needs%')")" -ge 10
}
