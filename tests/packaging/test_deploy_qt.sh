#!/usr/bin/env bash
# packaging_deploy_qt: CI runs Linux only, so the Windows/macOS Qt deployment step
# (packaging/cmake/TfDeployQt.cmake) is exercised here with stand-in windeployqt / macdeployqt
# that record their arguments: a scratch project includes the module as if on WIN32 / APPLE,
# `cmake --install` runs the generated step, and the recorded command lines must be exactly the
# ones docs/packaging.md documents (QML scanned from qml/, one run per executable on Windows, the
# helpers passed with -executable= on macOS). It does not prove the real tools work.
# Environment (from CTest): TF_SOURCE_DIR TF_CMAKE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tf_require_env TF_SOURCE_DIR TF_CMAKE

work="$(mktemp -d "${TMPDIR:-/tmp}/tf-deploy-qt.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/qt/bin"
for tool in windeployqt macdeployqt; do
  printf '#!/bin/sh\necho "%s $*" >> "%s/calls.log"\n' "$tool" "$work" >"$work/qt/bin/$tool"
  chmod +x "$work/qt/bin/$tool"
done

run_platform() {
  local platform="$1" dir="$work/$1"
  mkdir -p "$dir"
  cat >"$dir/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.21)
project(TradingFloorDeployCheck VERSION 0.1.0 LANGUAGES NONE)
set(CMAKE_INSTALL_BINDIR bin)
set($platform TRUE)
set(QT6_INSTALL_PREFIX "$work/qt")
set(QT6_INSTALL_BINS bin)
set(TF_INSTALLED_PROGRAMS trading-floor tradefloor-cli tradefloor-sim)
set(PROJECT_SOURCE_DIR "$TF_SOURCE_DIR")
include("$TF_SOURCE_DIR/packaging/cmake/TfDeployQt.cmake")
CMAKE
  rm -f "$work/calls.log"
  "$TF_CMAKE" -S "$dir" -B "$dir/build" >"$dir/configure.log" 2>&1 || { cat "$dir/configure.log" >&2; tf_fail "$platform: configure failed"; }
  "$TF_CMAKE" --install "$dir/build" --prefix "$dir/prefix" >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; tf_fail "$platform: install step failed"; }
  cat "$work/calls.log"
}

tf_expect_eq "Windows: windeployqt once per executable, QML scanned from qml/" \
"windeployqt --qmldir $TF_SOURCE_DIR/qml --verbose 0 $work/WIN32/prefix/bin/trading-floor.exe
windeployqt --verbose 0 $work/WIN32/prefix/bin/tradefloor-cli.exe
windeployqt --verbose 0 $work/WIN32/prefix/bin/tradefloor-sim.exe" \
  "$(run_platform WIN32)"

app="$work/APPLE/prefix/trading-floor.app"
tf_expect_eq "macOS: macdeployqt on the bundle, QML from qml/, helpers inside the bundle" \
"macdeployqt $app -qmldir=$TF_SOURCE_DIR/qml -executable=$app/Contents/MacOS/tradefloor-cli -executable=$app/Contents/MacOS/tradefloor-sim -always-overwrite -verbose=1" \
  "$(run_platform APPLE)"
