using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>
/// HNSW inside collections: recall floors against exact search (the collection's own exact
/// mode, itself checked against brute force elsewhere), in every geometry, across snapshot and
/// reopen, after deletes, and with filters.
/// </summary>
public class HnswCollectionTests
{
    private const double MinRecall = 0.95;
    private const double MaxRecallDrop = 0.01;
    private const int Dim = 24;

    private static CollectionOptions Indexed(Geometry geometry, Durability durability = Durability.Sync, int dim = Dim) => new()
    {
        Dimension = dim,
        Geometry = geometry,
        Durability = durability,

        // Always use the graph in these tests (the default would scan collections this small).
        Hnsw = new HnswOptions { M = 12, EfConstruct = 100, FullScanThreshold = 0, Ef = 64 },
    };

    private static async Task UpsertAllAsync(Collection col, float[][] data, int offset = 0)
    {
        for (var i = 0; i < data.Length; i += 500)
        {
            await col.UpsertAsync([.. Enumerable.Range(i, Math.Min(500, data.Length - i)).Select(j => new PointStruct((ulong)(j + offset), data[j], JsonSerializer.SerializeToElement(new { label = j % 10, bucket = j % 100 })))]);
        }
    }

    private static async Task<double> RecallAsync(Collection col, float[][] queries, Filter? filter = null, int k = 10)
    {
        double total = 0;
        foreach (var q in queries)
        {
            var truth = await col.SearchAsync(new SearchRequest { Vector = q, Limit = k, Filter = filter, Exact = true });
            var found = await col.SearchAsync(new SearchRequest { Vector = q, Limit = k, Filter = filter });
            var set = truth.Select(t => t.Id).ToHashSet();
            total += truth.Count == 0 ? 1 : (double)found.Count(f => set.Contains(f.Id)) / truth.Count;
        }

        return total / queries.Length;
    }

    [Theory]
    [InlineData(Geometry.Euclid)]
    [InlineData(Geometry.Cosine)]
    [InlineData(Geometry.Dot)]
    [InlineData(Geometry.Manhattan)]
    [InlineData(Geometry.Poincare)]
    [InlineData(Geometry.Lorentz)]
    public async Task Recall_meets_the_floor_in_every_geometry_and_survives_snapshot_and_reopen(Geometry geometry)
    {
        using var tmp = new TempDir();
        var dim = geometry == Geometry.Lorentz ? Dim + 1 : Dim;
        var data = EmbeddingLikeData.For(geometry, EmbeddingLikeData.Clustered(3000, Dim, seed: 11));
        var queries = EmbeddingLikeData.For(geometry, EmbeddingLikeData.Clustered(60, Dim, seed: 12));
        double before;
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("h", Indexed(geometry, dim: dim));
            await UpsertAllAsync(col, data);
            before = await RecallAsync(col, queries);
            Assert.True(before >= MinRecall, $"{geometry}: recall {before}");
        }

        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = db.GetCollection("h");
            Assert.NotNull(col.Recovery!.SnapshotFile);
            Assert.Equal(0, col.Recovery.PointsIndexed); // the graph came back from the snapshot, no rebuild
            var after = await RecallAsync(col, queries);
            Assert.True(after >= before - MaxRecallDrop, $"{geometry}: recall {after} after reopen, {before} before");
        }
    }

    [Fact]
    public async Task Log_replay_indexes_only_the_tail_after_the_snapshot()
    {
        using var tmp = new TempDir();
        using var crashed = new TempDir();
        var data = EmbeddingLikeData.Clustered(2500, Dim, seed: 13);
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("h", Indexed(Geometry.Euclid));
            await UpsertAllAsync(col, data[..2000]);
            await col.CheckpointAsync();
            await UpsertAllAsync(col, data[2000..], offset: 2000);
            await col.DeleteAsync(PointSelector.ById(5, 6, 2001));
            RecoveryTests.CopyDirectory(tmp.Path, crashed.Path);
        }

        await using var reopened = await RoseForestDatabase.OpenAsync(crashed.Path);
        var c = reopened.GetCollection("h");
        Assert.Equal(499, c.Recovery!.PointsIndexed);
        Assert.Equal(2497, await c.CountAsync());
        Assert.True(await RecallAsync(c, EmbeddingLikeData.Clustered(40, Dim, seed: 14)) >= MinRecall);
    }

    [Fact]
    public async Task Deleting_30_percent_keeps_recall_within_a_point_of_a_fresh_index_and_nothing_unreachable()
    {
        var data = EmbeddingLikeData.Clustered(4000, Dim, seed: 15);
        var queries = EmbeddingLikeData.Clustered(80, Dim, seed: 16);
        var db = RoseForestDatabase.CreateInMemory();
        await using var _ = db;
        var col = await db.CreateCollectionAsync("h", Indexed(Geometry.Euclid, Durability.Memory));
        await UpsertAllAsync(col, data);
        var rng = new Random(17);
        var doomed = Enumerable.Range(0, data.Length).OrderBy(_ => rng.Next()).Take(data.Length * 3 / 10).ToList();
        foreach (var chunk in doomed.Chunk(100))
        {
            await col.DeleteAsync(PointSelector.ById([.. chunk.Select(d => PointId.FromNumber((ulong)d))]));
        }

        var graph = col.GraphForTests!;
        Assert.True(graph.DeletedCount < data.Length / 10, "consolidation should have run");
        Assert.Empty(graph.FindUnreachable());

        var fresh = await db.CreateCollectionAsync("fresh", Indexed(Geometry.Euclid, Durability.Memory));
        var survivors = Enumerable.Range(0, data.Length).Except(doomed).ToArray();
        await fresh.UpsertAsync([.. survivors.Select(s => new PointStruct((ulong)s, data[s]))]);

        var afterDeletes = await RecallAsync(col, queries);
        var rebuilt = await RecallAsync(fresh, queries);
        Assert.True(afterDeletes >= rebuilt - MaxRecallDrop, $"after deletes {afterDeletes}, fresh {rebuilt}");
        foreach (var q in queries)
        {
            var hits = await col.SearchAsync(new SearchRequest { Vector = q, Limit = 10 });
            Assert.DoesNotContain(hits, h => doomed.Contains((int)h.Id.Number));
        }

        // Freed slots are reused: new points land in them and are found.
        await col.UpsertAsync([.. doomed.Take(200).Select(d => new PointStruct((ulong)(100_000 + d), data[d]))]);
        var again = await col.SearchAsync(new SearchRequest { Vector = data[doomed[0]], Limit = 1 });
        Assert.Equal((ulong)(100_000 + doomed[0]), again[0].Id.Number);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(50)]
    [InlineData(90)]
    public async Task Filtered_search_recall_holds_across_selectivities(int percent)
    {
        var data = EmbeddingLikeData.Clustered(5000, Dim, seed: 18);
        var queries = EmbeddingLikeData.Clustered(50, Dim, seed: 19);
        var db = RoseForestDatabase.CreateInMemory();
        await using var _ = db;

        // Default settings (only the threshold scaled to this small data set: 100 points of 24-d).
        var col = await db.CreateCollectionAsync("f", new CollectionOptions { Dimension = Dim, Geometry = Geometry.Euclid, Hnsw = new HnswOptions { FullScanThreshold = 10 } });
        await UpsertAllAsync(col, data);
        var filter = Filter.Where(Condition.Range("bucket", lt: percent));
        var recall = await RecallAsync(col, queries, filter);
        Assert.True(recall >= MinRecall, $"{percent}%: recall {recall}");
    }

    [Fact]
    public async Task A_filtered_search_returns_k_results_whenever_k_points_match()
    {
        var data = EmbeddingLikeData.Clustered(3000, Dim, seed: 20);
        var db = RoseForestDatabase.CreateInMemory();
        await using var _ = db;
        var col = await db.CreateCollectionAsync("f", Indexed(Geometry.Euclid, Durability.Memory));
        await UpsertAllAsync(col, data);

        // Exactly 12 points match, scattered; the graph walk alone could miss some.
        var few = Filter.Where(Condition.HasId([.. Enumerable.Range(0, 12).Select(i => PointId.FromNumber((ulong)(i * 250)))]));
        foreach (var q in EmbeddingLikeData.Clustered(20, Dim, seed: 21))
        {
            Assert.Equal(10, (await col.SearchAsync(new SearchRequest { Vector = q, Limit = 10, Filter = few })).Count);
            Assert.Equal(12, (await col.SearchAsync(new SearchRequest { Vector = q, Limit = 50, Filter = few })).Count);
        }
    }

    [Fact]
    public async Task Exact_requests_and_tiny_collections_are_exact()
    {
        var db = RoseForestDatabase.CreateInMemory();
        await using var _ = db;
        var col = await db.CreateCollectionAsync("t", Indexed(Geometry.Euclid, Durability.Memory, dim: 2));
        Assert.Empty(await col.SearchAsync(new SearchRequest { Vector = [0, 0] }));
        await col.UpsertAsync([new PointStruct(1, [1, 1])]);
        Assert.Single(await col.SearchAsync(new SearchRequest { Vector = [0, 0], Limit = 5 }));
        await col.UpsertAsync([.. Enumerable.Range(2, 300).Select(i => new PointStruct((ulong)i, [i, -i]))]);
        var exact = await col.SearchAsync(new SearchRequest { Vector = [150, -150], Limit = 3, Exact = true });
        Assert.Equal([150UL, 149UL, 151UL], exact.Select(h => h.Id.Number));
    }

    [Theory]
    [InlineData(Geometry.Euclid)]
    [InlineData(Geometry.Cosine)]
    [InlineData(Geometry.Dot)]
    [InlineData(Geometry.Manhattan)]
    [InlineData(Geometry.Poincare)]
    public async Task Int8_quantization_keeps_recall_and_comes_back_after_reopen(Geometry geometry)
    {
        using var tmp = new TempDir();
        var data = EmbeddingLikeData.For(geometry, EmbeddingLikeData.Clustered(3000, Dim, seed: 22));
        var queries = EmbeddingLikeData.For(geometry, EmbeddingLikeData.Clustered(60, Dim, seed: 23));
        var options = new CollectionOptions
        {
            Dimension = Dim,
            Geometry = geometry,
            Hnsw = new HnswOptions { M = 12, EfConstruct = 100, FullScanThreshold = 0, Ef = 64 },
            Quantization = new QuantizationOptions(),
        };
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("q", options);
            await UpsertAllAsync(col, data);
            Assert.True(col.GetInfo().BytesInMemory > 0);
            var recall = await RecallAsync(col, queries);
            Assert.True(recall >= MinRecall, $"{geometry} int8: recall {recall}");
        }

        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = db.GetCollection("q");
            Assert.NotNull(col.Options.Quantization);
            var recall = await RecallAsync(col, queries);
            Assert.True(recall >= MinRecall, $"{geometry} int8 after reopen: recall {recall}");
        }
    }

    [Fact]
    public async Task Quantized_search_without_rescoring_ranks_by_codes_and_ignore_uses_floats()
    {
        var db = RoseForestDatabase.CreateInMemory();
        await using var _ = db;
        var col = await db.CreateCollectionAsync("q", new CollectionOptions
        {
            Dimension = Dim,
            Geometry = Geometry.Euclid,
            Hnsw = new HnswOptions { FullScanThreshold = 0 },
            Quantization = new QuantizationOptions { Quantile = 1.0 },
        });
        await UpsertAllAsync(col, EmbeddingLikeData.Clustered(2000, Dim, seed: 24));
        var q = EmbeddingLikeData.Clustered(1, Dim, seed: 25)[0];
        var exact = await col.SearchAsync(new SearchRequest { Vector = q, Limit = 10, Exact = true });
        var ignored = await col.SearchAsync(new SearchRequest { Vector = q, Limit = 10, Quantization = new QuantizationSearchParams { Ignore = true } });
        var raw = await col.SearchAsync(new SearchRequest { Vector = q, Limit = 10, Quantization = new QuantizationSearchParams { Rescore = false } });
        Assert.Equal(10, raw.Count);
        Assert.True(exact.Select(e => e.Id).Intersect(ignored.Select(i => i.Id)).Count() >= 9);
        Assert.True(exact.Select(e => e.Id).Intersect(raw.Select(r => r.Id)).Count() >= 7);
    }

    [Theory]
    [InlineData(Geometry.Euclid)]
    [InlineData(Geometry.Cosine)]
    public async Task Projected_int8_codes_keep_recall_report_exact_scores_and_come_back_after_reopen(Geometry geometry)
    {
        using var tmp = new TempDir();

        // Embedding-like data lies near an 8-d subspace: 10 principal components hold it.
        var data = EmbeddingLikeData.Clustered(3000, Dim, seed: 32);
        var queries = EmbeddingLikeData.Clustered(60, Dim, seed: 33);
        var options = new CollectionOptions
        {
            Dimension = Dim,
            Geometry = geometry,
            Hnsw = new HnswOptions { M = 12, EfConstruct = 100, FullScanThreshold = 0, Ef = 64 },
            Quantization = new QuantizationOptions { ProjectionRank = 10 },
        };
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("p", options);
            await UpsertAllAsync(col, data);
            var recall = await RecallAsync(col, queries);
            Assert.True(recall >= MinRecall, $"{geometry} projected: recall {recall}");

            // Scores are the exact ones even when the request asks for no re-rank.
            foreach (var q in queries.Take(10))
            {
                var raw = await col.SearchAsync(new SearchRequest { Vector = q, Limit = 10, Quantization = new QuantizationSearchParams { Rescore = false } });
                var exact = (await col.SearchAsync(new SearchRequest { Vector = q, Limit = 100, Exact = true })).ToDictionary(h => h.Id, h => h.Score);
                Assert.Equal(10, raw.Count);
                foreach (var hit in raw.Where(h => exact.ContainsKey(h.Id)))
                {
                    Assert.Equal(exact[hit.Id], hit.Score, 4);
                }
            }
        }

        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = db.GetCollection("p");
            Assert.Equal(10, col.Options.Quantization?.ProjectionRank);
            var recall = await RecallAsync(col, queries);
            Assert.True(recall >= MinRecall, $"{geometry} projected after reopen: recall {recall}");
        }
    }

    [Theory]
    [InlineData(Geometry.Manhattan, 8)]
    [InlineData(Geometry.Dot, 8)]
    [InlineData(Geometry.Poincare, 8)]
    [InlineData(Geometry.Euclid, Dim)]
    [InlineData(Geometry.Euclid, 0)]
    public async Task A_projection_rank_is_refused_outside_euclid_and_cosine_or_not_below_the_dimension(Geometry geometry, int rank)
    {
        var db = RoseForestDatabase.CreateInMemory();
        await using var _ = db;
        var e = await Assert.ThrowsAsync<ValidationException>(() => db.CreateCollectionAsync("p", new CollectionOptions { Dimension = Dim, Geometry = geometry, Quantization = new QuantizationOptions { ProjectionRank = rank } }));
        Assert.Equal("quantization_config.scalar.projection_rank", e.Field);
    }

    [Fact]
    public async Task Lorentz_collections_refuse_int8_quantization()
    {
        var db = RoseForestDatabase.CreateInMemory();
        await using var _ = db;
        var e = await Assert.ThrowsAsync<ValidationException>(() => db.CreateCollectionAsync("l", new CollectionOptions { Dimension = 3, Geometry = Geometry.Lorentz, Quantization = new QuantizationOptions() }));
        Assert.Equal("quantization_config", e.Field);
    }
}
