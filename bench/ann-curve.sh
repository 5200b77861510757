#!/usr/bin/env bash
# Issue 20's cost curve: build time, index memory and k=10 latency (p50/p99, one query thread)
# at 10k, 100k, 300k and 1M points of a seeded 128-d Gaussian mixture (bench make-dataset gmm),
# RoseForest and hnswlib (Debian's libhnswlib-dev, -O3 -march=native) side by side in the same
# run, both built with BUILD_THREADS threads (M 16, ef_construction 100) and searched one query
# at a time. Read each side's latency at the smallest ef whose recall@10 reaches 0.95.
# Usage: bash bench/ann-curve.sh [OUT_DIR] [SIZES] [BUILD_THREADS] [EFS]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results/curve}; sizes=${2:-10000,100000,300000,1000000}; threads=${3:-2}; efs=${4:-10,16,24,32,48,64,96,128,192,256}
mkdir -p "$out"
need=()
. bench/peer-hnswlib.sh
for n in ${sizes//,/ }; do
  data=/tmp/rf-gmm-$n
  [ -f "$data/gt.ivecs" ] || bench make-dataset gmm --out "$data" --points "$n" --dim 128 --queries 1000 --seed 20
  echo "== n=$n $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
  "$peer" "$data/base.fvecs" "$data/query.fvecs" "$data/gt.ivecs" 16 100 1000 "$efs" 1 "$threads" | tee "$out/hnswlib-$n.txt" | tee -a "$out/log.txt"
  bench ann --dataset fvecs --dataset-dir "$data" --queries 1000 --m 16 --ef-construction 100 --threads "$threads" --ef "$efs" --json "$out/roseforest-$n.json" | tee "$out/roseforest-$n.txt" | tee -a "$out/log.txt"
done
