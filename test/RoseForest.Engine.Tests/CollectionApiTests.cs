using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

public class CollectionApiTests
{
    private static JsonElement Json(string s) => JsonElement.Parse(s);

    private static async Task<(RoseForestDatabase Db, Collection Col)> NewAsync(TempDir tmp, Geometry geometry = Geometry.Euclid, int dim = 3, Durability durability = Durability.Sync)
    {
        var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", new CollectionOptions { Dimension = dim, Geometry = geometry, Durability = durability });
        return (db, col);
    }

    [Fact]
    public async Task Upsert_get_and_replace_round_trip_vectors_and_payloads()
    {
        using var tmp = new TempDir();
        var (db, col) = await NewAsync(tmp);
        await using var _ = db;
        var r1 = await col.UpsertAsync([new PointStruct(1, [1, 2, 3], Json("""{"a":1}""")), new PointStruct(Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26"), [0, 0, 1])]);
        var r2 = await col.UpsertAsync([new PointStruct(1, [4, 5, 6], Json("""{"b":2}"""))]);
        Assert.True(r2.OperationId > r1.OperationId);

        var got = await col.GetAsync([PointId.FromNumber(1), PointId.FromNumber(99)], withVector: true);
        var p = Assert.Single(got);
        Assert.Equal(new float[] { 4, 5, 6 }, p.Vector);
        Assert.Equal("""{"b":2}""", p.Payload!.Value.GetRawText());
        Assert.Equal(r2.OperationId, p.Version);
        Assert.Equal(2, await col.CountAsync());
    }

    [Fact]
    public async Task A_later_duplicate_in_one_batch_wins()
    {
        using var tmp = new TempDir();
        var (db, col) = await NewAsync(tmp);
        await using var _ = db;
        await col.UpsertAsync([new PointStruct(1, [1, 1, 1]), new PointStruct(1, [2, 2, 2])]);
        Assert.Equal(new float[] { 2, 2, 2 }, (await col.GetAsync(1))!.Vector);
        Assert.Equal(1, await col.CountAsync());
    }

    [Fact]
    public async Task A_batch_with_one_bad_vector_changes_nothing()
    {
        using var tmp = new TempDir();
        var (db, col) = await NewAsync(tmp);
        await using var _ = db;
        await col.UpsertAsync([new PointStruct(1, [1, 1, 1])]);
        var e = await Assert.ThrowsAsync<VectorValidationException>(() => col.UpsertAsync([new PointStruct(2, [1, 1, 1]), new PointStruct(3, [1, float.NaN, 1])]));
        Assert.Equal("points[1].vector", e.Field);
        await Assert.ThrowsAsync<VectorValidationException>(() => col.UpsertAsync([new PointStruct(4, [1, 1])]));
        await Assert.ThrowsAsync<ValidationException>(() => col.UpsertAsync([new PointStruct(5, [1, 1, 1], Json("[1]"))]));
        Assert.Equal(1, await col.CountAsync());
        Assert.Null(await col.GetAsync(2));
    }

    [Fact]
    public async Task Exact_search_returns_the_true_nearest_with_ties_by_lower_id()
    {
        using var tmp = new TempDir();
        var (db, col) = await NewAsync(tmp, Geometry.Euclid, 2);
        await using var _ = db;
        await col.UpsertAsync([
            new PointStruct(5, [1, 0]),
            new PointStruct(3, [0, 1]),
            new PointStruct(9, [-1, 0]),
            new PointStruct(1, [5, 5]),
        ]);
        var hits = await col.SearchAsync(new SearchRequest { Vector = [0, 0], Limit = 3 });
        Assert.Equal([3UL, 5UL, 9UL], hits.Select(h => h.Id.Number));
        Assert.All(hits, h => Assert.Equal(1.0, h.Score, 1e-9));

        var offset = await col.SearchAsync(new SearchRequest { Vector = [0, 0], Limit = 2, Offset = 2 });
        Assert.Equal([9UL, 1UL], offset.Select(h => h.Id.Number));

        var threshold = await col.SearchAsync(new SearchRequest { Vector = [0, 0], Limit = 10, ScoreThreshold = 2 });
        Assert.Equal(3, threshold.Count);
    }

    [Fact]
    public async Task Cosine_and_dot_rank_by_descending_similarity()
    {
        using var tmp = new TempDir();
        var (db, cos) = await NewAsync(tmp, Geometry.Cosine, 2);
        await using var _ = db;
        await cos.UpsertAsync([new PointStruct(1, [1, 0]), new PointStruct(2, [1, 1]), new PointStruct(3, [-1, 0])]);
        var hits = await cos.SearchAsync(new SearchRequest { Vector = [2, 0], Limit = 3, WithVector = true });
        Assert.Equal([1UL, 2UL, 3UL], hits.Select(h => h.Id.Number));
        Assert.Equal(1.0, hits[0].Score, 1e-6);
        Assert.Equal(Math.Sqrt(0.5), hits[1].Score, 1e-6);
        Assert.Equal(-1.0, hits[2].Score, 1e-6);
        Assert.Equal((float)Math.Sqrt(0.5), hits[1].Vector![0], 1e-6f); // stored normalised, as Qdrant does

        var dot = await db.CreateCollectionAsync("d", new CollectionOptions { Dimension = 2, Geometry = Geometry.Dot });
        await dot.UpsertAsync([new PointStruct(1, [1, 0]), new PointStruct(2, [3, 0])]);
        Assert.Equal([2UL, 1UL], (await dot.SearchAsync(new SearchRequest { Vector = [1, 0] })).Select(h => h.Id.Number));
    }

    [Theory]
    [InlineData(Geometry.Euclid)]
    [InlineData(Geometry.Cosine)]
    [InlineData(Geometry.Dot)]
    [InlineData(Geometry.Manhattan)]
    [InlineData(Geometry.Poincare)]
    [InlineData(Geometry.Lorentz)]
    public async Task Exact_search_agrees_with_brute_force_in_every_geometry(Geometry geometry)
    {
        using var tmp = new TempDir();
        const int dim = 9;
        var (db, col) = await NewAsync(tmp, geometry, dim, Durability.Memory);
        await using var _ = db;
        var rng = new Random(31);
        var stored = new Dictionary<ulong, float[]>();
        var batch = new List<PointStruct>();
        for (ulong i = 0; i < 600; i++)
        {
            var v = RandomPoint(rng, geometry, dim);
            batch.Add(new PointStruct(i, v, Json($$"""{"parity":{{i % 2}}}""")));
        }

        await col.UpsertAsync(batch);
        foreach (var r in await col.GetAsync([.. batch.Select(p => p.Id)], withVector: true))
        {
            stored[r.Id.Number] = r.Vector!;
        }

        var higher = GeometryInfo.HigherIsBetter(geometry);
        for (var q = 0; q < 20; q++)
        {
            var query = RandomPoint(rng, geometry, dim);
            var filter = q % 2 == 0 ? null : Filter.Where(Condition.Match("parity", 1));
            var hits = await col.SearchAsync(new SearchRequest { Vector = query, Limit = 10, Filter = filter });
            var prepared = (await SearchOne(col, query)).Query;
            var expected = stored
                .Where(kv => filter is null || kv.Key % 2 == 1)
                .Select(kv => (Id: kv.Key, Score: RoseForest.Core.Spaces.GeometryMath.Score(geometry, 1, prepared, kv.Value)))
                .OrderBy(x => higher ? -x.Score : x.Score).ThenBy(x => x.Id)
                .Take(10).ToList();
            Assert.Equal(expected.Select(e => e.Id), hits.Select(h => h.Id.Number));
            for (var i = 0; i < hits.Count; i++)
            {
                Assert.Equal(expected[i].Score, hits[i].Score, 1e-9 * (1 + Math.Abs(expected[i].Score)));
            }
        }
    }

    /// <summary>The stored form of a query vector (cosine normalises it).</summary>
    private static Task<(float[] Query, int Unused)> SearchOne(Collection col, float[] query)
    {
        var prepared = new float[query.Length];
        RoseForest.Core.Spaces.VectorPreparer.Prepare(col.Options.Geometry, col.Options.Curvature, query.Length, query, prepared, false, "q");
        return Task.FromResult((prepared, 0));
    }

    internal static float[] RandomPoint(Random rng, Geometry geometry, int dim)
    {
        var v = new float[dim];
        for (var i = 0; i < dim; i++)
        {
            v[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        if (geometry == Geometry.Poincare)
        {
            var n = Math.Sqrt(v.Sum(x => (double)x * x));
            var r = rng.NextDouble() * 0.95;
            for (var i = 0; i < dim; i++)
            {
                v[i] = (float)(v[i] / n * r);
            }
        }
        else if (geometry == Geometry.Lorentz)
        {
            double s = 0;
            for (var i = 1; i < dim; i++)
            {
                s += (double)v[i] * v[i];
            }

            v[0] = (float)Math.Sqrt(1 + s);
        }

        return v;
    }

    [Fact]
    public async Task Payload_edits_set_overwrite_delete_and_clear()
    {
        using var tmp = new TempDir();
        var (db, col) = await NewAsync(tmp);
        await using var _ = db;
        await col.UpsertAsync([new PointStruct(1, [1, 1, 1], Json("""{"a":1,"n":{"x":1}}""")), new PointStruct(2, [2, 2, 2], Json("""{"a":2}"""))]);

        await col.SetPayloadAsync(PointSelector.ById(1), Json("""{"b":2}"""));
        Assert.Equal("""{"a":1,"n":{"x":1},"b":2}""", (await col.GetAsync(1))!.Payload!.Value.GetRawText());

        await col.SetPayloadAsync(PointSelector.ById(1), Json("""{"y":3}"""), key: "n");
        Assert.Equal("""{"a":1,"n":{"x":1,"y":3},"b":2}""", (await col.GetAsync(1))!.Payload!.Value.GetRawText());

        await col.DeletePayloadKeysAsync(PointSelector.ById(1), ["a", "n.x"]);
        Assert.Equal("""{"n":{"y":3},"b":2}""", (await col.GetAsync(1))!.Payload!.Value.GetRawText());

        await col.OverwritePayloadAsync(PointSelector.Where(Filter.Where(Condition.Match("a", 2))), Json("""{"z":true}"""));
        Assert.Equal("""{"z":true}""", (await col.GetAsync(2))!.Payload!.Value.GetRawText());

        await col.ClearPayloadAsync(PointSelector.ById(1, 2));
        Assert.Null((await col.GetAsync(1))!.Payload);
        Assert.Null((await col.GetAsync(2))!.Payload);
    }

    [Fact]
    public async Task Payload_edits_on_missing_ids_fail_and_change_nothing()
    {
        using var tmp = new TempDir();
        var (db, col) = await NewAsync(tmp);
        await using var _ = db;
        await col.UpsertAsync([new PointStruct(1, [1, 1, 1], Json("""{"a":1}"""))]);
        var e = await Assert.ThrowsAsync<PointNotFoundException>(() => col.SetPayloadAsync(PointSelector.ById(1, 2), Json("""{"b":1}""")));
        Assert.Equal(PointId.FromNumber(2), e.PointId);
        Assert.Equal("""{"a":1}""", (await col.GetAsync(1))!.Payload!.Value.GetRawText());
    }

    [Fact]
    public async Task Delete_by_ids_and_by_filter()
    {
        using var tmp = new TempDir();
        var (db, col) = await NewAsync(tmp);
        await using var _ = db;
        await col.UpsertAsync([.. Enumerable.Range(0, 20).Select(i => new PointStruct((ulong)i, [i, 0, 0], Json($$"""{"g":{{i % 4}}}""")))]);
        Assert.Equal(3, (await col.DeleteAsync(PointSelector.ById(0, 1, 500))).PointsAffected);
        var byFilter = await col.DeleteAsync(PointSelector.Where(Filter.Where(Condition.Match("g", 3))));
        Assert.Equal(5, byFilter.PointsAffected);
        Assert.Equal(13, await col.CountAsync());
        Assert.Equal(0, await col.CountAsync(Filter.Where(Condition.Match("g", 3))));
    }

    [Fact]
    public async Task Scroll_pages_through_ids_in_order_with_filters()
    {
        using var tmp = new TempDir();
        var (db, col) = await NewAsync(tmp);
        await using var _ = db;
        var rng = new Random(4);
        var ids = Enumerable.Range(0, 300).Select(_ => (ulong)rng.Next(1_000_000)).Distinct().ToList();
        await col.UpsertAsync([.. ids.Select(i => new PointStruct(i, [1, 2, 3], Json($$"""{"even":{{(i % 2 == 0 ? "true" : "false")}}}""")))]);
        await col.UpsertAsync([new PointStruct(Guid.NewGuid(), [1, 1, 1]), new PointStruct(Guid.NewGuid(), [1, 1, 1])]);

        var page = await col.ScrollAsync(new ScrollRequest { Limit = 7 });
        Assert.Equal(ids.Order().Take(7), page.Points.Select(p => p.Id.Number));
        Assert.Equal(ids.Order().ElementAt(7), page.NextOffset!.Value.Number);

        var all = new List<PointId>();
        await foreach (var r in col.ScrollAllAsync(pageSize: 13))
        {
            all.Add(r.Id);
        }

        Assert.Equal(ids.Count + 2, all.Count);
        Assert.Equal(all.Order().ToList(), all);
        Assert.True(all[^1].IsUuid && all[^2].IsUuid);

        var evens = new List<ulong>();
        await foreach (var r in col.ScrollAllAsync(Filter.Where(Condition.Match("even", true)), pageSize: 10))
        {
            evens.Add(r.Id.Number);
        }

        Assert.Equal(ids.Where(i => i % 2 == 0).Order(), evens);
    }

    [Fact]
    public async Task Payload_selectors_include_and_exclude_keys()
    {
        using var tmp = new TempDir();
        var (db, col) = await NewAsync(tmp);
        await using var _ = db;
        await col.UpsertAsync([new PointStruct(1, [1, 1, 1], Json("""{"a":1,"b":{"c":2,"d":3}}"""))]);
        Assert.Equal("""{"b":{"c":2}}""", (await col.GetAsync(1, PayloadSelector.Include("b.c")))!.Payload!.Value.GetRawText());
        Assert.Equal("""{"b":{"d":3}}""", (await col.GetAsync(1, PayloadSelector.Exclude("a", "b.c")))!.Payload!.Value.GetRawText());
        Assert.Null((await col.GetAsync(1, PayloadSelector.None))!.Payload);
    }

    [Fact]
    public async Task Catalogue_errors_are_typed()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var options = new CollectionOptions { Dimension = 2, Geometry = Geometry.Cosine };
        await db.CreateCollectionAsync("ok_name-1", options);
        await Assert.ThrowsAsync<CollectionAlreadyExistsException>(() => db.CreateCollectionAsync("ok_name-1", options));
        foreach (var bad in new[] { "", "has space", "slash/name", new string('x', 65), "dot.name", "../up" })
        {
            await Assert.ThrowsAsync<ValidationException>(() => db.CreateCollectionAsync(bad, options));
        }

        Assert.Throws<CollectionNotFoundException>(() => db.GetCollection("nope"));
        await Assert.ThrowsAsync<ValidationException>(() => db.CreateCollectionAsync("d0", new CollectionOptions { Dimension = 0, Geometry = Geometry.Euclid }));
        await Assert.ThrowsAsync<ValidationException>(() => db.CreateCollectionAsync("d1", new CollectionOptions { Dimension = 65537, Geometry = Geometry.Euclid }));
        await Assert.ThrowsAsync<ValidationException>(() => db.CreateCollectionAsync("h", new CollectionOptions { Dimension = 2, Geometry = Geometry.Poincare, Curvature = -1 }));
        Assert.Equal(["ok_name-1"], db.ListCollections());
        Assert.False(await db.DeleteCollectionAsync("nope"));
    }

    [Fact]
    public async Task A_deleted_collection_is_gone_with_its_files_and_its_handle_says_so()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("gone", new CollectionOptions { Dimension = 2, Geometry = Geometry.Euclid });
        await col.UpsertAsync([new PointStruct(1, [1, 2])]);
        Assert.True(await db.DeleteCollectionAsync("gone"));
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "collections", "gone")));
        await Assert.ThrowsAsync<CollectionNotFoundException>(() => col.UpsertAsync([new PointStruct(2, [1, 2])]));
        await Assert.ThrowsAsync<CollectionNotFoundException>(async () => await col.CountAsync());
    }

    [Fact]
    public async Task Info_reports_count_shape_and_bytes()
    {
        using var tmp = new TempDir();
        var (db, col) = await NewAsync(tmp, Geometry.Poincare, 4);
        await using var _ = db;
        await col.UpsertAsync([.. Enumerable.Range(0, 100).Select(i => new PointStruct((ulong)i, [0.1f, 0.1f, 0, 0]))]);
        var info = col.GetInfo();
        Assert.Equal(100, info.PointsCount);
        Assert.Equal(4, info.Dimension);
        Assert.Equal(Geometry.Poincare, info.Geometry);
        Assert.True(info.BytesOnDisk > 100 * 16);
        Assert.True(info.BytesInMemory > 100 * 16);
    }

    [Fact]
    public async Task A_second_process_cannot_open_a_folder_in_use()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var e = await Assert.ThrowsAsync<IOException>(() => RoseForestDatabase.OpenAsync(tmp.Path));
        Assert.Contains("in use", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Memory_collections_work_without_files()
    {
        var db = RoseForestDatabase.CreateInMemory();
        await using var _ = db;
        var col = await db.CreateCollectionAsync("m", new CollectionOptions { Dimension = 2, Geometry = Geometry.Euclid });
        Assert.Equal(Durability.Memory, col.Options.Durability);
        await col.UpsertAsync([new PointStruct(1, [1, 2])]);
        Assert.Equal(1, await col.CountAsync());
        await Assert.ThrowsAsync<ValidationException>(() => col.CheckpointAsync());
    }

    [Fact]
    public async Task A_cancelled_write_is_not_applied()
    {
        using var tmp = new TempDir();
        var (db, col) = await NewAsync(tmp);
        await using var _ = db;
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => col.UpsertAsync([new PointStruct(1, [1, 1, 1])], cancellationToken: cts.Token));
        Assert.Equal(0, await col.CountAsync());
    }
}
