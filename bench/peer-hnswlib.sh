# Sourced by bench/ann-*.sh: installs what the hnswlib peer needs (Debian's libhnswlib-dev, g++
# and any extra packages named in $need), compiles bench/peers/hnswlib_cpu.cpp with -O3
# -march=native into $peer, and builds the RoseForest bench; `bench` then runs it.
[ -f /usr/include/hnswlib/hnswlib.h ] || need+=(libhnswlib-dev)
command -v g++ >/dev/null || need+=(g++)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
peer=${peer:-/tmp/rf-hnswlib-cpu}
g++ -O3 -march=native -std=c++17 -o "$peer" bench/peers/hnswlib_cpu.cpp -lpthread
dotnet build -c Release bench/RoseForest.Bench >/dev/null
bench() { dotnet bench/RoseForest.Bench/bin/Release/net10.0/roseforest-bench.dll "$@"; }
