#!/usr/bin/env bash
# Builds the container image from this tree's Dockerfile with podman and uses it the way an
# operator would: it refuses to start without client keys (naming the fix), a key is made into a
# volume with the image itself, the container runs with a read-only root file system and a
# published port against venice-sim (started on the host, reached over podman's bridge), answers
# /healthz, its HEALTHCHECK passes, a client chats through the published port, and `podman stop`
# (SIGTERM) lets an open stream finish before the container exits 0.
#
# No registry is needed: the base image the Dockerfile names (debian:bookworm-slim) is bootstrapped
# with mmdebstrap and `podman import`ed when it is not present. Podman's settings for this kind of
# machine (runc, because crun refuses hybrid cgroups; ulimits it may not raise) are in a
# containers.conf of this script, not in the image. Run by .ci/run (as root or with sudo).
# Usage: scripts/container-check.sh [build-dir]   (venice-sim is taken from <build-dir>/bin)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
sim="$build/bin/venice-sim"
image=localhost/venice-e2ee-proxy:check
base=docker.io/library/debian:bookworm-slim
name=vep-container-check-$$
volume=vep-container-check-keys-$$
keys_dir=/var/lib/venice-e2ee-proxy/keys
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
work=$(mktemp -d)
sim_pid=""

fail() {
  echo "container-check: $*" >&2
  exit 1
}
note() { printf -- '--- %s\n' "$*"; }
cleanup() {
  for container in "$name" "$name-bridge" "$name-refused"; do podman rm -f -t 0 "$container" >/dev/null 2>&1 || true; done
  podman volume rm -f "$volume" >/dev/null 2>&1 || true
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
[ -x "$sim" ] || fail "$sim is missing: build the project first"

missing=()
for tool in podman mmdebstrap runc curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cat >"$work/containers.conf" <<'EOF'
[engine]
runtime = "runc"
[containers]
default_ulimits = ["nofile=10000:10000", "nproc=8192:8192"]
EOF
podman() { $sudo env CONTAINERS_CONF="$work/containers.conf" podman "$@"; }

note "base image $base"
if ! podman image exists "$base"; then
  mirror=${VEP_DEBIAN_MIRROR:-$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
  mirror=${mirror:-http://deb.debian.org/debian}
  $sudo mmdebstrap --quiet --variant=minbase --mode=root bookworm "$work/rootfs.tar" "$mirror"
  podman import "$work/rootfs.tar" "$base" >/dev/null
  rm -f "$work/rootfs.tar"
fi

note "podman build"
podman build --format docker --tag "$image" "$root"
[ "$(podman run --rm --entrypoint id "$image" -u)" = 10001 ] || fail "the image does not run as uid 10001"

note "bundled plugins load; the plugin volume is searched"
podman run --rm "$image" plugins list --config /etc/venice-e2ee-proxy/config.toml >"$work/plugins.txt"
grep -qx 'directory /var/lib/venice-e2ee-proxy/plugins' "$work/plugins.txt" || fail "the plugin volume is not searched"
! grep -q '^FAILED' "$work/plugins.txt" || fail "a bundled plugin does not load in the image: $(cat "$work/plugins.txt")"

note "start-up without client keys is refused with the fix"
if podman run --rm --name "$name-refused" -e VENICE_E2EE_PROXY__VENICE__API_KEY=sk-x "$image" >"$work/refused.log" 2>&1; then
  fail "the image started without client keys"
fi
grep -q "keys add --keys-file $keys_dir/keys.json" "$work/refused.log" || {
  cat "$work/refused.log"
  fail "the refusal does not name the fix"
}

note "a client key made into a volume by the image"
podman volume create "$volume" >/dev/null
client_key=$(podman run --rm -v "$volume:$keys_dir" "$image" keys add --keys-file "$keys_dir/keys.json" --label ci | tail -1)
[[ $client_key == vep-* ]] || fail "keys add printed no key: $client_key"

note "venice-sim on podman's bridge"
# The bridge exists while a container is attached: a sleeping one keeps it up for the sim.
podman run -d --name "$name-bridge" "$base" sleep 600 >/dev/null
gateway=$(podman network inspect podman --format '{{range .Subnets}}{{.Gateway}}{{end}}')
[ -n "$gateway" ] || fail "podman's default network has no gateway"
"$sim" --host "$gateway" --port 0 >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do grep -qs 'listening on' "$work/sim.log" && break; sleep 0.1; done
sim_url=$(grep -o 'http://[^ ]*' "$work/sim.log" | head -1 || true)
[ -n "$sim_url" ] || fail "venice-sim did not start: $(cat "$work/sim.log")"

note "the image against venice-sim: read-only root, published port"
podman run -d --name "$name" --read-only --stop-timeout 30 -p 127.0.0.1::8080 \
  -v "$volume:$keys_dir:ro" \
  -e VENICE_E2EE_PROXY__VENICE__BASE_URL="$sim_url" -e VENICE_E2EE_PROXY__VENICE__API_KEY=sim-key \
  "$image" >/dev/null
port=$(podman port "$name" 8080 | head -1 | sed 's/.*://')
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fsS --max-time 2 "$url/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS --max-time 5 "$url/healthz" | grep '"ok"' >/dev/null || {
  podman logs "$name"
  fail "/healthz does not answer through the published port"
}
podman healthcheck run "$name" || fail "the image's HEALTHCHECK fails"
status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url/v1/models")
[ "$status" = 401 ] || fail "/v1/models without a client key answered $status, not 401"
chat='{"model":"e2ee-qwen3-235b-a22b-p","stream":true,"messages":[{"role":"user","content":"hello from a container"}]}'
curl -fsS --max-time 60 "$url/v1/chat/completions" -H "Authorization: Bearer $client_key" \
  -H 'Content-Type: application/json' -d "$chat" >"$work/chat.txt" || fail "chat through the published port failed"
grep -q '^data: \[DONE\]' "$work/chat.txt" || fail "the streamed answer did not finish: $(head -c 500 "$work/chat.txt")"
grep -q '"content":"[^"]' "$work/chat.txt" || fail "the streamed answer has no content"
echo "chat through $url: $(grep -c '^data: ' "$work/chat.txt") events"

note "podman stop (SIGTERM) drains an open stream"
long='{"model":"e2ee-qwen3-235b-a22b-p","stream":true,"messages":[{"role":"user","content":"sim:scenario=long chunks=20 chunk_bytes=4 interval_ms=100"}]}'
curl -sS --max-time 60 "$url/v1/chat/completions" -H "Authorization: Bearer $client_key" \
  -H 'Content-Type: application/json' -d "$long" >"$work/long.txt" &
stream_pid=$!
sleep 0.7
podman stop "$name" >/dev/null
wait "$stream_pid" || fail "the open stream failed while the container stopped"
grep -q '^data: \[DONE\]' "$work/long.txt" || fail "the open stream was cut: $(tail -c 300 "$work/long.txt")"
exit_code=$(podman inspect "$name" --format '{{.State.ExitCode}}')
[ "$exit_code" = 0 ] || {
  podman logs "$name"
  fail "the container exited $exit_code after SIGTERM"
}
podman logs "$name" >"$work/container.log" 2>&1
grep -q 'shutting down: draining' "$work/container.log" || fail "no drain in the container's log"
echo "the container's log:"
grep -v 'POST /v1/chat' "$work/container.log" | tail -n 8
echo "container image OK: $image"
