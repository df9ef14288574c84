#!/usr/bin/env python3
"""Early exit against truncated models over seeds, from greenbench records.

For each truncated model (k layers, FLOPs f, accuracy a) and each seed, the
early-exit curve's accuracy at that budget is that of its costliest
confidence-threshold point within f FLOPs per instance: the point the curve
is at for that budget, not the best of several, which would pick a
threshold on the test set. Prints, per task and k, each seed's
gap (early exit minus truncated, in points), their mean and standard
deviation, and the seeds' spread of the truncated model's own accuracy.
Threshold 0 (everyone leaves at the first exit) is added from the record's
per-exit accuracies, at the FLOPs of the same seed's 1-layer truncated model
(the same computation: one layer and one head).

    python3 results/reference/seeds/compare.py RESULTS_DIR
"""
import glob
import json
import os
import statistics
import sys


def load(results):
    runs = {}
    for path in sorted(glob.glob(os.path.join(results, "*", "*.json"))):
        with open(path) as f:
            r = json.load(f)
        if not isinstance(r, dict) or "operating_points" not in r:
            continue  # not a record
        task, seed, method = r["task"]["name"], r["reproducibility"]["seed"], r["method"]["name"]
        if method == "truncated":
            key = ("truncated", r["method"]["config"]["layers"])
        elif method == "early_exit":
            key = ("early_exit", None)
        else:
            continue
        by_seed = runs.setdefault(task, {}).setdefault(key, {})
        if seed in by_seed:
            sys.exit(f"{path}: a second record of {task} {key} seed {seed}; keep one per folder")
        by_seed[seed] = r
    return runs


def confidence_curve(record, first_exit_flops=None):
    """The threshold points; plus threshold 0 (everyone leaves at the first
    exit: accuracy analysis.per_exit[0], the FLOPs of one layer and one head,
    which are a 1-layer truncated model's) when those FLOPs are given."""
    curve = [(p["flops_per_instance"], p["accuracy"]) for p in record["operating_points"]
             if set(p["setting"]) == {"threshold"}]
    if first_exit_flops is not None:
        curve.append((first_exit_flops, record["analysis"]["per_exit"][0]["accuracy"]))
    return curve


def main(results):
    runs = load(results)
    print("| task | k | seeds | truncated acc (mean, sd) | early exit at that budget (mean) | gap per seed, points | gap mean +- sd |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for task in sorted(runs):
        early = runs[task].get(("early_exit", None), {})
        for (kind, k), by_seed in sorted(runs[task].items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            if kind != "truncated":
                continue
            seeds = sorted(set(by_seed) & set(early))
            trunc, ee, gaps = [], [], []
            for s in seeds:
                point = by_seed[s]["operating_points"][0]
                budget, accuracy = point["flops_per_instance"], point["accuracy"]
                one_layer = runs[task].get(("truncated", 1), {}).get(s)
                first_exit_flops = one_layer["operating_points"][0]["flops_per_instance"] if one_layer else None
                curve = confidence_curve(early[s], first_exit_flops)
                reachable = [(f, a) for f, a in curve if f <= budget * (1 + 1e-9)]
                if not reachable:
                    continue
                at_budget = max(reachable)[1]  # the costliest point within the budget
                trunc.append(accuracy)
                ee.append(at_budget)
                gaps.append(100 * (at_budget - accuracy))
            if not gaps:
                print(f"| {task} | {k} | {len(seeds)} | | the curve does not reach this budget | | |")
                continue
            sd = lambda xs: statistics.stdev(xs) if len(xs) > 1 else float("nan")
            print(f"| {task} | {k} | {len(gaps)} | {statistics.mean(trunc):.4f}, {sd(trunc):.4f} | {statistics.mean(ee):.4f} | "
                  f"{', '.join(f'{g:+.2f}' for g in gaps)} | {statistics.mean(gaps):+.2f} +- {sd(gaps):.2f} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "results/runs")
