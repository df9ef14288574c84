#!/usr/bin/env bash
# The fast tests under AddressSanitizer + UBSan with _GLIBCXX_ASSERTIONS and
# nlohmann's JSON_ASSERT (the sanitizer build, scripts/sanitize-build.sh),
# plus a replay of every fuzz target's seed corpus and kept regressions.
#
# Which tests: the executables that check parsers, records, files and the
# upload path, and do not train a model for minutes: text (tokenizers,
# vocabularies), tasks (CSV/JSONL readers, the five loaders, roles), fetch
# (downloads, archives), leaderboard (ingest server, submit client), report
# (record validation, Pareto, site data), suite (suite files, trials,
# shards, merge), checkpoint (safetensors, checkpoints), energy and measure
# (meters). Left out: test_core, test_baselines and test_plugin train models
# (LibTorch runs uninstrumented, but our training loops under ASan at -O1
# would add tens of minutes to CI), and the end-to-end scripts, which need
# the whole CLI and the web bundle.
# Usage: scripts/sanitize-tests.sh [CTEST_REGEX]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SANITIZE_BUILD:-build-sanitize}
tests=(test_text test_tasks test_fetch test_leaderboard test_report test_suite test_checkpoint test_energy test_measure)
bash scripts/sanitize-build.sh "${tests[@]}" fuzz_targets
source scripts/sanitizer-env.sh
regex=${1:-"^($(IFS='|'; echo "${tests[*]}")):|^fuzz_"}
cd "$build"
ctest --output-on-failure -j "${JOBS:-$(nproc)}" -R "$regex"
