using Npgsql;

namespace RoseForest.Cluster.Log;

/// <summary>
/// The shard logs in PostgreSQL: one table per shard, appended by the <c>append_ops</c> function
/// (one transaction and one round trip per write; see <see cref="Catalog.Schema"/>).
/// </summary>
internal sealed class PostgresShardLog(NpgsqlDataSource source) : IShardLog
{
    public async Task<AppendResult> AppendAsync(IReadOnlyList<(long ShardId, LogOperation Op)> records, string? idempotencyKey, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("SELECT r_op, r_shard, r_seq FROM roseforest.append_ops($1, $2, $3, $4)");
        command.Parameters.Add(new() { Value = records.Select(r => r.ShardId).ToArray() });
        command.Parameters.Add(new() { Value = records.Select(r => (short)r.Op.Kind).ToArray() });
        command.Parameters.Add(new() { Value = records.Select(r => r.Op.Body).ToArray() });
        command.Parameters.Add(new() { Value = (object?)idempotencyKey ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        long operationId = 0;
        var sequences = new Dictionary<long, long>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                operationId = reader.GetInt64(0);
                sequences[reader.GetInt64(1)] = reader.GetInt64(2);
            }
        }
        catch (PostgresException e) when (e.SqlState is "P0002" or "42P01")
        {
            throw new NotFoundException("the collection was deleted while the write was in flight.");
        }

        return new AppendResult(operationId, sequences);
    }

    public async Task<IReadOnlyList<LogEntry>> ReadAsync(long shardId, long afterSeq, int max, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand($"SELECT seq, kind, op FROM roseforest.log_{shardId} WHERE seq > $1 ORDER BY seq LIMIT $2");
        command.Parameters.Add(new() { Value = afterSeq });
        command.Parameters.Add(new() { Value = max });
        var entries = new List<LogEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new LogEntry(reader.GetInt64(0), new LogOperation((LogOpKind)reader.GetInt16(1), (byte[])reader[2])));
        }

        return entries;
    }

    public async Task TruncateAsync(long shardId, long upToSeq, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var delete = new NpgsqlCommand($"DELETE FROM roseforest.log_{shardId} WHERE seq <= $1", connection, tx) { Parameters = { new() { Value = upToSeq } } })
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var mark = new NpgsqlCommand("UPDATE roseforest.shards SET truncated_seq = greatest(truncated_seq, $2) WHERE id = $1", connection, tx)
        {
            Parameters = { new() { Value = shardId }, new() { Value = upToSeq } },
        })
        {
            await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
