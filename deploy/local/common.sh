#!/usr/bin/env bash
# Shared steps of `npm start` and `npm test`: dependencies, build, infrastructure,
# migrations. Sourced, not run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
STATE_DIR="${ITSM_STATE_DIR:-$REPO_ROOT/.local}"
SERVICES=(gateway incident problem change slm cmdb reporting)

say() { printf '[itsm] %s\n' "$*" >&2; }

# What the services are told they run as (NODE_ENV): a script that sources this file
# (npm start, npm run migrate, the benchmarks) runs the platform for development on this
# machine, with the local database credentials and the seeded users. `npm test` says
# `test`. Anything else, unset included, is production: the services then refuse the
# development credentials and keep the local issuer off (see the README).
export NODE_ENV=development

# Installs npm packages when node_modules is missing or older than the lockfile, then
# makes sure the pinned Node.js (the `node` dev dependency) is the one on PATH.
ensure_dependencies() {
  cd "$REPO_ROOT" || exit 1
  if [[ ! -x node_modules/.bin/node || package-lock.json -nt node_modules/.package-lock.json ]]; then
    say "installing npm packages (first run only)"
    # `npm ci` refuses lockfiles written by registries that omit optional platform packages; install honours the lockfile.
    npm install --no-audit --no-fund --loglevel=error >&2
  fi
  export PATH="$REPO_ROOT/node_modules/.bin:$PATH"
  hash -r
  say "node $(node --version)"
}

# From an empty dist/: a module that moved (a file that became a folder) must not leave its
# old output behind, which Node would still load.
build() {
  say "building"
  # The console (services/console) is a Vite build into dist/console, which the gateway serves.
  # Always a production bundle: Vite keeps the NODE_ENV it finds (development or test here),
  # which would ship React's development build, several times slower and larger.
  (cd "$REPO_ROOT" && rm -rf dist && tsc -p tsconfig.build.json && tsc-alias -p tsconfig.build.json \
    && NODE_ENV=production vite build --config services/console/vite.config.mts --logLevel warn)
}

# The Alertmanager binary the monitoring-integration tests start (installed with apt-get
# when missing); exported as ITSM_ALERTMANAGER_BIN for libs/testing's AlertmanagerProcess.
ensure_alertmanager() {
  ITSM_ALERTMANAGER_BIN="$(bash "$REPO_ROOT/deploy/local/alertmanager.sh" ensure)"
  export ITSM_ALERTMANAGER_BIN
}

# promtool, which checks and unit-tests the alert rules in deploy/prometheus (Debian's
# prometheus package, binaries only); exported as ITSM_PROMTOOL_BIN.
ensure_promtool() {
  ITSM_PROMTOOL_BIN="$(bash "$REPO_ROOT/deploy/local/promtool.sh" ensure)"
  export ITSM_PROMTOOL_BIN
}

# Schemathesis, the API fuzzer of the api-fuzz suite, in a virtualenv in the checkout (created
# from the pinned, hashed requirements when missing); exported as ITSM_SCHEMATHESIS_BIN.
ensure_schemathesis() {
  ITSM_SCHEMATHESIS_BIN="$(bash "$REPO_ROOT/deploy/local/schemathesis.sh" ensure)"
  export ITSM_SCHEMATHESIS_BIN
}

# Debian's Chromium, which the console's browser tests drive (deploy/local/chromium.sh);
# exported as ITSM_CHROMIUM_BIN for test-console.
ensure_chromium() {
  ITSM_CHROMIUM_BIN="$(bash "$REPO_ROOT/deploy/local/chromium.sh" ensure)"
  export ITSM_CHROMIUM_BIN
}

# Starts (or reuses) Kafka and PostgreSQL and exports KAFKA_BROKERS, DATABASE_URL, ITSM_INFRA_STARTED.
infra_up() {
  local lines
  lines="$(bash "$REPO_ROOT/deploy/local/infra.sh" up)"
  while IFS= read -r line; do
    [[ "$line" == *=* ]] && export "${line?}"
  done <<<"$lines"
}

# Stops only what this run started, so a Kafka or PostgreSQL someone else runs stays up.
infra_down_if_started() {
  if [[ "${ITSM_INFRA_STARTED:-}" == *kafka* ]]; then bash "$REPO_ROOT/deploy/local/kafka.sh" stop || true; fi
  if [[ "${ITSM_INFRA_STARTED:-}" == *postgres* ]]; then bash "$REPO_ROOT/deploy/local/postgres.sh" stop || true; fi
}

# A fresh EC P-256 key pair: the private key as a JWK, a newline, the public key as a JWK Set.
new_identity_key_pair() {
  node -e '
    const { privateKey, publicKey } = require("crypto").generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = (key) => JSON.stringify(key.export({ format: "jwk" }));
    process.stdout.write(`${jwk(privateKey)}\n{"keys":[${jwk(publicKey)}]}`);
  '
}

# The key pair of the internal identity (docs/adr/0009): the gateway signs the caller
# identity it forwards with the private key, the services verify with the public one. A
# fresh pair per run unless a signing key is given, so that no key is ever checked in.
# Exported for the benchmark, which starts services itself; start.sh hands the private key
# to the gateway only.
ensure_internal_identity_keys() {
  if [[ -z "${ITSM_INTERNAL_IDENTITY_SIGNING_KEY:-}${ITSM_INTERNAL_IDENTITY_SIGNING_KEY_FILE:-}" ]]; then
    local pair
    pair="$(new_identity_key_pair)"
    ITSM_INTERNAL_IDENTITY_SIGNING_KEY="${pair%%$'\n'*}"
    ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS="${pair#*$'\n'}"
    export ITSM_INTERNAL_IDENTITY_SIGNING_KEY ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS
  fi
}

# Which service calls which synchronously as itself (docs/adr/0012): the caller signs with
# a key pair of its own, each service it calls trusts the public key. libs/testing's
# SERVICE_CALLS says the same for the tests.
declare -A SERVICE_CALLS=([change]="cmdb")

# A fresh key pair per calling service, held as ITSM_LOCAL_<CALLER>_SIGNING_KEY, and for each
# service called its callers' public keys as ITSM_LOCAL_<CALLEE>_TRUSTED_SERVICE_KEYS (a
# caller's signing key given beforehand is kept, and then so must the trusted keys be). Launchers hand each service only its own (service_identity_environment), under the
# names it reads; exported for the benchmark, which starts services itself.
ensure_service_identity_keys() {
  local caller callee pair signing trusted
  for caller in "${!SERVICE_CALLS[@]}"; do
    signing="ITSM_LOCAL_${caller^^}_SIGNING_KEY"
    [[ -z "${!signing:-}" ]] || continue
    pair="$(new_identity_key_pair)"
    printf -v "$signing" '%s' "${pair%%$'\n'*}"
    export "${signing?}"
    for callee in ${SERVICE_CALLS[$caller]}; do
      trusted="ITSM_LOCAL_${callee^^}_TRUSTED_SERVICE_KEYS"
      printf -v "$trusted" '%s' "$(CALLER="$caller" KEYS="${pair#*$'\n'}" TRUSTED="${!trusted:-}" node -e '
        const trusted = JSON.parse(process.env.TRUSTED || "{}");
        trusted[process.env.CALLER] = JSON.parse(process.env.KEYS);
        process.stdout.write(JSON.stringify(trusted));
      ')"
      export "${trusted?}"
    done
  done
}

# One service's key material for `env`, NUL-separated NAME=value pairs: the private key it
# signs its own identity with when it calls others, the public keys of the services that
# call it. Nothing for a service that does neither.
service_identity_environment() {
  local signing="ITSM_LOCAL_${1^^}_SIGNING_KEY" trusted="ITSM_LOCAL_${1^^}_TRUSTED_SERVICE_KEYS"
  [[ -z "${!signing:-}" ]] || printf 'ITSM_SERVICE_IDENTITY_SIGNING_KEY=%s\0' "${!signing}"
  [[ -z "${!trusted:-}" ]] || printf 'ITSM_TRUSTED_SERVICE_KEYS=%s\0' "${!trusted}"
}

# The migrate step of every service, in parallel: schemas and topics.
migrate_all() {
  say "migrating ${SERVICES[*]}"
  local pids=() failed=0 service
  for service in "${SERVICES[@]}"; do
    node "$REPO_ROOT/dist/services/$service/src/migrate.js" >"$STATE_DIR/logs/migrate-$service.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      say "migration of ${SERVICES[$i]} failed:"
      cat "$STATE_DIR/logs/migrate-${SERVICES[$i]}.log" >&2
      failed=1
    fi
  done
  return "$failed"
}
