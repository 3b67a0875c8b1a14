#!/usr/bin/env bash
# Chromium, for the console's browser tests (test-console, `npm run test:console`):
# Debian's `chromium` package, driven by playwright-core. Playwright's own browser
# download is not used (and not reachable everywhere).
#
# Usage: deploy/local/chromium.sh ensure|path
#
#   ensure  find chromium; apt-get install chromium when it is missing and we are root;
#           prints its path on stdout
#   path    print chromium's path, exit 3 when it is not installed
#
# Environment (optional):
#   ITSM_STATE_DIR      state directory (default: <repo>/.local)
#   ITSM_CHROMIUM_BIN   the binary to use (default: detected)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
STATE_DIR="${ITSM_STATE_DIR:-$REPO_ROOT/.local}"
[[ "$STATE_DIR" == /* ]] || STATE_DIR="$PWD/$STATE_DIR"

PACKAGE=chromium

log() { printf '[chromium] %s\n' "$*" >&2; }
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
  find_executable ITSM_CHROMIUM_BIN /usr/bin/chromium "$(command -v chromium 2>/dev/null || true)"
}

cmd_ensure() {
  local binary
  if ! binary="$(find_binary)"; then
    apt_install "$PACKAGE"
    binary="$(find_binary)" || die "chromium is still missing after installing $PACKAGE"
  fi
  log "$("$binary" --version 2>/dev/null | head -n 1)"
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
