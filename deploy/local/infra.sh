#!/usr/bin/env bash
# Brings up (or reuses) the infrastructure the ITSM services and their tests
# need: an Apache Kafka broker and a PostgreSQL server, on this machine, without
# Docker.
#
# Usage: deploy/local/infra.sh up|down|status|env
#
#   up      Kafka: KAFKA_BROKERS when set (its first broker must accept a TCP
#           connection), else the local broker (kafka.sh install + start).
#           PostgreSQL: DATABASE_URL when set and reachable, else the local
#           server (postgres.sh install + start). Both start in parallel.
#           Then writes <state>/infra.env and prints the same lines on stdout:
#             KAFKA_BROKERS=...
#             DATABASE_URL=...
#             ITSM_INFRA_STARTED=kafka,postgres   (what THIS call started;
#                                                  empty when all was reused)
#   down    stop the local Kafka broker and PostgreSQL server if running
#   status  exit 0 when Kafka and PostgreSQL (from infra.env, else the
#           environment or the local defaults) answer, 3 otherwise
#   env     print the env lines of the current state (infra.env when present)
#
# Progress goes to stderr, prefixed [infra]; only the env lines go to stdout.
# Environment: KAFKA_BROKERS, DATABASE_URL, ITSM_STATE_DIR, ITSM_KAFKA_PORT,
# ITSM_KAFKA_CONTROLLER_PORT, ITSM_PG_PORT (see kafka.sh and postgres.sh).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
STATE_DIR="${ITSM_STATE_DIR:-$REPO_ROOT/.local}"
[[ "$STATE_DIR" == /* ]] || STATE_DIR="$PWD/$STATE_DIR"
# The children must agree on the state directory even if it was relative.
export ITSM_STATE_DIR="$STATE_DIR"

KAFKA_PORT="${ITSM_KAFKA_PORT:-19092}"
PG_PORT="${ITSM_PG_PORT:-54329}"
LOCAL_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
LOCAL_DATABASE_URL="postgres://itsm:itsm@127.0.0.1:$PG_PORT/itsm"
ENV_FILE="$STATE_DIR/infra.env"
LOCK_FILE="$STATE_DIR/.infra.lock"

log() { printf '[infra] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

usage() {
  sed -n '/^# Usage:/,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
  exit 2
}

# Runs deploy/local/$1 with the rest as arguments, its stderr prefixed with
# "[infra] ". fd 7 (our lock) is not passed on: the servers would keep it.
sub() {
  local script="$1"
  shift
  "$SCRIPT_DIR/$script" "$@" 7>&- 2> >(sed -u 's/^/[infra] /' >&2)
}

take_lock() {
  mkdir -p "$STATE_DIR"
  exec 7>>"$LOCK_FILE"
  flock -w 900 7 || die "another infra.sh holds $LOCK_FILE for more than 900 s"
}

# TCP connect with a timeout; host may be a name, an IPv4 or a [IPv6] address.
tcp_check() {
  local host="$1" port="$2"
  host="${host#[}"
  host="${host%]}"
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null
}

# "host:port" of the first broker of a KAFKA_BROKERS list (scheme tolerated).
first_broker() {
  local b="${1%%,*}"
  b="${b#*://}"
  b="${b// /}"
  printf '%s\n' "$b"
}

kafka_reachable() {
  local b
  b="$(first_broker "$1")"
  [[ "$b" == *:* ]] || return 1
  tcp_check "${b%:*}" "${b##*:}"
}

# Does KAFKA_BROKERS name the local broker this script manages?
is_local_kafka() {
  local b
  b="$(first_broker "$1")"
  [[ "$b" == "127.0.0.1:$KAFKA_PORT" || "$b" == "localhost:$KAFKA_PORT" ]]
}

is_local_database_url() {
  [[ "$1" =~ ^postgres(ql)?://[^@]*@(127\.0\.0\.1|localhost):$PG_PORT/ ]]
}

pg_tool() {
  local t="$1" d
  if command -v "$t" >/dev/null 2>&1; then
    command -v "$t"
    return 0
  fi
  d="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path "*/bin/$t" 2>/dev/null |
    sort -V | tail -n 1)"
  [[ -n "$d" ]] && printf '%s\n' "$d"
}

# Is the server of a postgres:// URL accepting connections?
database_reachable() {
  local url="$1" isready rest hostport
  if isready="$(pg_tool pg_isready)"; then
    "$isready" -q -t 5 -d "$url" >/dev/null 2>&1
    return
  fi
  # No client tools yet (fresh machine): a TCP connect to host:port.
  rest="${url#*://}"
  rest="${rest#*@}"
  hostport="${rest%%/*}"
  hostport="${hostport%%\?*}"
  if [[ "$hostport" == *:* ]]; then
    tcp_check "${hostport%:*}" "${hostport##*:}"
  else
    tcp_check "${hostport:-127.0.0.1}" 5432
  fi
}

print_env() {
  printf 'KAFKA_BROKERS=%s\n' "$1"
  printf 'DATABASE_URL=%s\n' "$2"
  printf 'ITSM_INFRA_STARTED=%s\n' "$3"
}

# Reads infra.env (without sourcing it) into ENV_KAFKA, ENV_DB, ENV_STARTED.
read_env_file() {
  ENV_KAFKA="" ENV_DB="" ENV_STARTED=""
  [[ -f "$ENV_FILE" ]] || return 1
  local key value
  while IFS='=' read -r key value; do
    case "$key" in
    KAFKA_BROKERS) ENV_KAFKA="$value" ;;
    DATABASE_URL) ENV_DB="$value" ;;
    ITSM_INFRA_STARTED) ENV_STARTED="$value" ;;
    esac
  done <"$ENV_FILE"
}

cmd_up() {
  take_lock
  local t0=$SECONDS
  local kafka_brokers database_url start_kafka=0 start_pg=0
  rm -f "$ENV_FILE"

  # Kafka: decide.
  if [[ -n "${KAFKA_BROKERS:-}" ]] && ! is_local_kafka "$KAFKA_BROKERS"; then
    kafka_reachable "$KAFKA_BROKERS" ||
      die "KAFKA_BROKERS=$KAFKA_BROKERS is set but $(first_broker "$KAFKA_BROKERS") does not accept connections (unset it to use a local broker)"
    log "kafka: using KAFKA_BROKERS=$KAFKA_BROKERS"
    kafka_brokers="$KAFKA_BROKERS"
  else
    kafka_brokers="${KAFKA_BROKERS:-$LOCAL_KAFKA_BROKERS}"
    if "$SCRIPT_DIR/kafka.sh" status 7>&- 2>/dev/null; then
      log "kafka: local broker already running on $LOCAL_KAFKA_BROKERS: reusing it"
    else
      start_kafka=1
    fi
  fi

  # PostgreSQL: decide.
  if [[ -n "${DATABASE_URL:-}" ]] && database_reachable "$DATABASE_URL"; then
    log "postgres: using DATABASE_URL (reachable)"
    database_url="$DATABASE_URL"
  else
    if [[ -n "${DATABASE_URL:-}" ]] && ! is_local_database_url "$DATABASE_URL"; then
      log "postgres: warning: DATABASE_URL is set but not reachable; starting the local server and using $LOCAL_DATABASE_URL instead"
    fi
    database_url="$LOCAL_DATABASE_URL"
    if "$SCRIPT_DIR/postgres.sh" status 7>&- 2>/dev/null; then
      log "postgres: local server already running on 127.0.0.1:$PG_PORT: reusing it"
      # Still make sure the itsm role and databases exist (idempotent, fast).
      sub postgres.sh start
    else
      start_pg=1
    fi
  fi

  # Start what is needed, in parallel.
  local kafka_job="" pg_job="" kafka_rc=0 pg_rc=0
  if ((start_kafka)); then
    log "kafka: starting the local broker"
    (sub kafka.sh install && sub kafka.sh start) &
    kafka_job=$!
  fi
  if ((start_pg)); then
    log "postgres: starting the local server"
    (sub postgres.sh install && sub postgres.sh start) &
    pg_job=$!
  fi
  if [[ -n "$kafka_job" ]]; then
    wait "$kafka_job" || kafka_rc=$?
  fi
  if [[ -n "$pg_job" ]]; then
    wait "$pg_job" || pg_rc=$?
  fi

  if ((kafka_rc != 0 || pg_rc != 0)); then
    ((kafka_rc == 0)) || log "kafka: failed to start (exit $kafka_rc)"
    ((pg_rc == 0)) || log "postgres: failed to start (exit $pg_rc)"
    # Leave nothing behind that this call started.
    if ((start_kafka)); then sub kafka.sh stop || true; fi
    if ((start_pg)); then sub postgres.sh stop || true; fi
    die "infrastructure did not come up (after $((SECONDS - t0))s)"
  fi

  local started=()
  ((start_kafka)) && started+=(kafka)
  ((start_pg)) && started+=(postgres)
  local started_csv
  started_csv="$(
    IFS=,
    printf '%s' "${started[*]}"
  )"
  print_env "$kafka_brokers" "$database_url" "$started_csv" >"$ENV_FILE.tmp"
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
  log "up in $((SECONDS - t0))s; wrote $ENV_FILE"
  cat "$ENV_FILE"
}

cmd_down() {
  take_lock
  local kafka_job pg_job rc=0
  sub kafka.sh stop &
  kafka_job=$!
  sub postgres.sh stop &
  pg_job=$!
  wait "$kafka_job" || rc=1
  wait "$pg_job" || rc=1
  rm -f "$ENV_FILE"
  ((rc == 0)) || die "could not stop everything"
  log "down"
}

cmd_status() {
  local kafka_brokers database_url rc=0
  if read_env_file; then
    kafka_brokers="$ENV_KAFKA" database_url="$ENV_DB"
  else
    kafka_brokers="${KAFKA_BROKERS:-$LOCAL_KAFKA_BROKERS}"
    database_url="${DATABASE_URL:-$LOCAL_DATABASE_URL}"
  fi
  if is_local_kafka "$kafka_brokers"; then
    sub kafka.sh status || rc=3
  elif kafka_reachable "$kafka_brokers"; then
    log "kafka: $kafka_brokers answers"
  else
    log "kafka: $kafka_brokers does not answer"
    rc=3
  fi
  if database_reachable "$database_url"; then
    if is_local_database_url "$database_url"; then
      sub postgres.sh status || rc=3
    else
      log "postgres: DATABASE_URL answers"
    fi
  else
    log "postgres: $( is_local_database_url "$database_url" && echo "local server" || echo DATABASE_URL) does not answer"
    rc=3
  fi
  return "$rc"
}

cmd_env() {
  if read_env_file; then
    print_env "$ENV_KAFKA" "$ENV_DB" "$ENV_STARTED"
  else
    print_env "${KAFKA_BROKERS:-$LOCAL_KAFKA_BROKERS}" "${DATABASE_URL:-$LOCAL_DATABASE_URL}" ""
  fi
}

main() {
  [[ $# -eq 1 ]] || usage
  case "$1" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) usage ;;
  esac
}

main "$@"
