#!/usr/bin/env bash
# `npm run test:console`: the web console in a real browser (test-console/). Installs what
# is missing (npm packages, Debian's Chromium), builds (the console included), brings up
# Kafka and PostgreSQL once (or uses KAFKA_BROKERS / DATABASE_URL), then runs the console
# project alone. Extra arguments go to Jest. ITSM_CONSOLE_SCREENSHOTS=<folder> saves the
# screens it passes through.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export NODE_ENV=test
export ITSM_CONSOLE_TESTS=1

mkdir -p "$STATE_DIR/logs"
ensure_dependencies
ensure_chromium
build
infra_up
trap infra_down_if_started EXIT

say "running the console's browser tests"
cd "$REPO_ROOT"
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --disable-warning=ExperimentalWarning"
node "$(command -v jest)" --runInBand --selectProjects console "$@"
