#!/bin/sh
# CTest driver for web_site_fixture:
#   run_fixture_test.sh DIST_DIR WORK_DIR WEB_DIR
# builds a fixture site from DIST_DIR (the built web/dist) in WORK_DIR/site and
# runs site_test.mjs on it with WEB_DIR's node_modules (playwright-core).
# Exit 77 (skipped) without node, Chromium, or npm at configure time.
set -u
dist=$1
work=$2
web=$3
here=$(cd "$(dirname "$0")" && pwd)

if [ -n "${GREENBENCH_WEB_SKIP:-}" ]; then
  echo "SKIP: $GREENBENCH_WEB_SKIP"
  exit 77
fi
node=${NODE:-$(command -v node || true)}
if [ -z "$node" ]; then
  echo "SKIP: node not found (Debian: apt-get install nodejs npm)"
  exit 77
fi
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "SKIP: no Chromium at $chromium (Debian: apt-get install --no-install-recommends chromium; or set CHROMIUM)"
  exit 77
fi
if [ ! -f "$dist/index.html" ]; then
  echo "FAIL: no built site at $dist: build the greenbench_web target first"
  exit 1
fi
CHROMIUM=$chromium GREENBENCH_WEB_DIR=$web
export CHROMIUM GREENBENCH_WEB_DIR
mkdir -p "$work" || exit 1
"$node" "$here/make_fixture_site.mjs" "$dist" "$work/site" || exit 1
exec "$node" "$here/site_test.mjs" "$work/site" "$work/screenshot.png"
