using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Tests;

/// <summary>An endpoint that fails its Nth apply (before applying), standing in for a dropped connection.</summary>
internal sealed class FaultyEndpoint(IReplicationEndpoint inner, int failOnApply) : IReplicationEndpoint
{
    private int _applies;

    public int FailOnApply { get; set; } = failOnApply;

    public string NodeId => inner.NodeId;

    public Task<ChangeBatch> ReadChangesAsync(long since, int maxChanges, CancellationToken cancellationToken)
        => inner.ReadChangesAsync(since, maxChanges, cancellationToken);

    public Task<long> GetCheckpointAsync(string source, CancellationToken cancellationToken)
        => inner.GetCheckpointAsync(source, cancellationToken);

    public Task<ApplyResult> ApplyAsync(ChangeBatch batch, CancellationToken cancellationToken)
        => ++_applies == FailOnApply ? throw new IOException("connection reset") : inner.ApplyAsync(batch, cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> GetAcknowledgementVectorAsync(CancellationToken cancellationToken)
        => inner.GetAcknowledgementVectorAsync(cancellationToken);

    public Task AcknowledgeAsync(string peer, IReadOnlyDictionary<string, long> vector, CancellationToken cancellationToken)
        => inner.AcknowledgeAsync(peer, vector, cancellationToken);
}
