using System.Collections.Concurrent;
using Polly;
using Polly.Hedging;
using Polly.Retry;
using RoseForest.Cluster.Replication;

namespace RoseForest.Cluster.Routing;

/// <summary>
/// One replica a read may go to: this node's own replica, or a peer's. <paramref name="PastOpenBreaker"/>:
/// a last resort whose peer's circuit is open, called around the breaker (with the read timeout)
/// because no other replica is left: the breaker steers reads away from a failing node while
/// there is an alternative, it should not fail a read that node may still serve.
/// </summary>
internal sealed record ReplicaTarget(long NodeId, LocalReplica? Local, PeerClient? Peer, LatencyTracker Latency, bool PastOpenBreaker = false);

/// <summary>
/// Runs one shard's read over its replicas with Polly: the primary replica first; a hedged
/// attempt to the next replica after the primary's p95 latency, or at once when the primary
/// fails; the replicas' order is re-planned and the whole read retried with jittered exponential
/// backoff when every replica failed (reads are idempotent). Errors that are the request's own
/// (400, 404) are not retried.
/// </summary>
internal sealed class ReadExecutor(ClusterOptions options)
{
    private static readonly ResiliencePropertyKey<object> StateKey = new("roseforest.read");
    private readonly ConcurrentDictionary<Type, object> _pipelines = new();

    public async Task<T> ReadAsync<T>(string what, Func<IReadOnlyList<ReplicaTarget>> plan, Func<ReplicaTarget, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var (retry, hedge) = Pipelines<T>();
        try
        {
            return await retry.ExecuteAsync(
                async token =>
                {
                    var targets = plan();
                    if (targets.Count == 0)
                    {
                        throw new ReplicaUnavailableException($"no active replica of {what} is reachable.");
                    }

                    var context = ResilienceContextPool.Shared.Get(token);
                    context.Properties.Set(StateKey, new HedgeState<T>(targets, read, options.TimeProvider, options.ReadTimeout));
                    try
                    {
                        return await hedge.ExecuteAsync(static (c, s) => new ValueTask<T>(s.Invoke(0, c.CancellationToken)), context, (HedgeState<T>)context.Properties.GetValue(StateKey, null!)).ConfigureAwait(false);
                    }
                    finally
                    {
                        ResilienceContextPool.Shared.Return(context);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ReplicaFailures.IsRetryable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new ClusterUnavailableException($"no replica of {what} could serve the read: {e.Message}", e);
        }
    }

    private (ResiliencePipeline<T> Retry, ResiliencePipeline<T> Hedge) Pipelines<T>() =>
        ((ResiliencePipeline<T>, ResiliencePipeline<T>))_pipelines.GetOrAdd(typeof(T), _ => Build<T>());

    private (ResiliencePipeline<T>, ResiliencePipeline<T>) Build<T>()
    {
        var retry = new ResiliencePipelineBuilder<T> { TimeProvider = options.TimeProvider }
            .AddRetry(new RetryStrategyOptions<T>
            {
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && ReplicaFailures.IsRetryable(e)),
            })
            .Build();
        var hedge = new ResiliencePipelineBuilder<T> { TimeProvider = options.TimeProvider }
            .AddHedging(new HedgingStrategyOptions<T>
            {
                MaxHedgedAttempts = 2,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && ReplicaFailures.IsRetryable(e)),
                DelayGenerator = args =>
                {
                    var state = (HedgeState<T>)args.Context.Properties.GetValue(StateKey, null!);
                    return ValueTask.FromResult(state.Targets[0].Latency.P95());
                },
                ActionGenerator = args =>
                {
                    var state = (HedgeState<T>)args.ActionContext.Properties.GetValue(StateKey, null!);
                    var attempt = args.AttemptNumber;
                    if (attempt >= state.Targets.Count)
                    {
                        return null;
                    }

                    return async () =>
                    {
                        try
                        {
                            return Outcome.FromResult(await state.Invoke(attempt, args.ActionContext.CancellationToken).ConfigureAwait(false));
                        }
                        catch (Exception e)
                        {
                            return Outcome.FromException<T>(e);
                        }
                    };
                },
            })
            .Build();
        return (retry, hedge);
    }

    private sealed class HedgeState<T>(IReadOnlyList<ReplicaTarget> targets, Func<ReplicaTarget, CancellationToken, Task<T>> read, TimeProvider time, TimeSpan readTimeout)
    {
        public IReadOnlyList<ReplicaTarget> Targets => targets;

        public async Task<T> Invoke(int attempt, CancellationToken cancellationToken)
        {
            var target = targets[attempt];
            var started = time.GetTimestamp();
            T result;
            if (target.Peer is { } peer && !target.PastOpenBreaker)
            {
                result = await peer.Reads.ExecuteAsync(async token => await read(target, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            else if (target.PastOpenBreaker)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(readTimeout);
                try
                {
                    result = await read(target, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"peer {target.NodeId} did not answer within {readTimeout.TotalSeconds:0.#} s.", e);
                }
            }
            else
            {
                result = await read(target, cancellationToken).ConfigureAwait(false);
            }

            target.Latency.Record(time.GetElapsedTime(started));
            return result;
        }
    }
}
