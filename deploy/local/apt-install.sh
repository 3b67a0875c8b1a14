#!/usr/bin/env bash
# Sourced by kafka.sh, postgres.sh, alertmanager.sh, promtool.sh and chromium.sh (each defines
# log, die and STATE_DIR first): installs Debian packages when run as root, one script at a
# time on a shared lock, since infra.sh and npm test may run them at once; finds the binaries
# they bring.

APT_LOCK_FILE="$STATE_DIR/.apt.lock"

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Prints the binary to use: the path in the variable named $1 when it is set (it must then be
# executable), otherwise the first executable of the candidates that follow; returns 1 when
# there is none.
find_executable() {
  local override="$1" candidate
  shift
  if [[ -n "${!override:-}" ]]; then
    [[ -x "${!override}" ]] || die "$override=${!override} is not executable"
    printf '%s
' "${!override}"
    return 0
  fi
  for candidate in "$@"; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then
      printf '%s
' "$candidate"
      return 0
    fi
  done
  return 1
}

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

# A package's maintainer scripts enable its service and start it through systemd or its
# init script. The tests only want the binaries (they start their own instances on free
# ports): a daemon would hold the package's ports and do nothing useful, so it is stopped
# and kept from booting. $1: the service's name, also its process's name and user.
disable_packaged_daemon() {
  local service="$1" pid
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    systemctl disable --now "$service" >/dev/null 2>&1 || true
  fi
  if [[ -x "/etc/init.d/$service" ]]; then
    "/etc/init.d/$service" stop >/dev/null 2>&1 || true
    if command -v update-rc.d >/dev/null 2>&1; then
      update-rc.d "$service" disable >/dev/null 2>&1 || true
    fi
  fi
  for pid in $(pgrep -x "$service" -u prometheus 2>/dev/null || true); do
    log "stopping the packaged daemon (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
  done
}
