#!/usr/bin/env bash
# `npm run test:k8s`: the container image and a live install of the Helm chart.
#   1. tools: npm packages, the cluster binaries (built from their Go modules on first run,
#      15-45 min on 2 cores, then cached in ~/.cache/itsm-k8s), helm and kubectl
#      (deploy/local/helm.sh);
#   2. the platform build and Kafka + PostgreSQL, which the image test starts a container
#      against (and Jest's global set-up expects, as in `npm test`); the image
#      (deploy/image/build.sh), whose reference goes to both tests as ITSM_IMAGE_REF;
#   3. a throwaway cluster (deploy/k8s/cluster.sh), deleted on exit;
#   4. Jest with test-k8s/jest.config.js: test-k8s/image.k8s-spec.ts builds and checks the
#      image, test-k8s/live-install.k8s-spec.ts installs, upgrades, tests and removes the chart.
# ITSM_K8S_SKIP_IMAGE=1 leaves out the image (no buildah or podman needed).
# Extra arguments go to Jest.
set -euo pipefail
K8S_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=deploy/local/common.sh
source "$K8S_DIR/../local/common.sh"
# shellcheck source=deploy/k8s/binaries.sh
source "$K8S_DIR/binaries.sh"
export NODE_ENV=test

phase_started=$SECONDS
phase() {
  say "$1 took $((SECONDS - phase_started)) s"
  phase_started=$SECONDS
}

mkdir -p "$STATE_DIR/logs"
ensure_dependencies
if k8s_binaries_missing; then
  say "building the cluster binaries (first run only; 15-45 min on 2 cores)"
  build_k8s_binaries
fi
ITSM_HELM_BIN="$(bash "$REPO_ROOT/deploy/local/helm.sh" path)"
ITSM_KUBECTL_BIN="$(bash "$REPO_ROOT/deploy/local/helm.sh" kubectl)"
export ITSM_HELM_BIN ITSM_KUBECTL_BIN
phase "tools"

jest_args=()
if [[ "${ITSM_K8S_SKIP_IMAGE:-}" == 1 ]]; then
  jest_args+=(--testPathIgnorePatterns 'test-k8s/image\.k8s-spec\.ts')
fi
# Jest's global set-up runs every service's migrate step from dist/, as for `npm test`.
build
# shellcheck disable=SC2317 # called by the trap
cleanup() {
  [[ -z "${ITSM_K8S_WORKDIR:-}" ]] || bash "$K8S_DIR/cluster.sh" down || true
  infra_down_if_started
}
trap cleanup EXIT
infra_up
phase "build and infrastructure"

if [[ "${ITSM_K8S_SKIP_IMAGE:-}" != 1 ]]; then
  # Into podman's storage, where the image test runs it; the chart is installed with it too.
  export ITSM_IMAGE_BUILDER="${ITSM_IMAGE_BUILDER:-podman}"
  ITSM_IMAGE_REF="$(bash "$REPO_ROOT/deploy/image/build.sh" | tail -n 1)"
  export ITSM_IMAGE_REF
  say "image $ITSM_IMAGE_REF"
  phase "image build"
fi

cluster_env="$(bash "$K8S_DIR/cluster.sh" up)"
while IFS= read -r line; do
  [[ "$line" == *=* ]] && export "${line?}"
done <<<"$cluster_env"
phase "cluster up"

cd "$REPO_ROOT"
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --disable-warning=ExperimentalWarning"
status=0
jest -c test-k8s/jest.config.js --runInBand "${jest_args[@]}" "$@" || status=$?
phase "jest"
exit "$status"
