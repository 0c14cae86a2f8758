#!/usr/bin/env bash
# Sets everything up (packages, Node.js client libraries for the conformance tests), builds, and
# runs the whole test suite with ctest; prints ctest's summary. Exit status is ctest's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${VEP_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm
fi
if [ -f "$root/tests/conformance/clients/package.json" ]; then
  (cd "$root/tests/conformance/clients" && npm ci --no-audit --no-fund --loglevel=error)
fi

cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 600 "$@"
