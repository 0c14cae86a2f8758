#!/usr/bin/env bash
# Produces the "## Load" tables of docs/benchmarks.md: the machine, then bench_load runs for
# (1) TTFT with a warm session and a 20-message conversation, (2) added TTFT over an upstream
# with a simulated 20 ms round trip, (3) upstream connects and TLS handshakes per 1,000 requests,
# (4) the proxy's CPU per request, (5) 1, 50 and 1,000 concurrent streams with the proxy CPU per
# chunk against a bare ECDH and the relay floor, (6) long answers (400 chunks), where per-request
# work is amortised, (7) a soak of the proxy's RSS.
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
"$bench" --label "Added TTFT over a 20 ms upstream round trip: warm pool vs a direct client on an open connection" \
  --mode both --streams 1 --total 200 --chunks 4 --chunk-bytes 16 --interval-ms 0 --ramp-ms 0 \
  --sim-latency-ms 20 --direct-keep-alive on || status=1
"$bench" --label "Upstream TCP connects and TLS handshakes per 1,000 requests (venice-sim over TLS)" \
  --mode proxy --streams 20 --total 3000 --chunks 1 --chunk-bytes 16 --interval-ms 0 --ramp-ms 0 \
  --upstream-tls "$(dirname "$0")/../../tests/data/tls" || status=1
"$bench" --label "Proxy CPU per request (1-chunk answers)" \
  --mode both --streams 20 --total 3000 --chunks 1 --chunk-bytes 16 --interval-ms 0 --ramp-ms 0 || status=1
"$bench" --label "1 stream at a time (40 chunks of 16 bytes every 50 ms)" \
  --mode proxy --streams 1 --total 30 --chunks 40 --chunk-bytes 16 --interval-ms 50 --ramp-ms 0 || status=1
"$bench" --label "50 concurrent streams (40 chunks of 16 bytes every 50 ms each)" \
  --mode proxy --streams 50 --total 200 --chunks 40 --chunk-bytes 16 --interval-ms 50 --ramp-ms 500 || status=1
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
