#!/usr/bin/env bash
# Issue 5's benchmark: hierarchy embeddings of WordNet (mammals dim 5; nouns dim 10 hyperbolic,
# Euclidean dim 10 and 100), mean rank and MAP, training time, exact k-NN check in a collection.
# The papers' published figures are the reference (no runnable peer here). Runs one job at a
# time under nice. Usage: bash bench/embed.sh [OUT_DIR]   (nouns runs take 5-60 min each on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results}
mkdir -p "$out"
if [ ! -f /usr/share/wordnet/data.noun ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordnet-base >/dev/null
fi
dotnet build -c Release bench/RoseForest.Bench >/dev/null
cli="nice -n 19 dotnet bench/RoseForest.Bench/bin/Release/net10.0/roseforest-bench.dll embed"
# A mid-sized graph (10,699 nodes) for comparing training settings in a minute or two per run.
for seed in 42 7; do
  $cli --wordnet artifact.n.01 --model lorentz --dim 10 --epochs 500 --threads 1 --seed $seed --json "$out/artifact-lorentz-10-$seed.json" | tee -a "$out/embed.txt"
done
for m in poincare lorentz euclid; do
  $cli --wordnet mammals --model $m --dim 5 --epochs 300 --knn-queries 200 --json "$out/mammals-$m-5.json" | tee -a "$out/embed.txt"
done
$cli --wordnet nouns --model lorentz --dim 10 --epochs 1000 --burn-in 20 --knn-queries 200 --out "$out/nouns-lorentz-10.tsv" --json "$out/nouns-lorentz-10.json" | tee -a "$out/embed.txt"
$cli --wordnet nouns --model poincare --dim 10 --epochs 1000 --burn-in 20 --knn-queries 200 --out "$out/nouns-poincare-10.tsv" --json "$out/nouns-poincare-10.json" | tee -a "$out/embed.txt"
$cli --wordnet nouns --model euclid --dim 10 --epochs 200 --burn-in 20 --json "$out/nouns-euclid-10.json" | tee -a "$out/embed.txt"
$cli --wordnet nouns --model euclid --dim 100 --epochs 100 --burn-in 20 --json "$out/nouns-euclid-100.json" | tee -a "$out/embed.txt"
search="nice -n 19 dotnet bench/RoseForest.Bench/bin/Release/net10.0/roseforest-bench.dll embed-search"
for m in lorentz poincare; do
  $search --embeddings "$out/nouns-$m-10.tsv" --ef 10,20,40,80,160 --delete-fraction 0.2 --json "$out/search-$m-10.json" | tee -a "$out/embed.txt"
done
