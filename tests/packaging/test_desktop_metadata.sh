#!/usr/bin/env bash
# packaging_desktop_metadata: the source desktop entry and AppStream metainfo pass the freedesktop
# validators, agree with each other and with the project (id, launchable, binary, icon, version),
# and the committed Windows/macOS icons are well-formed. Needs no build except tf_imagecheck.
# Environment (from CTest): TF_SOURCE_DIR TF_PROJECT_VERSION TF_APP_ID TF_IMAGECHECK
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tf_require_env TF_SOURCE_DIR TF_PROJECT_VERSION TF_APP_ID TF_IMAGECHECK
tf_need desktop-file-validate desktop-file-utils
tf_need appstreamcli appstream

linux="$TF_SOURCE_DIR/packaging/linux"
desktop="$linux/$TF_APP_ID.desktop"
metainfo="$linux/$TF_APP_ID.metainfo.xml"
svg="$TF_SOURCE_DIR/resources/icons/$TF_APP_ID.svg"
for f in "$desktop" "$metainfo" "$svg"; do [ -f "$f" ] || tf_fail "missing $f"; done

out="$(desktop-file-validate "$desktop" 2>&1)" || tf_fail "desktop-file-validate: $out"
# It exits 0 on hints and warnings; keep the entry free of them too.
[ -z "$out" ] || tf_fail "desktop-file-validate reported: $out"
tf_pass "desktop-file-validate: clean"

out="$(appstreamcli validate --no-net "$metainfo" 2>&1)" || tf_fail "appstreamcli validate: $out"
tf_pass "appstreamcli validate --no-net: $(printf '%s' "$out" | tail -n 1)"

desktop_key() { sed -n "s/^$1=//p" "$desktop"; }
tf_expect_eq "desktop Icon is the app id" "$TF_APP_ID" "$(desktop_key Icon)"
tf_expect_eq "desktop Exec runs trading-floor" "trading-floor" "$(desktop_key Exec)"
tf_expect_eq "desktop StartupWMClass is the binary name" "trading-floor" "$(desktop_key StartupWMClass)"

xml_text() { sed -n "s|.*<$1[^>]*>\([^<]*\)</$1>.*|\1|p" "$metainfo" | head -n 1; }
tf_expect_eq "metainfo id is the file name" "$TF_APP_ID" "$(xml_text id)"
tf_expect_eq "metainfo launchable is the desktop file" "$TF_APP_ID.desktop" "$(xml_text launchable)"
tf_expect_eq "metainfo provides the binary" "trading-floor" "$(xml_text binary)"
tf_expect_eq "metainfo stock icon is the app id" "$TF_APP_ID" "$(xml_text icon)"
# Releases are listed newest first: the first one must be this version (bump both together).
newest="$(sed -n 's/.*<release version="\([^"]*\)".*/\1/p' "$metainfo" | head -n 1)"
tf_expect_eq "newest metainfo release is the CMake project version" "$TF_PROJECT_VERSION" "$newest"

# Committed platform icons (regenerate with packaging/icons/render-icons.sh).
"$TF_IMAGECHECK" "$TF_SOURCE_DIR/packaging/windows/trading-floor.ico" --ico-sizes 16,24,32,48,64,128,256 \
  || tf_fail "packaging/windows/trading-floor.ico"
tf_pass "trading-floor.ico holds 16..256"
icns="$TF_SOURCE_DIR/packaging/macos/trading-floor.icns"
magic="$(head -c 4 "$icns")"
declared="$(od -An -tu1 -j4 -N4 "$icns" | awk '{print ($1*16777216)+($2*65536)+($3*256)+$4}')"
tf_expect_eq "trading-floor.icns magic" "icns" "$magic"
tf_expect_eq "trading-floor.icns declared length is its size" "$(stat -c %s "$icns")" "$declared"
for type in ic08 ic09; do   # 256 and 512 px PNG/JPEG2000 entries that Finder uses for Retina
  grep -q "$type" "$icns" || tf_fail "trading-floor.icns lacks the $type entry"
done
tf_pass "trading-floor.icns well-formed with 256/512 entries"
