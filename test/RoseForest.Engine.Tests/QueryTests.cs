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
}
