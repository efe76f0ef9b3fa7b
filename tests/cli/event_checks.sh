# event_checks.sh — the checks of business conventions (issue 14) on one
# database, shared by t_event.sh (SQLite) and t_event_pg.sh (PostgreSQL):
# events, participants, requests, suggestions, schedules (each checked again
# here by an independent reader of the saved meetings), agendas as
# iCalendar parsed back, CSV and Excel, outcomes in the firm's timeline.
# The caller sources lib.sh and calls event_checks DB WHAT.
D=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data" && pwd)
ASM=91000001700012 NEAR=91000002500015 TOULON=91000003300019 SOLO=91000004100012
PRIV=91000006600019

# verify_schedule — reads `event show --json` on stdin and checks every rule
# of a schedule on the saved meetings: slots and tables in range, nobody in
# two places at once, one meeting a table and slot, each participant in
# slots they are available in and within their maximum, each request once,
# sides kept in a two-sided event. Prints "valid" or the first fault.
verify_schedule() {
  python3 -c '
import json, sys
d = json.load(sys.stdin); e = d["event"]
def slots(t):
    if not t: return set(range(1, e["slots"] + 1))
    s = set()
    for part in t.split(","):
        lo, _, hi = part.partition("-"); s.update(range(int(lo), int(hi or lo) + 1))
    return s
P = {p["id"]: p for p in d["participants"]}
seen, place, count, reqs = set(), set(), {}, set()
for m in d["meetings"]:
    s, t, a, b = m["slot"], m["table"], m["a"]["id"], m["b"]["id"]
    assert 1 <= s <= e["slots"] and 1 <= t <= e["tables"], ("range", m)
    assert (s, t) not in place, ("table twice", m); place.add((s, t))
    for x in (a, b):
        assert (s, x) not in seen, ("two places", m); seen.add((s, x))
        assert s in slots(P[x]["slots"]), ("unavailable", m)
        assert not P[x]["cancelled"], ("cancelled", m)
        count[x] = count.get(x, 0) + 1
    assert m["request"] not in reqs, ("request twice", m); reqs.add(m["request"])
    if e["two_sided"]: assert P[a]["side"] != P[b]["side"], ("same side", m)
for x, n in count.items():
    mx = P[x]["max_meetings"]
    assert mx is None or n <= mx, ("over max", x)
print("valid")
'
}

# read_ics FILE — parses an iCalendar file back: CRLF ends, lines of at most
# 75 octets, unfolded and unescaped; prints JSON {"calname", "events": [...]}.
read_ics() {
  python3 - "$1" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\r\n"), "no CRLF at the end"
lines = raw.split(b"\r\n")[:-1]
for l in lines:
    assert len(l) <= 75, ("line longer than 75 octets", l)
    assert b"\n" not in l and b"\r" not in l
    l.decode("utf-8")  # a fold never cuts a character
unfolded = []
for l in lines:
    if l.startswith(b" "): unfolded[-1] += l[1:]
    else: unfolded.append(l)
def unescape(v):
    out, i = "", 0
    while i < len(v):
        if v[i] == "\\" and i + 1 < len(v):
            out += {"n": "\n", "N": "\n"}.get(v[i + 1], v[i + 1]); i += 2
        else:
            assert v[i] not in ",;", ("unescaped", v); out += v[i]; i += 1
    return out
cal, events, cur = {}, [], None
for l in unfolded:
    name, _, value = l.decode("utf-8").partition(":")
    if name == "BEGIN" and value == "VEVENT": cur = {}
    elif name == "END" and value == "VEVENT": events.append(cur); cur = None
    elif cur is not None:
        cur[name] = unescape(value) if name in ("SUMMARY", "LOCATION", "DESCRIPTION") else value
    else: cal[name] = unescape(value) if name.startswith("X-WR") else value
assert cal["BEGIN"] == "VCALENDAR" and cal["VERSION"] == "2.0" and "PRODID" in cal
for ev in events:
    for k in ("UID", "DTSTAMP", "DTSTART", "DTEND"): assert k in ev, (k, ev)
print(json.dumps({"calname": cal.get("X-WR-CALNAME"), "events": events}, ensure_ascii=False))
PY
}

event_checks() {
  local db=$1 what=$2
  e() { run --db "$db" event "$@"; }
  run --db "$db" init; run --db "$db" import sirene "$D/fixture_match.csv"
  check "$what: init and import the fixtures" status_is 0

  # ------------------------------------------------- a two-sided convention
  local NAME="Rencontres acheteurs, fournisseurs; édition « été » de la filière automobile et aéronautique"
  e add "$NAME" --date 2026-06-16 --start 09:00 --slot-minutes 20 --slots 6 --tables 2 \
    --two-sided --breaks 3:30 --place "Halle, quai n°3; Aix" --json
  check "$what: event add makes a two-sided event with its slot times (a break after slot 3)" \
    test "$(json_get '.event.id, .event.slot_times[2].end, .event.slot_times[3].start' | paste -sd' ')" = "1 10:00 10:30"
  e add "X" --date 2026-02-30 --start 09:00 --slot-minutes 20 --slots 6 --tables 2
  check "$what: an impossible date is refused, named" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "is not a date" <<<"$1"' "$RC" "$ERR"
  e add "X" --date 2026-06-16 --start 23:00 --slot-minutes 30 --slots 6 --tables 2
  check "$what: a day that would end after midnight is refused" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "after midnight" <<<"$1"' "$RC" "$ERR"

  e participant add 1 "$ASM" --side A --json
  check "$what: an establishment of the register joins with its name and a personal link" \
    bash -c '[[ $0 -eq 0 ]] && [[ $(jq -r ".participant.name" <<<"$1") == "ASSEMBLAGE AUTOMOBILE FIXTURE" ]] && [[ $(jq -r ".link | length" <<<"$1") == 43 ]]' "$RC" "$OUT"
  LINK_ASM=$(json_get .link)
  e participant add 1 "$NEAR" --side B; e participant add 1 "$TOULON" --side B
  e participant add 1 --guest "Mairie d'Aix, service achats; innovation" --buyer --side A --max 2
  check "$what: a public buyer joins as a guest" status_is 0
  e participant add 1 "$PRIV" --side B
  check "$what: an establishment with restricted diffusion is refused, said why" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "restricted diffusion (statut P)" <<<"$1"' "$RC" "$ERR"
  e participant add 1 "$SOLO"
  check "$what: a two-sided event asks for the participant's side" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "give the participant'"'"'s side" <<<"$1"' "$RC" "$ERR"
  e participant add 1 "$SOLO" --side B --slots 4-9
  check "$what: availability past the event's slots is refused, named" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "slot 9 is past the event'"'"'s 6 slots" <<<"$1"' "$RC" "$ERR"
  e participant add 1 --guest $'Deux\nlignes' --side A
  check "$what: a name with a control character is refused" status_is 2

  e suggest 1 --json
  check "$what: suggested requests come from the supplier/customer engine, with their reasons" \
    test "$(json_get '[.suggestions[] | .a.name + ">" + .b.name] | join("|")')" = "ASSEMBLAGE AUTOMOBILE FIXTURE>EQUIPEMENTIER PROCHE FIXTURE|ASSEMBLAGE AUTOMOBILE FIXTURE>EQUIPEMENTIER TOULON FIXTURE"
  check "$what: … each suggestion says why in French and English" \
    test "$(json_get '[.suggestions[] | select((.reason_fr | length) > 20 and (.reason_en | length) > 20)] | length')" = 2
  e request suggested 1
  check "$what: request suggested adds them" bash -c '[[ $0 -eq 0 ]] && grep -qF "2 suggested requests added" <<<"$1"' "$RC" "$OUT"
  e suggest 1 --json
  check "$what: a pair already requested is no longer suggested" test "$(json_get '.suggestions | length')" = 0
  e request add 1 "Mairie d'Aix, service achats; innovation" "$NEAR" --priority must --asked-by a
  check "$what: request add by a guest's name" status_is 0
  e request add 1 "Mairie d'Aix, service achats; innovation" "$TOULON" --pending
  e request add 1 "$NEAR" "$TOULON"
  check "$what: a request between two sellers is refused, said why" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "are both on side B (sellers)" <<<"$1"' "$RC" "$ERR"
  e request add 1 "$ASM" 99
  check "$what: an unknown participant is named" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "no participant '"'"'99'"'"' in event 1" <<<"$1"' "$RC" "$ERR"
  e request add 1 "$ASM" "$NEAR"
  check "$what: a pair asked twice is refused" status_is 2

  e schedule 1 --json
  check "$what: a two-sided event with shared slots is scheduled exactly and proven optimal" \
    test "$(json_get '[.method, .optimal, .weight == .upper_bound, .check, .meetings] | map(tostring) | join(" ")')" = "exact true true passed 3"
  e show 1 --json
  check "$what: the saved schedule passes an independent check" test "$(verify_schedule <<<"$OUT")" = valid
  check "$what: the pending request is not scheduled" \
    test "$(json_get '[.requests[] | select(.accepted == false) | .scheduled] | map(tostring) | join(",")')" = false
  e request accept 1 "Mairie d'Aix, service achats; innovation" "$TOULON"
  e schedule 1 --json
  check "$what: once accepted it is (4 meetings, still optimal)" \
    test "$(json_get '[.meetings, .optimal] | map(tostring) | join(" ")')" = "4 true"
  e show 1 --json
  check "$what: … and the saved schedule passes the check" test "$(verify_schedule <<<"$OUT")" = valid
  local lockslot; lockslot=$(json_get '.meetings[] | select(.a.siret == "'"$ASM"'" and .b.siret == "'"$NEAR"'") | "\(.slot) \(.table)"')
  e lock 1 "$ASM" "$NEAR"
  check "$what: lock a meeting" status_is 0
  e schedule 1; e show 1 --json
  check "$what: a locked meeting stays where it was on a re-run" \
    test "$(json_get '.meetings[] | select(.a.siret == "'"$ASM"'" and .b.siret == "'"$NEAR"'") | "\(.slot) \(.table) \(.locked)"')" = "$lockslot true"
  local before; before=$(json_get '[.meetings[] | select(.a.kind != "buyer") | "\(.request)@\(.slot)/\(.table)"] | sort | join(",")')
  e schedule 1 --cancel "Mairie d'Aix, service achats; innovation" --json
  check "$what: a participant who cancels: their meetings go, nobody else moves" \
    test "$(json_get '[.previous.moved, .cancelled.meetings] | map(tostring) | join(" ")')" = "0 2"
  e show 1 --json
  check "$what: … the others are where they were" \
    test "$(json_get '[.meetings[] | "\(.request)@\(.slot)/\(.table)"] | sort | join(",")')" = "$before"
  check "$what: … and the schedule passes the check" test "$(verify_schedule <<<"$OUT")" = valid

  # ------------------------------------------------------------- exports
  e agenda 1 "$NEAR" --ics "$TMP/near.ics" --csv "$TMP/near.csv" --json
  check "$what: agenda of one participant" test "$(json_get '.meetings | length')" = 1
  local ics; ics=$(read_ics "$TMP/near.ics" 2>&1)
  check "$what: the .ics parses back (CRLF, lines of 75 octets at most, folded on characters)" \
    bash -c 'jq -e . <<<"$0" >/dev/null' "$ics"
  check "$what: … the event's name with commas, semicolons and « » comes back escaped and whole" \
    test "$(jq -r .calname <<<"$ics")" = "$NAME — EQUIPEMENTIER PROCHE FIXTURE"
  check "$what: … the place with its comma and semicolon" \
    test "$(jq -r '.events[0].LOCATION' <<<"$ics")" = "Table $(jq -r '.meetings[0].table' <<<"$OUT") — Halle, quai n°3; Aix"
  check "$what: … the description keeps its lines" \
    test "$(jq -r '.events[0].DESCRIPTION | split("\n") | length' <<<"$ics")" = 3
  check "$what: … times in UTC (Paris is UTC+2 in June)" \
    test "$(jq -r '.events[0].DTSTART' <<<"$ics")" = "20260616T0$(( $(jq -r '.meetings[0].start[0:2]' <<<"$OUT" | sed 's/^0//') - 2 ))$(jq -r '.meetings[0].start[3:5]' <<<"$OUT")00Z"
  check "$what: … one UID a meeting" test "$(jq -r '.events[0].UID' <<<"$ics")" = "event-1-request-$(jq -r '.meetings[0].request' <<<"$OUT")-participant-2@maillage"
  check "$what: the CSV agenda is for a French spreadsheet (BOM, ';')" \
    bash -c 'head -c3 "$0" | od -An -tx1 | grep -q "ef bb bf" && grep -qF "\"Créneau\";\"Début\"" "$0"' "$TMP/near.csv"
  e grid 1 --xlsx "$TMP/grid.xlsx"
  check "$what: the organiser's grid as an Excel workbook" \
    bash -c '[[ $0 -eq 0 ]] && unzip -p "$1" xl/worksheets/sheet1.xml | grep -qF "ASSEMBLAGE AUTOMOBILE FIXTURE / EQUIPEMENTIER PROCHE FIXTURE"' "$RC" "$TMP/grid.xlsx"

  check "$what: … with its table plan sheet: slot, table and the pair" \
    bash -c 'unzip -p "$0" xl/workbook.xml | grep -qF "Plan de tables" && unzip -p "$0" xl/worksheets/sheet3.xml | grep -qF "EQUIPEMENTIER PROCHE FIXTURE"' "$TMP/grid.xlsx"

  # ------------------------------------------------------- PDF agendas
  export -f has lacks
  e agenda 1 "$ASM" --json
  local am="$OUT"
  e agenda 1 "$ASM" --pdf "$TMP/asm.pdf"
  check "$what: agenda --pdf writes a PDF" bash -c '[[ $0 -eq 0 ]] && [[ $(head -c5 "$1") == "%PDF-" ]]' "$RC" "$TMP/asm.pdf"
  local txt; txt=$(pdftotext -layout "$TMP/asm.pdf" - | tr -s '[:space:]' ' ')
  check "$what: … its text is text: the title, the event's name with its accents and « »" \
    bash -c 'has "$0" "Agenda de ASSEMBLAGE AUTOMOBILE FIXTURE" && has "$0" "$1"' "$txt" "${NAME:0:60}"
  check "$what: … the date in French and the place" has "$txt" "Le 16/06/2026, Halle, quai n°3; Aix"
  local row; row=$(jq -r '.meetings[] | select(.with.siret == "'"$NEAR"'") | "\(.start)-\(.end) \(.table) EQUIPEMENTIER PROCHE FIXTURE Aix-en-Provence Fabrication d’autres équipements automobiles — 29.32Z"' <<<"$am" | sed "s/’/'/")
  check "$what: … each meeting: time, table, the other party's name, commune and activity" has "$txt" "$row"
  check "$what: … the break after slot 3 (10:00-10:30)" has "$txt" "10:00-10:30 Pause"
  check "$what: … free slots said so" has "$txt" "— libre —"
  check "$what: … the number of meetings" has "$txt" "Rendez-vous : $(jq '.meetings | length' <<<"$am")"
  check "$what: … no generated-data mention for real firms" lacks "$txt" "GENERATED"
  e agenda 1 "$ASM" --pdf "$TMP/asm-en.pdf" --lang en
  txt=$(pdftotext -layout "$TMP/asm-en.pdf" - | tr -s '[:space:]' ' ')
  check "$what: agenda --pdf --lang en: in English" \
    bash -c 'has "$0" "Agenda of ASSEMBLAGE AUTOMOBILE FIXTURE" && has "$0" "10:00-10:30 Break" && has "$0" "Manufacture of other parts and accessories for motor vehicles — 29.32Z" && has "$0" "On 2026-06-16"' "$txt"
  e agenda 1 "$ASM" --pdf "$TMP/x.pdf" --lang de
  check "$what: … an unknown language is refused" status_is 2
  e participant add 1 --guest "Établissement public d'aménagement et de développement économique de la Sainte-Victoire, direction de l'innovation" --buyer --side A
  e request add 1 "Établissement public d'aménagement et de développement économique de la Sainte-Victoire, direction de l'innovation" "$TOULON"
  e schedule 1; e agenda 1 "$TOULON" --pdf "$TMP/toulon.pdf"
  local lay; lay=$(pdftotext -layout "$TMP/toulon.pdf" -)
  check "$what: … a long name wraps on several lines, whole" \
    bash -c 'has "$(tr -s "[:space:]" " " <<<"$0")" "Établissement public d'"'"'aménagement et de développement économique de la Sainte-Victoire, direction de l'"'"'innovation (acheteur public)" && ! has "$0" "Établissement public d'"'"'aménagement et de développement"' "$lay"
  check "$what: … and no word past the right margin (x ≤ 545.3 pt on an A4 page)" \
    test "$(pdftotext -bbox "$TMP/toulon.pdf" - | grep -o 'xMax="[0-9.]*"' | tr -dc '0-9.\n' | sort -n | tail -1 | awk '{print ($1 <= 545.3) ? "inside" : "past " $1}')" = inside
  e grid 1 --pdf "$TMP/plan.pdf"
  txt=$(pdftotext -layout "$TMP/plan.pdf" - | tr -s '[:space:]' ' ')
  e show 1 --json
  local first; first=$(json_get '.meetings[0] | "Créneau \(.slot) · \(.start)-\(.end) Table Participant A Participant B \(.table) \(.a.name) \(.b.name)"')
  check "$what: grid --pdf: the table plan, slot by slot, which pair at which table" \
    bash -c 'has "$0" "Plan de tables" && has "$0" "$1"' "$txt" "$first"
  check "$what: … every meeting in it" \
    test "$(grep -o "Créneau [0-9]* ·" <<<"$txt" | sort -u | wc -l)" = "$(json_get '[.meetings[].slot] | unique | length')"

  # ------------------------------------------------------------- outcomes
  e outcome 1 "$ASM" "$NEAR" --met yes --result contract --amount 45000 --jobs 3 --json
  check "$what: an outcome writes the meeting to both firms' history and the pair's verdict" \
    test "$(json_get '[.written[].kind] | join(",")')" = "interaction,interaction,verdict"
  run --db "$db" timeline "$NEAR" --json
  check "$what: the meeting and what followed are in the firm's timeline" \
    test "$(json_get '[.items[] | select(.kind == "interaction") | .notes] | first')" = "Rendez-vous d'affaires « $NAME » avec ASSEMBLAGE AUTOMOBILE FIXTURE ; suite : contrat, 45000 €, 3 emplois"
  run --db "$db" links "$NEAR" --json
  check "$what: a contract records the pair as a known link (supplier: side B)" \
    test "$(json_get '.links[0].supplier + ">" + .links[0].buyer')" = "$NEAR>$ASM"
  e outcome 1 "$ASM" "$NEAR" --met yes --result contract --amount 50000 --json
  run --db "$db" timeline "$NEAR" --json
  check "$what: recording the outcome again does not write the meeting twice" \
    test "$(json_get '[.items[] | select(.kind == "interaction")] | length')" = 1
  e outcome 1 "$ASM" "$TOULON" --met no --result quote
  check "$what: a meeting not held has no result" status_is 2
  e outcome 1 "$NEAR" "$TOULON" --met yes
  check "$what: an outcome for a pair that had no meeting is refused" status_is 1

  # ------------------------------------------------ must-meets, open events
  e add "Petit déjeuner" --date 2026-12-01 --start 08:00 --slot-minutes 15 --slots 2 --tables 5
  check "$what: an open event" status_is 0
  for s in "$ASM" "$NEAR" "$TOULON" "$SOLO"; do e participant add 2 "$s"; done
  e participant add 2 --guest "Tardif" --slots 2
  e participant add 2 --guest "Matinal" --slots 1
  e participant add 2 --guest "Cadre" --side A
  check "$what: an open event's participants have no side" status_is 2
  e request add 2 Tardif Matinal
  check "$what: impossible availability (no shared slot) is refused, named" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "share no available slot" <<<"$1"' "$RC" "$ERR"
  e request add 2 "$ASM" "$NEAR" --priority must; e request add 2 "$ASM" "$TOULON" --priority must
  e request add 2 "$ASM" "$SOLO" --priority must
  check "$what: more must-meets than slots is refused, said why" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "would have 3 must-meet requests but can have 2 meetings" <<<"$1"' "$RC" "$ERR"
  e request add 2 "$ASM" "$SOLO"; e request add 2 "$NEAR" "$TOULON"; e request add 2 Tardif "$SOLO"
  e request add 2 Matinal "$NEAR"
  e schedule 2 --json
  check "$what: an open event is scheduled, the bound printed beside it" \
    bash -c '[[ $0 -eq 0 ]] && jq -e ".upper_bound >= .weight and .musts.met == 2 and .check == \"passed\"" <<<"$1" >/dev/null' "$RC" "$OUT"
  e show 2 --json
  check "$what: … and its saved schedule passes the check" test "$(verify_schedule <<<"$OUT")" = valid
  e agenda 2 "$NEAR" --ics "$TMP/winter.ics" --json
  local first; first=$(json_get '[.meetings[].start] | sort | .[0] | sub(":"; "")')
  check "$what: … times in UTC in winter too (08:00 in Paris is 07:00Z in December)" \
    test "$(read_ics "$TMP/winter.ics" | jq -r '[.events[].DTSTART] | sort | .[0]')" = "20261201T0$((10#$first - 100))00Z"
  e schedule "Petit déjeuner"
  check "$what: an event is named by its name too" bash -c '[[ $0 -eq 0 ]] && grep -qF "check: passed" <<<"$1"' "$RC" "$OUT"
  e schedule 9
  check "$what: an unknown event is named" \
    bash -c '[[ $0 -eq 1 ]] && grep -qF "no event '"'"'9'"'"'" <<<"$1"' "$RC" "$ERR"
  e list --json
  check "$what: event list" test "$(json_get '[.events[].name] | sort | join("|")')" = "Petit déjeuner|$NAME"
}

# need_checks DB WHAT — a public buyer's innovation need: the threshold, the
# checklist, local firms that could answer, the contract, and the DECP
# record validated against the official schema (tests/data).
need_checks() {
  local db=$1 what=$2
  n() { run --db "$db" need "$@"; }
  n add --buyer "Ville d'Aix" --buyer-siret 91000005800016 --title "Navette autonome; gare, quartier" \
    --text $'Besoin :\nune navette électrique' --cpv 34144900 --naf 29.32Z --budget 80000 \
    --deadline 2026-09-30 --commune 13001 --json
  check "$what: need add keeps a buyer's need" test "$(json_get '.need.id, .need.cpv' | paste -sd' ')" = "1 34144900"
  n add --buyer "X" --title "Y" --budget 10 --cpv 3414
  check "$what: a malformed CPV code is refused, said why" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "is not a CPV code" <<<"$1"' "$RC" "$ERR"
  n add --buyer "X" --title "Y" --budget 10 --deadline 2026-13-01
  check "$what: an impossible deadline is refused" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "deadline: '"'"'2026-13-01'"'"' is not a date" <<<"$1"' "$RC" "$ERR"
  n show 1 --json
  check "$what: under the threshold the innovative-purchase route is open" \
    test "$(json_get '[.threshold.euros, .threshold.route_open, .ready] | map(tostring) | join(" ")')" = "100000 true false"
  check "$what: … with the local firms of the need's activity, each with its reason" \
    test "$(json_get '[.suggestions[] | select(.reason_fr | contains("29.32Z")) | .siret] | sort | join(",")')" = "$NEAR,$SOLO"
  n show 1 --threshold 50000 --json
  check "$what: the threshold is configurable: above it, competition is needed" \
    bash -c '[[ $(jq -r .threshold.route_open <<<"$0") == false ]] && jq -r .threshold.why_en <<<"$0" | grep -qF "publicity and competition is needed"' "$OUT"
  for k in novelty market price sourcing; do n check 1 "$k"; done
  n show 1 --json
  check "$what: the checklist done, the purchase is ready" test "$(json_get .ready)" = true
  n uncheck 1 price --json
  check "$what: an item can be unchecked" test "$(json_get '[.checklist[] | select(.done) | .key] | join(",")')" = "novelty,market,sourcing"
  n check 1 luck
  check "$what: an unknown checklist item is refused" status_is 2
  n decp 1
  check "$what: no DECP record before the contract, said why" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "a DECP record needs the contract" <<<"$1"' "$RC" "$ERR"
  n award 1 --holder "$PRIV" --amount 75000 --date 2026-10-15 --months 12
  check "$what: no contract named with an establishment of restricted diffusion" status_is 1
  n award 1 --holder "$NEAR" --amount 75000 --date 2026-10-15 --months 12 --json
  check "$what: the contract is recorded" test "$(json_get '.need.contract.siret')" = "$NEAR"
  n decp 1
  printf '%s' "$OUT" >"$TMP/decp.json"
  check "$what: the DECP record is valid against the official schema 2.0.3" \
    node -e '
const Ajv = require(process.argv[1] + "/node_modules/ajv"); const fs = require("fs");
const v = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync(process.argv[1] + "/tests/data/decp_schema_v2.0.3.json")));
const d = JSON.parse(fs.readFileSync(process.argv[2]));
if (!v(d)) { console.error(JSON.stringify(v.errors)); process.exit(1); }' "$(cd "$D/../.." && pwd)" "$TMP/decp.json"
  check "$what: … an innovative purchase without publicity, for the holder and amount given" \
    test "$(jq -r '.marches.marche[0] | [.marcheInnovant, .procedure, .montant, .titulaires[0].titulaire.id, .acheteur.id, .lieuExecution.code] | map(tostring) | join("|")' "$TMP/decp.json")" = "true|Marché passé sans publicité ni mise en concurrence préalable|75000|$NEAR|91000005800016|13001"
  run --db "$db" event add "Conférence d'innovation" --date 2026-10-01 --start 14:00 --slot-minutes 30 \
    --slots 4 --tables 3 --two-sided
  local conf; conf=$(run --db "$db" event list --json; json_get '.events[] | select(.name == "Conférence d'"'"'innovation") | .id')
  n invite 1 "$conf" --json
  check "$what: an innovation conference: the buyer joins and meets the suggested firms (its NAF's two, its CPV label's one)" \
    test "$(json_get '[.firms_added, .requests_added] | map(tostring) | join(" ")')" = "3 3"
  run --db "$db" event schedule "$conf" --json
  check "$what: … and the conference is scheduled, proven optimal" \
    test "$(json_get '[.meetings, .optimal, .check] | map(tostring) | join(" ")')" = "3 true passed"
  run --db "$db" event show "$conf" --json
  check "$what: … the buyer is a public buyer on side A" \
    test "$(json_get '.participants[] | select(.name == "Ville d'"'"'Aix") | .kind + " " + .side')" = "buyer A"
  n list --json
  check "$what: need list" test "$(json_get '[.needs[] | .title + ":" + (.contract | tostring)] | join(",")')" = "Navette autonome; gare, quartier:true"
  # A title no firm has every word of: the search widens to its trade words, and says so.
  n add --buyer "Ville" --title "Équipements automobiles sur mesure pour navette" --budget 5000 \
    --commune 13001 --json
  n show "$(json_get .need.id)" --json
  check "$what: a title no firm matches word for word widens to its trade words, said in the reason" \
    test "$(json_get '[.suggestions[] | select(.reason_fr | contains("recherche élargie à « Équipements »")) | .siret] | index("'"$NEAR"'") != null')" = true
}

# agenda_checks DB WHAT — do-not-meet requests, publication and the changes
# noted after it (issue 14), on a new event of the same database.
agenda_checks() {
  local db=$1 what=$2 C="Changements après publication"
  e() { run --db "$db" event "$@"; }
  e add "$C" --date 2026-09-10 --start 14:00 --slot-minutes 30 --slots 4 --tables 2 --two-sided
  check "$what: a new event for the changes" status_is 0
  e participant add "$C" "$ASM" --side A; e participant add "$C" "$NEAR" --side B
  e participant add "$C" "$TOULON" --side B; e participant add "$C" "$SOLO" --side B
  e request add "$C" "$ASM" "$NEAR" --priority avoid --asked-by a --json
  check "$what: a do-not-meet request (priority avoid)" test "$(json_get '.request.priority')" = avoid
  e suggest "$C" --json
  check "$what: … the suggestions skip the pair" \
    test "$(json_get '[.suggestions[] | .b.siret] | sort | join(",")')" = "$TOULON,$SOLO"
  e request add "$C" "$ASM" "$NEAR" --priority wish
  check "$what: … a wish for that pair is refused, said why" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "are not to meet (a do-not-meet request)" <<<"$1"' "$RC" "$ERR"
  e request suggested "$C"
  e changes "$C" --json
  check "$what: no change is noted before publication" test "$(json_get '[.published, (.changes | length)] | map(tostring) | join(" ")')" = "null 0"
  e publish "$C"
  check "$what: publishing needs a schedule" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "has no schedule yet: schedule it, then publish it" <<<"$1"' "$RC" "$ERR"
  e schedule "$C" --json
  check "$what: the avoided pair is never scheduled" \
    test "$(json_get '[.meetings, ([.meetings_list[] | select(.b.siret == "'"$NEAR"'")] | length)] | map(tostring) | join(" ")')" = "2 0"
  e schedule "$C"
  check "$what: … and before publication a re-run notes nothing" lacks "$OUT" "changes noted"
  e publish "$C"
  check "$what: event publish" bash -c '[[ $0 -eq 0 ]] && grep -qF "published: 2 meetings" <<<"$1"' "$RC" "$OUT"
  e publish "$C" --json
  check "$what: … publishing again changes nothing" test "$(json_get .already)" = true
  e show "$C" --json
  local was; was=$(json_get '.meetings[] | select(.b.siret == "'"$TOULON"'") | "\(.slot) \(.table)"')
  check "$what: … the event says when it was published" test "$(json_get '.event.published | type')" = number
  e request add "$C" "$ASM" "$TOULON" --priority avoid --json
  check "$what: do-not-meet even when suggested: the suggested request becomes one" \
    test "$(json_get '[.replaced, .request.priority] | join(" ")')" = "wish avoid"
  e schedule "$C" --json
  check "$what: the re-run drops that meeting and notes the changes" \
    test "$(json_get '[.meetings, (.changes > 0)] | map(tostring) | join(" ")')" = "1 true"
  e changes "$C" "$TOULON" --json
  check "$what: … the other party is told: cancelled, with whom, where it was" \
    test "$(json_get '[.changes[] | "\(.kind) \(.with) \(.before.slot) \(.before.table) \(.after)"] | join("|")')" = "cancelled ASSEMBLAGE AUTOMOBILE FIXTURE $was null"
  e participant add "$C" --guest "Acheteur tardif" --buyer --side A
  e request add "$C" "Acheteur tardif" "$NEAR"; e schedule "$C"
  e changes "$C" "$NEAR" --json
  check "$what: a new meeting is noted for both parties, with its time and table" \
    test "$(json_get '[.changes[] | "\(.kind) \(.with) \(.after.start | length) \(.after.table > 0)"] | join("|")')" = "new Acheteur tardif 5 true"
  e agenda "$C" "$NEAR" --json
  check "$what: … the participant's agenda carries the changes not seen yet" \
    test "$(json_get '[.published, (.changes | length), .changes[0].kind] | map(tostring) | join(" ")')" = "true 1 new"
  local nw; nw=$(json_get '.changes[0].after | "\(.start)-\(.end), table \(.table)"')
  e agenda "$C" "$NEAR" --pdf "$TMP/changes.pdf"
  check "$what: … and its PDF lists them above the day" \
    has "$(pdftotext -layout "$TMP/changes.pdf" - | tr -s '[:space:]' ' ')" "Changements depuis la publication Nouveau rendez-vous avec Acheteur tardif : $nw"
  e schedule "$C" --cancel "$SOLO" --json
  e changes "$C" --json
  check "$what: a cancellation notes it for the other party, not for the one who cancelled" \
    bash -c '[[ $(jq -r "[.changes[] | select(.participant.name == \"ASSEMBLAGE AUTOMOBILE FIXTURE\" and .kind == \"cancelled\") | .with] | sort | join(\",\")" <<<"$0") == "ARTISAN SOLO FIXTURE,EQUIPEMENTIER TOULON FIXTURE" ]] && [[ $(jq "[.changes[] | select(.participant.name == \"ARTISAN SOLO FIXTURE\")] | length" <<<"$0") == 0 ]]' "$OUT"
  e changes "$C"
  check "$what: event changes prints them, one a line" \
    bash -c '[[ $0 -eq 0 ]] && grep -qF "EQUIPEMENTIER TOULON FIXTURE: cancelled with ASSEMBLAGE AUTOMOBILE FIXTURE; was" <<<"$1"' "$RC" "$OUT"
  e show "$C" --json
  check "$what: the saved schedule passes the check" test "$(verify_schedule <<<"$OUT")" = valid
  check "$what: … no meeting of an avoided pair" \
    test "$(json_get '[.meetings[] | select(.a.siret == "'"$ASM"'" and (.b.siret == "'"$NEAR"'" or .b.siret == "'"$TOULON"'"))] | length')" = 0
  e request add "$C" "$ASM" "$TOULON" --priority avoid
  check "$what: the same do-not-meet twice is refused" status_is 2
  e request add "$C" "$ASM" "$TOULON" --priority never
  check "$what: an unknown priority is refused" status_is 2

  # generated demo firms: the PDF agenda says so
  run demo --territory 13 --size 300 --seed 7 --out "$TMP/demo13"
  run --db "$db" import sirene "$TMP/demo13/StockEtablissement_utf8.csv"
  local g1 g2
  read -r g1 g2 < <(python3 -c '
import csv, sys
rows = [r["siret"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))
        if r["statutDiffusionEtablissement"] == "O" and r["etatAdministratifEtablissement"] == "A"]
print(rows[0], rows[1])' "$TMP/demo13/StockEtablissement_utf8.csv")
  e add "Démo" --date 2026-10-01 --start 09:00 --slot-minutes 20 --slots 2 --tables 1
  e participant add "Démo" "$g1"; e participant add "Démo" "$g2"; e request add "Démo" "$g1" "$g2"; e schedule "Démo"
  e agenda "Démo" "$g1" --pdf "$TMP/demo.pdf"
  check "$what: the PDF agenda of a generated event says so on every page" \
    bash -c '[[ $0 -eq 0 ]] && [[ $(pdftotext -layout "$1" - | grep -c "DONNÉES DE DÉMONSTRATION GÉNÉRÉES (GENERATED demo data) : aucune entreprise réelle") == $(pdfinfo "$1" | awk "/^Pages:/ {print \$2}") ]]' "$RC" "$TMP/demo.pdf"
}

# cpv_checks DB WHAT — the CPV 2008 codes (issue 14): found by words (accents,
# case and plurals ignored) or digits, French labels (English with --lang
# en), a need's code checked (shape, known, check digit) and shown with its
# label, its label's words widening the firms suggested for a need.
cpv_checks() {
  local db=$1 what=$2
  run --db "$db" cpv search "véhicules électriques" --json
  check "$what: cpv search finds a code by the words of its French label" \
    test "$(json_get '.results[0] | .code + " " + .label_fr + " " + .level')" = "34144900-7 Véhicules électriques subcategory"
  run --db "$db" cpv search "VEHICULE electrique" --limit 3
  check "$what: … accents, case and plurals ignored; text output: code and French label" \
    bash -c '[[ $0 -eq 0 ]] && [[ $(head -1 <<<"$1") == "34144900-7  Véhicules électriques" ]] && [[ $(wc -l <<<"$1") -eq 3 ]]' "$RC" "$OUT"
  run --db "$db" cpv search "véhicules électr" --lang en --limit 1
  check "$what: … a word may start a longer one; --lang en gives the English label" test "$OUT" = "34144900-7  Electric vehicles"
  run --db "$db" cpv search 3414 --limit 5 --json
  check "$what: … digits find the codes that start with them" \
    test "$(json_get '[.results[].code8 | startswith("3414")] | all and length == 5')" = true
  run --db "$db" cpv search "le de"
  check "$what: … only common words is refused, said why" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "no word to look for" <<<"$1"' "$RC" "$ERR"
  run --db "$db" cpv show 45213000-4
  check "$what: cpv show: a wrong check digit is refused, the right one named" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "the check digit of 45213000 is 3, not 4" <<<"$1"' "$RC" "$ERR"
  run --db "$db" need add --buyer X --title Y --budget 10 --cpv 99999999
  check "$what: need add: an unknown CPV code is refused, said why" \
    bash -c '[[ $0 -eq 2 ]] && grep -qF "99999999 is not a code of the CPV 2008" <<<"$1"' "$RC" "$ERR"
  run --db "$db" need show 1
  check "$what: need show prints the code with its French label" has "$OUT" "CPV 34144900-7 Véhicules électriques"
  run --db "$db" need show 1 --json
  check "$what: … and the API's need carries the label in French and English" \
    test "$(json_get '.need.cpv_label | .code + "|" + .label_fr + "|" + .label_en')" = "34144900-7|Véhicules électriques|Electric vehicles"
  run --db "$db" need decp 1
  check "$what: the DECP record keeps codeCPV on 8 digits, its label beside the record" \
    test "$(json_get '.marches.marche[0].codeCPV + " " + .cpv.label_fr')" = "34144900 Véhicules électriques"
  run --db "$db" need add --buyer "Ville d'Aix" --title "Zzyzx" --cpv 34144900-7 --budget 5000 --commune 13001 --json
  local id; id=$(json_get .need.id)
  run --db "$db" need show "$id" --json
  check "$what: the CPV label's words find firms the title does not" \
    test "$(json_get '([.suggestions[] | .by] | unique | join(",")) + " " + ((.suggestions | length) > 0 | tostring)')" = "cpv true"
  check "$what: … each said why: the CPV code and label used" \
    test "$(json_get '[.suggestions[] | .reason_fr | startswith("ses mots répondent au libellé CPV 34144900 « Véhicules électriques » ; ")] | all')" = true
  run --db "$db" need cpv "$id" 45213000 --lang en
  check "$what: need cpv sets another code (English label with --lang en)" \
    has "$OUT" "CPV 45213000-3 Construction work for commercial buildings"
  run --db "$db" need cpv "$id" 4521300
  check "$what: … a malformed code is refused" status_is 2
}

# learn_checks DB WHAT — what outcomes teach (issue 14), a worked example:
# with event 1's contract (supplier 29.32Z, customer 29.10Z), an open event
# whose meetings end 29 -> 29: quote, contract, nothing; 29 -> 56 (a
# restaurant): nothing twice. So 29 -> 29 has 3 of 4, 29 -> 56 0 of 2; the
# prior is (3 + 1) / (6 + 2) = 0.5; rate 29 -> 29 = (3 + 6 x 0.5) / (4 + 6)
# = 0.6, factor 0.6 / 0.5 = 1.2; rate 29 -> 56 = 3 / 8 = 0.375, factor 0.75.
# Then the buyers' needs feed another event's suggestions.
learn_checks() {
  local db=$1 what=$2 RESTO=91000005800016
  e() { run --db "$db" event "$@"; }
  local B="Bilan des rencontres"
  e add "$B" --date 2026-03-10 --start 09:00 --slot-minutes 20 --slots 6 --tables 3
  for s in "$ASM" "$NEAR" "$TOULON" "$SOLO" "$RESTO"; do e participant add "$B" "$s"; done
  e request add "$B" "$ASM" "$NEAR"; e request add "$B" "$ASM" "$TOULON"; e request add "$B" "$ASM" "$SOLO"
  e request add "$B" "$RESTO" "$NEAR"; e request add "$B" "$RESTO" "$TOULON"
  e schedule "$B" --json
  check "$what: an open event of five meetings is scheduled" test "$(json_get .meetings)" = 5
  e outcome "$B" "$ASM" "$NEAR" --met yes --result quote; e outcome "$B" "$ASM" "$TOULON" --met yes --result contract
  e outcome "$B" "$ASM" "$SOLO" --met yes; e outcome "$B" "$RESTO" "$NEAR" --met yes
  e outcome "$B" "$RESTO" "$TOULON" --met yes
  e learned --json
  check "$what: event learned: 6 meetings held between establishments, 3 led somewhere, prior 0.5" \
    test "$(json_get '[.meetings, .successes, .prior] | map(tostring) | join(" ")')" = "6 3 0.5"
  check "$what: … by kind of pair: 29 -> 29 3 of 4, rate 0.6, factor 1.2; 29 -> 56 0 of 2, rate 0.375, factor 0.75" \
    test "$(json_get '[.kinds[] | "\(.supplier_division)>\(.customer_division) \(.successes)/\(.meetings) \(.rate) \(.factor)"] | join(",")')" = "29>29 3/4 0.6 1.2,29>56 0/2 0.375 0.75"
  local S="Suite des rencontres"
  e add "$S" --date 2026-09-10 --start 09:00 --slot-minutes 20 --slots 6 --tables 3
  for s in "$ASM" "$NEAR" "$SOLO"; do e participant add "$S" "$s"; done
  e participant add "$S" --guest "Ville d'Aix" --buyer
  e suggest "$S" --json
  check "$what: the engine's score is multiplied by what the kind of pair taught (× 1.2)" \
    test "$(json_get '.suggestions[] | select(.source == "match" and .a.siret == "'"$ASM"'" and .b.siret == "'"$NEAR"'") | [.learned.factor, (.score / .score_engine * 1000 | round)] | map(tostring) | join(" ")')" = "1.2 1200"
  check "$what: … said in the reason: 3 of 4 meetings between these sectors led to a quote or a contract" \
    bash -c 'jq -r ".suggestions[] | select(.source == \"match\") | .reason_fr" <<<"$0" | grep -qF "rencontres passées entre ces secteurs (fournisseur division 29, client division 29) : 3 sur 4 ont abouti à un devis ou un contrat ; score × 1,20"' "$OUT"
  check "$what: a public buyer taking part meets the event's firms suggested for its recorded need, first" \
    test "$(json_get '[.suggestions[] | select(.source == "need") | .a.name + ">" + .b.siret] | join(",")')" = "Ville d'Aix>$NEAR,Ville d'Aix>$SOLO"
  check "$what: … each with its reason: it answers the need" \
    bash -c 'jq -r "[.suggestions[] | select(.source == \"need\") | .reason_fr] | all(startswith(\"répond au besoin « Navette autonome; gare, quartier » (besoin 1) : activité 29.32Z\"))" <<<"$0" | grep -qx true' "$OUT"
  check "$what: … ahead of the engine's suggestions" test "$(json_get '.suggestions[0].source')" = need
  e suggest "$S"
  check "$what: event suggest says it is the buyer's need" has "$OUT" "Ville d'Aix could meet EQUIPEMENTIER PROCHE FIXTURE (the buyer's need)"
  e request suggested "$S"
  e show "$S" --json
  check "$what: request suggested adds them as requests with their reasons, for the participants to meet" \
    test "$(json_get '[.requests[] | select(.reason | startswith("répond au besoin")) | .b.siret] | sort | join(",")')" = "$(printf '%s\n' "$NEAR" "$SOLO" | sort | paste -sd,)"
}
