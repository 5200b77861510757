using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using RoseForest.Engine;

namespace RoseForest.Bench;

/// <summary>
/// Sparse and multivector search through a real collection (memory durability: search is what is
/// timed), against a brute-force baseline in the same process and, with <c>--dump</c>, data
/// files a Python peer (bench/peers/sparse_scipy.py, multivector_numpy.py) reads to time the same
/// queries. Single-threaded, one query per call.
/// <list type="bullet">
/// <item><c>sparse</c>: a SPLADE-like set: documents of ~<c>nnz</c> distinct terms drawn from a Zipf
/// law over a vocabulary, positive weights; queries of ~<c>query-nnz</c> terms. Scored by the
/// collection's inverted index (exact), plain dot product and with the idf modifier; the baseline
/// scores every document (a forward scan over CSR rows with the query scattered into a dense
/// array).</item>
/// <item><c>multivector</c>: a ColBERT-like set: each document holds <c>tokens</c> unit vectors near
/// its topic's centroid; queries likewise; max_sim (cosine), exact scan; the baseline is the same
/// formula over a flat array with a SIMD dot product.</item>
/// </list>
/// </summary>
internal static class DataModelBench
{
    public sealed record SparseOptions(int Docs, int Nnz, int Vocabulary, double Zipf, int Queries, int QueryNnz, int BaselineQueries, string? Dump, string? Json);

    public sealed record MultiOptions(int Docs, int Tokens, int Dimension, int QueryTokens, int Queries, int Topics, string? Dump, string? Json);

    public static async Task<int> SparseAsync(SparseOptions o, CancellationToken ct)
    {
        var rng = new Random(12);
        var cdf = ZipfCdf(o.Vocabulary, o.Zipf);
        var permutation = Enumerable.Range(0, o.Vocabulary).OrderBy(_ => rng.Next()).Select(i => (uint)i).ToArray();
        SparseVector Draw(int nnz)
        {
            var terms = new HashSet<uint>();
            while (terms.Count < nnz)
            {
                terms.Add(permutation[Sample(cdf, rng.NextDouble())]);
            }

            var indices = terms.Order().ToArray();
            return new SparseVector(indices, [.. indices.Select(_ => (float)(0.05 + (rng.NextDouble() * rng.NextDouble() * 3)))]);
        }

        var clock = Stopwatch.StartNew();
        var docs = new SparseVector[o.Docs];
        for (var i = 0; i < docs.Length; i++)
        {
            docs[i] = Draw(Math.Max(1, o.Nnz / 2 + rng.Next(o.Nnz + 1)));
        }

        var queries = Enumerable.Range(0, o.Queries).Select(_ => Draw(Math.Max(1, o.QueryNnz / 2 + rng.Next(o.QueryNnz + 1)))).ToArray();
        var generated = clock.Elapsed.TotalSeconds;
        var report = new Dictionary<string, object?>
        {
            ["docs"] = o.Docs, ["mean_nnz"] = docs.Average(d => d.Indices.Length), ["vocabulary"] = o.Vocabulary, ["zipf"] = o.Zipf,
            ["queries"] = o.Queries, ["mean_query_nnz"] = queries.Average(q => q.Indices.Length), ["machine"] = MachineInfo.Describe(),
            ["load_average_before"] = LoadAverage(),
        };

        var root = Path.Combine(Path.GetTempPath(), "roseforest-sparse-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var db = await RoseForestDatabase.OpenAsync(root, cancellationToken: ct);
            var col = await db.CreateCollectionAsync("sparse", new CollectionOptions
            {
                Durability = Durability.Memory,
                SparseVectors = new Dictionary<string, SparseVectorParams> { ["plain"] = new(), ["idf"] = new() { Modifier = SparseModifier.Idf } },
            }, ct);
            clock.Restart();
            for (var i = 0; i < docs.Length; i += 1000)
            {
                await col.UpsertAsync([.. Enumerable.Range(i, Math.Min(1000, docs.Length - i)).Select(j => new PointStruct((ulong)j, null)
                {
                    Vectors = new Dictionary<string, RoseForest.Contracts.VectorData> { ["plain"] = docs[j], ["idf"] = docs[j] },
                })], cancellationToken: ct);
            }

            report["upsert_seconds"] = clock.Elapsed.TotalSeconds;
            var baseline = new SparseBaseline(docs, o.Vocabulary);
            foreach (var modifier in new[] { "plain", "idf" })
            {
                var idf = modifier == "idf" ? baseline.Idf() : null;
                var engineTop = new List<ulong[]>();
                for (var warm = 0; warm < 3; warm++)
                {
                    await col.QueryAsync(new QueryRequest { Sparse = queries[warm % queries.Length], Using = modifier, Limit = 10 }, ct);
                }

                var lat = new Latencies();
                clock.Restart();
                foreach (var q in queries)
                {
                    var t = Stopwatch.GetTimestamp();
                    var hits = await col.QueryAsync(new QueryRequest { Sparse = q, Using = modifier, Limit = 10 }, ct);
                    lat.Add(t);
                    engineTop.Add([.. hits.Select(h => h.Id.Number)]);
                }

                var engineQps = queries.Length / clock.Elapsed.TotalSeconds;
                var agree = 0;
                var baseLat = new Latencies();
                clock.Restart();
                var nb = Math.Min(o.BaselineQueries, queries.Length);
                for (var i = 0; i < nb; i++)
                {
                    var t = Stopwatch.GetTimestamp();
                    var top = baseline.Top10(queries[i], idf);
                    baseLat.Add(t);
                    agree += top.Intersect(engineTop[i]).Count();
                }

                var baselineQps = nb / clock.Elapsed.TotalSeconds;
                report[modifier] = new Dictionary<string, object?>
                {
                    ["roseforest_qps"] = engineQps, ["roseforest_p50_ms"] = lat.Percentile(50), ["roseforest_p99_ms"] = lat.Percentile(99),
                    ["brute_force_qps"] = baselineQps, ["brute_force_p50_ms"] = baseLat.Percentile(50), ["agreement_at_10"] = agree / (10.0 * nb),
                };
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sparse {modifier}: RoseForest {engineQps:F1} QPS (p50 {lat.Percentile(50):F2} ms, p99 {lat.Percentile(99):F2} ms); brute force {baselineQps:F1} QPS (p50 {baseLat.Percentile(50):F2} ms); top-10 agreement {agree / (10.0 * nb):F3}"));
                if (o.Dump is { } dir && modifier == "idf")
                {
                    DumpSparse(dir, docs, queries, engineTop, o.Vocabulary);
                }
            }

            report["bytes_in_memory"] = col.GetInfo().BytesInMemory;
        }
        finally
        {
            TryDelete(root);
        }

        report["load_average_after"] = LoadAverage();
        report["generate_seconds"] = generated;
        Write(o.Json, report);
        return 0;
    }

    public static async Task<int> MultivectorAsync(MultiOptions o, CancellationToken ct)
    {
        var rng = new Random(34);
        var centroids = Enumerable.Range(0, o.Topics).Select(_ => Unit([.. Enumerable.Range(0, o.Dimension).Select(_ => (float)Gaussian(rng))])).ToArray();
        float[][] Tokens(int count)
        {
            var topic = centroids[rng.Next(centroids.Length)];
            return [.. Enumerable.Range(0, count).Select(_ => Unit([.. topic.Select(c => c + (float)(0.8 * Gaussian(rng)))]))];
        }

        var docs = Enumerable.Range(0, o.Docs).Select(_ => Tokens(o.Tokens)).ToArray();
        var queries = Enumerable.Range(0, o.Queries).Select(_ => Tokens(o.QueryTokens)).ToArray();
        var report = new Dictionary<string, object?>
        {
            ["docs"] = o.Docs, ["tokens_per_doc"] = o.Tokens, ["dimension"] = o.Dimension, ["query_tokens"] = o.QueryTokens, ["queries"] = o.Queries,
            ["machine"] = MachineInfo.Describe(), ["load_average_before"] = LoadAverage(),
        };
        var root = Path.Combine(Path.GetTempPath(), "roseforest-multi-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var db = await RoseForestDatabase.OpenAsync(root, cancellationToken: ct);
            var col = await db.CreateCollectionAsync("multi", new CollectionOptions
            {
                Durability = Durability.Memory,
                NamedVectors = new Dictionary<string, VectorParams> { ["colbert"] = new() { Size = o.Dimension, Distance = Geometry.Cosine, Multivector = MultivectorComparator.MaxSim } },
            }, ct);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < docs.Length; i += 500)
            {
                await col.UpsertAsync([.. Enumerable.Range(i, Math.Min(500, docs.Length - i)).Select(j => new PointStruct((ulong)j, null)
                {
                    Vectors = new Dictionary<string, RoseForest.Contracts.VectorData> { ["colbert"] = new MultiVector(docs[j]) },
                })], cancellationToken: ct);
            }

            report["upsert_seconds"] = clock.Elapsed.TotalSeconds;
            await col.QueryAsync(new QueryRequest { Multi = queries[0], Using = "colbert", Limit = 10 }, ct);
            var lat = new Latencies();
            var engineTop = new List<ulong[]>();
            clock.Restart();
            foreach (var q in queries)
            {
                var t = Stopwatch.GetTimestamp();
                var hits = await col.QueryAsync(new QueryRequest { Multi = q, Using = "colbert", Limit = 10 }, ct);
                lat.Add(t);
                engineTop.Add([.. hits.Select(h => h.Id.Number)]);
            }

            var engineQps = queries.Length / clock.Elapsed.TotalSeconds;
            var flat = new float[(long)o.Docs * o.Tokens * o.Dimension];
            for (var d = 0; d < docs.Length; d++)
            {
                for (var t = 0; t < o.Tokens; t++)
                {
                    docs[d][t].CopyTo(flat, ((long)d * o.Tokens + t) * o.Dimension);
                }
            }

            var baseLat = new Latencies();
            var agree = 0;
            clock.Restart();
            for (var i = 0; i < queries.Length; i++)
            {
                var t = Stopwatch.GetTimestamp();
                var top = MaxSimTop10(flat, o.Docs, o.Tokens, o.Dimension, queries[i]);
                baseLat.Add(t);
                agree += top.Intersect(engineTop[i]).Count();
            }

            var baselineQps = queries.Length / clock.Elapsed.TotalSeconds;
            report["roseforest_qps"] = engineQps;
            report["roseforest_p50_ms"] = lat.Percentile(50);
            report["brute_force_qps"] = baselineQps;
            report["agreement_at_10"] = agree / (10.0 * queries.Length);
            report["bytes_in_memory"] = col.GetInfo().BytesInMemory;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"multivector max_sim: RoseForest {engineQps:F2} QPS (p50 {lat.Percentile(50):F1} ms); brute force {baselineQps:F2} QPS (p50 {baseLat.Percentile(50):F1} ms); top-10 agreement {agree / (10.0 * queries.Length):F3}"));
            if (o.Dump is { } dir)
            {
                Directory.CreateDirectory(dir);
                File.WriteAllBytes(Path.Combine(dir, "multi_docs.f32"), MemoryMarshal.AsBytes(flat.AsSpan()).ToArray());
                File.WriteAllBytes(Path.Combine(dir, "multi_queries.f32"), MemoryMarshal.AsBytes(queries.SelectMany(q => q.SelectMany(v => v)).ToArray().AsSpan()).ToArray());
                File.WriteAllBytes(Path.Combine(dir, "multi_top.u64"), MemoryMarshal.AsBytes(engineTop.SelectMany(t => t).ToArray().AsSpan()).ToArray());
                File.WriteAllText(Path.Combine(dir, "multi.json"), JsonSerializer.Serialize(new { docs = o.Docs, tokens = o.Tokens, dim = o.Dimension, queries = o.Queries, query_tokens = o.QueryTokens }));
            }
        }
        finally
        {
            TryDelete(root);
        }

        report["load_average_after"] = LoadAverage();
        Write(o.Json, report);
        return 0;
    }

    /// <summary>Every document scored: the query scattered into a dense array, each CSR row summed against it.</summary>
    private sealed class SparseBaseline
    {
        private readonly long[] _indptr;
        private readonly uint[] _indices;
        private readonly float[] _values;
        private readonly float[] _dense;
        private readonly int _docs;

        public SparseBaseline(SparseVector[] docs, int vocabulary)
        {
            _docs = docs.Length;
            _indptr = new long[docs.Length + 1];
            for (var i = 0; i < docs.Length; i++)
            {
                _indptr[i + 1] = _indptr[i] + docs[i].Indices.Length;
            }

            _indices = new uint[_indptr[^1]];
            _values = new float[_indptr[^1]];
            for (var i = 0; i < docs.Length; i++)
            {
                docs[i].Indices.CopyTo(_indices, _indptr[i]);
                docs[i].Values.CopyTo(_values, _indptr[i]);
            }

            _dense = new float[vocabulary];
        }

        /// <summary>Qdrant's idf per term: ln(1 + (N − n + 0.5) / (n + 0.5)).</summary>
        public float[] Idf()
        {
            var df = new int[_dense.Length];
            foreach (var t in _indices)
            {
                df[t]++;
            }

            return [.. df.Select(n => (float)Math.Log(1 + ((_docs - n + 0.5) / (n + 0.5))))];
        }

        public ulong[] Top10(SparseVector q, float[]? idf)
        {
            for (var i = 0; i < q.Indices.Length; i++)
            {
                _dense[q.Indices[i]] = q.Values[i] * (idf?[q.Indices[i]] ?? 1f);
            }

            var top = new PriorityQueue<int, float>();
            for (var d = 0; d < _docs; d++)
            {
                float s = 0;
                for (var p = _indptr[d]; p < _indptr[d + 1]; p++)
                {
                    s += _dense[_indices[p]] * _values[p];
                }

                if (s <= 0)
                {
                    continue;
                }

                if (top.Count < 10)
                {
                    top.Enqueue(d, s);
                }
                else if (top.TryPeek(out _, out var worst) && s > worst)
                {
                    top.DequeueEnqueue(d, s);
                }
            }

            foreach (var t in q.Indices)
            {
                _dense[t] = 0;
            }

            return [.. top.UnorderedItems.Select(x => (ulong)x.Element)];
        }
    }

    private static ulong[] MaxSimTop10(float[] flat, int docs, int tokens, int dim, float[][] query)
    {
        var top = new PriorityQueue<int, float>();
        var span = flat.AsSpan();
        for (var d = 0; d < docs; d++)
        {
            float score = 0;
            foreach (var q in query)
            {
                var best = float.NegativeInfinity;
                for (var t = 0; t < tokens; t++)
                {
                    var dot = System.Numerics.Tensors.TensorPrimitives.Dot(q, span.Slice(((d * tokens) + t) * dim, dim));
                    best = Math.Max(best, dot);
                }

                score += best;
            }

            if (top.Count < 10)
            {
                top.Enqueue(d, score);
            }
            else if (top.TryPeek(out _, out var worst) && score > worst)
            {
                top.DequeueEnqueue(d, score);
            }
        }

        return [.. top.UnorderedItems.Select(x => (ulong)x.Element)];
    }

    private static void DumpSparse(string dir, SparseVector[] docs, SparseVector[] queries, List<ulong[]> engineTop, int vocabulary)
    {
        Directory.CreateDirectory(dir);
        void Csr(string name, SparseVector[] rows)
        {
            File.WriteAllBytes(Path.Combine(dir, name + "_indptr.i64"), MemoryMarshal.AsBytes(rows.Select(r => (long)r.Indices.Length).Prepend(0L).ToArray().AsSpan()).ToArray());
            File.WriteAllBytes(Path.Combine(dir, name + "_indices.u32"), MemoryMarshal.AsBytes(rows.SelectMany(r => r.Indices).ToArray().AsSpan()).ToArray());
            File.WriteAllBytes(Path.Combine(dir, name + "_values.f32"), MemoryMarshal.AsBytes(rows.SelectMany(r => r.Values).ToArray().AsSpan()).ToArray());
        }

        Csr("sparse_docs", docs);
        Csr("sparse_queries", queries);
        File.WriteAllBytes(Path.Combine(dir, "sparse_top_idf.u64"), MemoryMarshal.AsBytes(engineTop.SelectMany(t => t).ToArray().AsSpan()).ToArray());
        File.WriteAllText(Path.Combine(dir, "sparse.json"), JsonSerializer.Serialize(new { docs = docs.Length, queries = queries.Length, vocabulary }));
    }

    private static double[] ZipfCdf(int n, double s)
    {
        var cdf = new double[n];
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += 1 / Math.Pow(i + 1, s);
            cdf[i] = sum;
        }

        for (var i = 0; i < n; i++)
        {
            cdf[i] /= sum;
        }

        return cdf;
    }

    private static int Sample(double[] cdf, double u)
    {
        var i = Array.BinarySearch(cdf, u);
        return Math.Min(cdf.Length - 1, i >= 0 ? i : ~i);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static float[] Unit(float[] v)
    {
        var norm = (float)Math.Sqrt(v.Sum(x => (double)x * x));
        return [.. v.Select(x => x / norm)];
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static void Write(string? path, Dictionary<string, object?> report)
    {
        if (path is not null)
        {
            File.WriteAllText(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        }
    }

    private static void TryDelete(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
