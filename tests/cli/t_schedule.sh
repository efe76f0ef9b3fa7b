# t_schedule.sh — `maillage schedule`: one-to-one meetings from a
# participants file and a requests file; what it prints, --json, --out,
# every bad input answered with file:line and why, locked meetings kept on a
# re-run, a cancellation that moves nobody else. No database is needed.
. "$(dirname "$0")/lib.sh"
EX="$(dirname "$0")/../../docs/examples/schedule"
P="$EX/participants.csv" R="$EX/requests.csv"

run schedule --participants "$P" --requests "$R" --slots 6 --tables 2 --out "$TMP/s.csv"
check "the example convention is scheduled" status_is 0
check "it prints the meetings and their weight" has "$OUT" "9 meetings of 12 requests, total weight 18"
check "two-sided with shared slots: proven optimal" has "$OUT" "upper bound 18: proven optimal"
check "it says the schedule was checked" has "$OUT" "checked: every constraint holds"
check "the schedule file has its header" test "$(head -1 "$TMP/s.csv")" = "slot,table,a,b"
check "one line per meeting" test "$(tail -n +2 "$TMP/s.csv" | wc -l)" -eq 9
cp "$TMP/s.csv" "$TMP/first.csv"

run schedule --participants "$P" --requests "$R" --slots 6 --tables 2 --json
check "--json gives meetings, weight, upper_bound, optimal" \
  test "$(json_get '[.meetings, .weight, .upper_bound, .optimal, .method] | join(" ")')" = "9 18 18 true exact"
check "--json says the check passed and counts idle gaps" \
  test "$(json_get '.check + " " + (.idle_gaps | type)')" = "passed number"

# The file obeys the rules: nobody twice in a slot, no table twice, ≤ 2 per slot.
check "nobody is in two meetings of one slot" \
  test -z "$(tail -n +2 "$TMP/first.csv" | awk -F, '{ print $1","$3; print $1","$4 }' | sort | uniq -d)"
check "no table is used twice in a slot" \
  test -z "$(tail -n +2 "$TMP/first.csv" | cut -d, -f1,2 | sort | uniq -d)"
check "max_meetings holds (seller-5 meets at most once)" test "$(grep -c 'seller-5' "$TMP/first.csv")" -le 1

run schedule --participants "$P" --requests "$R" --slots 6 --tables 2 --out "$TMP/again.csv"
check "the same input gives the same schedule" cmp -s "$TMP/first.csv" "$TMP/again.csv"

# Availability windows: a heuristic, with an upper bound beside it.
run schedule --participants "$EX/participants-windows.csv" --requests "$R" --slots 6 --tables 2 --json
check "windows: scheduled by the heuristic" test "$(json_get .method)" = heuristic
check "windows: the weight is at most the bound" test "$(json_get '.weight <= .upper_bound')" = true
check "windows: a request whose two sides share no slot is counted" test "$(json_get .unplaceable_requests)" = 1
run schedule --participants "$EX/participants-windows.csv" --requests "$R" --slots 6 --tables 2
check "…and named by its line in the text output" has "$OUT" "requests.csv:3)"

# An open event, with a pair asked twice.
run schedule --participants "$EX/participants-open.csv" --requests "$EX/requests-open.csv" --slots 6 --tables 2 --json
check "an open event is scheduled" test "$(json_get '.two_sided')" = false
check "a pair asked twice is merged into one request" test "$(json_get '.merged_requests')" = 1
check "the open example reaches its bound" test "$(json_get '.optimal')" = true

# Bad inputs: one clear message naming file:line and why, nothing written.
printf 'id,side\nx,A\ny,B\nz,B\n' >"$TMP/p.csv"
bad() { # bad DESC EXPECTED-TEXT REQUESTS-CONTENT [PARTICIPANTS-CONTENT]
  local desc=$1 want=$2
  printf '%b' "$3" >"$TMP/r.csv"
  local pf="$TMP/p.csv"
  if [[ $# -ge 4 ]]; then printf '%b' "$4" >"$TMP/p2.csv"; pf="$TMP/p2.csv"; fi
  rm -f "$TMP/out.csv"
  run schedule --participants "$pf" --requests "$TMP/r.csv" --slots 4 --tables 2 --out "$TMP/out.csv"
  check "$desc" has "$ERR" "$want"
  check "$desc: exit status 1, nothing written" eval '[[ $RC -eq 1 && ! -e $TMP/out.csv ]]'
}
bad "an unknown participant" "r.csv:3: unknown participant 'w' in column b" 'a,b\nx,y\nx,w\n'
bad "a request between two sellers of a two-sided event" \
  "r.csv:2: 'y' and 'z' are both on side B: a two-sided event schedules meetings between side A and side B only" 'a,b\ny,z\n'
bad "a request of someone with themself" "r.csv:2: a request of 'x' with themself" 'a,b\nx,x\n'
bad "a weight of zero" "r.csv:2: weight '0' (expected a whole number from 1 to 1000000" 'a,b,weight\nx,y,0\n'
bad "a decimal weight" "weight '1.5'" 'a,b,weight\nx,y,1.5\n'
bad "a priority that is neither must nor wish" "r.csv:2: priority 'urgent' (expected must, wish" \
  'a,b,weight,priority\nx,y,1,urgent\n'
bad "more must-meet requests than slots" \
  "r.csv:4: 'x' has more must-meet requests (3 so far) than meetings they can have (2: slots available)" \
  'a,b,priority\nx,y,must\nx,z,must\nx,w,must\n' 'id,side,slots\nx,A,1-2\ny,B,\nz,B,\nw,B,\n'
bad "more must-meet requests than max_meetings" \
  "r.csv:3: 'x' has more must-meet requests (2 so far) than meetings they can have (1: max_meetings)" \
  'a,b,priority\nx,y,must\nz,x,MUST\n' 'id,side,max_meetings\nx,A,1\ny,B,\nz,B,\n'
bad "a must-meet request between two who share no slot" \
  "r.csv:2: a must-meet request between 'x' and 'y', who share no available slot" \
  'a,b,priority\nx,y,must\n' 'id,side,slots\nx,A,1\ny,B,2-4\n'
bad "a header without a or b" "r.csv:1: the header needs columns 'a' and 'b'" 'from,to\nx,y\n'
bad "a duplicate participant id" "p2.csv:3: duplicate id 'x' (first on line 2)" 'a,b\n' 'id\nx\nx\n'
bad "an impossible availability: a slot beyond --slots" "p2.csv:2: slot 9 outside 1..4 (--slots 4)" \
  'a,b\n' 'id,slots\nx,1-9\ny,\n'
bad "an availability range that runs backwards" "p2.csv:2: slot range 3-1 runs backwards" 'a,b\n' 'id,slots\nx,3-1\n'
bad "a slot list that is not one" "p2.csv:2: bad slot list '1;2'" 'a,b\n' 'id,slots\nx,1;2\n'
bad "a side that is neither A nor B" "p2.csv:2: side 'C'" 'a,b\n' 'id,side\nx,C\n'
bad "sides given to some participants only" "p2.csv:3: participant without a side, but line 2 has one" \
  'a,b\n' 'id,side\nx,A\ny,\n'
bad "a max_meetings that is not a whole number" "p2.csv:2: max_meetings '-1'" 'a,b\n' 'id,max_meetings\nx,-1\n'
bad "a participants file without an id column" "p2.csv:1: no column 'id'" 'a,b\n' 'name\nx\n'

run schedule --participants "$TMP/missing.csv" --requests "$R" --slots 4 --tables 2
check "a missing file is named" eval '[[ $RC -eq 1 && $ERR == *missing.csv* ]]'
run schedule --participants "$P" --requests "$R" --slots 0 --tables 2
check "--slots 0 is a usage error" status_is 2
run schedule --participants "$P" --requests "$R" --slots 65 --tables 2
check "--slots above 64 is a usage error" status_is 2
run schedule --participants "$P" --requests "$R" --slots 6
check "--tables is required" eval '[[ $RC -eq 2 && $ERR == *"--tables"* ]]'

# Priorities: every must-meet request before any wish.
printf 'a,b,weight,priority\nbuyer-hospital,seller-3,1,must\nbuyer-commune,seller-1,1,must\nbuyer-dept,seller-4,,must\n' >"$TMP/musts.csv"
tail -n +2 "$R" | sed 's/$/,wish/' >>"$TMP/musts.csv"
run schedule --participants "$P" --requests "$TMP/musts.csv" --slots 6 --tables 2 --out "$TMP/m.csv" --json
check "with must-meet requests: every must is met" \
  test "$(json_get '[.musts.requested, .musts.met, .musts.upper_bound] | join(" ")')" = "3 3 3"
check "…and the schedule is still proven optimal (musts first, then weight)" \
  test "$(json_get '[.optimal, .method] | join(" ")')" = "true exact"
check "the three musts are in the file" \
  test "$(grep -cE '"buyer-hospital","seller-3"|"buyer-commune","seller-1"|"buyer-dept","seller-4"' "$TMP/m.csv")" -eq 3
run schedule --participants "$P" --requests "$TMP/musts.csv" --slots 6 --tables 2
check "the text output counts the musts met" has "$OUT" "must-meet requests: 3 met of 3 (at most 3 can be)"

# Locked meetings are kept on a re-run, and checked first.
printf 'slot,table,a,b\n6,2,buyer-dept,seller-4\n1,1,buyer-hospital,seller-1\n' >"$TMP/locked.csv"
run schedule --participants "$P" --requests "$R" --slots 6 --tables 2 --locked "$TMP/locked.csv" --out "$TMP/l.csv" --json
check "a schedule with locked meetings is made" status_is 0
check "the locked meetings are in it at their slot and table" \
  eval 'grep -qx "6,2,\"buyer-dept\",\"seller-4\"" "$TMP/l.csv" && grep -qx "1,1,\"buyer-hospital\",\"seller-1\"" "$TMP/l.csv"'
check "locking may cost weight, never passes the bound" test "$(json_get '.weight <= .upper_bound')" = true
printf 'slot,table,a,b\n1,1,buyer-dept,seller-4\n1,2,buyer-dept,seller-3\n' >"$TMP/clash.csv"
run schedule --participants "$P" --requests "$R" --slots 6 --tables 2 --locked "$TMP/clash.csv"
check "locked meetings that put someone in two places are refused" \
  has "$ERR" "the locked meetings cannot all be kept: buyer-dept is in two meetings in slot 1"
check "…with exit status 1" status_is 1
printf 'slot,table,a,b\n1,1,buyer-dept,seller-5\n' >"$TMP/norequest.csv"
run schedule --participants "$P" --requests "$R" --slots 6 --tables 2 --locked "$TMP/norequest.csv"
check "a locked meeting nobody asked for is refused" \
  has "$ERR" "norequest.csv:2: 'buyer-dept' and 'seller-5' have no request in the requests file"

# A participant cancels: their meetings go, the others stay where they were.
run schedule --participants "$P" --requests "$R" --slots 6 --tables 2 --previous "$TMP/first.csv" \
  --cancel seller-1 --out "$TMP/c.csv" --json
check "a cancellation is scheduled" status_is 0
removed=$(grep -c 'seller-1' "$TMP/first.csv")
check "the cancelled participant's meetings are removed" \
  eval '[[ $(json_get .cancelled.meetings) -eq $removed ]] && ! grep -q seller-1 "$TMP/c.csv"'
check "every other meeting is kept in place, none moved" \
  test "$(json_get '[.previous.kept, .previous.moved, .previous.dropped] | join(" ")')" = "$(($(tail -n +2 "$TMP/first.csv" | wc -l) - removed)) 0 0"
check "the kept meetings are the previous ones, line for line" \
  test -z "$(grep -v seller-1 "$TMP/first.csv" | grep -vxFf "$TMP/c.csv")"
run schedule --participants "$P" --requests "$R" --slots 6 --tables 2 --previous "$TMP/first.csv" --cancel nobody
check "cancelling an unknown participant is refused" has "$ERR" "--cancel: no participant 'nobody'"
run schedule --participants "$P" --requests "$R" --slots 6 --tables 2 --cancel seller-1
check "--cancel without --previous is a usage error" status_is 2

# A hostile id is data: written as text a spreadsheet will not run, read back.
printf 'id,side\n=cmd|x,A\nplain,B\n' >"$TMP/ph.csv"
printf 'a,b\n=cmd|x,plain\n' >"$TMP/rh.csv"
run schedule --participants "$TMP/ph.csv" --requests "$TMP/rh.csv" --slots 2 --tables 1 --out "$TMP/h.csv"
check "an id that looks like a formula is neutralised in the file" has "$(cat "$TMP/h.csv")" "\"'=cmd|x\""
run schedule --participants "$TMP/ph.csv" --requests "$TMP/rh.csv" --slots 2 --tables 1 --previous "$TMP/h.csv" --json
check "…and the file reads back as a previous schedule" test "$(json_get .previous.kept)" = 1

run schedule --help
check "the help names the files' columns" has "$OUT" "id,side,slots,max_meetings"
echo "1..$N"
