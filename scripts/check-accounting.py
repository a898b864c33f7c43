#!/usr/bin/env python3
"""Checks that a pake-lint JSON report accounts for every document of its input.

Usage: check-accounting.py REPORT.json [INDEX.tsv]

Every non-empty document must be an object, a list, skipped, invalid or failed; with the
corpus's INDEX.tsv (one row per file with a `docs` column) the total must also match what an
independent parser counted.
"""
import csv
import json
import sys

report = json.load(open(sys.argv[1]))
s = report["summary"]
parts = ["object_documents", "list_documents", "skipped_documents", "invalid_documents", "failed_documents"]
print("summary:", json.dumps(s))
problems = []
if s["documents"] != sum(s[p] for p in parts):
    problems.append(f"{s['documents']} documents read but {sum(s[p] for p in parts)} classified")
if len(sys.argv) > 2:
    with open(sys.argv[2], newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    expected = sum(int(r["docs"]) for r in rows)
    if s["documents"] != expected:
        problems.append(f"{s['documents']} documents read, the corpus index lists {expected}")
    if s["files"] != len(rows):
        problems.append(f"{s['files']} files read, the corpus index lists {len(rows)}")
crashes = [d for d in report["diagnostics"] if d["rule"] == "internal-error"]
if crashes:
    problems.append(f"{len(crashes)} internal errors")
if problems:
    print("accounting failed:", "; ".join(problems))
    sys.exit(1)
print("every document accounted for")
