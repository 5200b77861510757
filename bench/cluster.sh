#!/usr/bin/env bash
# Issue 17's benchmark: cluster mode through REST on one machine (a plain server measured in the
# same run), on a throwaway PostgreSQL 15 started by test/cluster/pg.sh.
# Usage: bash bench/cluster.sh [OUT_DIR] [PG_PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results}
port=${2:-54391}
mkdir -p "$out"
pgdir=$(mktemp -d /tmp/rf-bench-pg.XXXXXX)
conn=$(bash test/cluster/pg.sh start "$pgdir" "$port" | tail -1)
trap 'bash test/cluster/pg.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
dotnet run -c Release --project bench/RoseForest.Bench -- cluster --pg "$conn" --json "$out/cluster.json" | tee "$out/cluster.txt"
