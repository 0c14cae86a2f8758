#!/usr/bin/env bash
# Builds every libFuzzer target under fuzz/ with clang and runs each for a bounded time.
#
#   scripts/run-fuzz.sh [seconds-per-fuzzer]      (default 30; env FUZZ_SECONDS works too)
#
# Environment: BUILD_DIR (default <repo>/build-fuzz), SOURCE_DIR (default the repo),
# FUZZ_JOBS (build parallelism, default 2), FUZZ_ONLY (run only the fuzzers whose name contains it).
# Each fuzzer starts from a scratch copy of its seed corpus (fuzz/<area>/corpus/<name>/, if any);
# crash/leak/timeout inputs land in $BUILD_DIR/fuzz-artifacts/<name>/. Exits non-zero when a
# fuzzer reports a finding or the build fails.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source_dir="${SOURCE_DIR:-$repo}"
build_dir="${BUILD_DIR:-$repo/build-fuzz}"
seconds="${1:-${FUZZ_SECONDS:-30}}"
jobs="${FUZZ_JOBS:-2}"

if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "run-fuzz: seconds must be a positive integer, got '$seconds'" >&2
  exit 2
fi

CC=clang CXX=clang++ cmake -S "$source_dir" -B "$build_dir" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVEP_BUILD_FUZZ=ON -DVEP_BUILD_TESTS=OFF >/dev/null
cmake --build "$build_dir" -j"$jobs" --target vep_fuzz_all

bin_dir="$build_dir/fuzz-bin"
shopt -s nullglob
fuzzers=("$bin_dir"/*)
if [ ${#fuzzers[@]} -eq 0 ]; then
  echo "run-fuzz: no fuzzers were built in $bin_dir" >&2
  exit 1
fi

failed=()
for fuzzer in "${fuzzers[@]}"; do
  [ -x "$fuzzer" ] || continue
  name="$(basename "$fuzzer")"
  if [ -n "${FUZZ_ONLY:-}" ] && [[ "$name" != *"$FUZZ_ONLY"* ]]; then
    continue
  fi
  corpus="$build_dir/fuzz-corpus/$name"
  artifacts="$build_dir/fuzz-artifacts/$name"
  rm -rf "$corpus"
  mkdir -p "$corpus" "$artifacts"
  for seeds in "$source_dir"/fuzz/*/corpus/"$name"; do
    cp -r "$seeds"/. "$corpus"/
  done
  echo "== $name: ${seconds}s"
  if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "$corpus" >"$artifacts/log.txt" 2>&1; then
    grep -E "^(stat::number_of_executed_units|stat::new_units_added)" "$artifacts/log.txt" || true
    echo "   ok"
  else
    echo "   FINDING (log: $artifacts/log.txt)"
    tail -n 30 "$artifacts/log.txt"
    failed+=("$name")
  fi
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "run-fuzz: findings in: ${failed[*]}" >&2
  exit 1
fi
echo "run-fuzz: all fuzzers ran ${seconds}s without findings"
