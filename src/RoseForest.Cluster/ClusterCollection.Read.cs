using RoseForest.Cluster.Catalog;
using RoseForest.Cluster.Routing;
using RoseForest.Core.Filters;

namespace RoseForest.Cluster;

internal sealed partial class ClusterCollection
{
    public async ValueTask<IReadOnlyList<Record>> GetAsync(IReadOnlyList<PointId> ids, PayloadSelector? withPayload = null, VectorSelector? withVector = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var entry = await EntryAsync(cancellationToken).ConfigureAwait(false);
        var key = ShardKey;
        var candidates = ShardRouting.Candidates(entry, key);
        var byShard = new Dictionary<long, List<PointId>>();
        foreach (var id in ids)
        {
            foreach (var shard in ShardRouting.ForId(entry, key, id) is { } one ? [one] : candidates)
            {
                if (!byShard.TryGetValue(shard.Id, out var list))
                {
                    byShard[shard.Id] = list = [];
                }

                list.Add(id);
            }
        }

        var shards = byShard.Keys.Select(id => node.State.Shards.GetValueOrDefault(id) ?? candidates.First(s => s.Id == id)).ToList();
        var results = await ReadShardsAsync(shards, (shard, c, t) => c.GetAsync(byShard[shard.Id], withPayload, withVector, t).AsTask(), cancellationToken).ConfigureAwait(false);
        return ResultMerge.InOrder(ids, results);
    }

    public async ValueTask<ScrollPage> ScrollAsync(ScrollRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Limit < 1)
        {
            throw new ValidationException("limit", "must be at least 1.");
        }

        var shards = await ShardsAsync(cancellationToken).ConfigureAwait(false);
        var pages = await ReadShardsAsync(shards, (_, c, t) => c.ScrollAsync(request, t).AsTask(), cancellationToken).ConfigureAwait(false);
        return ResultMerge.Scroll(pages, request.Limit);
    }

    public async ValueTask<long> CountAsync(Filter? filter = null, CancellationToken cancellationToken = default)
    {
        var shards = await ShardsAsync(cancellationToken).ConfigureAwait(false);
        var counts = await ReadShardsAsync(shards, (_, c, t) => c.CountAsync(filter, t).AsTask(), cancellationToken).ConfigureAwait(false);
        return counts.Sum();
    }

    private async Task<IReadOnlyList<ShardInfo>> ShardsAsync(CancellationToken cancellationToken) =>
        ShardRouting.Candidates(await EntryAsync(cancellationToken).ConfigureAwait(false), ShardKey);

    /// <summary>Reads every shard in parallel, each from its replicas as the request's consistency says.</summary>
    private async Task<IReadOnlyList<T>> ReadShardsAsync<T>(IReadOnlyList<ShardInfo> shards, Func<ShardInfo, IVectorCollection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var request = ClusterRequest.Current;
        var consistency = request?.Consistency ?? ReadConsistency.Default;
        IReadOnlyDictionary<long, long> minSeqs = consistency.Mode switch
        {
            ReadConsistencyMode.Session => request?.Token?.Sequences ?? new Dictionary<long, long>(),
            ReadConsistencyMode.Strong => await node.Catalog.LastSequencesAsync([.. shards.Select(s => s.Id)], cancellationToken).ConfigureAwait(false),
            _ => new Dictionary<long, long>(),
        };
        var tasks = shards.Select(s => ReadShardAsync(s, minSeqs.GetValueOrDefault(s.Id), consistency, read, cancellationToken));
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task<T> ReadShardAsync<T>(ShardInfo shard, long minSeq, ReadConsistency consistency, Func<ShardInfo, IVectorCollection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var what = $"shard {shard.Number} of {name}";
        var factor = consistency.ReplicasFor(Active(shard.Id).Count());
        if (factor <= 1)
        {
            var (result, _) = await node.Reads.ReadAsync(what, () => Plan(shard.Id, minSeq), (target, t) => InvokeAsync(target, shard, minSeq, read, t), cancellationToken).ConfigureAwait(false);
            return result;
        }

        // Several replicas: the answer of the one that has applied the most of the log.
        var targets = Plan(shard.Id, minSeq);
        var answers = new List<(T Result, long Applied)>();
        var next = 0;
        var running = new List<Task<(T, long)>>();
        Exception? last = null;
        while (answers.Count < factor)
        {
            while (running.Count + answers.Count < factor && next < targets.Count)
            {
                var target = targets[next++];
                running.Add(target.Peer is { } peer
                    ? peer.Reads.ExecuteAsync(async t => await InvokeAsync(target, shard, minSeq, read, t).ConfigureAwait(false), cancellationToken).AsTask()
                    : InvokeAsync(target, shard, minSeq, read, cancellationToken));
            }

            if (running.Count == 0)
            {
                throw new ClusterUnavailableException($"only {answers.Count} of the {factor} replicas of {what} that the read consistency asks for answered{(last is null ? "." : $": {last.Message}")}");
            }

            var done = await Task.WhenAny(running).ConfigureAwait(false);
            running.Remove(done);
            try
            {
                answers.Add(await done.ConfigureAwait(false));
            }
            catch (Exception e) when (ReplicaFailures.IsRetryable(e))
            {
                last = e;
            }
        }

        return answers.MaxBy(a => a.Applied).Result;
    }

    private IEnumerable<ReplicaInfo> Active(long shardId) =>
        node.State.Shards.TryGetValue(shardId, out var s) ? s.Replicas.Where(r => r.State == ReplicaStatus.Active) : [];

    /// <summary>
    /// The replicas a read may use, best first: active ones on nodes that are up and whose breaker
    /// is not open, this node's own first, then the least lagging, then the fastest; after them,
    /// as fallbacks, partial replicas (catching up) that have applied at least
    /// <paramref name="minSeq"/> and are within the catch-up lag of the log's head, so they are as
    /// fresh as an active replica is allowed to be. A shard whose other replica is being rebuilt
    /// while the active one's node fails stays readable.
    /// </summary>
    private List<ReplicaTarget> Plan(long shardId, long minSeq = 0)
    {
        var state = node.State;
        if (!state.Shards.TryGetValue(shardId, out var shard))
        {
            return [];
        }

        var head = shard.LastSeq;
        var floor = Math.Max(minSeq, head - node.Options.CatchUpLag);
        var targets = new List<(ReplicaTarget Target, int Rank, long Lag, double P95)>();
        foreach (var r in shard.Replicas)
        {
            var active = r.State == ReplicaStatus.Active;
            if (!active && r.State != ReplicaStatus.Partial)
            {
                continue;
            }

            if (r.NodeId == node.Id)
            {
                if (node.Replicas.Get(shardId) is { IsReady: true } local && (active || local.AppliedSeq >= floor))
                {
                    targets.Add((new ReplicaTarget(r.NodeId, local, null, node.SelfLatency), active ? 0 : 2, head - local.AppliedSeq, 0));
                }
            }
            else if (node.IsUp(r.NodeId) && node.Peer(r.NodeId) is { IsOpen: false } peer && (active || r.AppliedSeq >= floor))
            {
                targets.Add((new ReplicaTarget(r.NodeId, null, peer, peer.Latency), active ? 1 : 3, head - r.AppliedSeq, peer.Latency.P95().TotalMilliseconds));
            }
        }

        if (targets.Count == 0)
        {
            // Last resort: active replicas on live nodes whose circuit is open (see ReplicaTarget).
            foreach (var r in shard.Replicas)
            {
                if (r.State == ReplicaStatus.Active && r.NodeId != node.Id && node.IsUp(r.NodeId) && node.Peer(r.NodeId) is { IsOpen: true } peer)
                {
                    targets.Add((new ReplicaTarget(r.NodeId, null, peer, peer.Latency, PastOpenBreaker: true), 4, head - r.AppliedSeq, peer.Latency.P95().TotalMilliseconds));
                }
            }
        }

        return [.. targets.OrderBy(t => t.Rank).ThenBy(t => t.Lag).ThenBy(t => t.P95).Select(t => t.Target)];
    }

    private async Task<(T Result, long Applied)> InvokeAsync<T>(ReplicaTarget target, ShardInfo shard, long minSeq, Func<ShardInfo, IVectorCollection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        if (target.Local is { } local)
        {
            if (local.AppliedSeq < minSeq && !await local.WaitAppliedAsync(minSeq, node.Options.ReadWaitTimeout, cancellationToken).ConfigureAwait(false))
            {
                throw new ReplicaUnavailableException($"the local replica of shard {shard.Id} has not reached sequence {minSeq}.");
            }

            var collection = local.Collection ?? throw new ReplicaUnavailableException($"the local replica of shard {shard.Id} is being rebuilt.");
            var applied = local.AppliedSeq;
            return (await read(shard, collection, cancellationToken).ConfigureAwait(false), applied);
        }

        var peer = target.Peer!;
        return await PeerClient.WithMinSeqAsync(minSeq, () => read(shard, peer.Local.GetCollection(shard.LocalName), cancellationToken)).ConfigureAwait(false);
    }
}
