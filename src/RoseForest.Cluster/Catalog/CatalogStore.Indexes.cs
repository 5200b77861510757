using Npgsql;
using RoseForest.Cluster.Log;
using RoseForest.Contracts.Qdrant;

namespace RoseForest.Cluster.Catalog;

/// <summary>
/// Payload indexes in a cluster: an entry in <c>roseforest.payload_indexes</c> (what collection
/// info reports, and what a shard key added later starts with) and, in the same transaction, a
/// record in every shard's log, so each replica creates or drops the index at the same point of
/// its write order (the engine logs it as a write too, so applied sequences stay exact).
/// </summary>
internal sealed partial class CatalogStore
{
    /// <summary>Creates (schema given) or drops (schema null) a payload index: the catalogue entry and one record per shard, atomically.</summary>
    public async Task<AppendResult> SetPayloadIndexAsync(long collectionId, string fieldName, PayloadIndexParams? schema, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The collection's row lock orders this against a shard key being added (which copies the indexes).
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM roseforest.collections WHERE id = $1 FOR UPDATE", connection, tx) { Parameters = { new() { Value = collectionId } } })
        {
            if (await lockRow.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                throw new NotFoundException("the collection was deleted while the index change was in flight.");
            }
        }

        var op = schema is null ? LogOperation.DeleteIndex(fieldName) : LogOperation.CreateIndex(fieldName, schema);
        await using (var change = schema is null
            ? new NpgsqlCommand("DELETE FROM roseforest.payload_indexes WHERE collection_id = $1 AND field_name = $2", connection, tx)
            {
                Parameters = { new() { Value = collectionId }, new() { Value = fieldName } },
            }
            : new NpgsqlCommand(
                "INSERT INTO roseforest.payload_indexes (collection_id, field_name, schema) VALUES ($1, $2, $3) ON CONFLICT (collection_id, field_name) DO UPDATE SET schema = excluded.schema",
                connection,
                tx)
            {
                Parameters = { new() { Value = collectionId }, new() { Value = fieldName }, new() { Value = SchemaBytes(schema) } },
            })
        {
            await change.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var shards = await ShardIdsAsync(connection, tx, collectionId, cancellationToken).ConfigureAwait(false);
        var result = await AppendAsync(connection, tx, shards, op, idempotencyKey, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(connection, cancellationToken, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>New shards (a shard key just added) start with the collection's payload indexes: one create record each, first in their logs.</summary>
    private static async Task AppendIndexesToNewShardsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long collectionId, List<long> shardIds, CancellationToken cancellationToken)
    {
        var indexes = new List<(string Field, byte[] Schema)>();
        await using (var read = new NpgsqlCommand("SELECT field_name, schema FROM roseforest.payload_indexes WHERE collection_id = $1 ORDER BY field_name", connection, tx) { Parameters = { new() { Value = collectionId } } })
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                indexes.Add((reader.GetString(0), (byte[])reader[1]));
            }
        }

        foreach (var (field, schema) in indexes)
        {
            var op = LogOperation.CreateIndex(field, QdrantJson.ReadPayloadFieldSchema(JsonFields.ParseBody(schema), "field_schema"));
            await AppendAsync(connection, tx, shardIds, op, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static byte[] SchemaBytes(PayloadIndexParams schema) => QdrantJson.ToUtf8(w => QdrantJson.WritePayloadFieldSchema(w, schema));

    private static async Task<List<long>> ShardIdsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long collectionId, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        await using var read = new NpgsqlCommand("SELECT id FROM roseforest.shards WHERE collection_id = $1 ORDER BY id", connection, tx) { Parameters = { new() { Value = collectionId } } };
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>The same record appended to each shard, inside the caller's transaction (append_ops, as every write).</summary>
    private static async Task<AppendResult> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<long> shardIds, LogOperation op, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var sequences = new Dictionary<long, long>();
        long operationId = 0;
        if (shardIds.Count == 0)
        {
            return new AppendResult(operationId, sequences);
        }

        await using var command = new NpgsqlCommand("SELECT r_op, r_shard, r_seq FROM roseforest.append_ops($1, $2, $3, $4)", connection, tx);
        command.Parameters.Add(new() { Value = shardIds.ToArray() });
        command.Parameters.Add(new() { Value = shardIds.Select(_ => (short)op.Kind).ToArray() });
        command.Parameters.Add(new() { Value = shardIds.Select(_ => op.Body).ToArray() });
        command.Parameters.Add(new() { Value = (object?)idempotencyKey ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            operationId = reader.GetInt64(0);
            sequences[reader.GetInt64(1)] = reader.GetInt64(2);
        }

        return new AppendResult(operationId, sequences);
    }
}
