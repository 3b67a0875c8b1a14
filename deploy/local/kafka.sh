#!/usr/bin/env bash
# Local single-node Apache Kafka broker (KRaft, combined broker + controller),
# run from the jars on Maven Central: no Docker, no Kafka distribution.
#
# Usage: deploy/local/kafka.sh install|start|stop|status|run-class CLASS [ARGS...]
#
#   install    copy the broker's runtime jars into <state>/kafka/lib with Maven
#              (only when missing or when kafka/pom.xml changed, and never while
#              a broker still runs from the old ones); installs Java
#              17 and Maven with apt-get when they are missing and we are root
#   start      install if needed, format the storage once, start the broker in
#              the background and wait until an admin "list topics" succeeds;
#              does nothing when the broker already runs and answers
#   stop       SIGTERM, wait, SIGKILL after a deadline
#   status     exit 0 when the broker runs and its port answers, 3 otherwise
#   run-class  run a Kafka tool class on the same classpath, e.g.
#              kafka.sh run-class org.apache.kafka.tools.TopicCommand \
#                --bootstrap-server 127.0.0.1:19092 --list
#
# Environment (all optional):
#   ITSM_STATE_DIR               state directory (default: <repo>/.local)
#   ITSM_KAFKA_PORT              PLAINTEXT port on 127.0.0.1 (default 19092)
#   ITSM_KAFKA_CONTROLLER_PORT   KRaft controller port on 127.0.0.1 (default 19093)
#   ITSM_KAFKA_HEAP_OPTS         broker heap (default "-Xms256m -Xmx768m")
#   ITSM_KAFKA_START_TIMEOUT     seconds to wait for readiness per attempt (90)
#   ITSM_KAFKA_START_ATTEMPTS    start attempts before giving up (3)
#   ITSM_KAFKA_STOP_TIMEOUT      seconds between SIGTERM and SIGKILL (30)
#   JAVA_HOME                    Java to use (default: java on PATH)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
STATE_DIR="${ITSM_STATE_DIR:-$REPO_ROOT/.local}"
[[ "$STATE_DIR" == /* ]] || STATE_DIR="$PWD/$STATE_DIR"

KAFKA_PORT="${ITSM_KAFKA_PORT:-19092}"
CONTROLLER_PORT="${ITSM_KAFKA_CONTROLLER_PORT:-19093}"
HEAP_OPTS="${ITSM_KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"
START_TIMEOUT="${ITSM_KAFKA_START_TIMEOUT:-90}"
START_ATTEMPTS="${ITSM_KAFKA_START_ATTEMPTS:-3}"
STOP_TIMEOUT="${ITSM_KAFKA_STOP_TIMEOUT:-30}"
HOST=127.0.0.1

POM="$SCRIPT_DIR/kafka/pom.xml"
TEMPLATE="$SCRIPT_DIR/kafka/server.properties.template"
LOG4J2="$SCRIPT_DIR/kafka/log4j2.xml"

KAFKA_DIR="$STATE_DIR/kafka"
LIB_DIR="$KAFKA_DIR/lib"
DATA_DIR="$KAFKA_DIR/data"
PROPS="$KAFKA_DIR/server.properties"
ADMIN_PROPS="$KAFKA_DIR/admin.properties"
CLUSTER_ID_FILE="$KAFKA_DIR/cluster.id"
PID_FILE="$KAFKA_DIR/kafka.pid"
LOG_FILE="$KAFKA_DIR/kafka.log"
STAMP_FILE="$LIB_DIR/.pom.sha256"
LOCK_FILE="$STATE_DIR/.kafka.lock"

# Short-lived tool JVMs: small heap, fast start-up, only their own output
# (root logger at WARN; see kafka/log4j2.xml).
TOOL_JVM_OPTS=(-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
  -Djava.awt.headless=true "-Dlog4j2.configurationFile=$LOG4J2"
  -Ditsm.kafka.log.level=WARN)

log() { printf '[kafka] %s\n' "$*" >&2; }
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

for n in "$KAFKA_PORT" "$CONTROLLER_PORT" "$START_TIMEOUT" "$START_ATTEMPTS" "$STOP_TIMEOUT"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "not a number: '$n' (check the ITSM_KAFKA_* variables)"
done
[[ "$KAFKA_PORT" != "$CONTROLLER_PORT" ]] || die "ITSM_KAFKA_PORT and ITSM_KAFKA_CONTROLLER_PORT must differ"


# Serialise kafka.sh invocations on one state directory (fd 9; never inherited
# by the broker, see launch_broker).
take_lock() {
  mkdir -p "$STATE_DIR"
  exec 9>>"$LOCK_FILE"
  if ! flock -w 600 9; then
    die "another kafka.sh holds $LOCK_FILE for more than 600 s"
  fi
}


java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    printf '%s\n' "$JAVA_HOME/bin/java"
  else
    command -v java 2>/dev/null || true
  fi
}

java_major() {
  # `java -version` prints e.g.: openjdk version "17.0.15" 2025-04-15
  "$1" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\)\(\.[0-9][0-9]*\)*.*".*/\1/p' | head -n 1
}

ensure_java() {
  local java major
  java="$(java_bin)"
  if [[ -z "$java" ]]; then
    apt_install openjdk-17-jre-headless
    java="$(java_bin)"
    [[ -n "$java" ]] || die "java still not found after installing openjdk-17-jre-headless"
  fi
  major="$(java_major "$java")"
  # `java -version` says 1.8 for Java 8: the major parsed is then 1.
  if [[ -z "$major" || "$major" -lt 17 ]]; then
    die "$java is too old (the Kafka 4.x broker needs Java 17+); set JAVA_HOME"
  fi
  JAVA="$java"
}

ensure_maven() {
  command -v mvn >/dev/null 2>&1 || apt_install maven
  command -v mvn >/dev/null 2>&1 || die "mvn still not found after installing maven"
}

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

lib_up_to_date() {
  [[ -f "$STAMP_FILE" ]] || return 1
  [[ "$(cat "$STAMP_FILE")" == "$(pom_hash)" ]] || return 1
  compgen -G "$LIB_DIR/kafka_2.13-*.jar" >/dev/null
}

# do_install [quiet]: "quiet" says nothing when the jars are up to date.
# Returns 3, changing nothing, when the jars are outdated but a broker of this
# state directory still runs from them: replacing lib/ under a live JVM makes
# its next class load fail (the JVM opens the jars lazily), and a broker that
# several checkouts share, or a developer's running stack, must not die because
# another checkout (say, one that moved Kafka from 3.9 to 4.x) ran kafka.sh.
do_install() {
  ensure_java
  if lib_up_to_date; then
    [[ "${1:-}" == quiet ]] || log "jars up to date in $LIB_DIR"
    return 0
  fi
  local running
  if running="$(find_pid)"; then
    log "the jars in $LIB_DIR are outdated, but pid $running runs from them: left as they are"
    log "to switch: $0 stop && $0 start"
    return 3
  fi
  ensure_maven
  mkdir -p "$KAFKA_DIR"
  local tmp="$KAFKA_DIR/lib.tmp"
  rm -rf "$tmp"
  log "resolving the Kafka jars with Maven into $LIB_DIR (first time: a few tens of MB)"
  # (Maven 3.8 prints stray colour resets even in batch mode: strip them.)
  if ! mvn -B -q -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" </dev/null 2>&1 |
    sed -e 's/\x1b\[[0-9;]*m//g' -e '/^[[:space:]]*$/d' >&2; then
    rm -rf "$tmp"
    die "mvn dependency:copy-dependencies failed (is Maven Central reachable?)"
  fi
  compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || die "Maven ran but copied no kafka_2.13 jar"
  pom_hash >"$tmp/.pom.sha256"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  log "installed $(find "$LIB_DIR" -name '*.jar' | wc -l) jars ($(basename "$(compgen -G "$LIB_DIR/kafka_2.13-*.jar")" .jar))"
}

# TCP connect to 127.0.0.1:$1 (bash /dev/tcp; no nc needed).
port_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null
}

# Is $1 a live process (a zombie, dead but not yet reaped, is not)?
pid_alive() {
  local stat
  [[ "$1" =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null || return 1
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z ]]
}

# Is $1 a live broker process of this state directory?
is_our_broker() {
  local pid="$1" cmdline
  pid_alive "$pid" || return 1
  cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || return 1
  [[ "$cmdline" == *" kafka.Kafka $PROPS"* ]]
}

# Prints the broker's pid, from the pid file or, when that is lost (state dir
# removed while running), by looking for our command line in /proc.
find_pid() {
  local pid f
  if [[ -f "$PID_FILE" ]]; then
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if is_our_broker "$pid"; then
      printf '%s\n' "$pid"
      return 0
    fi
  fi
  for f in /proc/[0-9]*/cmdline; do
    pid="${f#/proc/}"
    pid="${pid%/cmdline}"
    if is_our_broker "$pid"; then
      printf '%s\n' "$pid"
      return 0
    fi
  done
  return 1
}

render_properties() {
  mkdir -p "$DATA_DIR"
  local tmp="$PROPS.tmp"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
    -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
    -e "s|@DATA_DIR@|$DATA_DIR|g" "$TEMPLATE" >"$tmp"
  mv "$tmp" "$PROPS"
  cat >"$ADMIN_PROPS" <<EOF
# Admin client settings for kafka.sh's readiness probe: fail fast, retry outside.
request.timeout.ms=5000
default.api.timeout.ms=10000
EOF
}

# A Kafka cluster id is 16 random bytes, base64url without padding. Kafka
# avoids ids starting with '-' (they look like command line flags); so do we.
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" == -* ]] || break
  done
  printf '%s\n' "$id"
}

format_storage_once() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    return 0
  fi
  if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
    new_cluster_id >"$CLUSTER_ID_FILE"
  fi
  local cluster_id
  cluster_id="$(cat "$CLUSTER_ID_FILE")"
  log "formatting storage $DATA_DIR (cluster id $cluster_id)"
  "$JAVA" "${TOOL_JVM_OPTS[@]}" -cp "$LIB_DIR/*" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$PROPS" -g </dev/null 2>&1 | sed 's/^/[kafka]   /' >&2 ||
    die "kafka.tools.StorageTool format failed"
}

# Storage formatted by Kafka 3.9 (every dev box before the move to 4.x) starts
# under 4.x as it is: topics, offsets and consumer groups are kept, and the
# cluster stays at its old metadata.version (3.9-IV0) with the 4.x features
# (KIP-848 consumer protocol, share groups, transactions v2) off. We do not
# finalize the newer level ourselves: that step is one-way, and afterwards the
# 3.9 jars of an older checkout could no longer open this data directory. The
# platform needs none of those features (kafkajs speaks the classic group
# protocol), so we only say so, once per start. The broker logs the level it
# runs at; reading it there costs nothing, unlike a FeatureCommand JVM.
note_old_metadata_version() {
  local finalized jar kafka_version
  finalized="$(sed -n 's/.*Publishing initial metadata at .* with metadata\.version Optional\[\([^]]*\)\].*/\1/p' \
    "$LOG_FILE" 2>/dev/null | head -n 1)"
  jar="$(compgen -G "$LIB_DIR/kafka_2.13-*.jar" | head -n 1)"
  kafka_version="$(basename "$jar" .jar)"
  kafka_version="${kafka_version#kafka_2.13-}"
  # e.g. finalized 3.9-IV0 under Kafka 4.4.0 (whose own level is 4.4-IVn).
  [[ -n "$finalized" && "$finalized" != "${kafka_version%.*}-"* ]] || return 0
  log "note: $DATA_DIR was formatted by an older Kafka and runs at metadata.version $finalized under Kafka $kafka_version"
  log "  (fine for the platform; to finalize ${kafka_version%.*} for good, which older jars cannot undo:"
  log "  $0 run-class org.apache.kafka.tools.FeatureCommand --bootstrap-server $HOST:$KAFKA_PORT upgrade --release-version ${kafka_version%.*}"
  log "  or start afresh: $0 stop, delete $DATA_DIR, $0 start)"
}

launch_broker() {
  local heap
  read -r -a heap <<<"$HEAP_OPTS"
  local jvm_opts=("${heap[@]}" -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true "-Dlog4j2.configurationFile=$LOG4J2"
    "-Dkafka.logs.dir=$KAFKA_DIR")
  rm -f "$PID_FILE"
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  # setsid: own session, so no terminal hang-up or Ctrl-C of the caller reaches
  # it. stdin, stdout and stderr are detached from the caller; the inner bash
  # closes every other inherited descriptor (our lock, a caller's pipes: a
  # daemon holding them would make `$(infra.sh up)` or `| tee` wait forever),
  # writes its own pid, then becomes java (exec).
  (
    cd "$KAFKA_DIR"
    # shellcheck disable=SC2016 # expanded by the inner bash
    exec setsid nohup bash -c '
      for fd in /proc/$$/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] && eval "exec $fd>&-"
      done
      echo "$$" >"$0"
      exec "$@"' "$PID_FILE" \
      "$JAVA" "${jvm_opts[@]}" -cp "$LIB_DIR/*" kafka.Kafka "$PROPS" \
      </dev/null >>"$LOG_FILE" 2>&1 9>&-
  ) &
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "$PID_FILE" ]] && break
    sleep 0.1
  done
  [[ -s "$PID_FILE" ]] || die "the broker process did not start (no pid file)"
  BROKER_PID="$(cat "$PID_FILE")"
}

# Ready = an admin client lists the topics. Polls (TCP first, it costs nothing),
# until the deadline; fails early when the process dies.
wait_ready() {
  local pid="$1" timeout="$2" deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    is_our_broker "$pid" || return 1
    if port_open "$KAFKA_PORT" &&
      timeout 30 "$JAVA" "${TOOL_JVM_OPTS[@]}" -cp "$LIB_DIR/*" \
        org.apache.kafka.tools.TopicCommand --bootstrap-server "$HOST:$KAFKA_PORT" \
        --command-config "$ADMIN_PROPS" --list </dev/null >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  log "not ready after ${timeout}s"
  return 1
}

kill_broker() {
  local pid="$1" deadline=$((SECONDS + STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || return 0
  while is_our_broker "$pid" && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if is_our_broker "$pid"; then
    log "still running ${STOP_TIMEOUT}s after SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while pid_alive "$pid" && ((SECONDS < deadline)); do
      sleep 0.2
    done
  fi
}

cmd_start() {
  take_lock
  local installed=0
  do_install quiet || installed=$?
  local pid
  if pid="$(find_pid)" && [[ ! -f "$DATA_DIR/meta.properties" ]]; then
    log "pid $pid runs on a data directory that was deleted: stopping it"
    kill_broker "$pid"
  fi
  if pid="$(find_pid)"; then
    if port_open "$KAFKA_PORT"; then
      log "already running (pid $pid) on $HOST:$KAFKA_PORT"
      return 0
    fi
    log "pid $pid runs but $HOST:$KAFKA_PORT does not answer yet: waiting"
    if wait_ready "$pid" "$START_TIMEOUT"; then
      log "ready (pid $pid) on $HOST:$KAFKA_PORT"
      return 0
    fi
    log "pid $pid never became ready: stopping it"
    kill_broker "$pid"
  fi
  local port
  for port in "$KAFKA_PORT" "$CONTROLLER_PORT"; do
    if port_open "$port"; then
      die "$HOST:$port is already in use by another process (set ITSM_KAFKA_PORT / ITSM_KAFKA_CONTROLLER_PORT)"
    fi
  done
  # A broker kept outdated jars in place above; it has been stopped since.
  ((installed == 0)) || do_install quiet
  render_properties
  format_storage_once
  local attempt started
  for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
    started=$SECONDS
    log "starting broker on $HOST:$KAFKA_PORT (attempt $attempt/$START_ATTEMPTS, log $LOG_FILE)"
    launch_broker
    if wait_ready "$BROKER_PID" "$START_TIMEOUT"; then
      log "ready in $((SECONDS - started))s (pid $BROKER_PID) on $HOST:$KAFKA_PORT"
      note_old_metadata_version
      return 0
    fi
    # The log tail as it was before we stop the broker (not its shutdown).
    if ((attempt < START_ATTEMPTS)); then
      log "attempt $attempt failed; last log lines:"
      tail -n 5 "$LOG_FILE" | sed 's/^/[kafka]   /' >&2 || true
    else
      log "the broker did not become ready after $START_ATTEMPTS attempts; last 40 lines of $LOG_FILE:"
      tail -n 40 "$LOG_FILE" | sed 's/^/[kafka]   /' >&2 || true
    fi
    kill_broker "$BROKER_PID"
    rm -f "$PID_FILE"
  done
  die "giving up (the log of the last attempt: $LOG_FILE)"
}

cmd_stop() {
  take_lock
  local pid
  if ! pid="$(find_pid)"; then
    log "not running"
    rm -f "$PID_FILE"
    return 0
  fi
  log "stopping (pid $pid)"
  kill_broker "$pid"
  if pid_alive "$pid"; then
    die "pid $pid survived SIGKILL"
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  local pid
  if pid="$(find_pid)"; then
    if [[ ! -f "$DATA_DIR/meta.properties" ]]; then
      log "process $pid runs, but its data directory $DATA_DIR was deleted"
      return 1
    fi
    if port_open "$KAFKA_PORT"; then
      log "running (pid $pid) on $HOST:$KAFKA_PORT"
      return 0
    fi
    log "process $pid runs but $HOST:$KAFKA_PORT does not answer"
    return 1
  fi
  if port_open "$KAFKA_PORT"; then
    log "stopped, but another process listens on $HOST:$KAFKA_PORT"
  else
    log "stopped"
  fi
  return 3
}

cmd_run_class() {
  [[ $# -ge 1 ]] || usage
  ensure_java
  lib_up_to_date || die "jars missing or outdated: run $0 install"
  exec "$JAVA" "${TOOL_JVM_OPTS[@]}" -cp "$LIB_DIR/*" "$@"
}

main() {
  [[ $# -ge 1 ]] || usage
  local cmd="$1"
  shift
  case "$cmd" in
  install)
    take_lock
    do_install
    ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  run-class) cmd_run_class "$@" ;;
  -h | --help | help) usage ;;
  *) usage ;;
  esac
}

main "$@"
