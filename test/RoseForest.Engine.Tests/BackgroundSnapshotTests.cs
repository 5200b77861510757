using System.Text.Json;
using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>
/// Snapshots are written in the background while writes go on. Replacing and deleting points
/// during a snapshot frees slots the snapshot may still be reading; those must not be reused
/// until it is done, or the snapshot would record another point's vector. A snapshot must be
/// exact on its own (restoring one carries no log), so each is opened alone and compared with
/// the state at its LSN.
/// </summary>
public class BackgroundSnapshotTests
{
    private const int N = 20_000;
    private const int Dim = 64;

    [Fact]
    public async Task A_snapshot_taken_during_writes_holds_exactly_the_state_at_its_lsn()
    {
        using var tmp = new TempDir();
        var history = new List<(long Lsn, ulong[] Ids, float? Value)>();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", new CollectionOptions { Dimension = Dim, Geometry = Geometry.Euclid, Durability = Durability.Buffered });
        for (var i = 0; i < N; i += 1000)
        {
            var ids = Enumerable.Range(i, 1000).Select(j => (ulong)j).ToArray();
            var r = await col.UpsertAsync([.. ids.Select(id => Point(id, id))]);
            history.Add((r.OperationId, ids, null)); // value null: each point's value is its id
        }

        var rng = new Random(99);
        for (var round = 0; round < 4; round++)
        {
            var snapshot = col.CheckpointFileAsync(CancellationToken.None);

            // Churn while it runs: delete some points, insert new ids into the freed slots, replace others.
            var writes = new List<Task<(UpdateResult, ulong[], float?)>>();
            for (var w = 0; w < 40; w++)
            {
                var doomed = Enumerable.Range(0, 40).Select(_ => (ulong)rng.Next(N)).Distinct().ToArray();
                var fresh = Enumerable.Range(0, 40).Select(k => (ulong)(N + (round * 100_000) + (w * 100) + k)).ToArray();
                var value = (round * 1_000_000f) + (w * 1000);
                writes.Add(Track(col.DeleteAsync(PointSelector.ById([.. doomed.Select(PointId.FromNumber)])), doomed, float.NaN));
                writes.Add(Track(col.UpsertAsync([.. fresh.Select(id => Point(id, value))]), fresh, value));
            }

            foreach (var (result, ids, value) in await Task.WhenAll(writes))
            {
                history.Add((result.OperationId, ids, value));
            }

            var info = await snapshot;
            await AssertSnapshotAloneMatchesAsync(info, history);
        }
    }

    private static async Task<(UpdateResult, ulong[], float?)> Track(Task<UpdateResult> write, ulong[] ids, float? value) => (await write, ids, value);

    private static async Task AssertSnapshotAloneMatchesAsync(RoseForest.Engine.Internal.CheckpointInfo info, List<(long Lsn, ulong[] Ids, float? Value)> history)
    {
        // The state at the snapshot's LSN, from the write history.
        var expected = new Dictionary<ulong, float>();
        foreach (var (lsn, ids, value) in history.OrderBy(h => h.Lsn))
        {
            if (lsn > info.Lsn)
            {
                break;
            }

            foreach (var id in ids)
            {
                if (value is float.NaN)
                {
                    expected.Remove(id);
                }
                else
                {
                    expected[id] = value ?? id;
                }
            }
        }

        // A database folder holding only the snapshot: no log to repair it.
        using var alone = new TempDir();
        var folder = Path.Combine(alone.Path, "collections", "c");
        Directory.CreateDirectory(Path.Combine(folder, "checkpoints"));
        File.Copy(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(info.Path)!)!, "collection.json"), Path.Combine(folder, "collection.json"));
        File.Copy(info.Path, Path.Combine(folder, "checkpoints", info.Name));

        await using var db = await RoseForestDatabase.OpenAsync(alone.Path);
        var col = db.GetCollection("c");
        Assert.Equal(info.Lsn, col.Recovery!.SnapshotLsn);
        Assert.Equal(expected.Count, await col.CountAsync());
        await foreach (var r in col.ScrollAllAsync(pageSize: 5000, withVector: true))
        {
            var want = expected[r.Id.Number];
            Assert.True(r.Vector!.All(x => x == want), $"snapshot at LSN {info.Lsn}: point {r.Id} has {r.Vector![0]}, expected {want}");
            Assert.Equal(want, r.Payload!.Value.GetProperty("v").GetSingle());
        }
    }

    private static PointStruct Point(ulong id, float value) =>
        new(id, [.. Enumerable.Repeat(value, Dim)], JsonSerializer.SerializeToElement(new { v = value }));
}
