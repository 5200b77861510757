using System.Text.Json;
using RoseForest.Client;
using RoseForest.Core.Filters;
using RoseForest.Engine;
using RoseForest.Host;

namespace RoseForest.Server.Tests;

/// <summary>
/// Issue 11: RoseForestClient is the same IVectorDatabase as the engine. The same seeded
/// workload run through the client (against a real server) and on an embedded database gives
/// the same points, the same answers to queries, the same change feed and the same typed errors.
/// </summary>
public class ClientTests
{
    private static CollectionOptions Options => new() { Dimension = 4, Geometry = Geometry.Euclid, Hnsw = new HnswOptions { M = 8, EfConstruct = 64 } };

    [Fact]
    public async Task Batches_and_conditional_writes_give_the_same_state_through_the_client_and_embedded()
    {
        await using var f = await ServerFixture.StartAsync();
        await using IVectorDatabase remote = new RoseForestClient(new RoseForestClientOptions { BaseAddress = f.Server.BaseAddress });
        using var tmp = new TempDir();
        await using IVectorDatabase local = await RoseForestDatabase.OpenAsync(tmp.Path);
        UpdateOperation[] batch =
        [
            new UpsertOperation([new PointStruct(1, [1, 0, 0, 0], JsonElement.Parse("""{"t":"a"}""")), new PointStruct(2, [0, 1, 0, 0], JsonElement.Parse("""{"t":"b"}"""))]),
            new UpsertOperation([new PointStruct(1, [5, 5, 5, 5]), new PointStruct(3, [0, 0, 1, 0])], new UpsertOptions { Mode = UpdateMode.UpdateOnly }),
            new UpsertOperation([new PointStruct(2, [7, 7, 7, 7])], new UpsertOptions { UpdateFilter = new Filter(must: [Condition.Match("t", "a")]) }),
            new SetPayloadOperation(PointSelector.ById(2), JsonElement.Parse("""{"u":1}""")),
            new DeletePayloadOperation(PointSelector.Where(new Filter(must: [Condition.HasId(2)])), ["t"]),
            new UpdateVectorsOperation([new PointStruct(2, [0, 2, 0, 0])], new Filter(must: [Condition.Match("u", 1)])),
            new ClearPayloadOperation(PointSelector.ById(1)),
            new OverwritePayloadOperation(PointSelector.ById(1), JsonElement.Parse("""{"o":true}""")),
            new DeletePointsOperation(PointSelector.ById(99)),
        ];

        foreach (var db in new[] { remote, local })
        {
            await db.CreateCollectionAsync("c", Options);
            var results = await db.GetCollection("c").UpdateBatchAsync(batch);
            Assert.Equal(batch.Length, results.Count);
        }

        var (r, l) = (remote.GetCollection("c"), local.GetCollection("c"));
        await ChangeWorkload.AssertSameAsync(l, r);
        var two = (await l.GetAsync([2], PayloadSelector.All, VectorSelector.All))[0];
        Assert.Equal(new float[] { 0, 2, 0, 0 }, two.Vector);
        Assert.Equal("""{"u":1}""", two.Payload!.Value.GetRawText());
        Assert.Equal(new float[] { 5, 5, 5, 5 }, (await l.GetAsync([1], PayloadSelector.All, VectorSelector.All))[0].Vector);
        Assert.Equal(2, await r.CountAsync());
    }

    [Fact]
    public async Task The_client_and_the_engine_agree_on_every_call()
    {
        await using var f = await ServerFixture.StartAsync();
        await using IVectorDatabase remote = new RoseForestClient(new RoseForestClientOptions { BaseAddress = f.Server.BaseAddress });
        using var tmp = new TempDir();
        await using IVectorDatabase local = await RoseForestDatabase.OpenAsync(tmp.Path);

        foreach (var db in new[] { remote, local })
        {
            await db.CreateCollectionAsync("c", Options);
            await ChangeWorkload.RandomWritesAsync(db.GetCollection("c"), new Random(42), 200);
        }

        var (r, l) = (remote.GetCollection("c"), local.GetCollection("c"));
        await ChangeWorkload.AssertSameAsync(l, r);
        Assert.Equal(await local.ListCollectionsAsync(), await remote.ListCollectionsAsync());
        Assert.True(await remote.CollectionExistsAsync("c"));
        Assert.False(await remote.CollectionExistsAsync("nope"));

        var (ri, li) = (await remote.GetCollectionInfoAsync("c"), await local.GetCollectionInfoAsync("c"));
        Assert.Equal(li.PointsCount, ri.PointsCount);
        Assert.Equal(li.LastLsn, ri.LastLsn);
        Assert.Equal(li.Options!.Hnsw!.M, ri.Options!.Hnsw!.M);
        Assert.Equal(li.Options.Dimension, ri.Options.Dimension);

        var filter = Filter.Where(Condition.Range("i", gte: 10));
        Assert.Equal(await l.CountAsync(filter), await r.CountAsync(filter));
        var queries = new[]
        {
            new QueryRequest { Vector = [0.5f, 0.5f, 12, 1], Limit = 5, WithPayload = PayloadSelector.All, WithVector = true, Exact = true },
            new QueryRequest { Vector = [0.1f, 0.9f, 30, 1], Limit = 3, Filter = filter, Exact = true, WithPayload = PayloadSelector.Include("i") },
            new QueryRequest { Limit = 7, Offset = 2, WithPayload = PayloadSelector.Exclude("k") },
        };
        foreach (var q in queries)
        {
            AssertSameHits(await l.QueryAsync(q), await r.QueryAsync(q));
        }

        var some = (await l.ScrollAsync(new ScrollRequest { Limit = 1 })).Points[0].Id;
        AssertSameHits(await l.QueryAsync(new QueryRequest { NearestTo = some, Limit = 4, Exact = true }), await r.QueryAsync(new QueryRequest { NearestTo = some, Limit = 4, Exact = true }));
        var batch = new[] { new SearchRequest { Vector = [1, 1, 1, 1], Limit = 2, Exact = true }, new SearchRequest { Vector = [0, 0, 5, 1], Limit = 2, Exact = true } };
        var (rb, lb) = (await r.SearchBatchAsync(batch), await l.SearchBatchAsync(batch));
        for (var i = 0; i < batch.Length; i++)
        {
            AssertSameHits(lb[i], rb[i]);
        }

        // The change feed reads the same records through the client.
        var (rf, lf) = (await remote.Changes.ReadAsync("c", 1, 1000, TimeSpan.Zero), await local.Changes.ReadAsync("c", 1, 1000, TimeSpan.Zero));
        Assert.Equal(lf.Records.Select(x => x.Lsn), rf.Records.Select(x => x.Lsn));
        Assert.Equal(lf.Records.Select(x => x.Operation.GetType()), rf.Records.Select(x => x.Operation.GetType()));

        // Typed errors over the wire.
        await Assert.ThrowsAsync<CollectionNotFoundException>(() => remote.GetCollectionInfoAsync("nope"));
        await Assert.ThrowsAsync<CollectionNotFoundException>(async () => await remote.GetCollection("nope").CountAsync());
        await Assert.ThrowsAsync<PointNotFoundException>(() => r.SetPayloadAsync(PointSelector.ById(999_999), JsonElement.Parse("{}")));
        await Assert.ThrowsAsync<ValidationException>(() => r.UpsertAsync([new PointStruct(1, [1, 2])]));
        await Assert.ThrowsAsync<CollectionAlreadyExistsException>(() => local.CreateCollectionAsync("c", Options));
        await Assert.ThrowsAsync<CollectionAlreadyExistsException>(() => remote.CreateCollectionAsync("c", Options));
    }

    [Fact]
    public async Task Snapshots_round_trip_through_the_client_download_and_upload()
    {
        await using var f = await ServerFixture.StartAsync();
        await using IVectorDatabase remote = new RoseForestClient(new RoseForestClientOptions { BaseAddress = f.Server.BaseAddress });
        await remote.CreateCollectionAsync("c", Options);
        await ChangeWorkload.RandomWritesAsync(remote.GetCollection("c"), new Random(5), 80);
        var s = await remote.Snapshots.CreateAsync("c");
        Assert.Equal(s, Assert.Single(await remote.Snapshots.ListAsync("c")));

        using var copy = new MemoryStream();
        await using (var download = await remote.Snapshots.OpenAsync("c", s.Name))
        {
            await download.CopyToAsync(copy);
        }

        Assert.Equal(s.Size, copy.Length);
        copy.Position = 0;
        await remote.Snapshots.RestoreAsync("uploaded", copy, s.Checksum);
        await remote.Snapshots.RestoreFromCatalogAsync("by-name", s.Name);
        await ChangeWorkload.AssertSameAsync(remote.GetCollection("c"), remote.GetCollection("uploaded"));
        await ChangeWorkload.AssertSameAsync(remote.GetCollection("c"), remote.GetCollection("by-name"));
        Assert.True(await remote.Snapshots.DeleteAsync("c", s.Name));
        await Assert.ThrowsAsync<NotFoundException>(() => remote.Snapshots.OpenAsync("c", s.Name));
    }

    private static void AssertSameHits(IReadOnlyList<ScoredPoint> expected, IReadOnlyList<ScoredPoint> actual)
    {
        Assert.Equal(expected.Select(h => h.Id), actual.Select(h => h.Id));
        Assert.Equal(expected.Select(h => h.Score), actual.Select(h => h.Score));
        Assert.Equal(expected.Select(h => h.Payload?.GetRawText() ?? "{}"), actual.Select(h => h.Payload?.GetRawText() ?? "{}"));
        Assert.Equal(expected.Select(h => h.Vector is null ? "-" : string.Join(",", h.Vector)), actual.Select(h => h.Vector is null ? "-" : string.Join(",", h.Vector)));
    }
}
