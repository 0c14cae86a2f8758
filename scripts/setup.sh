#!/usr/bin/env bash
# Installs the Debian 12 packages venice-e2ee-proxy needs (only those missing; apt-get via sudo
# when not root) and builds the project into build/. Extra CMake arguments: VEP_CMAKE_ARGS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${VEP_BUILD_DIR:-$root/build}

packages=(build-essential cmake pkg-config curl ca-certificates haproxy
  libpoco-dev libssl-dev libboost-dev libboost-filesystem-dev libtomlplusplus-dev libsecp256k1-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  prometheus)  # promtool: the tests lint the /metrics exposition and the alerting rules with it
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

# shellcheck disable=SC2086
# Default: -O2 without debug info (what the suite is verified warning-free with, and quicker to build).
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="${VEP_BUILD_TYPE:-RelWithDebInfo}" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" \
  ${VEP_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$(nproc)"
