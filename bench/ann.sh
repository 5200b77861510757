#!/usr/bin/env bash
# Issue 4's benchmark and its peer, in one run on one machine: RoseForest's HNSW on
# Fashion-MNIST single-threaded, then hnswlib (../shared/bench/peer-hnswlib.sh) right after,
# then RoseForest's variants (2-thread build, int8, 30% deleted, filters).
# Usage: bash bench/ann.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results}
mkdir -p "$out"
[ -d /usr/share/datasets/fashion-mnist ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null; }
dotnet build -c Release bench/RoseForest.Bench >/dev/null
rf() { dotnet bench/RoseForest.Bench/bin/Release/net10.0/roseforest-bench.dll ann "$@"; }
efs=10,20,40,80,120,200
rf --threads 1 --ef $efs --json "$out/ann-1thread.json" | tee "$out/ann.txt"
bash ../shared/bench/peer-hnswlib.sh /tmp/fmnist 16 200 2000 | tee "$out/hnswlib.txt"
rf --threads 2 --ef $efs --json "$out/ann-2threads.json" | tee -a "$out/ann.txt"
rf --threads 2 --ef $efs --quantization int8 --json "$out/ann-int8.json" | tee -a "$out/ann.txt"
rf --threads 2 --ef $efs --delete-fraction 0.3 --json "$out/ann-deleted.json" | tee -a "$out/ann.txt"
rf --threads 2 --ef 40,80 --filter-selectivity 0.01,0.05,0.1,0.3,0.5,0.9 --queries 500 --json "$out/ann-filtered.json" | tee -a "$out/ann.txt"
