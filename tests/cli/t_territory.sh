# t_territory.sh — territory diagnostics: the worked example of docs/methods.md
# ("Territory indicators") on a hand-built stock, recomputed here by hand; the
# invariants on a generated département (the quotients of the base are 1,
# shares add up to 1, no figure of fewer than 3 establishments, none to be
# had by subtraction); perimeters (define, list, indicators, delete, refusals)
# and the shipped Territoires d'industrie.
. "$(dirname "$0")/lib.sh"

run init
check "init" status_is 0

# The worked example: Aix-en-Provence (13001) holds 3 restaurants (56.10A,
# 1-2 employees) and 4 metal-structure makers (25.11Z, 10-19); Marseille 1er
# (13201) 6 restaurants (3-5) and 3 metal-structure makers (0 employees);
# 3 closed restaurants in Aix, closed on 2024-06-01.
python3 - "$TMP/example.csv" <<'PY'
import csv, sys
cols = ["siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement",
        "trancheEffectifsEtablissement", "anneeEffectifsEtablissement", "etablissementSiege",
        "codeCommuneEtablissement", "dateDebut", "etatAdministratifEtablissement",
        "denominationUsuelleEtablissement", "activitePrincipaleEtablissement",
        "nomenclatureActivitePrincipaleEtablissement", "caractereEmployeurEtablissement"]
def luhn_ok(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch) * (2 if i % 2 else 1)
        t += d - 9 if d > 9 else d
    return t % 10 == 0
rows, k = [], 0
def add(commune, naf, band, n, state="A", since="2020-01-15"):
    global k
    for _ in range(n):
        k += 1
        siren = "%09d" % (800000000 + k * 10)
        while not luhn_ok(siren):
            siren = "%09d" % (int(siren) + 1)
        nic = 1
        while not luhn_ok(siren + "%05d" % nic):
            nic += 1
        rows.append([siren, "%05d" % nic, siren + "%05d" % nic, "O", "2020-01-15", band, "2023",
                     "true", commune, since, state, "EXEMPLE %d" % k, naf, "NAFRev2",
                     "O" if band not in ("00", "NN") else "N"])
add("13001", "56.10A", "01", 3)
add("13001", "25.11Z", "11", 4)
add("13201", "56.10A", "02", 6)
add("13201", "25.11Z", "00", 3)
add("13001", "56.10A", "NN", 3, state="F", since="2024-06-01")
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(cols)
    w.writerows(rows)
PY
run import sirene "$TMP/example.csv"
check "the worked example's stock imports" status_is 0
run territory 13001 --indicators --base 200054807 --level class --json
check "indicators of Aix against the metropolis" status_is 0
# By hand (docs/methods.md): jobs from the size bands' midpoints:
# Aix restaurants 3 x 1.5 = 4.5, metal 4 x 15 = 60, total 64.5; the base adds
# Marseille's 6 x 4 = 24 and 3 x 0.5 = 1.5: restaurants 28.5, metal 61.5, 90.
near() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(a - b) > 1e-9 * max(1, abs(b)))" "$1" "$2"; }
check "Aix's estimated jobs are 64.5, rounded to 65" test "$(json_get '.figures.jobs_estimated')" = 65
check "the restaurants' quotient is (4.5/64.5)/(28.5/90) = 0.2203" \
  near "$(json_get '.activities[] | select(.code == "56.10") | .lq')" "$(python3 -c 'print((4.5/64.5)/(28.5/90))')"
check "the metal makers' quotient is (60/64.5)/(61.5/90) = 1.3613" \
  near "$(json_get '.activities[] | select(.code == "25.11") | .lq')" "$(python3 -c 'print((60/64.5)/(61.5/90))')"
check "metal structures are a specialisation (quotient 1.25 or more), restaurants are not" \
  test "$(json_get '[.specialisations[].code] | join(",")')" = "25.11"
check "the concentration (HHI) is (4.5/64.5)^2 + (60/64.5)^2" \
  near "$(json_get '.figures.hhi')" "$(python3 -c 'print((4.5/64.5)**2 + (60/64.5)**2)')"
check "industry: 4 of 7 establishments, 60 of 64.5 jobs" \
  test "$(json_get '.figures.industry | "\(.establishments) \(.jobs)"')" = "4 60"
check "the base asked is used though the database does not cover it, and says so" \
  test "$(json_get '.base.code, (.bases_tried[0].covered|tostring)' | tr '\n' ' ')" = "200054807 false "
check "with 4 employers, the largest employers' shares are not given (10 needed)" \
  test "$(json_get '.figures.largest.top5_jobs_share')" = null
check "3 closures in 2024 (dateDebut of the closed ones), 10 creations in 2020" \
  test "$(json_get '.years.by_year[] | select(.year == 2024) | .closed')/$(json_get '.years.by_year[] | select(.year == 2020) | .created')" = "3/10"
run territory 13001 --indicators --base 200054807 --level class --by-establishments --json
check "by establishments the metal makers' quotient is (4/7)/(7/16)" \
  near "$(json_get '.activities[] | select(.code == "25.11") | .lq')" "$(python3 -c 'print((4/7)/(7/16))')"
run territory 13001 --indicators --json
check "without --base, no base is taken that the database does not cover" test "$(json_get '.base')" = null
check "... and every one tried is listed with its coverage" \
  test "$(json_get '[.bases_tried[].code] | join(",")')" = "FR,93,13,200054807"
run territory 13001 --indicators
check "the text says there is no base and why" has "$OUT" "no base: the database covers no wider territory"

# Invariants on a generated département, which covers itself and its EPCI.
run demo --territory 13 --size 20000 --seed 5 --out "$TMP/d13"
check "a generated département 13" status_is 0
GEN=$TMP/gen.db
run --db "$GEN" init
run --db "$GEN" import sirene "$TMP/d13/StockEtablissement_utf8.csv"
check "imports" status_is 0
run --db "$GEN" territory 13 --indicators --base 13 --level A10 --json
check "every quotient of a territory against itself is 1" \
  python3 -c 'import json,sys; a=json.load(sys.stdin)["activities"]; sys.exit(not a or any(abs(x["lq"]-1) > 1e-9 for x in a))' <<<"$OUT"
check "the shares of its activities add up to 1" \
  python3 -c 'import json,sys; a=json.load(sys.stdin); sys.exit(abs(sum(x["share"] for x in a["activities"]) - 1) > 1e-9 or "activities_hidden" in a)' <<<"$OUT"
run --db "$GEN" territory 200054807 --indicators --json
check "the metropolis is compared with the département, which the database covers" \
  test "$(json_get '.base.code')" = 13
check "... after France and the région, which it does not" \
  test "$(json_get '[.bases_tried[] | "\(.code):\(.covered)"] | join(",")')" = "FR:false,93:false,13:true"
secrecy_ok() {
  python3 - <<'PY' "$OUT"
import json, sys
o = json.loads(sys.argv[1])
bad = [a["code"] for a in o["activities"] + o["specialisations"] if a["establishments"] < 3]
bad += [a["code"] for a in o["activities"] if a["establishments"] < 3 and a["jobs"] is not None]
cats = o["company_categories"]
shown = [c["count"] for c in cats]
bad += ["category %s" % c["code"] for c in cats if c["count"] < 3]
# Subtraction: the categories shown add up to the establishments.
if sum(shown) != o["figures"]["establishments"]: bad.append("categories do not add up")
for y in o["years"]["by_year"]:
    for k in ("created", "closed"):
        if y[k] is not None and 0 < y[k] < 3: bad.append("%s %s" % (y["year"], k))
sys.exit(1 if bad else 0)
PY
}
run --db "$GEN" territory 13001 --indicators --level subclass --json
check "no activity, category or year of fewer than 3 establishments at the finest level" secrecy_ok
check "sub-classes are labelled by the NAF (in French)" \
  test "$(json_get '[.activities[] | select(.label_fr == null)] | length')" = 0

# Perimeters.
printf 'code\n13056\n13047\n200054807\n' >"$TMP/p.csv"
run --db "$GEN" territory define "Étang de Berre" "$TMP/p.csv" --json
check "a perimeter from commune codes and an EPCI" status_is 0
check "its code comes from its name, its communes from the EPCI" \
  test "$(json_get '.territory.code, .territory.communes' | tr '\n' ' ')" = "p-etang-de-berre 92 "
printf '13056\n13999\nabc\n' >"$TMP/bad.csv"
run --db "$GEN" territory define "Mauvais" "$TMP/bad.csv"
check "a file with unknown codes is refused as a whole, naming the lines" \
  bash -c '[[ $0 -ne 0 ]] && grep -q "line 2: .13999." <<<"$1" && grep -q "line 3: .abc." <<<"$1" && grep -q "nothing was saved" <<<"$1"' "$RC" "$ERR"
run --db "$GEN" territory list
check "the list has the perimeter and the 332 Territoires d'industrie" \
  test "$(grep -c . <<<"$OUT")" = 333
check "ti-9301 is Aix-Marseille-Provence with its 92 communes" \
  grep -qE '^ti-9301 +ti2023 +92 communes +Aix-Marseille-Provence$' <<<"$OUT"
run --db "$GEN" territory ti-9301 --json
check "a Territoire d'industrie's summary counts the metropolis's establishments" \
  test "$(json_get '.establishments.active')" = "$("$BIN" --db "$GEN" territory 200054807 --json | jq '.establishments.active')"
run --db "$GEN" territory delete ti-9301
check "a Territoire d'industrie cannot be deleted" bash -c '[[ $0 -ne 0 ]] && grep -q "reference data" <<<"$1"' "$RC" "$ERR"
run --db "$GEN" territory delete p-etang-de-berre
check "a perimeter of one's own can" status_is 0
run --db "$GEN" territory p-etang-de-berre
check "and is gone" bash -c '[[ $0 -ne 0 ]] && grep -q "no perimeter" <<<"$1"' "$RC" "$ERR"
run --db "$GEN" territory 13 --indicators --level A99
check "an unknown level is refused with the list" bash -c '[[ $0 -eq 2 ]] && grep -q "A10" <<<"$1"' "$RC" "$ERR"

# Rankings.
run --db "$GEN" rank "$MAILLAGE_DATA/examples/rank_territoires_industrie.csv" --among 13 --json
check "the shipped Territoires d'industrie-style criteria rank the 4 EPCI of the Bouches-du-Rhône" \
  test "$(json_get '.territories | length')" = 4
check "each score is the sum of its criteria's contributions, weights shared out to 1" \
  python3 -c '
import json, sys
o = json.load(sys.stdin)
assert abs(sum(c["share"] for c in o["criteria"]) - 1) < 1e-12
for t in o["territories"]:
    assert abs(sum(v["contribution"] for v in t["values"]) - t["score"]) < 1e-9
    for v in t["values"]: assert 0 <= v["normalised"] <= 1
scores = [t["score"] for t in o["territories"]]
assert scores == sorted(scores, reverse=True)' <<<"$OUT"
check "with minmax, the best value of each criterion is normalised to 1" \
  python3 -c '
import json, sys
o = json.load(sys.stdin)
for k in range(len(o["criteria"])):
    best = max(t["values"][k]["value"] for t in o["territories"])
    assert any(t["values"][k]["value"] == best and t["values"][k]["normalised"] == 1 for t in o["territories"])' <<<"$OUT"
check "the metropolis belongs to the Territoire d'industrie ti-9301" \
  test "$(json_get '.territories[] | select(.territory.code == "200054807") | .territoires_industrie | join(",")')" = ti-9301
SCORES=$(json_get '[.territories[] | "\(.territory.code)=\(.score)"] | join(" ")')
sed 's/,3,/,30,/; s/,2,/,20,/; s/,1,/,10,/' "$MAILLAGE_DATA/examples/rank_territoires_industrie.csv" >"$TMP/x10.csv"
run --db "$GEN" rank "$TMP/x10.csv" --among 13 --json
check "weights multiplied by 10 give the same scores" \
  test "$(json_get '[.territories[] | "\(.territory.code)=\(.score)"] | join(" ")')" = "$SCORES"
printf 'indicator,weight\nindustry_jobs_share,2\ngrowth,1\n' >"$TMP/badcrit.csv"
run --db "$GEN" rank "$TMP/badcrit.csv" --among 13
check "an unknown indicator is refused, naming its line and the known ones" \
  bash -c '[[ $0 -ne 0 ]] && grep -q "line 3: unknown indicator .growth." <<<"$1" && grep -q "net_creation_rate" <<<"$1"' "$RC" "$ERR"
run --db "$GEN" rank "$MAILLAGE_DATA/examples/rank_territoires_industrie.csv" --among reg:93
check "ranking a région's EPCI says how many the database holds establishments for" \
  has "$OUT" "only 4 of the 52 territories have establishments in the database"

# Opportunities and leaders.
run --db "$GEN" territory 13001 --opportunities --json
check "opportunities of Aix-en-Provence among the département's communes" \
  test "$(json_get '.compared_with | "\(.locations) \(.count > 50)"')" = "communes true"
check "each one is a class it is not specialised in, 3 places at least are, by decreasing density" \
  python3 -c '
import json, sys
o = json.load(sys.stdin)["opportunities"]
assert o, "no opportunity"
assert all(x["rca"] < 1 and x["ubiquity"] >= 3 for x in o)
d = [x["density"] for x in o]
assert d == sorted(d, reverse=True)
for x in o:
    for r in x["related"]:
        assert r["rca"] >= 1, r
        assert len(r["firms"]) <= 3' <<<"$OUT"
check "the firms named are public establishments of Aix (never a P one)" \
  python3 -c '
import json, sqlite3, sys
o = json.load(sys.stdin)
db = sqlite3.connect(sys.argv[1])
sirets = {f["siret"] for x in o["opportunities"] for r in x["related"] for f in r["firms"]}
assert sirets
for s in sirets:
    d, c, st = db.execute("select diffusion, commune, state from etab where siret = ?", (int(s),)).fetchone()
    assert d == "O" and c == "13001" and st == "A", (s, d, c, st)' "$GEN" <<<"$OUT"
run --db "$GEN" territory 13 --opportunities
check "a département gets no opportunities: the places compared are communes or EPCI" \
  bash -c '[[ $0 -ne 0 ]] && grep -q "commune or an EPCI" <<<"$1"' "$RC" "$ERR"
