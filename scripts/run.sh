#!/usr/bin/env bash
# Sets everything up, builds, and runs the proxy on http://127.0.0.1:${PORT:-8080}.
# With VENICE_API_KEY (or VENICE_E2EE_PROXY__VENICE__API_KEY) set it talks to api.venice.ai;
# without one it starts the bundled venice-sim and runs against it (config/demo-sim.toml, where
# attestation includes full TDX DCAP verification against the simulator's test root).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# VEP_SKIP_SETUP=1 reuses an existing build (the run-script test does this).
[ "${VEP_SKIP_SETUP:-}" = 1 ] || "$root/scripts/setup.sh"
bin=${VEP_BUILD_DIR:-$root/build}/bin
port=${PORT:-8080}
export VENICE_E2EE_PROXY__SERVER__PORT=$port
export VENICE_E2EE_PROXY__SERVER__HOST=${VENICE_E2EE_PROXY__SERVER__HOST:-127.0.0.1}

key=${VENICE_E2EE_PROXY__VENICE__API_KEY:-${VENICE_API_KEY:-}}
if [ -z "$key" ]; then
  sim_log=$(mktemp)
  "$bin/venice-sim" --port 0 >"$sim_log" 2>&1 &
  sim_pid=$!
  trap 'kill $sim_pid 2>/dev/null || true; rm -f "$sim_log"' EXIT
  for _ in $(seq 1 100); do
    url=$(sed -n 's/^venice-sim listening on \(http[^ ]*\).*/\1/p' "$sim_log" | head -1)
    [ -n "$url" ] && break
    kill -0 "$sim_pid" 2>/dev/null || { cat "$sim_log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "${url:-}" ] || { echo "venice-sim did not start" >&2; cat "$sim_log" >&2; exit 1; }
  echo "No Venice API key set: using the bundled venice-sim at $url"
  export VENICE_E2EE_PROXY__VENICE__BASE_URL=$url
  export VENICE_E2EE_PROXY__VENICE__API_KEY=sim-key
  config=$root/config/demo-sim.toml
  model=e2ee-qwen3-235b-a22b-p
else
  export VENICE_E2EE_PROXY__VENICE__API_KEY=$key
  config=$root/config/default.toml
  model=${MODEL:-e2ee-qwen3-235b-a22b-p}
fi

cat <<MSG

Try it (in another terminal):
  curl -s http://127.0.0.1:$port/v1/chat/completions -H 'Content-Type: application/json' \\
    -d '{"model":"$model","messages":[{"role":"user","content":"Hello through the enclave"}]}'

MSG
# The proxy runs as a child so the simulator is stopped with it; SIGINT/SIGTERM reach the proxy,
# which drains open streams and exits.
"$bin/venice-e2ee-proxy" "$config" &
proxy_pid=$!
trap 'kill -TERM $proxy_pid 2>/dev/null || true' INT TERM
status=0
wait $proxy_pid || status=$?
if kill -0 $proxy_pid 2>/dev/null; then status=0; wait $proxy_pid || status=$?; fi
exit $status
