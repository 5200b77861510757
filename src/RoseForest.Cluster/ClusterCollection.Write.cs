using System.Text.Json;
using Npgsql;
using Polly;
using Polly.Retry;
using RoseForest.Cluster.Catalog;
using RoseForest.Cluster.Log;
using RoseForest.Cluster.Routing;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;
using RoseForest.Engine;
using RoseForest.Core.Spaces;

namespace RoseForest.Cluster;

internal sealed partial class ClusterCollection
{
    /// <summary>Retries of an append after a transient PostgreSQL error (safe: the idempotency key makes it apply once).</summary>
    private static readonly ResiliencePipeline AppendRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 5,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is NpgsqlException { IsTransient: true }),
        })
        .Build();

    /// <summary>The step of a batch update being logged (its idempotency key is the request's plus the step), or null.</summary>
    private static readonly AsyncLocal<int?> BatchStep = new();

    public async Task<UpdateResult> UpsertAsync(IReadOnlyList<PointStruct> points, UpsertOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        var entry = await EntryAsync(cancellationToken).ConfigureAwait(false);
        var project = options?.ProjectOntoManifold ?? false;
        if (options is not null && !Enum.IsDefined(options.Mode))
        {
            throw new ValidationException("update_mode", $"unknown mode {options.Mode}.");
        }

        CheckBatchSize(points.Count);
        if (entry.Sharding == ShardingMethod.Locality)
        {
            return await UpsertByLocalityAsync(entry, points, options, cancellationToken).ConfigureAwait(false);
        }

        var key = ShardKey;
        var groups = new Dictionary<long, List<PointStruct>>();
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i] ?? throw new ValidationException($"points[{i}]", "a point must not be null.");
            CheckVectors(entry, p, i, project, requireVector: true);
            if (p.Payload is { } payload)
            {
                Payload.RequireObject(payload, $"points[{i}].payload");
            }

            var shard = ShardRouting.ForWrite(entry, key, p.Id);
            if (!groups.TryGetValue(shard.Id, out var list))
            {
                groups[shard.Id] = list = [];
            }

            list.Add(p);
        }

        if (points.Count == 0)
        {
            return new UpdateResult(0, 0);
        }

        return await CommitAsync(entry, [.. groups.Select(g => (g.Key, LogOperation.Upsert(g.Value, options)))], points.Count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Qdrant's update_vectors: each point's record goes to the shard that holds its id. Ids must
    /// exist (each replica refuses a missing one identically, answered 404); the update_filter is
    /// resolved by every replica against the same state.
    /// </summary>
    public async Task<UpdateResult> UpdateVectorsAsync(IReadOnlyList<PointStruct> points, Filter? updateFilter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        var entry = await EntryAsync(cancellationToken).ConfigureAwait(false);
        CheckBatchSize(points.Count);
        if (entry.Sharding == ShardingMethod.Locality)
        {
            throw new ClusterNotSupportedException("points", "update_vectors on a locality-sharded collection (a new vector may belong to another shard; upsert the whole point instead)");
        }

        var key = ShardKey;
        var candidates = ShardRouting.Candidates(entry, key);
        var groups = new Dictionary<long, List<PointStruct>>();
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i] ?? throw new ValidationException($"points[{i}]", "a point must not be null.");
            if (p.Payload is not null)
            {
                throw new ValidationException($"points[{i}].payload", "update_vectors changes vectors only.");
            }

            CheckVectors(entry, p, i, project: false, requireVector: false);
            var shard = ShardRouting.ForId(entry, key, p.Id)
                ?? (candidates.Count == 1 ? candidates[0] : throw new ValidationException("shard_key", "update_vectors on a custom-sharded collection needs the shard_key that holds the points."));
            if (!groups.TryGetValue(shard.Id, out var list))
            {
                groups[shard.Id] = list = [];
            }

            list.Add(p);
        }

        if (points.Count == 0)
        {
            return new UpdateResult(0, 0);
        }

        return await CommitAsync(entry, [.. groups.Select(g => (g.Key, LogOperation.UpdateVectors(g.Value, updateFilter)))], points.Count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Qdrant's delete_vectors, routed like a payload edit (selected ids must exist).</summary>
    public Task<UpdateResult> DeleteVectorsAsync(PointSelector selector, IReadOnlyList<string> vectorNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectorNames);
        string[] names = [.. vectorNames.Select(n => n ?? string.Empty)];
        return SelectedAsync(selector, s => LogOperation.DeleteVectors(s, names), requireExisting: true, cancellationToken);
    }

    /// <summary>
    /// Qdrant's /points/batch: each operation is logged (one PostgreSQL transaction each) and
    /// acknowledged before the next is logged, so the first that fails stops the batch and the
    /// ones before it stay applied, as on one node. A retried batch (same idempotency key) logs
    /// each step once.
    /// </summary>
    public async Task<IReadOnlyList<UpdateResult>> UpdateBatchAsync(IReadOnlyList<UpdateOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        for (var i = 0; i < operations.Count; i++)
        {
            _ = operations[i] ?? throw new ValidationException($"operations[{i}]", "must not be null.");
        }

        var results = new List<UpdateResult>(operations.Count);
        for (var i = 0; i < operations.Count; i++)
        {
            BatchStep.Value = i;
            try
            {
                results.Add(await operations[i].ApplyAsync(this, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                BatchStep.Value = null;
            }
        }

        return results;
    }

    private static void CheckBatchSize(int count)
    {
        if (count > Collection.MaxBatchPoints)
        {
            throw new ValidationException("points", $"a batch may hold at most {Collection.MaxBatchPoints} points, got {count}.");
        }
    }

    /// <summary>
    /// Checks a point's vectors before anything is logged, where the router can judge them alone:
    /// the unnamed dense vector of a collection that has only that one (dimension, finite values,
    /// the geometry's domain). Other shapes (named, sparse, multi vectors, datatypes) are checked by
    /// the replicas, which refuse a bad record identically (it applies as an empty write) and the
    /// writer gets the 400.
    /// </summary>
    private static void CheckVectors(CollectionEntry entry, PointStruct p, int i, bool project, bool requireVector)
    {
        var o = entry.Options;
        var classic = o.NamedVectors.Count == 0 && o.SparseVectors.Count == 0 && o.Multivector is null && o.Datatype == VectorDatatype.Float32;
        if (!classic)
        {
            return;
        }

        if (p.Vector is null && (p.Vectors is null || !p.Vectors.ContainsKey(string.Empty)))
        {
            if (requireVector)
            {
                throw new ValidationException($"points[{i}].vector", "a point needs a vector.");
            }

            return;
        }

        if (p.Vector is { } dense)
        {
            // Checked here, before anything is logged: a logged record must apply on every replica.
            VectorChecks.Validate(o.Geometry, o.Curvature, o.Dimension, dense, project, $"points[{i}].vector");
        }
    }

    public Task<UpdateResult> DeleteAsync(PointSelector selector, CancellationToken cancellationToken = default) =>
        SelectedAsync(selector, LogOperation.Delete, requireExisting: false, cancellationToken);

    public Task<UpdateResult> SetPayloadAsync(PointSelector selector, JsonElement payload, string? key = null, CancellationToken cancellationToken = default)
    {
        var patch = Payload.RequireObject(payload).Clone();
        _ = key is null ? null : PayloadPath.Parse(key, "key");
        return SelectedAsync(selector, s => LogOperation.SetPayload(s, patch, key), requireExisting: true, cancellationToken);
    }

    public Task<UpdateResult> OverwritePayloadAsync(PointSelector selector, JsonElement payload, CancellationToken cancellationToken = default)
    {
        var replacement = Payload.RequireObject(payload).Clone();
        return SelectedAsync(selector, s => LogOperation.OverwritePayload(s, replacement), requireExisting: true, cancellationToken);
    }

    public Task<UpdateResult> DeletePayloadKeysAsync(PointSelector selector, IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        for (var i = 0; i < keys.Count; i++)
        {
            PayloadPath.Parse(keys[i], $"keys[{i}]");
        }

        return SelectedAsync(selector, s => LogOperation.DeletePayload(s, keys), requireExisting: true, cancellationToken);
    }

    public Task<UpdateResult> ClearPayloadAsync(PointSelector selector, CancellationToken cancellationToken = default) =>
        SelectedAsync(selector, LogOperation.ClearPayload, requireExisting: true, cancellationToken);

    /// <summary>
    /// A write over selected points: ids go to the shard that holds each (or, where that is not
    /// determined, to every candidate shard); a filter goes to every candidate shard, where each
    /// replica resolves it against the same state.
    /// </summary>
    private async Task<UpdateResult> SelectedAsync(PointSelector selector, Func<PointSelector, LogOperation> make, bool requireExisting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var entry = await EntryAsync(cancellationToken).ConfigureAwait(false);
        var key = ShardKey;
        var candidates = ShardRouting.Candidates(entry, key);
        var records = new List<(long, LogOperation)>();
        if (selector.Ids is { } located && entry.Sharding == ShardingMethod.Locality && requireExisting)
        {
            // Any shard may hold an id: each shard edits the ones it has (a has_id filter), and ids
            // held by none are not reported (the edit cannot be refused by the shards that lack them).
            records.AddRange(candidates.Select(s => (s.Id, make(PointSelector.Where(new Filter(must: [new HasIdCondition(located)]))))));
            return await CommitAsync(entry, records, located.Count, cancellationToken).ConfigureAwait(false);
        }

        if (selector.Ids is { } ids)
        {
            var byShard = new Dictionary<long, List<PointId>>();
            foreach (var id in ids)
            {
                var targets = ShardRouting.ForId(entry, key, id) is { } one ? [one] : candidates;
                foreach (var shard in targets)
                {
                    if (!byShard.TryGetValue(shard.Id, out var list))
                    {
                        byShard[shard.Id] = list = [];
                    }

                    list.Add(id);
                }
            }

            if (requireExisting && entry.Sharding == ShardingMethod.Custom && key is null && candidates.Count > 1)
            {
                throw new ValidationException("shard_key", "a payload edit by id on a custom-sharded collection needs the shard_key that holds the points.");
            }

            records.AddRange(byShard.Select(g => (g.Key, make(PointSelector.ById(g.Value)))));
            if (records.Count == 0)
            {
                return new UpdateResult(0, 0);
            }

            return await CommitAsync(entry, records, ids.Count, cancellationToken).ConfigureAwait(false);
        }

        records.AddRange(candidates.Select(s => (s.Id, make(selector))));
        return await CommitAsync(entry, records, 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends the records in one transaction, then (unless the request said wait=false) waits
    /// until write_consistency_factor replicas of every shard applied them.
    /// </summary>
    private async Task<UpdateResult> CommitAsync(CollectionEntry entry, List<(long ShardId, LogOperation Op)> records, int pointsNamed, CancellationToken cancellationToken)
    {
        var request = ClusterRequest.Current;
        var idempotencyKey = request?.IdempotencyKey ?? Guid.NewGuid().ToString("N");
        if (BatchStep.Value is { } step)
        {
            idempotencyKey += $"#{step}";
        }
        AppendResult appended;
        try
        {
            appended = await AppendRetry.ExecuteAsync(async token => await node.Log.AppendAsync(records, idempotencyKey, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new ClusterUnavailableException($"the write could not be logged in PostgreSQL: {e.Message}", e);
        }

        return await AcknowledgeAsync(entry, appended, pointsNamed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands the write's token to the request, then (unless wait=false) waits for write_consistency_factor replicas of each shard.</summary>
    private async Task<UpdateResult> AcknowledgeAsync(CollectionEntry entry, AppendResult appended, int pointsNamed, CancellationToken cancellationToken)
    {
        var request = ClusterRequest.Current;
        var token = new ConsistencyToken(appended.Sequences);
        if (request is not null)
        {
            request.ResultToken = request.ResultToken is { } previous ? previous.Merge(token) : token;
        }

        if (request?.Wait != false)
        {
            var waits = appended.Sequences.Select(s => WaitForAcksAsync(entry, s.Key, s.Value, appended.OperationId, cancellationToken));
            await Task.WhenAll(waits).ConfigureAwait(false);
        }

        return new UpdateResult(appended.OperationId, pointsNamed);
    }

    /// <summary>Waits until <c>write_consistency_factor</c> replicas of the shard applied <paramref name="seq"/>; rethrows a refusal.</summary>
    private async Task WaitForAcksAsync(CollectionEntry entry, long shardId, long seq, long operationId, CancellationToken cancellationToken)
    {
        var needed = entry.WriteConsistencyFactor;
        var shard = node.State.Shards.GetValueOrDefault(shardId);
        var replicas = shard?.Replicas.Where(r => r.State != ReplicaStatus.Dead && node.IsUp(r.NodeId)).OrderBy(r => r.NodeId == node.Id ? 0 : 1).ToList() ?? [];
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeout = node.Options.WriteAckTimeout;
        linked.CancelAfter(timeout);
        var pending = replicas.Select(r => WaitOneAsync(r.NodeId, shardId, seq, timeout, linked.Token)).ToList();
        var acks = 0;
        while (pending.Count > 0 && acks < needed)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            var outcome = await done.ConfigureAwait(false);
            if (outcome is { Applied: true, Failure: { } failure })
            {
                await linked.CancelAsync().ConfigureAwait(false);
                throw failure.StartsWith("404:", StringComparison.Ordinal)
                    ? new NotFoundException(failure[4..])
                    : new ValidationException(string.Empty, failure[4..]);
            }

            if (outcome?.Applied == true)
            {
                acks++;
            }
        }

        await linked.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (acks < needed)
        {
            throw new ClusterUnavailableException(
                $"the write was committed (operation {operationId}, shard {shardId} sequence {seq}) and will be applied, but only {acks} of the {needed} replicas required by write_consistency_factor applied it within {timeout.TotalSeconds:0.#} s.");
        }
    }

    private async Task<ApplyWait?> WaitOneAsync(long nodeId, long shardId, long seq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            if (nodeId == node.Id)
            {
                var replica = node.Replicas.Get(shardId);
                if (replica is null)
                {
                    return null;
                }

                var applied = await replica.WaitAppliedAsync(seq, timeout, cancellationToken).ConfigureAwait(false);
                return new ApplyWait(applied, replica.AppliedSeq, applied ? replica.FailureOf(seq) : null);
            }

            var peer = node.Peer(nodeId);
            if (peer is null || peer.IsOpen)
            {
                return null;
            }

            return await peer.WaitAppliedAsync(shardId, seq, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or RoseForestException)
        {
            return null;
        }
    }
}
