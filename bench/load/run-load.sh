#!/usr/bin/env bash
# Produces the "## Load" tables of docs/benchmarks.md: the machine, then bench_load runs for
# (1) TTFT with a warm session and a 20-message conversation, (2) 1,000 concurrent streams with
# the proxy CPU per chunk against a bare ECDH and the relay floor, (3) long answers (400 chunks),
# where per-request work is amortised, (4) a soak of the proxy's RSS.
#
#   bench/load/run-load.sh [BUILD_DIR]          (default: build-bench; configure with -DVEP_BUILD_BENCH=ON)
#   SOAK_SECONDS=600 STREAMS=1000 bench/load/run-load.sh build-load
#
# The tables go to standard output; progress and the child processes' log directory to stderr.
set -euo pipefail

build_dir=${1:-build-bench}
bench="$build_dir/bin/bench_load"
streams=${STREAMS:-1000}
soak_seconds=${SOAK_SECONDS:-600}
soak_streams=${SOAK_STREAMS:-200}

if [[ ! -x "$bench" ]]; then
  echo "run-load.sh: $bench not found; build it with:" >&2
  echo "  cmake -S . -B $build_dir -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVEP_BUILD_BENCH=ON" >&2
  echo "  cmake --build $build_dir -j2 --target bench_load" >&2
  exit 2
fi
if (( $(ulimit -n) < 3 * streams + 256 )); then
  echo "run-load.sh: ulimit -n is $(ulimit -n); $streams streams need at least $((3 * streams + 256))" >&2
  exit 2
fi

echo "Machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), \
$(uname -sr), $(. /etc/os-release && echo "$PRETTY_NAME"), ulimit -n $(ulimit -n)"
echo

status=0
"$bench" --label "TTFT, warm session, 20-message conversation (one stream at a time)" \
  --mode both --streams 1 --total 200 --messages 20 --chunks 4 --chunk-bytes 16 --interval-ms 0 --ramp-ms 0 || status=1
"$bench" --label "TTFT, warm session, 20-message conversation, e2ee.ephemeral_key_per = request" \
  --mode both --streams 1 --total 200 --messages 20 --chunks 4 --chunk-bytes 16 --interval-ms 0 --ramp-ms 0 \
  --ephemeral-key-per request || status=1
"$bench" --label "$streams concurrent streams (40 chunks of 16 bytes every 250 ms each)" \
  --mode both --streams "$streams" --chunks 40 --chunk-bytes 16 --interval-ms 250 --ramp-ms 2000 || status=1
"$bench" --label "200 concurrent long answers (400 chunks of 16 bytes every 50 ms each)" \
  --mode proxy --streams 200 --chunks 400 --chunk-bytes 16 --interval-ms 50 --ramp-ms 1000 || status=1
if (( soak_seconds > 0 )); then
  "$bench" --label "Soak: $soak_streams streams kept open for $soak_seconds s" \
    --mode proxy --streams "$soak_streams" --chunks 40 --chunk-bytes 16 --interval-ms 250 --ramp-ms 2000 \
    --soak-seconds "$soak_seconds" || status=1
fi
exit $status
