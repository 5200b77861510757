#!/usr/bin/env bash
# Issue 13's benchmark: Qdrant's gRPC API (Qdrant.Client 1.20) vs the REST API vs in-process, 16
# requests in flight, on Fashion-MNIST (upserts in batches of 100 x 784-d, k=10 queries).
# Usage: bash bench/grpc.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results}
mkdir -p "$out"
[ -d /usr/share/datasets/fashion-mnist ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null; }
dotnet run -c Release --project bench/RoseForest.Bench -- grpc --connections 16 --queries 20000 --json "$out/grpc.json" | tee "$out/grpc.txt"
