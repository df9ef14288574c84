#!/usr/bin/env bash
# Installs every Debian package greenbench needs. README, .ci/run and the
# Dockerfile all call this one script, so what CI proves is what users run.
# Idempotent: packages already present are left as they are.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libtorch-dev            # LibTorch 1.13 (CPU) with its CMake config
  libopenblas0-pthread    # switches LibTorch off the reference BLAS (~20x faster GEMM)
  libcli11-dev nlohmann-json3-dev catch2 libbenchmark-dev
  libcurl4-openssl-dev libarchive-dev libssl-dev libpapi-dev libicu-dev
  python3                 # loopback HTTP server used by the download tests
  slurm-wlm munge         # the sweep's Slurm test starts a single-node cluster on loopback
  libvalijson-dev python3-jsonschema  # JSON Schema validation of records (C++; and a second validator in the tests)
  libcpp-httplib-dev      # the ingest server of `greenbench serve`
  nodejs chromium         # the leaderboard site is bundled with npm packages; its test runs headless Chromium
  clang libclang-rt-14-dev  # the sanitizer build and libFuzzer (make sanitize, make fuzz); the runtimes are only recommended by clang
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  # --no-install-recommends: libtorch1.13 recommends OpenCV, FFmpeg and Qt,
  # none of which we use; they would triple the install time.
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all ${#packages[@]} packages present"
fi

# Debian's nodejs leaves npm to its own package; NodeSource's bundles it (and
# conflicts with Debian's npm), so npm is installed only where it is missing.
if ! command -v npm >/dev/null 2>&1; then
  echo "install-deps: installing npm"
  $SUDO apt-get install -y -q --no-install-recommends npm
fi

# Make sure the BLAS alternative points at OpenBLAS, not the reference BLAS.
for alt in libblas.so.3-x86_64-linux-gnu liblapack.so.3-x86_64-linux-gnu; do
  if update-alternatives --query "$alt" >/dev/null 2>&1; then
    target=$(update-alternatives --list "$alt" | grep -m1 openblas-pthread || true)
    [ -n "$target" ] && $SUDO update-alternatives --set "$alt" "$target" >/dev/null
  fi
done
echo "install-deps: BLAS -> $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)"
