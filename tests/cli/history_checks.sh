# history_checks.sh — the checks of a firm's history on one database, shared
# by t_history.sh (SQLite) and t_history_pg.sh (PostgreSQL): each engine must
# pass the same. The caller sources lib.sh, defines sql_value QUERY (the
# first value of a query on the database) and calls history_checks DB DOCS
# WHAT (DOCS: the documents folder to set, "" to keep the default).
D=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data" && pwd)
ASM=91000001700012 NEAR=91000002500015 PRIV=91000006600019

history_checks() {
  local db=$1 docs=$2 what=$3
  h() { run --db "$db" "$@"; }
  h init; h import sirene "$D/fixture_match.csv"
  check "$what: init and import the fixtures" status_is 0

  # ---------------------------------------------------------------- contacts
  h contact add "$ASM" --name "Jeanne Dupont" --position "Directrice achats" \
    --email Jeanne.Dupont@Example.fr --phone "+33 4 42 00 00 00" \
    --basis "intérêt légitime : suivi du projet d'extension" --source "salon"
  check "$what: contact add on an establishment" bash -c '[[ $0 -eq 0 ]] && grep -qF "#1  Jeanne Dupont" <<<"$1"' "$RC" "$OUT"
  h contact add 910000017 --name "Paul Martin" --basis "intérêt légitime"
  check "$what: contact add on a company (SIREN)" status_is 0
  h contact add "$ASM" --name "Sans base"
  check "$what: a contact without its lawful basis is refused" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "basis is required" <<<"$1"' "$RC" "$ERR"
  h contact add "$ASM" --name "X" --basis "y" --email "pas-une-adresse"
  check "$what: a malformed email is refused, named" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "email:" <<<"$1"' "$RC" "$ERR"
  h contact add "$PRIV" --name "X" --basis "y"
  check "$what: nothing is kept about an establishment with restricted diffusion" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "restricted diffusion (statut P): maillage keeps no contact" <<<"$1"' "$RC" "$ERR"
  h contact list "$ASM" --json
  check "$what: contact list shows the establishment's and its company's contacts" \
    test "$(json_get '[.contacts[].name] | join("|")')" = "Jeanne Dupont|Paul Martin"
  check "$what: … the email stored in lower case, with who added it" \
    test "$(json_get '.contacts[0].email + " " + .contacts[0].author')" = "jeanne.dupont@example.fr $(id -un) (local)"
  h contact edit 2 --phone "04 91 00 00 00"
  h contact list 910000017 --json
  check "$what: a company's contact list holds its establishments' contacts too" \
    test "$(json_get '.contacts | length')" = 2
  check "$what: contact edit changes a field and keeps the others" \
    test "$(json_get '.contacts[] | select(.id == 2) | .phone + "|" + .basis + "|" + .updated_by')" = "04 91 00 00 00|intérêt légitime|$(id -un) (local)"

  # ------------------------------------------------------------ interactions
  h note add "$ASM" --kind visit --date 2026-03-02 --text $'Visite <b>usine</b>\nligne 2' --contact 1
  check "$what: note add records a visit linked to a contact" status_is 0
  h note add "$ASM" --kind dance
  check "$what: an unknown kind of interaction is refused" status_is 2
  h note add "$ASM" --kind call --date 2026-02-30
  check "$what: an impossible date is refused" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "is not a date" <<<"$1"' "$RC" "$ERR"
  h note add "$ASM" --kind call --contact 99
  check "$what: a contact that is not the firm's is refused" status_is 2
  h note list "$ASM" --json
  check "$what: note list gives the notes as written (markup is text)" \
    test "$(json_get '.interactions[0].notes')" = $'Visite <b>usine</b>\nligne 2'

  # -------------------------------------------------------------- follow-ups
  h followup add "$ASM" --what "Envoyer la liste des fournisseurs" --due 2020-01-15
  h followup add "$ASM" --what "Rappeler" --due 2099-01-15 --owner "Marie"
  h followup list --overdue --json
  check "$what: followup list --overdue lists the late one only" \
    test "$(json_get '[.followups[].what] | join("|")')" = "Envoyer la liste des fournisseurs"
  h followup list --overdue
  check "$what: … said OVERDUE in text" has "$OUT" "OVERDUE"
  h followup done 1
  h followup list --overdue --json
  check "$what: once done it is no longer overdue" test "$(json_get '.followups | length')" = 0
  h followup done 1 --undo
  h followup list "$ASM" --json
  check "$what: --undo makes it to do again" test "$(json_get '[.followups[] | select(.done == null)] | length')" = 2
  h followup done 42
  check "$what: an unknown follow-up is said so" status_is 1

  # --------------------------------------------------------------- documents
  [[ -n $docs ]] && h doc settings --folder "$docs"
  printf '%%PDF-1.4\n%% maillage test\n' >"$TMP/rapport.pdf"
  printf '<!doctype html><script>alert(1)</script>' >"$TMP/evil.pdf"
  h doc add "$ASM" "$TMP/rapport.pdf" --name "Rapport d'été.pdf"
  check "$what: doc add attaches a PDF" status_is 0
  local id
  id=$(grep -oE '[0-9a-f]{32}' <<<"$OUT")
  h doc add "$ASM" "$TMP/evil.pdf"
  check "$what: an HTML page named .pdf is refused" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "content is markup" <<<"$1"' "$RC" "$ERR"
  h doc settings --max-mb 1
  head -c 1000001 /dev/zero | tr '\0' ' ' | sed '1s/^/%PDF-/' >"$TMP/big.pdf"
  h doc add "$ASM" "$TMP/big.pdf"
  check "$what: a document over the size limit is refused" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "more than the 1000000 allowed" <<<"$1"' "$RC" "$ERR"
  h doc list "$ASM" --json
  check "$what: doc list has the one accepted, under its sanitised name" \
    test "$(json_get '[.documents[].name] | join("|")')" = "Rapport d_été.pdf"
  rm -f "$TMP/back.pdf"
  h doc get "$id" --out "$TMP/back.pdf"
  check "$what: doc get gives the same bytes back" cmp -s "$TMP/rapport.pdf" "$TMP/back.pdf"
  h doc get "$id" --out "$TMP/back.pdf"
  check "$what: … and never writes over a file" status_is 1

  # ---------------------------------------------------------------- timeline
  h verdict "$NEAR" "$ASM" note --note "bon fournisseur"
  h timeline "$ASM" --json
  check "$what: the timeline holds every kind of record" \
    test "$(json_get '[.items[].kind] | unique | join(",")')" = "contact,document,followup,interaction,note,sirene"
  check "$what: … newest first" test "$(json_get '[.items[].at] | . == (sort | reverse)')" = true
  check "$what: … the interaction with its contact by name" \
    test "$(json_get '.items[] | select(.kind == "interaction") | .type + " " + .contacts[0].name')" = "visit Jeanne Dupont"
  h timeline "$ASM"
  check "$what: timeline in text" has "$OUT" "SIRENE: created"
  h timeline "$PRIV"
  check "$what: no timeline for an establishment with restricted diffusion" status_is 1

  # ------------------------------------------------------------------- GDPR
  h gdpr export JEANNE.DUPONT@example.fr
  check "$what: gdpr export gives the person's contact and the interactions linked" \
    test "$(json_get '(.contacts | length | tostring) + " " + (.interactions | length | tostring)')" = "1 1"
  h gdpr export "nobody@example.fr"
  check "$what: gdpr export of an unknown person says so" status_is 1
  h gdpr erase jeanne.dupont@example.fr
  check "$what: gdpr erase erases the contact and its links" \
    test "$(json_get '(.erased | tostring) + " " + (.links_removed | tostring)')" = "1 1"
  h gdpr export jeanne.dupont@example.fr
  check "$what: … then nothing is held on her" status_is 1
  check "$what: … an anonymised trace is kept (no name, no email)" \
    test "$(sql_value "SELECT count(*) || ' ' || sum(CASE WHEN what LIKE '%Jeanne%' OR what LIKE '%@%' THEN 1 ELSE 0 END) FROM hist_erasure")" = "1 0"
  h gdpr log
  check "$what: gdpr log lists the trace: which record, of which firm, by whom" \
    test "$(json_get '.erasures[] | .what + " by " + .by')" = "contact 1 of 91000001700012 erased on request (1 interaction link removed) by $(id -un) (local)"
  h note list "$ASM" --json
  check "$what: … the interaction stays, linked to nobody" test "$(json_get '.interactions[0].contacts | length')" = 0
  sql_value "UPDATE hist_contact SET updated = '2020-01-01 00:00:00' WHERE id = 2" >/dev/null
  h gdpr settings --retention-months 12
  h gdpr review
  check "$what: gdpr review lists the contacts not updated for the retention period" \
    test "$(json_get '(.retention_months | tostring) + " " + ([.contacts[].name] | join("|"))')" = "12 Paul Martin"
  h gdpr settings --retention-months 0
  check "$what: a retention period of 0 months is refused" status_is 2
}
