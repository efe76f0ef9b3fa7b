# t_report.sh — a territory's PDF report, the indicators' exports and the
# communes' figures of the territory map. The report and exports are read
# back: the PDF's text (pdftotext) carries the figures of the indicators,
# French accents, the generated-data mention on every page, the English
# version, no text past the right margin, a hostile perimeter name as plain
# text; the indicators' CSV (French spreadsheet) and Excel workbook carry the
# same figures, one table per sheet and a sheet of method and sources.
. "$(dirname "$0")/lib.sh"

command -v pdftotext >/dev/null || { echo "1..0 # SKIP pdftotext missing (tools/install-deps.sh)"; exit 0; }

run demo --territory 13 --size 6000 --seed 7 --out "$TMP/d13"
check "a generated département 13" status_is 0
run init
run import sirene "$TMP/d13/StockEtablissement_utf8.csv"
check "imports" status_is 0

# pdf_text FILE — the PDF's text, one line per line of the page.
pdf_text() { pdftotext -layout "$1" - 2>/dev/null; }
# French thousands: 16834 -> "16 834".
fr_int() { python3 -c 'import sys; print(format(int(sys.argv[1]), ",").replace(",", " "))' "$1"; }

run territory 13001 --indicators --json
IND=$OUT
run territory 13001 --pdf "$TMP/aix.pdf"
check "the report of a commune is written" status_is 0
check "the command says where" has "$OUT" "report written to $TMP/aix.pdf"
check "it is a PDF" test "$(head -c 5 "$TMP/aix.pdf")" = "%PDF-"
TXT=$(pdf_text "$TMP/aix.pdf")
PAGES=$(pdfinfo "$TMP/aix.pdf" | awk '/^Pages:/ {print $2}')
check "the title names the territory, in French with its accents" \
  has "$TXT" "Diagnostic territorial : Aix-en-Provence"
check "the headings carry their accents (Chiffres clés, Spécialisations, Créations)" \
  bash -c 'grep -q "Chiffres clés" <<<"$1" && grep -q "Spécialisations (quotients de localisation)" <<<"$1" && grep -q "Créations et fermetures par année" <<<"$1" && grep -q "Catégories d.entreprises" <<<"$1"' _ "$TXT"
EST=$(jq -r '.figures.establishments' <<<"$IND")
JOBS=$(jq -r '.figures.jobs_estimated' <<<"$IND")
check "the open establishments of the indicators ($EST) are in the key figures" \
  grep -qE "^ *Établissements ouverts +$(fr_int "$EST")\b" <<<"$TXT"
check "so are the estimated jobs ($JOBS)" \
  grep -qE "Emplois estimés \(milieux des tranches d'effectif\) +$(fr_int "$JOBS")\b" <<<"$TXT"
SHARE=$(jq -r '.figures.industry.jobs_share * 1000 | round / 10 | tostring | sub("\\."; ",")' <<<"$IND")
case $SHARE in *,*) ;; *) SHARE="$SHARE,0" ;; esac
check "the industrial jobs' share ($SHARE %) with a decimal comma" \
  grep -qE "Emplois industriels estimés .* $SHARE %" <<<"$TXT"
SPEC=$(jq -r '.specialisations[0] | "\(.code) \(.label_fr)"' <<<"$IND")
check "the first specialisation is drawn with its label" has "$(tr -s ' \n' '  ' <<<"$TXT")" "${SPEC:0:30}"
LQ=$(jq -r '.specialisations[0].lq * 100 | round / 100 | tostring | sub("\\."; ",")' <<<"$IND")
check "and its quotient ($LQ)" has "$TXT" "$LQ"
check "the generated-data mention is on every page ($PAGES)" \
  test "$(grep -c "DONNÉES DE DÉMONSTRATION GÉNÉRÉES (GENERATED demo data) : aucune entreprise réelle" <<<"$TXT")" = "$PAGES"
check "and in the title block" has "$(tr -s ' \n' '  ' <<<"$TXT")" "aucune entreprise de ce rapport n'existe"
check "a commune's report has the opportunities with named firms" \
  bash -c 'grep -q "Ce que le territoire pourrait développer, et qui pourrait mener" <<<"$1" && grep -qE "proche de .* : .*\([0-9]{14}" <<<"$1"' _ "$TXT"
check "the secrecy note and the methods" \
  bash -c 'grep -q "Secret statistique" <<<"$1" && grep -q "Aucun nombre de moins de 3 établissements" <<<"$1" && grep -q "Quotient de localisation :" <<<"$1"' _ "$TXT"
check "the sources and the date of the import" has "$TXT" "répertoire SIRENE de l'Insee (généré pour la démonstration), importé le"
# No word past the right margin (595 - 50 points), none under the footer.
inside() {
  pdftotext -bbox "$1" - | python3 -c '
import re, sys
bad = [l for l in sys.stdin if "<word" in l and (float(re.search(r"xMax=\"([0-9.]+)", l).group(1)) > 546 or float(re.search(r"yMax=\"([0-9.]+)", l).group(1)) > 842)]
sys.exit(1 if bad else 0)'
}
check "no text runs past the right margin" inside "$TMP/aix.pdf"

run territory 13001 --pdf "$TMP/aix-en.pdf" --lang en
TXT=$(pdf_text "$TMP/aix-en.pdf")
check "--lang en: in English" \
  bash -c 'grep -q "Territorial diagnosis: Aix-en-Provence" <<<"$1" && grep -q "Key figures" <<<"$1" && grep -q "Open establishments" <<<"$1"' _ "$TXT"
check "with English thousands separators" \
  grep -qE "Estimated jobs \(size-band midpoints\) +$(python3 -c 'import sys; print(format(int(sys.argv[1]), ","))' "$JOBS")\b" <<<"$TXT"
check "--lang en: GENERATED demo data on every page" \
  test "$(grep -c "GENERATED demo data: no real firm" <<<"$TXT")" = "$(pdfinfo "$TMP/aix-en.pdf" | awk '/^Pages:/ {print $2}')"

run territory 13 --pdf "$TMP/d13.pdf" --level A10
check "a département's report" status_is 0
TXT=$(pdf_text "$TMP/d13.pdf")
check "has no opportunities (communes and EPCI only)" lacks "$TXT" "pourrait mener"
check "its sector table is at the level asked" has "$TXT" "NAF, niveau A10"

run territory 13001 --pdf "$TMP/x.pdf" --lang de
check "an unknown language is refused" bash -c '[[ $0 -ne 0 ]]' "$RC"
run territory 13001 --pdf "$TMP/no/such/dir/x.pdf"
check "an unwritable path: one error naming it" \
  bash -c '[[ $0 -ne 0 ]] && grep -q "no/such/dir/x.pdf" <<<"$1"' "$RC" "$ERR"
check "and no file left" test ! -e "$TMP/no/such/dir/x.pdf"
run territory 99999 --pdf "$TMP/none.pdf"
check "an unknown commune: an error, no file" bash -c '[[ $0 -ne 0 ]] && [[ ! -e $1 ]]' "$RC" "$TMP/none.pdf"

# A hostile perimeter name is text, not markup or a formula.
printf 'code\n13001\n13047\n' >"$TMP/p.csv"
NAME='<script>alert("x")</script> =1+1 '"'"'q'"'"' & Étang'
run territory define "$NAME" "$TMP/p.csv" --code p-hostile --json
check "a perimeter with a hostile name" status_is 0
run territory p-hostile --pdf "$TMP/hostile.pdf"
check "its report is written" status_is 0
check "the name appears as plain text, whole" has "$(pdf_text "$TMP/hostile.pdf")" "$NAME"
run territory p-hostile --indicators --csv "$TMP/hostile.csv"
check "its indicators' CSV is written" status_is 0
check "the name in the CSV is inside a quoted cell, not a formula" \
  bash -c 'head -1 "$1" | grep -q "^.\"Indicateurs : périmètre p-hostile (<script>alert(\"\"x\"\")</script> =1+1 '"'"'q'"'"' & Étang)"' _ "$TMP/hostile.csv"

# The indicators' CSV: French spreadsheet, the same figures.
run territory 13001 --indicators --csv "$TMP/ind.csv" --xlsx "$TMP/ind.xlsx"
check "indicators to CSV and Excel" status_is 0
check "the CSV starts with a BOM" test "$(head -c 3 "$TMP/ind.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
check "';' between cells, the open establishments as a number" \
  grep -q "^\"Établissements ouverts\";$EST;" "$TMP/ind.csv"
check "shares with a decimal comma" grep -qE '^"Emplois industriels estimés";[0-9]+;[0-9]+,[0-9];' "$TMP/ind.csv"
check "every table is there, then method and sources" \
  bash -c 'for t in "Chiffres clés" Activités Spécialisations "Catégories d'"'"'entreprises" "Créations et fermetures" "Méthode et sources"; do grep -qx "\"$t\"" "$1" || exit 1; done' _ "$TMP/ind.csv"
check "the CSV says the data is generated" grep -q "GÉNÉRÉES (GENERATED demo data)" "$TMP/ind.csv"
NACT=$(jq '.activities | length' <<<"$IND")
check "one row per activity ($NACT)" \
  test "$(sed -n '/^"Activités"$/,/^$/p' "$TMP/ind.csv" | grep -c '^"[A-Z][A-Z]";')" = "$NACT"
SHEETS=$(python3 - "$TMP/ind.xlsx" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print("|".join(re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())))
PY
)
check "the workbook has a sheet per table and one of method and sources" \
  test "$SHEETS" = "Chiffres clés|Activités|Spécialisations|Catégories d'entreprises|Créations et fermetures|Méthode et sources"
check "the workbook holds the establishments' figure as a number" python3 - "$TMP/ind.xlsx" "$EST" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheet = z.read("xl/worksheets/sheet1.xml").decode()
sys.exit(0 if re.search(r'<c r="B\d+"[^>]*><v>%s</v>' % sys.argv[2], sheet) else 1)
PY

# The communes' figures of the territory map.
jq_true() { jq -e "$1" <<<"$2" >/dev/null; } # jq_true FILTER JSON
run territory 200054807 --communes --json
CH=$OUT
check "the map's communes: every commune of the metropolis, Marseille whole" \
  test "$(jq '.communes | length' <<<"$CH"),$(jq -r '.communes[] | select(.code == "13055") | .name' <<<"$CH"),$(jq '[.communes[] | select(.code | startswith("132"))] | length' <<<"$CH")" = "92,Marseille,0"
check "no commune shows 1 or 2 establishments; the secret ones have no figure at all" \
  jq_true '[.communes[] | select((.establishments == 1 or .establishments == 2) or (.secret and (.establishments != null or .per_1000 != null or .industry_jobs_share != null)))] | length == 0' "$CH"
check "a commune's rate is its open establishments per 1,000 inhabitants" \
  jq_true '[.communes[] | select(.per_1000 != null) | select(((.establishments * 1000 / .population) - .per_1000) | fabs > 1e-9)] | length == 0' "$CH"
SUMMARY_ACTIVE=$(run territory 200054807 --json; jq '.establishments.active' <<<"$OUT")
SHOWN=$(jq '[.communes[] | .establishments // 0] | add' <<<"$CH")
SECRET=$(jq '[.communes[] | select(.secret)] | length' <<<"$CH")
check "the communes add up to the territory, but for the secret ones (1 or 2 each: $SECRET)" \
  python3 -c 'import sys; t, s, n = map(int, sys.argv[1:]); sys.exit(not (n <= t - s <= 2 * n))' "$SUMMARY_ACTIVE" "$SHOWN" "$SECRET"
# Industry's share by hand for Aix from the indicators of the commune itself.
AIX_SHARE=$(jq '.figures.industry.jobs_share' <<<"$IND")
check "Aix's industry share of jobs is the indicators' one" \
  python3 -c 'import sys; sys.exit(abs(float(sys.argv[1]) - float(sys.argv[2])) > 1e-9)' \
  "$(jq '.communes[] | select(.code == "13001") | .industry_jobs_share' <<<"$CH")" "$AIX_SHARE"
run territory 200054807 --communes
check "the text table says what is not shown" has "$OUT" "figures of fewer than 3 establishments are not shown (<3)"
run territory FR --communes
check "France's communes are too many for one map, said so" \
  bash -c '[[ $0 -ne 0 ]] && grep -q "more than 5000 communes" <<<"$1"' "$RC" "$ERR"

# Real (not generated) data: no generated mention anywhere.
cat >"$TMP/real.csv" <<'CSV'
siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,anneeEffectifsEtablissement,etablissementSiege,codeCommuneEtablissement,dateDebut,etatAdministratifEtablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement
CSV
python3 - "$TMP/real.csv" <<'PY'
import sys
def luhn_ok(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch) * (2 if i % 2 else 1)
        t += d - 9 if d > 9 else d
    return t % 10 == 0
rows = []
for k in range(12):
    siren = "%09d" % (900000000 + k * 10)
    while not luhn_ok(siren): siren = "%09d" % (int(siren) + 1)
    nic = 1
    while not luhn_ok(siren + "%05d" % nic): nic += 1
    naf = "25.11Z" if k % 2 else "56.10A"
    rows.append(",".join([siren, "%05d" % nic, siren + "%05d" % nic, "O", "2021-03-01", "11", "2023",
                          "true", "13001", "2021-03-01", "A", "ATELIER %d" % k, naf, "NAFRev2", "O"]))
open(sys.argv[1], "a").write("\n".join(rows) + "\n")
PY
REAL=$TMP/real.db
run --db "$REAL" init
run --db "$REAL" import sirene "$TMP/real.csv"
run --db "$REAL" territory 13001 --pdf "$TMP/real.pdf"
check "a report on real data" status_is 0
TXT=$(pdf_text "$TMP/real.pdf")
check "says nothing of generated data" bash -c '! grep -qi "GÉNÉRÉ\|GENERATED" <<<"$1"' _ "$TXT"
check "and has its figures: 12 open establishments" grep -qE "^ *Établissements ouverts +12\b" <<<"$TXT"

echo "1..$N"
