#!/usr/bin/env bash
# Runs a command with an X display: the caller's if it works, else a private Xvfb via xvfb-run.
set -euo pipefail
if [ -n "${DISPLAY:-}" ] && xdpyinfo >/dev/null 2>&1; then exec "$@"; fi
exec xvfb-run -a -s "-screen 0 1600x900x24 -nolisten tcp" "$@"
