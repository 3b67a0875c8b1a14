#!/usr/bin/env bash
# Builds the binaries of the live-install cluster from their Go modules (no prebuilt
# downloads are possible here) into a cache outside the repository, once per version:
#   kube-apiserver, kube-controller-manager, kube-scheduler  (wrapper go/kubernetes)
#   etcd                                                     (wrapper go/etcd)
#   kwok, kwokctl                                            (go install)
# Sourced for its variables and functions, or run directly to build what is missing.
# A cold build compiles ~2,500 packages: 15-45 minutes on 2 cores, then it is instant.
set -euo pipefail

K8S_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KUBERNETES_VERSION="v1.37.2"
ETCD_VERSION="v3.7.4"
KWOK_VERSION="v0.8.0"
ITSM_K8S_CACHE="${ITSM_K8S_CACHE:-$HOME/.cache/itsm-k8s}"
K8S_BIN="$ITSM_K8S_CACHE/kubernetes-$KUBERNETES_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION/bin"
K8S_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok kwokctl)

k8s_binaries_missing() {
  local name
  for name in "${K8S_BINARIES[@]}"; do
    [[ -x "$K8S_BIN/$name" ]] || return 0
  done
  return 1
}

build_k8s_binaries() {
  command -v go >/dev/null || { echo "go is required to build the cluster binaries" >&2; return 1; }
  mkdir -p "$K8S_BIN"
  # The wrappers' go.sum are committed; -mod=mod would let a stale one be rewritten silently.
  export GOFLAGS="${GOFLAGS:-} -mod=readonly"
  # nice: the build takes most of two cores for a long time; other work keeps going.
  if [[ ! -x "$K8S_BIN/kwok" || ! -x "$K8S_BIN/kwokctl" ]]; then
    echo "building kwok, kwokctl $KWOK_VERSION into $K8S_BIN"
    GOBIN="$K8S_BIN" nice -n 10 go install -trimpath -ldflags='-s -w' \
      "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@$KWOK_VERSION"
  fi
  if [[ ! -x "$K8S_BIN/etcd" ]]; then
    echo "building etcd $ETCD_VERSION into $K8S_BIN"
    (cd "$K8S_DIR/go/etcd" && nice -n 10 go build -trimpath -ldflags='-s -w' \
      -o "$K8S_BIN/etcd" go.etcd.io/etcd/server/v3)
  fi
  if [[ ! -x "$K8S_BIN/kube-apiserver" || ! -x "$K8S_BIN/kube-controller-manager" || ! -x "$K8S_BIN/kube-scheduler" ]]; then
    echo "building kube-apiserver, kube-controller-manager, kube-scheduler $KUBERNETES_VERSION into $K8S_BIN"
    local minor="${KUBERNETES_VERSION#v1.}"
    minor="${minor%%.*}"
    # Without these the binaries call themselves v0.0.0-master and kwokctl picks flags by version.
    local version_flags="-s -w"
    local pkg
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      version_flags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
      version_flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
    done
    # One invocation so the ~2,000 shared packages compile once for all three.
    (cd "$K8S_DIR/go/kubernetes" && nice -n 10 go build -trimpath -ldflags="$version_flags" -o "$K8S_BIN/" \
      k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler)
  fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  build_k8s_binaries
  "$K8S_BIN/kube-apiserver" --version
  "$K8S_BIN/etcd" --version | sed -n 1p
  "$K8S_BIN/kwokctl" --version
fi
