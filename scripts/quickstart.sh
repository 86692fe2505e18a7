#!/usr/bin/env bash
# quickstart.sh — install what Termite needs, build it into build/, then
# run the flagship demo or the test suites.  Meant for a fresh Debian 12
# machine (run as root, or with sudo available); elsewhere it skips the
# package step and only builds.
#
#   bash scripts/quickstart.sh demo   install, build, run examples/demo.scm
#   bash scripts/quickstart.sh test   install, build, run the C unit tests
#                                     (meson test) and the pytest suite
#   bash scripts/quickstart.sh deps   only install the packages
#
# TERMITE_EXTRA_PACKAGES="a b" adds Debian packages to install (.ci/run
# uses it for clang).  Progress goes to stderr as "==> ..." lines.
set -euo pipefail

PACKAGES=(meson ninja-build pkg-config gcc libglib2.0-dev libgmp-dev
          libreadline-dev python3-pytest python3-pexpect)
# Debian's interpreter, which has python3-pytest and python3-pexpect (a
# pyenv or venv python3 earlier on PATH may not).
PYTHON=/usr/bin/python3
BUILD=build

say() { echo "==> $*" >&2; }
die() { echo "quickstart: $*" >&2; exit 1; }

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

# Install the packages that are missing; apt-get update only if one is.
install_deps() {
    local extra=()
    read -r -a extra <<< "${TERMITE_EXTRA_PACKAGES:-}"
    if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
        say "not a Debian system: skipping package installation"
        say "(needs: ${PACKAGES[*]} ${extra[*]})"
        return
    fi
    local missing=() p
    for p in "${PACKAGES[@]}" "${extra[@]}"; do
        is_installed "$p" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "all packages are installed"
        return
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null ||
            die "run as root to install: ${missing[*]}"
        sudo=(sudo)
    fi
    say "installing ${missing[*]}"
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q "${missing[@]}"
}

# Configure build/ if it is not (or cannot be used as it is), then build.
build() {
    if [ ! -f "$BUILD/meson-private/coredata.dat" ]; then
        say "configuring $BUILD/"
        meson setup "$BUILD" >&2
    elif ! meson introspect "$BUILD" --buildoptions >/dev/null 2>&1 ||
         [ ! -f "$BUILD/build.ninja" ]; then
        say "reconfiguring $BUILD/"
        meson setup --reconfigure "$BUILD" >&2 ||
            meson setup --wipe "$BUILD" >&2
    fi
    say "building in $BUILD/"
    ninja -C "$BUILD" >&2
}

run_demo() {
    say "running $BUILD/termite examples/demo.scm"
    "$BUILD/termite" examples/demo.scm
}

# Both suites run even if the first fails; the status says if any did.
run_tests() {
    local status=0
    say "running the C unit tests (meson test)"
    meson test -C "$BUILD" --print-errorlogs || status=1
    say "running the Scheme and CLI tests (pytest)"
    # exit status 5 (no test collected) is a failure too
    TERMITE="$PWD/$BUILD/termite" "$PYTHON" -m pytest -q tests || status=1
    if [ $status -ne 0 ]; then
        say "FAILED: see the output above"
    else
        say "all tests passed"
    fi
    return $status
}

[ $# -eq 1 ] || usage
cd "$(dirname "${BASH_SOURCE[0]}")/.."
case "$1" in
    demo) install_deps; build; run_demo ;;
    test) install_deps; build; run_tests ;;
    deps) install_deps ;;
    *) usage ;;
esac
