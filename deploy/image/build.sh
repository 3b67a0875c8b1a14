#!/usr/bin/env bash
# Builds the platform's image from deploy/image/Containerfile with docker, podman or
# buildah (see engine.sh for which), and prints its reference on the last line of stdout.
#
#   bash deploy/image/build.sh [--tag TAG] [--oci-archive FILE]
#
#   --tag TAG           the image's reference (default localhost/itsm-platform:<version>)
#   --oci-archive FILE  also write the image to FILE as an OCI archive (e.g. to load it
#                       into a cluster's nodes or push it with skopeo)
#
# The base is the official Node.js image of the pinned version
# (docker.io/library/node:<version>-bookworm-slim) when it is there or can be pulled;
# otherwise, or with ITSM_IMAGE_BASE=local, a local one that deploy/image/base-image.sh
# builds once from Debian and npm packages. ITSM_IMAGE_BASE=<reference> names any other.
# Non-interactive; progress goes to stderr.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$HERE/../.." && pwd -P)"
# shellcheck source=deploy/image/engine.sh
source "$HERE/engine.sh"

say() { printf '[image] %s\n' "$*" >&2; }
usage() {
  sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

TAG=''
OCI_ARCHIVE=''
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tag)
      [[ $# -ge 2 ]] || usage
      TAG="$2"
      shift 2
      ;;
    --tag=*)
      TAG="${1#--tag=}"
      shift
      ;;
    --oci-archive)
      [[ $# -ge 2 ]] || usage
      OCI_ARCHIVE="$2"
      shift 2
      ;;
    --oci-archive=*)
      OCI_ARCHIVE="${1#--oci-archive=}"
      shift
      ;;
    -h | --help) usage ;;
    *)
      say "unknown argument: $1"
      usage
      ;;
  esac
done

cd "$REPO_ROOT"
ENGINE="$(ensure_engine)"
NODE_VERSION="$(pinned_node_version)"
VERSION="$(node -p 'require("./package.json").version' 2>/dev/null ||
  sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)"
TAG="${TAG:-localhost/itsm-platform:$VERSION}"
REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
if [[ "$REVISION" != unknown && -n "$(git status --porcelain -- package.json package-lock.json tsconfig.base.json tsconfig.build.json libs services tools 2>/dev/null)" ]]; then
  REVISION="$REVISION-dirty"
fi
SOURCE="${ITSM_IMAGE_SOURCE:-$(git remote get-url origin 2>/dev/null | sed -E 's#^git@([^:]+):#https://\1/#; s#\.git$##' || true)}"

pull_image() {
  case "$ENGINE" in
    docker) docker pull --quiet "$1" >&2 ;;
    *) engine_run "$ENGINE" pull --quiet "$1" >/dev/null ;;
  esac
}

OFFICIAL_BASE="docker.io/library/node:$NODE_VERSION-bookworm-slim"
case "${ITSM_IMAGE_BASE:-}" in
  local) BASE_IMAGE="$(bash "$HERE/base-image.sh" | tail -n 1)" ;;
  '' | official)
    if engine_has_image "$ENGINE" "$OFFICIAL_BASE" || pull_image "$OFFICIAL_BASE" 2>/dev/null; then
      BASE_IMAGE="$OFFICIAL_BASE"
    elif [[ "${ITSM_IMAGE_BASE:-}" == official ]]; then
      say "cannot pull $OFFICIAL_BASE"
      exit 1
    else
      say "cannot pull $OFFICIAL_BASE: using a local base image built from Debian and npm packages"
      BASE_IMAGE="$(bash "$HERE/base-image.sh" | tail -n 1)"
    fi
    ;;
  *) BASE_IMAGE="$ITSM_IMAGE_BASE" ;;
esac

# The certificate authorities the host's npm trusts beyond Node.js's own (an intercepting
# proxy's, as on this project's machines), handed to the build's npm as the secret npm-ca;
# an empty file when there are none, since buildah insists on every secret it is asked for.
ca_file="${ITSM_IMAGE_NPM_CA_FILE:-${NODE_EXTRA_CA_CERTS:-$(npm config get cafile 2>/dev/null || true)}}"
if [[ -z "$ca_file" || "$ca_file" == null || ! -r "$ca_file" ]]; then
  ca_file="$(mktemp)"
  trap 'rm -f "$ca_file"' EXIT
fi
registry="$(npm config get registry 2>/dev/null || true)"

build_args=(
  --secret "id=npm-ca,src=$ca_file"
  --build-arg "NODE_VERSION=$NODE_VERSION"
  --build-arg "BASE_IMAGE=$BASE_IMAGE"
  --build-arg "VERSION=$VERSION"
  --build-arg "REVISION=$REVISION"
  --build-arg "SOURCE=${SOURCE:-unknown}"
  ${registry:+--build-arg "NPM_CONFIG_REGISTRY=$registry"}
  --file "$HERE/Containerfile"
  --tag "$TAG"
)
# As root, chroot isolation needs neither nested namespaces nor cgroups, which the machines
# that build this (CI runners, containers) often lack.
isolation="${ITSM_IMAGE_ISOLATION-}"
if [[ ! -v ITSM_IMAGE_ISOLATION && "$(id -u)" == 0 ]]; then isolation=chroot; fi

say "building $TAG with $ENGINE from $BASE_IMAGE"
started=$SECONDS
case "$ENGINE" in
  docker) DOCKER_BUILDKIT=1 docker build "${build_args[@]}" . >&2 ;;
  podman) engine_run podman build ${isolation:+--isolation "$isolation"} --layers --pull=missing "${build_args[@]}" . >&2 ;;
  buildah) engine_run buildah bud ${isolation:+--isolation "$isolation"} --layers --pull=missing "${build_args[@]}" . >&2 ;;
esac
say "built $TAG in $((SECONDS - started)) s"

if [[ -n "$OCI_ARCHIVE" ]]; then
  mkdir -p "$(dirname "$OCI_ARCHIVE")"
  rm -f "$OCI_ARCHIVE"
  case "$ENGINE" in
    docker) docker save --output "$OCI_ARCHIVE" "$TAG" ;;
    podman) engine_run podman save --quiet --format oci-archive --output "$OCI_ARCHIVE" "$TAG" ;;
    buildah) engine_run buildah push --quiet "$TAG" "oci-archive:$OCI_ARCHIVE:$TAG" ;;
  esac
  say "wrote $OCI_ARCHIVE"
fi
printf '%s\n' "$TAG"
