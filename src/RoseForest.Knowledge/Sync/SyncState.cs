using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Sync;

/// <summary>The state of one replication pairing, with the field names of the HVS <c>SyncState</c>.</summary>
public sealed record SyncState
{
    /// <summary>When the last run completed, Unix seconds (<c>last_sync_time</c>); 0 before the first.</summary>
    [JsonPropertyName("last_sync_time")]
    public double LastSyncTime { get; init; }

    /// <summary>Completed runs so far (<c>sync_version</c>).</summary>
    [JsonPropertyName("sync_version")]
    public long SyncVersion { get; init; }

    /// <summary>Ids of local records with changes the remote has not checkpointed (<c>pending_changes</c>).</summary>
    [JsonPropertyName("pending_changes")]
    public IReadOnlyList<string> PendingChanges { get; init; } = [];

    /// <summary>Fields left with concurrent versions by the batches applied in the last run (<c>conflict_count</c>).</summary>
    [JsonPropertyName("conflict_count")]
    public int ConflictCount { get; init; }
}
