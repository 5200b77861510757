#!/usr/bin/env bash
# Issue 17's locality-sharding numbers: recall@10 and QPS of queries visiting the nearest 1, 2, 4
# shards against every shard, on Fashion-MNIST, with cluster nodes in one process on a throwaway
# PostgreSQL 15 (test/cluster/pg.sh).
# Usage: bash bench/cluster-locality.sh [OUT_DIR] [PG_PORT] [extra options of `bench cluster-locality`]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results}
port=${2:-54393}
shift $(( $# > 2 ? 2 : $# ))
mkdir -p "$out"
pgdir=$(mktemp -d /tmp/rf-locality-pg.XXXXXX)
conn=$(bash test/cluster/pg.sh start "$pgdir" "$port" | tail -1)
trap 'bash test/cluster/pg.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
dotnet run -c Release --project bench/RoseForest.Bench -- cluster-locality --pg "$conn" --json "$out/cluster-locality.json" "$@" | tee "$out/cluster-locality.txt"
