#!/usr/bin/env bash
# Sourced by kafka.sh, postgres.sh and alertmanager.sh (each defines log, die and
# STATE_DIR first): installs Debian packages when run as root, one script at a time on a
# shared lock, since infra.sh and npm test may run them at once.

APT_LOCK_FILE="$STATE_DIR/.apt.lock"

is_root() { [[ "$(id -u)" -eq 0 ]]; }

apt_install() {
  is_root || die "missing: $* (install with: sudo apt-get install -y $*)"
  command -v apt-get >/dev/null 2>&1 || die "missing: $* and no apt-get to install them"
  log "installing with apt-get: $*"
  mkdir -p "$STATE_DIR"
  (
    flock -w 900 8 || exit 1
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@"
  ) 8>>"$APT_LOCK_FILE" >&2 || die "apt-get install $* failed"
}
