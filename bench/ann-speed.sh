#!/usr/bin/env bash
# Issue 20's same-run pairs: for each round, hnswlib (bench/peers/hnswlib_cpu.cpp, Debian's
# libhnswlib-dev with -O3 -march=native) and RoseForest plain and with the PCA rotation
# (--rotate 128), each building single-threaded (M 16, ef_construction 200) and running the
# 2,000 Fashion-MNIST queries one at a time on one thread, each ef REPEATS times (median).
# Both sides print QPS by wall clock and by the thread's CPU clock.
# VARIANTS (environment; default "rotate plain") picks the RoseForest runs: plain, rotate, and pca8
# (the projected int8 codes, --quantization pca8:128 --oversampling 4.5, efs PCA8_EFS, default
# 10,50,60,80: with oversampling 4.5 the walk's beam is max(ef, 45)).
# Usage: [VARIANTS="..."] bash bench/ann-speed.sh [OUT_DIR] [ROUNDS] [EFS] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results/speed}; rounds=${2:-3}; efs=${3:-10,20,30,40,60,80,120}; repeats=${4:-3}
work=/tmp/fmnist-speed
mkdir -p "$out" "$work"
need=()
[ -f /usr/include/hnswlib/hnswlib.h ] || need+=(libhnswlib-dev)
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
/usr/bin/python3 -c "import numpy" 2>/dev/null || need+=(python3-numpy)
command -v g++ >/dev/null || need+=(g++)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -f "$work/gt.ivecs" ] || /usr/bin/python3 ../shared/bench/fmnist_to_fvecs.py "$work" 2000
[ "$work/hnswlib_cpu" -nt bench/peers/hnswlib_cpu.cpp ] || g++ -O3 -march=native -std=c++17 -o "$work/hnswlib_cpu" bench/peers/hnswlib_cpu.cpp -lpthread
dotnet build -c Release bench/RoseForest.Bench >/dev/null
rf() { dotnet bench/RoseForest.Bench/bin/Release/net10.0/roseforest-bench.dll ann "$@"; }
for r in $(seq 1 "$rounds"); do
  echo "== round $r $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
  "$work/hnswlib_cpu" "$work/base.fvecs" "$work/query.fvecs" "$work/gt.ivecs" 16 200 2000 "$efs" "$repeats" 1 | tee "$out/hnswlib-$r.txt" | tee -a "$out/log.txt"
  for v in ${VARIANTS:-rotate plain}; do
    case $v in
      rotate) rf --threads 1 --ef "$efs" --repeat "$repeats" --rotate 128 --json "$out/rotate-$r.json" | tee "$out/rotate-$r.txt" | tee -a "$out/log.txt" ;;
      plain) rf --threads 1 --ef "$efs" --repeat "$repeats" --json "$out/plain-$r.json" | tee "$out/plain-$r.txt" | tee -a "$out/log.txt" ;;
      pca8) rf --threads 1 --ef "${PCA8_EFS:-10,50,60,80}" --repeat "$repeats" --quantization pca8:128 --oversampling 4.5 --json "$out/pca8-$r.json" | tee "$out/pca8-$r.txt" | tee -a "$out/log.txt" ;;
      *) echo "unknown variant $v" >&2; exit 2 ;;
    esac
  done
  echo "   end of round $r $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
done
