using RoseForest.Knowledge.Crdt;

namespace RoseForest.Knowledge.Sync;

/// <summary>An in-memory <see cref="IReplicationEndpoint"/> over a <see cref="Replica"/>, keeping its checkpoints in memory.</summary>
public sealed class ReplicaEndpoint : IReplicationEndpoint
{
    private readonly Dictionary<string, long> _checkpoints = new(StringComparer.Ordinal);

    /// <summary>Wraps a replica.</summary>
    public ReplicaEndpoint(Replica replica) => Replica = replica;

    /// <summary>The replica.</summary>
    public Replica Replica { get; }

    /// <inheritdoc />
    public string NodeId => Replica.NodeId;

    /// <inheritdoc />
    public Task<ChangeBatch> ReadChangesAsync(long since, int maxChanges, CancellationToken cancellationToken)
        => Task.FromResult(Replica.Changes.ReadSince(since, maxChanges));

    /// <inheritdoc />
    public Task<long> GetCheckpointAsync(string source, CancellationToken cancellationToken)
        => Task.FromResult(_checkpoints.GetValueOrDefault(source));

    /// <inheritdoc />
    public Task<ApplyResult> ApplyAsync(ChangeBatch batch, CancellationToken cancellationToken)
    {
        var checkpoint = _checkpoints.GetValueOrDefault(batch.Source);
        var fresh = batch.Changes.Where(c => c.Sequence > checkpoint).ToList();
        if (fresh.Count == 0)
        {
            return Task.FromResult(new ApplyResult(0, checkpoint, 0));
        }

        if (fresh[0].Sequence != checkpoint + 1)
        {
            throw new ArgumentException($"the batch from {batch.Source} starts at {fresh[0].Sequence}, past checkpoint {checkpoint} + 1", nameof(batch));
        }

        var joined = new ReplicaState();
        foreach (var change in fresh)
        {
            joined.Merge(change.Delta);
        }

        Replica.Merge(joined);
        checkpoint = fresh[^1].Sequence;
        _checkpoints[batch.Source] = checkpoint;
        var conflicts = joined.RecordIds
            .SelectMany(id => Replica.State.Fields(id).Select(field => Replica.State.FieldVersions(id, field).Count))
            .Count(versions => versions > 1);
        return Task.FromResult(new ApplyResult(fresh.Count, checkpoint, conflicts));
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, long>> GetAcknowledgementVectorAsync(CancellationToken cancellationToken)
        => Task.FromResult(Replica.AcknowledgementVector);

    /// <inheritdoc />
    public Task AcknowledgeAsync(string peer, IReadOnlyDictionary<string, long> vector, CancellationToken cancellationToken)
    {
        Replica.Acknowledge(peer, vector);
        return Task.CompletedTask;
    }
}
