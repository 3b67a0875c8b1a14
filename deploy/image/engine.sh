#!/usr/bin/env bash
# Which container engine builds and holds the platform's image, and the options it needs,
# shared by build.sh, base-image.sh and the image test. Sourced, or run as
#   bash deploy/image/engine.sh name              # docker, podman or buildah
#   bash deploy/image/engine.sh ensure            # the same, installing podman if none
#   bash deploy/image/engine.sh ensure-podman     # podman and runc, to run the image
#   bash deploy/image/engine.sh storage-options [ENGINE]   # its global options, one a line
# so that whatever runs the image later (the test's podman) looks in the same storage.
#
# ITSM_IMAGE_BUILDER=docker|podman|buildah picks the engine; otherwise the first that works
# of docker (a CLI without a reachable daemon does not count), podman, buildah.
# Podman and buildah as root keep the platform's images in a storage of their own,
# /var/lib/containers/itsm-<driver> (ITSM_IMAGE_STORAGE_ROOT), with the overlay driver
# where the kernel mounts overlay filesystems and vfs where it does not (inside many
# containers; vfs copies every layer whole, and builds take several times longer)
# (ITSM_IMAGE_STORAGE_DRIVER). A storage of its own keeps podman from refusing the driver
# when its default storage was first used with another one ("database storage graph
# driver ... does not match"). See it with e.g.
#   podman $(bash deploy/image/engine.sh storage-options) images
# Set ITSM_IMAGE_STORAGE_ROOT empty for the engine's default storage (and its default
# driver unless ITSM_IMAGE_STORAGE_DRIVER is set); rootless engines always use theirs.
ENGINE_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"

# Installs Debian packages (as root, with apt-get) on the project's shared apt lock.
engine_apt_install() {
  (
    STATE_DIR="${ITSM_STATE_DIR:-$ENGINE_REPO_ROOT/.local}"
    log() { printf '[image] %s\n' "$*" >&2; }
    die() {
      log "$*"
      exit 1
    }
    # shellcheck source=deploy/local/apt-install.sh
    source "$ENGINE_REPO_ROOT/deploy/local/apt-install.sh"
    apt_install "$@"
  )
}

# Podman with runc: crun refuses the hybrid cgroup hierarchy of some machines (this
# project's among them: "cgroups in hybrid mode not supported"), runc takes it.
ensure_podman() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  [[ ${#missing[@]} -eq 0 ]] || engine_apt_install "${missing[@]}"
}

# The engine image_engine names, installed first when none is there: podman (which builds
# too) on a machine with apt-get, or the one ITSM_IMAGE_BUILDER names.
ensure_engine() {
  case "${ITSM_IMAGE_BUILDER:-}" in
    podman) ensure_podman ;;
    buildah) command -v buildah >/dev/null || engine_apt_install buildah ;;
    docker) ;;
    *) image_engine >/dev/null 2>&1 || ensure_podman ;;
  esac
  image_engine
}

# The version of the `node` dev dependency: the Node.js every script, test and image runs on.
pinned_node_version() {
  local version
  version="$(sed -n 's/^ *"node": "\([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\)",\{0,1\}$/\1/p' "$ENGINE_REPO_ROOT/package.json")"
  if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo 'package.json pins no exact version of the node dev dependency' >&2
    return 1
  fi
  printf '%s\n' "$version"
}

image_engine() {
  if [[ -n "${ITSM_IMAGE_BUILDER:-}" ]]; then
    case "$ITSM_IMAGE_BUILDER" in
      docker | podman | buildah) command -v "$ITSM_IMAGE_BUILDER" >/dev/null || {
        printf 'ITSM_IMAGE_BUILDER=%s, but it is not installed\n' "$ITSM_IMAGE_BUILDER" >&2
        return 1
      } ;;
      *)
        printf 'ITSM_IMAGE_BUILDER must be docker, podman or buildah, not %s\n' "$ITSM_IMAGE_BUILDER" >&2
        return 1
        ;;
    esac
    printf '%s\n' "$ITSM_IMAGE_BUILDER"
    return 0
  fi
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    echo docker
  elif command -v podman >/dev/null; then
    echo podman
  elif command -v buildah >/dev/null; then
    echo buildah
  else
    echo 'no container engine: install docker, podman or buildah (on Debian: apt-get install buildah podman)' >&2
    return 1
  fi
}

# True when this kernel mounts overlay filesystems here (not so inside many containers).
overlay_mounts_work() {
  local probe status=1
  probe="$(mktemp -d)" || return 1
  mkdir "$probe/lower" "$probe/upper" "$probe/work" "$probe/merged"
  if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" 2>/dev/null; then
    umount "$probe/merged" && status=0
  fi
  rm -rf "$probe"
  return "$status"
}

# Global options of podman and buildah, one a line (nothing for docker).
engine_storage_options() {
  [[ "${1:-}" == docker || "$(id -u)" != 0 ]] && return 0
  local driver root
  if [[ -v ITSM_IMAGE_STORAGE_DRIVER ]]; then
    driver="$ITSM_IMAGE_STORAGE_DRIVER"
  elif overlay_mounts_work; then
    driver=overlay
  else
    driver=vfs
  fi
  root="/var/lib/containers/itsm-${driver:-default}"
  [[ ! -v ITSM_IMAGE_STORAGE_ROOT ]] || root="$ITSM_IMAGE_STORAGE_ROOT"
  [[ -z "$root" ]] || printf '%s\n' --root "$root" --runroot "/run/containers/${root##*/}"
  [[ -z "$driver" ]] || printf '%s\n' --storage-driver "$driver"
}

# Runs the engine with its storage options: engine_run ENGINE ARGS...
engine_run() {
  local engine="$1"
  shift
  local options=()
  mapfile -t options < <(engine_storage_options "$engine")
  "$engine" "${options[@]}" "$@"
}

# True when the engine holds the image.
engine_has_image() {
  local engine="$1" ref="$2"
  case "$engine" in
    docker) docker image inspect "$ref" >/dev/null 2>&1 ;;
    *) engine_run "$engine" inspect --type image "$ref" >/dev/null 2>&1 ;;
  esac
}

# One label of an image held by the engine, empty when it has none.
engine_image_label() {
  local engine="$1" ref="$2" label="$3" format
  format="{{ index .Config.Labels \"$label\" }}"
  case "$engine" in
    docker) docker image inspect --format "$format" "$ref" 2>/dev/null ;;
    # buildah's inspect has its own layout; podman's matches docker's.
    buildah) engine_run buildah inspect --type image --format "{{ index .OCIv1.Config.Labels \"$label\" }}" "$ref" 2>/dev/null ;;
    podman) engine_run podman image inspect --format "$format" "$ref" 2>/dev/null ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  case "${1:-}" in
    name) image_engine ;;
    ensure) ensure_engine ;;
    ensure-podman) ensure_podman ;;
    storage-options) engine_storage_options "${2:-$(image_engine)}" ;;
    *)
      echo "usage: $0 name | ensure | ensure-podman | storage-options [ENGINE]" >&2
      exit 2
      ;;
  esac
fi
