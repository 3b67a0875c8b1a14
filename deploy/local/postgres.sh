#!/usr/bin/env bash
# Local PostgreSQL server for development and tests: the distribution's server
# binaries, a private cluster under the state directory, loopback only.
#
# Usage: deploy/local/postgres.sh install|start|stop|status|psql [ARGS...]
#
#   install  find the server binaries (highest /usr/lib/postgresql/*/bin);
#            apt-get install postgresql when they are missing and we are root
#   start    initdb once, start on 127.0.0.1:${ITSM_PG_PORT:-54329}, wait for
#            pg_isready, then make sure role itsm (password itsm, LOGIN
#            CREATEDB) and databases itsm and itsm_test (owned by itsm) exist;
#            does nothing but the role/database check when already running
#   stop     pg_ctl stop -m fast
#   status   exit 0 when the server runs and accepts connections, 3 otherwise
#   psql     psql as the superuser postgres over the unix socket
#
# Authentication: unix socket = trust (any local OS user, any role);
# TCP (127.0.0.1 only) = scram-sha-256 passwords: itsm/itsm, postgres/postgres.
#
# Environment (all optional):
#   ITSM_STATE_DIR   state directory (default: <repo>/.local)
#   ITSM_PG_PORT     TCP port on 127.0.0.1 (default 54329)
#   ITSM_PG_BINDIR   directory holding initdb, pg_ctl, ... (default: detected)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
STATE_DIR="${ITSM_STATE_DIR:-$REPO_ROOT/.local}"
[[ "$STATE_DIR" == /* ]] || STATE_DIR="$PWD/$STATE_DIR"

PG_PORT="${ITSM_PG_PORT:-54329}"
HOST=127.0.0.1
PG_OS_USER=postgres
START_TIMEOUT=60

PG_DIR="$STATE_DIR/pg"
# The cluster's base directory: $PG_DIR/cluster itself, or a symbolic link to
# /var/tmp/itsm-<hash>/pg when we are root and the postgres OS user cannot
# reach $PG_DIR (see pick_base).
CLUSTER_LINK="$PG_DIR/cluster"
STATE_HASH="$(printf '%s' "$STATE_DIR" | sha256sum | cut -c1-12)"
FALLBACK_ROOT="/var/tmp/itsm-$STATE_HASH"
LOCK_FILE="$STATE_DIR/.postgres.lock"

log() { printf '[postgres] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}
# shellcheck source=deploy/local/apt-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"

usage() {
  sed -n '/^# Usage:/,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
  exit 2
}

[[ "$PG_PORT" =~ ^[0-9]+$ ]] || die "ITSM_PG_PORT is not a number: '$PG_PORT'"


# Serialise postgres.sh invocations on one state directory (fd 9, closed for
# the server process).
take_lock() {
  mkdir -p "$STATE_DIR"
  exec 9>>"$LOCK_FILE"
  if ! flock -w 600 9; then
    die "another postgres.sh holds $LOCK_FILE for more than 600 s"
  fi
}


find_bindir() {
  local d
  if [[ -n "${ITSM_PG_BINDIR:-}" ]]; then
    [[ -x "$ITSM_PG_BINDIR/initdb" ]] || die "ITSM_PG_BINDIR=$ITSM_PG_BINDIR has no initdb"
    printf '%s\n' "$ITSM_PG_BINDIR"
    return 0
  fi
  d="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null |
    sort -V | tail -n 1)"
  if [[ -n "$d" ]]; then
    dirname "$d"
    return 0
  fi
  d="$(command -v initdb 2>/dev/null || true)"
  if [[ -n "$d" ]]; then
    dirname "$d"
    return 0
  fi
  return 1
}

do_install() {
  if ! BINDIR="$(find_bindir)"; then
    apt_install postgresql
    BINDIR="$(find_bindir)" || die "initdb still not found after installing postgresql"
  fi
  local b
  for b in initdb pg_ctl pg_isready psql postgres; do
    [[ -x "$BINDIR/$b" ]] || die "$BINDIR/$b is missing"
  done
  if is_root && ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
    log "creating the OS user $PG_OS_USER"
    useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
      --shell /bin/bash "$PG_OS_USER"
  fi
  PG_VERSION="$("$BINDIR/postgres" --version | sed 's/.* \([0-9][0-9.]*\).*/\1/')"
}

# Runs a server binary as the postgres OS user when we are root (PostgreSQL
# refuses to run as root), as ourselves otherwise; from / so that an
# unreachable working directory does not matter.
as_pg() {
  if is_root; then
    (cd / && runuser -u "$PG_OS_USER" -- "$@")
  else
    (cd / && "$@")
  fi
}

pg_owns() {
  if is_root; then
    chown -R "$PG_OS_USER:$PG_OS_USER" "$@"
  fi
}

# Can the server's OS user traverse into $1?
pg_user_reaches() {
  ! is_root || runuser -u "$PG_OS_USER" -- test -x "$1" 2>/dev/null
}

# Is a postmaster of the data directory $1 running (stray ones included)?
# Prints its pid.
find_postmaster() {
  local data="$1" f pid cmdline
  for f in /proc/[0-9]*/cmdline; do
    pid="${f#/proc/}"
    pid="${pid%/cmdline}"
    cmdline="$(tr '\0' ' ' 2>/dev/null <"$f")" || continue
    if [[ "$cmdline" == */postgres\ -D\ "$data"\ * ]]; then
      printf '%s\n' "$pid"
      return 0
    fi
  done
  return 1
}

stop_stray_postmaster() {
  local data="$1" pid i
  pid="$(find_postmaster "$data")" || return 0
  log "stopping a server left running on $data (pid $pid)"
  kill -INT "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# Chooses (once) and prints the cluster's base directory, which holds data/,
# the log and the unix socket.
pick_base() {
  if [[ -L "$CLUSTER_LINK" ]]; then
    local target
    target="$(readlink "$CLUSTER_LINK")"
    if [[ -d "$target" ]]; then
      printf '%s\n' "$target"
      return 0
    fi
    log "$CLUSTER_LINK points to a missing $target: starting over"
    rm -f "$CLUSTER_LINK"
  elif [[ -d "$CLUSTER_LINK" ]]; then
    printf '%s\n' "$CLUSTER_LINK"
    return 0
  fi

  mkdir -p "$PG_DIR"
  chmod 0755 "$PG_DIR"
  if pg_user_reaches "$PG_DIR"; then
    mkdir -p "$CLUSTER_LINK"
    chmod 0700 "$CLUSTER_LINK"
    pg_owns "$CLUSTER_LINK"
    printf '%s\n' "$CLUSTER_LINK"
    return 0
  fi

  # Root, and the postgres user cannot traverse the path to $PG_DIR (e.g. a
  # clone under /root): keep the cluster in a directory of its own under
  # /var/tmp, named after the state directory, and link it from $PG_DIR. A
  # leftover there without our link belongs to a state directory that was
  # deleted: it is thrown away, as the deleted state would have been.
  local base="$FALLBACK_ROOT/pg"
  log "user $PG_OS_USER cannot reach $PG_DIR: using $base instead (linked as $CLUSTER_LINK)"
  if [[ -e "$FALLBACK_ROOT" ]]; then
    log "removing the stale cluster $FALLBACK_ROOT of a deleted state directory"
    stop_stray_postmaster "$base/data"
    rm -rf "$FALLBACK_ROOT"
  fi
  mkdir -p "$base"
  printf 'state directory: %s\n' "$STATE_DIR" >"$FALLBACK_ROOT/OWNER"
  chmod 0755 "$FALLBACK_ROOT"
  chmod 0700 "$base"
  pg_owns "$base"
  ln -s "$base" "$CLUSTER_LINK"
  printf '%s\n' "$base"
}

# Sets BASE, DATA, LOG_FILE, SOCK_DIR.
set_paths() {
  BASE="$(pick_base)"
  DATA="$BASE/data"
  LOG_FILE="$BASE/postgres.log"
  SOCK_DIR="$BASE"
  # A unix socket path holds at most 107 bytes.
  if ((${#SOCK_DIR} + ${#PG_PORT} + 10 > 107)); then
    SOCK_DIR="/tmp/itsm-pg-$STATE_HASH"
    mkdir -p "$SOCK_DIR"
    chmod 0700 "$SOCK_DIR"
    pg_owns "$SOCK_DIR"
  fi
}

# Paths of a cluster that may already exist, without creating anything.
existing_paths() {
  if [[ -L "$CLUSTER_LINK" || -d "$CLUSTER_LINK" ]]; then
    BASE="$(readlink -f "$CLUSTER_LINK")"
  else
    return 1
  fi
  DATA="$BASE/data"
  LOG_FILE="$BASE/postgres.log"
  SOCK_DIR="$BASE"
  if ((${#SOCK_DIR} + ${#PG_PORT} + 10 > 107)); then
    SOCK_DIR="/tmp/itsm-pg-$STATE_HASH"
  fi
  [[ -f "$DATA/PG_VERSION" ]]
}

init_once() {
  if [[ -f "$DATA/PG_VERSION" ]]; then
    local v
    v="$(cat "$DATA/PG_VERSION")"
    if [[ "$v" != "${PG_VERSION%%.*}" ]]; then
      die "$DATA was made by PostgreSQL $v but the binaries are $PG_VERSION: remove $BASE (and $CLUSTER_LINK) to start over, or set ITSM_PG_BINDIR"
    fi
    return 0
  fi
  log "initdb $DATA (PostgreSQL $PG_VERSION)"
  rm -rf "$DATA"
  if ! as_pg "$BINDIR/initdb" -D "$DATA" -U postgres \
    --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 </dev/null >"$BASE/initdb.log" 2>&1; then
    cat "$BASE/initdb.log" >&2
    rm -rf "$DATA"
    die "initdb failed"
  fi
  # Our settings live in itsm.conf, rewritten on every start.
  printf '\n# deploy/local/postgres.sh\ninclude_if_exists = '\''itsm.conf'\''\n' >>"$DATA/postgresql.conf"
}

write_conf() {
  local tmp="$DATA/itsm.conf.tmp"
  cat >"$tmp" <<EOF
# Written by deploy/local/postgres.sh on every start: edits here are lost.
listen_addresses = '$HOST'
port = $PG_PORT
unix_socket_directories = '$SOCK_DIR'
max_connections = 200
shared_buffers = 256MB
work_mem = 8MB
maintenance_work_mem = 64MB
effective_cache_size = 1GB
max_wal_size = 1GB
# Durability stays on: tests must see real commit behaviour.
fsync = on
synchronous_commit = on
full_page_writes = on
# Lets an outbox relay use logical replication if it wants to.
wal_level = logical
max_wal_senders = 10
max_replication_slots = 10
timezone = 'UTC'
log_timezone = 'UTC'
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  pg_owns "$tmp"
  mv -f "$tmp" "$DATA/itsm.conf"
}

server_running() {
  as_pg "$BINDIR/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

accepting() {
  "$BINDIR/pg_isready" -q -h "$HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1
}

port_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null
}

wait_accepting() {
  local deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    accepting && return 0
    sleep 0.2
  done
  return 1
}

su_psql() {
  "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK_DIR" -p "$PG_PORT" -U postgres "$@"
}

ensure_role_and_databases() {
  su_psql -d postgres >&2 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'itsm') THEN
    CREATE ROLE itsm LOGIN CREATEDB PASSWORD 'itsm';
  ELSE
    ALTER ROLE itsm LOGIN CREATEDB PASSWORD 'itsm';
  END IF;
END
$$;
ALTER ROLE postgres PASSWORD 'postgres';
SELECT 'CREATE DATABASE itsm OWNER itsm'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'itsm') \gexec
SELECT 'CREATE DATABASE itsm_test OWNER itsm'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'itsm_test') \gexec
ALTER DATABASE itsm OWNER TO itsm;
ALTER DATABASE itsm_test OWNER TO itsm;
-- The mark `npm test` looks for before it drops and recreates the database (libs/testing/src/test-database-guard.ts).
COMMENT ON DATABASE itsm_test IS 'itsm test database: dropped and recreated by every npm test run';
SQL
}

cmd_start() {
  take_lock
  do_install
  set_paths
  # A postmaster whose data directory was deleted under it (state directory
  # removed while running) must be gone before initdb reuses the path.
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    stop_stray_postmaster "$DATA"
  fi
  init_once
  write_conf
  if server_running; then
    if wait_accepting; then
      log "already running on $HOST:$PG_PORT ($DATA)"
      ensure_role_and_databases || die "could not create the itsm role and databases"
      return 0
    fi
    die "the server of $DATA runs but does not accept connections on $HOST:$PG_PORT; see $LOG_FILE"
  fi
  stop_stray_postmaster "$DATA"
  if port_open "$PG_PORT"; then
    die "$HOST:$PG_PORT is already in use by another process (set ITSM_PG_PORT)"
  fi
  if [[ -f "$LOG_FILE" ]] && (($(stat -c %s "$LOG_FILE") > 10485760)); then
    mv -f "$LOG_FILE" "$LOG_FILE.1"
  fi
  log "starting PostgreSQL $PG_VERSION on $HOST:$PG_PORT (data $DATA, log $LOG_FILE)"
  local started=$SECONDS
  # The server must not inherit any descriptor of ours beyond 0-2 (our lock, a
  # caller's pipes: `$(infra.sh up)` would wait forever): pg_ctl runs in a bash
  # that closes them all first; pg_ctl points the server's 0-2 at the log.
  # shellcheck disable=SC2016 # expanded by the inner bash
  if ! as_pg bash -c '
      for fd in /proc/$$/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] && eval "exec $fd>&-"
      done
      exec "$@"' pg_ctl "$BINDIR/pg_ctl" -D "$DATA" -l "$LOG_FILE" -w -t "$START_TIMEOUT" -s start \
    </dev/null >&2; then
    log "pg_ctl start failed; last lines of $LOG_FILE:"
    tail -n 30 "$LOG_FILE" >&2 || true
    exit 1
  fi
  wait_accepting || die "not accepting connections on $HOST:$PG_PORT after ${START_TIMEOUT}s; see $LOG_FILE"
  ensure_role_and_databases || die "could not create the itsm role and databases"
  log "ready in $((SECONDS - started))s: postgres://itsm:itsm@$HOST:$PG_PORT/itsm (and /itsm_test)"
}

cmd_stop() {
  take_lock
  if ! BINDIR="$(find_bindir)"; then
    log "no PostgreSQL binaries: nothing to stop"
    return 0
  fi
  if ! existing_paths; then
    log "no cluster in $PG_DIR: nothing to stop"
    return 0
  fi
  if server_running; then
    log "stopping ($DATA)"
    as_pg "$BINDIR/pg_ctl" -D "$DATA" -m fast -w -t 60 -s stop </dev/null >&2 9>&- ||
      die "pg_ctl stop failed; see $LOG_FILE"
    log "stopped"
  else
    log "not running"
  fi
  stop_stray_postmaster "$DATA"
}

cmd_status() {
  BINDIR="$(find_bindir)" || {
    log "no PostgreSQL binaries"
    return 3
  }
  if existing_paths && server_running; then
    if accepting; then
      log "running on $HOST:$PG_PORT ($DATA)"
      return 0
    fi
    log "running ($DATA) but not accepting connections on $HOST:$PG_PORT"
    return 1
  fi
  log "stopped"
  return 3
}

cmd_psql() {
  BINDIR="$(find_bindir)" || die "no PostgreSQL binaries: run $0 install"
  existing_paths || die "no cluster yet: run $0 start"
  exec "$BINDIR/psql" -X -h "$SOCK_DIR" -p "$PG_PORT" -U postgres "$@"
}

main() {
  [[ $# -ge 1 ]] || usage
  local cmd="$1"
  shift
  case "$cmd" in
  install)
    take_lock
    do_install
    log "PostgreSQL $PG_VERSION binaries in $BINDIR"
    ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  psql) cmd_psql "$@" ;;
  *) usage ;;
  esac
}

main "$@"
