# lib.sh — helpers for black-box CLI tests: each check prints one TAP line.
# A test file sources this, then calls the checks; the real binary is $MAILLAGE_BIN.
set -u
BIN=${MAILLAGE_BIN:?set MAILLAGE_BIN}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
N=0
OUT="" ERR="" RC=0
export MAILLAGE_DB="$TMP/test.db"

# run ARGS... — runs maillage, keeps stdout in $OUT, stderr in $ERR, status in $RC.
run() {
  OUT=$("$BIN" "$@" 2>"$TMP/stderr"); RC=$?
  ERR=$(cat "$TMP/stderr")
}
pass() { N=$((N + 1)); echo "ok $N - $1"; }
fail() { N=$((N + 1)); echo "not ok $N - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
# check DESC CONDITION... — passes when the shell condition holds.
check() { local d=$1; shift; if "$@"; then pass "$d"; else fail "$d" "rc=$RC" "stdout: ${OUT:0:400}" "stderr: ${ERR:0:400}"; fi; }
has() { grep -qF -- "$2" <<<"$1"; }       # has TEXT NEEDLE
lacks() { ! grep -qF -- "$2" <<<"$1"; }
status_is() { [[ $RC -eq $1 ]]; }
json_get() { jq -r "$1" <<<"$OUT"; }   # json_get FILTER — jq on the last stdout
