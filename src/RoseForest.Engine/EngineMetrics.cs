using System.Diagnostics.Metrics;

namespace RoseForest.Engine;

/// <summary>
/// The engine's instruments (System.Diagnostics.Metrics), under the meter
/// <see cref="MeterName"/>: WAL bytes written, fsync latency and snapshot duration. Any
/// MeterListener (the server's Prometheus exporter, OpenTelemetry) can collect them.
/// </summary>
public static class EngineMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "RoseForest.Engine";

    internal static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> WalBytes = Meter.CreateCounter<long>("roseforest_wal_bytes_written_total", "bytes", "Bytes appended to write-ahead logs.");

    internal static readonly Histogram<double> FsyncSeconds = Meter.CreateHistogram<double>("roseforest_wal_fsync_seconds", "s", "Time to make a WAL group durable (fsync).");

    internal static readonly Histogram<double> SnapshotSeconds = Meter.CreateHistogram<double>("roseforest_snapshot_duration_seconds", "s", "Time to write a snapshot.");

    internal static readonly Counter<long> Writes = Meter.CreateCounter<long>("roseforest_writes_total", "operations", "Write operations applied.");
}
