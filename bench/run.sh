#!/usr/bin/env bash
# `npm run bench [-- <benchmark>]`: builds, brings up (or reuses) Kafka and PostgreSQL,
# migrates a fresh `itsm_bench` database with every service's migrate step, then runs the
# compiled benchmark, which starts the services it needs, prints its tables and writes
# bench/results/<run id>.json. See bench/README.md.
#
# Benchmarks: `pipeline` (default; creates through the gateway, dist/bench/src/main.js) and
# one per domain, `incident`, `cmdb`, `slm`, `problem`, `change`, `reporting` (dist/bench/src/<name>/main.js),
# `console` (the web console in Chromium: first load and record page on a million incidents),
# and `quick` (gateway and incident only: CPU per create and per read, under a minute once
# built; BENCH_BUILD=0 reuses dist/ as it is).
#
# Environment (all optional): BENCH_CONNECTIONS (8,32), BENCH_WARMUP_S (2),
# BENCH_DURATION_S (15), BENCH_SAMPLE_COUNT (500), BENCH_SAMPLE_RATE (50),
# BENCH_PG_SECONDS (10), BENCH_DRAIN_TIMEOUT_S (180), BENCH_QUIET_WAIT_S (60),
# BENCH_DATABASE (itsm_bench), BENCH_KEEP_DATABASE (1: migrate the existing one instead), and the platform's DATABASE_POOL_SIZE,
# OUTBOX_POLL_INTERVAL_MS, OUTBOX_BATCH_SIZE, KAFKA_SESSION_TIMEOUT_MS, UPSTREAM_TIMEOUT_MS
# and RATE_LIMIT_PER_MINUTE (the benchmark's default: 100000000), passed to the services.
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/local/common.sh"

BENCH_NAME="${1:-pipeline}"
case "$BENCH_NAME" in
  pipeline) BENCH_ENTRY="dist/bench/src/main.js" ;;
  incident | cmdb | slm | problem | change | reporting | console | quick) BENCH_ENTRY="dist/bench/src/$BENCH_NAME/main.js" ;;
  *)
    echo "unknown benchmark '$BENCH_NAME' (pipeline, incident, cmdb, slm, problem, change, reporting, console, quick)" >&2
    exit 2
    ;;
esac
BENCH_DATABASE="${BENCH_DATABASE:-itsm_bench}"
RUN_ID="$(date -u +%Y%m%dT%H%M%SZ)-$BENCH_NAME"
LOG_DIR="$STATE_DIR/bench/$RUN_ID"
PID_FILE="$LOG_DIR/service.pids"
BENCH_PID=""

# Stops whatever the benchmark started and did not stop itself (it stops its services on
# its own, also on Ctrl-C; this covers a crash or a kill), then the infrastructure, but
# only if this run started it.
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$BENCH_PID" ]] && kill -0 "$BENCH_PID" 2>/dev/null; then
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
  fi
  if [[ -f "$PID_FILE" ]]; then
    local pid name
    while read -r pid name; do
      # Only a process that is still the service we started (pids get reused).
      if [[ -r "/proc/$pid/cmdline" ]] &&
        tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q "dist/services/$name/src/main.js"; then
        say "stopping leftover $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
      fi
    done <"$PID_FILE"
  fi
  infra_down_if_started
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$LOG_DIR"
ensure_dependencies
if [[ "${BENCH_BUILD:-1}" == 0 && -f "$REPO_ROOT/$BENCH_ENTRY" ]]; then
  say "BENCH_BUILD=0: using dist/ as built"
else
  build
fi
infra_up
# The key pairs of the internal identity and of the services that call others as themselves
# come from common.sh, as for `npm start`.
ensure_internal_identity_keys
ensure_service_identity_keys

if [[ "${BENCH_KEEP_DATABASE:-}" == 1 ]]; then
  say "keeping database $BENCH_DATABASE as an earlier run left it"
  BENCH_DATABASE_URL="$(node "$REPO_ROOT/dist/bench/src/reset-database.js" --keep "$DATABASE_URL" "$BENCH_DATABASE")"
else
  say "fresh database $BENCH_DATABASE"
  BENCH_DATABASE_URL="$(node "$REPO_ROOT/dist/bench/src/reset-database.js" "$DATABASE_URL" "$BENCH_DATABASE")"
fi
GROUP_PREFIX="itsm-bench-$RUN_ID"
# Every service's step, the quick benchmark's too: it runs gateway and incident only, but
# the incident service consumes topics other services' steps create, and on a fresh broker
# it would not start without them.
MIGRATED=("${SERVICES[@]}")

say "migrating ${MIGRATED[*]} (logs in $LOG_DIR)"
pids=()
for service in "${MIGRATED[@]}"; do
  DATABASE_URL="$BENCH_DATABASE_URL" KAFKA_CONSUMER_GROUP_PREFIX="$GROUP_PREFIX" \
    node "$REPO_ROOT/dist/services/$service/src/migrate.js" >"$LOG_DIR/migrate-$service.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    say "migration of ${MIGRATED[$i]} failed:"
    cat "$LOG_DIR/migrate-${MIGRATED[$i]}.log" >&2
    failed=1
  fi
done
((failed == 0)) || exit 1

say "running the $BENCH_NAME benchmark"
# In the background so that a TERM or INT to this script reaches it; it stops its services.
BENCH_REPO_ROOT="$REPO_ROOT" BENCH_RUN_ID="$RUN_ID" BENCH_LOG_DIR="$LOG_DIR" \
  BENCH_PID_FILE="$PID_FILE" BENCH_DATABASE_URL="$BENCH_DATABASE_URL" \
  BENCH_GROUP_PREFIX="$GROUP_PREFIX" KAFKA_BROKERS="$KAFKA_BROKERS" \
  node --enable-source-maps "$REPO_ROOT/$BENCH_ENTRY" &
BENCH_PID=$!
status=0
wait "$BENCH_PID" || status=$?
BENCH_PID=""
exit "$status"
