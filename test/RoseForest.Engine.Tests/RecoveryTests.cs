using System.Text.Json;
using RoseForest.Engine;
using RoseForest.Storage;

namespace RoseForest.Engine.Tests;

public class RecoveryTests
{
    private static CollectionOptions Options(Durability durability = Durability.Sync, long checkpointBytes = 64L << 20) => new()
    {
        Dimension = 4,
        Geometry = Geometry.Euclid,
        Durability = durability,
        WalSegmentBytes = 8192,
        CheckpointWalBytes = checkpointBytes,
    };

    private static PointStruct P(int i) => new((ulong)i, [i, i + 1, i + 2, i + 3], JsonElement.Parse($$"""{"i":{{i}}}"""));

    [Theory]
    [InlineData(Durability.Sync)]
    [InlineData(Durability.Buffered)]
    public async Task Writes_survive_reopen_through_log_replay_and_snapshots(Durability durability)
    {
        using var tmp = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", Options(durability, checkpointBytes: 8192));
            for (var i = 0; i < 300; i++)
            {
                await col.UpsertAsync([P(i)]);
            }

            await col.DeleteAsync(PointSelector.ById(7));
            await col.SetPayloadAsync(PointSelector.ById(8), JsonElement.Parse("""{"x":1}"""));
            // Size-triggered snapshots run in the background; one must land while the database is open.
            var checkpoints = Path.Combine(tmp.Path, "collections", "c", "checkpoints");
            await col.WaitForRunningCheckpointAsync();

            Assert.True(Directory.GetFiles(checkpoints, "*.snapshot").Length > 0, "a size-triggered snapshot should exist");
        }

        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = db.GetCollection("c");
            Assert.Equal(durability, col.Options.Durability);
            Assert.Equal(299, await col.CountAsync());
            Assert.Null(await col.GetAsync(7));
            Assert.Equal("""{"i":8,"x":1}""", (await col.GetAsync(8))!.Payload!.Value.GetRawText());
            Assert.Equal(new float[] { 100, 101, 102, 103 }, (await col.GetAsync(100))!.Vector);
        }
    }

    [Fact]
    public async Task Log_replay_alone_restores_state_when_no_snapshot_was_taken()
    {
        using var tmp = new TempDir();
        using var crashed = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", Options());
            await col.UpsertAsync([P(1), P(2), P(3)]);
            await col.DeleteAsync(PointSelector.ById(2));
            await col.SetPayloadAsync(PointSelector.ById(3), JsonElement.Parse("""{"y":2}"""));

            // The files as a crash would leave them: log only, no snapshot yet.
            CopyDirectory(Path.Combine(tmp.Path, "collections", "c"), Path.Combine(crashed.Path, "collections", "c"));
        }

        await using var reopened = await RoseForestDatabase.OpenAsync(crashed.Path);
        var c = reopened.GetCollection("c");
        Assert.Null(c.Recovery!.SnapshotFile);
        Assert.Equal(3, c.Recovery.Wal.RecordsReplayed);
        Assert.Equal(2, await c.CountAsync());
        Assert.Null(await c.GetAsync(2));
        Assert.Equal("""{"i":3,"y":2}""", (await c.GetAsync(3))!.Payload!.Value.GetRawText());
    }

    [Fact]
    public async Task A_torn_log_tail_is_cut_and_reported_and_earlier_writes_stay()
    {
        using var crashed = new TempDir();
        var segment = await CrashAfterTwentyWritesAsync(crashed.Path);
        var length = new FileInfo(segment).Length;
        using (var f = new FileStream(segment, FileMode.Open))
        {
            f.SetLength(length - 5); // tear the last record
        }

        await using (var db = await RoseForestDatabase.OpenAsync(crashed.Path))
        {
            var col = db.GetCollection("c");
            Assert.Equal(19, await col.CountAsync());
            var torn = Assert.Single(col.Recovery!.Wal.TornTails);
            Assert.Equal(segment, torn.FilePath);
        }
    }

    [Fact]
    public async Task Corruption_before_the_tail_faults_only_that_collection_unless_salvaging()
    {
        using var crashed = new TempDir();
        var segment = await CrashAfterTwentyWritesAsync(crashed.Path);
        var bytes = File.ReadAllBytes(segment);
        bytes[40] ^= 0x40; // inside the first record (the segment header is 32 bytes), with 19 good ones after it
        File.WriteAllBytes(segment, bytes);

        // The database opens; the damaged collection is listed, faulted, and says why.
        await using (var db = await RoseForestDatabase.OpenAsync(crashed.Path))
        {
            Assert.Equal(["c"], db.ListCollections());
            var faulted = Assert.Throws<CollectionFaultedException>(() => db.GetCollection("c"));
            var e = Assert.IsType<StorageCorruptionException>(faulted.InnerException);
            Assert.Equal(segment, e.FilePath);
            var info = db.GetCollectionInfo("c");
            Assert.Equal(CollectionStatus.Faulted, info.Status);
            Assert.Contains(segment, info.Fault, StringComparison.Ordinal);
            Assert.Equal(4, info.Dimension); // the config was readable
        }

        await using var salvaged = await RoseForestDatabase.OpenAsync(crashed.Path, new DatabaseOptions { Salvage = true });
        var col2 = salvaged.GetCollection("c");
        Assert.Equal(0, await col2.CountAsync()); // the first record was the damaged one
        Assert.NotEmpty(col2.Recovery!.Wal.Salvaged);
        Assert.True(File.Exists(col2.Recovery.Wal.Salvaged[0].MovedTo));
    }

    [Fact]
    public async Task A_damaged_snapshot_faults_its_collection_naming_the_file_while_the_others_serve()
    {
        using var tmp = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", Options());
            await col.UpsertAsync([P(1), P(2)]);
            var healthy = await db.CreateCollectionAsync("healthy", Options());
            await healthy.UpsertAsync([P(3)]);
        }

        var snapshot = Directory.GetFiles(Path.Combine(tmp.Path, "collections", "c", "checkpoints")).Single();
        var bytes = File.ReadAllBytes(snapshot);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(snapshot, bytes);
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var faulted = Assert.Throws<CollectionFaultedException>(() => db.GetCollection("c"));
            Assert.Equal(snapshot, Assert.IsType<StorageCorruptionException>(faulted.InnerException).FilePath);
            Assert.Equal(["c", "healthy"], db.ListCollections());
            Assert.True(db.CollectionExists("c"));
            await Assert.ThrowsAsync<CollectionAlreadyExistsException>(() => db.CreateCollectionAsync("c", Options()));

            // The other collection opens and serves reads and writes.
            var healthy = db.GetCollection("healthy");
            await healthy.UpsertAsync([P(4)]);
            Assert.Equal(2, await healthy.CountAsync());

            // A plain recover fails again for the same reason and stays faulted; salvage sets the snapshot aside.
            await Assert.ThrowsAsync<CollectionFaultedException>(() => db.RecoverCollectionAsync("c"));
            var recovered = await db.RecoverCollectionAsync("c", salvage: true);
            Assert.Single(recovered.Recovery!.SnapshotsSetAside);
            Assert.True(File.Exists(snapshot + ".damaged"));
            Assert.Equal(CollectionStatus.Green, db.GetCollectionInfo("c").Status);
        }

        await using var salvaged = await RoseForestDatabase.OpenAsync(tmp.Path);
        Assert.Equal(CollectionStatus.Green, salvaged.GetCollectionInfo("c").Status);
    }

    [Fact]
    public async Task Half_finished_creates_and_deletes_are_finished_on_open()
    {
        using var tmp = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            await db.CreateCollectionAsync("keep", Options());
        }

        Directory.CreateDirectory(Path.Combine(tmp.Path, "collections", ".tmp-new-abc"));
        Directory.CreateDirectory(Path.Combine(tmp.Path, "collections", ".deleted-old-abc"));
        await using var again = await RoseForestDatabase.OpenAsync(tmp.Path);
        Assert.Equal(["keep"], again.ListCollections());
        Assert.Single(Directory.GetDirectories(Path.Combine(tmp.Path, "collections")));
    }

    /// <summary>
    /// Writes 20 single-point records after an empty snapshot, and leaves in <paramref name="crashed"/>
    /// the files as a crash would (copied while open, before the clean close). Returns the log segment.
    /// </summary>
    private static async Task<string> CrashAfterTwentyWritesAsync(string crashed)
    {
        using var tmp = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", Options());
            await col.CheckpointAsync();
            for (var i = 0; i < 20; i++)
            {
                await col.UpsertAsync([P(i)]);
            }

            CopyDirectory(Path.Combine(tmp.Path, "collections", "c"), Path.Combine(crashed, "collections", "c"));
        }

        return Directory.GetFiles(Path.Combine(crashed, "collections", "c", "wal"), "*.wal").Max()!;
    }

    internal static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            if (Path.GetFileName(file) != "LOCK")
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}
