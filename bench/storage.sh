#!/usr/bin/env bash
# Issue 2's benchmark and its peer, in one run: RoseForest's storage/exact-search numbers, then
# faiss IndexFlatL2 exact search on the same data. Usage: bash bench/storage.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results}
mkdir -p "$out"
need=()
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
/usr/bin/python3 -c "import faiss" 2>/dev/null || need+=(python3-faiss python3-numpy)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
dotnet run -c Release --project bench/RoseForest.Bench -- storage --json "$out/storage.json" | tee "$out/storage.txt"
/usr/bin/python3 bench/peers/faiss_flat.py 200 2 | tee -a "$out/storage.txt"
/usr/bin/python3 bench/peers/faiss_flat.py 200 1 | tee -a "$out/storage.txt"
