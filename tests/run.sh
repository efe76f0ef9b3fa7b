#!/usr/bin/env bash
# run.sh BUILD_DIR — runs the whole suite: unit tests (cmocka, TAP output),
# black-box CLI tests on the real binary, the lint of the web code, API and
# browser tests, and the fuzzers briefly (FUZZ_SECONDS in all, default 45). Every file
# speaks TAP ("ok N - what", "not ok N - what"); a file that crashes or exits
# non-zero without a "not ok" counts as one failure. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
export MAILLAGE_BIN="$PWD/$BUILD/maillage"
export MAILLAGE_DATA="$PWD/data"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
LOGDIR="$BUILD/test-logs"
rm -rf "$LOGDIR"; mkdir -p "$LOGDIR"
passed=0 failed=0

# run_bg NAME COMMAND... — runs one file into its log; its status and
# seconds go to NAME's .res file (report prints them).
run_bg() {
  local name=$1; shift
  local log="$LOGDIR/${name//\//_}.log" t0=$SECONDS
  "$@" >"$log" 2>&1
  echo "$? $((SECONDS - t0))" >"${log%.log}.res"
}

# report NAME — the line of a file run_bg ran, its counts added to the total.
report() {
  local name=$1
  local log="$LOGDIR/${name//\//_}.log" rc=1 secs=0
  read -r rc secs <"${log%.log}.res" || true
  local p f
  p=$(grep -cE '^ok ' "$log")
  f=$(grep -E '^not ok ' "$log" | grep -vc '# TODO')
  if (( rc != 0 && f == 0 )); then f=1; echo "  $name exited with status $rc"; fi
  passed=$((passed + p)); failed=$((failed + f))
  printf '%-28s %4d passed %4d failed %5d s\n' "$name" "$p" "$f" "$secs"
  if (( f > 0 )); then grep -E '^not ok |ERROR|Sanitizer|runtime error' "$log" | head -20 | sed 's/^/    /'; fi
}

run_one() { # name command...
  run_bg "$@"
  report "$1"
}

# run_pool NAME=COMMAND... — files that share nothing (each its own folder,
# database and free ports) run JOBS at a time (TEST_JOBS, default the
# machine's cores); their lines come in the given order once all have run.
# Each entry is "name<TAB>command words".
JOBS=${TEST_JOBS:-$(nproc)}
run_pool() {
  local names=() entry name
  for entry in "$@"; do
    name=${entry%%$'\t'*}
    names+=("$name")
    while (( $(jobs -rp | wc -l) >= JOBS )); do wait -n; done
    # shellcheck disable=SC2086 # the command's words are split (not globbed) on purpose
    (set -f; run_bg "$name" ${entry#*$'\t'}) &
  done
  wait
  for name in "${names[@]}"; do report "$name"; done
}

# The layers of docs/architecture.md (make check-layers), one TAP line.
run_one "layers" bash -c 'out=$(tools/check-layers.sh); rc=$?; sed "s/^/# /" <<<"$out"
  if ((rc == 0)); then echo "ok 1 - layers"; else echo "not ok 1 - layers"; fi'
for t in "$BUILD"/tests/test_*; do
  [[ -x $t ]] && run_one "unit/$(basename "$t")" "$t"
done
# The CLI files, the lint of the browser code and the API tests against the
# real server, in a pool (the longest first); then the browser tests in
# Chromium one at a time (node's runner, TAP).
pool=()
for t in tests/cli/t_pg.sh tests/cli/t_*.sh; do
  [[ $t == tests/cli/t_pg.sh && ${#pool[@]} -gt 0 ]] && continue
  pool+=("cli/$(basename "$t" .sh)"$'\t'"bash $t")
done
for t in tests/web/*.test.mjs tests/api/*.test.mjs; do
  [[ -f $t ]] && pool+=("$(basename "$(dirname "$t")")/$(basename "$t" .test.mjs)"$'\t'"node --test --test-reporter=tap $t")
done
run_pool "${pool[@]}"
for t in tests/browser/*.test.mjs; do
  [[ -f $t ]] || continue
  run_one "browser/$(basename "$t" .test.mjs)" node --test --test-reporter=tap "$t"
done
# The PostgreSQL pass: the CLI and API files that exercise the store run a
# second time against a throwaway cluster (tests/pg/cluster.sh), each file on
# a fresh database of its own (MAILLAGE_TEST_ENGINE=pg; tests/cli/lib.sh and
# tests/api/support.mjs create it). Checks about SQLite files say # SKIP there.
# It adds about 3½ minutes to `make test`. Left out, to keep it so:
# t_errors.sh and t_hostile.sh (options' and files' errors, mostly before
# any database is read), t_demo.sh (the demo reads only the reference data,
# which t_pg.sh compares between engines) — PG_PASS_ALL=1 runs them too, and
# they pass; t_pg.sh and t_pg_shared.sh (they compare and share the engines
# themselves); tests/api/roles.test.mjs (every route with every role: the
# roles are checked above the store, and it takes 100 s); tests/web (a lint)
# and tests/browser (pages in Chromium, with nothing below them but the API
# the pass covers). The domains' own CLI files run both engines themselves
# (t_*_pg.sh). SKIP_PG=1 skips the pass.
PG_PASS=(tests/cli/t_search.sh tests/cli/t_trades.sh tests/cli/t_match.sh tests/cli/t_import.sh
  tests/cli/t_update.sh tests/cli/t_refdata.sh
  tests/api/search.test.mjs tests/api/api.test.mjs tests/api/privacy.test.mjs
  tests/api/routes.test.mjs tests/api/map.test.mjs tests/api/security.test.mjs
  tests/api/abuse.test.mjs tests/api/live_import.test.mjs
  tests/api/accounts.test.mjs tests/api/history.test.mjs tests/api/report.test.mjs
  tests/api/needs.test.mjs tests/api/event.test.mjs tests/api/programme.test.mjs
  tests/api/campaign.test.mjs tests/api/committee.test.mjs
  tests/api/impact.test.mjs)
[[ ${PG_PASS_ALL:-0} == 1 ]] && PG_PASS+=(tests/cli/t_demo.sh tests/cli/t_errors.sh tests/cli/t_hostile.sh)
if [[ ${SKIP_PG:-0} != 1 ]]; then
  . tests/pg/cluster.sh
  trap pg_cluster_stop EXIT
  pg_cluster_start
  case $? in
    0)
      # (Each file on a database of its own: they run in a pool too.)
      pool=()
      for t in "${PG_PASS[@]}"; do
        case $t in
          *.sh) pool+=("pg/cli/$(basename "$t" .sh)"$'\t'"env MAILLAGE_TEST_ENGINE=pg MAILLAGE_PG_URL=$PG_URL bash $t") ;;
          *) pool+=("pg/api/$(basename "$t" .test.mjs)"$'\t'"env MAILLAGE_TEST_ENGINE=pg MAILLAGE_PG_URL=$PG_URL node --test --test-reporter=tap $t") ;;
        esac
      done
      run_pool "${pool[@]}" ;;
    1) run_one "pg" echo "ok 1 - the PostgreSQL pass # SKIP $PG_WHY" ;;
    *) run_one "pg" echo "not ok 1 - a throwaway PostgreSQL cluster starts: $PG_WHY" ;;
  esac
  pg_cluster_stop
fi
# libFuzzer harnesses: the CSV reader, each importer, the HTTP router (TAP, one line each).
if [[ -x tools/fuzz.sh && ${SKIP_FUZZ:-0} != 1 ]]; then
  run_one "fuzz" tools/fuzz.sh "${FUZZ_SECONDS:-45}"
fi
echo "logs in $LOGDIR; $SECONDS s in all"
echo "$passed passed, $failed failed"
(( failed == 0 ))
