using RoseForest.Engine.Internal;
using RoseForest.Storage;
using RoseForest.Storage.Snapshots;
using RoseForest.Storage.Wal;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    internal const string ConfigFileName = "collection.json";
    internal const string WalFolder = "wal";
    internal const string CheckpointFolder = "checkpoints";

    /// <summary>Starts a new, empty collection whose folder (with its config) the database has just created.</summary>
    internal static Collection CreateNew(string name, CollectionOptions options, string? directory, DatabaseOptions databaseOptions)
    {
        var collection = new Collection(name, options, directory, databaseOptions);
        collection.EnsureGraph();
        if (options.Durability != Durability.Memory && directory is not null)
        {
            collection._checkpoints = new SnapshotStore(Path.Combine(directory, CheckpointFolder));
            collection._followers = FollowerPins.Open(directory);
            collection._wal = WriteAheadLog.Open(Path.Combine(directory, WalFolder), collection.WalOptions, 0, salvage: false, static (_, _) => { }, out _);
        }

        collection.Start();
        return collection;
    }

    /// <summary>Opens an existing collection folder: latest valid snapshot, then log replay.</summary>
    internal static Collection OpenExisting(string name, string directory, DatabaseOptions databaseOptions)
    {
        var configPath = Path.Combine(directory, ConfigFileName);
        var options = CollectionConfig.Deserialize(File.ReadAllBytes(configPath), configPath);
        var collection = new Collection(name, options, directory, databaseOptions);
        try
        {
            collection.Recover(databaseOptions.Salvage);
        }
        catch
        {
            collection._wal?.Dispose();
            collection._table.Dispose();
            throw;
        }

        collection.Start();
        return collection;
    }

    private WalOptions WalOptions => new() { SegmentBytes = _options.WalSegmentBytes };

    private void Recover(bool salvage)
    {
        var directory = _directory!;
        _checkpoints = new SnapshotStore(Path.Combine(directory, CheckpointFolder));
        _followers = FollowerPins.Open(directory);
        var setAside = new List<string>();
        string? used = null;
        long snapshotLsn = 0;
        var snapshots = _checkpoints.List();
        var created = _options;
        for (var i = snapshots.Count - 1; i >= 0 && used is null; i--)
        {
            // One pass: checksums are checked while the points load; damage discards the table.
            // The snapshot's config (vectors and settings changed since creation) replaces collection.json's.
            try
            {
                using var reader = SnapshotReader.Open(snapshots[i].Path);
                var options = created;
                snapshotLsn = SnapshotCodec.Read(reader, ref _table, ref options);
                _options = options;
                used = snapshots[i].Path;
            }
            catch (StorageCorruptionException) when (salvage)
            {
                _table.Dispose();
                _options = created;
                _table = new PointTable(created);
                var aside = snapshots[i].Path + ".damaged";
                File.Move(snapshots[i].Path, aside, overwrite: true);
                setAside.Add(aside);
            }
        }

        var dimension = _options.Dimension;
        var quarantine = QuarantineFile.Open(directory);
        var quarantined = new List<QuarantinedRecordInfo>();
        _replaying = true;
        _wal = WriteAheadLog.Open(
            Path.Combine(directory, WalFolder),
            WalOptions,
            snapshotLsn,
            salvage,
            (lsn, payload) =>
            {
                // A record that passed its checksum but cannot be decoded or staged was written
                // by a version with a bug: set it aside and go on (docs/architecture.md, Recovery).
                WriteOp op;
                try
                {
                    op = OpCodec.Decode(payload, Layout);
                    Stage(op);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    var error = $"{e.GetType().Name}: {e.Message}";
                    quarantine.Add(lsn, payload, error, _time.GetUtcNow());
                    quarantined.Add(new QuarantinedRecordInfo(lsn, error));
                    LogQuarantined(lsn, error);
                    return;
                }

                Apply(op, lsn, slots: null);
                if (op is ConfigOp config)
                {
                    FinishConfig(config);
                }

                _table.RecycleFreed();
            },
            out var report,
            keepFromLsn: _followers.Minimum ?? long.MaxValue);
        _replaying = false;

        _appliedLsn = Math.Max(snapshotLsn, report.LastLsn);
        _checkpointLsn = snapshotLsn;
        var indexed = ReconcileGraph();
        MaintainValueLinks();
        Recovery = new CollectionRecovery(used, snapshotLsn, report, setAside, indexed) { Quarantined = quarantined };
        _quarantinedTotal = quarantine.Records.Count;
    }

    private void Start()
    {
        _writer = Task.Run(WriterLoopAsync);
        StartOptimizer(_indexTelemetry);
        if (_options.Durability == Durability.Buffered && _wal is not null)
        {
            _flushTimer = _time.CreateTimer(static state => ((Collection)state!).FlushTick(), this, _options.FlushInterval, _options.FlushInterval);
        }
    }

    /// <summary>The buffered mode's group fsync.</summary>
    private void FlushTick()
    {
        try
        {
            if (_wal is { } wal && wal.WrittenLsn > wal.DurableLsn)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                wal.Sync();
                EngineMetrics.FsyncSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
        catch (IOException e)
        {
            // An fsync that fails may have dropped dirty pages; trusting later ones would be a lie.
            _fault ??= e;
        }
    }
}
