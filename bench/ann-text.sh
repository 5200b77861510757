#!/usr/bin/env bash
# Issue 20's second data set: WordNet 3.0 noun glosses (Debian wordnet-base) embedded with the
# bundled all-MiniLM-L6-v2 (384-d, unit length: L2 order is cosine order), 1,000 glosses held
# out as queries. Same-run pairs as bench/ann-speed.sh: hnswlib and RoseForest each build
# single-threaded (M 16, ef_construction 200) and run the queries one at a time on one thread,
# then both again with QUERY_THREADS query threads.
# VARIANTS (environment; default "plain") picks the RoseForest runs: plain, and pca8 (projected
# int8 codes, --quantization pca8:192 --oversampling 5, efs PCA8_EFS, default 10,80,100: the walk's
# beam is max(ef, 50)). QUERY_THREADS=0 skips the multi-threaded part.
# Usage: [VARIANTS="..."] bash bench/ann-text.sh [OUT_DIR] [ROUNDS] [EFS] [QUERY_THREADS]
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
  for v in ${VARIANTS:-plain}; do
    case $v in
      plain) bench ann --dataset fvecs --dataset-dir "$data" --queries 1000 --threads 1 --ef "$efs" --repeat 3 --json "$out/roseforest-$r.json" | tee "$out/roseforest-$r.txt" | tee -a "$out/log.txt" ;;
      pca8) bench ann --dataset fvecs --dataset-dir "$data" --queries 1000 --threads 1 --ef "${PCA8_EFS:-10,80,100}" --repeat 3 --quantization pca8:192 --oversampling 5 --json "$out/pca8-$r.json" | tee "$out/pca8-$r.txt" | tee -a "$out/log.txt" ;;
      *) echo "unknown variant $v" >&2; exit 2 ;;
    esac
  done
done
[ "$qthreads" = 0 ] && exit 0
echo "== $qthreads query threads $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
"$peer" "$data/base.fvecs" "$data/query.fvecs" "$data/gt.ivecs" 16 200 1000 "$efs" 3 "$qthreads" "$qthreads" | tee "$out/hnswlib-q$qthreads.txt" | tee -a "$out/log.txt"
bench ann --dataset fvecs --dataset-dir "$data" --queries 1000 --threads "$qthreads" --query-threads "$qthreads" --ef "$efs" --repeat 3 | tee "$out/roseforest-q$qthreads.txt" | tee -a "$out/log.txt"
