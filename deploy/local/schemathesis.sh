#!/usr/bin/env bash
# Schemathesis, the API fuzzer the test-e2e/api-fuzz suite runs against the gateway's
# OpenAPI document: installed in a virtualenv inside the checkout from the pinned,
# hashed requirements next to this script, so every machine runs the same version.
#
# Usage: deploy/local/schemathesis.sh ensure|path
#
#   ensure  create or update the virtualenv when it is missing or older than
#           schemathesis/requirements.txt (apt-get install python3-venv first
#           when the venv module is missing and we are root); prints the path of
#           the `st` command on stdout
#   path    print the path of `st`, exit 3 when it is not installed
#
# Environment (optional):
#   ITSM_PYTHON            the Python 3.9+ to build the virtualenv with (default: python3)
#   ITSM_SCHEMATHESIS_VENV the virtualenv (default: <repo>/.local/venv)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
STATE_DIR="${ITSM_STATE_DIR:-$REPO_ROOT/.local}"
[[ "$STATE_DIR" == /* ]] || STATE_DIR="$PWD/$STATE_DIR"
# In the checkout, not the state directory: the requirements it was built from are the checkout's.
VENV="${ITSM_SCHEMATHESIS_VENV:-$REPO_ROOT/.local/venv}"
REQUIREMENTS="$SCRIPT_DIR/schemathesis/requirements.txt"
PYTHON="${ITSM_PYTHON:-python3}"

log() { printf '[schemathesis] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}
# shellcheck source=deploy/local/apt-install.sh
source "$SCRIPT_DIR/apt-install.sh"
# shellcheck source=deploy/local/python-venv.sh
source "$SCRIPT_DIR/python-venv.sh"

usage() {
  sed -n '/^# Usage:/,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
  exit 2
}

is_current() {
  venv_is_current "$VENV" "$REQUIREMENTS" st
}

cmd_ensure() {
  mkdir -p "$(dirname "$VENV")"
  (
    # npm test and a fuzz run may ensure at once: one builds, the other waits and reuses.
    flock -w 600 9 || die "timed out waiting for another install"
    if ! is_current; then
      log "installing into $VENV (first run only)"
      install_venv "$VENV" "$REQUIREMENTS"
    fi
  ) 9>>"$(dirname "$VENV")/.schemathesis.lock"
  log "$("$VENV/bin/st" --version 2>&1 | head -n 1)"
  printf '%s\n' "$VENV/bin/st"
}

cmd_path() {
  is_current || {
    log "not installed: run $0 ensure"
    return 3
  }
  printf '%s\n' "$VENV/bin/st"
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
