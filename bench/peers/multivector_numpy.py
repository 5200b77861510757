#!/usr/bin/python3
"""Peer for exact multivector (max_sim) search: numpy (Debian python3-numpy) over a flat array.

Usage: multivector_numpy.py DUMP_DIR
Reads the set `roseforest-bench multivector --dump DUMP_DIR` wrote, and for each query computes
all token similarities with one matrix product (tokens x query tokens), the maximum per query
token within each document, their sum, and the top 10; prints QPS, p50 latency and the top-10
agreement with RoseForest's answers. Run with OPENBLAS_NUM_THREADS=1 for one thread.
"""
import json, os, sys, time
import numpy as np


def main():
    d = sys.argv[1]
    m = json.load(open(os.path.join(d, 'multi.json')))
    docs = np.fromfile(os.path.join(d, 'multi_docs.f32'), dtype=np.float32).reshape(m['docs'] * m['tokens'], m['dim'])
    queries = np.fromfile(os.path.join(d, 'multi_queries.f32'), dtype=np.float32).reshape(m['queries'], m['query_tokens'], m['dim'])
    top_rf = np.fromfile(os.path.join(d, 'multi_top.u64'), dtype=np.uint64)
    docs @ queries[0].T
    lat, agree = [], 0
    start = time.perf_counter()
    for i, q in enumerate(queries):
        t = time.perf_counter()
        sims = (docs @ q.T).reshape(m['docs'], m['tokens'], m['query_tokens'])
        scores = sims.max(axis=1).sum(axis=1)
        top = np.argpartition(-scores, 10)[:10]
        lat.append((time.perf_counter() - t) * 1000)
        agree += len(set(top.tolist()) & set(top_rf[i * 10:(i + 1) * 10].tolist()))
    elapsed = time.perf_counter() - start
    lat.sort()
    print(f'numpy max_sim: {len(queries) / elapsed:.2f} QPS (p50 {lat[len(lat) // 2]:.1f} ms); top-10 agreement with RoseForest {agree / (10 * len(queries)):.3f}')


if __name__ == '__main__':
    main()
