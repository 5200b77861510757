using System.Text.Json;
using RoseForest.Cluster.Catalog;
using RoseForest.Contracts.Qdrant;

namespace RoseForest.Cluster.Http;

/// <summary>
/// Qdrant's <c>POST /collections/{name}/cluster</c> operations (move_shard, replicate_shard,
/// drop_replica, create_sharding_key, drop_sharding_key) and the shard-key routes. Moves,
/// replications and drops are recorded as requests; the controller carries them out (a move
/// adds the target as a partial replica and drops the source once the target is active).
/// </summary>
internal static class ShardOperations
{
    public static async Task ApplyAsync(ClusterNode node, CollectionEntry entry, JsonElement body, CancellationToken cancellationToken)
    {
        JsonFields.Object(body, string.Empty, "move_shard", "replicate_shard", "drop_replica", "create_sharding_key", "drop_sharding_key", "abort_transfer", "restart_transfer");
        var operations = body.EnumerateObject().ToList();
        if (operations.Count != 1)
        {
            throw new ValidationException(string.Empty, "give exactly one operation: move_shard, replicate_shard, drop_replica, create_sharding_key or drop_sharding_key.");
        }

        var op = operations[0];
        switch (op.Name)
        {
            case "move_shard" or "replicate_shard":
            {
                JsonFields.Object(op.Value, op.Name, "shard_id", "from_peer_id", "to_peer_id", "method", "to_shard_id");
                var shard = Shard(entry, op.Value, op.Name);
                var from = Peer(op.Value, "from_peer_id", op.Name);
                var to = Peer(op.Value, "to_peer_id", op.Name);
                if (shard.Replicas.All(r => r.NodeId != from))
                {
                    throw new ValidationException($"{op.Name}.from_peer_id", $"peer {from} holds no replica of shard {shard.Number}.");
                }

                if (!node.State.Nodes.ContainsKey(to))
                {
                    throw new ValidationException($"{op.Name}.to_peer_id", $"there is no peer {to}.");
                }

                if (shard.Replicas.Any(r => r.NodeId == to))
                {
                    throw new ValidationException($"{op.Name}.to_peer_id", $"peer {to} already holds a replica of shard {shard.Number}.");
                }

                await node.Catalog.AddTransferAsync(shard.Id, op.Name == "move_shard" ? "move" : "replicate", from, to, cancellationToken).ConfigureAwait(false);
                return;
            }

            case "drop_replica":
            {
                JsonFields.Object(op.Value, op.Name, "shard_id", "peer_id");
                var shard = Shard(entry, op.Value, op.Name);
                var peer = Peer(op.Value, "peer_id", op.Name);
                if (shard.Replicas.All(r => r.NodeId != peer))
                {
                    throw new ValidationException($"{op.Name}.peer_id", $"peer {peer} holds no replica of shard {shard.Number}.");
                }

                if (!shard.Replicas.Any(r => r.NodeId != peer && r.State == ReplicaStatus.Active))
                {
                    throw new ValidationException($"{op.Name}.peer_id", $"shard {shard.Number} has no other active replica; dropping this one would lose it.");
                }

                await node.Catalog.AddTransferAsync(shard.Id, "drop", peer, null, cancellationToken).ConfigureAwait(false);
                return;
            }

            case "create_sharding_key":
                await CreateShardKeyAsync(node, entry, op.Value, cancellationToken).ConfigureAwait(false);
                return;

            case "drop_sharding_key":
                await DropShardKeyAsync(node, entry, op.Value, cancellationToken).ConfigureAwait(false);
                return;

            default:
                throw new ValidationException(op.Name, "is not supported: RoseForest's transfers run to completion or are replaced by the controller.");
        }
    }

    /// <summary>PUT /collections/{name}/shards: <c>{"shard_key", "shards_number"?, "replication_factor"?, "placement"?}</c>.</summary>
    public static async Task CreateShardKeyAsync(ClusterNode node, CollectionEntry entry, JsonElement body, CancellationToken cancellationToken)
    {
        JsonFields.Object(body, string.Empty, "shard_key", "shards_number", "replication_factor", "placement", "initial_state");
        if (entry.Sharding != ShardingMethod.Custom)
        {
            throw new ValidationException("shard_key", $"collection {entry.Name} uses auto sharding; shard keys need \"sharding_method\": \"custom\".");
        }

        var key = KeyText(body);
        var shards = JsonFields.Int(body, "shards_number", string.Empty, 1, ClusterDatabase.MaxShards) ?? entry.ShardNumber;
        var rf = JsonFields.Int(body, "replication_factor", string.Empty, 1, 16) ?? entry.ReplicationFactor;
        await node.Catalog.CreateShardKeyAsync(entry.Id, key, shards, rf, cancellationToken).ConfigureAwait(false);
        await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        await ((ClusterDatabase)node.Database).WaitForActiveAsync(entry.Name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POST /collections/{name}/shards/delete: <c>{"shard_key"}</c>.</summary>
    public static async Task<bool> DropShardKeyAsync(ClusterNode node, CollectionEntry entry, JsonElement body, CancellationToken cancellationToken)
    {
        JsonFields.Object(body, string.Empty, "shard_key");
        var dropped = await node.Catalog.DropShardKeyAsync(entry.Id, KeyText(body), cancellationToken).ConfigureAwait(false);
        await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return dropped;
    }

    private static string KeyText(JsonElement body)
    {
        var key = JsonFields.Get(body, "shard_key") ?? throw new ValidationException("shard_key", "is required.");
        if (key.ValueKind is not (JsonValueKind.String or JsonValueKind.Number) || (key.ValueKind == JsonValueKind.Number && !key.TryGetUInt64(out _)))
        {
            throw new ValidationException("shard_key", "a shard key is a string or a non-negative integer.");
        }

        return key.GetRawText();
    }

    private static ShardInfo Shard(CollectionEntry entry, JsonElement op, string field)
    {
        var number = JsonFields.Int(op, "shard_id", field, 0, int.MaxValue) ?? throw new ValidationException($"{field}.shard_id", "is required.");
        return entry.Shards.FirstOrDefault(s => s.Number == number) ?? throw new ValidationException($"{field}.shard_id", $"collection {entry.Name} has no shard {number}.");
    }

    private static long Peer(JsonElement op, string name, string field) =>
        JsonFields.Get(op, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var id)
            ? id
            : throw new ValidationException($"{field}.{name}", "is required (a peer id from GET /cluster).");
}
