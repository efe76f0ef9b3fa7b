# t_update.sh — monthly updates: importing a newer stock over an older one
# writes only what changed (new, modified, closed establishments), keeps the
# date of each change, and says how many of each (text and --json).
. "$(dirname "$0")/lib.sh"

run init
check "init for the update tests" status_is 0
run demo --territory 13 --size 3000 --seed 5 --out "$TMP/m1"
check "a generated stock to start from" status_is 0
M1=$TMP/m1/StockEtablissement_utf8.csv

# The next month's stock: one establishment changes its sign, one open one
# closes, one is new (a new NIC of an existing company); the rest is the same.
python3 - "$M1" "$TMP/m2.csv" >"$TMP/picked" <<'PY'
import csv, sys
src, dst = sys.argv[1:3]
with open(src, newline='', encoding='utf-8', errors='surrogateescape') as f:
    rows = list(csv.reader(f))
h = rows[0]; ix = {n: i for i, n in enumerate(h)}
data = rows[1:]
def luhn(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch) * (2 if i % 2 else 1)
        t += d - 9 if d > 9 else d
    return t % 10 == 0
def good(r):
    return (len(r) == len(h) and r[ix['statutDiffusionEtablissement']] == 'O'
            and r[ix['etatAdministratifEtablissement']] == 'A' and luhn(r[ix['siret']])
            and r[ix['activitePrincipaleEtablissement']] and r[ix['codeCommuneEtablissement']])
picks = [i for i, r in enumerate(data) if good(r)]
m, c, n = picks[10], picks[20], picks[30]
data[m][ix['enseigne1Etablissement']] = 'ZORGLUBIUM'
data[m][ix['dateDernierTraitementEtablissement']] = '2026-01-15T08:00:00'
data[c][ix['etatAdministratifEtablissement']] = 'F'
data[c][ix['dateDernierTraitementEtablissement']] = '2026-01-20T09:30:00'
sirets = {r[ix['siret']] for r in data if len(r) == len(h)}
new = list(data[n]); siren = new[ix['siren']]
for nic in range(90000, 99999):
    s = siren + '%05d' % nic
    if luhn(s) and s not in sirets:
        break
new[ix['siret']] = s; new[ix['nic']] = s[9:]
new[ix['dateDernierTraitementEtablissement']] = '2026-01-25T10:00:00'
data.insert(n + 1, new)
with open(dst, 'w', newline='', encoding='utf-8', errors='surrogateescape') as f:
    csv.writer(f, lineterminator='\n').writerows([h] + data)
print(data[m][ix['siret']], data[c][ix['siret']], s)
PY
read -r MODIFIED CLOSED NEW <"$TMP/picked"
check "three establishments picked for the changes" test -n "$NEW"

run import sirene "$M1" --rejects "$TMP/r1.csv"
check "the first stock imports" status_is 0
check "a first import reports every establishment as new" has "$OUT" "changes: $(sqlite3 "$MAILLAGE_DB" 'select count(*) from etab') new, 0 modified, 0 closed, 0 unchanged"
check "a first import is the reference: no change is listed" test "$(sqlite3 "$MAILLAGE_DB" 'select count(*) from etab_change')" = 0
BEFORE=$(sqlite3 "$MAILLAGE_DB" 'select count(*) from etab')
[[ $ENGINE == pg ]] || sqlite3 "$MAILLAGE_DB" ".backup '$TMP/before.db'"
# Every column but the import run that last saw the row.
etabs() { sqlite3 "$1" "select siret, siren, diffusion, state, created, size_band, size_year, head_office, sign,
  usual_name, address, postcode, city, commune, naf, naf_raw, naf25, employer, lat, lon, geo, generated, ix
  from etab order by siret"; }

run import sirene "$TMP/m2.csv" --rejects "$TMP/r2.csv" --json
check "the next month's stock imports" status_is 0
check "--json says one new establishment" test "$(json_get .changes.new)" = 1
check "… one modified" test "$(json_get .changes.modified)" = 1
check "… one closed" test "$(json_get .changes.closed)" = 1
check "… and the rest unchanged" test "$(json_get .changes.unchanged)" = $((BEFORE - 2))
check "--json counts the rows read" test "$(json_get .rows)" = $(($(wc -l <"$TMP/m2.csv") - 1))
check "the database holds one more establishment" test "$(sqlite3 "$MAILLAGE_DB" 'select count(*) from etab')" = $((BEFORE + 1))

TODAY=$(date -u +%F)
q() { sqlite3 "$MAILLAGE_DB" "$1"; }
check "each change is kept: three of them" test "$(q 'select count(*) from etab_change')" = 3
check "the new establishment is listed as new, dated the day of the import" \
  test "$(q "select change || ' ' || at from etab_change where siret = $NEW")" = "new $TODAY"
check "the modified one as modified, with INSEE's date of processing" \
  test "$(q "select change || ' ' || insee_date from etab_change where siret = $MODIFIED")" = "modified 2026-01-15"
check "the closed one as closed, with INSEE's date of processing" \
  test "$(q "select change || ' ' || insee_date from etab_change where siret = $CLOSED")" = "closed 2026-01-20"
check "the run records its counts" \
  test "$(q "select added || ' ' || modified || ' ' || closed || ' ' || unchanged from import_run order by id desc limit 1")" = "1 1 1 $((BEFORE - 2))"
skip_on_pg "the other establishments are as they were (same columns, same number in the index)" \
  "compares with an SQLite backup of the file" ||
check "the other establishments are as they were (same columns, same number in the index)" \
  test "$(etabs "$MAILLAGE_DB" | grep -v -e "^$MODIFIED|" -e "^$CLOSED|" -e "^$NEW|")" = "$(etabs "$TMP/before.db" | grep -v -e "^$MODIFIED|" -e "^$CLOSED|")"
skip_on_pg "the modified establishment keeps its number in the search index" \
  "compares with an SQLite backup of the file (t_pg.sh compares the search order of both engines)" ||
check "the modified establishment keeps its number in the search index" \
  test "$(q "select ix from etab where siret = $MODIFIED")" = "$(sqlite3 "$TMP/before.db" "select ix from etab where siret = $MODIFIED")"

run show "$CLOSED" --json
check "the closed establishment is shown closed" test "$(json_get .active)" = false
run search zorglubium --json
check "the search index follows the modified sign" test "$(json_get '.results[0].siret')" = "$MODIFIED"
run show "$NEW" --json
check "the new establishment can be shown" status_is 0

run import sirene "$TMP/m2.csv" --rejects "$TMP/r3.csv"
check "the same stock again changes nothing" has "$OUT" "changes: 0 new, 0 modified, 0 closed, $((BEFORE + 1)) unchanged"
check "… and lists no change" test "$(q 'select count(*) from etab_change')" = 3
if [[ $ENGINE == pg ]]; then
  check "… and leaves the search rows as they were" test "$(q "select count(*) from etab_search where words @@ 'zorglub:*'::tsquery")" = 1
else
  check "… and leaves the search index as it was" test "$(q "select count(*) from etab_fts where etab_fts match 'zorglubium'")" = 1
fi

# A row seen twice in one update is still a duplicate, even when unchanged.
(cat "$TMP/m2.csv"; grep -m1 "^[^,]*,[^,]*,$NEW," "$TMP/m2.csv") >"$TMP/m3.csv"
run import sirene "$TMP/m3.csv" --rejects "$TMP/r4.csv"
check "a SIRET seen twice in an update is rejected the second time" has "$(cat "$TMP/r4.csv")" "$NEW\",\"duplicate SIRET"


# Legal units: the first file, then next month's with one name changed.
U1=$TMP/m1/StockUniteLegale_utf8.csv
run import unites "$U1" --json
check "the legal units import" status_is 0
UNITS=$(json_get .imported)
check "… all of them new" test "$(json_get '.changes.new') $(json_get '.changes.unchanged')" = "$UNITS 0"
python3 - "$U1" "$TMP/u2.csv" "$MAILLAGE_DB" >"$TMP/upicked" <<'PY'
import csv, sys
src, dst = sys.argv[1:3]
with open(src, newline='', encoding='utf-8', errors='surrogateescape') as f:
    rows = list(csv.reader(f))
h = rows[0]; ix = {n: i for i, n in enumerate(h)}
for r in rows[1:]:
    if (len(r) == len(h) and r[ix['statutDiffusionUniteLegale']] == 'O'
            and r[ix['denominationUniteLegale']]):
        r[ix['denominationUniteLegale']] = 'BLORPTECHNIQUE'
        print(r[ix['siren']])
        break
with open(dst, 'w', newline='', encoding='utf-8', errors='surrogateescape') as f:
    csv.writer(f, lineterminator='\n').writerows(rows)
PY
USIREN=$(cat "$TMP/upicked")
run import unites "$TMP/u2.csv" --json
check "next month's legal units: one modified, the rest unchanged" \
  test "$(json_get '.changes.new') $(json_get '.changes.modified') $(json_get '.changes.unchanged')" = "0 1 $((UNITS - 1))"
run search blorptechnique --json
check "… and the establishments of the renamed unit are found by its new name" \
  test "$(json_get '[.results[].siret | tostring | .[0:9]] | unique | .[]' | sed 's/^0*//')" = "$(sed 's/^0*//' <<<"$USIREN")"
run import unites "$TMP/u2.csv" --json
check "the same legal units again: nothing changes" \
  test "$(json_get '.changes.new') $(json_get '.changes.modified') $(json_get '.changes.unchanged')" = "0 0 $UNITS"
