#!/usr/bin/env bash
# How long `cloudjobs` takes to start and print its help (the whole command tree of every
# service is built each run). Usage: bash cli/benches/startup.sh [runs]; prints ms per run for
# the top-level help and for one operation's help, on the release binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-200}"
cargo build --release -p cloudjobs --quiet
bin="${CARGO_TARGET_DIR:-target}/release/cloudjobs"
for args in "--help" "dli-v1 list-sql-jobs --help"; do
  start=$(date +%s%N)
  for _ in $(seq "$runs"); do
    # shellcheck disable=SC2086
    "$bin" $args >/dev/null
  done
  end=$(date +%s%N)
  echo "cloudjobs $args: $(( (end - start) / runs / 1000 )) us per run ($runs runs)"
done
