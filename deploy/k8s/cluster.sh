#!/usr/bin/env bash
# A throwaway Kubernetes cluster for `npm run test:k8s`: a real etcd, kube-apiserver,
# kube-controller-manager and kube-scheduler (built by binaries.sh) run as local processes by
# kwokctl, with kwok standing in for the kubelets of two simulated nodes. Nothing runs in
# the pods: kwok marks them ready, completes Job pods and (pod-helm-test-complete.yaml)
# `helm test` pods; images are never pulled, so any image reference installs.
#
# Usage: deploy/k8s/cluster.sh up|down
#
#   up    builds the binaries when missing, creates the cluster and its nodes, waits until
#         they are Ready; prints ITSM_K8S_WORKDIR=... and KUBECONFIG=... lines to export
#   down  deletes the cluster of ITSM_K8S_WORKDIR and its directory
#
# Environment (optional):
#   ITSM_K8S_CLUSTER  the kwokctl cluster name (default: itsm-live)
#   ITSM_K8S_CACHE    where the built binaries are kept (default: ~/.cache/itsm-k8s)
set -euo pipefail

K8S_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=deploy/k8s/binaries.sh
source "$K8S_DIR/binaries.sh"
CLUSTER="${ITSM_K8S_CLUSTER:-itsm-live}"

log() { printf '[k8s] %s\n' "$*" >&2; }

# kwok's own stages (node heartbeat, pod ready/complete/delete), which a configuration that
# names any Stage replaces, from the kwok module the binaries were built from; then ours.
stage_configs() {
  local kwok_dir
  kwok_dir="$(cd / && GOFLAGS='' go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" |
    sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$kwok_dir/kustomize/stage" ]] || { log "kwok $KWOK_VERSION sources not found"; return 1; }
  local stage
  for stage in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
    pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
    printf -- '--config=%s\n' "$kwok_dir/kustomize/stage/$stage.yaml"
  done
  printf -- '--config=%s\n' "$K8S_DIR/kwok/pod-helm-test-complete.yaml"
}

create() {
  local workdir="$1" kubeconfig="$2"
  shift 2
  # KWOK_WORKDIR keeps the cluster's certificates, logs and etcd data out of ~/.kwok.
  KWOK_WORKDIR="$workdir/kwok" "$K8S_BIN/kwokctl" --name "$CLUSTER" -v WARN "$@" create cluster \
    --runtime binary \
    --kube-authorization=true \
    --kube-admission=true \
    --kube-apiserver-binary "$K8S_BIN/kube-apiserver" \
    --kube-controller-manager-binary "$K8S_BIN/kube-controller-manager" \
    --kube-scheduler-binary "$K8S_BIN/kube-scheduler" \
    --etcd-binary "$K8S_BIN/etcd" \
    --kwok-controller-binary "$K8S_BIN/kwok" \
    --kubeconfig "$kubeconfig" \
    --wait 5m >&2 || return 1
  local kubectl
  kubectl="$(kubectl_path)" || return 1
  "$kubectl" --kubeconfig "$kubeconfig" apply -f "$K8S_DIR/kwok/nodes.yaml" >&2 || return 1
  "$kubectl" --kubeconfig "$kubeconfig" wait --for=condition=Ready node --all --timeout=120s >&2
}

up() {
  k8s_binaries_missing && build_k8s_binaries >&2
  local workdir kubeconfig
  workdir="$(mktemp -d -t itsm-k8s.XXXXXX)"
  kubeconfig="$workdir/kubeconfig"
  local configs configs_text
  configs_text="$(stage_configs)"
  mapfile -t configs <<<"$configs_text"
  log "creating cluster $CLUSTER (kube-apiserver $KUBERNETES_VERSION, etcd $ETCD_VERSION) in $workdir"
  # A cluster that came up half way is taken down again: nobody else knows its directory.
  if ! create "$workdir" "$kubeconfig" "${configs[@]}"; then
    ITSM_K8S_WORKDIR="$workdir" down
    return 1
  fi
  printf 'ITSM_K8S_WORKDIR=%s\nKUBECONFIG=%s\n' "$workdir" "$kubeconfig"
}

down() {
  local workdir="${ITSM_K8S_WORKDIR:?set ITSM_K8S_WORKDIR to the directory cluster.sh up printed}"
  [[ -d "$workdir/kwok" ]] || return 0
  log "deleting cluster $CLUSTER"
  KWOK_WORKDIR="$workdir/kwok" "$K8S_BIN/kwokctl" --name "$CLUSTER" -v WARN delete cluster >&2 || true
  rm -rf "$workdir"
}

# The kubectl deploy/local/helm.sh pins, else one on PATH.
kubectl_path() {
  local repo_root="$K8S_DIR/../.."
  if [[ -f "$repo_root/deploy/local/helm.sh" ]]; then
    bash "$repo_root/deploy/local/helm.sh" kubectl
  else
    command -v kubectl
  fi
}

case "${1:-}" in
up) up ;;
down) down ;;
*)
  sed -n '/^# Usage:/,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
  exit 2
  ;;
esac
