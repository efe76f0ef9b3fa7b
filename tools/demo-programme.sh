#!/usr/bin/env bash
# demo-programme.sh BIN DB EPCI — a GENERATED demo programme on the demo
# database (issue 13): "DÉMO Rebond industriel (généré)" on the EPCI, run by
# the demo agency (officer) with the demo sub-prefecture as a reader, two
# envelopes, twelve projects of generated manufacturing firms of the EPCI
# spread over the pipeline, decisions, payments and a repayment; an
# interview campaign (generated) with its suggested firms, planned visits,
# interviews recorded on their visits, a workshop, a project detected during
# a visit, within a 100 person-day engineering budget, and a roadmap; a
# project routed to an aid scheme and a held committee, impact follow-ups at
# 6 months (milestones 6, 12, 24, 36), and one collaborative R&D project (a
# pole's) with two partners, its TRL history up to 6 and the parts it needs
# (its suggested manufacturers come from the engine). Everything goes through
# the real commands, so the rules hold (a refused step stops it).
set -euo pipefail
bin=$1 db=$2 epci=$3
name="DÉMO Rebond industriel (généré)"
m() { "$bin" --db "$db" "$@"; }
m programme add "$name" --generated --territory "$epci" --start 2026-01-01 --end 2028-12-31 \
  --envelope "subsidy=1000000:funder=Région (démo):max=200000:small=50:medium=40:large=20" \
  --envelope "advance=500000:funder=Bpifrance (démo):revolving:max=150000" >/dev/null
m programme member "$name" "DÉMO Agence de développement" officer >/dev/null
m programme member "$name" "DÉMO Sous-préfecture" reader >/dev/null
# Twelve generated manufacturers of the EPCI, open and public, in the trades
# the projects' titles speak of (machining, furnaces, additive manufacturing,
# surface treatment): plastics, minerals, metals, electrical and mechanical
# engineering, vehicles, repair (NAF divisions 22 to 30 and 33) — not a bakery.
mapfile -t firms < <(sqlite3 "$db" "select printf('%014d', e.siret) from etab e join naf n on n.code = e.naf
  join commune c on c.code = e.commune where c.epci = '$epci' and e.state = 'A' and e.diffusion = 'O'
  and e.generated = 1 and n.a88 in ('22', '23', '24', '25', '26', '27', '28', '29', '30', '33')
  and e.size_band >= '11' order by ((e.siret % 1000003) * 7919) % 1000003 limit 12")
[[ ${#firms[@]} -eq 12 ]] || { echo "demo-programme: fewer than 12 generated manufacturers in $epci" >&2; exit 1; }
titles=("Ligne d'usinage robotisée" "Four électrique bas carbone" "Atelier de fabrication additive"
  "Extension du bâtiment de production" "Jumeau numérique de l'atelier" "Recrutement de 6 techniciens"
  "Formation à la maintenance prédictive" "Prospection export Italie" "Récupération de chaleur fatale"
  "Ligne de traitement de surface" "Banc d'essais R&D" "Stockage automatisé")
types=(investment investment industrialisation investment rd recruitment training export investment
  investment rd investment)
costs=(420000 380000 250000 900000 160000 300000 80000 120000 340000 510000 220000 270000)
ids=()
for i in "${!firms[@]}"; do
  ids+=("$(m project add "$name" --siret "${firms[$i]}" --title "${titles[$i]}" --type "${types[$i]}" \
    --cost "${costs[$i]}" --jobs $((i % 5 + 1)) --jobs-kept $((10 + i * 3)) \
    --ask-subsidy $((costs[i] / 5)) --ask-advance $((costs[i] / 4)))")
done
# The interview campaign (generated): 100 person-days of engineering, the
# firms the register suggests, the six firms interviewed on the list (with
# the agency's reason when not suggested), their visits, then the interviews
# recorded on them: needs scored 0-3, red flags.
m campaign budget "$name" --days 100 >/dev/null
camp=$(m campaign add "$name" --name "DÉMO Campagne d'entretiens 2026 (générée)" --generated \
  --start 2026-01-05 --end 2026-03-31 --json | jq -r .id)
m campaign suggest "$camp" --top 20 --save >/dev/null
grid=("skills=3,land=1,innovation=2,finance=2" "skills=2,transition=3,digital=1" "land=3,access=2,finance=1"
  "skills=1,export=2,digital=2" "transition=2,finance=3,ecosystem=1" "skills=3,innovation=1")
flags=("succession" "" "site_at_risk" "" "key_customer" "succession")
ivs=()
for i in 0 1 2 3 4 5; do
  m campaign firm add "$camp" --siret "${firms[$i]}" --reason "Projet connu de l'agence (démo)" >/dev/null
  visit=$(m campaign visit "$camp" --siret "${firms[$i]}" --date "2026-01-$((12 + i))" --time 09:30 \
    --consultant "Consultant démo $((i % 2 + 1))" --json | jq -r .id)
  ivs+=("$(m interview add "$name" --siret "${firms[$i]}" --date "2026-01-$((12 + i))" --scores "${grid[$i]}" \
    ${flags[$i]:+--flags "${flags[$i]}"} --notes "Entretien de démonstration (généré)" --visit "$visit")")
done
# Four visits still to come, a collective workshop, a project detected during a visit.
for i in 6 7 8 9; do
  m campaign firm add "$camp" --siret "${firms[$i]}" --reason "Projet connu de l'agence (démo)" >/dev/null
  m campaign visit "$camp" --siret "${firms[$i]}" --date "2026-02-$((10 + i))" --time 14:00 \
    --consultant "Consultant démo 1" >/dev/null
done
m campaign workshop "$camp" --title "Atelier collectif compétences (démo)" --date 2026-03-10 --days 2 >/dev/null
detected=$(m interview project "${ivs[0]}" --title "Modernisation de l'atelier (détecté en visite, démo)" \
  --type investment --cost 150000 --jobs 2 --ask-subsidy 30000)
# The roadmap (generated): actions with owners and dates, one done.
m roadmap action add "$name" --campaign "$camp" --title "Monter un groupement d'employeurs (démo)" \
  --owner "DÉMO Agence de développement" --due 2026-06-30 --need skills >/dev/null
m roadmap action add "$name" --campaign "$camp" --title "Recenser le foncier disponible (démo)" \
  --owner "DÉMO Agglomération" --due 2026-05-15 --need land >/dev/null
m roadmap action add "$name" --campaign "$camp" --title "Instruire la modernisation de l'atelier (démo)" \
  --owner "Consultant démo 1" --due 2026-04-30 --project "$detected" >/dev/null
done_action=$(m roadmap action add "$name" --campaign "$camp" --title "Restituer la synthèse aux entreprises (démo)" \
  --owner "DÉMO Agence de développement" --due 2026-04-15)
m roadmap action done "$done_action" >/dev/null
move() { local id=$1; shift; for s in "$@"; do m project move "$id" "$s" >/dev/null; done; }
# Projects along the pipeline: 0-1 detected, 2 qualified, 3 routed, 4 applied,
# 5 instructed, 6 at the committee, 7 rejected, 8-11 decided and beyond.
move "${ids[2]}" qualified
move "${ids[3]}" qualified routed
move "${ids[4]}" qualified routed applied
move "${ids[5]}" qualified routed applied instructed
move "${ids[6]}" qualified routed applied instructed committee
move "${ids[7]}" qualified routed applied instructed rejected
m project decide "${ids[8]}" --subsidy 60000 --advance 80000 --deferral 12 --instalments 8 --every 3 --date 2026-03-12 >/dev/null
m project decide "${ids[9]}" --subsidy 100000 --advance 120000 --deferral 12 --instalments 8 --every 3 --date 2026-03-12 >/dev/null
m project decide "${ids[10]}" --subsidy 50000 --date 2026-06-18 >/dev/null
m project decide "${ids[11]}" --advance 60000 --deferral 6 --instalments 4 --every 6 --date 2026-06-18 >/dev/null
move "${ids[8]}" signed paid
move "${ids[9]}" signed
m ledger pay "${ids[8]}" --instrument subsidy --amount 60000 --date 2026-04-20 >/dev/null
m ledger pay "${ids[8]}" --instrument advance --amount 80000 --date 2026-04-20 >/dev/null
m ledger pay "${ids[9]}" --instrument subsidy --amount 50000 --date 2026-05-15 >/dev/null
m ledger pay "${ids[9]}" --instrument advance --amount 120000 --date 2026-05-15 >/dev/null
m ledger pay "${ids[11]}" --amount 60000 --date 2026-07-01 >/dev/null
m ledger repay "${ids[8]}" --instrument advance --amount 10000 --date 2027-03-12 >/dev/null
m ledger repay "${ids[8]}" --instrument advance --amount 10000 --date 2027-06-14 >/dev/null
m ledger repay "${ids[11]}" --amount 15000 --date 2026-12-18 >/dev/null
m ledger cancel "${ids[10]}" --amount 10000 --date 2026-09-01 --note "dépenses moindres" >/dev/null
# Routing (issue 13 part 3): the starting catalogue of aid schemes (written
# by the maillage team, to check on each official page), a routed project
# sent to the regional scheme.
m scheme import "$(dirname "$0")/../data/schemes/dispositifs-aide-maillage.csv" >/dev/null
m scheme route "${ids[3]}" maillage-region-sud-investissement --date 2026-02-10 \
  --note "Orientation de démonstration (généré)" >/dev/null
# A held committee (issue 13 part 5): its agenda is the projects ready (5
# instructed, 6 at the committee stage); generated members; votes; one grant
# (through the decision's rules), one refusal with its reason.
com=$(m committee add "$name" --date 2026-10-15 --place "DÉMO Hôtel de la Métropole (généré)" \
  --member "DÉMO Présidente (générée)|DÉMO Région (généré)|présidente" \
  --member "DÉMO Chargé d'affaires (généré)|DÉMO Bpifrance (généré)|membre" \
  --member "DÉMO Sous-préfet (généré)|DÉMO Sous-préfecture|membre")
for who in 1 2 3; do m committee vote "$com" "${ids[6]}" --member $who --vote for >/dev/null; done
m committee vote "$com" "${ids[5]}" --member 1 --vote against >/dev/null
m committee vote "$com" "${ids[5]}" --member 2 --vote against >/dev/null
m committee vote "$com" "${ids[5]}" --member 3 --vote abstain >/dev/null
m committee decide "$com" "${ids[6]}" --grant --subsidy 16000 >/dev/null
m committee decide "$com" "${ids[5]}" --refuse \
  --reason "Plan de recrutement à préciser avant un nouveau passage (démonstration, généré)" >/dev/null
# Impact follow-up (issue 13 part 6): milestones, the 6-month figures of the
# two projects decided in March 2026 (generated).
m impact milestones "$name" 6,12,24,36 >/dev/null
m impact record "${ids[8]}" --months 6 --date 2026-09-20 --jobs-created 2 --jobs-kept 14 \
  --invested 310000 --note "Suivi de démonstration (généré)" >/dev/null
m impact record "${ids[9]}" --months 6 --date 2026-09-25 --jobs-created 1 --jobs-kept 16 \
  --invested 420000 --note "Suivi de démonstration (généré)" >/dev/null
# A collaborative R&D project of a pole (issue 13 part 7): a generated firm
# leads it with another and a laboratory, TRL 3 then 5 then 6.
rd=$(m project add "$name" --siret "${firms[10]}" --title "Capteur connecté pour lignes d'usinage (R&D collaborative, générée)" \
  --type collaborative_rd --cost 650000 --jobs 3 --jobs-kept 25 --ask-subsidy 150000)
m project partner "$rd" --siret "${firms[4]}" --role "industriel intégrateur" >/dev/null
m project partner "$rd" --name "Laboratoire universitaire (démo, généré)" --kind lab --role "laboratoire de recherche" >/dev/null
m project trl "$rd" --level 3 --date 2025-06-01 --note "preuve de concept en laboratoire" >/dev/null
m project trl "$rd" --level 5 --date 2026-02-01 --note "prototype validé en environnement représentatif" >/dev/null
m project trl "$rd" --level 6 --date 2026-09-15 --note "démonstrateur sur une ligne pilote" >/dev/null
m project needs "$rd" --text "usinage" >/dev/null
m project needs "$rd" --naf 25.61 >/dev/null
echo "demo programme: $name, $((${#ids[@]} + 1)) projects, a campaign of ${#ivs[@]} interviews, a roadmap, a held committee (generated)"
