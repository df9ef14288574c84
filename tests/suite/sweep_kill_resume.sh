#!/usr/bin/env bash
# A sweep killed with SIGKILL in the middle of a run loses nothing and
# duplicates nothing: every record on disk after the kill is whole, the
# resumed sweep reuses those (byte for byte) and redoes only the rest, and the
# finished folder holds exactly the runs of an uninterrupted sweep, with the
# same results. Registered by tests.cmake: sweep_kill_resume.sh GREENBENCH
set -euo pipefail
greenbench=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/fixture_data.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/greenbench-kill-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
write_fixture_data data

sweep=("$greenbench" -q sweep "${SMOKE_FLAGS[@]}" --trials 2 --data data --cache cache)

echo "== the uninterrupted sweep"
"${sweep[@]}" --results whole > whole.log 2>&1 || { cat whole.log; fail "uninterrupted sweep"; }
total=$(find whole -name '*.json' | wc -l)
[ "$total" -eq 20 ] || fail "expected 2 trials x 2 tasks x 5 methods = 20 records, found $total"

echo "== the same sweep, killed with SIGKILL after its third record"
"${sweep[@]}" --results killed > killed-1.log 2>&1 &
pid=$!
for ((i = 0; i < 1200; i++)); do
  [ "$(find killed -name '*.json' 2>/dev/null | wc -l)" -ge 3 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null || fail "the sweep finished before it could be killed"
wait "$pid" 2>/dev/null || true
before=$(find killed -name '*.json' | wc -l)
echo "killed with $before of $total records written"
[ "$before" -ge 3 ] && [ "$before" -lt "$total" ] || fail "killed at $before records, not in the middle"
# Every record there is whole JSON; remember each one's bytes.
record_results killed > /dev/null || fail "a record left by the kill does not parse"
find killed -name '*.json' -exec sha256sum {} + | sort > before.sha

echo "== resumed"
"${sweep[@]}" --results killed > killed-2.log 2>&1 || { cat killed-2.log; fail "resumed sweep"; }
grep -q "($((total - before)) run, $before reused)" killed-2.log || { cat killed-2.log; fail "expected $((total - before)) runs redone and $before reused"; }
after=$(find killed -name '*.json' | wc -l)
[ "$after" -eq "$total" ] || fail "after resuming: $after records, expected $total"
# The records from before the kill were reused, not rewritten.
while read -r sum path; do
  [ "$(sha256sum "$path" | cut -d' ' -f1)" = "$sum" ] || fail "$path was rewritten on resume"
done < before.sha
# Same runs (run ids), same results as the uninterrupted sweep.
diff <(record_results whole) <(record_results killed) || fail "the resumed sweep differs from the uninterrupted one"
# And merging it elsewhere copies each run once; temp files of the killed writer are ignored.
"$greenbench" merge --out merged killed whole > merge.log 2>&1 || { cat merge.log; fail "merge"; }
grep -q "$total records copied, $total already there" merge.log || { cat merge.log; fail "merge counts"; }
# A second, independent validator (Python's jsonschema) on this real output.
if python3 -c 'import jsonschema' 2>/dev/null; then
  python3 - "$here/../../results/schema.json" killed <<'PY' || fail "records do not validate against results/schema.json"
import json, pathlib, sys, jsonschema
schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft7Validator(schema)
paths = sorted(pathlib.Path(sys.argv[2]).rglob("*.json"))
for path in paths:
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(json.loads(path.read_text()))]
    assert not errors, f"{path}: {errors[:3]}"
print(f"jsonschema: {len(paths)} records valid against results/schema.json")
PY
else
  echo "note: python3-jsonschema not installed; only greenbench validate checked the records"
fi
"$greenbench" validate --allow-unknown-data killed > validate.log || { cat validate.log; fail "greenbench validate"; }
tail -n 1 validate.log
echo "passed: killed at $before/$total records, resumed to $total, equal to the uninterrupted sweep"
