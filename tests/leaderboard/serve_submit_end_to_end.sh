#!/usr/bin/env bash
# The upload path with the real validator and site builder, through the
# greenbench binary on loopback: records from a small run are submitted to
# `greenbench serve`, listed by the server, stored whole and shown by the
# rebuilt site; a wrong token and a tampered record are refused and leave
# nothing behind.  serve_submit_end_to_end.sh GREENBENCH
set -euo pipefail
greenbench=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../suite/fixture_data.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/greenbench-serve-XXXXXX")
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; cat serve.log >&2 2>/dev/null || true; exit 1; }
write_fixture_data data
"$greenbench" -q run "${SMOKE_FLAGS[@]}" sst2 --data data --results local --cache cache > run.log 2>&1 || { cat run.log; fail "run"; }
mapfile -t records < <(find local -name '*.json' | sort)
[ "${#records[@]}" -eq 5 ] || fail "expected 5 records, found ${#records[@]}"

umask 077
echo "s3cret-token" > token
echo "wrong-token" > wrong
# An empty site folder: serve builds the site into it at start-up (it refuses
# a folder that is neither empty nor a site greenbench built).
mkdir -p site
"$greenbench" serve --results stored --site site --token-file token --port 0 --allow-unknown-data > serve.log 2>&1 &
server=$!
for ((i = 0; i < 100; i++)); do grep -q "http://127.0.0.1:" serve.log && break; sleep 0.1; done
url=$(grep -o "http://127.0.0.1:[0-9]*" serve.log | head -n 1)
[ -n "$url" ] || fail "serve printed no URL"
echo "serving at $url"

echo "== a wrong token is refused, nothing stored"
"$greenbench" submit "${records[0]}" --to "$url" --token-file wrong --retries 0 > wrong.log 2>&1 && fail "accepted a wrong token"
grep -qi "token" wrong.log || { cat wrong.log; fail "no word about the token"; }
[ -z "$(find stored -name '*.json' 2>/dev/null)" ] || fail "a refused upload left a file"

echo "== a tampered record is refused by the validator, nothing stored"
python3 - "${records[0]}" tampered.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["operating_points"][0]["flops_per_instance"] *= 0.5
r["metrics"]["accuracy"] = r["operating_points"][0]["accuracy"]
json.dump(r, open(sys.argv[2], "w"))
PY
"$greenbench" submit tampered.json --to "$url" --token-file token --retries 0 > tampered.log 2>&1 && fail "accepted a tampered record"
grep -q "compute paths" tampered.log || { cat tampered.log; fail "the validator's reason was not shown"; }
[ -z "$(find stored -name '*.json' 2>/dev/null)" ] || fail "a refused upload left a file"

echo "== the five records are stored, listed, and shown by the rebuilt site"
"$greenbench" submit "${records[@]}" --to "$url" --token-file token | tee submit.log
[ "$(find stored -name '*.json' | wc -l)" -eq 5 ] || fail "expected 5 stored records"
listed=$(python3 -c 'import json,sys,urllib.request; print(json.dumps(json.load(urllib.request.urlopen(sys.argv[1] + "/api/v1/results"))))' "$url")
for r in "${records[@]}"; do
  id=$(basename "$r" .json)
  grep -q "$id" <<< "$listed" || fail "$id is not listed by the server"
  cmp -s "$r" "stored/sst2/$id.json" || fail "stored/sst2/$id.json differs from what was sent"
done
shown() { grep -o '"run_id"' site/data/leaderboard.js 2>/dev/null | wc -l; }
for ((i = 0; i < 100; i++)); do [ "$(shown)" -ge 5 ] && break; sleep 0.1; done
[ "$(shown)" -ge 5 ] || fail "the site was not rebuilt after the uploads"
python3 -c 'import urllib.request,sys; t=urllib.request.urlopen(sys.argv[1]+"/data/leaderboard.js").read().decode(); assert t.count("\"run_id\"") >= 5, t[:200]' "$url" ||
  fail "the served site does not show the records"

echo "== the same records again: already there, still stored once"
"$greenbench" submit "${records[@]}" --to "$url" --token-file token > again.log 2>&1 || { cat again.log; fail "resubmitting identical records"; }
[ "$(find stored -name '*.json' | wc -l)" -eq 5 ] || fail "resubmitting duplicated records"
echo "passed: wrong token and tampered record refused with nothing stored; 5 stored once, listed, and on the site"
