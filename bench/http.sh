#!/usr/bin/env bash
# Issue 3's benchmark: REST over loopback (16 connections) vs in-process (16 tasks), on Fashion-MNIST.
# Usage: bash bench/http.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results}
mkdir -p "$out"
[ -d /usr/share/datasets/fashion-mnist ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null; }
dotnet run -c Release --project bench/RoseForest.Bench -- http --connections 16 --queries 20000 --json "$out/http.json" | tee "$out/http.txt"
