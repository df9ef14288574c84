#!/usr/bin/env bash
# The site as `greenbench site build` writes it from real records, in
# headless Chromium: a small sweep of the smoke suite on fixture data (two
# trials, so every method has expected-validation-performance curves), the
# site built from its records, site_test.mjs on it; then the numbers the
# site shows are compared with the records (report_matches_records.py).
#   real_site_test.sh GREENBENCH WORK_DIR WEB_DIR
# Exit 77 (skipped) without node or Chromium.
set -euo pipefail
greenbench=$1
work=$2
web=$3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../suite/fixture_data.sh"
node=${NODE:-$(command -v node || true)}
[ -n "$node" ] || { echo "SKIP: node not found (Debian: apt-get install nodejs npm)"; exit 77; }
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "SKIP: no Chromium at $CHROMIUM"; exit 77; }
export GREENBENCH_WEB_DIR=$web
rm -rf "$work" && mkdir -p "$work" && cd "$work"
write_fixture_data data
"$greenbench" -q sweep "${SMOKE_FLAGS[@]}" --trials 2 --tasks sst2 --data data --results runs --cache cache > sweep.log 2>&1 ||
  { cat sweep.log; exit 1; }
# A record someone hand-edited to carry markup in its method name: it is not
# valid (greenbench validate refuses the name) but the site must still show it as text.
python3 - runs <<'PY'
import json, pathlib, sys
path = sorted(pathlib.Path(sys.argv[1]).rglob("*bow*.json"))[0]
r = json.loads(path.read_text())
r["method"]["name"] = "<img src=x onerror=alert(1)>"
r["run_id"] = "sst2-hostile-0000000000000000-s1"
(path.parent / (r["run_id"] + ".json")).write_text(json.dumps(r))
PY
"$greenbench" validate --allow-unknown-data runs/sst2/sst2-hostile-0000000000000000-s1.json > hostile.log && { echo "FAIL: validate accepted a method name with markup"; exit 1; }
grep -q "method.name" hostile.log || { cat hostile.log; exit 1; }
"$greenbench" site build --results runs --out site
"$greenbench" report --results runs --svg svg > report.txt
grep -q "expected best accuracy of standard after n of its 2 trials" report.txt || { cat report.txt; echo "FAIL: no EVP in the report"; exit 1; }
python3 "$here/report_matches_records.py" runs site/data/leaderboard.js report.txt
exec "$node" "$here/site_test.mjs" site screenshot.png
