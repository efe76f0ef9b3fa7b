#!/usr/bin/env bash
# show-demo.sh BIN DB TERRITORY [--brief] — shows what the demo database holds:
# the territory's summary, an example search, one establishment, a match and a
# network report (--brief: the summary's first lines only).
set -euo pipefail
bin=$1 db=$2 territory=$3
if [[ ${4:-} == --brief ]]; then
  # head stops reading after 3 lines: the summary's end meets a closed pipe (SIGPIPE),
  # which is no failure here.
  { "$bin" --db "$db" territory "$territory" || true; } | head -4
  exit 0
fi
echo
echo "== maillage --db $db territory $territory"
"$bin" --db "$db" territory "$territory"
echo
echo "== maillage --db $db territory $territory --indicators"
"$bin" --db "$db" territory "$territory" --indicators | head -24
echo
echo "== maillage --db $db search usinage 13100 --active --limit 5 --facets"
"$bin" --db "$db" search usinage 13100 --active --limit 5 --facets
siret=$("$bin" --db "$db" search usinage 13100 --active --limit 1 --json | jq -r '.results[0].siret // empty')
if [[ -n $siret ]]; then
  echo
  echo "== maillage --db $db show $siret"
  "$bin" --db "$db" show "$siret"
fi
if [[ -n $siret ]]; then
  echo
  echo "== maillage --db $db match $siret --limit 3 --lang fr"
  "$bin" --db "$db" match "$siret" --limit 3 --lang fr
fi
echo
echo "== maillage --db $db network 'DÉMO lauréats (généré)' --limit 3"
"$bin" --db "$db" network "DÉMO lauréats (généré)" --limit 3
echo
echo "Try your own: $bin --db $db search WORDS|SIRET|POSTCODE [--commune NAME] [--naf CODE|TRADE] [--active]"
