#!/usr/bin/env bash
# `npm test`: installs what is missing (npm packages, Prometheus Alertmanager and promtool,
# Schemathesis, helm and kubernetes-validate), builds, brings up Kafka and PostgreSQL once (or uses
# KAFKA_BROKERS / DATABASE_URL), then runs the unit, integration, end-to-end and chart
# suites in one Jest run against them. Extra arguments go to Jest (e.g. `npm test --
# --selectProjects unit`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export NODE_ENV=test

mkdir -p "$STATE_DIR/logs"
ensure_dependencies
ensure_alertmanager
ensure_promtool
ensure_schemathesis
# helm and kubernetes-validate, pinned, for the chart project (helm/itsm/tests).
say "$(bash "$REPO_ROOT/deploy/local/helm.sh" ensure)"
# Chromium, when the console's browser tests are asked for too (ITSM_CONSOLE_TESTS=1;
# `npm run test:console` runs them alone, deploy/local/test-console.sh).
[[ -z "${ITSM_CONSOLE_TESTS:-}" ]] || ensure_chromium
build
infra_up
trap infra_down_if_started EXIT

say "running the test suites"
cd "$REPO_ROOT"
# In band: the integration and end-to-end suites start service processes, and two cores
# are better spent on those than on parallel Jest workers.
# jose and other ESM-only packages load through require(esm), which Jest supports with vm modules.
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --disable-warning=ExperimentalWarning"
# One process runs every suite, and its heap grows with each test file Jest loads (its module
# registry per file): past V8's default limit of about 4 GB the run would abort near its end.
# The larger limit is for the runner alone, not the services the suites start.
node --max-old-space-size=8192 "$(command -v jest)" --runInBand "$@"
