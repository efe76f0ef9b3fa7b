# t_import.sh — `maillage import` on real SIRENE rows and on hand-built
# fixtures: what is kept, what is rejected and why, positions, masking.
. "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")/../data" && pwd)
FIX=$D/fixture_etablissements_2025.csv

run init
check "init loads the reference data" status_is 0
check "init reports the communes it loaded" has "$OUT" "37014 communes"

run import sirene "$D/sample_etablissements_geo_2019.csv"
check "the real géo-SIRENE 2019 sample imports (old layout, NAP activity codes)" has "$OUT" "3 imported"
run show 00588003400011 --json
check "a real closed 1984 establishment is shown as closed" test "$(json_get .active)" = false
check "its activity is kept as published when not NAF rév. 2" test "$(json_get .activity.as_published)" = "57.10"

run import unites "$D/stock_unite_legale_echantillon_2026.csv"
check "the real StockUniteLegale 2026 sample imports" has "$OUT" "9 imported"
check "legal units are counted" test "$(sqlite3 "$MAILLAGE_DB" 'select count(*) from unite')" = 9
check "a company name is stored as published" test "$(sqlite3 "$MAILLAGE_DB" "select name from unite where siren=54501754")" = "SET - HUILLIER - SOCIETE D'ENTREPOSAGE ET DE TRANSPORTS"
check "the PME/ETI/GE category is stored" test "$(sqlite3 "$MAILLAGE_DB" "select category from unite where siren=63802466")" = GE

run import sirene "$FIX" --rejects "$TMP/rejects.csv"
check "an import with bad rows still succeeds" status_is 0
check "good rows are imported, bad rows rejected" has "$OUT" "5 imported (0 replaced), 6 rejected"
R=$(cat "$TMP/rejects.csv")
check "rejects file names line, column and reason of a bad checksum" has "$R" '",5,"siret","90000004300010","checksum (Luhn) fails"'
check "an unknown commune is rejected" has "$R" '",6,"codeCommuneEtablissement","99999","unknown commune code"'
check "an unknown NAF code is rejected" has "$R" '"99.99Y","not a NAF rév. 2 sub-class"'
check "a SIRET seen twice in one import is rejected the second time" has "$R" '",10,"siret","90000001900019","duplicate SIRET'
check "a short row is rejected with its field count" has "$R" '4 fields where the header has 54'
check "an impossible date is rejected" has "$R" '"2023-02-30","not a date YYYY-MM-DD"'
check "the summary points at the rejects file" has "$OUT" "rejected rows are listed in $TMP/rejects.csv"

run show 90000001900019 --json
check "Lambert-93 coordinates become WGS84 latitude" test "$(json_get '.position.lat*10000|round')" = 433046
check "… and longitude" test "$(json_get '.position.lon*10000|round')" = 53650
check "the position says it comes from INSEE's coordinates" test "$(json_get .position.source)" = insee_lambert
check "an arrondissement belongs to its commune, EPCI, département and région" \
  test "$(json_get '[.territory[].code]|join(",")')" = "13202,13055,200054807,13,93"
check "street type codes are spelled out" test "$(json_get .address.street)" = "12 QUAI DU LAZARET"

run show 90000002700012 --json
check "without coordinates the commune centre is used" test "$(json_get .position.source)" = commune_centre
check "… and flagged approximate" test "$(json_get .position.approximate)" = true

run show 90000005000014 --json
check "La Réunion's UTM 40S coordinates are converted" test "$(json_get '.position.lat*10000|round')" = -208789

run show 90000003500015
check "an establishment with diffusion status P is never shown" status_is 1
check "… and the message says why" has "$ERR" "restricted diffusion (statut P)"
check "status P rows keep no address in the database" \
  test "$(sqlite3 "$MAILLAGE_DB" "select coalesce(address,'')||coalesce(sign,'')||coalesce(lat,'') from etab where siret=90000003500015")" = ""

[[ $ENGINE == pg ]] || cp "$MAILLAGE_DB" "$TMP/before.db"
run import sirene "$FIX" --rejects "$TMP/rejects2.csv"
check "re-importing the same file replaces rows instead of adding" has "$OUT" "5 imported (5 replaced)"
# Everything but the import run number.
dump() { sqlite3 "$1" "select siret, siren, diffusion, state, created, size_band, size_year, head_office, sign,
  usual_name, address, postcode, city, commune, naf, naf_raw, naf25, employer, lat, lon, geo, generated
  from etab order by siret; select rowid, * from etab_fts order by rowid;"; }
skip_on_pg "re-importing the same file gives the same database" "compares with an SQLite backup of the file and its FTS5 index" ||
check "re-importing the same file gives the same database" test "$(dump "$MAILLAGE_DB")" = "$(dump "$TMP/before.db")"

gzip -c "$FIX" >"$TMP/fix.csv.gz"
run --db "$TMP/gz.db" init
run --db "$TMP/gz.db" import sirene "$TMP/fix.csv.gz" --rejects "$TMP/r3.csv"
check "a .csv.gz stock file imports like the plain one" has "$OUT" "5 imported (0 replaced), 6 rejected"
(cd "$TMP" && cp "$FIX" StockEtablissement_utf8.csv && rm -f s.zip && python3 -c "import zipfile;z=zipfile.ZipFile('s.zip','w',zipfile.ZIP_DEFLATED);z.write('StockEtablissement_utf8.csv');z.close()" 2>/dev/null || zip -q s.zip StockEtablissement_utf8.csv)
run --db "$TMP/zip.db" init
run --db "$TMP/zip.db" import sirene "$TMP/s.zip" --rejects "$TMP/r4.csv"
check "a .zip as INSEE publishes it imports too" has "$OUT" "5 imported (0 replaced), 6 rejected"

run --db "$TMP/new.db" import sirene "$FIX"
check "importing into a database that was never initialised says what to do" has "$ERR" "maillage init"
