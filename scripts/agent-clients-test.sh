#!/usr/bin/env bash
# The real coding agents against the proxy and venice-sim (tests/conformance/agents): installs the
# pinned Codex CLI and Claude Code from npm into a cache directory (reused while the versions
# match), then runs codex exec and claude -p for one tool round each, offline. Needs a build
# (scripts/test.sh or cmake --build build) and tests/conformance/clients/node_modules (npm ci).
# VEP_AGENT_CACHE overrides the cache directory, VEP_BUILD_DIR the build directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${VEP_BUILD_DIR:-$root/build}
cache=${VEP_AGENT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/venice-e2ee-proxy/agents}
codex_version=0.171.0
claude_version=2.1.197

installed() { node -p "require('$cache/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [ "$(installed @openai/codex)" != "$codex_version" ] || [ "$(installed @anthropic-ai/claude-code)" != "$claude_version" ]; then
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --loglevel=error \
    "@openai/codex@$codex_version" "@anthropic-ai/claude-code@$claude_version"
fi
if [ ! -d "$root/tests/conformance/clients/node_modules" ]; then
  (cd "$root/tests/conformance/clients" && npm ci --no-audit --no-fund --loglevel=error)
fi

export VEP_AGENT_BIN_DIR="$cache/node_modules/.bin"
export VEP_PROXY_BIN="$build/bin/venice-e2ee-proxy" VEP_SIM_BIN="$build/bin/venice-sim"
export VEP_PLUGIN_DIR="$build/lib/venice-e2ee-proxy/plugins"
cd "$root/tests/conformance/agents"
exec node --test --test-reporter=spec agents.test.mjs
