#!/usr/bin/env python3
"""Reads pake-lint's JSON report (`-f json`) for the GitHub Action.

    action-summary.py REPORT.json             Markdown for $GITHUB_STEP_SUMMARY
    action-summary.py --outputs REPORT.json   `errors=N` lines for $GITHUB_OUTPUT
"""
import json
import sys

MAX_ROWS = 50


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def main(argv):
    outputs = "--outputs" in argv
    path = [a for a in argv if a != "--outputs"][0]
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    counts = report["summary"]["findings"]
    if outputs:
        for key, name in (("error", "errors"), ("warning", "warnings"), ("info", "infos")):
            print(f"{name}={counts.get(key, 0)}")
        return
    s = report["summary"]
    print("## pake-lint\n")
    print(
        f"{s['files']} files, {s['objects']} objects: "
        f"**{counts['error']} errors**, {counts['warning']} warnings, {counts['info']} infos\n"
    )
    findings = report["diagnostics"]
    if not findings:
        print("No findings.")
        return
    print("| Severity | Rule | Location | Object | Message |")
    print("|---|---|---|---|---|")
    for d in findings[:MAX_ROWS]:
        obj = d.get("object") or {}
        name = " ".join(x for x in (obj.get("kind"), obj.get("name")) if x)
        location = f"{d['file']}:{d['line']}"
        if d.get("origin"):
            location += f" (from {d['origin']})"
        print(
            f"| {d['severity']} | `{d['rule']}` | {cell(location)} | {cell(name)} | {cell(d['message'])} |"
        )
    if len(findings) > MAX_ROWS:
        print(f"\n… and {len(findings) - MAX_ROWS} more; see the annotations or the SARIF report.")


if __name__ == "__main__":
    main(sys.argv[1:])
