using System.Text.Json;
using RoseForest.Storage.IO;

namespace RoseForest.Cluster.Replication;

/// <summary>
/// Where a local replica stands, durably: the log sequence that the local collection's LSN
/// <see cref="LsnBase"/> corresponds to. Every log record is applied as exactly one engine write
/// (one LSN; a record that is refused applies as an empty delete), so the applied sequence is
/// <c>SeqBase + (collection LSN − LsnBase)</c> and is exactly as durable as the engine's own log:
/// after a crash the engine recovers a prefix of its writes and the sequence follows from it, so a
/// record is never applied twice nor skipped. The file changes only when the replica is
/// (re)initialised: created empty or restored from a snapshot.
/// </summary>
internal sealed record ReplicaProgress(long ShardId, long SeqBase, long LsnBase)
{
    public static string PathOf(string folder, long shardId) => Path.Combine(folder, $"shard_{shardId}.json");

    public static ReplicaProgress? Read(string folder, long shardId)
    {
        var path = PathOf(folder, shardId);
        if (!File.Exists(path))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        return new ReplicaProgress(root.GetProperty("shard_id").GetInt64(), root.GetProperty("seq_base").GetInt64(), root.GetProperty("lsn_base").GetInt64());
    }

    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, long> { ["shard_id"] = ShardId, ["seq_base"] = SeqBase, ["lsn_base"] = LsnBase });
        DurableFile.WriteAllBytesAtomic(PathOf(folder, ShardId), bytes);
    }

    public static void Delete(string folder, long shardId)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        File.Delete(PathOf(folder, shardId));
        DurableFile.SyncDirectory(folder);
    }
}
