#!/usr/bin/env bash
# Issue 13's benchmark: k=10 search through the Microsoft.Extensions.VectorData provider in process
# and over REST (a server in the same process, RoseForestClient), each beside the same search
# without MEVD; one query at a time and 16 at a time. Seeded random 384-d unit vectors.
# Usage: bash bench/vectordata.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results}
mkdir -p "$out"
dotnet build -c Release bench/RoseForest.Bench >/dev/null
for c in 1 16; do
  dotnet bench/RoseForest.Bench/bin/Release/net10.0/roseforest-bench.dll vectordata --points 20000 --dimension 384 \
    --queries 3000 --concurrency "$c" --json "$out/vectordata-$c.json" | tee "$out/vectordata-$c.txt"
done
