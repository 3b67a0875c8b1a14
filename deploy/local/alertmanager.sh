#!/usr/bin/env bash
# Prometheus Alertmanager for the tests: the distribution's binary only. Tests start
# their own instances (libs/testing/src/alertmanager.ts) with a generated configuration
# and free ports; nothing here runs it as a daemon.
#
# Usage: deploy/local/alertmanager.sh ensure|path
#
#   ensure  find the binary; apt-get install prometheus-alertmanager when it is
#           missing and we are root, then stop and disable the daemon the
#           package's maintainer scripts may have started; prints the binary's
#           path on stdout
#   path    print the binary's path, exit 3 when it is not installed
#
# Environment (optional):
#   ITSM_STATE_DIR          state directory (default: <repo>/.local)
#   ITSM_ALERTMANAGER_BIN   the binary to use (default: detected)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
STATE_DIR="${ITSM_STATE_DIR:-$REPO_ROOT/.local}"
[[ "$STATE_DIR" == /* ]] || STATE_DIR="$PWD/$STATE_DIR"

PACKAGE=prometheus-alertmanager
SERVICE=prometheus-alertmanager

log() { printf '[alertmanager] %s\n' "$*" >&2; }
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



find_binary() {
  find_executable ITSM_ALERTMANAGER_BIN /usr/bin/prometheus-alertmanager \
    "$(command -v alertmanager 2>/dev/null || true)"
}

cmd_ensure() {
  local binary
  if ! binary="$(find_binary)"; then
    apt_install "$PACKAGE"
    disable_packaged_daemon "$SERVICE"
    binary="$(find_binary)" || die "the binary is still missing after installing $PACKAGE"
  fi
  log "$("$binary" --version 2>&1 | head -n 1)"
  printf '%s\n' "$binary"
}

cmd_path() {
  find_binary || {
    log "not installed: run $0 ensure"
    return 3
  }
}

main() {
  [[ $# -eq 1 ]] || usage
  case "$1" in
  ensure) cmd_ensure ;;
  path) cmd_path ;;
  *) usage ;;
  esac
}

main "$@"
