// The hnswlib peer for issue 20 (Debian's libhnswlib-dev, built with -O3 -march=native):
// build single-threaded, then for each ef run every query one at a time on one thread,
// R times, and print the median QPS by wall clock and by the thread's CPU clock. On a machine
// shared with other jobs the CPU-clock figure is the steadier one: it leaves out the time the
// thread waited for a core. Recall@10 counts how many of the 10 true neighbours were found.
// With one query thread it also prints the per-query wall latency p50/p99 (microseconds, median
// over the repeats); with QUERY_THREADS > 1 the queries are split over that many threads (strided)
// and only the wall-clock QPS is printed.
// Usage: hnswlib_cpu base.fvecs query.fvecs gt.ivecs M EFC NQ EF[,EF...] REPEATS [THREADS] [QUERY_THREADS]
#include <hnswlib/hnswlib.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

template <typename T>
static std::vector<T> read_vecs(const char* path, int& dim, size_t& n) {
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(&dim), 4);
  in.seekg(0, std::ios::end);
  n = static_cast<size_t>(in.tellg()) / (4 * (static_cast<size_t>(dim) + 1));
  in.seekg(0);
  std::vector<T> out(n * dim);
  for (size_t i = 0; i < n; i++) {
    int d;
    in.read(reinterpret_cast<char*>(&d), 4);
    in.read(reinterpret_cast<char*>(out.data() + i * dim), 4 * dim);
  }
  return out;
}

static double wall() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

static double cpu() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int main(int argc, char** argv) {
  if (argc < 9) {
    fprintf(stderr, "usage: base.fvecs query.fvecs gt.ivecs M EFC NQ EF[,EF...] REPEATS [THREADS] [QUERY_THREADS]\n");
    return 2;
  }
  int dim, qdim, gdim;
  size_t n, nq, ng;
  auto base = read_vecs<float>(argv[1], dim, n);
  auto queries = read_vecs<float>(argv[2], qdim, nq);
  auto truth = read_vecs<int>(argv[3], gdim, ng);
  int m = atoi(argv[4]), efc = atoi(argv[5]);
  nq = std::min(nq, static_cast<size_t>(atoi(argv[6])));
  std::vector<int> efs;
  {
    std::stringstream list(argv[7]);
    std::string item;
    while (std::getline(list, item, ',')) efs.push_back(atoi(item.c_str()));
  }
  int repeats = atoi(argv[8]);
  int threads = argc > 9 ? atoi(argv[9]) : 1;
  int queryThreads = argc > 10 ? atoi(argv[10]) : 1;

  hnswlib::L2Space space(dim);
  // A development aid, as the RoseForest bench's --index-cache: HNSWLIB_CACHE names a saved index.
  const char* cache = getenv("HNSWLIB_CACHE");
  bool fromCache = cache && std::ifstream(cache).good();
  double w0 = wall(), c0 = cpu();
  auto* built = fromCache ? new hnswlib::HierarchicalNSW<float>(&space, cache) : new hnswlib::HierarchicalNSW<float>(&space, n, m, efc, 100);
  auto& index = *built;
  if (fromCache) {
    printf("loaded the index from %s (build time not measured)\n", cache);
  } else if (threads <= 1) {
    for (size_t i = 0; i < n; i++) index.addPoint(base.data() + i * dim, i);
  } else {
    // hnswlib's own way of building on several threads: the first point alone, then a shared counter.
    index.addPoint(base.data(), 0);
    std::atomic<size_t> next(1);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; t++)
      pool.emplace_back([&] {
        for (size_t i; (i = next++) < n;) index.addPoint(base.data() + i * dim, i);
      });
    for (auto& t : pool) t.join();
  }
  if (cache && !fromCache) index.saveIndex(cache);
  double buildWall = wall() - w0, buildCpu = cpu() - c0;
  printf("hnswlib n=%zu dim=%d M=%d efC=%d build_threads=%d build_s=%.2f build_cpu_s=%.2f index_bytes=%zu\n", n, dim, m, efc,
         threads, buildWall, threads <= 1 ? buildCpu : -1.0,
         static_cast<size_t>(index.max_elements_) * index.size_data_per_element_ + index.max_elements_ * sizeof(void*));

  for (int ef : efs) {
    index.setEf(ef);
    std::vector<double> wallQps, cpuQps, p50s, p99s;
    size_t hits = 0;
    for (int r = 0; r < repeats; r++) {
      std::vector<std::vector<hnswlib::labeltype>> found(nq);
      std::vector<double> latency(nq);
      auto one = [&](size_t q) {
        auto result = index.searchKnn(queries.data() + q * dim, 10);
        while (!result.empty()) {
          found[q].push_back(result.top().second);
          result.pop();
        }
      };
      double ws = wall(), cs = cpu();
      if (queryThreads <= 1) {
        for (size_t q = 0; q < nq; q++) {
          double t0 = wall();
          one(q);
          latency[q] = (wall() - t0) * 1e6;
        }
      } else {
        std::vector<std::thread> pool;
        for (int t = 0; t < queryThreads; t++)
          pool.emplace_back([&, t] {
            for (size_t q = t; q < nq; q += queryThreads) one(q);
          });
        for (auto& t : pool) t.join();
      }
      wallQps.push_back(nq / (wall() - ws));
      cpuQps.push_back(queryThreads <= 1 ? nq / (cpu() - cs) : -1.0);
      if (queryThreads <= 1) {
        std::sort(latency.begin(), latency.end());
        p50s.push_back(latency[(nq - 1) / 2]);
        p99s.push_back(latency[static_cast<size_t>(std::ceil(0.99 * nq)) - 1]);
      }
      hits = 0;
      for (size_t q = 0; q < nq; q++)
        for (auto id : found[q])
          for (int j = 0; j < 10; j++)
            if (truth[q * gdim + j] == static_cast<int>(id)) hits++;
    }
    if (queryThreads <= 1)
      printf("ef=%d recall@10=%.4f qps=%.0f cpu_qps=%.0f p50_us=%.1f p99_us=%.1f\n", ef, hits / (10.0 * nq), median(wallQps), median(cpuQps),
             median(p50s), median(p99s));
    else
      printf("ef=%d recall@10=%.4f qps=%.0f query_threads=%d\n", ef, hits / (10.0 * nq), median(wallQps), queryThreads);
    fflush(stdout);
  }
}
