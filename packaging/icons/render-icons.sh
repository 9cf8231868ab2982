#!/usr/bin/env bash
# Regenerates the committed platform icons from the one source, resources/icons/<app id>.svg:
#   packaging/windows/trading-floor.ico   (16..256, for the .exe resource and the NSIS installer)
#   packaging/macos/trading-floor.icns    (16..512, the app bundle icon)
# Run it after changing the SVG and commit the results. Linux PNGs are not committed: the build
# renders them (packaging/CMakeLists.txt). Needs Debian's librsvg2-bin, icoutils and icnsutils:
#   apt-get install librsvg2-bin icoutils icnsutils
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
svg="$root/resources/icons/io.github.tradingfloor.TradingFloor.svg"
for tool in rsvg-convert icotool png2icns; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install librsvg2-bin icoutils icnsutils)" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for size in 16 24 32 48 64 128 256 512; do
  rsvg-convert -w "$size" -h "$size" "$svg" -o "$work/$size.png"
done
# ICO: small sizes as BMP entries, 256 as an embedded PNG (-r) as Windows Vista+ expects.
icotool -c -o "$root/packaging/windows/trading-floor.ico" \
  "$work/16.png" "$work/24.png" "$work/32.png" "$work/48.png" "$work/64.png" "$work/128.png" -r "$work/256.png"
png2icns "$root/packaging/macos/trading-floor.icns" \
  "$work/16.png" "$work/32.png" "$work/128.png" "$work/256.png" "$work/512.png" >/dev/null
echo "wrote packaging/windows/trading-floor.ico and packaging/macos/trading-floor.icns"
