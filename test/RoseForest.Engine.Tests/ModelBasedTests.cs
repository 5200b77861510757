using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Core.Filters;
using RoseForest.Engine;
using Xunit.Abstractions;

namespace RoseForest.Engine.Tests;

/// <summary>
/// Random operations applied both to the database and to a plain dictionary, compared after
/// every step: upserts, deletes by id and filter, payload edits, snapshots, clean reopens and
/// crash reopens (the files as they stood before close). The seed is printed on failure.
/// </summary>
public class ModelBasedTests(ITestOutputHelper output)
{
    private const int Dim = 3;
    private static readonly Guid[] Uuids = [.. Enumerable.Range(0, 8).Select(i => new Guid(i + 1, 0, 0, [0, 0, 0, 0, 0, 0, 0, (byte)i]))];

    [Theory]
    [InlineData(20260101, Durability.Buffered, 3000)]
    [InlineData(424242, Durability.Sync, 1500)]
    public async Task Random_operations_match_a_dictionary_model(int seed, Durability durability, int steps)
    {
        var step = 0;
        var lastOp = "";
        try
        {
            await RunAsync(seed, durability, steps, (s, op) => (step, lastOp) = (s, op));
        }
        catch (Exception e)
        {
            output.WriteLine($"model-based test failed: seed={seed} durability={durability} step={step} op={lastOp}");
            throw new Xunit.Sdk.XunitException($"seed={seed} durability={durability} step={step} op={lastOp}: {e.Message}\n{e}");
        }
    }

    private static async Task RunAsync(int seed, Durability durability, int steps, Action<int, string> progress)
    {
        var rng = new Random(seed);
        using var tmp = new TempDir();
        var model = new Dictionary<PointId, (float[] Vector, JsonObject? Payload)>();
        var options = new CollectionOptions { Dimension = Dim, Geometry = Geometry.Euclid, Durability = durability, WalSegmentBytes = 8192, CheckpointWalBytes = 32 * 1024 };
        var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("m", options);
        try
        {
            for (var step = 0; step < steps; step++)
            {
                var dice = rng.Next(100);
                string op;
                if (dice < 35)
                {
                    var batch = Enumerable.Range(0, rng.Next(1, 6)).Select(_ => new PointStruct(RandomId(rng), RandomVector(rng), RandomPayload(rng))).ToArray();
                    op = $"upsert {string.Join(",", batch.Select(p => p.Id))}";
                    progress(step, op);
                    await col.UpsertAsync(batch);
                    foreach (var p in batch)
                    {
                        model[p.Id] = (p.Vector!, p.Payload is { } e ? (JsonObject)JsonNode.Parse(e.GetRawText())! : null);
                    }
                }
                else if (dice < 45)
                {
                    var ids = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => RandomId(rng)).ToArray();
                    op = $"delete {string.Join(",", ids)}";
                    progress(step, op);
                    await col.DeleteAsync(PointSelector.ById(ids));
                    foreach (var id in ids)
                    {
                        model.Remove(id);
                    }
                }
                else if (dice < 50)
                {
                    var a = rng.Next(4);
                    op = $"delete where a={a}";
                    progress(step, op);
                    await col.DeleteAsync(PointSelector.Where(Filter.Where(Condition.Match("a", a))));
                    foreach (var id in model.Where(kv => (kv.Value.Payload?["a"] as JsonValue)?.GetValue<long>() == a).Select(kv => kv.Key).ToList())
                    {
                        model.Remove(id);
                    }
                }
                else if (dice < 70)
                {
                    op = await PayloadEditAsync(rng, col, model, s => progress(step, s));
                }
                else if (dice < 73)
                {
                    op = "snapshot";
                    progress(step, op);
                    await col.CheckpointAsync();
                }
                else if (dice < 76)
                {
                    op = "reopen";
                    progress(step, op);
                    await db.DisposeAsync();
                    db = await RoseForestDatabase.OpenAsync(tmp.Path);
                    col = db.GetCollection("m");
                }
                else if (dice < 78)
                {
                    op = "crash-reopen";
                    progress(step, op);
                    // The files as a process crash leaves them (buffered writes are in the OS, so
                    // a process crash keeps them too): copied while open, before any close work.
                    var crashCopy = tmp.Path + "-crash";
                    RecoveryTests.CopyDirectory(tmp.Path, crashCopy);
                    await db.DisposeAsync();
                    Directory.Delete(tmp.Path, true);
                    Directory.Move(crashCopy, tmp.Path);
                    db = await RoseForestDatabase.OpenAsync(tmp.Path);
                    col = db.GetCollection("m");
                }
                else
                {
                    op = "search";
                    progress(step, op);
                    await CheckSearchAsync(rng, col, model);
                }

                await CompareAsync(col, model);
            }
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    private static async Task<string> PayloadEditAsync(Random rng, Collection col, Dictionary<PointId, (float[] Vector, JsonObject? Payload)> model, Action<string> progress)
    {
        var existing = model.Keys.ToList();
        var ids = existing.Count == 0 || rng.Next(10) == 0
            ? [RandomId(rng)]
            : Enumerable.Range(0, rng.Next(1, 3)).Select(_ => existing[rng.Next(existing.Count)]).Distinct().ToArray();
        var allExist = ids.All(model.ContainsKey);
        var kind = rng.Next(4);
        var patch = (JsonObject)JsonNode.Parse($$"""{"a":{{rng.Next(4)}},"k{{rng.Next(3)}}":{{rng.Next(100)}}}""")!;
        var op = $"payload-edit kind={kind} ids={string.Join(",", ids)} exist={allExist}";
        progress(op);
        Func<Task> call = kind switch
        {
            0 => () => col.SetPayloadAsync(PointSelector.ById(ids), JsonSerializer.SerializeToElement(patch)),
            1 => () => col.OverwritePayloadAsync(PointSelector.ById(ids), JsonSerializer.SerializeToElement(patch)),
            2 => () => col.DeletePayloadKeysAsync(PointSelector.ById(ids), ["a", "n.x"]),
            _ => () => col.ClearPayloadAsync(PointSelector.ById(ids)),
        };

        if (!allExist)
        {
            await Assert.ThrowsAsync<PointNotFoundException>(call);
            return op;
        }

        await call();
        foreach (var id in ids)
        {
            var (vector, payload) = model[id];
            switch (kind)
            {
                case 0:
                    payload ??= [];
                    foreach (var (k, v) in patch)
                    {
                        payload[k] = v?.DeepClone();
                    }

                    break;
                case 1:
                    payload = (JsonObject)patch.DeepClone();
                    break;
                case 2:
                    payload?.Remove("a");
                    (payload?["n"] as JsonObject)?.Remove("x");
                    break;
                default:
                    payload = null;
                    break;
            }

            model[id] = (vector, payload);
        }

        return op;
    }

    private static async Task CompareAsync(Collection col, Dictionary<PointId, (float[] Vector, JsonObject? Payload)> model)
    {
        var actual = new List<RoseForest.Contracts.Record>();
        await foreach (var r in col.ScrollAllAsync(pageSize: 17, withVector: true))
        {
            actual.Add(r);
        }

        Assert.Equal(model.Keys.Order().ToList(), actual.Select(r => r.Id).ToList());
        foreach (var r in actual)
        {
            var (vector, payload) = model[r.Id];
            Assert.Equal(vector, r.Vector);
            var stored = r.Payload is { } p ? JsonNode.Parse(p.GetRawText()) : null;
            Assert.True(JsonNode.DeepEquals(payload, stored), $"payload of {r.Id}: model {payload?.ToJsonString()} vs stored {stored?.ToJsonString()}");
        }

        Assert.Equal(model.Count, await col.CountAsync());
    }

    private static async Task CheckSearchAsync(Random rng, Collection col, Dictionary<PointId, (float[] Vector, JsonObject? Payload)> model)
    {
        var q = RandomVector(rng);
        var expected = model
            .Select(kv => (Id: kv.Key, D: Math.Sqrt(kv.Value.Vector.Zip(q, (a, b) => ((double)a - b) * ((double)a - b)).Sum())))
            .OrderBy(x => x.D).ThenBy(x => x.Id).Take(5).Select(x => x.Id).ToList();
        var hits = await col.SearchAsync(new SearchRequest { Vector = q, Limit = 5 });
        Assert.Equal(expected, hits.Select(h => h.Id).ToList());
    }

    private static PointId RandomId(Random rng) => rng.Next(10) == 0 ? PointId.FromUuid(Uuids[rng.Next(Uuids.Length)]) : PointId.FromNumber((ulong)rng.Next(60));

    private static float[] RandomVector(Random rng) => [.. Enumerable.Range(0, Dim).Select(_ => (float)Math.Round((rng.NextDouble() * 20) - 10, 2))];

    private static JsonElement? RandomPayload(Random rng) => rng.Next(4) switch
    {
        0 => null,
        1 => JsonElement.Parse($$"""{"a":{{rng.Next(4)}}}"""),
        2 => JsonElement.Parse($$"""{"a":{{rng.Next(4)}},"n":{"x":{{rng.Next(9)}},"y":[1,2]},"tags":["t{{rng.Next(3)}}"]}"""),
        _ => JsonElement.Parse($$"""{"k0":"v{{rng.Next(5)}}","a":{{rng.Next(4)}}}"""),
    };
}
