using RoseForest.Cluster.Catalog;
using RoseForest.Cluster.Locality;
using RoseForest.Cluster.Log;
using RoseForest.Core.Payloads;

namespace RoseForest.Cluster;

/// <summary>
/// Locality sharding (RoseForest's <c>sharding_method: "locality"</c>): a point lives in the shard
/// of the centroid nearest its vector. The first upsert trains the centroids (k-means over its
/// vectors, k = shard_number) and stores them in the catalogue (first writer wins; every router
/// then uses the stored ones). Since a changed vector can move a point to another shard, an
/// upsert also deletes its ids from every other shard, in the same PostgreSQL transaction, so an
/// id is never in two shards. Reads by id and filters visit every shard; a nearest query with
/// <c>?probe=n</c> visits only the n shards whose centroids are nearest to its vector.
/// </summary>
internal sealed partial class ClusterCollection
{
    private async Task<UpdateResult> UpsertByLocalityAsync(CollectionEntry entry, IReadOnlyList<PointStruct> points, UpsertOptions? options, CancellationToken cancellationToken)
    {
        if (options is not null && (options.UpdateFilter is not null || options.Mode != default))
        {
            // Both depend on the point's old state, which may sit in another shard than its new vector's.
            throw new ClusterNotSupportedException(options.UpdateFilter is not null ? "update_filter" : "update_mode", "conditional upserts on a locality-sharded collection");
        }

        var project = options?.ProjectOntoManifold ?? false;
        var vectors = new float[points.Count][];
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i] ?? throw new ValidationException($"points[{i}]", "a point must not be null.");
            CheckVectors(entry, p, i, project, requireVector: true);
            vectors[i] = p.Vector ?? throw new ValidationException($"points[{i}].vector", "a locality-sharded collection takes one unnamed dense vector per point.");
            if (p.Payload is { } payload)
            {
                Payload.RequireObject(payload, $"points[{i}].payload");
            }
        }

        if (points.Count == 0)
        {
            return new UpdateResult(0, 0);
        }

        var centroids = entry.Centroids ?? await TrainCentroidsAsync(entry, vectors, cancellationToken).ConfigureAwait(false);
        var shards = entry.Shards.OrderBy(s => s.Number).ToList();
        var groups = new Dictionary<long, List<PointStruct>>();
        var placed = new Dictionary<PointId, long>();
        for (var i = 0; i < points.Count; i++)
        {
            var shard = shards[centroids.Nearest(Prepared(entry.Options.Geometry, vectors[i]))];
            (groups.TryGetValue(shard.Id, out var list) ? list : groups[shard.Id] = []).Add(points[i]);
            placed[points[i].Id] = shard.Id; // the last one of an id wins, as in one engine write
        }

        var records = new List<(long, LogOperation)>();
        foreach (var (shardId, list) in groups)
        {
            records.Add((shardId, LogOperation.Upsert(list, options)));
        }

        foreach (var shard in shards)
        {
            PointId[] elsewhere = [.. placed.Where(p => p.Value != shard.Id).Select(p => p.Key)];
            if (elsewhere.Length > 0)
            {
                records.Add((shard.Id, LogOperation.Delete(PointSelector.ById(elsewhere))));
            }
        }

        return await CommitAsync(entry, records, points.Count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first upsert's vectors train the centroids; another router's, if it stored first, are used instead.</summary>
    private async Task<Centroids> TrainCentroidsAsync(CollectionEntry entry, float[][] vectors, CancellationToken cancellationToken)
    {
        var k = entry.Shards.Count;
        if (vectors.Length < k)
        {
            throw new ValidationException("points", $"the first upsert into a locality-sharded collection trains its {k} shard centroids, so it needs at least {k} points (got {vectors.Length}).");
        }

        var trained = KMeans.Train(entry.Options.Geometry, [.. vectors.Select(v => Prepared(entry.Options.Geometry, v))], k, seed: (int)(entry.Id % int.MaxValue));
        await node.Catalog.SetCentroidsAsync(entry.Id, trained, cancellationToken).ConfigureAwait(false);
        await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return node.State.Collections.GetValueOrDefault(entry.Name)?.Centroids ?? throw new CollectionNotFoundException(entry.Name);
    }

    /// <summary>
    /// The shards a query visits: with locality sharding, a probe count, and a nearest query by a
    /// dense vector without prefetches, the <c>probe</c> shards whose centroids are nearest to it;
    /// otherwise every candidate shard.
    /// </summary>
    private static IReadOnlyList<ShardInfo> ProbedShards(CollectionEntry entry, IReadOnlyList<ShardInfo> candidates, Querying.QueryStage stage)
    {
        if (entry.Sharding != ShardingMethod.Locality || ClusterRequest.Current?.Probe is not { } probe || entry.Centroids is not { } centroids || probe >= candidates.Count)
        {
            return candidates;
        }

        if (stage.Prefetches.Count > 0 || stage.Query is not NearestQuery { Mmr: null, Vector.Vector: DenseVector dense } || stage.Using.Length > 0)
        {
            return candidates;
        }

        var byNumber = candidates.ToDictionary(s => s.Number);
        return [.. centroids.NearestShards(Prepared(entry.Options.Geometry, dense.Values), probe).Select(n => byNumber[n])];
    }

    /// <summary>Cosine collections store unit vectors: route by the stored form.</summary>
    private static float[] Prepared(Geometry geometry, float[] vector)
    {
        if (geometry != Geometry.Cosine)
        {
            return vector;
        }

        double norm = 0;
        foreach (var x in vector)
        {
            norm += (double)x * x;
        }

        norm = Math.Sqrt(norm);
        return norm == 0 ? vector : [.. vector.Select(x => (float)(x / norm))];
    }
}
