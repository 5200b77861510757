using RoseForest.Cluster.Catalog;

namespace RoseForest.Cluster.Routing;

/// <summary>
/// Which shards a point or a request goes to. Auto sharding hashes the point id (SplitMix64 of
/// the number, or of the UUID's two halves) modulo the shard count, a function fixed forever
/// since it decides where stored points live. Custom sharding picks the shard key's shards, then
/// hashes the id among them. Locality sharding places a point by its vector
/// (<see cref="Locality.Centroids"/>), so an id alone names no shard.
/// </summary>
internal static class ShardRouting
{
    public static ulong Hash(PointId id)
    {
        if (!id.IsUuid)
        {
            return Mix(id.Number);
        }

        Span<byte> bytes = stackalloc byte[16];
        id.Uuid.TryWriteBytes(bytes);
        return Mix(BitConverter.ToUInt64(bytes[..8]) ^ Mix(BitConverter.ToUInt64(bytes[8..])));
    }

    /// <summary>The shards a request with this shard key may touch: the key's shards, or all of them without a key.</summary>
    public static IReadOnlyList<ShardInfo> Candidates(CollectionEntry collection, string? shardKey)
    {
        if (collection.Sharding != ShardingMethod.Custom)
        {
            if (shardKey is not null)
            {
                throw new ValidationException("shard_key", $"collection {collection.Name} uses {(collection.Sharding == ShardingMethod.Auto ? "auto" : "locality")} sharding: a shard key is only for custom sharding.");
            }

            return collection.Shards;
        }

        if (shardKey is null)
        {
            return collection.Shards;
        }

        var shards = collection.Shards.Where(s => s.ShardKey == shardKey).ToList();
        return shards.Count > 0 ? shards : throw new ValidationException("shard_key", $"shard key {shardKey} does not exist in collection {collection.Name}; create it with PUT /collections/{collection.Name}/shards.");
    }

    /// <summary>The shard a new point is written to.</summary>
    public static ShardInfo ForWrite(CollectionEntry collection, string? shardKey, PointId id)
    {
        if (collection.Sharding == ShardingMethod.Custom && shardKey is null)
        {
            throw new ValidationException("shard_key", $"collection {collection.Name} uses custom sharding: a write needs a shard_key.");
        }

        var shards = Candidates(collection, shardKey);
        if (shards.Count == 0)
        {
            throw new ClusterUnavailableException($"collection {collection.Name} has no shards yet.");
        }

        return shards[(int)(Hash(id) % (ulong)shards.Count)];
    }

    /// <summary>
    /// The shard that holds an existing point, when it is determined by the id (auto sharding, or
    /// custom with a key); null when any of the candidates may hold it.
    /// </summary>
    public static ShardInfo? ForId(CollectionEntry collection, string? shardKey, PointId id)
    {
        if ((collection.Sharding == ShardingMethod.Custom && shardKey is null) || collection.Sharding == ShardingMethod.Locality)
        {
            // Locality sharding places a point by its vector: any shard may hold an id.
            return null;
        }

        var shards = Candidates(collection, shardKey);
        return shards.Count == 0 ? null : shards[(int)(Hash(id) % (ulong)shards.Count)];
    }

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
