using System.Buffers;
using System.Text.Json;
using RoseForest.Contracts.Qdrant;
using RoseForest.Knowledge.Http.Points;
using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Http.Sync;

/// <summary>This node as one side of a sync job, in process.</summary>
internal sealed class LocalPeer(SyncHub hub) : ISyncPeer
{
    public string Name => "this node";

    public Task<string> NodeIdAsync(CancellationToken cancellationToken) => Task.FromResult(hub.NodeId);

    public Task<IReadOnlyDictionary<string, CollectionShape>> CollectionsAsync(CancellationToken cancellationToken) => hub.CollectionsAsync(cancellationToken);

    public async Task<CollectionShape> PrepareAsync(string collection, CollectionShape? create, ConflictStrategy strategy, CancellationToken cancellationToken)
        => (await hub.PrepareAsync(collection, create, strategy, cancellationToken).ConfigureAwait(false)).Shape;

    public async Task<byte[]> ReadAsync(string? collection, long since, int limit, string? filterJson, string key, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            if (collection is null)
            {
                await hub.Knowledge.ReadChangesAsync(w, since, limit, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var filter = filterJson is null ? null : QdrantFilter.Parse(filterJson);
                var replica = await hub.ReplicaAsync(collection, cancellationToken).ConfigureAwait(false);
                await replica.ReadChangesAsync(w, since, limit, filter, key, cancellationToken).ConfigureAwait(false);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    public async Task<long> CheckpointAsync(string? collection, string source, string key, CancellationToken cancellationToken)
        => collection is null
            ? await hub.Knowledge.GetCheckpointAsync(source, key, cancellationToken).ConfigureAwait(false)
            : await (await hub.ReplicaAsync(collection, cancellationToken).ConfigureAwait(false)).GetCheckpointAsync(source, key, cancellationToken).ConfigureAwait(false);

    public async Task<ApplyOutcome> ApplyAsync(string? collection, byte[] batch, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(batch);
        return collection is null
            ? await hub.Knowledge.ApplyAsync(doc.RootElement, cancellationToken).ConfigureAwait(false)
            : await (await hub.ReplicaAsync(collection, cancellationToken).ConfigureAwait(false)).ApplyAsync(doc.RootElement, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyDictionary<string, long>> AcknowledgementVectorAsync(CancellationToken cancellationToken) => hub.Knowledge.AcknowledgementVectorAsync(cancellationToken);

    public Task AcknowledgeAsync(string peer, IReadOnlyDictionary<string, long> vector, CancellationToken cancellationToken)
        => hub.Knowledge.AcknowledgeAsync(peer, vector, cancellationToken);
}
