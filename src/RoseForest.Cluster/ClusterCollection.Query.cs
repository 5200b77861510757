using RoseForest.Cluster.Catalog;
using RoseForest.Cluster.Querying;
using RoseForest.Cluster.Routing;
using RoseForest.Core.Filters;

namespace RoseForest.Cluster;

/// <summary>
/// The universal query across shards. Point-id inputs are read first (here or from lookup_from)
/// and replaced by their vectors, the ids referenced in this collection are left out by a root
/// filter (as the engine does), then the query tree runs stage by stage: a leaf on every shard,
/// merged in the engine's order; fusion over the prefetches' cluster-wide lists here; any other
/// query over prefetches rescoring their union on the shards (has_id). What cannot be merged
/// exactly is refused (<see cref="ClusterNotSupportedException"/>).
/// </summary>
internal sealed partial class ClusterCollection
{
    public ValueTask<IReadOnlyList<ScoredPoint>> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync(QueryRequest.From(request), cancellationToken);
    }

    public async ValueTask<IReadOnlyList<IReadOnlyList<ScoredPoint>>> SearchBatchAsync(IReadOnlyList<SearchRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return await QueryBatchAsync([.. requests.Select((r, i) => QueryRequest.From(r ?? throw new ValidationException($"searches[{i}]", "must not be null.")))], cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<IReadOnlyList<ScoredPoint>>> QueryBatchAsync(IReadOnlyList<QueryRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        for (var i = 0; i < requests.Count; i++)
        {
            QueryStage.Root(requests[i] ?? throw new ValidationException($"searches[{i}]", "must not be null."));
        }

        return await Task.WhenAll(requests.Select(r => QueryAsync(r, cancellationToken).AsTask())).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<ScoredPoint>> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stage = QueryStage.Root(request);
        var entry = await EntryAsync(cancellationToken).ConfigureAwait(false);
        CheckSpaces(entry, stage);
        var (resolved, exclusion) = await ResolveInputsAsync(stage, cancellationToken).ConfigureAwait(false);
        var shards = ProbedShards(entry, ShardRouting.Candidates(entry, ShardKey), resolved);
        var hits = await RunAsync(entry, shards, resolved, exclusion, request.WithPayload, request.WithVector, cancellationToken).ConfigureAwait(false);
        var skip = resolved.Query is SampleQuery && resolved.Prefetches.Count == 0 ? 0 : request.Offset;
        return [.. hits.Skip(skip).Take(request.Limit)];
    }

    /// <summary>
    /// Refuses scoring by a sparse vector with the idf modifier: its weights come from document
    /// frequencies of the whole collection, which each shard only knows for its own points.
    /// </summary>
    private static void CheckSpaces(CollectionEntry entry, QueryStage root)
    {
        foreach (var stage in root.SelfAndDescendants())
        {
            if (stage.Query is NearestQuery or RecommendQuery or DiscoverQuery or ContextQuery
                && entry.Options.SparseVectors.TryGetValue(stage.Using, out var sparse) && sparse.Modifier == SparseModifier.Idf)
            {
                throw new ClusterNotSupportedException(stage.Field.Length == 0 ? "using" : $"{stage.Field}.using", $"scoring sparse vector '{stage.Using}' with the idf modifier (document frequencies are per shard)");
            }
        }
    }

    /// <summary>
    /// Reads the vectors of every point id the query names (per lookup collection and vector
    /// name), returns the tree with those vectors in place of the ids, and the root filter that
    /// leaves out the ids referenced in this collection.
    /// </summary>
    private async Task<(QueryStage Stage, Filter? Exclusion)> ResolveInputsAsync(QueryStage root, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<(string Collection, string Vector), HashSet<PointId>>();
        var excluded = new HashSet<PointId>();
        foreach (var stage in root.SelfAndDescendants())
        {
            foreach (var input in stage.Inputs())
            {
                if (input.Id is { } id)
                {
                    var key = (stage.LookupCollection(name), stage.LookupVector);
                    if (!wanted.TryGetValue(key, out var ids))
                    {
                        wanted[key] = ids = [];
                    }

                    ids.Add(id);
                    if (key.Item1 == name)
                    {
                        excluded.Add(id);
                    }
                }
            }
        }

        if (wanted.Count == 0)
        {
            return (root with { LookupFrom = null }, null);
        }

        var resolved = new Dictionary<(string, string, PointId), VectorData>();
        foreach (var ((collectionName, vectorName), ids) in wanted)
        {
            var source = collectionName == name ? this : node.Database.GetCollection(collectionName);
            var records = await source.GetAsync([.. ids], PayloadSelector.None, VectorSelector.Only(vectorName), cancellationToken).ConfigureAwait(false);
            var found = records.ToDictionary(r => r.Id);
            foreach (var id in ids)
            {
                var record = found.TryGetValue(id, out var r) ? r : throw new PointNotFoundException(id);
                VectorData? vector = vectorName.Length == 0 && record.Vector is { } unnamed
                    ? new DenseVector(unnamed)
                    : record.Vectors?.GetValueOrDefault(vectorName);
                resolved[(collectionName, vectorName, id)] = vector ?? throw new NotFoundException($"Vector with name \"{vectorName}\" for point {id} not found");
            }
        }

        var rewritten = root.WithInputs((stage, input) => VectorInput.Of(resolved[(stage.LookupCollection(name), stage.LookupVector, input.Id!.Value)]));
        return (rewritten, excluded.Count == 0 ? null : new Filter(mustNot: [Condition.HasId([.. excluded])]));
    }

    /// <summary>Runs one stage over the cluster: its hits, best first, at most <see cref="QueryStage.Limit"/>.</summary>
    private async Task<List<ScoredPoint>> RunAsync(CollectionEntry entry, IReadOnlyList<ShardInfo> shards, QueryStage stage, Filter? inherited, PayloadSelector withPayload, VectorSelector withVector, CancellationToken cancellationToken)
    {
        var filter = QueryStage.And(inherited, stage.Filter);
        if (stage.Prefetches.Count == 0)
        {
            return await LeafAsync(entry, shards, stage, filter, stage.Exact, withPayload, withVector, cancellationToken).ConfigureAwait(false);
        }

        if (stage.Query is FusionQuery fusion)
        {
            // The sources carry what the answer returns: fused points come from them.
            var sources = await Task.WhenAll(stage.Prefetches.Select(p => RunAsync(entry, shards, p, filter, withPayload, withVector, cancellationToken))).ConfigureAwait(false);
            var fused = fusion.Method == FusionMethod.Rrf
                ? Fusion.Rrf(sources, fusion.K ?? Fusion.DefaultRrfK, fusion.Weights)
                : Fusion.Dbsf(sources);
            var points = new Dictionary<PointId, ScoredPoint>();
            foreach (var p in sources.SelectMany(s => s))
            {
                points.TryAdd(p.Id, p);
            }

            var scored = fused
                .Where(kv => stage.Threshold is not { } t || kv.Value >= t)
                .Select(kv => points[kv.Key] with { Score = kv.Value, OrderValue = null })
                .ToList();
            return HitOrder.HigherScores.Merge([scored], stage.Limit);
        }

        // Rescoring: the query scores the union of the prefetched points, run on the shards that
        // hold them (exactly, as the engine rescoring scores every candidate).
        var lists = await Task.WhenAll(stage.Prefetches.Select(p => RunAsync(entry, shards, p, filter, PayloadSelector.None, VectorSelector.None, cancellationToken))).ConfigureAwait(false);
        PointId[] union = [.. lists.SelectMany(l => l).Select(p => p.Id).Distinct()];
        if (union.Length == 0)
        {
            return [];
        }

        var candidates = QueryStage.And(filter, new Filter(must: [Condition.HasId(union)]));
        return await LeafAsync(entry, shards, stage, candidates, exact: true, withPayload, withVector, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stage without prefetches: every shard runs it, the answers merge in the stage's order.</summary>
    private async Task<List<ScoredPoint>> LeafAsync(CollectionEntry entry, IReadOnlyList<ShardInfo> shards, QueryStage stage, Filter? filter, bool exact, PayloadSelector withPayload, VectorSelector withVector, CancellationToken cancellationToken)
    {
        var order = HitOrder.For(stage, entry.Options);
        if (order.IsRandom)
        {
            return await SampleAsync(shards, stage, filter, withPayload, withVector, cancellationToken).ConfigureAwait(false);
        }

        var request = stage.ToShardRequest(filter, stage.Limit, exact, withPayload, withVector);
        var lists = await ReadShardsAsync(shards, (_, c, t) => c.QueryAsync(request, t).AsTask(), cancellationToken).ConfigureAwait(false);
        return order.Merge(lists, stage.Limit);
    }

    /// <summary>
    /// A uniform random sample over all shards: the matching points are counted per shard, the
    /// sample's positions drawn among them all (Floyd's algorithm), and each shard samples as many
    /// of its own points as fell to it; every subset of the asked size is equally likely.
    /// </summary>
    private async Task<List<ScoredPoint>> SampleAsync(IReadOnlyList<ShardInfo> shards, QueryStage stage, Filter? filter, PayloadSelector withPayload, VectorSelector withVector, CancellationToken cancellationToken)
    {
        var counts = await ReadShardsAsync(shards, (_, c, t) => c.CountAsync(filter, t).AsTask(), cancellationToken).ConfigureAwait(false);
        var perShard = SampleAllocation.Draw(counts, stage.Limit, Random.Shared);
        var want = shards.Select((s, i) => (s.Id, perShard[i])).ToDictionary(x => x.Id, x => x.Item2);
        var lists = await ReadShardsAsync(
            shards,
            (shard, c, t) => want[shard.Id] == 0
                ? Task.FromResult<IReadOnlyList<ScoredPoint>>([])
                : c.QueryAsync(stage.ToShardRequest(filter, want[shard.Id], stage.Exact, withPayload, withVector), t).AsTask(),
            cancellationToken).ConfigureAwait(false);
        return HitOrder.Random.Merge(lists, stage.Limit);
    }
}
