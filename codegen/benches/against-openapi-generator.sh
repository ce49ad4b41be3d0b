#!/usr/bin/env bash
# This generator against openapi-generator on the same specs, in one run on one machine:
#   codegen/benches/against-openapi-generator.sh [--operations N] [--runs R]
# - this repository's specs: release `xtask generate --check` (what CI checks, optimised), and
#   `cargo xtask generate --check` as CI runs it (a debug build);
# - one synthetic spec of N operations (default 3,000; the spec `cargo bench -p codegen --bench
#   generate` writes to target/bench-specs/ops-N), after a first `generate` so --check finds it
#   up to date;
# - openapi-generator (its `rust` generator, batch mode: one JVM for every spec, its usual way
#   to generate many) on the same files. Install it with `pip install openapi-generator-cli==7.26.0`
#   (it needs java); the 3,000-operation spec needs -DmaxYamlCodePoints raised.
# Each figure is the best of R runs (default 3): wall seconds and peak resident memory
# (/usr/bin/time). Prints one Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
operations=3000
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --operations) operations=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "against-openapi-generator: unknown option $1 (--operations N, --runs R)" >&2; exit 2 ;;
  esac
done

jar=$(python3 -c 'import importlib.resources as r; print(r.files("openapi_generator_cli") / "openapi-generator.jar")' 2>/dev/null) ||
  { echo "against-openapi-generator: no openapi-generator: pip install openapi-generator-cli==7.26.0" >&2; exit 2; }
command -v java >/dev/null || { echo "against-openapi-generator: openapi-generator needs java" >&2; exit 2; }
oag_version=$(java -jar "$jar" version 2>/dev/null | tail -1)

echo "building xtask (release and debug) and the synthetic spec" >&2
cargo build --release -q -p xtask
cargo build -q -p xtask
synthetic=$root/target/bench-specs/ops-$operations
if [ ! -f "$synthetic/specs/synthetic-v1.yaml" ]; then
  BENCH_OPERATIONS=$operations cargo bench -q -p codegen --bench generate -- --test "$operations operations" >/dev/null
fi
"$root/target/release/xtask" generate --root "$synthetic" >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# best RUNS... COMMAND: the lowest wall time of R runs, with that run's peak memory.
best() {
  local best_time= best_mem= line time mem
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" ||
      { echo "against-openapi-generator: failed: $*" >&2; tail -5 "$work/stderr" >&2; exit 1; }
    read -r time mem <"$work/time"
    if [ -z "$best_time" ] || [ "$(echo "$time < $best_time" | bc)" = 1 ]; then
      best_time=$time best_mem=$mem
    fi
  done
  printf '%s s, %s MB' "$best_time" "$((best_mem / 1024))"
}

# One batch config per spec, every output under the work directory.
batch() { # name, spec files...
  local name=$1 spec
  shift
  mkdir -p "$work/$name"
  for spec in "$@"; do
    local stem
    stem=$(basename "$spec" .yaml)
    printf 'generatorName: rust\ninputSpec: %s\noutputDir: %s\nvalidateSpec: false\n' \
      "$spec" "$work/$name/out/$stem" >"$work/$name/$stem.yaml"
  done
  echo "$work/$name"/*.yaml
}
# openapi-generator's batch run over config files, as a program /usr/bin/time can start.
oag=$work/oag
printf '#!/bin/sh\nexec java -DmaxYamlCodePoints=200000000 -jar "%s" batch --clean "$@"\n' "$jar" >"$oag"
chmod +x "$oag"

specs=("$root"/specs/*.yaml)
count=$(grep -c 'operationId:' "${specs[@]}" | awk -F: '{n += $2} END {print n}')
ours_release=$(best "$root/target/release/xtask" generate --check)
ours_debug=$(best "$root/target/debug/xtask" generate --check)
theirs=$(best "$oag" $(batch repo "${specs[@]}"))
ours_synthetic=$(best "$root/target/release/xtask" generate --check --root "$synthetic")
theirs_synthetic=$(best "$oag" $(batch synthetic "$synthetic/specs/synthetic-v1.yaml"))

echo "| input | this generator, release \`generate --check\` | openapi-generator $oag_version, batch |"
echo "|---|---|---|"
echo "| this repository's ${#specs[@]} specs ($count operations) | $ours_release (debug, as CI runs it: $ours_debug) | $theirs |"
echo "| one spec of $operations operations | $ours_synthetic | $theirs_synthetic |"
