#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test. Usage: ./scripts/test.sh [--preset dev|asan|release] [ctest args...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

preset=dev
if [ "${1:-}" = "--preset" ]; then preset="${2:?--preset needs a name}"; shift 2; fi

tf_install_packages "${TF_APP_PACKAGES[@]}" "${TF_TEST_PACKAGES[@]}"
if [ -f "$TF_ROOT/tests/interop/package-lock.json" ]; then
  tf_ensure_node
  tf_log "npm ci (tests/interop)"
  (cd "$TF_ROOT/tests/interop" && npm ci --no-audit --no-fund --loglevel=error)
fi

tf_build "$preset"
tf_start_xvfb
tf_log "running tests ($preset)"
cd "$TF_ROOT"
ctest --preset "$preset" "$@"
