# needs_checks.sh — the needs grid's checks on one database (SQLite or
# PostgreSQL): a territory's and a firm's levels set and shown, the history
# kept, the latest level in the grid, notes kept as written, refusals. Used by
# t_needs.sh and t_needs_pg.sh after `init` and the fixture's import.
NEEDS_D=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data" && pwd)
NEEDS_ASM=91000001700012 NEEDS_PRIV=91000006600019

# needs_checks DB LABEL
needs_checks() {
  local db=$1 l=$2
  run --db "$db" needs show 13001 --json
  check "$l: an empty grid lists the 9 needs, none assessed" \
    test "$(json_get '[.needs[] | select(.level == null)] | length'),$(json_get '.history | length')" = "9,0"
  check "$l: the needs in the grid's order, labelled in French" \
    test "$(json_get '[.needs[].need] | join(",")')|$(json_get '.needs[3].label_fr')" = \
      "skills,land,accessibility,ecosystem,innovation,digital,ecological,finance,export|Écosystème et fournisseurs"
  local note='Soudeurs introuvables <script>alert(1)</script> ; =1+1 "guillemets"'
  run --db "$db" needs set 200054807 --need skills --level high --note "$note"
  check "$l: a territory's need set" status_is 0
  check "$l: the text output shows the level and the note" \
    bash -c 'grep -qE "^  skills +high" <<<"$1" && grep -qF "$2" <<<"$1"' _ "$OUT" "$note"
  run --db "$db" needs set 200054807 --need skills --level critical
  run --db "$db" needs set 200054807 --need land --level low --note "Friches disponibles à Fos"
  run --db "$db" needs show epci:200054807 --json
  check "$l: the grid shows the latest level of each need" \
    test "$(json_get '.needs[0].level'),$(json_get '.needs[1].level'),$(json_get '.needs[2].level')" = "critical,low,null"
  check "$l: every level set stays in the history, newest first" \
    test "$(json_get '[.history[] | "\(.need):\(.level)"] | join(" ")')" = "land:low skills:critical skills:high"
  check "$l: a note comes back as written" test "$(json_get '.history[2].note')" = "$note"
  check "$l: the author and the date of each" \
    bash -c '[[ $(jq -r ".history[0].author" <<<"$0") == *"(local)" ]] && [[ $(jq -r ".history[0].created" <<<"$0") =~ ^20[0-9]{2}-[0-9]{2}-[0-9]{2}\ [0-9:]{8}$ ]]' "$OUT"
  check "$l: the subject is the territory, named" \
    test "$(json_get '.subject | "\(.kind) \(.code) \(.name)"')" = "epci 200054807 Métropole d'Aix-Marseille-Provence"
  run --db "$db" needs set "$NEEDS_ASM" --need export --level medium --note "Salon à Hanovre"
  check "$l: a firm's need set" status_is 0
  run --db "$db" needs show "$NEEDS_ASM" --json
  check "$l: the firm's grid is its own" \
    test "$(json_get '.subject.kind'),$(json_get '.needs[8].level'),$(json_get '.history | length')" = "firm,medium,1"
  run --db "$db" needs set "$NEEDS_PRIV" --need export --level low
  check "$l: nothing is recorded about a firm of restricted diffusion" \
    bash -c '[[ $0 -ne 0 ]] && grep -q "restricted diffusion" <<<"$1"' "$RC" "$ERR"
  run --db "$db" needs set 91000001700013 --need export --level low
  check "$l: a SIRET with a wrong checksum is refused" \
    bash -c '[[ $0 -ne 0 ]] && grep -q "not a valid SIRET" <<<"$1"' "$RC" "$ERR"
  run --db "$db" needs set 99999 --need skills --level low
  check "$l: an unknown territory is refused, named" \
    bash -c '[[ $0 -ne 0 ]] && grep -q "99999" <<<"$1"' "$RC" "$ERR"
  run --db "$db" needs set 13001 --need skills --level extreme
  check "$l: an unknown level is refused, the levels named" \
    bash -c '[[ $0 -ne 0 ]] && grep -q "none, low, medium, high" <<<"$1"' "$RC" "$ERR"
  run --db "$db" needs set 13001 --need skills --level low --note "$(head -c 4001 /dev/zero | tr '\0' x)"
  check "$l: a note over 4,000 bytes is refused" \
    bash -c '[[ $0 -ne 0 ]] && grep -q "at most 4000 bytes" <<<"$1"' "$RC" "$ERR"
  run --db "$db" needs set 13001 --need skills --level low --note $'a\x01b'
  check "$l: a note with a control character is refused" \
    bash -c '[[ $0 -ne 0 ]] && grep -q "control character" <<<"$1"' "$RC" "$ERR"
  run --db "$db" needs show 13001 --json
  check "$l: refusals wrote nothing" test "$(json_get '.history | length')" = 0
}
