#!/usr/bin/python3
"""Peer for exact search: faiss IndexFlatL2 (Debian python3-faiss) on Fashion-MNIST.

Usage: faiss_flat.py [QUERIES] [THREADS]
Reads Debian's dataset-fashion-mnist IDX files, indexes the 60,000 training images and times
k=10 searches one query per call (as RoseForest's exact search is timed), printing QPS and
p50/p99 latency in milliseconds.
"""
import gzip, sys, time
import numpy as np
import faiss

SRC = '/usr/share/datasets/fashion-mnist/'


def images(name):
    with gzip.open(SRC + name) as f:
        raw = f.read()
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32)


def main():
    nq = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    faiss.omp_set_num_threads(threads)
    base, queries = images('train-images-idx3-ubyte.gz'), images('t10k-images-idx3-ubyte.gz')
    index = faiss.IndexFlatL2(784)
    index.add(base)
    for i in range(5):
        index.search(queries[i:i + 1], 10)
    lat = []
    t0 = time.perf_counter()
    for i in range(nq):
        s = time.perf_counter()
        index.search(queries[i % len(queries):i % len(queries) + 1], 10)
        lat.append((time.perf_counter() - s) * 1000)
    total = time.perf_counter() - t0
    lat.sort()
    p = lambda q: lat[min(len(lat) - 1, max(0, int(np.ceil(q / 100 * len(lat))) - 1))]
    print(f'faiss {faiss.__version__} IndexFlatL2 threads={threads} k=10 queries={nq}: {nq / total:.1f} QPS p50 {p(50):.2f} ms p99 {p(99):.2f} ms')


if __name__ == '__main__':
    main()
