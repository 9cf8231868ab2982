#!/usr/bin/env bash
# Installs what is missing, builds, and launches Trading Floor on the embedded simulator.
# Extra arguments go to the app (e.g. ./scripts/run.sh --url https://<ref>.supabase.co --key ...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

tf_install_packages "${TF_APP_PACKAGES[@]}"
tf_build dev trading-floor
exec "$TF_ROOT/build/dev/bin/trading-floor" "$@"
