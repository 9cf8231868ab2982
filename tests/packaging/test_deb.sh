#!/usr/bin/env bash
# packaging_deb: builds the .deb with CPack from the build tree, checks its metadata and contents,
# unpacks it to a temporary root and runs the *unpacked* binary there (--version, then a real
# window grabbed under X), so a file missing from the package fails the test.
#
# Run by CTest under tests/with-display.sh (one X display for the whole script) with:
#   TF_BUILD_DIR TF_CPACK TF_IMAGECHECK TF_PROJECT_VERSION TF_APP_ID TF_PROGRAMS TF_ICON_SIZES
#   TF_DEB_RUNTIME_DEPENDS TF_QMLIMPORTSCANNER TF_QML_SOURCE_DIR TF_QT_QML_DIR
# The whole build must be done first (cpack installs every install() rule of the tree).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tf_require_env TF_BUILD_DIR TF_CPACK TF_IMAGECHECK TF_PROJECT_VERSION TF_APP_ID TF_PROGRAMS \
  TF_ICON_SIZES TF_DEB_RUNTIME_DEPENDS TF_QMLIMPORTSCANNER TF_QML_SOURCE_DIR TF_QT_QML_DIR
tf_need dpkg-deb dpkg
tf_need dpkg-shlibdeps dpkg-dev
tf_need desktop-file-validate desktop-file-utils
tf_need appstreamcli appstream
tf_need readelf binutils
tf_need xwininfo x11-utils

work="$(mktemp -d "${TMPDIR:-/tmp}/tf-packaging-deb.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- build the package -------------------------------------------------------------------------
if ! "$TF_CPACK" --config "$TF_BUILD_DIR/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  tf_fail "cpack -G DEB failed (is the whole tree built? cpack installs every target)"
fi
shopt -s nullglob
debs=("$work/out"/*.deb)
shopt -u nullglob
[ "${#debs[@]}" -eq 1 ] || tf_fail "expected exactly one .deb in $work/out, found ${#debs[@]}"
deb="${debs[0]}"
tf_expect_eq "file name" "trading-floor_${TF_PROJECT_VERSION}_$(dpkg --print-architecture).deb" "$(basename "$deb")"

# --- metadata ----------------------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
tf_expect_eq "Package" "trading-floor" "$(field Package)"
tf_expect_eq "Version" "$TF_PROJECT_VERSION" "$(field Version)"
tf_expect_eq "Section" "misc" "$(field Section)"
tf_expect_eq "Architecture" "$(dpkg --print-architecture)" "$(field Architecture)"
[[ "$(field Maintainer)" =~ ^[^\<]+\ \<[^@\>]+@[^\>]+\>$ ]] || tf_fail "Maintainer is not 'Name <email>': $(field Maintainer)"
tf_pass "Maintainer: $(field Maintainer)"
[[ "$(field Homepage)" =~ ^https:// ]] || tf_fail "Homepage is not an https URL: $(field Homepage)"
[ -n "$(field Description)" ] || tf_fail "no Description"

depends="$(field Depends)"
for pkg in $TF_DEB_RUNTIME_DEPENDS; do
  tf_list_contains "$depends" "$pkg" || tf_fail "Depends lacks $pkg: $depends"
done
tf_pass "Depends lists the runtime packages shlibdeps cannot see"
# dpkg-shlibdeps ran: the Qt libraries the binary links appear with versions.
for pkg in libqt6core6 libqt6gui6 libqt6qml6 libqt6quick6 libc6; do
  tf_list_contains "$depends" "$pkg" || tf_fail "Depends lacks $pkg (did dpkg-shlibdeps run?): $depends"
done
tf_pass "Depends has the shared libraries from dpkg-shlibdeps"

# Every Qt QML module the views import (transitively, as qmlimportscanner resolves them) comes
# from a Debian package that is in Depends: a new import without a new Depends fails here.
"$TF_QMLIMPORTSCANNER" -rootPath "$TF_QML_SOURCE_DIR" -importPath "$TF_QT_QML_DIR" >"$work/imports.json"
mapfile -t module_dirs < <(sed -n 's/^ *"path": *"\([^"]*\)",\{0,1\}$/\1/p' "$work/imports.json" | sort -u)
[ "${#module_dirs[@]}" -gt 0 ] || tf_fail "qmlimportscanner found no Qt QML modules in $TF_QML_SOURCE_DIR"
for dir in "${module_dirs[@]}"; do
  case "$dir" in "$TF_QT_QML_DIR"/*) ;; *) continue ;; esac   # only Qt's own modules
  owner="$(dpkg -S "$dir/qmldir" 2>/dev/null | cut -d: -f1)" || true
  [ -n "$owner" ] || tf_fail "no installed Debian package owns $dir/qmldir"
  tf_list_contains "$depends" "$owner" || tf_fail "QML module $dir comes from $owner, which is not in Depends"
done
tf_pass "Depends covers all ${#module_dirs[@]} QML modules the views import"

# --- contents ----------------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents"
expect_file() { grep -qxF "$1" "$work/contents" || tf_fail "the package lacks $1"; }
for program in $TF_PROGRAMS; do expect_file "/usr/bin/$program"; done
expect_file "/usr/share/applications/$TF_APP_ID.desktop"
expect_file "/usr/share/metainfo/$TF_APP_ID.metainfo.xml"
expect_file "/usr/share/icons/hicolor/scalable/apps/$TF_APP_ID.svg"
for size in $TF_ICON_SIZES; do expect_file "/usr/share/icons/hicolor/${size}x${size}/apps/$TF_APP_ID.png"; done
tf_pass "contents: $(grep -cv '/$' "$work/contents") files, all expected ones present"
if grep -E '^/usr/(lib|share)/.*(\.a$|\.h$|CMakeFiles|_autogen)' "$work/contents" >&2; then
  tf_fail "build artefacts leaked into the package"
fi
if grep -vE '^/usr/(bin|share)/' "$work/contents" | grep -vxE '/(usr/?)?' >&2; then
  tf_fail "files outside /usr/bin and /usr/share"
fi

# --- unpack and inspect the installed files ----------------------------------------------------
root="$work/root"
dpkg-deb -x "$deb" "$root"
app="$root/usr/bin/trading-floor"
[ -x "$app" ] || tf_fail "usr/bin/trading-floor is not executable after unpacking"
if readelf -d "$app" | grep -E 'R(UN)?PATH' >&2; then
  tf_fail "the installed binary carries an RPATH/RUNPATH (build tree leaking into the package)"
fi
if readelf -S "$app" | grep -q '\.debug_info'; then
  tf_fail "the installed binary is not stripped (CPACK_STRIP_FILES)"
fi
tf_pass "installed binary: no RPATH, stripped"

desktop="$root/usr/share/applications/$TF_APP_ID.desktop"
desktop-file-validate "$desktop" || tf_fail "desktop-file-validate rejected the installed desktop file"
exec_cmd="$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")"
[ -x "$root/usr/bin/$exec_cmd" ] || tf_fail "Exec=$exec_cmd is not an installed program"
icon="$(sed -n 's/^Icon=//p' "$desktop")"
[ -f "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || tf_fail "Icon=$icon is not an installed icon"
tf_pass "desktop entry valid, Exec and Icon resolve inside the package"
appstreamcli validate --no-net "$root/usr/share/metainfo/$TF_APP_ID.metainfo.xml" >"$work/appstream.log" 2>&1 \
  || { cat "$work/appstream.log" >&2; tf_fail "appstreamcli validate rejected the installed metainfo"; }
tf_pass "metainfo valid"
for size in $TF_ICON_SIZES; do
  "$TF_IMAGECHECK" "$root/usr/share/icons/hicolor/${size}x${size}/apps/$TF_APP_ID.png" \
    --size "${size}x${size}" --min-colours 3 >/dev/null || tf_fail "icon ${size}x${size} is wrong"
done
tf_pass "PNG icons have their nominal sizes and are not blank"

# --- run the unpacked app ----------------------------------------------------------------------
# A private HOME so the app's settings, log and keychain fallbacks never touch the caller's.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" XDG_DATA_HOME="$work/home/data"
export XDG_CACHE_HOME="$work/home/cache" XDG_RUNTIME_DIR="$work/home/runtime"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export QT_QPA_PLATFORM=xcb
cd "$work"   # nothing in the build tree may be found through the working directory either

version="$("$app" --version 2>"$work/version.err")" || { cat "$work/version.err" >&2; tf_fail "trading-floor --version failed"; }
tf_expect_eq "--version of the unpacked binary" "trading-floor $TF_PROJECT_VERSION" "$version"

shot="$work/window.png"
"$app" --screenshot "$shot" --quit-after 2 >"$work/run.log" 2>&1 &
app_pid=$!
# While it runs: the window's WM_CLASS must match the desktop entry's StartupWMClass, or desktops
# cannot associate the window with the launcher (bounded poll; the app quits by itself).
wm_class=""
for _ in $(seq 1 100); do
  wm_class="$(xwininfo -root -tree 2>/dev/null | sed -n 's/.*"Trading Floor[^"]*": ("\([^"]*\)" "\([^"]*\)").*/\2/p' | head -n 1)"
  [ -n "$wm_class" ] && break
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.1
done
app_status=0
wait "$app_pid" || app_status=$?
if [ "$app_status" -ne 0 ]; then
  cat "$work/run.log" >&2
  tf_fail "the unpacked trading-floor did not run to its screenshot (exit $app_status)"
fi
[ -n "$wm_class" ] || tf_fail "no window titled 'Trading Floor…' with a WM_CLASS appeared while the app ran"
tf_expect_eq "window WM_CLASS matches StartupWMClass" "$(sed -n 's/^StartupWMClass=//p' "$desktop")" "$wm_class"
"$TF_IMAGECHECK" "$shot" --min-size 1280x720 --min-colours 16 --min-light-pixels 100 \
  || { cat "$work/run.log" >&2; tf_fail "the unpacked app's window is blank or too small"; }
tf_pass "the unpacked app opened its window and drew it"
