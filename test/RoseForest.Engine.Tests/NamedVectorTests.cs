using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Engine;
using Record = RoseForest.Contracts.Record;

namespace RoseForest.Engine.Tests;

/// <summary>
/// Named dense, sparse and multi vectors in the engine, checked against a brute-force reference
/// written here (the same formulas, in double, over every stored point), and carried through
/// checkpoints, the log and reopening.
/// </summary>
public class NamedVectorTests
{
    private static readonly Geometry[] DenseGeometries = [Geometry.Euclid, Geometry.Cosine, Geometry.Dot, Geometry.Manhattan, Geometry.Poincare, Geometry.Lorentz];

    private const int Dim = 6;

    private static string NameOf(Geometry g) => g.ToString().ToLowerInvariant();

    private static CollectionOptions Options(long fullScanThreshold = 10_000) => new()
    {
        NamedVectors = new Dictionary<string, VectorParams>(
            DenseGeometries.Select(g => KeyValuePair.Create(NameOf(g), new VectorParams { Size = g == Geometry.Lorentz ? Dim + 1 : Dim, Distance = g, Hnsw = new HnswOptions { M = 8, EfConstruct = 64, FullScanThreshold = fullScanThreshold } }))
            .Concat([
                KeyValuePair.Create("colbert", new VectorParams { Size = 4, Distance = Geometry.Cosine, Multivector = MultivectorComparator.MaxSim }),
                KeyValuePair.Create("colbert-dot", new VectorParams { Size = 4, Distance = Geometry.Dot, Multivector = MultivectorComparator.MaxSim }),
                KeyValuePair.Create("colbert-l2", new VectorParams { Size = 4, Distance = Geometry.Euclid, Multivector = MultivectorComparator.MaxSim }),
            ])),
        SparseVectors = new Dictionary<string, SparseVectorParams>
        {
            ["words"] = new SparseVectorParams(),
            ["bm25"] = new SparseVectorParams { Modifier = SparseModifier.Idf },
        },
    };

    /// <summary>Random points; each omits some vectors (every fifth has no cosine vector, every seventh no sparse one).</summary>
    private static List<PointStruct> RandomPoints(int count, int seed, ulong firstId = 1)
    {
        var rng = new Random(seed);
        var points = new List<PointStruct>();
        for (var i = 0; i < count; i++)
        {
            var id = firstId + (ulong)i;
            var vectors = new Dictionary<string, VectorData>();
            foreach (var g in DenseGeometries)
            {
                if (g == Geometry.Cosine && id % 5 == 0)
                {
                    continue;
                }

                vectors[NameOf(g)] = new DenseVector(DenseFor(g, rng));
            }

            if (id % 7 != 0)
            {
                var sparse = RandomSparse(rng, 40, 1 + rng.Next(6));
                vectors["words"] = sparse;
                vectors["bm25"] = sparse;
            }

            vectors["colbert"] = RandomMulti(rng, 1 + rng.Next(3));
            vectors["colbert-dot"] = RandomMulti(rng, 1 + rng.Next(3));
            vectors["colbert-l2"] = RandomMulti(rng, 1 + rng.Next(3));
            points.Add(new PointStruct(id, null, JsonElement.Parse($$"""{"n":{{id}},"group":"g{{id % 3}}"}""")) { Vectors = vectors });
        }

        return points;
    }

    private static float[] DenseFor(Geometry g, Random rng)
    {
        var v = Enumerable.Range(0, Dim).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        return EmbeddingLikeData.For(g, [v], 0.5)[0];
    }

    private static SparseVector RandomSparse(Random rng, int vocabulary, int count)
    {
        var indices = Enumerable.Range(0, vocabulary).OrderBy(_ => rng.Next()).Take(count).Select(i => (uint)i).ToArray();
        return new SparseVector(indices, [.. indices.Select(_ => (float)(rng.NextDouble() + 0.1))]);
    }

    private static MultiVector RandomMulti(Random rng, int rows) =>
        new([.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, 4).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray())]);

    // ---- the reference: scores written out from the definitions, over the points as written ----

    private static double[] Normalize(float[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return [.. v.Select(x => x / norm)];
    }

    private static double ReferenceDense(Geometry g, float[] q, float[] p)
    {
        switch (g)
        {
            case Geometry.Euclid:
                return Math.Sqrt(q.Zip(p, (a, b) => ((double)a - b) * ((double)a - b)).Sum());
            case Geometry.Manhattan:
                return q.Zip(p, (a, b) => Math.Abs((double)a - b)).Sum();
            case Geometry.Dot:
                return q.Zip(p, (a, b) => (double)a * b).Sum();
            case Geometry.Cosine:
                return Normalize(q).Zip(Normalize(p), (a, b) => a * b).Sum();
            case Geometry.Poincare:
                var diff = q.Zip(p, (a, b) => ((double)a - b) * ((double)a - b)).Sum();
                var nq = q.Sum(x => (double)x * x);
                var np = p.Sum(x => (double)x * x);
                return Math.Acosh(1 + (2 * diff / ((1 - nq) * (1 - np))));
            case Geometry.Lorentz:
                var minkowski = (-(double)q[0] * p[0]) + q.Skip(1).Zip(p.Skip(1), (a, b) => (double)a * b).Sum();
                return Math.Acosh(Math.Max(1, -minkowski));
            default:
                throw new ArgumentOutOfRangeException(nameof(g));
        }
    }

    private static bool HigherIsBetter(Geometry g) => g is Geometry.Cosine or Geometry.Dot;

    private static double ReferenceSparse(SparseVector q, SparseVector p, Func<uint, double> weight)
    {
        double sum = 0;
        for (var i = 0; i < q.Indices.Length; i++)
        {
            var at = Array.IndexOf(p.Indices, q.Indices[i]);
            if (at >= 0)
            {
                sum += q.Values[i] * weight(q.Indices[i]) * p.Values[at];
            }
        }

        return sum;
    }

    private static double ReferenceMaxSim(Geometry g, MultiVector q, MultiVector p) => q.Vectors.Sum(qv => p.Vectors.Max(pv => g switch
    {
        Geometry.Cosine => Normalize(qv).Zip(Normalize(pv), (a, b) => a * b).Sum(),
        Geometry.Dot => qv.Zip(pv, (a, b) => (double)a * b).Sum(),
        Geometry.Euclid => -qv.Zip(pv, (a, b) => ((double)a - b) * ((double)a - b)).Sum(),
        _ => throw new ArgumentOutOfRangeException(nameof(g)),
    }));

    /// <summary>The engine's ranking equals the reference's: the same scores position by position, and each id's score is its reference score.</summary>
    private static void AssertSameRanking(IReadOnlyList<ScoredPoint> actual, IReadOnlyList<(PointId Id, double Score)> reference, int limit, string what)
    {
        var expected = reference.Take(limit).ToList();
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} results, reference has {expected.Count}");
        var byId = reference.ToDictionary(r => r.Id, r => r.Score);
        for (var i = 0; i < actual.Count; i++)
        {
            var tolerance = 1e-4 * Math.Max(1, Math.Abs(expected[i].Score));
            Assert.True(Math.Abs(actual[i].Score - expected[i].Score) <= tolerance, $"{what}: rank {i} scores {actual[i].Score}, reference {expected[i].Score}");
            Assert.True(byId.TryGetValue(actual[i].Id, out var own), $"{what}: {actual[i].Id} is not a candidate of the reference");
            Assert.True(Math.Abs(actual[i].Score - own) <= tolerance, $"{what}: {actual[i].Id} scores {actual[i].Score}, reference {own}");
        }
    }

    private static List<(PointId Id, double Score)> Rank(IEnumerable<(PointId Id, double Score)> scored, bool higherIsBetter) =>
        higherIsBetter ? [.. scored.OrderByDescending(s => s.Score).ThenBy(s => s.Id)] : [.. scored.OrderBy(s => s.Score).ThenBy(s => s.Id)];

    [Fact]
    public async Task Every_named_vector_kind_ranks_as_the_brute_force_reference_with_and_without_a_filter()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", Options());
        var points = RandomPoints(300, seed: 11);
        await col.UpsertAsync(points);
        var rng = new Random(12);
        var group = new Filter(must: [Condition.Match("group", "g1")]);

        foreach (var filter in new Filter?[] { null, group })
        {
            bool Passes(PointStruct p) => filter is null || p.Payload!.Value.GetProperty("group").GetString() == "g1";

            foreach (var g in DenseGeometries)
            {
                var name = NameOf(g);
                var q = DenseFor(g, rng);
                var reference = Rank(points.Where(p => Passes(p) && p.Vectors!.ContainsKey(name)).Select(p => (p.Id, ReferenceDense(g, q, ((DenseVector)p.Vectors![name]).Values))), HigherIsBetter(g));
                var actual = await col.QueryAsync(new QueryRequest { Vector = q, Using = name, Limit = 15, Exact = true, Filter = filter });
                AssertSameRanking(actual, reference, 15, $"{name} filter={filter is not null}");
            }

            var sq = RandomSparse(rng, 40, 8);
            var withSparse = points.Where(p => Passes(p) && p.Vectors!.ContainsKey("words")).ToList();
            var plain = Rank(withSparse.Select(p => (p.Id, ReferenceSparse(sq, (SparseVector)p.Vectors!["words"], _ => 1))).Where(s => SharesIndex(sq, points, s.Id)), higherIsBetter: true);
            AssertSameRanking(await col.QueryAsync(new QueryRequest { Sparse = sq, Using = "words", Limit = 20, Filter = filter }), plain, 20, "sparse");

            // idf over every live point that has the sparse vector, not only those passing the filter (as Qdrant).
            var all = points.Where(p => p.Vectors!.ContainsKey("bm25")).Select(p => (SparseVector)p.Vectors!["bm25"]).ToList();
            double Idf(uint index)
            {
                var n = all.Count(v => v.Indices.Contains(index));
                return Math.Log(1 + ((all.Count - n + 0.5) / (n + 0.5)));
            }

            var idf = Rank(withSparse.Select(p => (p.Id, ReferenceSparse(sq, (SparseVector)p.Vectors!["bm25"], Idf))).Where(s => SharesIndex(sq, points, s.Id)), higherIsBetter: true);
            AssertSameRanking(await col.QueryAsync(new QueryRequest { Sparse = sq, Using = "bm25", Limit = 20, Filter = filter }), idf, 20, "sparse idf");

            foreach (var (name, g) in new[] { ("colbert", Geometry.Cosine), ("colbert-dot", Geometry.Dot), ("colbert-l2", Geometry.Euclid) })
            {
                var mq = RandomMulti(rng, 3);
                var reference = Rank(points.Where(Passes).Select(p => (p.Id, ReferenceMaxSim(g, mq, (MultiVector)p.Vectors![name]))), higherIsBetter: true);
                AssertSameRanking(await col.QueryAsync(new QueryRequest { Multi = mq.Vectors, Using = name, Limit = 15, Filter = filter }), reference, 15, name);
            }
        }

        static bool SharesIndex(SparseVector q, List<PointStruct> points, PointId id) =>
            ((SparseVector)points.First(p => p.Id == id).Vectors!["words"]).Indices.Intersect(q.Indices).Any();
    }

    [Fact]
    public async Task The_graph_search_of_every_named_dense_vector_finds_what_the_exact_scan_finds()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", Options(fullScanThreshold: 1));
        var points = RandomPoints(600, seed: 21);
        await col.UpsertAsync(points);
        var rng = new Random(22);
        foreach (var g in DenseGeometries)
        {
            int found = 0, total = 0;
            for (var i = 0; i < 20; i++)
            {
                var q = DenseFor(g, rng);
                var exact = await col.QueryAsync(new QueryRequest { Vector = q, Using = NameOf(g), Limit = 10, Exact = true });
                var graph = await col.QueryAsync(new QueryRequest { Vector = q, Using = NameOf(g), Limit = 10, HnswEf = 64 });
                found += graph.Select(p => p.Id).Intersect(exact.Select(p => p.Id)).Count();
                total += exact.Count;
            }

            Assert.True(found >= 0.9 * total, $"{g}: the graph found {found} of {total} exact neighbours");
        }
    }

    [Fact]
    public async Task Named_sparse_and_multi_vectors_survive_reopening_from_the_log_and_from_a_checkpoint()
    {
        using var tmp = new TempDir();
        var points = RandomPoints(120, seed: 31);
        IReadOnlyList<Record> before;
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", Options());
            await col.UpsertAsync(points[..60]);
            await col.CheckpointAsync();
            await col.UpsertAsync(points[60..]);
            await col.UpdateVectorsAsync([new PointStruct(3, null) { Vectors = new Dictionary<string, VectorData> { ["euclid"] = new DenseVector([1, 2, 3, 4, 5, 6]) } }]);
            await col.DeleteVectorsAsync(PointSelector.ById(4, 70), ["words", "colbert"]);
            before = await col.GetAsync([.. points.Select(p => p.Id)], PayloadSelector.All, VectorSelector.All);
        }

        // Reopen with the log tail (the writes after the checkpoint), then after a clean close (a checkpoint of everything).
        for (var round = 0; round < 2; round++)
        {
            await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
            var col = db.GetCollection("c");
            var after = await col.GetAsync([.. points.Select(p => p.Id)], PayloadSelector.All, VectorSelector.All);
            AssertSameRecords(before, after);
            Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, ((DenseVector)after.First(r => r.Id == 3).Vectors!["euclid"]).Values);
            Assert.False(after.First(r => r.Id == 70).Vectors!.ContainsKey("words"));
            Assert.False(after.First(r => r.Id == 4).Vectors!.ContainsKey("colbert"));
            Assert.True(after.First(r => r.Id == 4).Vectors!.ContainsKey("colbert-dot"));
        }
    }

    private static void AssertSameRecords(IReadOnlyList<Record> expected, IReadOnlyList<Record> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Id, actual[i].Id);
            Assert.Equal(expected[i].Version, actual[i].Version);
            Assert.Equal(expected[i].Payload?.GetRawText(), actual[i].Payload?.GetRawText());
            Assert.Equal(Describe(expected[i].Vectors), Describe(actual[i].Vectors));
        }
    }

    private static string Describe(IReadOnlyDictionary<string, VectorData>? vectors) => vectors is null ? "-" : string.Join(" | ", vectors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value switch
    {
        DenseVector d => string.Join(",", d.Values),
        SparseVector s => string.Join(",", s.Indices.Zip(s.Values, (i, v) => $"{i}:{v}")),
        MultiVector m => string.Join(";", m.Vectors.Select(r => string.Join(",", r))),
        _ => "?",
    }));

    [Fact]
    public async Task Update_vectors_keeps_the_other_vectors_and_the_payload_and_has_vector_sees_what_each_point_holds()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", Options());
        var points = RandomPoints(40, seed: 41);
        await col.UpsertAsync(points);

        var hasCosine = new Filter(must: [Condition.HasVector("cosine")]);
        var hasWords = new Filter(must: [Condition.HasVector("words")]);
        Assert.Equal(points.Count(p => p.Vectors!.ContainsKey("cosine")), await col.CountAsync(hasCosine));
        Assert.Equal(points.Count(p => p.Vectors!.ContainsKey("words")), await col.CountAsync(hasWords));

        // Point 5 has no cosine vector; give it one. Point 6 loses its sparse vectors.
        var fiveBefore = (await col.GetAsync([5], PayloadSelector.All, VectorSelector.All))[0];
        await col.UpdateVectorsAsync([new PointStruct(5, null) { Vectors = new Dictionary<string, VectorData> { ["cosine"] = new DenseVector([3, 0, 0, 0, 0, 4]) } }]);
        await col.DeleteVectorsAsync(PointSelector.ById(6), ["words", "bm25"]);
        Assert.Equal(points.Count(p => p.Vectors!.ContainsKey("cosine")) + 1, await col.CountAsync(hasCosine));
        Assert.Equal(points.Count(p => p.Vectors!.ContainsKey("words")) - 1, await col.CountAsync(hasWords));

        var five = (await col.GetAsync([5], PayloadSelector.All, VectorSelector.All))[0];
        Assert.Equal(new[] { 0.6f, 0, 0, 0, 0, 0.8f }, ((DenseVector)five.Vectors!["cosine"]).Values, new FloatTolerance(1e-6f));
        Assert.Equal(Describe(fiveBefore.Vectors), Describe(five.Vectors.Where(kv => kv.Key != "cosine").ToDictionary()));
        Assert.Equal(points[4].Payload!.Value.GetRawText(), five.Payload!.Value.GetRawText());

        // A sparse query no longer finds point 6; the scroll with has_vector leaves it out.
        var six = (SparseVector)points[5].Vectors!["words"];
        Assert.DoesNotContain(await col.QueryAsync(new QueryRequest { Sparse = six, Using = "words", Limit = 100 }), p => p.Id == 6);
        Assert.Equal(1, await col.CountAsync(new Filter(must: [Condition.HasId(6)], mustNot: [Condition.HasVector("words")])));
    }

    [Fact]
    public async Task Bad_vectors_are_refused_with_the_field_named_and_nothing_is_written()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", Options());
        await col.UpsertAsync(RandomPoints(3, seed: 51));
        var before = await col.GetAsync([1, 2, 3], PayloadSelector.All, VectorSelector.All);

        PointStruct With(string name, VectorData v) => new(2, null) { Vectors = new Dictionary<string, VectorData> { [name] = v } };
        var bad = new (string What, PointStruct Point)[]
        {
            ("unknown name", With("nope", new DenseVector([1, 2, 3, 4, 5, 6]))),
            ("dense into sparse", With("words", new DenseVector([1, 2, 3, 4, 5, 6]))),
            ("sparse into dense", With("euclid", new SparseVector([1], [1]))),
            ("sparse lengths differ", With("words", new SparseVector([1, 2], [1]))),
            ("duplicate sparse index", With("words", new SparseVector([3, 3], [1, 2]))),
            ("sparse NaN", With("words", new SparseVector([3], [float.NaN]))),
            ("multi wrong dimension", With("colbert", new MultiVector([[1, 2, 3, 4], [1, 2, 3]]))),
            ("multi empty", With("colbert", new MultiVector([]))),
            ("dense wrong dimension", With("euclid", new DenseVector([1, 2, 3]))),
            ("unnamed vector in a named-only collection", new PointStruct(2, [1, 2, 3, 4, 5, 6])),
        };

        foreach (var (what, point) in bad)
        {
            var e = await Assert.ThrowsAnyAsync<ValidationException>(() => col.UpsertAsync([new PointStruct(9, null) { Vectors = RandomPoints(1, 52)[0].Vectors }, point]));
            Assert.False(string.IsNullOrEmpty(e.Field), what);
            await Assert.ThrowsAnyAsync<ValidationException>(() => col.UpdateVectorsAsync([point]));
        }

        await Assert.ThrowsAnyAsync<ValidationException>(() => col.DeleteVectorsAsync(PointSelector.ById(1), ["nope"]));
        await Assert.ThrowsAnyAsync<ValidationException>(() => col.QueryAsync(new QueryRequest { Vector = [1, 2, 3, 4, 5, 6], Using = "nope" }).AsTask());
        await Assert.ThrowsAnyAsync<ValidationException>(() => col.QueryAsync(new QueryRequest { Sparse = new SparseVector([1, 1], [1, 1]), Using = "words" }).AsTask());
        await Assert.ThrowsAnyAsync<ValidationException>(() => col.QueryAsync(new QueryRequest { Multi = [[1, 2, 3]], Using = "colbert" }).AsTask());

        Assert.Equal(3, await col.CountAsync());
        AssertSameRecords(before, await col.GetAsync([1, 2, 3], PayloadSelector.All, VectorSelector.All));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
