#!/usr/bin/env python3
"""The benchmark in the README, in one command: `scripts/bench.sh [DOCUMENTS ...]`.

For each size (default 10,000 and 100,000 documents) it writes a tree with the project's
deterministic generator (examples/gen_tree.rs), then measures, on the release build:
pake-lint end to end (every rule of the production profile, schema validation on, a SARIF
report written), the YAML parser alone over the same files (examples/parse_only.rs, the
floor), pake-lint with one thread and with two, and on the smallest tree, when `checkov` is
on the PATH (pip install checkov), Checkov with `--framework kubernetes`. Each time is the
median of --runs runs (3 by default); in each round every command of every tree runs once,
so that the machine's drift touches them alike, and each ratio is the median of the rounds'
ratios. Peak memory is the largest maximum resident set of the runs.
The timed runs do not pass `--timings` (it reads the clock around every rule); one extra run
per tree does, for the phase breakdown.

It prints a Markdown table and the ratios the performance issue sets targets for: end to end
against the parser alone (at least 0.5), peak memory against 3 times the input plus 50 MB,
100,000 documents against 10,000 (at most 11 times the time), one thread against two (at
least 1.7 times faster with two), and Checkov's throughput (at least 1,000 times).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAKE = os.path.join(ROOT, "target", "release", "pake-lint")
PARSE_ONLY = os.path.join(ROOT, "target", "release", "examples", "parse_only")
GEN_TREE = os.path.join(ROOT, "target", "release", "examples", "gen_tree")


def run_timed(cmd, env=None):
    """Runs `cmd` under GNU time; returns (wall seconds, peak bytes, stderr text). The wall
    time is read with the interpreter's monotonic clock, since GNU time's `%e` has two
    decimals, a tenth of a tenth-of-a-second run; the peak is GNU time's `%M`, the
    command's own (a child forked from this interpreter would count the interpreter's
    pages too)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", t.name, *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        wall = time.perf_counter() - start
        peak_kib = t.read().split()[-1]
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed ({proc.returncode}):\n{proc.stderr}")
    # GNU time's %M is in KiB.
    return wall, int(peak_kib) * 1024, proc.stderr


def interleaved(cmds, runs):
    """Runs the commands in turn, `runs` rounds; returns each command's walls (one per
    round) and peak bytes (the largest). On a shared machine whose speed drifts over
    minutes, running one command's runs and then the other's would put the drift into
    their ratio, so every ratio below is taken within a round, then the median of the
    rounds' ratios is reported."""
    results = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            results[i].append(run_timed(cmd))
    return [([r[0] for r in rs], max(r[1] for r in rs)) for rs in results]


def paired(numerators, denominators):
    """The median of the ratios of runs of the same round."""
    return statistics.median(n / d for n, d in zip(numerators, denominators))


def tree_size(path):
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(folder, name))
    return total


def lint_cmd(tree, *extra):
    return [
        PAKE, tree, "--profile", "production", "--format", "sarif", "--output", os.devnull,
        "--fail-on", "never", "--no-config", *extra,
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-checkov", action="store_true")
    args = parser.parse_args()

    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bin", "pake-lint",
         "--example", "gen_tree", "--example", "parse_only"],
        check=True, cwd=ROOT,
    )
    cores = os.cpu_count()
    print(f"machine: {cores} cores; runs per figure: {args.runs} (median)\n")
    trees = {}
    for docs in args.sizes:
        tree = os.path.join(ROOT, "target", f"bench-tree-{docs}")
        if not os.path.isdir(tree):
            # Written aside and renamed, so an interrupted run never leaves half a tree.
            partial = tree + ".partial"
            shutil.rmtree(partial, ignore_errors=True)
            subprocess.run([GEN_TREE, str(docs), partial], check=True, cwd=ROOT,
                           stdout=subprocess.DEVNULL)
            os.rename(partial, tree)
        trees[docs] = tree
    # For each tree: the default thread count (every core), the parser alone, and one and two
    # threads. All trees' commands take turns in the same rounds, so the growth from the
    # smallest tree to the largest is measured within rounds too.
    cmds = []
    for docs in args.sizes:
        tree = trees[docs]
        cmds += [lint_cmd(tree), [PARSE_ONLY, tree], lint_cmd(tree, "--jobs", "1"),
                 lint_cmd(tree, "--jobs", "2")]
    measured = interleaved(cmds, args.runs)
    rows, by_size = [], {}
    for n, docs in enumerate(args.sizes):
        tree = trees[docs]
        (walls, peak), (p_walls, p_peak), (j1_walls, j1_peak), (j2_walls, j2_peak) = \
            measured[4 * n:4 * n + 4]
        wall, p_wall = statistics.median(walls), statistics.median(p_walls)
        j1_wall, j2_wall = statistics.median(j1_walls), statistics.median(j2_walls)
        _, _, stderr = run_timed(lint_cmd(tree, "--timings"))
        timings = re.search(r"timings: (.*?), total", stderr)
        slowest = re.search(r"timings: slowest rules \(summed over threads\): (.*)", stderr)
        mb = tree_size(tree) / 1e6
        by_size[docs] = dict(mb=mb, wall=wall, walls=walls, peak=peak, parse=p_wall)
        rows.append(("pake-lint, production, SARIF", docs, mb, wall, peak))
        rows.append(("YAML parser alone (parse_only)", docs, mb, p_wall, p_peak))
        rows.append(("pake-lint, production, SARIF, --jobs 1", docs, mb, j1_wall, j1_peak))
        rows.append(("pake-lint, production, SARIF, --jobs 2", docs, mb, j2_wall, j2_peak))
        budget = 3 * mb + 50
        print(f"{docs} documents ({mb:.1f} MB):")
        print(f"  phases: {timings.group(1) if timings else '?'}")
        print(f"  slowest rules: {slowest.group(1) if slowest else '?'}")
        print(f"  end to end / parser alone: {paired(p_walls, walls):.2f} of the parser's"
              f" throughput (target >= 0.5)")
        print(f"  peak memory {peak / 1e6:.0f} MB = {peak / 1e6 / mb:.1f} x input;"
              f" target <= {budget:.0f} MB (3 x input + 50 MB):"
              f" {'met' if peak / 1e6 <= budget else 'not met'}")
        print(f"  threads: 2 threads run {paired(j1_walls, j2_walls):.2f} x as fast as 1"
              f" (target >= 1.7; {paired(j1_walls, walls):.2f} x against the default runs)")
    smallest = min(args.sizes)
    tree = trees[smallest]
    if len(args.sizes) > 1:
        largest = max(args.sizes)
        growth = paired(by_size[largest]["walls"], by_size[smallest]["walls"])
        print(f"linearity: {largest} documents take {growth:.1f} x the time of {smallest}"
              f" ({largest / smallest:.0f} x the documents; target <= 11 x for 10 x)")
    checkov = shutil.which("checkov")
    if checkov and not args.no_checkov:
        env = dict(os.environ, BC_SKIP_MAPPING="TRUE")
        c_wall, c_peak, _ = run_timed(
            [checkov, "-d", tree, "--framework", "kubernetes", "--quiet", "--compact",
             "-o", "json"], env)
        rows.append(("Checkov --framework kubernetes, JSON (1 run)", smallest,
                     by_size[smallest]["mb"], c_wall, c_peak))
        print(f"checkov: {c_wall:.1f} s, {c_peak / 1e6:.0f} MB; pake-lint has"
              f" {c_wall / by_size[smallest]['wall']:.0f} x its throughput (target >= 1000);"
              f" the parser alone has {c_wall / by_size[smallest]['parse']:.0f} x")
    elif not args.no_checkov:
        print("checkov: not on the PATH (pip install checkov to compare)")

    print("\n| run | documents | wall time | documents/s | MB/s | peak memory |")
    print("|---|---|---|---|---|---|")
    for name, docs, mb, wall, peak in rows:
        print(f"| {name} | {docs:,} ({mb:.1f} MB) | {wall:.3f} s | {docs / wall:,.0f} |"
              f" {mb / wall:.1f} | {peak / 1e6:.0f} MB |")


if __name__ == "__main__":
    main()
