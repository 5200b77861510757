namespace RoseForest.Contracts;

/// <summary>
/// The self-organizing controller's settings (issue 19). In an update, a null field keeps its
/// current value. The controller minimises C = a1·latency_p95_ms + a2·(1 − recall@10) +
/// a3·memory_MiB + a4·action_seconds (the weights below).
/// </summary>
public sealed record OptimizerSettings
{
    /// <summary>Whether the controller acts (telemetry and detectors run either way). Default false.</summary>
    public bool? Enabled { get; init; }

    /// <summary>The recall@10 the controller keeps the default ef at (hnsw_config.target_recall), in (0, 1]; null: none (the low-recall floor of 0.9 still applies).</summary>
    public double? TargetRecall { get; init; }

    /// <summary>True in an update to clear <see cref="TargetRecall"/>.</summary>
    public bool ClearTargetRecall { get; init; }

    /// <summary>The fraction of graph searches re-run exactly in the background for the recall estimate, in [0, 1]. Default 0.01.</summary>
    public double? SampleRate { get; init; }

    /// <summary>How far below the target the estimate may fall before the low-recall detector fires, in [0, 1). Default 0.02.</summary>
    public double? RecallMargin { get; init; }

    /// <summary>Seconds between controller passes, in [0.1, 86400]. Default 10.</summary>
    public double? IntervalSeconds { get; init; }

    /// <summary>a1: cost per millisecond of p95 latency. Default 1.</summary>
    public double? LatencyWeight { get; init; }

    /// <summary>a2: cost per unit of (1 − recall@10). Default 100 (one point of recall = 1 ms of p95).</summary>
    public double? RecallWeight { get; init; }

    /// <summary>a3: cost per MiB the collection holds in memory. Default 0.001.</summary>
    public double? MemoryWeight { get; init; }

    /// <summary>a4: cost per estimated second of background work an action takes. Default 1.</summary>
    public double? ActionWeight { get; init; }

    /// <summary>The smallest default ef the controller may choose. Default 10.</summary>
    public int? MinEf { get; init; }

    /// <summary>The largest default ef the controller may choose. Default 1024.</summary>
    public int? MaxEf { get; init; }

    /// <summary>Checks the fields that are set; throws <see cref="ValidationException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (TargetRecall is { } t && !(t > 0 && t <= 1))
        {
            throw new ValidationException("target_recall", $"must be in (0, 1], got {t}.");
        }

        Check(SampleRate, "sample_rate", 0, 1, closedTop: true);
        Check(RecallMargin, "recall_margin", 0, 1, closedTop: false);
        Check(IntervalSeconds, "interval_seconds", 0.1, 86_400, closedTop: true);
        foreach (var (value, name) in new[] { (LatencyWeight, "weights.latency"), (RecallWeight, "weights.recall"), (MemoryWeight, "weights.memory"), (ActionWeight, "weights.action") })
        {
            if (value is { } w && (!double.IsFinite(w) || w < 0))
            {
                throw new ValidationException(name, $"must be a finite number ≥ 0, got {w}.");
            }
        }

        if (MinEf is < 1 or > 65536)
        {
            throw new ValidationException("min_ef", $"must be between 1 and 65536, got {MinEf}.");
        }

        if (MaxEf is < 1 or > 65536)
        {
            throw new ValidationException("max_ef", $"must be between 1 and 65536, got {MaxEf}.");
        }

        if (MinEf is { } lo && MaxEf is { } hi && lo > hi)
        {
            throw new ValidationException("min_ef", $"must not exceed max_ef ({lo} > {hi}).");
        }
    }

    private static void Check(double? value, string field, double min, double max, bool closedTop)
    {
        if (value is { } v && (!double.IsFinite(v) || v < min || (closedTop ? v > max : v >= max)))
        {
            throw new ValidationException(field, $"must be in [{min}, {max}{(closedTop ? "]" : ")")}, got {v}.");
        }
    }
}
