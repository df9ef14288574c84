#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) in the sanitizer build and runs
# each for SECONDS (default 60), one after the other. New inputs go to
# $SANITIZE_BUILD/fuzz/corpus/<parser> (the seeds in tests/fuzz/corpus are
# only read); a crash leaves its input in $SANITIZE_BUILD/fuzz/artifacts/.
# Keep it as tests/fuzz/regressions/<parser>/<name> (CTest replays it), fix
# the parser, and rerun. Prints one line per target: seconds, executions,
# and the outcome; exits 1 if any target found a crash.
# Usage: scripts/fuzz.sh [SECONDS] [PARSER...]   (parsers: tests/fuzz/corpus/*)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
build=${SANITIZE_BUILD:-build-sanitize}
parsers=("$@")
if [ "${#parsers[@]}" -eq 0 ]; then
  for d in tests/fuzz/corpus/*/; do parsers+=("$(basename "$d")"); done
fi
targets=()
for p in "${parsers[@]}"; do targets+=("fuzz_$p"); done
bash scripts/sanitize-build.sh "${targets[@]}"
source scripts/sanitizer-env.sh

failed=()
summary=()
for p in "${parsers[@]}"; do
  work="$build/fuzz/corpus/$p"
  artifacts="$build/fuzz/artifacts/$p/"
  log="$build/fuzz/$p.log"
  mkdir -p "$work" "$artifacts"
  echo "fuzz: $p for ${seconds}s"
  # -timeout: one input running 10 s is a hang; -rss_limit_mb: one needing
  # 2 GiB is a memory blow-up. Both count as crashes.
  status=0
  "$build/tests/fuzz/fuzz_$p" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$work" "tests/fuzz/corpus/$p" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ "$status" -ne 0 ]; then
    failed+=("$p")
    summary+=("$p: CRASH after ${execs:-?} executions (exit $status); input in $artifacts, log $log")
    tail -40 "$log"
  else
    summary+=("$p: ${seconds}s, ${execs:-?} executions, no crash")
  fi
done
printf 'fuzz: %s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}" >&2
  exit 1
fi
