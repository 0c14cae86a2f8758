#!/usr/bin/env bash
# Hostile-client soak: starts venice-sim and the proxy (config/demo-sim.toml; session.idle_ttl
# shortened through the environment so the idle sweep happens within the run), then runs
# hostile_soak: D1 (400 x 1 MiB metadata.session_id, then many valid sessions) and D3 (330 slow
# connections sending a byte every 5 s for ~60 s, a 5,000-connection flood while they are open),
# and an idle period. Prints markdown tables (proxy RSS MiB, threads, fds before / peak / after, and
# whether /healthz answered during each phase) ready for docs/benchmarks.md.
#
#   bench/hostile/soak.sh [BUILD_DIR]        (default: build; needs bin/venice-e2ee-proxy, bin/venice-sim
#                                              and the plugins, i.e. a normal full build)
#   SESSIONS=5000 FLOOD=5000 SLOW=330 SLOW_SECONDS=60 IDLE_SECONDS=30 IDLE_TTL=20s bench/hostile/soak.sh build
#
# Uses BUILD_DIR/bin/bench_hostile_soak when the build has an up-to-date one (-DVEP_BUILD_BENCH=ON),
# else compiles bench/hostile/hostile_soak.cpp into BUILD_DIR/bench-hostile/. Bounded: every phase has a time
# budget and the whole run is cut after MAX_SECONDS (default 900). Tables go to standard output,
# progress and the log directory to standard error.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-build}" && pwd)
sessions=${SESSIONS:-5000}
flood=${FLOOD:-5000}
slow=${SLOW:-330}
slow_seconds=${SLOW_SECONDS:-60}
idle_seconds=${IDLE_SECONDS:-30}
idle_ttl=${IDLE_TTL:-20s}
max_seconds=${MAX_SECONDS:-900}

proxy_bin=$build/bin/venice-e2ee-proxy
sim_bin=$build/bin/venice-sim
for b in "$proxy_bin" "$sim_bin"; do
  [[ -x $b ]] || { echo "soak.sh: $b not found (build the project first: scripts/setup.sh)" >&2; exit 2; }
done

src=$root/bench/hostile/hostile_soak.cpp
tool=$build/bin/bench_hostile_soak
if [[ ! -x $tool || $src -nt $tool ]]; then
  tool=$build/bench-hostile/hostile_soak
  if [[ ! -x $tool || $src -nt $tool ]]; then
    mkdir -p "$(dirname "$tool")"
    echo "soak.sh: compiling $tool" >&2
    "${CXX:-c++}" -std=c++20 -O2 -pthread -o "$tool" "$src"
  fi
fi

# The flood and the slow connections are descriptors of this process (the tool) and the proxy.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
need=$((flood + slow + 512))
if (( $(ulimit -n) < need )); then
  echo "soak.sh: ulimit -n is $(ulimit -n); FLOOD=$flood SLOW=$slow need at least $need" >&2
  exit 2
fi

logs=$(mktemp -d "${TMPDIR:-/tmp}/vep-soak.XXXXXX")
echo "soak.sh: logs in $logs" >&2
sim_pid=""
proxy_pid=""
stop() {  # SIGTERM, at most 10 s, then SIGKILL
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() { stop "$proxy_pid"; stop "$sim_pid"; }
trap cleanup EXIT

# The first line of `file` containing "listening on", within 30 s.
listening_line() {
  local file=$1 pid=$2
  for _ in $(seq 300); do
    if grep -m1 "listening on" "$file" 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "soak.sh: no 'listening on' line in $file:" >&2
  cat "$file" >&2
  return 1
}

"$sim_bin" --port 0 >"$logs/sim.log" 2>&1 &
sim_pid=$!
sim_url=$(listening_line "$logs/sim.log" "$sim_pid" | sed 's/.*listening on //')

VENICE_E2EE_PROXY__VENICE__BASE_URL=$sim_url VENICE_E2EE_PROXY__VENICE__API_KEY=sim-key \
  VENICE_E2EE_PROXY__SERVER__PORT=0 VENICE_E2EE_PROXY__SESSION__IDLE_TTL=$idle_ttl \
  "$proxy_bin" "$root/config/demo-sim.toml" >"$logs/proxy.log" 2>&1 &
proxy_pid=$!
proxy_port=$(listening_line "$logs/proxy.log" "$proxy_pid" | sed 's/.*://')

echo "### Hostile soak ($(date -u +%Y-%m-%d), $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo
echo "Machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)," \
  "ulimit -n $(ulimit -n). Proxy: config/demo-sim.toml with session.idle_ttl = \"$idle_ttl\"; venice-sim upstream."
echo
timeout --signal=TERM --kill-after=10 "$max_seconds" "$tool" --port "$proxy_port" --pid "$proxy_pid" \
  --sessions "$sessions" --slow "$slow" --slow-seconds "$slow_seconds" --flood "$flood" \
  --idle-seconds "$idle_seconds"
if ! kill -0 "$proxy_pid" 2>/dev/null; then
  echo
  echo "The proxy exited during the run (see $logs/proxy.log)."
  exit 1
fi
