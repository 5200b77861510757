using RoseForest.Knowledge.Http.Points;
using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Http.Sync;

/// <summary>
/// One side of a sync job: this node in process (<see cref="LocalPeer"/>) or another over HTTP
/// (<see cref="HttpPeer"/>). A scope is a collection, or null for the knowledge state. Batches
/// travel as the JSON bytes the feed wrote, so a batch read on one side is applied unchanged on the other.
/// </summary>
internal interface ISyncPeer
{
    /// <summary>Where the peer is (for messages).</summary>
    string Name { get; }

    /// <summary>The peer's node id.</summary>
    Task<string> NodeIdAsync(CancellationToken cancellationToken);

    /// <summary>The collections the peer can sync (its internal ones left out), with their shapes.</summary>
    Task<IReadOnlyDictionary<string, CollectionShape>> CollectionsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Starts tracking a collection (creating it with <paramref name="create"/> when it does not
    /// exist and a shape is given) and sets its conflict strategy; returns its shape.
    /// </summary>
    Task<CollectionShape> PrepareAsync(string collection, CollectionShape? create, ConflictStrategy strategy, CancellationToken cancellationToken);

    /// <summary>A batch of the scope's feed after <paramref name="since"/>, as JSON.</summary>
    Task<byte[]> ReadAsync(string? collection, long since, int limit, string? filterJson, string key, CancellationToken cancellationToken);

    /// <summary>The peer's checkpoint of <paramref name="source"/>'s feed.</summary>
    Task<long> CheckpointAsync(string? collection, string source, string key, CancellationToken cancellationToken);

    /// <summary>Applies a batch read from another node's feed.</summary>
    Task<ApplyOutcome> ApplyAsync(string? collection, byte[] batch, CancellationToken cancellationToken);

    /// <summary>The peer's knowledge acknowledgement vector.</summary>
    Task<IReadOnlyDictionary<string, long>> AcknowledgementVectorAsync(CancellationToken cancellationToken);

    /// <summary>Gives the peer another node's knowledge acknowledgement vector.</summary>
    Task AcknowledgeAsync(string peer, IReadOnlyDictionary<string, long> vector, CancellationToken cancellationToken);
}
