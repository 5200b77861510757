#!/usr/bin/env bash
# Issue 16's benchmark: sync throughput between two servers over loopback HTTP (points/s, 784-d
# and 384-d, the receiving collection with and without an HNSW index, two batch sizes), and the
# time to converge after a partition heals. Usage: bash bench/sync.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results}
mkdir -p "$out"
dotnet build -c Release bench/RoseForest.Sync.Bench >/dev/null
run="nice -n 10 dotnet bench/RoseForest.Sync.Bench/bin/Release/net10.0/roseforest-sync-bench.dll"
$run --points 20000 --dims 784,384 --updates 2000 --index none --batch 256 --json "$out/sync-none-256.json" | tee "$out/sync.txt"
$run --points 20000 --dims 784,384 --updates 2000 --index none --batch 1000 --json "$out/sync-none-1000.json" | tee -a "$out/sync.txt"
$run --points 20000 --dims 784,384 --updates 2000 --index hnsw --batch 256 --json "$out/sync-hnsw-256.json" | tee -a "$out/sync.txt"
