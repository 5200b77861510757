using Microsoft.Extensions.Logging;
using Npgsql;
using RoseForest.Cluster.Catalog;
using RoseForest.Cluster.Log;

namespace RoseForest.Cluster.Control;

/// <summary>
/// The controller: every node tries to take a PostgreSQL advisory lock on a session of its own;
/// the one that holds it is the only writer of replica assignments. Its changes run in
/// transactions on that same session, so a controller that lost its session (it died, froze
/// past <c>idle_session_timeout</c>, or was cut off) cannot write any more: fencing comes from
/// the session, not from a clock. A frozen controller's session is closed by PostgreSQL after
/// the node lease, and another node takes the lock.
/// </summary>
internal sealed partial class Controller(NpgsqlDataSource source, CatalogStore catalog, IShardLog log, ClusterOptions options, Func<long> selfId, ILogger logger)
{
    private NpgsqlConnection? _session;

    /// <summary>True while this node holds the lock.</summary>
    public bool IsLeader => _session is not null;

    public async Task RunAsync(SemaphoreSlim wake, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (_session is null)
                {
                    await TryAcquireAsync(stop).ConfigureAwait(false);
                }

                if (_session is not null)
                {
                    await RunDutiesAsync(_session, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogLost(logger, e.Message);
                await ReleaseAsync().ConfigureAwait(false);
            }

            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop);
            tick.CancelAfter(options.ControllerInterval);
            try
            {
                await wake.WaitAsync(tick.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await ReleaseAsync().ConfigureAwait(false);
    }

    private async Task TryAcquireAsync(CancellationToken stop)
    {
        var connection = await source.OpenConnectionAsync(stop).ConfigureAwait(false);
        try
        {
            var timeoutMs = (long)Math.Max(1000, options.NodeLease.TotalMilliseconds);
            await using (var setup = new NpgsqlCommand($"SET idle_session_timeout = {timeoutMs}; SET application_name = 'roseforest-controller'", connection))
            {
                await setup.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
            }

            await using var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({Schema.ControllerLockKey})", connection);
            if (await take.ExecuteScalarAsync(stop).ConfigureAwait(false) is true)
            {
                await using var mark = new NpgsqlCommand("INSERT INTO roseforest.meta VALUES ('controller', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", connection)
                {
                    Parameters = { new() { Value = selfId().ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                };
                await mark.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                await CatalogStore.NotifyAsync(connection, stop).ConfigureAwait(false);
                _session = connection;
                LogAcquired(logger, selfId());
                return;
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunDutiesAsync(NpgsqlConnection session, CancellationToken stop)
    {
        var state = await catalog.LoadAsync(stop).ConfigureAwait(false);
        var actions = ControllerPlan.Decide(state, options);
        var changed = false;
        var truncations = new List<Truncate>();
        await using (var tx = await session.BeginTransactionAsync(stop).ConfigureAwait(false))
        {
            foreach (var action in actions)
            {
                if (action is Truncate t)
                {
                    truncations.Add(t);
                    continue;
                }

                await ApplyAsync(session, tx, action, stop).ConfigureAwait(false);
                LogAction(logger, action.ToString());
                changed = true;
            }

            if (changed)
            {
                await CatalogStore.NotifyAsync(session, stop, tx).ConfigureAwait(false);
            }
            else
            {
                // Touches the session, so a lost lock shows here and not at the next change.
                await using var ping = new NpgsqlCommand("SELECT 1", session, tx);
                await ping.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
            }

            await tx.CommitAsync(stop).ConfigureAwait(false);
        }

        foreach (var t in truncations)
        {
            await log.TruncateAsync(t.ShardId, t.UpToSeq, stop).ConfigureAwait(false);
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection session, NpgsqlTransaction tx, ControllerAction action, CancellationToken stop)
    {
        var (sql, node) = action switch
        {
            MarkDead m => ("UPDATE roseforest.replicas SET state = 'dead', state_since = now() WHERE shard_id = $1 AND node_id = $2 AND state <> 'dead'", (long?)m.NodeId),
            Revive r => ("UPDATE roseforest.replicas SET state = 'partial', state_since = now() WHERE shard_id = $1 AND node_id = $2 AND state = 'dead'", r.NodeId),
            Promote p => ("UPDATE roseforest.replicas SET state = 'active', state_since = now() WHERE shard_id = $1 AND node_id = $2 AND state = 'partial'", p.NodeId),
            AddReplica a => ("INSERT INTO roseforest.replicas (shard_id, node_id, state, epoch) VALUES ($1, $2, 'partial', nextval('roseforest.replica_epochs')) ON CONFLICT DO NOTHING", a.NodeId),
            DropReplica d => ("DELETE FROM roseforest.replicas WHERE shard_id = $1 AND node_id = $2", d.NodeId),
            FinishTransfer f => ("DELETE FROM roseforest.transfers WHERE shard_id = $1 AND id = $2", f.TransferId),
            _ => throw new InvalidOperationException($"unknown controller action {action}"),
        };
        await using var command = new NpgsqlCommand(sql, session, tx) { Parameters = { new() { Value = action.ShardId }, new() { Value = node!.Value } } };
        await command.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
    }

    private async Task ReleaseAsync()
    {
        if (_session is { } session)
        {
            _session = null;
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} is the cluster controller")]
    private static partial void LogAcquired(ILogger logger, long node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller session lost: {Error}")]
    private static partial void LogLost(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller: {Action}")]
    private static partial void LogAction(ILogger logger, string action);
}
