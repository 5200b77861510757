namespace RoseForest.Server.Tests;

/// <summary>
/// Issue 10: a storage failure stops one collection, never the server. The damaged collection is
/// listed, says why on every request (503) and in its info (status red), and its owner recovers
/// it once the cause is gone, with nothing deleted.
/// </summary>
public class FaultIsolationTests
{
    [Fact]
    public async Task A_damaged_collection_answers_503_with_the_reason_while_the_others_serve_and_recovers_once_repaired()
    {
        await using var f = await ServerFixture.StartAsync();
        foreach (var name in new[] { "bad", "good" })
        {
            Assert.Equal(200, (await f.PutAsync($"collections/{name}", """{"vectors":{"size":2,"distance":"Euclid"}}""")).Status);
            Assert.Equal(200, (await f.PutAsync($"collections/{name}/points?wait=true", """{"points":[{"id":1,"vector":[1,2]},{"id":2,"vector":[3,4]}]}""")).Status);
        }

        await f.RestartAsync(); // a clean stop leaves each collection in one snapshot
        var snapshot = Directory.GetFiles(Path.Combine(f.DataPath, "collections", "bad", "checkpoints"), "*.snapshot").Single();
        var good = await File.ReadAllBytesAsync(snapshot);
        var damaged = (byte[])good.Clone();
        damaged[damaged.Length / 2] ^= 0x10;
        await File.WriteAllBytesAsync(snapshot, damaged);
        await f.RestartAsync();

        var (listStatus, list) = await f.GetAsync("collections");
        Assert.Equal(200, listStatus);
        Assert.Equal(["bad", "good"], list.GetProperty("result").GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(2, (await f.PostAsync("collections/good/points/count", "{}")).Body.GetProperty("result").GetProperty("count").GetInt32());

        var (infoStatus, info) = await f.GetAsync("collections/bad");
        Assert.Equal(200, infoStatus);
        Assert.Equal("red", info.GetProperty("result").GetProperty("status").GetString());
        Assert.Contains(snapshot, info.GetProperty("result").GetProperty("optimizer_status").GetProperty("error").GetString(), StringComparison.Ordinal);
        foreach (var (status, body) in new[]
        {
            await f.PostAsync("collections/bad/points/count", "{}"),
            await f.PutAsync("collections/bad/points?wait=true", """{"points":[{"id":3,"vector":[1,1]}]}"""),
            await f.PostAsync("collections/bad/points/query", """{"query":[1,1]}"""),
        })
        {
            Assert.Equal(503, status);
            Assert.Contains(snapshot, body.GetProperty("status").GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        Assert.True((await f.GetAsync("collections/bad/exists")).Body.GetProperty("result").GetProperty("exists").GetBoolean());
        var metrics = await f.Client.GetStringAsync("metrics");
        Assert.Contains("roseforest_collection_faulted{collection=\"bad\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("roseforest_collection_faulted{collection=\"good\"} 0", metrics, StringComparison.Ordinal);

        // Recovering before the cause is gone fails with the reason and changes nothing.
        Assert.Equal(503, (await f.PostAsync("collections/bad/recover", "{}")).Status);
        Assert.Equal(damaged, await File.ReadAllBytesAsync(snapshot));

        // Once the file is repaired, the owner reopens it: every point is back.
        await File.WriteAllBytesAsync(snapshot, good);
        var (recoverStatus, recovered) = await f.PostAsync("collections/bad/recover", "{}");
        Assert.Equal(200, recoverStatus);
        Assert.Equal(2, recovered.GetProperty("result").GetProperty("points_count").GetInt32());
        Assert.Equal("green", (await f.GetAsync("collections/bad")).Body.GetProperty("result").GetProperty("status").GetString());
        Assert.Equal(200, (await f.PutAsync("collections/bad/points?wait=true", """{"points":[{"id":3,"vector":[1,1]}]}""")).Status);
    }
}
