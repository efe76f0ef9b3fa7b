# programme_checks.sh — the checks of programmes (issue 13) on one database,
# shared by t_programme.sh (SQLite) and t_programme_pg.sh (PostgreSQL): each
# engine must pass the same. The caller sources lib.sh, defines sql_value
# QUERY (the first value of a query on the database) and calls
# programme_checks DB WHAT.
D=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data" && pwd)
NEAR=91000002500015 ASM=91000001700012 PRIV=91000006600019

programme_checks() {
  local db=$1 what=$2
  p() { run --db "$db" "$@"; }
  p init; p import sirene "$D/fixture_match.csv"; p import unites "$D/fixture_unites.csv"
  check "$what: init and import the fixtures" status_is 0

  # ------------------------------------------------------------ programmes
  p programme add "Rebond industriel" --envelope subsidy=1000000 \
    --envelope "advance=500000:revolving:max=200000:small=40" --territory 13 \
    --start 2026-01-01 --end 2026-12-31
  check "$what: programme add with two envelopes and a territory" \
    bash -c '[[ $0 -eq 0 ]] && grep -qF "territory: Bouches-du-Rhône (13)" <<<"$1" && grep -qF "advance: 500000.00 EUR, max per project 200000.00, intensity 40/0/0 %, revolving" <<<"$1"' "$RC" "$OUT"
  p programme add "Autre" --envelope subsidy=12.345
  check "$what: an envelope's amount with three decimals is refused, named" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF -- "--envelope '"'"'subsidy=12.345'"'"'" <<<"$1"' "$RC" "$ERR"
  p programme add "Autre" --envelope subsidy=10 --territory 99999
  check "$what: an unknown territory is refused" bash -c '[[ $0 -ne 0 ]]' "$RC"
  p programme add "Rebond industriel" --envelope subsidy=10
  check "$what: a second programme of the same name is refused" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "exists" <<<"$1"' "$RC" "$ERR"
  p programme list
  check "$what: programme list names it" has "$OUT" "Rebond industriel"

  # -------------------------------------------------------------- projects
  p project add "Rebond industriel" --siret "$NEAR" --title "Ligne robotisée" --cost 400000 --jobs 5
  local p1=$OUT
  check "$what: project add prints the project's id" bash -c '[[ $0 -eq 0 && $1 =~ ^[0-9]+$ ]]' "$RC" "$p1"
  p project add "Rebond industriel" --siret "$PRIV" --title "X" --cost 10
  check "$what: a firm with restricted diffusion is refused with a clear message" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "restricted diffusion (statut P): maillage keeps no programme project" <<<"$1"' "$RC" "$ERR"
  p project add "Rebond industriel" --siret 91000001700013 --title "X" --cost 10
  check "$what: a SIRET with a bad checksum is refused" status_is 2
  p project add "Rebond industriel" --siret "$ASM" --title "Extension" --cost 5000000 --jobs 40
  local p2=$OUT
  p project edit "$p2" --cost 4800000 --title "Extension (phase 1)" --json
  check "$what: project edit changes what is given and keeps the rest (eligible follows the cost)" \
    test "$(json_get '[.title, .cost, .eligible, .jobs_created] | map(tostring) | join("|")')" = "Extension (phase 1)|480000000|480000000|40"
  p project edit "$p2" --eligible 5000000
  check "$what: eligible expenses above the cost are refused" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "exceed the total cost" <<<"$1"' "$RC" "$ERR"
  p project move "$p1" qualified
  check "$what: project move one stage on" bash -c '[[ $0 -eq 0 ]] && grep -qF "[qualified]" <<<"$1"' "$RC" "$OUT"
  p project move "$p1" committee
  check "$what: a move that skips stages is refused with the rule" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "cannot move from qualified to committee" <<<"$1"' "$RC" "$ERR"
  p project move "$p1" decided
  check "$what: decided comes only from a decision" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "project decide" <<<"$1"' "$RC" "$ERR"

  # ------------------------------------------------------------- decisions
  p project decide "$p2" --subsidy 1000000.01 --date 2026-03-01
  check "$what: a decision beyond the envelope is refused with the reason" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "the subsidy envelope has 1000000.00 euros available on 2026-03-01 and after; 1000000.01 euros asked" <<<"$1"' "$RC" "$ERR"
  p project decide "$p2" --advance 200000.01 --instalments 4 --date 2026-03-01
  check "$what: a decision beyond the most per project is refused with the reason" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "the most one project may get from the advance envelope is 200000.00 euros" <<<"$1"' "$RC" "$ERR"
  p project decide "$p1" --advance 160000.01 --instalments 4 --date 2026-03-01
  check "$what: a decision beyond the aid intensity for the company's size is refused" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "more than 40 % of the eligible expenses (400000.00 euros) allowed for a small company: at most 160000.00 euros" <<<"$1"' "$RC" "$ERR"
  p project decide "$p1" --advance 100000 --date 2026-03-01
  check "$what: an advance without its schedule is refused" status_is 2
  p project decide "$p1" --subsidy 100000 --advance 150000 --deferral 12 --instalments 4 --every 6 --date 2026-03-31 --json
  check "$what: project decide commits a subsidy and an advance" \
    bash -c '[[ $0 -eq 0 ]] && [[ $(jq -r .stage <<<"$1") == decided ]]' "$RC" "$OUT"
  check "$what: … the advance's schedule: 4 instalments of 37,500 euros, 12 months' deferral, every 6 months" \
    test "$(json_get '[.schedule[] | .due + "=" + (.amount|tostring)] | join(" ")')" = "2027-03-31=3750000 2027-09-30=3750000 2028-03-31=3750000 2028-09-30=3750000"
  p project edit "$p1" --cost 1
  check "$what: a decided project's figures do not change" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "its figures are those the decision was checked against" <<<"$1"' "$RC" "$ERR"
  p project edit "$p1" --description "Robots de soudage"
  check "$what: … its description does" status_is 0
  p project decide "$p1" --subsidy 1
  check "$what: a project is decided once" bash -c '[[ $0 -eq 1 ]] && grep -qF "already decided" <<<"$1"' "$RC" "$ERR"

  # ------------------------------------------------------------ interviews
  p interview add "Rebond industriel" --siret "$NEAR" --date 2026-02-10 --scores "skills=3,land=1,finance=2" \
    --flags succession --notes $'Visite <b>atelier</b>\nligne 2'
  check "$what: interview add prints its id" bash -c '[[ $0 -eq 0 && $1 =~ ^[0-9]+$ ]]' "$RC" "$OUT"
  p interview add "Rebond industriel" --siret "$ASM" --date 2026-02-11 --scores "skills=1,export=3" \
    --flags "key_customer,site_at_risk"
  p interview add "Rebond industriel" --siret "$NEAR" --scores "skills=4"
  check "$what: a score outside 0..3 is refused, the grid named" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "THEME=0..3" <<<"$1"' "$RC" "$ERR"
  p interview add "Rebond industriel" --siret "$NEAR" --flags "bankrupt"
  check "$what: an unknown red flag is refused" status_is 2
  p interview add "Rebond industriel" --siret "$PRIV"
  check "$what: no interview is kept about a firm with restricted diffusion" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "keeps no programme interview" <<<"$1"' "$RC" "$ERR"
  p interview list "Rebond industriel" --json
  check "$what: interview list: scores as given (null when not scored), flags, notes as written" \
    test "$(json_get '.interviews[0] | [.scores.skills, .scores.land, .scores.access, (.flags | join("+")), .notes] | map(tostring) | join("|")')" = $'3|1|null|succession|Visite <b>atelier</b>\nligne 2'
  p programme synthesis "Rebond industriel" --json
  check "$what: synthesis: firms met, needs (mean, strong), red flags" \
    test "$(json_get '[.interviews, .firms, .needs.skills.mean, .needs.skills.strong, .needs.export.scored, .red_flags.site_at_risk] | map(tostring) | join(":")')" = "2:2:2:1:1:1"
  check "$what: … needs by sector (A10) and projects by type" \
    test "$(json_get '(.by_sector | keys | length | tostring) + ":" + ([.projects_by_type[] | .type + "=" + (.projects | tostring)] | join(","))')" = "1:investment=2"

  # ---------------------------------------------------------------- ledger
  p ledger pay "$p1" --instrument advance --amount 150000 --date 2026-04-15
  check "$what: ledger pay" bash -c '[[ $0 -eq 0 ]] && grep -qF "pay 150000.00 EUR on 2026-04-15" <<<"$1"' "$RC" "$OUT"
  p ledger pay "$p1" --instrument subsidy --amount 100000.01 --date 2026-05-01
  check "$what: paying more than is committed is refused" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "only 100000.00 euros are committed and unpaid" <<<"$1"' "$RC" "$ERR"
  p ledger pay "$p1" --instrument subsidy --amount 60000 --date 2026-05-01
  p ledger repay "$p1" --instrument advance --amount 37500 --date 2027-03-31
  check "$what: ledger repay" status_is 0
  p ledger repay "$p1" --instrument subsidy --amount 1
  check "$what: a subsidy is not repaid" bash -c '[[ $0 -eq 1 ]] && grep -qF "is not repaid" <<<"$1"' "$RC" "$ERR"
  p ledger cancel "$p1" --instrument subsidy --amount 40000.01 --date 2026-06-01
  check "$what: what is paid is not cancelled" status_is 1
  p ledger cancel "$p1" --instrument subsidy --amount 40000 --date 2026-06-01
  check "$what: ledger cancel of the unpaid part" status_is 0
  p ledger list "Rebond industriel" --json
  check "$what: the ledger lists every entry in date order" \
    test "$(json_get '[.entries[] | .kind] | join(",")')" = "commit,commit,pay,pay,cancel,repay"

  # ------------------------------------------------------------- positions
  p programme position "Rebond industriel" --at 2027-12-31 --json
  check "$what: position: committed, paid, repaid, available per envelope (the advance revolving)" \
    test "$(json_get '[.envelopes[] | [.instrument, .committed, .paid, .repaid, .available] | map(tostring) | join(":")] | join(" ")')" = "subsidy:6000000:6000000:0:94000000 advance:15000000:15000000:3750000:38750000"
  p programme position "Rebond industriel" --at 2026-04-30 --json
  check "$what: position at an earlier date counts only the entries up to it" \
    test "$(json_get '[.envelopes[] | [.committed, .paid, .repaid, .available] | map(tostring) | join(":")] | join(" ")')" = "10000000:0:0:90000000 15000000:15000000:0:35000000"
  p programme position "Rebond industriel" --at 2027-12-31
  check "$what: position as a table in euros" has "$OUT" "advance                         500000.00        150000.00        150000.00         37500.00        387500.00"
  p project show "$p1" --at 2028-01-15 --json
  check "$what: an instalment unpaid three months after its day is defaulted" \
    test "$(json_get '[.schedule[] | .state] | join(",")')" = "paid,defaulted,due,due"

  # ---------------------------------------------------------------- export
  p programme export "Rebond industriel" --at 2027-12-31 --xlsx "$TMP/prog.xlsx" --csv "$TMP/prog.csv"
  check "$what: programme export writes the workbook and the CSV report" status_is 0
  check "$what: … the CSV report: the envelopes in euros to the cent, the ledger in French" \
    bash -c 'grep -qF "\"subsidy\";\"\";1000000,00;60000,00;60000,00;0,00;940000,00;\"non\"" "$0" && grep -qF "\"remboursement\"" "$0"' "$TMP/prog.csv"
  check "$what: … the workbook: its sheets, and the advance's available (387,500.00 euros) as a number" \
    python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); wb = z.read("xl/workbook.xml").decode()
assert all(n in wb for n in ("Enveloppes", "Projets", "Grand livre", "Impact")), wb
assert "<v>387500</v>" in z.read("xl/worksheets/sheet1.xml").decode()' "$TMP/prog.xlsx"

  # ------------------------------------------------------------ de minimis
  p aid add 910000025 --amount 60000 --date 2025-01-10 --source "Région, 2025"
  check "$what: aid add records aid from elsewhere" status_is 0
  p aid show 910000025 --at 2026-12-31 --json
  check "$what: aid show: the programmes' aid and the other, and what is left" \
    test "$(json_get '[.programmes, .other, .left] | map(tostring) | join(":")')" = "21000000:6000000:3000000"
  p project add "Rebond industriel" --siret "$NEAR" --title "Second projet" --cost 400000
  local p3=$OUT
  p project decide "$p3" --subsidy 30000.01 --date 2026-12-31
  check "$what: a decision beyond the de minimis ceiling is refused with the reason" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "de minimis" <<<"$1" && grep -qF "at most 30000.00 euros" <<<"$1"' "$RC" "$ERR"
  p project decide "$p3" --subsidy 30000 --date 2026-12-31
  check "$what: … and exactly the ceiling is granted" status_is 0

  # ---------------------------------------------------------------- impact
  p programme impact "Rebond industriel" --at 2028-01-15 --json
  check "$what: impact: the decided projects' cost, aid (less cancellations), jobs, aid per job" \
    test "$(json_get '[.projects_decided, .cost, .aid, .jobs_created, .aid_per_job_created] | map(tostring) | join(":")')" = "2:80000000:24000000:5:4800000"
  check "$what: … leverage: (800,000 - 240,000) / 240,000 private euros per public euro" \
    test "$(json_get '.leverage * 1000 | round')" = 2333
  check "$what: … repayments: two instalments due, one repaid, one defaulted, a rate of 50 %" \
    test "$(json_get '.repayments | [.due, .repaid_of_due, .defaulted, .late, .rate] | map(tostring) | join(":")')" = "7500000:3750000:3750000:0:0.5"

  # ------------------------------------------------------------- committee
  p programme add "Comité" --envelope subsidy=100000
  p project add "Comité" --siret "$ASM" --title "Premier" --cost 500000 --ask-subsidy 60000
  local c1=$OUT
  p project add "Comité" --siret "$ASM" --title "Second" --cost 500000 --ask-subsidy 50000.01
  local c2=$OUT
  p project add "Comité" --siret "$ASM" --title "Pas encore" --cost 500000 --ask-subsidy 10
  for k in qualified routed applied instructed committee; do
    run --db "$db" project move "$c1" "$k" >/dev/null; run --db "$db" project move "$c2" "$k" >/dev/null
  done
  p programme committee "Comité" --at 2026-03-01 --json
  check "$what: committee agenda: the projects at the committee stage, each checked against the rules" \
    test "$(json_get '[.projects[] | .title + ":" + (.passes | tostring)] | join(",")')" = "Premier:true,Second:true"
  check "$what: … the envelope before and after granting every request that passes (may go below 0: said)" \
    test "$(json_get '.envelopes[0] | [.available_before, .requested, .available_after] | map(tostring) | join(":")')" = "10000000:11000001:-1000001"
  p project decide "$c1" --subsidy 60000 --date 2026-03-01
  p programme committee "Comité" --at 2026-03-01 --json
  check "$what: … once the first is decided, the second is refused with the reason" \
    test "$(json_get '[.projects[] | .title + ":" + (.passes | tostring) + ":" + (.reason // "" | test("available") | tostring)] | join(",")')" = "Second:false:true"
  check "$what: … a dry run wrote nothing" \
    test "$(sql_value "SELECT count(*) FROM prog_entry WHERE project = $c2")" = 0

  # ------------------------------------------------- other instruments
  p programme add "Prêts" --envelope loan=100000
  p programme envelope "Prêts" --envelope "guarantee=50000:funder=Banque"
  check "$what: programme envelope adds an instrument of the team's own" \
    bash -c '[[ $0 -eq 0 ]] && grep -qF "guarantee of Banque: 50000.00 EUR" <<<"$1"' "$RC" "$OUT"
  p project add "Prêts" --siret "$ASM" --title "Prêt" --cost 500000
  local p4=$OUT
  p project decide "$p4" --aid loan=40000 --aid guarantee=10000 --instalments 2 --every 12 --date 2026-05-04 --json
  check "$what: a decision of a loan and a guarantee; the loan gets the schedule" \
    test "$(json_get '[.schedule[] | .due + "=" + (.amount|tostring)] | join(" ")')" = "2026-05-04=2000000 2027-05-04=2000000"
  p ledger repay "$p4" --instrument guarantee --amount 1
  check "$what: a guarantee is not repaid" bash -c '[[ $0 -eq 1 ]] && grep -qF "is not repaid" <<<"$1"' "$RC" "$ERR"
  p project add "Prêts" --siret "$ASM" --title "Autre" --cost 500000
  p project decide "$OUT" --aid equity=1
  check "$what: an instrument without an envelope is refused, named" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "has no equity envelope" <<<"$1"' "$RC" "$ERR"

  # ------------------------------------------- decisions at the same time
  p programme add "Concurrence" --envelope subsidy=100
  local ids=() pids=() k ok=0
  for k in 1 2 3 4; do p project add Concurrence --siret "$NEAR" --title "C$k" --cost 1000; ids+=("$OUT"); done
  for k in 0 1 2 3; do
    "$BIN" --db "$db" project decide "${ids[$k]}" --subsidy 60 --date 2026-02-02 >/dev/null 2>"$TMP/race$k" &
    pids+=($!)
  done
  for k in 0 1 2 3; do wait "${pids[$k]}" && ok=$((ok + 1)); done
  p programme position Concurrence --at 2026-12-31 --json
  check "$what: four decisions at once on an envelope that holds one: one committed, never more" \
    bash -c '[[ $0 -eq 1 && $(jq -r ".envelopes[0].committed" <<<"$1") == 6000 ]]' "$ok" "$OUT"

  # ----------------------------------------------------------------- audit
  check "$what: every write of a programme is audited" \
    test "$(sql_value "SELECT count(*) FROM audit WHERE action IN ('cli programme', 'cli project', 'cli ledger', 'cli aid')")" -ge 12
  p project list "Rebond industriel" --stale --at 2099-01-01 --json
  check "$what: project list --stale: the projects not decided, not moved for 30 days" \
    test "$(json_get '[.projects[] | .id] | map(tostring) | join(",")')" = "$p2"
  p project list "Rebond industriel" --stale --json
  check "$what: … none today" test "$(json_get '.projects | length')" = 0
  p project list "Rebond industriel" --json
  check "$what: project list gives the stages and the projects" \
    test "$(json_get '(.stages | length | tostring) + ":" + ([.projects[] | .stage] | join(","))')" = "13:decided,detected,decided"
}
