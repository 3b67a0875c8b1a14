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
# Written last, so a venv whose install was interrupted is rebuilt rather than used.
STAMP="$VENV/.requirements.txt"

log() { printf '[schemathesis] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}
# shellcheck source=deploy/local/apt-install.sh
source "$SCRIPT_DIR/apt-install.sh"

usage() {
  sed -n '/^# Usage:/,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
  exit 2
}

is_current() {
  [[ -x "$VENV/bin/st" && -f "$STAMP" ]] && cmp -s "$STAMP" "$REQUIREMENTS"
}

ensure_python() {
  command -v "$PYTHON" >/dev/null 2>&1 || apt_install python3 python3-venv
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))' ||
    die "$PYTHON is older than 3.9; set ITSM_PYTHON to a newer one"
  # Debian splits venv (and the pip it bootstraps) into its own package.
  "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
}

cmd_ensure() {
  mkdir -p "$(dirname "$VENV")"
  (
    # npm test and a fuzz run may ensure at once: one builds, the other waits and reuses.
    flock -w 600 9 || die "timed out waiting for another install"
    if ! is_current; then
      ensure_python
      log "installing into $VENV (first run only)"
      rm -rf "$VENV"
      "$PYTHON" -m venv "$VENV" >&2
      # --require-hashes: every package, dependencies included, is the one the lock names.
      PIP_FIND_LINKS='' "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        --no-input --require-hashes --no-deps -r "$REQUIREMENTS" >&2 ||
        die "pip install -r $REQUIREMENTS failed"
      cp "$REQUIREMENTS" "$STAMP"
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
