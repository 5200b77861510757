using System.Text.Json;
using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>Bad queries are refused with a typed exception naming the field, and change nothing.</summary>
public class QueryValidationTests
{
    private static readonly float[] V = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f];

    public static TheoryData<string, QueryRequest, string> BadRequests() => new()
    {
        { "unknown vector name", new QueryRequest { Query = new NearestQuery(V), Using = "nope" }, "using" },
        { "average_vector without positives", new QueryRequest { Query = new RecommendQuery([], [PointId.FromNumber(1)]) }, "query.recommend.positive" },
        { "recommend without examples", new QueryRequest { Query = new RecommendQuery([], [], RecommendStrategy.BestScore) }, "query.recommend.positive" },
        { "fusion without prefetch", new QueryRequest { Query = FusionQuery.Rrf }, "query" },
        { "formula without prefetch", new QueryRequest { Query = new FormulaQuery("$score") }, "query" },
        { "prefetch without query", new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(V) }] }, "query" },
        { "threshold without query", new QueryRequest { ScoreThreshold = 1 }, "score_threshold" },
        { "threshold with order_by", new QueryRequest { Query = new OrderByQuery("n"), ScoreThreshold = 1 }, "score_threshold" },
        { "fusion with using", new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(V) }], Query = FusionQuery.Dbsf, Using = "x" }, "using" },
        { "rrf weights of the wrong count", new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(V) }], Query = new FusionQuery(FusionMethod.Rrf) { Weights = [1, 2] } }, "query.rrf.weights" },
        { "reserved word in a formula", new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(V) }], Query = new FormulaQuery("$scores") }, "query.formula" },
        { "bad decay midpoint", new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(V) }], Query = new FormulaQuery(new FormulaDecay(DecayKind.Exp, "$score") { Midpoint = 1 }) }, "query.formula.exp_decay.midpoint" },
        { "bad datetime in a formula", new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(V) }], Query = new FormulaQuery(new FormulaDatetime("yesterday")) }, "query.formula.datetime" },
        { "payload variable missing without default", new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(V) }], Query = new FormulaQuery("missing") }, "query.formula" },
        { "non-finite formula", new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(V) }], Query = new FormulaQuery(new FormulaUnary(FormulaUnaryOperator.Ln, 0.0)) }, "query.formula" },
        { "sparse query on a dense vector", new QueryRequest { Sparse = new SparseVector([1], [1]) }, "query.nearest" },
        { "wrong dimension", new QueryRequest { Vector = [1, 2] }, "query.nearest" },
        { "bad order_by key", new QueryRequest { Query = new OrderByQuery("a..b") }, "query.order_by.key" },
        { "mmr diversity out of range", new QueryRequest { Query = new NearestQuery(V) { Mmr = new Mmr { Diversity = 2 } } }, "query.mmr.diversity" },
        { "bad prefetch limit", new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(V), Limit = 0 }], Query = FusionQuery.Rrf }, "prefetch[0].limit" },
        { "a vector and a query", new QueryRequest { Vector = V, Query = SampleQuery.Random }, "query" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_query_throws_naming_the_field_and_changes_nothing(string why, QueryRequest request, string field)
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        var c = await db.CreateCollectionAsync("c", new CollectionOptions { Dimension = 6, Geometry = Geometry.Euclid });
        await c.UpsertAsync(QueryData.Dense(Geometry.Euclid, 20, 6, 1));
        var lsn = c.LastLsn;
        var e = await Assert.ThrowsAnyAsync<ValidationException>(() => c.QueryAsync(request).AsTask());
        Assert.True(e.Field == field, $"{why}: expected field {field}, got {e.Field}: {e.Message}");
        Assert.Equal(lsn, c.LastLsn);
        Assert.Equal(20, await c.CountAsync());
    }

    [Fact]
    public async Task Missing_points_and_collections_are_not_found()
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        var c = await db.CreateCollectionAsync("c", new CollectionOptions { Dimension = 6, Geometry = Geometry.Euclid, NamedVectors = new Dictionary<string, VectorParams> { ["b"] = new() { Size = 6, Distance = Geometry.Dot } } });
        await c.UpsertAsync([new PointStruct(1, V), new PointStruct(2, V) { Vectors = new Dictionary<string, VectorData> { ["b"] = new DenseVector(V) } }]);

        var missingPoint = await Assert.ThrowsAsync<PointNotFoundException>(() => c.QueryAsync(new QueryRequest { Query = new RecommendQuery([PointId.FromNumber(1), PointId.FromNumber(99)], []) }).AsTask());
        Assert.Equal(PointId.FromNumber(99), missingPoint.PointId);
        await Assert.ThrowsAsync<CollectionNotFoundException>(() => c.QueryAsync(new QueryRequest { Query = new NearestQuery(PointId.FromNumber(1)), LookupFrom = new LookupLocation("nowhere") }).AsTask());

        // The point exists but lacks the vector the query uses.
        var noVector = await Assert.ThrowsAsync<NotFoundException>(() => c.QueryAsync(new QueryRequest { Query = new NearestQuery(PointId.FromNumber(1)), Using = "b" }).AsTask());
        Assert.Contains("\"b\"", noVector.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_formula_default_that_is_not_a_number_is_refused_when_used()
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        var c = await db.CreateCollectionAsync("c", new CollectionOptions { Dimension = 6, Geometry = Geometry.Euclid });
        await c.UpsertAsync([new PointStruct(1, V, JsonElement.Parse("""{"n":[1,2]}"""))]);
        var request = new QueryRequest
        {
            Prefetch = [new Prefetch { Query = new NearestQuery(V) }],
            Query = new FormulaQuery(new FormulaSum(["n", "m"])) { Defaults = new Dictionary<string, JsonElement> { ["m"] = JsonElement.Parse("\"x\"") } },
        };
        var e = await Assert.ThrowsAsync<ValidationException>(() => c.QueryAsync(request).AsTask());
        Assert.Contains("Expected number value for n", e.Message, StringComparison.Ordinal); // an array of two values is not a number
    }
}
