using System.Collections.Concurrent;
using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

public class ConcurrencyTests
{
    [Theory]
    [InlineData(Durability.Sync)]
    [InlineData(Durability.Buffered)]
    [InlineData(Durability.Memory)]
    public async Task Readers_see_whole_batches_while_writers_run(Durability durability)
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", new CollectionOptions { Dimension = 8, Geometry = Geometry.Euclid, Durability = durability });
        const int writers = 4, batchesPerWriter = 60, batchSize = 25;
        var stop = new CancellationTokenSource();
        var violations = new ConcurrentBag<string>();
        var lsns = new ConcurrentBag<long>();

        // Each batch rewrites the same 25 ids with one "gen" value; a reader must never see two gens at once.
        var writerTasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < batchesPerWriter; b++)
            {
                var gen = (w * 1000) + b;
                var batch = Enumerable.Range(0, batchSize)
                    .Select(i => new PointStruct((ulong)((w * 100) + i), [.. Enumerable.Repeat((float)gen, 8)], JsonSerializer.SerializeToElement(new { w, gen })))
                    .ToArray();
                lsns.Add((await col.UpsertAsync(batch)).OperationId);
            }
        })).ToArray();

        var readerTasks = Enumerable.Range(0, 3).Select(r => Task.Run(async () =>
        {
            var rng = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                var w = rng.Next(writers);
                var page = await col.ScrollAsync(new ScrollRequest { Limit = 1000, Filter = Filter.Where(Condition.Match("w", w)) });
                var gens = page.Points.Select(p => p.Payload!.Value.GetProperty("gen").GetInt32()).Distinct().ToList();
                if (gens.Count > 1 || (page.Points.Count != 0 && page.Points.Count != batchSize))
                {
                    violations.Add($"writer {w}: {page.Points.Count} points with gens {string.Join(",", gens)}");
                }

                var hits = await col.SearchAsync(new SearchRequest { Vector = new float[8], Limit = 200, Filter = Filter.Where(Condition.Match("w", w)), WithPayload = true });
                var hitGens = hits.Select(h => h.Payload!.Value.GetProperty("gen").GetInt32()).Distinct().Count();
                if (hitGens > 1)
                {
                    violations.Add($"search saw {hitGens} generations of writer {w}");
                }

                // Reads complete synchronously; yield so spinning readers do not starve the pool.
                await Task.Yield();
            }
        })).ToArray();

        await Task.WhenAll(writerTasks);
        await stop.CancelAsync();
        await Task.WhenAll(readerTasks);

        Assert.Empty(violations);
        Assert.Equal(writers * batchesPerWriter, lsns.Distinct().Count());
        Assert.Equal(writers * batchSize, await col.CountAsync());
        for (var w = 0; w < writers; w++)
        {
            var last = (w * 1000) + batchesPerWriter - 1;
            Assert.Equal(batchSize, await col.CountAsync(Filter.Where(Condition.Match("gen", last))));
        }
    }

    [Fact]
    public async Task Writes_apply_in_lsn_order()
    {
        var db = RoseForestDatabase.CreateInMemory();
        await using var _ = db;
        var col = await db.CreateCollectionAsync("c", new CollectionOptions { Dimension = 1, Geometry = Geometry.Euclid });
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => col.UpsertAsync([new PointStruct(1, [i])])));

        // The surviving value is the one with the highest LSN.
        var winner = Array.IndexOf(results, results.MaxBy(r => r.OperationId));
        Assert.Equal(new float[] { winner }, (await col.GetAsync(1))!.Vector);
        Assert.Equal(results.Max(r => r.OperationId), (await col.GetAsync(1))!.Version);
    }
}
