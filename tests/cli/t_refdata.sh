# t_refdata.sh — the inter-industry table by NAF class is what its script makes
# from the shipped files, and docs/methods.md's worked example (a bakery and its
# flour mills) says the same numbers as the script and the table; the former
# domestic-use variant can still be rebuilt.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
table=data/io/naf_class_io_2018.csv
OUT=$(python3 tools/refdata/io_naf.py --out "$TMP/rebuilt.csv" 2>&1); RC=$?
check "tools/refdata/io_naf.py runs on the shipped files" status_is 0
check "… on total intermediate uses (domestic + imported) by default" has "$OUT" "(total intermediate uses)"
check "… and rebuilds data/io/naf_class_io_2018.csv byte for byte" cmp -s "$TMP/rebuilt.csv" "$table"
OUT=$(python3 tools/refdata/io_naf.py --explain 10.61 10.71 2>&1); RC=$?
check "the worked example is printed step by step" has "$OUT" "6. share = "
share=$(sed -n 's/^6\. share = .* = \([0-9.]*\)$/\1/p' <<<"$OUT")
check "… its share is the table's (10.61 -> 10.71)" test "$(awk -F, '$1=="10.61" && $2=="10.71" {print $4}' "$table")" = "$share"
doc=$(cat docs/methods.md)
for n in "33,636 M€" "116,874 M€" "165,618.9 M\$" "3,698.3 M\$" "751.1 M€" "8,852.8 M€"; do
  plain=${n//,/}; plain=${plain% M*}
  check "docs/methods.md quotes the script's $n" bash -c "grep -qF -- '$n' <<<\"\$1\" && grep -qF -- '$plain' <<<\"\$2\"" _ "$doc" "$OUT"
done
check "… and the share, to two decimals of a percent" has "$doc" "$(awk -v s="$share" 'BEGIN{printf "%.2f %%", s*100}')"
check "… as shipped" has "$doc" "10.61,10.71,$share"
# The domestic variant (INSEE's domestic table of 2019, WIOD's domestic part):
# the table maillage shipped before, whose bakery share methods.md also quotes.
OUT=$(python3 tools/refdata/io_naf.py --use domestic --out "$TMP/domestic.csv" 2>&1); RC=$?
check "--use domestic builds the domestic-use variant" status_is 0
dshare=$(awk -F, '$1=="10.61" && $2=="10.71" {print $4}' "$TMP/domestic.csv")
check "… whose bakery share methods.md quotes ($dshare)" has "$doc" "$(awk -v s="$dshare" 'BEGIN{printf "%.2f %%", s*100}') of its domestic"
OUT=$(python3 tools/refdata/io_naf.py --use domestic 2>&1); RC=$?
check "… and never overwrites the shipped table (it needs --out)" status_is 1
