using System.Text.Json;
using RoseForest.Core.Filters;
using Xunit;

namespace RoseForest.Testing;

/// <summary>Scenarios for grouped queries, facets and the search matrix.</summary>
internal static partial class QueryScenarios
{
    /// <summary>The reference grouping: walk the ranked points, each joins the groups of its values (strings or integers only), groups in order of their best hit.</summary>
    private static List<(string Key, List<RefHit> Hits)> Group(QueryReference reference, List<RefHit> ranked, string key, int groupSize, int limit)
    {
        var groups = new List<(string Key, List<RefHit> Hits)>();
        foreach (var hit in ranked)
        {
            if (!reference.Point(hit.Id).Payload.TryGetProperty(key, out var v))
            {
                continue;
            }

            var values = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [v];
            if (values.Count == 0 || values.Any(x => x.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)))
            {
                continue;
            }

            foreach (var value in values.Select(x => x.GetRawText()).Distinct())
            {
                var index = groups.FindIndex(g => g.Key == value);
                if (index < 0)
                {
                    groups.Add((value, [hit]));
                }
                else if (groups[index].Hits.Count < groupSize)
                {
                    groups[index].Hits.Add(hit);
                }
            }
        }

        return groups.Take(limit).ToList();
    }

    private static void SameGroups(List<(string Key, List<RefHit> Hits)> expected, IReadOnlyList<PointGroup> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: expected {expected.Count} groups ({string.Join(", ", expected.Select(g => g.Key))}), got {actual.Count} ({string.Join(", ", actual.Select(g => g.Id.GetRawText()))})");
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Key, actual[i].Id.GetRawText());
            QueryAssert.SameHits(expected[i].Hits, actual[i].Hits, $"{what} group {expected[i].Key}");
        }
    }

    public static async Task GroupsAsync(IVectorDatabase db, Geometry geometry)
    {
        var (c, reference, _) = await DenseAsync(db, $"groups_{geometry}".ToLowerInvariant(), geometry, 23);
        var rng = new Random(13);
        var q = QueryData.Vector(rng, geometry, Dim);

        // By a string field.
        var byGroup = await c.QueryGroupsAsync(new QueryGroupsRequest { Query = new QueryRequest { Query = new NearestQuery(q), Exact = true, WithPayload = true }, GroupBy = "group", GroupSize = 3, Limit = 4 });
        SameGroups(Group(reference, reference.Nearest(q, Count), "group", 3, 4), byGroup, $"{geometry} groups by group");
        Assert.All(byGroup, g => Assert.All(g.Hits, h => Assert.Equal(g.Id.GetString(), h.Payload!.Value.GetProperty("group").GetString())));

        // By an array field (a point joins each of its groups; points with no tags join none), ranked by a recommendation.
        var reco = new RecommendQuery([PointId.FromNumber(2)], [PointId.FromNumber(3)], RecommendStrategy.SumScores);
        var byTags = await c.QueryGroupsAsync(new QueryGroupsRequest { Query = new QueryRequest { Query = reco }, GroupBy = "tags", GroupSize = 4, Limit = 5 });
        SameGroups(Group(reference, reference.Recommend(reco, Count), "tags", 4, 5), byTags, $"{geometry} groups by tags");

        // By an integer field over fused prefetches (their limits grow by the group size), with a lookup of each group's point.
        var a = QueryData.Vector(rng, geometry, Dim);
        var b = QueryData.Vector(rng, geometry, Dim);
        await db.CreateCollectionAsync($"owners_{geometry}".ToLowerInvariant(), new CollectionOptions { Dimension = 2, Geometry = Geometry.Euclid });
        var owners = db.GetCollection($"owners_{geometry}".ToLowerInvariant());
        await owners.UpsertAsync([.. Enumerable.Range(0, 21).Select(i => new PointStruct((ulong)i, [i, 0], JsonElement.Parse($$"""{"owner":"o{{i}}"}""")))]);
        var byN = await c.QueryGroupsAsync(new QueryGroupsRequest
        {
            Query = new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(a), Limit = 8, Exact = true }, new Prefetch { Query = new NearestQuery(b), Limit = 8, Exact = true }], Query = FusionQuery.Rrf },
            GroupBy = "n",
            GroupSize = 2,
            Limit = 6,
            WithLookup = new WithLookup($"owners_{geometry}".ToLowerInvariant()),
        });
        var hasN = reference.Points.Where(p => p.Payload.TryGetProperty("n", out _)).Select(p => p.Id).ToHashSet();
        var fused = QueryReference.Rrf([reference.Nearest(a, 16, p => hasN.Contains(p.Id)), reference.Nearest(b, 16, p => hasN.Contains(p.Id))], Count);
        SameGroups(Group(reference, fused, "n", 2, 6), byN, $"{geometry} groups by n");
        foreach (var g in byN)
        {
            var n = g.Id.GetInt64();
            if (n >= 0)
            {
                Assert.Equal(PointId.FromNumber((ulong)n), g.Lookup!.Id);
                Assert.Equal($"o{n}", g.Lookup.Payload!.Value.GetProperty("owner").GetString());
            }
            else
            {
                Assert.Null(g.Lookup); // a negative value is no point id
            }
        }
    }

    public static async Task FacetAsync(IVectorDatabase db)
    {
        var (c, reference, _) = await DenseAsync(db, "facets", Geometry.Dot, 24);
        List<(FilterValue Value, long Count)> Expected(string key, Func<RefPoint, bool> keep, int limit) =>
        [
            .. reference.Points.Where(keep)
                .SelectMany(p => p.Payload.TryGetProperty(key, out var v) ? (v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [v]).Select(x => x.ValueKind == JsonValueKind.String ? FilterValue.Keyword(x.GetString()!) : FilterValue.Integer(x.GetInt64())).Distinct() : [])
                .GroupBy(v => v)
                .Select(g => (g.Key, (long)g.Count()))
                .OrderByDescending(x => x.Item2)
                .ThenBy(x => x.Key.Kind)
                .ThenBy(x => x.Key.Kind == FilterValueKind.Keyword ? x.Key.KeywordValue : string.Empty, StringComparer.Ordinal)
                .ThenBy(x => x.Key.Kind == FilterValueKind.Integer ? x.Key.IntegerValue : 0)
                .Take(limit),
        ];
        void Same(List<(FilterValue Value, long Count)> expected, IReadOnlyList<FacetHit> actual) =>
            Assert.Equal(expected, actual.Select(h => (h.Value, h.Count)).ToList());

        Same(Expected("group", _ => true, 10), await c.FacetAsync(new FacetRequest { Key = "group" }));
        Same(Expected("tags", p => Number(p, "price") > 30, 3), await c.FacetAsync(new FacetRequest { Key = "tags", Limit = 3, Filter = Filter.Where(Condition.Range("price", gt: 30)) }));
        Same(Expected("n", _ => true, 7), await c.FacetAsync(new FacetRequest { Key = "n", Limit = 7, Exact = true }));
        Assert.Empty(await c.FacetAsync(new FacetRequest { Key = "price" })); // floats are no facet values
    }

    public static async Task MatrixAsync(IVectorDatabase db, Geometry geometry)
    {
        var (c, reference, _) = await DenseAsync(db, $"matrix_{geometry}".ToLowerInvariant(), geometry, 25);
        var matrix = await c.SearchMatrixAsync(new SearchMatrixRequest { Sample = 8, Limit = 3, Filter = GroupFilter("red", "blue") });
        Assert.Equal(8, matrix.Ids.Distinct().Count());
        Assert.Equal(matrix.Ids.Order(), matrix.Ids);
        Assert.All(matrix.Ids, id => Assert.True(InGroup(reference.Point(id), "red", "blue")));
        var sample = matrix.Ids.ToHashSet();
        foreach (var id in matrix.Ids)
        {
            var row = matrix.Pairs.Where(p => p.A == id).Select(p => new ScoredPoint(p.B, 0, p.Score, null, null)).ToList();
            QueryAssert.SameHits(reference.Nearest(reference.Point(id).Dense!, 3, p => p.Id != id && sample.Contains(p.Id)), row, $"{geometry} matrix row {id}");
        }

        var tooFew = await c.SearchMatrixAsync(new SearchMatrixRequest { Filter = Filter.Where(Condition.HasId(PointId.FromNumber(1))) });
        Assert.Empty(tooFew.Ids);
        Assert.Empty(tooFew.Pairs);
    }
}
