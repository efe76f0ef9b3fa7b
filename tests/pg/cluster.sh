#!/usr/bin/env bash
# cluster.sh — a throwaway PostgreSQL cluster for tests: initdb in a temporary
# folder, listening only on a Unix socket in that folder (no TCP), run by an
# unprivileged user (PostgreSQL refuses to run as root), stopped and removed
# at exit.
#
#   tests/pg/cluster.sh                 prints the URL, serves until Ctrl-C
#   tests/pg/cluster.sh CMD ARGS...     runs CMD with MAILLAGE_PG_URL set
#   . tests/pg/cluster.sh               defines pg_cluster_start / pg_cluster_stop:
#                                       the caller stops the cluster in its own trap
#
# pg_cluster_start sets PG_URL (postgresql:///maillage?host=DIR&user=maillage)
# and PG_DIR; it returns 1 when the PostgreSQL binaries are absent (PG_WHY
# says what is missing), 2 when they are there but the cluster did not start.
PG_USER=maillage-test # the system user the server runs as, when we are root
PG_DB=maillage        # its database and its superuser role

pg_bindir() {
  local d
  if command -v pg_config >/dev/null && d=$(pg_config --bindir 2>/dev/null) && [[ -x $d/initdb ]]; then
    echo "$d"; return 0
  fi
  for d in /usr/lib/postgresql/*/bin; do [[ -x $d/initdb && -x $d/pg_ctl ]] && { echo "$d"; return 0; }; done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

# as_pg CMD... — runs CMD as the server's user (ourselves unless we are root).
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}

pg_cluster_start() {
  PG_URL="" PG_DIR="" PG_WHY=""
  local bin
  if ! bin=$(pg_bindir); then PG_WHY="no PostgreSQL server binaries (initdb, pg_ctl)"; return 1; fi
  PG_BIN=$bin
  if [[ $(id -u) -eq 0 ]] && ! id "$PG_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_USER" ||
      { PG_WHY="cannot create the system user $PG_USER"; return 2; }
  fi
  # A Unix socket path is limited to about 100 bytes, and the server's user
  # must reach the folder: else /tmp.
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mlpg.XXXXXX") || return 2
  chmod 755 "$PG_DIR"
  [[ $(id -u) -eq 0 ]] && chown "$PG_USER" "$PG_DIR"
  if ((${#PG_DIR} > 80)) || ! as_pg test -w "$PG_DIR"; then
    rm -rf "$PG_DIR"
    PG_DIR=$(mktemp -d /tmp/mlpg.XXXXXX) || return 2
    chmod 755 "$PG_DIR"
    [[ $(id -u) -eq 0 ]] && chown "$PG_USER" "$PG_DIR"
  fi
  if ! as_pg "$bin/initdb" -D "$PG_DIR/data" -U "$PG_DB" --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
    PG_WHY="initdb failed: $(tail -3 "$PG_DIR/initdb.log")"; return 2
  fi
  # No TCP at all; the socket in the cluster's own folder. fsync off: a test
  # cluster dies with its folder, crash safety of the server is not tested.
  if ! as_pg "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$PG_DIR' -c fsync=off -c full_page_writes=off" \
      start >/dev/null 2>&1; then
    PG_WHY="the server did not start: $(tail -3 "$PG_DIR/server.log" 2>/dev/null)"; return 2
  fi
  if ! as_pg "$bin/createdb" -h "$PG_DIR" -U "$PG_DB" "$PG_DB" >/dev/null 2>&1; then
    PG_WHY="createdb failed"; return 2
  fi
  PG_URL="postgresql:///$PG_DB?host=$PG_DIR&user=$PG_DB"
  return 0
}

pg_cluster_stop() {
  [[ -n ${PG_DIR:-} && -d $PG_DIR ]] || return 0
  if [[ -f $PG_DIR/data/postmaster.pid ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$PG_DIR"
  PG_DIR=""
}

# Executed rather than sourced: run a command beside the cluster, or serve.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -u
  trap pg_cluster_stop EXIT
  trap 'exit 130' INT TERM
  pg_cluster_start || { echo "cluster.sh: $PG_WHY" >&2; exit 1; }
  if (($#)); then
    MAILLAGE_PG_URL=$PG_URL "$@"
    exit $?
  fi
  echo "$PG_URL"
  echo "cluster.sh: serving until Ctrl-C (log: $PG_DIR/server.log)" >&2
  while sleep 3600; do :; done
fi
