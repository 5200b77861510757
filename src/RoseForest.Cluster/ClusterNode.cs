using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RoseForest.Cluster.Catalog;
using RoseForest.Cluster.Control;
using RoseForest.Cluster.Log;
using RoseForest.Cluster.Replication;
using RoseForest.Cluster.Routing;
using RoseForest.Engine;
using RoseForest.Storage.IO;

namespace RoseForest.Cluster;

/// <summary>
/// One node of a RoseForest cluster: it joins through PostgreSQL (catalogue and shard logs),
/// renews its lease, competes for the controller lock, keeps its replicas tailing their logs
/// into the local engine, and serves <see cref="Database"/>: the <see cref="IVectorDatabase"/>
/// that routes every request over the cluster's shards and replicas. The engine does not know it
/// is replicated.
/// <code>
/// await using var node = await ClusterNode.StartAsync(engine, new ClusterOptions { ConnectionString = "Host=…" });
/// await node.JoinAsync(new Uri("http://10.0.0.5:6333/"));   // once peers can reach this node
/// </code>
/// </summary>
public sealed partial class ClusterNode : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlDataSource _sessions;
    private readonly ClusterOptions _options;
    private readonly ILogger _logger;
    private readonly string _folder;
    private readonly ConcurrentDictionary<long, PeerClient> _peers = new();
    private readonly SemaphoreSlim _refreshWake = new(0, 1);
    private readonly SemaphoreSlim _controllerWake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private ClusterState _state = ClusterState.Empty;
    private long _id = -1;

    private ClusterNode(RoseForestDatabase engine, ClusterOptions options, ILoggerFactory loggers, NpgsqlDataSource source, NpgsqlDataSource sessions, string folder)
    {
        Engine = engine;
        _options = options;
        _logger = loggers.CreateLogger("RoseForest.Cluster");
        _source = source;
        _sessions = sessions;
        _folder = folder;
        Catalog = new CatalogStore(source, options.TimeProvider);
        Log = new PostgresShardLog(source);
        Reads = new ReadExecutor(options);
        Replicas = new ReplicaManager(engine, Log, options, _logger, Path.Combine(folder, "replicas"), () => _state, Peer, () => _id);
        Controller = new Controller(sessions, Catalog, Log, options, () => _id, _logger);
        Database = new ClusterDatabase(this);
        SelfLatency = new LatencyTracker();
    }

    /// <summary>The IVectorDatabase a host serves in cluster mode.</summary>
    public IVectorDatabase Database { get; }

    /// <summary>The local engine holding this node's replicas (collections named <c>shard_&lt;id&gt;</c>).</summary>
    public RoseForestDatabase Engine { get; }

    /// <summary>This node's peer id (-1 until it joined).</summary>
    public long Id => Volatile.Read(ref _id);

    /// <summary>True while this node holds the controller lock.</summary>
    public bool IsController => Controller.IsLeader;

    internal ClusterOptions Options => _options;

    internal CatalogStore Catalog { get; }

    internal IShardLog Log { get; }

    internal ReadExecutor Reads { get; }

    internal ReplicaManager Replicas { get; }

    internal Controller Controller { get; }

    internal LatencyTracker SelfLatency { get; }

    internal ClusterState State => Volatile.Read(ref _state);

    internal TimeProvider Time => _options.TimeProvider;

    /// <summary>
    /// Connects to PostgreSQL and creates the cluster's tables if needed. The node serves nothing
    /// until <see cref="JoinAsync"/>. The engine must have a data folder (replicas record their
    /// progress beside it).
    /// </summary>
    public static async Task<ClusterNode> StartAsync(RoseForestDatabase engine, ClusterOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (engine.DataPath is null)
        {
            throw new ValidationException("cluster", "cluster mode needs a data folder: replicas keep their progress beside their collections.");
        }

        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new ValidationException("cluster", $"not a valid PostgreSQL connection string: {e.Message}");
        }

        parsed.ApplicationName ??= "roseforest";
        var source = NpgsqlDataSource.Create(parsed.ConnectionString);
        var sessionBuilder = new NpgsqlConnectionStringBuilder(parsed.ConnectionString) { Pooling = false, KeepAlive = 1 };
        var sessions = NpgsqlDataSource.Create(sessionBuilder.ConnectionString);
        try
        {
            await Schema.EnsureAsync(source, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            await sessions.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var folder = Path.Combine(engine.DataPath, "cluster");
        Directory.CreateDirectory(folder);
        return new ClusterNode(engine, options, loggers ?? NullLoggerFactory.Instance, source, sessions, folder);
    }

    /// <summary>
    /// Registers the node under <paramref name="advertisedUrl"/> (or <see cref="ClusterOptions.AdvertisedUrl"/>),
    /// reads the catalogue, starts its replicas and background loops. A node keeps its peer id
    /// across restarts (<c>&lt;data&gt;/cluster/node.json</c>); a data folder from another
    /// cluster has its replicas dropped.
    /// </summary>
    public async Task JoinAsync(Uri advertisedUrl, CancellationToken cancellationToken = default)
    {
        var url = _options.AdvertisedUrl ?? advertisedUrl;
        var clusterId = await Catalog.ClusterIdAsync(cancellationToken).ConfigureAwait(false);
        var identityPath = Path.Combine(_folder, "node.json");
        long? known = null;
        if (File.Exists(identityPath))
        {
            using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(identityPath, cancellationToken).ConfigureAwait(false));
            if (doc.RootElement.GetProperty("cluster_id").GetString() == clusterId)
            {
                known = doc.RootElement.GetProperty("peer_id").GetInt64();
            }
        }

        var id = await Catalog.RegisterNodeAsync(known, url, cancellationToken).ConfigureAwait(false);
        if (id != known)
        {
            DurableFile.WriteAllBytesAtomic(identityPath, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["cluster_id"] = clusterId, ["peer_id"] = id }));
        }

        Volatile.Write(ref _id, id);
        LogJoined(_logger, id, url.ToString());
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        var stop = _stop.Token;
        _loops.Add(Task.Run(() => LoopAsync("heartbeat", _options.HeartbeatInterval, null, HeartbeatAsync, stop)));
        _loops.Add(Task.Run(() => LoopAsync("catalogue", _options.PollInterval, _refreshWake, RefreshAsync, stop)));
        _loops.Add(Task.Run(() => LoopAsync("progress", _options.ProgressInterval, null, ct => Replicas.ReportAsync(Catalog, ct), stop)));
        _loops.Add(Task.Run(() => ListenAsync(stop)));
        _loops.Add(Task.Run(() => Controller.RunAsync(_controllerWake, stop)));
    }

    /// <summary>Re-reads the catalogue now (the loops do it on every notification and poll).</summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        ClusterState state;
        try
        {
            state = await Catalog.LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Npgsql.NpgsqlException e)
        {
            // Requests re-read the catalogue too: an unreachable PostgreSQL (down, or failing over
            // with no primary yet) makes the cluster unavailable (503), not the request faulty (500).
            throw new ClusterUnavailableException($"the cluster catalogue could not be read from PostgreSQL: {e.Message}", e);
        }

        foreach (var node in state.Nodes.Values)
        {
            if (node.Id != Id && (!_peers.TryGetValue(node.Id, out var existing) || existing.Url != node.Url))
            {
                if (_peers.TryRemove(node.Id, out var old))
                {
                    await old.DisposeAsync().ConfigureAwait(false);
                }

                _peers[node.Id] = new PeerClient(node.Id, node.Url, _options);
            }
        }

        Volatile.Write(ref _state, state);
        await Replicas.ReconcileAsync(state, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The client of a peer, or null (this node, or an unknown one).</summary>
    internal PeerClient? Peer(long nodeId) => _peers.TryGetValue(nodeId, out var p) ? p : null;

    /// <summary>True when the node counts as up (fresh heartbeat; see <see cref="NodeHealth"/>).</summary>
    internal bool IsUp(long nodeId)
    {
        var state = State;
        return state.Nodes.TryGetValue(nodeId, out var node) && NodeHealth.IsUp(node, state, Id, Time, _options.NodeLease);
    }

    internal void ThrowIfNotJoined()
    {
        if (Id < 0)
        {
            throw new ClusterUnavailableException("this node has not joined the cluster yet.");
        }
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        if (!await Catalog.HeartbeatAsync(Id, cancellationToken).ConfigureAwait(false))
        {
            LogForgotten(_logger, Id);
        }
    }

    private async Task LoopAsync(string name, TimeSpan interval, SemaphoreSlim? wake, Func<CancellationToken, Task> body, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await body(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLoopFailed(_logger, name, e.Message);
            }

            try
            {
                if (wake is null)
                {
                    await Task.Delay(interval, Time, stop).ConfigureAwait(false);
                }
                else
                {
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    tick.CancelAfter(interval);
                    try
                    {
                        await wake.WaitAsync(tick.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                    {
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>LISTEN on the log and catalogue channels: log appends nudge the replicas, catalogue changes trigger a re-read. Polling covers lost notifications.</summary>
    private async Task ListenAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _sessions.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == Schema.LogChannel)
                    {
                        var colon = e.Payload.IndexOf(':', StringComparison.Ordinal);
                        if (colon > 0 && long.TryParse(e.Payload.AsSpan(0, colon), out var shard))
                        {
                            Replicas.Nudge(shard);
                        }
                    }
                    else
                    {
                        Release(_refreshWake);
                        Release(_controllerWake);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Schema.LogChannel}; LISTEN {Schema.CatalogChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                Release(_refreshWake);
                while (!stop.IsCancellationRequested)
                {
                    await connection.WaitAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLoopFailed(_logger, "listen", e.Message);
                try
                {
                    await Task.Delay(_options.PollInterval, Time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static void Release(SemaphoreSlim signal)
    {
        try
        {
            if (signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
        }
    }

    /// <summary>Stops the loops and replicas (the local engine stays open: its owner closes it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await Replicas.DisposeAsync().ConfigureAwait(false);
        foreach (var peer in _peers.Values)
        {
            await peer.DisposeAsync().ConfigureAwait(false);
        }

        await _source.DisposeAsync().ConfigureAwait(false);
        await _sessions.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined the cluster as peer {Node} at {Url}")]
    private static partial void LogJoined(ILogger logger, long node, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster {Loop} loop: {Error}")]
    private static partial void LogLoopFailed(ILogger logger, string loop, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Peer {Node} is no longer in the catalogue; restart the node to join again")]
    private static partial void LogForgotten(ILogger logger, long node);
}
