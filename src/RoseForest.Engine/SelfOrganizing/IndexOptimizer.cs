using System.Text.Json;
using Microsoft.Extensions.Logging;
using RoseForest.Contracts.Qdrant;
using RoseForest.Index.Hnsw;

namespace RoseForest.Engine.SelfOrganizing;

/// <summary>
/// One collection's self-organizing controller (issue 19). A timer on the database's
/// <see cref="TimeProvider"/> runs a pass every <c>interval_seconds</c>: it re-runs sampled
/// queries (at most <see cref="SampleBudget"/> per pass) for the recall estimate, reads the
/// query telemetry and the graph's health, runs the <see cref="Detectors"/>, and, when enabled,
/// takes at most one action: the one with the largest modelled drop of the cost
/// C = a1·p95_ms + a2·(1 − recall@10) + a3·memory_MiB, net of a4·(action seconds / interval).
/// Actions run on the collection's writer (<see cref="IOptimizerHost.RunMaintenance"/>) or, for
/// ef, take effect at once; each is logged. Settings live in <c>optimizer.json</c> beside the
/// collection's config (written atomically); the tuned ef and the statistics live in memory.
/// </summary>
internal sealed partial class IndexOptimizer : IDisposable
{
    public const string FileName = "optimizer.json";

    /// <summary>Sampled queries re-run per pass at most (bounds the background work).</summary>
    public const int SampleBudget = 32;

    private const int HistoryLimit = 256;
    private const int RegionCooldownPasses = 30;
    private const int ActionCooldownPasses = 3;

    private readonly IOptimizerHost _host;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly string? _path;
    private readonly string _name;
    private readonly object _passGate = new();
    private readonly Queue<OptimizerActionRecord> _history = new();
    private readonly Dictionary<string, long> _lastActed = new(StringComparer.Ordinal);
    private readonly Dictionary<int, double> _hopsBaseline = [];
    private OptimizerSettings _settings;
    private RecallWindow _window;
    private RegionMap? _regions;
    private long[] _longRun = [];
    private long[] _visits = [];
    private long[] _recent = [];
    private long _ringRead;
    private long _lastWalks;
    private long _lastHops;
    private long _lastScored;
    private int? _unreachableBaseline;
    private GraphHealth? _health;
    private long _healthLsn = -1;
    private ITimer? _timer;
    private long _passes;
    private volatile OptimizerReport? _last;
    private volatile bool _disposed;

    public IndexOptimizer(IOptimizerHost host, string name, OptimizerSettings settings, string? directory, TimeProvider time, ILogger log)
    {
        _host = host;
        _name = name;
        _time = time;
        _log = log;
        _path = directory is null ? null : Path.Combine(directory, FileName);
        _settings = settings;
        _window = new RecallWindow(settings.MinEf!.Value, settings.MaxEf!.Value);
        Telemetry.SampleRate = settings.SampleRate!.Value;
    }

    public QueryTelemetry Telemetry { get; } = new();

    public OptimizerSettings Settings => _settings;

    /// <summary>The defaults, then the collection's hnsw_config.target_recall, then what <c>optimizer.json</c> holds.</summary>
    public static OptimizerSettings LoadSettings(string? directory, double? targetRecall, ILogger log, string name)
    {
        var settings = new OptimizerSettings
        {
            Enabled = targetRecall is not null,
            TargetRecall = targetRecall,
            SampleRate = 0.01,
            RecallMargin = 0.02,
            IntervalSeconds = 10,
            LatencyWeight = 1,
            RecallWeight = 100,
            MemoryWeight = 0.001,
            ActionWeight = 0.05,
            MinEf = 10,
            MaxEf = 1024,
        };
        if (directory is not null && File.Exists(Path.Combine(directory, FileName)))
        {
            try
            {
                var saved = QdrantJson.ReadOptimizerSettings(JsonFields.ParseBody(File.ReadAllBytes(Path.Combine(directory, FileName))));
                settings = Merge(settings, saved);
            }
            catch (Exception e) when (e is IOException or JsonException or ValidationException or UnauthorizedAccessException)
            {
                // A bad settings file must not stop the collection opening: the defaults apply.
                LogBadSettings(log, name, e.Message);
            }
        }

        return settings;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Collection {Name}: optimizer.json could not be read ({Error}); the controller uses its defaults.")]
    private static partial void LogBadSettings(ILogger logger, string name, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Collection {Name}: an optimizer pass failed: {Error}")]
    private static partial void LogPassFailed(ILogger logger, string name, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Collection {Name}: optimizer {Action} ({Reason}): {Detail}")]
    private static partial void LogAction(ILogger logger, string name, string action, string reason, string detail);

    /// <summary>The fields <paramref name="update"/> sets, over <paramref name="current"/>.</summary>
    public static OptimizerSettings Merge(OptimizerSettings current, OptimizerSettings update) => new()
    {
        Enabled = update.Enabled ?? current.Enabled,
        TargetRecall = update.ClearTargetRecall ? null : update.TargetRecall ?? current.TargetRecall,
        SampleRate = update.SampleRate ?? current.SampleRate,
        RecallMargin = update.RecallMargin ?? current.RecallMargin,
        IntervalSeconds = update.IntervalSeconds ?? current.IntervalSeconds,
        LatencyWeight = update.LatencyWeight ?? current.LatencyWeight,
        RecallWeight = update.RecallWeight ?? current.RecallWeight,
        MemoryWeight = update.MemoryWeight ?? current.MemoryWeight,
        ActionWeight = update.ActionWeight ?? current.ActionWeight,
        MinEf = update.MinEf ?? current.MinEf,
        MaxEf = update.MaxEf ?? current.MaxEf,
    };

    /// <summary>Starts the pass timer.</summary>
    public void Start()
    {
        var interval = TimeSpan.FromSeconds(_settings.IntervalSeconds!.Value);
        _timer = _time.CreateTimer(static state => ((IndexOptimizer)state!).TimerPass(), this, interval, interval);
    }

    /// <summary>Validates, merges, persists (atomically) and applies new settings; nothing changes when any step before the apply fails.</summary>
    public OptimizerReport Configure(OptimizerSettings update)
    {
        update.Validate();
        lock (_passGate)
        {
            var merged = Merge(_settings, update);
            merged.Validate();
            if (_path is not null)
            {
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var w = new Utf8JsonWriter(buffer))
                {
                    QdrantJson.WriteOptimizerSettings(w, merged);
                }

                Storage.IO.DurableFile.WriteAllBytesAtomic(_path, buffer.WrittenSpan);
            }

            var ladderChanged = merged.MinEf != _settings.MinEf || merged.MaxEf != _settings.MaxEf;
            var intervalChanged = merged.IntervalSeconds != _settings.IntervalSeconds;
            _settings = merged;
            Telemetry.SampleRate = merged.SampleRate!.Value;
            if (ladderChanged)
            {
                _window = new RecallWindow(merged.MinEf!.Value, merged.MaxEf!.Value);
            }

            if (intervalChanged && _timer is not null)
            {
                var interval = TimeSpan.FromSeconds(merged.IntervalSeconds!.Value);
                _timer.Change(interval, interval);
            }

            if (merged.Enabled != true || merged.TargetRecall is null)
            {
                // Off, or no target: searches go back to the configured ef unless the controller raises it again.
                if (merged.Enabled != true)
                {
                    _host.SetTunedEf(null);
                }
            }

            return Report();
        }
    }

    private void TimerPass()
    {
        if (_disposed || !Monitor.TryEnter(_passGate))
        {
            return; // a pass is still running: skip this tick
        }

        try
        {
            RunPass();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogPassFailed(_log, _name, e.Message);
        }
        finally
        {
            Monitor.Exit(_passGate);
        }
    }

    /// <summary>One pass now (waits for a running one).</summary>
    public OptimizerReport RunPassNow()
    {
        lock (_passGate)
        {
            RunPass();
            return Report();
        }
    }

    /// <summary>The last pass's report, or one made now when no pass ran yet.</summary>
    public OptimizerReport Report()
    {
        if (_last is { } last)
        {
            lock (_history)
            {
                return last with { Settings = _settings, History = [.. _history] };
            }
        }

        lock (_passGate)
        {
            return _last ?? Observe(out _, out _, consume: false);
        }
    }

    /// <summary>The telemetry of the last pass (for collection info and metrics).</summary>
    public IndexTelemetry CurrentTelemetry() => Report().Telemetry;

    /// <summary>The last pass's telemetry, or null before the first pass (metrics read this: no work at scrape time).</summary>
    public IndexTelemetry? LastTelemetry => _last?.Telemetry;

    public void Dispose()
    {
        _disposed = true;
        _timer?.Dispose();
        lock (_passGate)
        {
            // waits for a running pass
        }
    }
}
