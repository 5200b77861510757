namespace RoseForest.Contracts;

/// <summary>What a collection's self-organizing controller knows and did (GET /collections/{name}/optimizer).</summary>
public sealed record OptimizerReport
{
    /// <summary>The effective settings (every field set).</summary>
    public required OptimizerSettings Settings { get; init; }

    /// <summary>The telemetry the last pass saw (or the current one when no pass ran yet).</summary>
    public required IndexTelemetry Telemetry { get; init; }

    /// <summary>The detectors' findings of the last pass.</summary>
    public IReadOnlyList<OptimizerFinding> Findings { get; init; } = [];

    /// <summary>Actions taken, oldest first (the newest 256).</summary>
    public IReadOnlyList<OptimizerActionRecord> History { get; init; } = [];

    /// <summary>The cost C of the last pass (see <see cref="OptimizerSettings"/>).</summary>
    public double Cost { get; init; }

    /// <summary>Controller passes run so far.</summary>
    public long Passes { get; init; }
}

/// <summary>One detector that fired.</summary>
/// <param name="Detector">low_recall, tombstones, unreachable, long_paths, hotspot, workload_shift or entry_deleted.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Threshold">The threshold it crossed.</param>
/// <param name="Detail">A sentence for people.</param>
public sealed record OptimizerFinding(string Detector, double Value, double Threshold, string Detail)
{
    /// <summary>The region (k-means cell) the finding is about, when it is about one.</summary>
    public int? Region { get; init; }
}

/// <summary>One action the controller took.</summary>
/// <param name="Time">When it started.</param>
/// <param name="Action">relink_deleted, reconnect_unreachable, rebuild_region, refresh_entry, adjust_ef.</param>
/// <param name="Reason">The finding (detector) it answered.</param>
/// <param name="Detail">What it did (nodes relinked, ef from → to, …).</param>
/// <param name="CostBefore">C before the action.</param>
/// <param name="PredictedCost">C the controller predicted after it.</param>
/// <param name="DurationMs">How long it ran.</param>
public sealed record OptimizerActionRecord(DateTimeOffset Time, string Action, string Reason, string Detail, double CostBefore, double PredictedCost, double DurationMs);

/// <summary>A collection's index telemetry (issue 19): latency, work per query, recall estimate, graph health, region visits.</summary>
public sealed record IndexTelemetry
{
    /// <summary>Queries recorded since the collection opened.</summary>
    public long Queries { get; init; }

    /// <summary>Query latency percentiles in milliseconds, over the queries since the previous controller pass (all queries before the first).</summary>
    public double LatencyP50Ms { get; init; }

    /// <summary>The 95th percentile.</summary>
    public double LatencyP95Ms { get; init; }

    /// <summary>The 99th percentile.</summary>
    public double LatencyP99Ms { get; init; }

    /// <summary>Mean layer-0 nodes scored per graph search (visited nodes).</summary>
    public double VisitedMean { get; init; }

    /// <summary>Mean layer-0 nodes expanded per graph search (hops).</summary>
    public double HopsMean { get; init; }

    /// <summary>The collection's own hops baseline (the mean of the first passes with enough searches at the current ef), or 0.</summary>
    public double HopsBaseline { get; init; }

    /// <summary>The recall@10 estimate at the current default ef, or null before enough samples.</summary>
    public double? RecallEstimate { get; init; }

    /// <summary>Its 95% Wilson interval, low end.</summary>
    public double? RecallLow { get; init; }

    /// <summary>Its 95% Wilson interval, high end.</summary>
    public double? RecallHigh { get; init; }

    /// <summary>Sampled queries behind the estimate.</summary>
    public int RecallSamples { get; init; }

    /// <summary>The default ef searches use now (the controller's, else hnsw_config.ef, else ef_construct).</summary>
    public int DefaultEf { get; init; }

    /// <summary>Tombstones over graph nodes.</summary>
    public double TombstoneFraction { get; init; }

    /// <summary>Graph nodes (tombstones included).</summary>
    public int GraphNodes { get; init; }

    /// <summary>Live nodes not reachable from the entry point over layer 0.</summary>
    public int Unreachable { get; init; }

    /// <summary>Mean layer-0 out-degree of live nodes.</summary>
    public double OutDegreeMean { get; init; }

    /// <summary>Largest layer-0 out-degree.</summary>
    public int OutDegreeMax { get; init; }

    /// <summary>Mean layer-0 in-degree of live nodes.</summary>
    public double InDegreeMean { get; init; }

    /// <summary>Largest layer-0 in-degree.</summary>
    public int InDegreeMax { get; init; }

    /// <summary>Live nodes by layer-0 in-degree: 0, 1, 2-3, 4-7, 8-15, 16-31, 32-63, 64+.</summary>
    public IReadOnlyList<int> InDegreeHistogram { get; init; } = [];

    /// <summary>Share of layer-0 links held by the top 1% of nodes by in-degree.</summary>
    public double HubConcentration { get; init; }

    /// <summary>What a region is: "kmeans" (cells of a k-means over a sample of the vectors; a query's region is the cell of the node where its descent enters layer 0).</summary>
    public string RegionKind { get; init; } = "kmeans";

    /// <summary>Graph searches per region since the collection opened (empty before the cells are built).</summary>
    public IReadOnlyList<long> RegionVisits { get; init; } = [];

    /// <summary>Graph searches per region since the previous pass.</summary>
    public IReadOnlyList<long> RecentRegionVisits { get; init; } = [];
}
