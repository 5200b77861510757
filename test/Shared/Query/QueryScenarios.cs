using System.Text.Json;
using RoseForest.Core.Filters;
using Xunit;

namespace RoseForest.Testing;

/// <summary>
/// The query API's behaviour as scenarios over any <see cref="IVectorDatabase"/>: the engine runs
/// them in process, the server tests through the REST client (the same Qdrant JSON both ways).
/// Each compares results with <see cref="QueryReference"/> on random data with fixed seeds.
/// </summary>
internal static partial class QueryScenarios
{
    public const int Dim = 6;
    public const int Count = 160;

    /// <summary>A collection of one dense geometry filled with <see cref="QueryData.Dense"/>; returns it and the reference.</summary>
    public static async Task<(IVectorCollection Collection, QueryReference Reference, List<PointStruct> Points)> DenseAsync(IVectorDatabase db, string name, Geometry geometry, int seed)
    {
        await db.CreateCollectionAsync(name, new CollectionOptions { Dimension = Dim, Geometry = geometry });
        var collection = db.GetCollection(name);
        var points = QueryData.Dense(geometry, Count, Dim, seed);
        await collection.UpsertAsync(points);
        return (collection, QueryData.Reference(points, geometry), points);
    }

    private static bool InGroup(RefPoint p, params string[] groups) => groups.Contains(p.Payload.GetProperty("group").GetString());

    private static Filter GroupFilter(params string[] groups) => Filter.Where(Condition.MatchAny("group", [.. groups.Select(g => (FilterValue)g)]));

    public static async Task NearestAsync(IVectorDatabase db, Geometry geometry)
    {
        var (c, reference, _) = await DenseAsync(db, $"nearest_{geometry}".ToLowerInvariant(), geometry, 11);
        var rng = new Random(5);
        for (var round = 0; round < 3; round++)
        {
            var q = QueryData.Vector(rng, geometry, Dim);
            var hits = await c.QueryAsync(new QueryRequest { Query = new NearestQuery(q), Limit = 10, Exact = true, Filter = GroupFilter("red", "blue") });
            QueryAssert.SameHits(reference.Nearest(q, 10, p => InGroup(p, "red", "blue")), hits, $"{geometry} nearest {round}");
        }

        // By point id: the point's own vector, the point itself left out; with an offset.
        var byId = await c.QueryAsync(new QueryRequest { Query = new NearestQuery(PointId.FromNumber(7)), Limit = 5, Offset = 2, Exact = true });
        QueryAssert.SameHits(reference.Nearest(reference.Point(7).Dense!, 7, p => p.Id != 7).Skip(2).ToList(), byId, $"{geometry} nearest by id");
    }

    public static async Task RecommendAsync(IVectorDatabase db, Geometry geometry, RecommendStrategy strategy)
    {
        var (c, reference, _) = await DenseAsync(db, $"reco_{geometry}_{strategy}".ToLowerInvariant(), geometry, 12);
        var rng = new Random(6);
        var queries = new List<RecommendQuery>
        {
            new([PointId.FromNumber(3), PointId.FromNumber(40), QueryData.Vector(rng, geometry, Dim)], [PointId.FromNumber(90)], strategy),
            new([PointId.FromNumber(8)], [], strategy),
            new([PointId.FromNumber(8), PointId.FromNumber(9)], [QueryData.Vector(rng, geometry, Dim), PointId.FromNumber(100)], strategy),
        };
        if (strategy != RecommendStrategy.AverageVector)
        {
            queries.Add(new([], [PointId.FromNumber(15), PointId.FromNumber(16)], strategy));
        }

        for (var i = 0; i < queries.Count; i++)
        {
            var hits = await c.QueryAsync(new QueryRequest { Query = queries[i], Limit = 10, Exact = true });
            QueryAssert.SameHits(reference.Recommend(queries[i], 10), hits, $"{geometry} {strategy} recommend {i}");
        }

        // The same as a prefetch stage's rescoring: over the union of two nearest prefetches.
        var a = QueryData.Vector(rng, geometry, Dim);
        var b = QueryData.Vector(rng, geometry, Dim);
        var rescored = await c.QueryAsync(new QueryRequest
        {
            Prefetch = [new Prefetch { Query = new NearestQuery(a), Limit = 25, Exact = true }, new Prefetch { Query = new NearestQuery(b), Limit = 25, Exact = true }],
            Query = queries[0],
            Limit = 6,
        });
        // The ids the query names are left out everywhere, the prefetches included (Qdrant edits the root filter, which reaches the leaves).
        var named = queries[0].Positive.Concat(queries[0].Negative).Where(v => v.Id is not null).Select(v => v.Id!.Value).ToHashSet();
        var union = reference.Nearest(a, 25, p => !named.Contains(p.Id)).Concat(reference.Nearest(b, 25, p => !named.Contains(p.Id))).Select(h => h.Id).ToHashSet();
        QueryAssert.SameHits(reference.Recommend(queries[0], 6, p => union.Contains(p.Id)), rescored, $"{geometry} {strategy} recommend over prefetches");
    }

    public static async Task DiscoverAndContextAsync(IVectorDatabase db, Geometry geometry)
    {
        var (c, reference, _) = await DenseAsync(db, $"discover_{geometry}".ToLowerInvariant(), geometry, 13);
        var rng = new Random(7);
        ContextPair[] pairs =
        [
            new(PointId.FromNumber(4), PointId.FromNumber(50)),
            new(QueryData.Vector(rng, geometry, Dim), PointId.FromNumber(61)),
            new(PointId.FromNumber(77), QueryData.Vector(rng, geometry, Dim)),
        ];
        VectorInput target = QueryData.Vector(rng, geometry, Dim);
        var discover = await c.QueryAsync(new QueryRequest { Query = new DiscoverQuery(target, pairs), Limit = 12 });
        QueryAssert.SameHits(reference.Discover(target, pairs, 12), discover, $"{geometry} discover");

        var byIdTarget = await c.QueryAsync(new QueryRequest { Query = new DiscoverQuery(PointId.FromNumber(5), pairs[..1]), Limit = 12 });
        QueryAssert.SameHits(reference.Discover(PointId.FromNumber(5), pairs[..1], 12), byIdTarget, $"{geometry} discover by id");

        var context = await c.QueryAsync(new QueryRequest { Query = new ContextQuery(pairs), Limit = 12 });
        QueryAssert.SameHits(reference.Context(pairs, 12), context, $"{geometry} context");
    }

    public static async Task FusionAsync(IVectorDatabase db, Geometry geometry)
    {
        var (c, reference, _) = await DenseAsync(db, $"fusion_{geometry}".ToLowerInvariant(), geometry, 14);
        var rng = new Random(8);
        var a = QueryData.Vector(rng, geometry, Dim);
        var b = QueryData.Vector(rng, geometry, Dim);
        Prefetch[] prefetches =
        [
            new() { Query = new NearestQuery(a), Limit = 20, Exact = true, Filter = GroupFilter("red", "green", "blue") },
            new() { Query = new NearestQuery(b), Limit = 15, Exact = true },
        ];
        List<RefHit>[] lists = [reference.Nearest(a, 20, p => InGroup(p, "red", "green", "blue")), reference.Nearest(b, 15)];

        var rrf = await c.QueryAsync(new QueryRequest { Prefetch = prefetches, Query = FusionQuery.Rrf, Limit = 10 });
        QueryAssert.SameHits(QueryReference.Rrf(lists, 10), rrf, $"{geometry} rrf");

        var weighted = await c.QueryAsync(new QueryRequest { Prefetch = prefetches, Query = new FusionQuery(FusionMethod.Rrf) { K = 5, Weights = [2, 0.5] }, Limit = 10 });
        QueryAssert.SameHits(QueryReference.Rrf(lists, 10, 5, [2, 0.5]), weighted, $"{geometry} rrf k=5 weighted");

        var dbsf = await c.QueryAsync(new QueryRequest { Prefetch = prefetches, Query = FusionQuery.Dbsf, Limit = 10 });
        QueryAssert.SameHits(QueryReference.Dbsf(lists, 10), dbsf, $"{geometry} dbsf");

        // A root filter reaches the prefetches; a score threshold cuts the fused list.
        var filtered = await c.QueryAsync(new QueryRequest { Prefetch = prefetches, Query = FusionQuery.Rrf, Limit = 30, Filter = GroupFilter("red"), ScoreThreshold = 0.1 });
        List<RefHit>[] filteredLists = [reference.Nearest(a, 20, p => InGroup(p, "red")), reference.Nearest(b, 15, p => InGroup(p, "red"))];
        QueryAssert.SameHits(QueryReference.Rrf(filteredLists, 30).Where(h => h.Score >= 0.1).ToList(), filtered, $"{geometry} rrf filtered");
    }

    public static async Task MmrAsync(IVectorDatabase db, Geometry geometry)
    {
        var (c, reference, _) = await DenseAsync(db, $"mmr_{geometry}".ToLowerInvariant(), geometry, 15);
        var rng = new Random(9);
        var q = QueryData.Vector(rng, geometry, Dim);
        var hits = await c.QueryAsync(new QueryRequest { Query = new NearestQuery(q) { Mmr = new Mmr { Diversity = 0.7, CandidatesLimit = 30 } }, Limit = 8, Exact = true });
        QueryAssert.SameHits(reference.Mmr(q, reference.Nearest(q, 30), 0.7, 8), hits, $"{geometry} mmr");

        // Over a prefetch: the candidates are the prefetched points nearest to the MMR vector.
        var p = QueryData.Vector(rng, geometry, Dim);
        var over = await c.QueryAsync(new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(p), Limit = 40, Exact = true }], Query = new NearestQuery(q) { Mmr = new Mmr { Diversity = 0.3 } }, Limit = 6 });
        var union = reference.Nearest(p, 40).Select(h => h.Id).ToHashSet();
        QueryAssert.SameHits(reference.Mmr(q, reference.Nearest(q, 6, x => union.Contains(x.Id)), 0.3, 6), over, $"{geometry} mmr over prefetch");
    }

    public static async Task NestedPrefetchAsync(IVectorDatabase db, Geometry geometry)
    {
        var (c, reference, _) = await DenseAsync(db, $"nested_{geometry}".ToLowerInvariant(), geometry, 16);
        var rng = new Random(10);
        var a = QueryData.Vector(rng, geometry, Dim);
        var b = QueryData.Vector(rng, geometry, Dim);
        var r = QueryData.Vector(rng, geometry, Dim);
        var hits = await c.QueryAsync(new QueryRequest
        {
            Prefetch =
            [
                new Prefetch
                {
                    Prefetches = [new Prefetch { Query = new NearestQuery(a), Limit = 30, Exact = true }, new Prefetch { Query = new NearestQuery(b), Limit = 30, Exact = true, Filter = GroupFilter("red", "blue", "teal") }],
                    Query = FusionQuery.Rrf,
                    Limit = 20,
                },
            ],
            Query = new NearestQuery(r),
            Filter = GroupFilter("red", "green", "blue", "teal"),
            Limit = 7,
            WithPayload = true,
        });
        bool Root(RefPoint p) => InGroup(p, "red", "green", "blue", "teal");
        var fused = QueryReference.Rrf([reference.Nearest(a, 30, Root), reference.Nearest(b, 30, p => Root(p) && InGroup(p, "red", "blue", "teal"))], 20);
        var ids = fused.Select(h => h.Id).ToHashSet();
        QueryAssert.SameHits(reference.Nearest(r, 7, p => ids.Contains(p.Id)), hits, $"{geometry} nested prefetch");
        Assert.All(hits, h => Assert.True(h.Payload!.Value.TryGetProperty("group", out _)));
    }
}
