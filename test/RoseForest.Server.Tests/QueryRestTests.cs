using RoseForest.Client;

namespace RoseForest.Server.Tests;

/// <summary>One server for the query tests; each scenario makes its own collections.</summary>
public sealed class QueryServer : IAsyncLifetime
{
    private ServerFixture? _fixture;

    internal ServerFixture Fixture => _fixture!;

    /// <summary>The REST client: every query goes out and comes back as Qdrant JSON.</summary>
    internal IVectorDatabase Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _fixture = await ServerFixture.StartAsync();
        Client = new RoseForestClient(new RoseForestClientOptions { BaseAddress = _fixture.Server.BaseAddress });
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await _fixture!.DisposeAsync();
    }
}

/// <summary>
/// The query API through REST (the client writes Qdrant JSON, the server reads it, the engine
/// answers, the server writes Qdrant JSON, the client reads it), against the same brute-force
/// reference as the engine tests, in every dense geometry.
/// </summary>
public class QueryRestTests(QueryServer server) : IClassFixture<QueryServer>
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
    public Task Nearest_matches_brute_force(Geometry geometry) => QueryScenarios.NearestAsync(server.Client, geometry);

    [Theory]
    [MemberData(nameof(GeometriesAndStrategies))]
    public Task Recommend_matches_brute_force(Geometry geometry, RecommendStrategy strategy) => QueryScenarios.RecommendAsync(server.Client, geometry, strategy);

    [Theory]
    [MemberData(nameof(Geometries))]
    public Task Discover_and_context_match_brute_force(Geometry geometry) => QueryScenarios.DiscoverAndContextAsync(server.Client, geometry);

    [Theory]
    [MemberData(nameof(Geometries))]
    public Task Fusion_of_prefetches_matches_rrf_and_dbsf(Geometry geometry) => QueryScenarios.FusionAsync(server.Client, geometry);

    [Theory]
    [MemberData(nameof(Geometries))]
    public Task Mmr_matches_the_reference_selection(Geometry geometry) => QueryScenarios.MmrAsync(server.Client, geometry);

    [Theory]
    [MemberData(nameof(Geometries))]
    public Task Nested_prefetches_fuse_then_rescore(Geometry geometry) => QueryScenarios.NestedPrefetchAsync(server.Client, geometry);

    [Theory]
    [MemberData(nameof(Geometries))]
    public Task Formula_rescoring_matches_the_reference(Geometry geometry) => QueryScenarios.FormulaAsync(server.Client, geometry);

    [Fact]
    public Task Order_by_matches_sorting_the_payload() => QueryScenarios.OrderByAsync(server.Client);

    [Fact]
    public Task Sample_draws_distinct_matching_points_and_no_query_lists_in_id_order() => QueryScenarios.SampleAndIdOrderAsync(server.Client);

    [Fact]
    public Task Sparse_multivector_and_hybrid_queries_match_the_reference() => QueryScenarios.HybridAsync(server.Client);

    [Fact]
    public Task Lookup_from_reads_inputs_from_another_collection() => QueryScenarios.LookupFromAsync(server.Client);

    [Theory]
    [MemberData(nameof(Geometries))]
    public Task Groups_are_formed_from_the_ranked_points(Geometry geometry) => QueryScenarios.GroupsAsync(server.Client, geometry);

    [Fact]
    public Task Facets_count_each_point_once_per_value() => QueryScenarios.FacetAsync(server.Client);

    [Theory]
    [MemberData(nameof(Geometries))]
    public Task The_search_matrix_holds_each_sampled_points_nearest_samples(Geometry geometry) => QueryScenarios.MatrixAsync(server.Client, geometry);
}
