#!/usr/bin/env python3
"""Compares pake-lint's schema rules with kubernetes-validate (strict mode) document by document.

    pip install kubernetes-validate==1.37.0
    cargo build && scripts/compare-kubernetes-validate.py /work/shared/corpus/real [--version 1.35]

For every YAML document under the folder, kubernetes-validate says pass, fail, or skip (no
schema for the apiVersion/kind: custom resources and removed API versions; or not an object).
pake-lint (`--select schema-invalid,schema-unknown-field,api-version-removed -f json`) fails a
document when it reports one of those findings, or `invalid-object` (a document kubectl cannot
read), on a line inside it. The script prints the agreement on documents
both tools judged, and every disagreement with kubernetes-validate's message and pake-lint's
findings, grouped by class, so each can be explained.
"""

import argparse
import collections
import json
import os
import subprocess
import sys

import yaml
from kubernetes_validate import utils as kv

PAKE_RULES = "schema-invalid,schema-unknown-field,api-version-removed"
# Input checks always run; `invalid-object` is pake-lint refusing a document kubectl cannot read.
FAILING = PAKE_RULES.split(",") + ["invalid-object"]


def documents(path):
    """(index, start line (1-based), data) per non-empty document; None when YAML fails."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except Exception:
        return None
    out = []
    loader_docs = None
    try:
        loader_docs = list(yaml.safe_load_all(text))
    except Exception:
        return None
    for i, (node, data) in enumerate(zip(nodes, loader_docs)):
        if node is None or not data:
            continue
        out.append((i, node.start_mark.line + 1, data))
    return out


def display(path):
    """A jsonschema path the way pake-lint prints it: `spec.containers[0].image`."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def kv_outcome(data, version):
    if not isinstance(data, dict) or "apiVersion" not in data or "kind" not in data:
        return "skip", "not an object"
    if data.get("kind", "").endswith("List"):
        return "skip", "list"
    try:
        kv.validate(data, version, strict=True)
        return "pass", ""
    except kv.ValidationError as e:
        return "fail", f"{display(e.path)}: {e.message}"[:200]
    except kv.SchemaNotFoundError:
        return "skip", "no schema"
    except Exception as e:  # noqa: BLE001
        return "skip", f"error: {e}"[:200]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--version", default="1.35")
    ap.add_argument("--binary", default="target/debug/pake-lint")
    ap.add_argument("--show", type=int, default=3, help="examples per class")
    args = ap.parse_args()

    run = subprocess.run(
        [args.binary, args.root, "--select", PAKE_RULES, "-f", "json", "--fail-on", "never",
         "--kubernetes-version", args.version],
        capture_output=True, text=True, check=True,
    )
    findings = collections.defaultdict(list)
    for d in json.loads(run.stdout)["diagnostics"]:
        if d["rule"] in FAILING:
            findings[os.path.abspath(d["file"])].append(d)

    counts = collections.Counter()
    classes = collections.defaultdict(list)
    for dirpath, dirnames, filenames in os.walk(args.root):
        dirnames[:] = sorted(n for n in dirnames if not n.startswith("."))
        for name in sorted(filenames):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.abspath(os.path.join(dirpath, name))
            docs = documents(path)
            if docs is None:
                counts["file: YAML error (not compared)"] += 1
                continue
            starts = [line for _, line, _ in docs]
            for n, (index, start, data) in enumerate(docs):
                end = starts[n + 1] if n + 1 < len(starts) else 10**9
                mine = [d for d in findings.get(path, []) if start <= d["line"] < end]
                verdict, why = kv_outcome(data, args.version)
                pake = "fail" if mine else "pass"
                if verdict == "skip":
                    rules = "+".join(sorted({d["rule"] for d in mine}))
                    counts[f"kubernetes-validate skipped ({why.split(':')[0]}), pake-lint {pake}{' (' + rules + ')' if rules else ''}"] += 1
                    continue
                counts[f"both judged: kubernetes-validate {verdict}, pake-lint {pake}"] += 1
                if verdict == "fail" and pake == "fail":
                    # Does pake-lint report kubernetes-validate's (first) error at the same path?
                    at = why.split(": ")[0]
                    same = any(f"`{at}`" in d["message"] or f"`{at}." in d["message"]
                               for d in mine) if at else True
                    if not same:
                        classes["both fail, pake-lint reports elsewhere"].append((path, index, why, [f"{d['line']}: {d['rule']}: {d['message']}" for d in mine]))
                    counts[f"both fail: kubernetes-validate's first error {'also' if same else 'NOT'} reported by pake-lint at its path"] += 1
                if verdict != pake:
                    key = f"kubernetes-validate {verdict}, pake-lint {pake}"
                    classes[key].append((path, index, why, [f"{d['line']}: {d['rule']}: {d['message']}" for d in mine]))

    judged = sum(v for k, v in counts.items() if k.startswith("both judged"))
    agree = sum(v for k, v in counts.items() if k.startswith("both judged") and
                k.split("kubernetes-validate ")[1].split(",")[0] == k.split("pake-lint ")[1])
    for key, value in sorted(counts.items()):
        print(f"{value:6}  {key}")
    if judged:
        print(f"agreement on documents both judged: {agree}/{judged} ({100 * agree / judged:.1f}%)")
    for key, items in sorted(classes.items()):
        print(f"\n== {key}: {len(items)} documents")
        for path, index, why, mine in items[: args.show if args.show >= 0 else None]:
            print(f"- {path} (document {index})")
            if why:
                print(f"    kubernetes-validate: {why}")
            for m in mine:
                print(f"    pake-lint: {m}")
        if args.show >= 0 and len(items) > args.show:
            print(f"  ... {len(items) - args.show} more (use --show -1)")


if __name__ == "__main__":
    sys.exit(main())
