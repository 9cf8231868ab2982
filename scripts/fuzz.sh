#!/usr/bin/env bash
# Builds the fuzz targets (CMake preset `fuzz`: clang, libFuzzer, ASan + UBSan) and runs each one
# for SECONDS (default 30) on its checked-in corpus. Exits non-zero if any target crashes, leaks,
# hits undefined behaviour or fails one of its checks; the input that did it is kept in
# <build>/fuzz-artifacts/ (add it to tests/fuzz/corpus/<target>/ as repro-* once fixed).
#
#   ./scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. ./scripts/fuzz.sh 600 filter presence
#   TF_FUZZ_BUILD_DIR=/path  build somewhere other than build/fuzz
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

seconds="${1:-30}"
[ "$#" -gt 0 ] && shift
case "$seconds" in ''|*[!0-9]*) tf_die "SECONDS must be a whole number, got '$seconds'";; esac

tf_install_packages "${TF_APP_PACKAGES[@]}" clang-14 libclang-rt-14-dev
build="${TF_FUZZ_BUILD_DIR:-$TF_ROOT/build/fuzz}"
cd "$TF_ROOT"
if [ ! -f "$build/CMakeCache.txt" ]; then
  tf_log "configuring (fuzz) in $build"
  cmake --preset fuzz -B "$build" >/dev/null
fi
tf_log "building (fuzz)"
cmake --build "$build" -j "$(nproc)"

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  for dir in "$TF_ROOT"/tests/fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
fi

artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
passed=0 failed=0
for name in "${targets[@]}"; do
  exe="$build/tests/fuzz/fuzz_$name"
  [ -x "$exe" ] || tf_die "no fuzz target '$name' (expected $exe)"
  # New inputs go to a scratch corpus in the build tree; the checked-in seeds are read only.
  work="$build/fuzz-corpus/$name"
  log="$build/fuzz-$name.log"
  mkdir -p "$work"
  tf_log "fuzz_$name for ${seconds}s"
  if "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -dict="$TF_ROOT/tests/fuzz/fuzz.dict" -artifact_prefix="$artifacts/$name-" \
       "$work" "$TF_ROOT/tests/fuzz/corpus/$name" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1 || true)
    echo "fuzz_$name: ok, ${runs:-?} runs, $cov"
    passed=$((passed + 1))
  else
    echo "fuzz_$name: FAILED (log: $log)"
    grep -E 'ERROR: |runtime error|fuzz check failed|qFatal|Test unit written' "$log" | head -n 8 || true
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
