# Shared by scripts/run.sh and scripts/test.sh: find the tree, install what is missing, build.
# shellcheck shell=bash

TF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Debian packages the app needs to build and run.
TF_APP_PACKAGES=(
  cmake ninja-build g++ pkg-config ccache
  qt6-base-dev qt6-declarative-dev qt6-websockets-dev qt6-charts-dev qt6-httpserver-dev
  libqt6sql6-sqlite qtkeychain-qt6-dev qt6-qpa-plugins
  qml6-module-qtqml qml6-module-qtqml-workerscript qml6-module-qtqml-models
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtcharts
  qml6-module-qt-labs-settings
  fonts-dejavu-core
)
# Extra packages the tests need: a virtual X server and QtQuickTest's QML module; for the
# packaging tests dpkg-dev (dpkg-shlibdeps), rpm (rpmbuild), librsvg2-bin (icon PNGs),
# desktop-file-utils and appstream (validators); postgresql for the schema test; clang with its
# libFuzzer/sanitizer runtimes for the fuzz preset (scripts/fuzz.sh).
TF_TEST_PACKAGES=(xvfb xauth x11-utils qml6-module-qttest
  dpkg-dev rpm librsvg2-bin desktop-file-utils appstream postgresql
  clang-14 libclang-rt-14-dev)

tf_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
tf_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

tf_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else tf_die "need root (or sudo) to run: $*"
  fi
}

# tf_install_packages PKG...: installs only the packages that are missing; apt-get update
# runs once, and only when something has to be installed.
tf_install_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then return 0; fi
  tf_log "installing ${missing[*]}"
  tf_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  tf_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Node is needed only for the interop tests with the official supabase-js client.
tf_ensure_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then return 0; fi
  tf_install_packages nodejs npm
}

# tf_build PRESET [TARGET...]: configures (once) and builds with the CMake preset.
tf_build() {
  local preset="$1"; shift
  cd "$TF_ROOT"
  if [ ! -f "build/$preset/CMakeCache.txt" ]; then
    tf_log "configuring ($preset)"
    cmake --preset "$preset" >/dev/null
  fi
  tf_log "building ($preset)"
  if [ "$#" -gt 0 ]; then
    local t args=()
    for t in "$@"; do args+=(--target "$t"); done
    cmake --build --preset "$preset" "${args[@]}"
  else
    cmake --build --preset "$preset"
  fi
}

# tf_start_xvfb: starts Xvfb on a free display unless DISPLAY already works; exports DISPLAY
# and stops the server when the calling script exits.
tf_start_xvfb() {
  if [ -n "${DISPLAY:-}" ] && xdpyinfo >/dev/null 2>&1; then return 0; fi
  local n
  for n in $(seq 99 199); do
    [ -e "/tmp/.X${n}-lock" ] || [ -e "/tmp/.X11-unix/X${n}" ] || break
  done
  Xvfb ":$n" -screen 0 1600x900x24 -nolisten tcp >/dev/null 2>&1 &
  TF_XVFB_PID=$!
  trap 'kill "$TF_XVFB_PID" 2>/dev/null || true' EXIT
  local i
  for i in $(seq 1 100); do
    [ -e "/tmp/.X11-unix/X${n}" ] && break
    kill -0 "$TF_XVFB_PID" 2>/dev/null || tf_die "Xvfb failed to start on :$n"
    sleep 0.1
  done
  export DISPLAY=":$n"
  tf_log "Xvfb running on $DISPLAY"
}
