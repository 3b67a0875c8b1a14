#!/usr/bin/env bash
# promtool, Prometheus's rule checker, for the tests that check the alert rules the
# repository ships (deploy/prometheus): Debian's `prometheus` package, binaries only.
#
# Usage: deploy/local/promtool.sh ensure|path
#
#   ensure  find promtool; apt-get install prometheus when it is missing and we are
#           root, then stop and disable the Prometheus daemon the package's
#           maintainer scripts may have started; prints promtool's path on stdout
#   path    print promtool's path, exit 3 when it is not installed
#
# Environment (optional):
#   ITSM_STATE_DIR      state directory (default: <repo>/.local)
#   ITSM_PROMTOOL_BIN   the binary to use (default: detected)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
STATE_DIR="${ITSM_STATE_DIR:-$REPO_ROOT/.local}"
[[ "$STATE_DIR" == /* ]] || STATE_DIR="$PWD/$STATE_DIR"

PACKAGE=prometheus
SERVICE=prometheus

log() { printf '[promtool] %s\n' "$*" >&2; }
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
  find_executable ITSM_PROMTOOL_BIN "$(command -v promtool 2>/dev/null || true)"
}

cmd_ensure() {
  local binary
  if ! binary="$(find_binary)"; then
    apt_install "$PACKAGE"
    disable_packaged_daemon "$SERVICE"
    binary="$(find_binary)" || die "promtool is still missing after installing $PACKAGE"
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
