using System.Text.Json;
using Xunit;

namespace RoseForest.Testing;

/// <summary>Scenarios over sparse vectors (with and without idf), multivectors (max_sim), a named dense vector, and lookup_from.</summary>
internal static partial class QueryScenarios
{
    private sealed record HybridPoint(PointId Id, float[] D, float[][]? M, SparseVector? S, SparseVector? T);

    private static SparseVector RandomSparse(Random rng, int dims)
    {
        var indices = Enumerable.Range(0, dims).OrderBy(_ => rng.Next()).Take(rng.Next(2, 7)).Order().Select(i => (uint)i).ToArray();
        return new SparseVector(indices, [.. indices.Select(_ => (float)Math.Round(rng.NextDouble() * 2, 3))]);
    }

    private static float[] UnitRow(float[] v)
    {
        var inv = 1.0 / Math.Sqrt(v.Sum(x => (double)x * x));
        return [.. v.Select(x => (float)(x * inv))];
    }

    private static double SparseDot(SparseVector a, SparseVector b, out bool overlap)
    {
        var map = b.Indices.Zip(b.Values).ToDictionary(x => x.First, x => (double)x.Second);
        overlap = a.Indices.Any(map.ContainsKey);
        return a.Indices.Zip(a.Values).Sum(x => map.TryGetValue(x.First, out var v) ? x.Second * v : 0);
    }

    private static double MaxSim(float[][] query, float[][] stored) =>
        query.Sum(q => stored.Max(s => q.Zip(s, (x, y) => (double)x * y).Sum()));

    public static async Task HybridAsync(IVectorDatabase db)
    {
        await db.CreateCollectionAsync("hybrid", new CollectionOptions
        {
            NamedVectors = new Dictionary<string, VectorParams>
            {
                ["d"] = new() { Size = 4, Distance = Geometry.Dot },
                ["m"] = new() { Size = 3, Distance = Geometry.Cosine, Multivector = MultivectorComparator.MaxSim },
            },
            SparseVectors = new Dictionary<string, SparseVectorParams> { ["s"] = new() { Modifier = SparseModifier.Idf }, ["t"] = new() },
        });
        var c = db.GetCollection("hybrid");
        var rng = new Random(20);
        var points = new List<HybridPoint>();
        for (var i = 1; i <= 120; i++)
        {
            points.Add(new HybridPoint(
                (ulong)i,
                QueryData.Vector(rng, Geometry.Dot, 4),
                i % 5 == 0 ? null : [.. Enumerable.Range(0, rng.Next(1, 4)).Select(_ => QueryData.Vector(rng, Geometry.Cosine, 3))],
                i % 6 == 0 ? null : RandomSparse(rng, 30),
                RandomSparse(rng, 30)));
        }

        await c.UpsertAsync([.. points.Select(p =>
        {
            var named = new Dictionary<string, VectorData> { ["d"] = new DenseVector(p.D), ["t"] = p.T! };
            if (p.M is { } m)
            {
                named["m"] = new MultiVector(m);
            }

            if (p.S is { } s)
            {
                named["s"] = s;
            }

            return new PointStruct(p.Id, null, QueryData.Payload(rng, (int)p.Id.Number)) { Vectors = named };
        })]);
        HybridPoint Point(ulong id) => points.Single(p => p.Id == id);

        // Sparse with idf: each query weight times ln(1 + (N − n + 0.5) / (n + 0.5)); only points sharing a dimension.
        var withS = points.Where(p => p.S is not null).ToList();
        double Idf(uint dim)
        {
            var n = withS.Count(p => p.S!.Indices.Contains(dim));
            return Math.Log(1 + ((withS.Count - n + 0.5) / (n + 0.5)));
        }

        SparseVector Weighted(SparseVector v) => new(v.Indices, [.. v.Indices.Zip(v.Values, (i, x) => (float)(x * Idf(i)))]);
        List<RefHit> NearestS(SparseVector q, int limit, Func<HybridPoint, bool>? keep = null) => QueryReference.Rank(
            withS.Where(p => keep?.Invoke(p) ?? true).Select(p => (p.Id, Score: SparseDot(Weighted(q), p.S!, out var overlap), overlap)).Where(x => x.overlap).Select(x => new RefHit(x.Id, x.Score)),
            true,
            limit);

        var sq = RandomSparse(rng, 30);
        QueryAssert.SameHits(NearestS(sq, 10), await c.QueryAsync(new QueryRequest { Query = new NearestQuery(sq), Using = "s", Limit = 10 }), "sparse idf nearest");
        var tq = RandomSparse(rng, 30);
        var tHits = await c.QueryAsync(new QueryRequest { Sparse = tq, Using = "t", Limit = 10 });
        QueryAssert.SameHits(QueryReference.Rank(points.Select(p => (p.Id, Score: SparseDot(tq, p.T!, out var o), o)).Where(x => x.o).Select(x => new RefHit(x.Id, x.Score)), true, 10), tHits, "sparse nearest");

        // Recommend on sparse: best_score over every point with the vector; average_vector as the union-average, then a nearest search.
        var reco = new RecommendQuery([PointId.FromNumber(1), PointId.FromNumber(2)], [PointId.FromNumber(3)], RecommendStrategy.BestScore);
        var bestHits = await c.QueryAsync(new QueryRequest { Query = reco, Using = "s", Limit = 10 });
        var examples = reco.Positive.Concat(reco.Negative).Select(v => v.Id!.Value).ToHashSet();
        QueryAssert.SameHits(
            QueryReference.Rank(
                withS.Where(p => !examples.Contains(p.Id)).Select(p =>
                {
                    var pos = new[] { 1UL, 2UL }.Max(id => SparseDot(Weighted(Point(id).S!), p.S!, out _));
                    var neg = SparseDot(Weighted(Point(3).S!), p.S!, out _);
                    return new RefHit(p.Id, pos > neg ? QueryReference.ScaledSigmoid(pos) : -QueryReference.ScaledSigmoid(neg));
                }),
                true,
                10),
            bestHits,
            "sparse best_score");
        var avgHits = await c.QueryAsync(new QueryRequest { Query = reco with { Strategy = RecommendStrategy.AverageVector }, Using = "s", Limit = 10 });
        // 2·avg(positive) − avg(negative) = s1 + s2 − s3, a missing dimension counting 0.
        var sum = new SortedDictionary<uint, double>();
        foreach (var (v, w) in new[] { (Point(1).S!, 1.0), (Point(2).S!, 1.0), (Point(3).S!, -1.0) })
        {
            foreach (var (i, x) in v.Indices.Zip(v.Values))
            {
                sum[i] = sum.GetValueOrDefault(i) + (w * x);
            }
        }

        var average = new SparseVector([.. sum.Keys], [.. sum.Values.Select(x => (float)x)]);
        QueryAssert.SameHits(NearestS(average, 10, p => !examples.Contains(p.Id)), avgHits, "sparse average_vector", 1e-5);

        // Multivectors: max_sim of unit rows; discover by ids.
        var mq = new[] { QueryData.Vector(rng, Geometry.Cosine, 3), QueryData.Vector(rng, Geometry.Cosine, 3) };
        var withM = points.Where(p => p.M is not null).ToList();
        var mqUnit = mq.Select(UnitRow).ToArray();
        QueryAssert.SameHits(
            QueryReference.Rank(withM.Select(p => new RefHit(p.Id, MaxSim(mqUnit, [.. p.M!.Select(UnitRow)]))), true, 8),
            await c.QueryAsync(new QueryRequest { Multi = mq, Using = "m", Limit = 8 }),
            "multivector nearest");
        var mTarget = Point(4).M!.Select(UnitRow).ToArray();
        var mPos = Point(7).M!.Select(UnitRow).ToArray();
        var mNeg = Point(9).M!.Select(UnitRow).ToArray();
        var discover = await c.QueryAsync(new QueryRequest { Query = new DiscoverQuery(PointId.FromNumber(4), [new ContextPair(PointId.FromNumber(7), PointId.FromNumber(9))]), Using = "m", Limit = 8 });
        QueryAssert.SameHits(
            QueryReference.Rank(
                withM.Where(p => p.Id.Number is not (4 or 7 or 9)).Select(p =>
                {
                    var rows = p.M!.Select(UnitRow).ToArray();
                    return new RefHit(p.Id, Math.Sign(MaxSim(mPos, rows) - MaxSim(mNeg, rows)) + QueryReference.ScaledSigmoid(MaxSim(mTarget, rows)));
                }),
                true,
                8),
            discover,
            "multivector discover");

        // Hybrid search: rrf of a sparse and a dense prefetch.
        var dq = QueryData.Vector(rng, Geometry.Dot, 4);
        var dense = QueryReference.Rank(points.Select(p => new RefHit(p.Id, p.D.Zip(dq, (x, y) => (double)x * y).Sum())), true, 20);
        var fused = await c.QueryAsync(new QueryRequest
        {
            Prefetch = [new Prefetch { Query = new NearestQuery(sq), Using = "s", Limit = 20 }, new Prefetch { Query = new NearestQuery(dq), Using = "d", Limit = 20, Exact = true }],
            Query = FusionQuery.Rrf,
            Limit = 10,
            WithVector = VectorSelector.Only("d"),
        });
        QueryAssert.SameHits(QueryReference.Rrf([NearestS(sq, 20), dense], 10), fused, "hybrid rrf");
        Assert.All(fused, h => Assert.Equal(Point(h.Id.Number).D, ((DenseVector)h.Vectors!["d"]).Values));
    }

    public static async Task LookupFromAsync(IVectorDatabase db)
    {
        // Named vectors only: Qdrant's JSON cannot describe an unnamed vector beside named ones.
        await db.CreateCollectionAsync("lookup_src", new CollectionOptions
        {
            NamedVectors = new Dictionary<string, VectorParams> { ["main"] = new() { Size = Dim, Distance = Geometry.Cosine }, ["alt"] = new() { Size = Dim, Distance = Geometry.Euclid } },
        });
        var source = db.GetCollection("lookup_src");
        var rng = new Random(21);
        var alt = new Dictionary<ulong, float[]>();
        var main = new Dictionary<ulong, float[]>();
        var sourcePoints = Enumerable.Range(1, 20).Select(i =>
        {
            main[(ulong)i] = QueryData.Vector(rng, Geometry.Cosine, Dim);
            alt[(ulong)i] = QueryData.Vector(rng, Geometry.Euclid, Dim);
            return new PointStruct((ulong)i) { Vectors = new Dictionary<string, VectorData> { ["main"] = new DenseVector(main[(ulong)i]), ["alt"] = new DenseVector(alt[(ulong)i]) } };
        }).ToList();
        await source.UpsertAsync(sourcePoints);
        var (target, reference, _) = await DenseAsync(db, "lookup_dst", Geometry.Cosine, 22);
        var sourceRef = QueryData.Reference(sourcePoints.Select(p => new PointStruct(p.Id, main[p.Id.Number])), Geometry.Cosine);

        // Ids name points of the other collection; the same ids here stay in the results.
        var reco = new RecommendQuery([PointId.FromNumber(1), PointId.FromNumber(2)], [PointId.FromNumber(3)]);
        var hits = await target.QueryAsync(new QueryRequest { Query = reco, LookupFrom = new LookupLocation("lookup_src", "main"), Limit = 10, Exact = true });
        float[] Src(ulong id) => sourceRef.Point(id).Dense!;
        var avg = Enumerable.Range(0, Dim).Select(i => ((Src(1)[i] + Src(2)[i]) / 2 * 2) - Src(3)[i]).ToArray();
        QueryAssert.SameHits(reference.Nearest(avg, 10), hits, "recommend with lookup_from", 1e-5);

        // lookup_from's vector name: the other collection's euclid vector, queried here as a cosine vector.
        var nearest = await target.QueryAsync(new QueryRequest { Query = new NearestQuery(PointId.FromNumber(5)), LookupFrom = new LookupLocation("lookup_src", "alt"), Limit = 5, Exact = true });
        QueryAssert.SameHits(reference.Nearest(alt[5], 5), nearest, "nearest with lookup_from vector");

        // In a prefetch.
        var prefetched = await target.QueryAsync(new QueryRequest
        {
            Prefetch = [new Prefetch { Query = new NearestQuery(PointId.FromNumber(6)), LookupFrom = new LookupLocation("lookup_src", "main"), Limit = 20, Exact = true }],
            Query = new NearestQuery(PointId.FromNumber(8)),
            Limit = 5,
        });
        var firstStage = reference.Nearest(Src(6), 20, p => p.Id != 8).Select(h => h.Id).ToHashSet();
        QueryAssert.SameHits(reference.Nearest(reference.Point(8).Dense!, 5, p => firstStage.Contains(p.Id)), prefetched, "prefetch with lookup_from");
    }
}
