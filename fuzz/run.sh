#!/usr/bin/env bash
# Run every fuzz target for a bounded time (default 60 s each).
#
#   fuzz/run.sh [SECONDS] [TARGET…]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The project builds on the
# stable toolchain; cargo-fuzz passes nightly-only flags, which
# RUSTC_BOOTSTRAP=1 allows. A crash leaves its input in
# fuzz/artifacts/TARGET/: add it to tests/fuzz_regressions/ (the test suite
# replays every file there) before fixing.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
export RUSTC_BOOTSTRAP=1
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  seeds="seeds/$t"
  [ -d "$seeds" ] || seeds=""
  echo "== $t (${secs}s)"
  if ! cargo fuzz run -O "$t" "corpus/$t" $seeds -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 2>&1 | tail -n 3; then
    status=1
  fi
done
exit $status
