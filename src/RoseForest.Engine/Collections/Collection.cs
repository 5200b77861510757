using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RoseForest.Engine.Internal;
using RoseForest.Storage.Snapshots;
using RoseForest.Storage.Wal;

namespace RoseForest.Engine;

/// <summary>
/// A named set of points of one dimension and geometry. Thread-safe: any number of concurrent
/// readers and writers. Writes go through one writer loop that assigns LSNs, logs, applies and
/// acknowledges them in LSN order (group commit); reads see the state after some prefix of
/// writes, never half a batch.
/// </summary>
public sealed partial class Collection : IVectorCollection, IAsyncDisposable
{
    private const int MaxGroupRequests = 256;
    private const int MaxGroupBytes = 16 << 20;

    private volatile CollectionOptions _options;
    private readonly string? _directory;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private PointTable _table;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Channel<WriteRequest> _requests = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(4096)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ByteBuffer _encodeBuffer = new();
    private WriteAheadLog? _wal;
    private SnapshotStore? _checkpoints;
    private Task _writer = Task.CompletedTask;
    private ITimer? _flushTimer;
    private long _appliedLsn;
    private long _checkpointLsn;
    private Task<CheckpointInfo>? _checkpoint;
    private Exception? _fault;
    private int _quarantinedTotal;

    /// <summary>Held while a checkpoint file is read out (the catalogue's copy) or older ones are deleted.</summary>
    private readonly SemaphoreSlim _checkpointFiles = new(1, 1);
    private readonly long _maxRetainedWalBytes;
    private volatile bool _closed;
    private volatile bool _deleted;
    private readonly bool _indexTelemetry;

    private Collection(string name, CollectionOptions options, string? directory, DatabaseOptions databaseOptions)
    {
        Name = name;
        _options = options;
        _directory = directory;
        _time = databaseOptions.TimeProvider;
        _log = databaseOptions.LoggerFactory.CreateLogger("RoseForest.Engine.Collection");
        _maxRetainedWalBytes = databaseOptions.MaxRetainedWalBytes;
        _embeddingModels = databaseOptions.EmbeddingModels;
        _indexTelemetry = databaseOptions.IndexTelemetry;
        _table = new PointTable(options);
    }

    /// <summary>The collection's name.</summary>
    public string Name { get; }

    /// <summary>Its current settings (as created, then changed by <see cref="UpdateCollectionAsync"/>, <see cref="CreateVectorAsync"/> and <see cref="DeleteVectorAsync"/>).</summary>
    public CollectionOptions Options => _options;

    /// <summary>What recovery found when the collection was opened (null for a new collection).</summary>
    public CollectionRecovery? Recovery { get; private set; }

    /// <summary>The LSN of the last applied write.</summary>
    public long LastLsn => Volatile.Read(ref _appliedLsn);

    /// <summary>Points the HNSW graph holds (0 without an index).</summary>
    public long IndexedPoints
    {
        get
        {
            using var read = ReadScope();
            return IndexedVectors();
        }
    }

    /// <summary>The collection's size and shape.</summary>
    public CollectionInfo GetInfo()
    {
        // Before the read lock: the first report inspects the graph under a read lock of its own.
        var telemetry = _closed ? null : _optimizer?.CurrentTelemetry();
        using var read = ReadScope();
        return new CollectionInfo(
            Name,
            _table.Count,
            _options.Dimension,
            _options.Geometry,
            _options.Curvature,
            _options.Durability,
            _appliedLsn,
            BytesOnDisk(),
            _table.BytesInMemory)
        {
            Status = _fault is null ? CollectionStatus.Green : CollectionStatus.Faulted,
            Fault = _fault is null ? null : FaultMessage(_fault),
            Options = _options,
            IndexedVectorsCount = IndexedVectors(),
            QuarantinedRecords = _quarantinedTotal,
            PayloadSchema = _table.Indexes.Schema(),
            Telemetry = telemetry,
        };
    }

    /// <summary>Vectors the HNSW graphs hold, over every dense vector. Under the read lock.</summary>
    private long IndexedVectors() => _table.Dense.Sum(d => d.Graph is { } g ? (long)g.NodeCount - g.DeletedCount : 0);

    /// <summary>Why the collection refuses writes, or null while it is healthy.</summary>
    public string? Fault => _fault is { } f ? FaultMessage(f) : null;

    private static string FaultMessage(Exception e) => $"{e.GetType().Name}: {e.Message}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Collection {Name}: the log record at LSN {Lsn} could not be applied and was set aside in " + Internal.QuarantineFile.FileName + ": {Error}")]
    private static partial void LogQuarantined(ILogger logger, string name, long lsn, string error);

    private void LogQuarantined(long lsn, string error) => LogQuarantined(_log, Name, lsn, error);

    private long BytesOnDisk() => _directory is null ? 0 : Internal.FolderSize.Of(_directory);

    /// <summary>Closes the collection: pending writes finish, a snapshot is taken, files are closed.</summary>
    public ValueTask DisposeAsync() => new(CloseAsync(checkpoint: true));

    internal async Task CloseAsync(bool checkpoint, bool deleted = false)
    {
        if (_closed)
        {
            return;
        }

        _deleted = deleted;
        StopOptimizer();
        _closed = true;
        _requests.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (_flushTimer is not null)
        {
            await _flushTimer.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await WaitForCheckpointAsync().ConfigureAwait(false);
            if (checkpoint && _wal is not null && _fault is null && _appliedLsn > Volatile.Read(ref _checkpointLsn))
            {
                await StartCheckpoint().ConfigureAwait(false);
            }
        }
        finally
        {
            SaveAdaptersOnClose();
            _wal?.Dispose();
            _lock.EnterWriteLock();
            try
            {
                _table.Dispose();
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            ThrowClosed();
        }
    }

    private void ThrowClosed()
    {
        if (_deleted)
        {
            throw new CollectionNotFoundException(Name);
        }

        throw new ObjectDisposedException($"Collection `{Name}` is closed.");
    }

    /// <summary>Enters the read lock, refusing when the collection is closed.</summary>
    private ReadLock ReadScope()
    {
        _lock.EnterReadLock();
        if (_closed && _table.IsDisposed)
        {
            _lock.ExitReadLock();
            ThrowClosed();
        }

        return new ReadLock(_lock);
    }

    private readonly struct ReadLock(ReaderWriterLockSlim rwLock) : IDisposable
    {
        public void Dispose() => rwLock.ExitReadLock();
    }
}

/// <summary>What opening a collection recovered.</summary>
/// <param name="SnapshotFile">The snapshot loaded, or null when the log alone was replayed.</param>
/// <param name="SnapshotLsn">The LSN the snapshot covered (0 without one).</param>
/// <param name="Wal">What log replay found, including torn tails cut and data salvaged.</param>
/// <param name="SnapshotsSetAside">Damaged snapshots moved aside during salvage.</param>
/// <param name="PointsIndexed">Points inserted into the HNSW graph on open (those the snapshot's graph did not hold: the log's tail, or all without a saved graph).</param>
public sealed record CollectionRecovery(string? SnapshotFile, long SnapshotLsn, WalRecoveryReport Wal, IReadOnlyList<string> SnapshotsSetAside, int PointsIndexed = 0)
{
    /// <summary>Log records this open could not apply and set aside in the collection's quarantine file.</summary>
    public IReadOnlyList<QuarantinedRecordInfo> Quarantined { get; init; } = [];
}

/// <summary>A log record that recovery set aside because it could not be applied.</summary>
/// <param name="Lsn">The record's LSN.</param>
/// <param name="Error">Why it could not be applied.</param>
public sealed record QuarantinedRecordInfo(long Lsn, string Error);
