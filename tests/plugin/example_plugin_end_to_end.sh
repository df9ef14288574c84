#!/usr/bin/env bash
# End to end, as CI needs it: install this build into a temporary prefix,
# configure and build examples/plugin against that prefix alone, then run its
# method, two_exit, through the installed greenbench on a tiny SST-2 fixture
# written here, and check the record. Registered by tests.cmake:
#   example_plugin_end_to_end.sh CMAKE BUILD_DIR EXAMPLE_DIR GENERATOR CXX_COMPILER
set -euo pipefail
cmake_bin=$1 build=$2 example=$3 generator=$4 cxx=$5
work=$(mktemp -d "${TMPDIR:-/tmp}/greenbench-plugin-e2e-XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
step() { echo "== ${SECONDS}s: $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

step "cmake --install $build --prefix $prefix"
"$cmake_bin" --install "$build" --prefix "$prefix" > "$work/install.log" || { cat "$work/install.log"; fail "install"; }
[ -x "$prefix/bin/greenbench" ] || fail "no $prefix/bin/greenbench"
for f in lib/cmake/greenbench/greenbenchConfig.cmake lib/cmake/greenbench/greenbenchConfigVersion.cmake \
         include/greenbench/plugin.h include/greenbench/bert/exit_classifier_method.h include/greenbench/error.h; do
  [ -f "$prefix/$f" ] || fail "the install has no $f"
done

step "every function compiled from a source named like an installed header is exported by greenbench"
# A plugin resolves these from the executable at load time; a static library
# member the executable does not pull in would leave them undefined.
nm -D --defined-only "$prefix/bin/greenbench" | awk '{print $3}' | sort -u > "$work/exported.txt"
checked=0
while read -r header; do
  base=$(basename "$header" .h)
  while read -r object; do
    [ -n "$object" ] || continue
    checked=$((checked + 1))
    missing=$(nm --defined-only -g "$object" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sort -u | comm -23 - "$work/exported.txt")
    [ -z "$missing" ] || fail "$header: not exported by greenbench (from $object): $(echo "$missing" | c++filt | head -5)"
  done < <(find "$build" -name "$base.cpp.o")
done < <(cd "$prefix/include/greenbench" && find . -name '*.h' | sed 's|^\./||')
[ "$checked" -gt 5 ] || fail "found only $checked objects for the installed headers under $build"
echo "$checked objects checked"

step "configure examples/plugin with CMAKE_PREFIX_PATH=$prefix"
"$cmake_bin" -S "$example" -B "$work/build" -G "$generator" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
found=$(sed -n 's/^greenbench_DIR:PATH=//p' "$work/build/CMakeCache.txt")
[ "$found" = "$prefix/lib/cmake/greenbench" ] || fail "found greenbench at '$found', not in $prefix"
# Compiled from the installed headers, not from this source tree.
source_tree=$(cd "$example/../.." && pwd)
if grep -q "$source_tree/harness" "$work/build/compile_commands.json"; then
  fail "the example compiles against $source_tree/harness, not the installed headers"
fi

step "build the plugin"
"$cmake_bin" --build "$work/build"
plugin=$work/build/two_exit.so
[ -f "$plugin" ] || fail "no $plugin"

step "greenbench --plugin two_exit.so methods"
mkdir -p "$work/run/data/sst2"
cd "$work/run"
"$prefix/bin/greenbench" --plugin "$plugin" methods > methods.txt 2>&1 || { cat methods.txt; fail "methods"; }
cat methods.txt
grep -Eq '^two_exit +method +example plugin' methods.txt || fail "two_exit is not listed as a method"
grep -Fq "from plugin: $plugin" methods.txt || fail "two_exit is not marked as coming from $plugin"

step "greenbench --plugin two_exit.so run sst2 two_exit (tiny model, fixture data)"
# Alternating labels carried by one word, as the CLI tests' SST-2 fixtures.
sst2_rows() {
  printf 'sentence\tlabel\n'
  for ((i = 0; i < $1; i++)); do
    if ((i % 2)); then printf 'the film was good number %d\t1\n' "$i"; else printf 'the film was bad number %d\t0\n' "$i"; fi
  done
}
sst2_rows 64 > data/sst2/train.tsv
sst2_rows 24 > data/sst2/dev.tsv
"$prefix/bin/greenbench" -q --plugin "$plugin" run sst2 two_exit --data data --results res --cache cache \
  --size tiny --layers 2 --max-len 24 --vocab-size 100 --epochs 1 --batch-size 16 --threads 1 --latency-instances 5

step "check the record"
shopt -s nullglob
records=(res/sst2/sst2-two_exit-*.json)
[ "${#records[@]}" -eq 1 ] || fail "expected one record res/sst2/sst2-two_exit-*.json, found ${#records[@]}"
python3 - "${records[0]}" "$plugin" <<'PY'
import hashlib, json, os, sys
record = json.load(open(sys.argv[1]))
method = record["method"]
assert method["name"] == "two_exit", method["name"]
assert method["family"] == "method", method["family"]
origin = method["origin"]
assert origin["kind"] == "plugin", origin
assert os.path.samefile(origin["path"], sys.argv[2]), origin
assert origin["sha256"] == hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest(), origin
points = [p["name"] for p in record["operating_points"]]
assert points == ["t=0.50", "t=0.70", "t=0.90", "t=1.00"], points
for p in record["operating_points"]:
    assert p["flops_per_instance"] > 0, p
print("record", sys.argv[1], "method", method["name"], "points", points)
PY
step "passed"
