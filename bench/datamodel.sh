#!/usr/bin/env bash
# Issue 12's sparse and multivector numbers with their peers, in one run on one machine:
# RoseForest's exact sparse search (inverted index, plain and idf) on a synthetic SPLADE-like set
# against an in-process brute force and scipy.sparse; max_sim on a synthetic ColBERT-like set
# against an in-process brute force and numpy. Everything single-threaded.
# Usage: bash bench/datamodel.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results}
mkdir -p "$out"
/usr/bin/python3 -c 'import scipy' 2>/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-scipy >/dev/null; }
dotnet build -c Release bench/RoseForest.Bench >/dev/null
rf() { dotnet bench/RoseForest.Bench/bin/Release/net10.0/roseforest-bench.dll "$@"; }
dump=$(mktemp -d)
trap 'rm -rf "$dump"' EXIT
cat /proc/loadavg | tee "$out/datamodel.txt"
rf sparse --docs 100000 --nnz 100 --vocabulary 30000 --queries 500 --query-nnz 30 --baseline-queries 100 --dump "$dump" --json "$out/sparse.json" | tee -a "$out/datamodel.txt"
OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/sparse_scipy.py "$dump" 500 | tee -a "$out/datamodel.txt"
rf multivector --docs 10000 --tokens 32 --dim 128 --query-tokens 32 --queries 20 --dump "$dump" --json "$out/multivector.json" | tee -a "$out/datamodel.txt"
OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/multivector_numpy.py "$dump" | tee -a "$out/datamodel.txt"
cat /proc/loadavg | tee -a "$out/datamodel.txt"
