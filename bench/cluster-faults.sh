#!/usr/bin/env bash
# Issue 17's long fault run: the failure scenario of test/RoseForest.Cluster.Tests/FailureTests.cs
# (three `roseforest serve --cluster` processes under a write/read load: SIGKILL and restart,
# SIGSTOP for 15 s, a shard move) repeated RUNS times, summing acknowledged writes, reads and
# read errors. `dotnet test` runs the scenario once (CI); this is the measurement.
# Usage: bash bench/cluster-faults.sh [RUNS] [OUT_DIR] [PG_PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=${2:-bench/results}
port=${3:-54392}
mkdir -p "$out"
pgdir=$(mktemp -d /tmp/rf-faults-pg.XXXXXX)
conn=$(bash test/cluster/pg.sh start "$pgdir" "$port" | tail -1)
trap 'bash test/cluster/pg.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
dotnet build test/RoseForest.Cluster.Tests -c Release >/dev/null
: >"$out/cluster-faults.txt"
for i in $(seq 1 "$runs"); do
  ROSEFOREST_TEST_PG="$conn" dotnet test test/RoseForest.Cluster.Tests -c Release --no-build \
    --filter "FullyQualifiedName~FailureTests" --logger "console;verbosity=detailed" >"$out/cluster-faults-$i.log" 2>&1 || true
  line=$(grep -m1 -o "acknowledged points: .*" "$out/cluster-faults-$i.log" || echo "run failed before its summary")
  echo "run $i: $line" | tee -a "$out/cluster-faults.txt"
  grep -o "read error (sent at .*" "$out/cluster-faults-$i.log" | sed "s/^/  run $i: /" | tee -a "$out/cluster-faults.txt" || true
done
awk -F'[:,]' '/^run [0-9]+: acknowledged/ { a += $3; r += $5; e += $9 } END { printf "total: %d acknowledged points, %d reads, %d read errors\n", a, r, e }' "$out/cluster-faults.txt" | tee -a "$out/cluster-faults.txt"
