#!/usr/bin/env bash
# packaging_rpm: builds the .rpm with CPack and checks name, version, file list, the explicit
# Requires (Fedora names) plus rpmbuild's automatic library requires, and that the package does
# not claim directories owned by the filesystem / hicolor-icon-theme packages.
# Environment (from CTest): TF_BUILD_DIR TF_CPACK TF_PROJECT_VERSION TF_APP_ID TF_PROGRAMS TF_ICON_SIZES
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tf_require_env TF_BUILD_DIR TF_CPACK TF_PROJECT_VERSION TF_APP_ID TF_PROGRAMS TF_ICON_SIZES
tf_need rpmbuild rpm
tf_need rpm rpm

work="$(mktemp -d "${TMPDIR:-/tmp}/tf-packaging-rpm.XXXXXX")"
trap 'rm -rf "$work"' EXIT
if ! "$TF_CPACK" --config "$TF_BUILD_DIR/CPackConfig.cmake" -G RPM -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  tf_fail "cpack -G RPM failed (is the whole tree built?)"
fi
shopt -s nullglob
rpms=("$work/out"/*.rpm)
shopt -u nullglob
[ "${#rpms[@]}" -eq 1 ] || tf_fail "expected exactly one .rpm, found ${#rpms[@]}"
pkg="${rpms[0]}"
q() { rpm -qp --nosignature "$@" "$pkg" 2>/dev/null; }

tf_expect_eq "name and version" "trading-floor $TF_PROJECT_VERSION" "$(q --qf '%{NAME} %{VERSION}')"
q -l >"$work/files"
expect_file() { grep -qxF "$1" "$work/files" || tf_fail "the package lacks $1"; }
for program in $TF_PROGRAMS; do expect_file "/usr/bin/$program"; done
expect_file "/usr/share/applications/$TF_APP_ID.desktop"
expect_file "/usr/share/metainfo/$TF_APP_ID.metainfo.xml"
expect_file "/usr/share/icons/hicolor/scalable/apps/$TF_APP_ID.svg"
for size in $TF_ICON_SIZES; do expect_file "/usr/share/icons/hicolor/${size}x${size}/apps/$TF_APP_ID.png"; done
tf_pass "file list complete"

for dir in /usr /usr/bin /usr/share /usr/share/applications /usr/share/metainfo /usr/share/icons \
           /usr/share/icons/hicolor /usr/share/icons/hicolor/scalable/apps; do
  if grep -qxF "$dir" "$work/files"; then tf_fail "the package claims the shared directory $dir"; fi
done
tf_pass "no shared directories claimed"

q --requires >"$work/requires"
for want in qt6-qtdeclarative qt6-qtcharts; do
  grep -qx "$want" "$work/requires" || tf_fail "Requires lacks $want: $(tr '\n' ' ' <"$work/requires")"
done
grep -q '^libQt6Core\.so\.6' "$work/requires" || tf_fail "no automatic library requires (libQt6Core.so.6)"
tf_pass "Requires: explicit Qt QML packages and automatic library dependencies"
