#!/usr/bin/env bash
# make-demo.sh BIN TERRITORY DIR DB — generates the demo territory's synthetic
# SIRENE files and builds the demo database from them. The database is built
# under a temporary name and renamed at the end: an interrupted run never
# leaves a half-built demo behind.
set -euo pipefail
bin=$1 territory=$2 dir=$3 db=$4
tmp="$db.building"
rm -f "$tmp" "$tmp-wal" "$tmp-shm"
echo "== generating the demo territory $territory (synthetic data, marked as such)"
"$bin" demo --territory "$territory" --out "$dir" --seed 1
echo "== building $db"
"$bin" --db "$tmp" init
"$bin" --db "$tmp" import unites "$dir/StockUniteLegale_utf8.csv" --rejects "$dir/unites.rejects.csv" || true
"$bin" --db "$tmp" import sirene "$dir/StockEtablissement_utf8.csv" --rejects "$dir/sirene.rejects.csv" || true
# A demo network: 86 generated manufacturing establishments, like the laureates of
# one arrondissement's France Relance industry strand (generated, named as such).
sqlite3 "$tmp" "select printf('%014d', e.siret) from etab e join naf n on n.code = e.naf
  where e.state = 'A' and e.diffusion = 'O' and e.geo > 0 and n.a21 = 'C'
  and e.size_band >= '11' order by (e.siret * 2654435761) % 1000003 limit 86" >"$dir/network.txt"
"$bin" --db "$tmp" group add "DÉMO lauréats (généré)" "$dir/network.txt" --rejects "$dir/network.rejects.csv"
# Demo accounts (issue 11): an agency and a sub-prefecture sharing a
# workspace; an administrator and an officer of the agency, a viewer of the
# sub-prefecture. One known password: a demo, never a real deployment.
pw=demo-maillage
"$bin" --db "$tmp" org add "DÉMO Agence de développement" --type agency >/dev/null
"$bin" --db "$tmp" org add "DÉMO Sous-préfecture" --type prefecture >/dev/null
"$bin" --db "$tmp" workspace share "DÉMO réseau Sud" "DÉMO Agence de développement" >/dev/null
"$bin" --db "$tmp" workspace share "DÉMO réseau Sud" "DÉMO Sous-préfecture" >/dev/null
echo "$pw" | "$bin" --db "$tmp" user add --admin --org "DÉMO Agence de développement" --name "Admin démo" admin@demo.maillage.fr >/dev/null
echo "$pw" | "$bin" --db "$tmp" user add --org "DÉMO Agence de développement" --role officer --name "Chargée de mission démo" chargee@demo.maillage.fr >/dev/null
echo "$pw" | "$bin" --db "$tmp" user add --org "DÉMO Sous-préfecture" --role viewer --name "Lecteur démo" lecteur@demo.maillage.fr >/dev/null
# A demo business convention (issue 14), generated and named as such: the 8
# larger generated manufacturers (side A, buyers) meet suppliers the
# supplier/customer engine suggests for them (side B); the requests are its
# suggestions among the participants, and the schedule is computed.
ev="DÉMO Convention d'affaires de l'industrie (générée)"
"$bin" --db "$tmp" event add "$ev" --org "DÉMO Agence de développement" --date 2026-06-16 \
  --start 09:00 --slot-minutes 20 --slots 12 --tables 8 --two-sided --breaks 6:40 \
  --place "Marseille (démonstration)" >/dev/null
sqlite3 "$tmp" "select printf('%014d', e.siret) from etab e join naf n on n.code = e.naf
  where e.state = 'A' and e.diffusion = 'O' and e.geo > 0 and n.a21 = 'C'
  and e.size_band >= '21' order by (e.siret * 2654435761) % 1000003 limit 8" >"$dir/event-buyers.txt"
: >"$dir/event-sellers.txt"
while read -r s; do
  "$bin" --db "$tmp" event participant add "$ev" "$s" --side A >/dev/null || continue
  "$bin" --db "$tmp" match "$s" --limit 4 --json 2>/dev/null |
    jq -r '.suggestions[].siret' >>"$dir/event-sellers.txt" || true
done <"$dir/event-buyers.txt"
sort -u "$dir/event-sellers.txt" | grep -vxFf "$dir/event-buyers.txt" | while read -r s; do
  "$bin" --db "$tmp" event participant add "$ev" "$s" --side B --max 6 >/dev/null || true
done
# A generated public buyer (issue 14) who recorded a need of the trade of one of
# the sellers, with a CPV code: the buyer takes part, and the convention
# suggests it meet the sellers that could answer (its suggestions, with their
# reasons, become requests below). Generated and named as such.
seller=$(sort -u "$dir/event-sellers.txt" | grep -vxFf "$dir/event-buyers.txt" | head -1)
if [[ -n $seller ]]; then
  read -r naf commune < <(sqlite3 -separator ' ' "$tmp" "select naf, commune from etab where siret = $((10#$seller))")
  buyer="DÉMO Ville acheteuse (générée)"
  "$bin" --db "$tmp" need add --org "DÉMO Agence de développement" --buyer "$buyer" \
    --title "DÉMO besoin innovant (généré) : équipement de la ville" --naf "$naf" --cpv 34144900 \
    --budget 80000 --commune "$commune" --deadline 2026-12-15 >/dev/null &&
    "$bin" --db "$tmp" event participant add "$ev" --guest "$buyer" --buyer --side A --max 6 >/dev/null || true
fi
"$bin" --db "$tmp" event request suggested "$ev" >/dev/null
"$bin" --db "$tmp" event schedule "$ev" | tail -4
# A GENERATED demo programme on the metropolis (issue 13), run by the demo agency.
"$(dirname "$0")/demo-programme.sh" "$bin" "$tmp" "${DEMO_EPCI:-200054807}" ||
  echo "(no demo programme: the territory $territory lacks the EPCI's generated manufacturers)"
mv -f "$tmp" "$db"
rm -f "$tmp-wal" "$tmp-shm"
