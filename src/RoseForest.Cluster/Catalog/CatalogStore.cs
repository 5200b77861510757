using System.Data;
using System.Text.Json;
using Npgsql;
using RoseForest.Contracts.Qdrant;

namespace RoseForest.Cluster.Catalog;

/// <summary>
/// The catalogue's reads and the user-driven changes (collections, shard keys, transfer
/// requests), each in one PostgreSQL transaction that ends with a NOTIFY on the catalogue
/// channel. Replica assignments are changed only by the <see cref="Control.Controller"/>.
/// </summary>
internal sealed partial class CatalogStore(NpgsqlDataSource source, TimeProvider time)
{
    public NpgsqlDataSource Source => source;

    /// <summary>Reads the whole catalogue in one repeatable-read transaction (one round trip).</summary>
    public async Task<ClusterState> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new("SELECT value FROM roseforest.meta WHERE key = 'cluster_id'"),
                new("SELECT (SELECT value FROM roseforest.meta WHERE key = 'controller')"),
                new("SELECT id, url, extract(epoch FROM now() - heartbeat_at)::float8 FROM roseforest.nodes"),
                new("SELECT id, name, config, shard_number, replication_factor, write_consistency_factor, sharding, centroids FROM roseforest.collections"),
                new("SELECT id, collection_id, number, shard_key, replication_factor, last_seq, truncated_seq FROM roseforest.shards ORDER BY collection_id, number"),
                new("SELECT shard_id, node_id, state, epoch, applied_seq, extract(epoch FROM now() - state_since)::float8, coalesce(reported_at > state_since, false) FROM roseforest.replicas ORDER BY shard_id, node_id"),
                new("SELECT id, shard_id, kind, from_node, to_node FROM roseforest.transfers ORDER BY id"),
                new("SELECT a.name, c.name FROM roseforest.aliases a JOIN roseforest.collections c ON c.id = a.collection_id"),
                new("SELECT collection_id, field_name, schema FROM roseforest.payload_indexes"),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var clusterId = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetString(0) : string.Empty;
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        long? controller = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0) ? long.Parse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture) : null;
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var nodes = new List<NodeInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            nodes.Add(new NodeInfo(reader.GetInt64(0), new Uri(reader.GetString(1)), TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(2)))));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var collections = new List<(long Id, string Name, byte[] Config, int ShardNumber, int Rf, int Wcf, string Sharding, byte[]? Centroids)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            collections.Add((reader.GetInt64(0), reader.GetString(1), (byte[])reader[2], reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetString(6), reader.IsDBNull(7) ? null : (byte[])reader[7]));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var shards = new List<(long Id, long Collection, int Number, string? Key, int Rf, long Last, long Truncated)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            shards.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4), reader.GetInt64(5), reader.GetInt64(6)));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var replicas = new List<ReplicaInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            replicas.Add(new ReplicaInfo(reader.GetInt64(0), reader.GetInt64(1), ParseState(reader.GetString(2)), reader.GetInt64(3), reader.GetInt64(4), TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(5))), reader.GetBoolean(6)));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var transfers = new List<TransferInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            transfers.Add(new TransferInfo(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            aliases[reader.GetString(0)] = reader.GetString(1);
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var indexes = new List<(long Collection, string Field, PayloadIndexParams Schema)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            indexes.Add((reader.GetInt64(0), reader.GetString(1), QdrantJson.ReadPayloadFieldSchema(JsonFields.ParseBody((byte[])reader[2]), "field_schema")));
        }

        var indexesByCollection = indexes.ToLookup(i => i.Collection);
        var replicasByShard = replicas.ToLookup(r => r.ShardId);
        var shardsByCollection = shards
            .Select(s => new ShardInfo(s.Id, s.Collection, s.Number, s.Key, s.Rf, s.Last, s.Truncated, [.. replicasByShard[s.Id]]))
            .ToLookup(s => s.CollectionId);
        var entries = collections.Select(c =>
        {
            var options = QdrantJson.ReadCreateCollection(JsonFields.ParseBody(c.Config));
            return new CollectionEntry(c.Id, c.Name, options, c.ShardNumber, c.Rf, c.Wcf, ParseSharding(c.Sharding), [.. shardsByCollection[c.Id]])
            {
                PayloadIndexes = indexesByCollection[c.Id].ToDictionary(i => i.Field, i => i.Schema, StringComparer.Ordinal),
                Centroids = c.Centroids is null ? null : Locality.Centroids.FromBytes(options.Geometry, c.Centroids),
            };
        }).ToList();
        return new ClusterState(clusterId, nodes, entries, transfers, controller, time.GetTimestamp(), aliases);
    }

    /// <summary>Registers this node (or refreshes its row when <paramref name="knownId"/> still exists); returns its peer id.</summary>
    public async Task<long> RegisterNodeAsync(long? knownId, Uri url, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (knownId is { } id)
        {
            await using var update = new NpgsqlCommand("UPDATE roseforest.nodes SET url = $2, started_at = now(), heartbeat_at = now() WHERE id = $1", connection)
            {
                Parameters = { new() { Value = id }, new() { Value = url.ToString() } },
            };
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                await NotifyAsync(connection, cancellationToken).ConfigureAwait(false);
                return id;
            }
        }

        await using var insert = new NpgsqlCommand("INSERT INTO roseforest.nodes (url) VALUES ($1) RETURNING id", connection)
        {
            Parameters = { new() { Value = url.ToString() } },
        };
        var newId = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await NotifyAsync(connection, cancellationToken).ConfigureAwait(false);
        return newId;
    }

    /// <summary>Renews this node's lease; false when its row is gone.</summary>
    public async Task<bool> HeartbeatAsync(long nodeId, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("UPDATE roseforest.nodes SET heartbeat_at = now() WHERE id = $1");
        command.Parameters.Add(new() { Value = nodeId });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The cluster's id.</summary>
    public async Task<string> ClusterIdAsync(CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("SELECT value FROM roseforest.meta WHERE key = 'cluster_id'");
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Creates a collection, its shards (for auto sharding) and their log tables in one
    /// transaction; throws <see cref="CollectionAlreadyExistsException"/>.
    /// </summary>
    public async Task CreateCollectionAsync(string name, CollectionOptions options, ClusterCollectionSettings settings, CancellationToken cancellationToken)
    {
        var config = QdrantJson.ToUtf8(w => QdrantJson.WriteCreateCollection(w, options));
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ThrowIfAliasAsync(connection, tx, name, cancellationToken).ConfigureAwait(false);
        long collectionId;
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO roseforest.collections (name, config, shard_number, replication_factor, write_consistency_factor, sharding) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING RETURNING id",
            connection,
            tx))
        {
            insert.Parameters.Add(new() { Value = name });
            insert.Parameters.Add(new() { Value = config });
            insert.Parameters.Add(new() { Value = settings.ShardNumber });
            insert.Parameters.Add(new() { Value = settings.ReplicationFactor });
            insert.Parameters.Add(new() { Value = settings.WriteConsistencyFactor });
            insert.Parameters.Add(new() { Value = ShardingName(settings.Sharding) });
            var id = await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            collectionId = id is long l ? l : throw new CollectionAlreadyExistsException(name);
        }

        if (settings.Sharding != ShardingMethod.Custom)
        {
            await AddShardsAsync(connection, tx, collectionId, null, settings.ShardNumber, settings.ReplicationFactor, cancellationToken).ConfigureAwait(false);
        }

        await NotifyAsync(connection, cancellationToken, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the shards of a shard key (custom sharding); throws <see cref="ValidationException"/> when the key exists.</summary>
    public async Task CreateShardKeyAsync(long collectionId, string key, int shards, int replicationFactor, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM roseforest.collections WHERE id = $1 FOR UPDATE", connection, tx) { Parameters = { new() { Value = collectionId } } })
        {
            if (await lockRow.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                throw new CollectionNotFoundException("collection");
            }
        }

        await using (var exists = new NpgsqlCommand("SELECT 1 FROM roseforest.shards WHERE collection_id = $1 AND shard_key = $2", connection, tx)
        {
            Parameters = { new() { Value = collectionId }, new() { Value = key } },
        })
        {
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new ValidationException("shard_key", $"shard key {key} already exists.");
            }
        }

        var added = await AddShardsAsync(connection, tx, collectionId, key, shards, replicationFactor, cancellationToken).ConfigureAwait(false);
        await AppendIndexesToNewShardsAsync(connection, tx, collectionId, added, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(connection, cancellationToken, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops a shard key's shards and their logs; false when there was no such key.</summary>
    public async Task<bool> DropShardKeyAsync(long collectionId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<long>();
        await using (var delete = new NpgsqlCommand("DELETE FROM roseforest.shards WHERE collection_id = $1 AND shard_key = $2 RETURNING id", connection, tx)
        {
            Parameters = { new() { Value = collectionId }, new() { Value = key } },
        })
        await using (var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        await DropLogsAsync(connection, tx, ids, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(connection, cancellationToken, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ids.Count > 0;
    }

    /// <summary>Deletes a collection, its shards, assignments and logs; false when it did not exist.</summary>
    public async Task<bool> DeleteCollectionAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<long>();
        await using (var select = new NpgsqlCommand(
            "SELECT s.id FROM roseforest.shards s JOIN roseforest.collections c ON c.id = s.collection_id WHERE c.name = $1 FOR UPDATE OF c",
            connection,
            tx)
        {
            Parameters = { new() { Value = name } },
        })
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        int deleted;
        await using (var delete = new NpgsqlCommand("DELETE FROM roseforest.collections WHERE name = $1", connection, tx) { Parameters = { new() { Value = name } } })
        {
            deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await DropLogsAsync(connection, tx, ids, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(connection, cancellationToken, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted == 1;
    }

    /// <summary>Records a shard operation for the controller to carry out.</summary>
    public async Task AddTransferAsync(long shardId, string kind, long? fromNode, long? toNode, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = new NpgsqlCommand("INSERT INTO roseforest.transfers (shard_id, kind, from_node, to_node) VALUES ($1, $2, $3, $4)", connection)
        {
            Parameters =
            {
                new() { Value = shardId },
                new() { Value = kind },
                new() { Value = (object?)fromNode ?? DBNull.Value },
                new() { Value = (object?)toNode ?? DBNull.Value },
            },
        };
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await NotifyAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports replicas' applied sequences (only for the assignment epoch they were made under).</summary>
    public async Task ReportProgressAsync(long nodeId, IReadOnlyList<(long ShardId, long Epoch, long Applied)> progress, CancellationToken cancellationToken)
    {
        if (progress.Count == 0)
        {
            return;
        }

        await using var command = source.CreateCommand("""
            UPDATE roseforest.replicas r SET applied_seq = p.applied, reported_at = now()
            FROM unnest($2::bigint[], $3::bigint[], $4::bigint[]) AS p(shard, epoch, applied)
            WHERE r.shard_id = p.shard AND r.node_id = $1 AND r.epoch = p.epoch
            """);
        command.Parameters.Add(new() { Value = nodeId });
        command.Parameters.Add(new() { Value = progress.Select(p => p.ShardId).ToArray() });
        command.Parameters.Add(new() { Value = progress.Select(p => p.Epoch).ToArray() });
        command.Parameters.Add(new() { Value = progress.Select(p => p.Applied).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The shards' last committed sequences (for strong reads).</summary>
    public async Task<Dictionary<long, long>> LastSequencesAsync(IReadOnlyCollection<long> shardIds, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("SELECT id, last_seq FROM roseforest.shards WHERE id = ANY($1)");
        command.Parameters.Add(new() { Value = shardIds.ToArray() });
        var result = new Dictionary<long, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        return result;
    }

    /// <summary>Records a snapshot that was made of a shard's replica (its manifest).</summary>
    public async Task AddSnapshotManifestAsync(long shardId, long nodeId, long seq, SnapshotDescription snapshot, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("INSERT INTO roseforest.snapshots (shard_id, node_id, seq, name, checksum, size) VALUES ($1, $2, $3, $4, $5, $6)");
        command.Parameters.Add(new() { Value = shardId });
        command.Parameters.Add(new() { Value = nodeId });
        command.Parameters.Add(new() { Value = seq });
        command.Parameters.Add(new() { Value = snapshot.Name });
        command.Parameters.Add(new() { Value = snapshot.Checksum });
        command.Parameters.Add(new() { Value = snapshot.Size });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task NotifyAsync(NpgsqlConnection connection, CancellationToken cancellationToken, NpgsqlTransaction? tx = null)
    {
        await using var notify = new NpgsqlCommand($"SELECT pg_notify('{Schema.CatalogChannel}', '')", connection, tx);
        await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<long>> AddShardsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long collectionId, string? key, int count, int replicationFactor, CancellationToken cancellationToken)
    {
        var added = new List<long>();
        int first;
        await using (var next = new NpgsqlCommand("SELECT coalesce(max(number) + 1, 0) FROM roseforest.shards WHERE collection_id = $1", connection, tx) { Parameters = { new() { Value = collectionId } } })
        {
            first = (int)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        for (var i = 0; i < count; i++)
        {
            long shardId;
            await using (var insert = new NpgsqlCommand("INSERT INTO roseforest.shards (collection_id, number, shard_key, replication_factor) VALUES ($1, $2, $3, $4) RETURNING id", connection, tx))
            {
                insert.Parameters.Add(new() { Value = collectionId });
                insert.Parameters.Add(new() { Value = first + i });
                insert.Parameters.Add(new() { Value = (object?)key ?? DBNull.Value });
                insert.Parameters.Add(new() { Value = replicationFactor });
                shardId = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await using var ddl = new NpgsqlCommand(Schema.LogTableDdl(shardId), connection, tx);
            await ddl.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            added.Add(shardId);
        }

        return added;
    }

    private static async Task DropLogsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<long> shardIds, CancellationToken cancellationToken)
    {
        foreach (var id in shardIds)
        {
            await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS roseforest.log_{id}", connection, tx);
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores a locality-sharded collection's centroids unless another router stored some first;
    /// either way every router then routes by the stored ones (re-read from the catalogue).
    /// </summary>
    public async Task<bool> SetCentroidsAsync(long collectionId, Locality.Centroids centroids, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var update = new NpgsqlCommand("UPDATE roseforest.collections SET centroids = $2 WHERE id = $1 AND centroids IS NULL", connection, tx)
        {
            Parameters = { new() { Value = collectionId }, new() { Value = centroids.ToBytes() } },
        };
        var stored = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        await NotifyAsync(connection, cancellationToken, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private static ShardingMethod ParseSharding(string text) => text switch
    {
        "custom" => ShardingMethod.Custom,
        "locality" => ShardingMethod.Locality,
        _ => ShardingMethod.Auto,
    };

    private static string ShardingName(ShardingMethod method) => method switch
    {
        ShardingMethod.Custom => "custom",
        ShardingMethod.Locality => "locality",
        _ => "auto",
    };

    private static ReplicaStatus ParseState(string state) => state switch
    {
        "active" => ReplicaStatus.Active,
        "partial" => ReplicaStatus.Partial,
        _ => ReplicaStatus.Dead,
    };

    /// <summary>The database name of a replica state.</summary>
    public static string StateName(ReplicaStatus state) => state switch
    {
        ReplicaStatus.Active => "active",
        ReplicaStatus.Partial => "partial",
        _ => "dead",
    };

    /// <summary>Writes a JSON element to a compact string (shard keys are stored as their JSON text).</summary>
    public static string KeyText(JsonElement key) => key.GetRawText();
}

/// <summary>The cluster settings of a collection (Qdrant's create-collection parameters).</summary>
public sealed record ClusterCollectionSettings(int ShardNumber, int ReplicationFactor, int WriteConsistencyFactor, ShardingMethod Sharding);
