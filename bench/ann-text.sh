#!/usr/bin/env bash
# Issue 20's second data set: WordNet 3.0 noun glosses (Debian wordnet-base) embedded with the
# bundled all-MiniLM-L6-v2 (384-d, unit length: L2 order is cosine order), 1,000 glosses held
# out as queries. Same-run pairs as bench/ann-speed.sh: hnswlib and RoseForest each build
# single-threaded (M 16, ef_construction 200) and run the queries one at a time on one thread,
# then both again with QUERY_THREADS query threads.
# Usage: bash bench/ann-text.sh [OUT_DIR] [ROUNDS] [EFS] [QUERY_THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results/text}; rounds=${2:-3}; efs=${3:-10,20,30,40,60,80,120,160}; qthreads=${4:-2}
mkdir -p "$out"
need=()
[ -f /usr/share/wordnet/data.noun ] || need+=(wordnet-base)
. bench/peer-hnswlib.sh
data=/tmp/rf-wordnet-glosses
[ -f "$data/gt.ivecs" ] || bench make-dataset wordnet-glosses --out "$data" --queries 1000 --seed 20 | tee -a "$out/log.txt"
for r in $(seq 1 "$rounds"); do
  echo "== round $r $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
  "$peer" "$data/base.fvecs" "$data/query.fvecs" "$data/gt.ivecs" 16 200 1000 "$efs" 3 1 | tee "$out/hnswlib-$r.txt" | tee -a "$out/log.txt"
  bench ann --dataset fvecs --dataset-dir "$data" --queries 1000 --threads 1 --ef "$efs" --repeat 3 --json "$out/roseforest-$r.json" | tee "$out/roseforest-$r.txt" | tee -a "$out/log.txt"
done
echo "== $qthreads query threads $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
"$peer" "$data/base.fvecs" "$data/query.fvecs" "$data/gt.ivecs" 16 200 1000 "$efs" 3 "$qthreads" "$qthreads" | tee "$out/hnswlib-q$qthreads.txt" | tee -a "$out/log.txt"
bench ann --dataset fvecs --dataset-dir "$data" --queries 1000 --threads "$qthreads" --query-threads "$qthreads" --ef "$efs" --repeat 3 | tee "$out/roseforest-q$qthreads.txt" | tee -a "$out/log.txt"
