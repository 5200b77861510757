#!/usr/bin/env bash
# Issue 5's benchmark: hierarchy embeddings of WordNet (mammals dim 5; nouns dim 10 hyperbolic,
# Euclidean dim 10 and 100), mean rank and MAP, training time, exact k-NN check in a collection.
# The papers' published figures are the reference (no runnable peer here). Runs one job at a
# time under nice. Usage: bash bench/embed.sh [OUT_DIR]   (nouns runs take 15-60 min each on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results}
mkdir -p "$out"
if [ ! -f /usr/share/wordnet/data.noun ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordnet-base >/dev/null
fi
dotnet build -c Release src/RoseForest.Cli >/dev/null
cli="nice -n 19 dotnet src/RoseForest.Cli/bin/Release/net10.0/roseforest.dll bench embed"
for m in poincare lorentz euclid; do
  $cli --wordnet mammals --model $m --dim 5 --epochs 300 --knn-queries 200 --json "$out/mammals-$m-5.json" | tee -a "$out/embed.txt"
done
$cli --wordnet nouns --model lorentz --dim 10 --epochs 250 --burn-in 10 --knn-queries 200 --json "$out/nouns-lorentz-10.json" | tee -a "$out/embed.txt"
$cli --wordnet nouns --model poincare --dim 10 --epochs 100 --burn-in 10 --knn-queries 200 --json "$out/nouns-poincare-10.json" | tee -a "$out/embed.txt"
$cli --wordnet nouns --model euclid --dim 10 --epochs 40 --burn-in 5 --json "$out/nouns-euclid-10.json" | tee -a "$out/embed.txt"
$cli --wordnet nouns --model euclid --dim 100 --epochs 20 --burn-in 5 --json "$out/nouns-euclid-100.json" | tee -a "$out/embed.txt"
