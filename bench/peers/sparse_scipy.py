#!/usr/bin/python3
"""Peer for exact sparse search: scipy.sparse (Debian python3-scipy), CSR matrix times the query.

Usage: sparse_scipy.py DUMP_DIR [QUERIES]
Reads the set `roseforest-bench sparse --dump DUMP_DIR` wrote (documents and queries as CSR
arrays), scores every document against each idf-weighted query (Qdrant's idf:
ln(1 + (N - n + 0.5) / (n + 0.5))) with one CSR matrix-vector product per query (the query
as a dense array, scipy's fastest form), takes the top 10 with
argpartition, and prints QPS, p50 latency and the top-10 agreement with RoseForest's answers.
Single-threaded (scipy's CSR product is).
"""
import json, os, sys, time
import numpy as np
import scipy.sparse as sp


def csr(d, name, cols):
    indptr = np.fromfile(os.path.join(d, name + '_indptr.i64'), dtype=np.int64).cumsum()
    indices = np.fromfile(os.path.join(d, name + '_indices.u32'), dtype=np.uint32).astype(np.int32)
    values = np.fromfile(os.path.join(d, name + '_values.f32'), dtype=np.float32)
    return sp.csr_matrix((values, indices, indptr), shape=(len(indptr) - 1, cols))


def main():
    d = sys.argv[1]
    meta = json.load(open(os.path.join(d, 'sparse.json')))
    docs = csr(d, 'sparse_docs', meta['vocabulary'])
    queries = csr(d, 'sparse_queries', meta['vocabulary'])
    nq = min(int(sys.argv[2]) if len(sys.argv) > 2 else queries.shape[0], queries.shape[0])
    top_rf = np.fromfile(os.path.join(d, 'sparse_top_idf.u64'), dtype=np.uint64)
    n = docs.shape[0]
    df = np.bincount(docs.indices, minlength=docs.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    qs = [queries[i].multiply(idf).toarray().ravel() for i in range(nq)]
    for q in qs[:3]:
        docs @ q
    lat, agree, rf_at = [], 0, 0
    start = time.perf_counter()
    for i, q in enumerate(qs):
        t = time.perf_counter()
        scores = docs @ q
        top = np.argpartition(-scores, 10)[:10]
        lat.append((time.perf_counter() - t) * 1000)
        rf = top_rf[i * 10:(i + 1) * 10]
        agree += len(set(top.tolist()) & set(rf.tolist()))
    elapsed = time.perf_counter() - start
    lat.sort()
    print(f'scipy.sparse idf: {nq / elapsed:.1f} QPS (p50 {lat[len(lat) // 2]:.2f} ms); top-10 agreement with RoseForest {agree / (10 * nq):.3f}')


if __name__ == '__main__':
    main()
