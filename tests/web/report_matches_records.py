#!/usr/bin/env python3
"""Report and site agree with the records on every number they show: each
row of the site's data is recomputed here from the record it names, and each
number in `greenbench report`'s frontier tables is found among those rows.
Usage: report_matches_records.py RUNS_DIR LEADERBOARD_JS REPORT_TXT"""
import json
import math
import pathlib
import re
import sys

runs, leaderboard_js, report_txt = sys.argv[1:4]
records = {}
for path in pathlib.Path(runs).rglob("*.json"):
    r = json.loads(path.read_text())
    records[r["run_id"]] = r
text = pathlib.Path(leaderboard_js).read_text()
data = json.loads(text[text.index("{"):text.rindex(";")])
checked = 0
for task in data["tasks"]:
    for row in task["rows"]:
        r = records[row["run_id"]]
        point = next(p for p in r["operating_points"] if p["name"] == row["point"])
        n = r["task"]["roles"]["test"]["examples"]
        assert row["accuracy"] == point["accuracy"], row
        assert row["macro_f1"] == point["macro_f1"], row
        assert row["flops"] == point["flops_per_instance"], row
        assert math.isclose(row["latency_ms"], 1000 * point["latency_batch1"]["p50_seconds"]), row
        joules = point["energy"]["joules"] if point["energy"].get("measured") else point["energy"]["estimate"]["joules"]
        assert math.isclose(row["energy_j"], joules / n), row
        assert row["method"] == r["method"]["name"] and row["headline"] == (point["name"] == r["metrics"]["operating_point"])
        checked += 1
    for evp in task["evp"]:
        values = sorted(r["metrics"]["accuracy"] for r in records.values()
                        if r["task"]["name"] == task["name"] and r["method"]["name"] == evp["method"] and "trial" in r["suite"])
        N = len(values)
        for n, e in zip(evp["n"], evp["expected"]):
            expected = sum(v * ((i / N) ** n - ((i - 1) / N) ** n) for i, v in enumerate(values, 1))
            assert math.isclose(e, expected, rel_tol=1e-9), (evp["method"], n, e, expected)
        checked += 1
# The report's frontier rows: budget, accuracy, method, point must be a row of the site.
rows = {(t["name"], round(r["accuracy"], 4), f'{r["method"]:<12} {r["point"]}') for t in data["tasks"] for r in t["rows"]}
names = {t["display_name"]: t["name"] for t in data["tasks"]}
task, lines = None, 0
for line in pathlib.Path(report_txt).read_text().splitlines():
    m = re.match(r"^(\S.*) \(\d+ operating points\)$", line)
    if m:
        task = names[m.group(1)]
    m = re.match(r"^\s+(\S+)\s+([01]\.\d{4})  (.+?)( \(estimate\))?$", line)
    if m and task:
        assert (task, float(m.group(2)), m.group(3)) in rows, line
        lines += 1
assert checked > 0 and lines > 0, (checked, lines)
print(f"site rows and EVP curves checked: {checked}; report frontier lines found among them: {lines}")
