#!/usr/bin/env bash
# Configures the sanitizer build (ASan + UBSan + library assertions, and the
# libFuzzer targets; see cmake/Sanitizers.cmake, cmake/Fuzzing.cmake) in
# $SANITIZE_BUILD (default build-sanitize) with clang, and builds the given
# targets only: the whole project is not needed, and each target costs an
# instrumented compile.
# Usage: scripts/sanitize-build.sh TARGET...
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SANITIZE_BUILD:-build-sanitize}
jobs=${JOBS:-$(nproc)}
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# RelWithDebInfo for -g; Sanitizers.cmake removes its -DNDEBUG and sets -O1.
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DGREENBENCH_SANITIZE=ON -DGREENBENCH_FUZZ=ON -DGREENBENCH_BUILD_BENCHMARKS=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" -j "$jobs" --target "$@"
