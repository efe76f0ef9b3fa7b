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
# A GENERATED demo programme on the metropolis (issue 13), run by the demo agency.
"$(dirname "$0")/demo-programme.sh" "$bin" "$tmp" "${DEMO_EPCI:-200054807}" ||
  echo "(no demo programme: the territory $territory lacks the EPCI's generated manufacturers)"
mv -f "$tmp" "$db"
rm -f "$tmp-wal" "$tmp-shm"
