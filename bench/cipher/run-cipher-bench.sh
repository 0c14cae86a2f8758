#!/usr/bin/env bash
# Runs bench_cipher as many short repetitions and prints, per benchmark, the minimum CPU time per
# iteration (the least disturbed run: on a shared machine the median moves with other load) and
# the ratios docs/benchmarks.md reports. Usage: run-cipher-bench.sh [BUILD_DIR] [REPETITIONS]
set -euo pipefail
build=${1:-build-bench}
reps=${2:-25}
"$build/bin/bench_cipher" --benchmark_min_time=0.2 --benchmark_repetitions="$reps" --benchmark_format=json |
python3 -c '
import json, sys
runs = json.load(sys.stdin)["benchmarks"]
best = {}
for b in runs:
    if b.get("run_type") != "iteration":
        continue
    us = b["cpu_time"] / (1000.0 if b["time_unit"] == "ns" else 1.0)
    best[b["run_name"]] = min(best.get(b["run_name"], float("inf")), us)
print("| benchmark | min CPU µs |")
print("|---|---:|")
for name, us in best.items():
    print(f"| {name} | {us:.2f} |")
floor = best["bare_ecdh"]
ratios = [
    ("decrypt_chunk secp256k1 / bare_ecdh", best["decrypt_chunk/backend:0"]),
    ("(bare_parse_ecdh + decrypt_non_ecdh) / bare_ecdh", best["bare_parse_ecdh"] + best["decrypt_non_ecdh"]),
    ("encrypt_field secp256k1 / bare_ecdh", best["encrypt_field/backend:0"]),
]
print()
for label, us in ratios:
    print("%s = %.3f" % (label, us / floor))
'
