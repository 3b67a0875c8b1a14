#!/usr/bin/env bash
# `npm start`: the whole platform on this machine. Installs what is missing, brings up
# Kafka and PostgreSQL (or uses KAFKA_BROKERS / DATABASE_URL), migrates, starts the seven
# services as separate processes and stops everything it started on Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mkdir -p "$STATE_DIR/logs"
ensure_dependencies
build
infra_up
ensure_internal_identity_keys
ensure_service_identity_keys
migrate_all

declare -A PORTS=([gateway]=3000 [incident]=3001 [problem]=3002 [change]=3003 [slm]=3004 [cmdb]=3005 [reporting]=3006)
say "development mode (NODE_ENV=$NODE_ENV): local database credentials, seeded users with a development password"

GATEWAY_PORT="${GATEWAY_PORT:-${PORTS[gateway]}}"
PIDS=()

STOPPING=""
shutdown() {
  trap - INT TERM EXIT
  STOPPING=1
  say "stopping services"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  infra_down_if_started
  say "stopped"
}
trap shutdown INT TERM EXIT

# Every service's key material is handed to it alone, under the names it reads (below).
mapfile -t LOCAL_IDENTITY_KEYS < <(compgen -e | grep -E '^ITSM_LOCAL_[A-Z]+_(SIGNING_KEY|TRUSTED_SERVICE_KEYS)$')
for service in "${SERVICES[@]}"; do
  log="$STATE_DIR/logs/$service.log"
  # Only the gateway gets the private key: a service that held it could mint identities.
  # Likewise a calling service's private key goes to that service only (docs/adr/0012).
  unset_keys=(-u ITSM_SERVICE_IDENTITY_SIGNING_KEY -u ITSM_SERVICE_IDENTITY_SIGNING_KEY_FILE)
  for name in "${LOCAL_IDENTITY_KEYS[@]}"; do unset_keys+=(-u "$name"); done
  [[ "$service" == gateway ]] || unset_keys+=(-u ITSM_INTERNAL_IDENTITY_SIGNING_KEY -u ITSM_INTERNAL_IDENTITY_SIGNING_KEY_FILE)
  own_keys=()
  while IFS= read -r -d '' assignment; do own_keys+=("$assignment"); done < <(service_identity_environment "$service")
  # An 8 MiB young generation, as the image, the benchmarks and the tests run a service (docs/adr/0024).
  env "${unset_keys[@]}" "${own_keys[@]}" node --enable-source-maps --max-semi-space-size=8 "$REPO_ROOT/dist/services/$service/src/main.js" >>"$log" 2>&1 &
  PIDS+=($!)
done

say "waiting for the services to be ready (logs in $STATE_DIR/logs/)"
for service in "${SERVICES[@]}"; do
  port_var="${service^^}_PORT"
  port="${!port_var:-${PORTS[$service]}}"
  deadline=$((SECONDS + 90))
  until curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      say "$service did not become ready; the end of its log:"
      tail -n 30 "$STATE_DIR/logs/$service.log" >&2
      exit 1
    fi
    sleep 0.5
  done
done

cat >&2 <<MSG

  The ITSM platform is running in DEVELOPMENT MODE. Gateway: http://127.0.0.1:$GATEWAY_PORT
  Web console: http://127.0.0.1:$GATEWAY_PORT/ (sign in as agent, requester, ... with the password below)

  Development mode (NODE_ENV=development) is for this machine only: the local issuer signs
  tokens for seeded users who share a development password, and the local database
  credentials are accepted. Started any other way (NODE_ENV unset or production) the
  services refuse both; see docs/configuration.md.

  Get a token (seeded users are named after their roles; password \$ITSM_DEV_PASSWORD, default itsm-dev):
    curl -s -X POST http://127.0.0.1:$GATEWAY_PORT/api/v1/auth/token \\
         -H 'content-type: application/json' -d '{"username":"agent","password":"itsm-dev"}'

  Then, for example:
    curl -s -X POST http://127.0.0.1:$GATEWAY_PORT/api/v1/incidents -H "authorization: Bearer \$TOKEN" \\
         -H 'content-type: application/json' -d '{"title":"Mail is down","description":"since 9:00","impact":2,"urgency":1}'

  Metrics: http://127.0.0.1:<9400..9406>/metrics (gateway 9400, incident 9401, ... reporting 9406)
  Logs: $STATE_DIR/logs/<service>.log    Stop: Ctrl-C

MSG

# Any service that exits ends the platform run, so a crash is never silent.
wait -n "${PIDS[@]}" || true
[[ -n "$STOPPING" ]] || say "a service exited; stopping the platform"
