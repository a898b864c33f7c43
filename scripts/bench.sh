#!/usr/bin/env bash
# The README's benchmark: see scripts/bench.py for what it measures.
# Usage: scripts/bench.sh [DOCUMENTS ...] [--runs N] [--no-checkov]   (default: 10000 100000)
set -euo pipefail
exec python3 "$(dirname "$0")/bench.py" "$@"
