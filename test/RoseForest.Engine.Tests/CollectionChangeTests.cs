using System.Text.Json;
using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>
/// Vectors added to and removed from an existing collection, and its settings changed (Qdrant's
/// create_vector_name, delete_vector_name and PATCH /collections/{name}): each is a logged write,
/// so it survives reopening from the log alone and from a snapshot plus the log after it; search
/// results are checked against brute force; refused changes log nothing.
/// </summary>
public class CollectionChangeTests
{
    private const int Dim = 4;

    private static CollectionOptions Options() => new() { Dimension = Dim, Geometry = Geometry.Euclid, Hnsw = new HnswOptions { M = 8, EfConstruct = 32 } };

    private static float[] Random(Random rng, int dim) => [.. Enumerable.Range(0, dim).Select(_ => (float)(rng.NextDouble() * 2 - 1))];

    private static async Task<Collection> ReopenCopyAsync(string from, TempDir into, Func<RoseForestDatabase, Task>? keep = null)
    {
        RecoveryTests.CopyDirectory(Path.Combine(from, "collections", "c"), Path.Combine(into.Path, "collections", "c"));
        var db = await RoseForestDatabase.OpenAsync(into.Path);
        if (keep is not null)
        {
            await keep(db);
        }

        return db.GetCollection("c");
    }

    /// <summary>Brute-force dot-product ranking of the points holding vector <paramref name="name"/>.</summary>
    private static List<ulong> DotOrder(Dictionary<ulong, float[]> stored, float[] query, int k) =>
        [.. stored.OrderByDescending(kv => kv.Value.Zip(query, (a, b) => (double)a * b).Sum()).ThenBy(kv => kv.Key).Take(k).Select(kv => kv.Key)];

    [Fact]
    public async Task A_created_vector_takes_writes_answers_searches_and_survives_the_log_and_a_snapshot()
    {
        using var tmp = new TempDir();
        using var fromLog = new TempDir();
        using var fromSnapshot = new TempDir();
        var rng = new Random(7);
        var img = new Dictionary<ulong, float[]>();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", Options());
            await col.UpsertAsync([.. Enumerable.Range(1, 50).Select(i => new PointStruct((ulong)i, Random(rng, Dim)))]);

            await col.CreateVectorAsync("img", VectorNameConfig.ForDense(new VectorParams { Size = 3, Distance = Geometry.Dot }));
            await col.CreateVectorAsync("words", VectorNameConfig.ForSparse(new SparseVectorParams { Modifier = SparseModifier.Idf }));
            Assert.Equal(["", "img"], col.Options.DenseVectors.Select(kv => kv.Key));
            Assert.Equal(SparseModifier.Idf, col.Options.SparseVectors["words"].Modifier);

            // Existing points do not have the new vector; update_vectors gives some of them one.
            Assert.Empty(await col.QueryAsync(new QueryRequest { Vector = [1, 0, 0], Using = "img", Limit = 5 }));
            var updates = new List<PointStruct>();
            for (ulong id = 1; id <= 30; id++)
            {
                img[id] = Random(rng, 3);
                updates.Add(new PointStruct(id, null) { Vectors = new Dictionary<string, VectorData> { ["img"] = new DenseVector(img[id]) } });
            }

            await col.UpdateVectorsAsync(updates);
            await col.UpsertAsync([new PointStruct(100UL, Random(rng, Dim)) { Vectors = new Dictionary<string, VectorData> { ["words"] = new SparseVector([3, 9], [1f, 2f]) } }]);
            RecoveryTests.CopyDirectory(Path.Combine(tmp.Path, "collections", "c"), Path.Combine(fromLog.Path, "collections", "c"));

            await col.CheckpointAsync();
            await col.DeleteVectorAsync("words");
            RecoveryTests.CopyDirectory(Path.Combine(tmp.Path, "collections", "c"), Path.Combine(fromSnapshot.Path, "collections", "c"));
        }

        var query = new float[] { 0.3f, -0.5f, 0.8f };
        foreach (var (folder, hasWords) in new[] { (fromLog, true), (fromSnapshot, false) })
        {
            await using var db = await RoseForestDatabase.OpenAsync(folder.Path);
            var c = db.GetCollection("c");
            Assert.Equal(hasWords, c.Recovery!.SnapshotFile is null);
            Assert.Equal(hasWords ? ["words"] : [], c.Options.SparseVectors.Keys);
            Assert.Equal(51, await c.CountAsync());
            var hits = await c.QueryAsync(new QueryRequest { Vector = query, Using = "img", Limit = 10, Exact = true });
            Assert.Equal(DotOrder(img, query, 10), hits.Select(h => h.Id.Number).ToList());
            var graph = await c.QueryAsync(new QueryRequest { Vector = query, Using = "img", Limit = 10 });
            Assert.Equal(DotOrder(img, query, 10), graph.Select(h => h.Id.Number).ToList());
            if (hasWords)
            {
                var sparse = await c.QueryAsync(new QueryRequest { Sparse = new SparseVector([9], [1f]), Using = "words", Limit = 5 });
                Assert.Equal([100UL], sparse.Select(h => h.Id.Number));
            }

            // The reopened collection keeps taking writes in its changed shape.
            await c.UpsertAsync([new PointStruct(200UL, Random(rng, Dim)) { Vectors = new Dictionary<string, VectorData> { ["img"] = new DenseVector([1, 1, 1]) } }]);
            Assert.Equal(200UL, (await c.QueryAsync(new QueryRequest { Vector = [1, 1, 1], Using = "img", Limit = 1 }))[0].Id.Number);
        }
    }

    [Fact]
    public async Task A_deleted_vector_is_gone_and_can_come_back_with_another_shape()
    {
        using var tmp = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", new CollectionOptions
            {
                NamedVectors = new Dictionary<string, VectorParams>
                {
                    ["a"] = new() { Size = 4, Distance = Geometry.Cosine },
                    ["b"] = new() { Size = 8, Distance = Geometry.Cosine },
                },
            });
            var rng = new Random(3);
            await col.UpsertAsync([.. Enumerable.Range(0, 200).Select(i => new PointStruct((ulong)i, null)
            {
                Vectors = new Dictionary<string, VectorData> { ["a"] = new DenseVector(Random(rng, 4)), ["b"] = new DenseVector(Random(rng, 8)) },
            })]);
            var graphA = col.DenseSpaceForTests("a")!.Graph!;
            Assert.Equal(200, graphA.NodeCount);

            await col.DeleteVectorAsync("a");
            await col.DeleteVectorAsync("a"); // Qdrant: nothing to delete is fine
            await col.CreateVectorAsync("a", VectorNameConfig.ForDense(new VectorParams { Size = 6, Distance = Geometry.Dot }));
            var page = await col.ScrollAsync(new ScrollRequest { Limit = 10, WithVector = VectorSelector.All });
            Assert.All(page.Points, p => Assert.Equal(["b"], p.Vectors!.Keys));
            await col.UpsertAsync([.. Enumerable.Range(0, 50).Select(i => new PointStruct((ulong)i, null)
            {
                Vectors = new Dictionary<string, VectorData> { ["a"] = new DenseVector(Random(rng, 6)), ["b"] = new DenseVector(Random(rng, 8)) },
            })]);
            Assert.Equal(50, col.DenseSpaceForTests("a")!.Graph!.NodeCount - col.DenseSpaceForTests("a")!.Graph!.DeletedCount);
        }

        await using var reopened = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = reopened.GetCollection("c");
        var all = await c.ScrollAsync(new ScrollRequest { Limit = 1000, WithVector = VectorSelector.All });
        Assert.Equal(200, all.Points.Count);
        Assert.All(all.Points, p => Assert.Equal(p.Id.Number < 50 ? 6 : -1, p.Vectors!.TryGetValue("a", out var v) ? ((DenseVector)v).Values.Length : -1));
        Assert.Equal(Geometry.Dot, c.Options.NamedVectors["a"].Distance);
    }

    [Fact]
    public async Task Refused_changes_log_nothing_and_change_nothing()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", new CollectionOptions
        {
            NamedVectors = new Dictionary<string, VectorParams> { ["a"] = new() { Size = 4, Distance = Geometry.Cosine } },
            SparseVectors = new Dictionary<string, SparseVectorParams> { ["s"] = new() },
        });
        await col.UpsertAsync([new PointStruct(1UL, null) { Vectors = new Dictionary<string, VectorData> { ["a"] = new DenseVector([1, 0, 0, 0]) } }]);
        var lsn = col.LastLsn;
        var before = Internal.CollectionConfig.Describe(col.Options);

        var dense = VectorNameConfig.ForDense(new VectorParams { Size = 4, Distance = Geometry.Cosine });
        await Assert.ThrowsAsync<ValidationException>(() => col.CreateVectorAsync("a", VectorNameConfig.ForDense(new VectorParams { Size = 5, Distance = Geometry.Cosine })));
        await Assert.ThrowsAsync<ValidationException>(() => col.CreateVectorAsync("s", dense));
        await Assert.ThrowsAsync<ValidationException>(() => col.CreateVectorAsync("a", VectorNameConfig.ForSparse(new SparseVectorParams())));
        await Assert.ThrowsAsync<ValidationException>(() => col.CreateVectorAsync("x/y", dense));
        await Assert.ThrowsAsync<ValidationException>(() => col.CreateVectorAsync("", dense));
        await Assert.ThrowsAsync<ValidationException>(() => col.CreateVectorAsync("big", VectorNameConfig.ForDense(new VectorParams { Size = 70_000, Distance = Geometry.Dot })));
        await Assert.ThrowsAsync<ValidationException>(() => col.UpdateCollectionAsync(new CollectionUpdate { Vectors = new Dictionary<string, VectorParamsUpdate> { ["nope"] = new() { OnDisk = true } } }));
        await Assert.ThrowsAsync<ValidationException>(() => col.UpdateCollectionAsync(new CollectionUpdate { SparseVectors = new Dictionary<string, SparseVectorParamsUpdate> { ["a"] = new() { Modifier = SparseModifier.Idf } } }));
        await Assert.ThrowsAsync<ValidationException>(() => col.UpdateCollectionAsync(new CollectionUpdate { Hnsw = new HnswUpdate { EfConstruct = 2 } }));
        Assert.Equal(lsn, col.LastLsn);
        Assert.Equal(before, Internal.CollectionConfig.Describe(col.Options));

        // The same vector again changes nothing but is accepted; removing every vector is refused.
        await col.CreateVectorAsync("a", dense);
        await col.DeleteVectorAsync("s");
        lsn = col.LastLsn;
        await Assert.ThrowsAsync<ValidationException>(() => col.DeleteVectorAsync("a"));
        Assert.Equal(lsn, col.LastLsn);
        Assert.Equal(["a"], col.Options.NamedVectors.Keys);
    }

    [Fact]
    public async Task Hnsw_and_quantization_changes_rebuild_the_index_and_persist()
    {
        using var tmp = new TempDir();
        using var copy = new TempDir();
        var rng = new Random(11);
        var points = Enumerable.Range(0, 1200).Select(i => new PointStruct((ulong)i, Random(rng, Dim))).ToList();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", Options());
            await col.UpsertAsync(points);
            await col.DeleteAsync(PointSelector.ById([.. Enumerable.Range(0, 100).Select(i => PointId.FromNumber((ulong)i))]));
            Assert.Equal(8, col.GraphForTests!.Parameters.M);

            await col.UpdateCollectionAsync(new CollectionUpdate { Hnsw = new HnswUpdate { M = 12, FullScanThreshold = 10 } });
            Assert.Equal(12, col.GraphForTests!.Parameters.M);
            Assert.Equal(1100, col.GraphForTests.NodeCount); // rebuilt from the live points: no tombstones
            Assert.Equal(10, col.Options.Hnsw!.FullScanThreshold);
            Assert.Equal(32, col.Options.Hnsw.EfConstruct);

            await col.UpdateCollectionAsync(new CollectionUpdate { Quantization = new QuantizationUpdate { Scalar = new QuantizationOptions { Quantile = 0.95 } } });
            Assert.NotNull(col.DenseSpaceForTests("")!.Codes);
            await col.UpdateCollectionAsync(new CollectionUpdate { Quantization = new QuantizationUpdate { Disabled = true } });
            Assert.Null(col.DenseSpaceForTests("")!.Codes);

            // m = 0: no graph, exact answers.
            await col.CheckpointAsync();
            await col.UpdateCollectionAsync(new CollectionUpdate { Vectors = new Dictionary<string, VectorParamsUpdate> { [""] = new() { Hnsw = new HnswUpdate { M = 0 } } } });
            Assert.Null(col.GraphForTests);
            await col.UpdateCollectionAsync(new CollectionUpdate { Hnsw = new HnswUpdate { M = 6, EfConstruct = 40 } });
            RecoveryTests.CopyDirectory(Path.Combine(tmp.Path, "collections", "c"), Path.Combine(copy.Path, "collections", "c"));
        }

        // Snapshot (m 12) then log (m 0, then m 6): the reopened graph has the last settings and every live point.
        await using var reopened = await RoseForestDatabase.OpenAsync(copy.Path);
        var c = reopened.GetCollection("c");
        Assert.NotNull(c.Recovery!.SnapshotFile);
        Assert.Equal(6, c.GraphForTests!.Parameters.M);
        Assert.Equal(40, c.Options.Hnsw!.EfConstruct);
        Assert.Equal(1100, c.GraphForTests.NodeCount - c.GraphForTests.DeletedCount);
        var query = Random(rng, Dim);
        var truth = points.Skip(100).OrderBy(p => p.Vector!.Zip(query, (a, b) => (double)(a - b) * (a - b)).Sum()).Take(10).Select(p => p.Id).ToList();
        var hits = await c.SearchAsync(new SearchRequest { Vector = query, Limit = 10, HnswEf = 200 });
        Assert.True(hits.Select(h => h.Id).Intersect(truth).Count() >= 9);
    }

    [Fact]
    public async Task Sparse_modifier_metadata_and_strict_mode_change_and_persist()
    {
        using var tmp = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", new CollectionOptions
            {
                SparseVectors = new Dictionary<string, SparseVectorParams> { ["s"] = new() },
                Metadata = JsonElement.Parse("""{"owner":"ann","tier":1}"""),
            });
            await col.UpsertAsync([
                new PointStruct(1UL, null) { Vectors = new Dictionary<string, VectorData> { ["s"] = new SparseVector([1, 2], [1f, 1f]) } },
                new PointStruct(2UL, null) { Vectors = new Dictionary<string, VectorData> { ["s"] = new SparseVector([1], [1f]) } },
                new PointStruct(3UL, null) { Vectors = new Dictionary<string, VectorData> { ["s"] = new SparseVector([1], [1f]) } },
            ]);
            var query = new QueryRequest { Sparse = new SparseVector([1, 2], [1f, 1f]), Using = "s", Limit = 3 };
            Assert.Equal(2.0, (await col.QueryAsync(query))[0].Score, 6);

            await col.UpdateCollectionAsync(new CollectionUpdate
            {
                SparseVectors = new Dictionary<string, SparseVectorParamsUpdate> { ["s"] = new() { Modifier = SparseModifier.Idf } },
                Metadata = JsonElement.Parse("""{"tier":null,"team":"search"}"""),
                StrictModeConfig = JsonElement.Parse("""{"enabled":true,"max_query_limit":100}"""),
            });
            await col.UpdateCollectionAsync(new CollectionUpdate { StrictModeConfig = JsonElement.Parse("""{"max_query_limit":50,"search_allow_exact":false}""") });

            // Point 1 = idf(1) + idf(2), with N = 3: idf(1) = ln(1 + 0.5/3.5), idf(2) = ln(1 + 2.5/1.5).
            var expected = Math.Log(1 + (0.5 / 3.5)) + Math.Log(1 + (2.5 / 1.5));
            Assert.Equal(expected, (await col.QueryAsync(query))[0].Score, 5);
        }

        await using var reopened = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = reopened.GetCollection("c");
        Assert.Equal(SparseModifier.Idf, c.Options.SparseVectors["s"].Modifier);
        Assert.Equal("""{"owner":"ann","team":"search"}""", JsonSerializer.Serialize(c.Options.Metadata));
        Assert.Equal("""{"enabled":true,"max_query_limit":50,"search_allow_exact":false}""", JsonSerializer.Serialize(c.Options.StrictModeConfig));
    }

    [Fact]
    public async Task Writes_racing_a_vector_change_land_under_their_own_names()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", new CollectionOptions
        {
            NamedVectors = new Dictionary<string, VectorParams> { ["m"] = new() { Size = 2, Distance = Geometry.Euclid }, ["z"] = new() { Size = 3, Distance = Geometry.Euclid } },
        });

        // "a" sorts before "m" and "z", so every write prepared before it was added has moved positions.
        var writes = Enumerable.Range(0, 40).Select(i => Task.Run(() => col.UpsertAsync([new PointStruct((ulong)i, null)
        {
            Vectors = new Dictionary<string, VectorData> { ["m"] = new DenseVector([i, 0]), ["z"] = new DenseVector([0, 0, i]) },
        }]))).ToList();
        var change = col.CreateVectorAsync("a", VectorNameConfig.ForDense(new VectorParams { Size = 5, Distance = Geometry.Dot }));
        await Task.WhenAll(writes);
        await change;

        var all = await col.ScrollAsync(new ScrollRequest { Limit = 100, WithVector = VectorSelector.All });
        Assert.Equal(40, all.Points.Count);
        foreach (var p in all.Points)
        {
            Assert.Equal(["m", "z"], p.Vectors!.Keys.Order());
            Assert.Equal([(float)p.Id.Number, 0f], ((DenseVector)p.Vectors["m"]).Values);
            Assert.Equal([0f, 0f, (float)p.Id.Number], ((DenseVector)p.Vectors["z"]).Values);
        }
    }

    [Fact]
    public async Task The_change_feed_carries_vector_and_settings_changes_to_another_collection()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var source = await db.CreateCollectionAsync("c", Options());
        var target = await db.CreateCollectionAsync("t", Options());
        await source.CreateVectorAsync("img", VectorNameConfig.ForDense(new VectorParams { Size = 2, Distance = Geometry.Dot }));
        await source.UpsertAsync([new PointStruct(1UL, [1, 2, 3, 4]) { Vectors = new Dictionary<string, VectorData> { ["img"] = new DenseVector([5, 6]) } }]);
        await source.UpdateCollectionAsync(new CollectionUpdate { Hnsw = new HnswUpdate { EfConstruct = 50 }, Metadata = JsonElement.Parse("""{"k":1}""") });
        await source.DeleteVectorAsync("img");

        var batch = await source.ReadChangesAsync(1);
        Assert.Equal(4, batch.Records.Count);
        foreach (var record in batch.Records)
        {
            await record.Operation.ApplyAsync(target);
        }

        Assert.Equal(Internal.CollectionConfig.Describe(source.Options), Internal.CollectionConfig.Describe(target.Options));
        var point = (await target.GetAsync([1UL], withVector: VectorSelector.All))[0];
        Assert.Equal([1f, 2f, 3f, 4f], point.Vector!);
    }
}
