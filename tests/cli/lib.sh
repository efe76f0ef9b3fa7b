# lib.sh — helpers for black-box CLI tests: each check prints one TAP line.
# A test file sources this, then calls the checks; the real binary is $MAILLAGE_BIN.
set -u
BIN=${MAILLAGE_BIN:?set MAILLAGE_BIN}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
N=0
OUT="" ERR="" RC=0
export MAILLAGE_DB="$TMP/test.db"

# The PostgreSQL pass of tests/run.sh (MAILLAGE_TEST_ENGINE=pg, MAILLAGE_PG_URL
# from tests/pg/cluster.sh): each test file gets a fresh database of its own
# (CREATE DATABASE), dropped at exit; MAILLAGE_DB points at it. A check about
# SQLite files says so with skip_on_pg.
ENGINE=sqlite
if [[ ${MAILLAGE_TEST_ENGINE:-} == pg ]]; then
  ENGINE=pg
  PG_ADMIN=${MAILLAGE_PG_URL:?MAILLAGE_TEST_ENGINE=pg needs MAILLAGE_PG_URL (tests/pg/cluster.sh)}
  PG_TEST_DB="t_$(basename "$0" .sh | tr -c 'a-z0-9_\n' _)_$$"
  psql -X -q "$PG_ADMIN" -c "CREATE DATABASE $PG_TEST_DB" >/dev/null || { echo "not ok 1 - a database for the PostgreSQL pass"; exit 1; }
  export MAILLAGE_DB=$(sed -E "s|^(postgres(ql)?://[^/]*/)[^?]*|\1$PG_TEST_DB|" <<<"$PG_ADMIN")
  trap 'psql -X -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_TEST_DB WITH (FORCE)" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
fi
# On that pass, `sqlite3 "$MAILLAGE_DB" SQL` (what checks use to look inside
# the database) asks PostgreSQL instead, in sqlite3's output format (columns
# joined by '|'); other files are still SQLite's.
if [[ $ENGINE == pg ]]; then
  sqlite3() {
    if [[ $# -eq 2 && $1 == "$MAILLAGE_DB" && $2 != .* ]]; then
      psql -X -qtA "$1" -c "$2"
    else
      command sqlite3 "$@"
    fi
  }
fi
# skip_on_pg DESC REASON — on the PostgreSQL pass, a check about SQLite files
# is reported as skipped (TAP), never silently left out; returns 0 when skipped.
skip_on_pg() {
  [[ $ENGINE == pg ]] || return 1
  N=$((N + 1)); echo "ok $N - $1 # SKIP $2"
}

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
