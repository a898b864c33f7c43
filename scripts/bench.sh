#!/usr/bin/env bash
# The benchmark in the README: generates a deterministic tree, then measures pake-lint end to
# end (every rule of the production profile, schema validation on, SARIF written) against the
# YAML parser alone, with peak memory, at 2 threads and at 1; and, when Checkov is installed
# (pip install checkov), Checkov on the same tree.
#
# Usage: scripts/bench.sh [DOCUMENTS] (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-10000}
tree=target/bench-tree-$docs
cargo build --release --quiet --example gen_tree --example parse_only
cargo build --release --quiet
[ -d "$tree" ] || target/release/examples/gen_tree "$docs" "$tree"
bytes=$(du -sb "$tree" | cut -f1)
echo "tree: $tree, $docs documents, $((bytes / 1000000)) MB, $(nproc) cores"
lint=(target/release/pake-lint "$tree" --profile production --format sarif --output /dev/null --fail-on never --no-config)

for run in 1 2 3; do
  /usr/bin/time -f "pake-lint: %e s wall, %U s user, %S s sys, %M KB peak" "${lint[@]}" --timings
done
for run in 1 2 3; do
  /usr/bin/time -f "parse-only: %e s wall, %M KB peak" target/release/examples/parse_only "$tree"
done
for run in 1 2; do
  /usr/bin/time -f "pake-lint --jobs 1: %e s wall, %M KB peak" "${lint[@]}" --jobs 1
done

if command -v checkov >/dev/null 2>&1; then
  BC_SKIP_MAPPING=TRUE /usr/bin/time -f "checkov: %e s wall, %U s user, %S s sys, %M KB peak" \
    checkov -d "$tree" --framework kubernetes --quiet --compact -o json >/dev/null || true
else
  echo "checkov not installed: pip install checkov to compare"
fi
