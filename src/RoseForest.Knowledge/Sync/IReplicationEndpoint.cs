namespace RoseForest.Knowledge.Sync;

/// <summary>
/// One side of a replication: a feed to read from, somewhere to apply batches, and per-source
/// checkpoints kept beside the state they describe. The in-memory <see cref="ReplicaEndpoint"/>
/// implements it; the HTTP integration implements it for a remote node.
/// </summary>
public interface IReplicationEndpoint
{
    /// <summary>The node this endpoint stands for.</summary>
    string NodeId { get; }

    /// <summary>Reads this node's feed after <paramref name="since"/>.</summary>
    Task<ChangeBatch> ReadChangesAsync(long since, int maxChanges, CancellationToken cancellationToken);

    /// <summary>The last sequence number of <paramref name="source"/>'s feed applied here (0 for none).</summary>
    Task<long> GetCheckpointAsync(string source, CancellationToken cancellationToken);

    /// <summary>
    /// Merges the batch's changes past the checkpoint for its source and advances that checkpoint,
    /// as one step: a repeated or overlapping batch changes nothing it already applied.
    /// </summary>
    Task<ApplyResult> ApplyAsync(ChangeBatch batch, CancellationToken cancellationToken);

    /// <summary>This node's acknowledgement vector (see <see cref="Crdt.Replica.AcknowledgementVector"/>).</summary>
    Task<IReadOnlyDictionary<string, long>> GetAcknowledgementVectorAsync(CancellationToken cancellationToken);

    /// <summary>Records a peer's acknowledgement vector here.</summary>
    Task AcknowledgeAsync(string peer, IReadOnlyDictionary<string, long> vector, CancellationToken cancellationToken);
}
