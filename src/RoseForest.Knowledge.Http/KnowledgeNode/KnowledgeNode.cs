using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Http.Store;
using RoseForest.Knowledge.Http.Sync;
using RoseForest.Knowledge.Trust;

namespace RoseForest.Knowledge.Http.KnowledgeNode;

/// <summary>
/// This node's knowledge: one <see cref="Replica"/> (packages, tags, votes and node registrations
/// as CRDT records), the <see cref="KnowledgeBook"/> over it, a durable changes feed numbered
/// independently of the replica's in-memory one, checkpoints of peers' feeds, locally issued node
/// keys, and the search index. Every mutation's deltas are appended to the log before the caller
/// gets an answer. One lock serialises everything (the replica is not thread-safe).
/// </summary>
internal sealed partial class KnowledgeNode : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ISyncLog _log;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly KnowledgeOptions _options;
    private readonly KnowledgeIndex _index;
    private readonly TrustScorer _scorer;
    private readonly List<(long Seq, ReplicaState Delta)> _feed = [];
    private readonly List<(long Seq, ReplicaState Delta)> _uncommitted = [];
    private readonly Dictionary<(string Source, string Key), long> _checkpoints = [];
    private readonly Dictionary<string, IReadOnlyDictionary<string, long>> _acks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _issuedKeys = new(StringComparer.Ordinal);
    private long _feedBase;
    private long _lastSeq;
    private bool _metaDirty;

    private KnowledgeNode(string nodeId, ISyncLog log, KnowledgeIndex index, KnowledgeOptions options, TimeProvider time, ILogger logger)
    {
        NodeId = nodeId;
        _log = log;
        _index = index;
        _options = options;
        _time = time;
        _logger = logger;
        Replica = new Replica(nodeId, time);
        _scorer = new TrustScorer(options.Trust, time);
        Book = new KnowledgeBook(Replica, _scorer, Profile);
    }

    /// <summary>This node's id.</summary>
    public string NodeId { get; }

    /// <summary>The replica (read it under the lock only).</summary>
    public Replica Replica { get; }

    /// <summary>The knowledge book over the replica.</summary>
    public KnowledgeBook Book { get; }

    /// <summary>Loads the node's state from its log and brings the search index in line with it.</summary>
    public static async Task<KnowledgeNode> OpenAsync(string nodeId, ISyncLog log, KnowledgeIndex index, KnowledgeOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var node = new KnowledgeNode(nodeId, log, index, options, time, logger);
        node.Load();
        await index.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await node.ReconcileIndexAsync(cancellationToken).ConfigureAwait(false);
        return node;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _log.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="action"/> under the node's lock.</summary>
    private async Task<T> LockedAsync<T>(Func<T> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return action();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Moves the deltas the replica made since the last capture into the durable feed (numbered
    /// from this node's own sequence) and appends them, with any changed checkpoints, acknowledgements
    /// and keys, as one durable log record.
    /// </summary>
    private void Commit()
    {
        var batch = Replica.Changes.ReadSince(Replica.Changes.ReleasedThrough, int.MaxValue);
        foreach (var change in batch.Changes)
        {
            var entry = (++_lastSeq, change.Delta);
            _feed.Add(entry);
            _uncommitted.Add(entry);
        }

        Replica.Changes.Release(batch.LastSequence);
        if (_uncommitted.Count == 0 && !_metaDirty)
        {
            return;
        }

        _log.Append(Serialize(_uncommitted, snapshot: null));
        _uncommitted.Clear();
        _metaDirty = false;
        if (_log.BytesSinceSnapshot > Math.Max(16L << 20, 4 * ApproximateStateBytes()))
        {
            _log.Snapshot(Serialize([], snapshot: Replica.State));
            _feed.Clear();
            _feedBase = _lastSeq;
        }
    }

    private long ApproximateStateBytes() => Replica.State.RecordIds.Count() * 2048L;

    private void Load()
    {
        if (_log.LoadedSnapshot is { } snapshot)
        {
            Replay(snapshot, isSnapshot: true);
        }

        foreach (var record in _log.LoadedRecords)
        {
            Replay(record, isSnapshot: false);
        }

        _log.ReleaseLoaded();
        Replica.Changes.Release(Replica.Changes.LastSequence);
        foreach (var (peer, vector) in _acks)
        {
            Replica.Acknowledge(peer, vector);
        }

        Replica.CollectGarbage();
    }

    private void Replay(byte[] bytes, bool isSnapshot)
    {
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        if (isSnapshot)
        {
            Replica.Merge(ReplicaState.ReadJson(root.GetProperty("state")));
            _lastSeq = _feedBase = root.GetProperty("last_seq").GetInt64();
        }

        foreach (var d in root.GetProperty("deltas").EnumerateArray())
        {
            var seq = d.GetProperty("seq").GetInt64();
            var delta = ReplicaState.ReadJson(d.GetProperty("delta"));
            Replica.Merge(delta);
            _feed.Add((seq, delta));
            _lastSeq = seq;
        }

        SyncJson.ReadCheckpoints(root, _checkpoints);

        foreach (var a in root.GetProperty("acks").EnumerateArray())
        {
            _acks[a.GetProperty("peer").GetString()!] = a.GetProperty("vector").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        }

        foreach (var k in root.GetProperty("keys").EnumerateArray())
        {
            _issuedKeys[k.GetProperty("hash").GetString()!] = k.GetProperty("node").GetString()!;
        }
    }

    /// <summary>A log record: the given deltas, and always the (small) checkpoints, acknowledgements and keys; a snapshot adds the whole state.</summary>
    private byte[] Serialize(List<(long Seq, ReplicaState Delta)> deltas, ReplicaState? snapshot)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (snapshot is not null)
            {
                w.WritePropertyName("state");
                snapshot.WriteJson(w);
                w.WriteNumber("last_seq", _lastSeq);
            }

            w.WriteStartArray("deltas");
            foreach (var (seq, delta) in deltas)
            {
                w.WriteStartObject();
                w.WriteNumber("seq", seq);
                w.WritePropertyName("delta");
                delta.WriteJson(w);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            SyncJson.WriteCheckpoints(w, _checkpoints);
            w.WriteStartArray("acks");
            foreach (var (peer, vector) in _acks)
            {
                w.WriteStartObject();
                w.WriteString("peer", peer);
                w.WriteStartObject("vector");
                foreach (var (origin, max) in vector)
                {
                    w.WriteNumber(origin, max);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("keys");
            foreach (var (hash, node) in _issuedKeys)
            {
                w.WriteStartObject();
                w.WriteString("hash", hash);
                w.WriteString("node", node);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
