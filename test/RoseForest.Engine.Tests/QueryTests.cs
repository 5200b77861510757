using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>The query API in process, against the brute-force reference (test/Shared/Query), in every dense geometry.</summary>
public class QueryTests
{
    public static TheoryData<Geometry> Geometries() => [.. QueryData.DenseGeometries];

    public static TheoryData<Geometry, RecommendStrategy> GeometriesAndStrategies()
    {
        var data = new TheoryData<Geometry, RecommendStrategy>();
        foreach (var g in QueryData.DenseGeometries)
        {
            foreach (var s in Enum.GetValues<RecommendStrategy>())
            {
                data.Add(g, s);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public async Task Nearest_matches_brute_force(Geometry geometry)
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.NearestAsync(db, geometry);
    }

    [Theory]
    [MemberData(nameof(GeometriesAndStrategies))]
    public async Task Recommend_matches_brute_force(Geometry geometry, RecommendStrategy strategy)
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.RecommendAsync(db, geometry, strategy);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public async Task Discover_and_context_match_brute_force(Geometry geometry)
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.DiscoverAndContextAsync(db, geometry);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public async Task Fusion_of_prefetches_matches_rrf_and_dbsf(Geometry geometry)
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.FusionAsync(db, geometry);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public async Task Mmr_matches_the_reference_selection(Geometry geometry)
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.MmrAsync(db, geometry);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public async Task Nested_prefetches_fuse_then_rescore(Geometry geometry)
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.NestedPrefetchAsync(db, geometry);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public async Task Formula_rescoring_matches_the_reference(Geometry geometry)
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.FormulaAsync(db, geometry);
    }

    [Fact]
    public async Task Order_by_matches_sorting_the_payload()
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.OrderByAsync(db);
    }

    [Fact]
    public async Task Sample_draws_distinct_matching_points_and_no_query_lists_in_id_order()
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.SampleAndIdOrderAsync(db);
    }

    [Fact]
    public async Task Sparse_multivector_and_hybrid_queries_match_the_reference()
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.HybridAsync(db);
    }

    [Fact]
    public async Task Lookup_from_reads_inputs_from_another_collection()
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.LookupFromAsync(db);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public async Task Groups_are_formed_from_the_ranked_points(Geometry geometry)
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.GroupsAsync(db, geometry);
    }

    [Fact]
    public async Task Facets_count_each_point_once_per_value()
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.FacetAsync(db);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public async Task The_search_matrix_holds_each_sampled_points_nearest_samples(Geometry geometry)
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await QueryScenarios.MatrixAsync(db, geometry);
    }

    [Fact]
    public async Task Sparse_search_scores_right_even_when_the_shared_array_pool_returns_dirty_arrays()
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        var c = await db.CreateCollectionAsync("s", new CollectionOptions { SparseVectors = new Dictionary<string, SparseVectorParams> { ["s"] = new() } });
        await c.UpsertAsync([.. Enumerable.Range(1, 10).Select(i => new PointStruct((ulong)i) { Vectors = new Dictionary<string, VectorData> { ["s"] = new SparseVector([(uint)i], [i]) } })]);

        // Another user of the shared pool hands arrays back as it left them.
        for (var size = 16; size <= 1024; size *= 2)
        {
            var scores = System.Buffers.ArrayPool<float>.Shared.Rent(size);
            var touched = System.Buffers.ArrayPool<bool>.Shared.Rent(size);
            Array.Fill(scores, 1000f);
            Array.Fill(touched, true);
            System.Buffers.ArrayPool<float>.Shared.Return(scores);
            System.Buffers.ArrayPool<bool>.Shared.Return(touched);
        }

        var hits = await c.QueryAsync(new QueryRequest { Sparse = new SparseVector([3, 4], [1, 1]), Using = "s", Limit = 5 });
        Assert.Equal([4UL, 3UL], hits.Select(h => h.Id.Number));
        Assert.Equal([4.0, 3.0], hits.Select(h => h.Score));
    }
}
