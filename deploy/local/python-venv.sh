# shellcheck shell=bash
# Python tools in a virtualenv of their own, from a hashed requirements lock (pip-compile
# --generate-hashes). Sourced by the scripts that install one (schemathesis.sh, helm.sh),
# after apt-install.sh and their own `log`/`die`; PYTHON names the interpreter.

# A Python 3.9 or newer with venv and ensurepip, installed with apt-get when missing.
ensure_python() {
  command -v "$PYTHON" >/dev/null 2>&1 || apt_install python3 python3-venv
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))' ||
    die "$PYTHON is older than 3.9; set ITSM_PYTHON to a newer one"
  # Debian splits venv (and the pip it bootstraps) into its own package.
  "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
}

# venv_is_current VENV REQUIREMENTS EXECUTABLE: the venv was built from this lock to the
# end and holds the tool.
venv_is_current() {
  [[ -x "$1/bin/$3" && -f "$1/.requirements.txt" ]] && cmp -s "$1/.requirements.txt" "$2"
}

# install_venv VENV REQUIREMENTS: a fresh venv with exactly the lock's packages.
install_venv() {
  ensure_python
  rm -rf "$1"
  "$PYTHON" -m venv "$1" >&2
  # --require-hashes: every package, dependencies included, is the one the lock names.
  PIP_FIND_LINKS='' "$1/bin/pip" install --quiet --disable-pip-version-check \
    --no-input --require-hashes --no-deps -r "$2" >&2 ||
    die "pip install -r $2 failed"
  # Written last, so a venv whose install was interrupted is rebuilt rather than used.
  cp "$2" "$1/.requirements.txt"
}
