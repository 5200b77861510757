using Npgsql;
using RoseForest.Core.Payloads;

namespace RoseForest.Cluster;

/// <summary>
/// Payload indexes in cluster mode: a catalogue entry plus a record in every shard's log, in one
/// PostgreSQL transaction (<see cref="Catalog.CatalogStore.SetPayloadIndexAsync"/>); every replica
/// builds or drops the index when it applies the record, at the same point of its write order.
/// Acknowledged like a write (write_consistency_factor replicas of each shard applied it).
/// </summary>
internal sealed partial class ClusterCollection
{
    public async Task<UpdateResult> CreatePayloadIndexAsync(string fieldName, PayloadIndexParams schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var key = PayloadPath.Parse(fieldName, "field_name");
        schema.Validate();
        return await SetIndexAsync(key.Text, schema, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UpdateResult> DeletePayloadIndexAsync(string fieldName, CancellationToken cancellationToken = default)
    {
        var key = PayloadPath.Parse(fieldName, "field_name");
        return await SetIndexAsync(key.Text, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<UpdateResult> SetIndexAsync(string field, PayloadIndexParams? schema, CancellationToken cancellationToken)
    {
        var entry = await EntryAsync(cancellationToken).ConfigureAwait(false);
        var idempotencyKey = ClusterRequest.Current?.IdempotencyKey ?? Guid.NewGuid().ToString("N");
        Log.AppendResult appended;
        try
        {
            appended = await AppendRetry.ExecuteAsync(async token => await node.Catalog.SetPayloadIndexAsync(entry.Id, field, schema, idempotencyKey, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new ClusterUnavailableException($"the index change could not be logged in PostgreSQL: {e.Message}", e);
        }

        await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return await AcknowledgeAsync(entry, appended, 0, cancellationToken).ConfigureAwait(false);
    }
}
