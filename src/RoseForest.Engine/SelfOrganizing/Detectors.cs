using RoseForest.Index.Hnsw;

namespace RoseForest.Engine.SelfOrganizing;

/// <summary>
/// The detectors and their thresholds (docs/api.md, "Self-organizing index"). Each looks at one
/// pass's telemetry and returns a finding when its threshold is crossed.
/// </summary>
internal static class Detectors
{
    /// <summary>Without a target_recall, the low-recall detector guards this floor.</summary>
    public const double RecallFloor = 0.9;

    /// <summary>Recall samples needed before a recall finding is trusted.</summary>
    public const int MinRecallSamples = 20;

    /// <summary>Tombstones over graph nodes above this fire (the seed's trigger; the writer consolidates at the same fraction once there are 64).</summary>
    public const double TombstoneFraction = 0.10;

    /// <summary>Mean hops above this multiple of the collection's own baseline (at the same default ef) fire.</summary>
    public const double LongPathFactor = 1.5;

    /// <summary>A region whose recent visit count is more than this many standard deviations above the mean over regions is a hotspot.</summary>
    public const double HotspotZ = 3;

    /// <summary>Jensen–Shannon divergence (base 2, in [0, 1]) between the recent and the long-run region distributions above this is a workload shift.</summary>
    public const double ShiftDivergence = 0.1;

    /// <summary>Graph searches a pass needs before the per-search detectors (long paths, hotspot, shift) speak.</summary>
    public const int MinRecentWalks = 256;

    /// <summary>Graph searches the long-run distribution needs before a shift can be measured against it.</summary>
    public const int MinLongRunWalks = 1024;

    public static double Target(OptimizerSettings s) => s.TargetRecall ?? RecallFloor;

    public static OptimizerFinding? LowRecall(RecallWindow.Estimate at, OptimizerSettings s)
    {
        var threshold = Target(s) - s.RecallMargin!.Value;
        return at.Samples >= MinRecallSamples && at.Mean < threshold
            ? new OptimizerFinding("low_recall", at.Mean, threshold, $"recall@10 estimate {at.Mean:F3} [{at.Low:F3}, {at.High:F3}] over {at.Samples} sampled queries is below {threshold:F3} (target {Target(s):F3} minus margin {s.RecallMargin:F3}).")
            : null;
    }

    /// <summary>
    /// With a target_recall, the default ef's own estimate is below the target (no margin: this is
    /// the target being kept, not an alarm): the controller raises ef to the smallest ladder rung
    /// that meets it.
    /// </summary>
    public static OptimizerFinding? BelowTarget(RecallWindow.Estimate at, int currentEf, OptimizerSettings s)
    {
        return s.TargetRecall is { } target && at.Samples >= MinRecallSamples && at.Mean < target
            ? new OptimizerFinding("ef_below_target", at.Mean, target, $"recall@10 estimate {at.Mean:F3} over {at.Samples} queries at ef {currentEf} is below the target {target:F3}.")
            : null;
    }

    /// <summary>
    /// With a target_recall, a smaller ladder rung's estimate reaches the target plus half the
    /// margin (the half margin is hysteresis: without it ef would flip between two rungs whose
    /// estimates straddle the target).
    /// </summary>
    public static OptimizerFinding? OverProvisioned(RecallWindow window, int currentEf, OptimizerSettings s)
    {
        if (s.TargetRecall is not { } target || window.Count < MinRecallSamples)
        {
            return null;
        }

        var rung = window.SmallestRungMeeting(Math.Min(1, target + (s.RecallMargin!.Value / 2)), out var estimate);
        return rung < currentEf && estimate.Mean >= target
            ? new OptimizerFinding("ef_above_target", currentEf, rung, $"ef {rung} already reaches the target {target:F3} with room (estimate {estimate.Mean:F3} over {estimate.Samples} queries); the default ef is {currentEf}.")
            : null;
    }

    public static OptimizerFinding? Tombstones(GraphHealth g)
    {
        var fraction = g.Nodes == 0 ? 0 : (double)g.Deleted / g.Nodes;
        return fraction > TombstoneFraction
            ? new OptimizerFinding("tombstones", fraction, TombstoneFraction, $"{g.Deleted} of {g.Nodes} graph nodes are tombstones.")
            : null;
    }

    public static OptimizerFinding? Unreachable(GraphHealth g, int baseline)
    {
        return g.Unreachable > baseline
            ? new OptimizerFinding("unreachable", g.Unreachable, baseline, $"{g.Unreachable} live nodes cannot be reached from the entry point over layer 0 (allowed: {baseline}).")
            : null;
    }

    public static OptimizerFinding? EntryDeleted(GraphHealth g) =>
        g.EntryDeleted ? new OptimizerFinding("entry_deleted", 1, 0, $"the entry point (node {g.EntryNode}) is a tombstone.") : null;

    public static OptimizerFinding? LongPaths(double hopsMean, long walks, double baseline)
    {
        return walks >= MinRecentWalks && baseline > 0 && hopsMean > LongPathFactor * baseline
            ? new OptimizerFinding("long_paths", hopsMean, LongPathFactor * baseline, $"searches expand {hopsMean:F1} nodes on average, over {LongPathFactor}x the baseline of {baseline:F1}.")
            : null;
    }

    /// <summary>The region with the highest z-score of recent visits, when it passes <see cref="HotspotZ"/>.</summary>
    public static OptimizerFinding? Hotspot(long[] recent)
    {
        var total = recent.Sum();
        if (total < MinRecentWalks || recent.Length < 2)
        {
            return null;
        }

        var mean = (double)total / recent.Length;
        var sd = Math.Sqrt(recent.Sum(c => (c - mean) * (c - mean)) / recent.Length);
        if (sd == 0)
        {
            return null;
        }

        var hot = 0;
        for (var i = 1; i < recent.Length; i++)
        {
            hot = recent[i] > recent[hot] ? i : hot;
        }

        var z = (recent[hot] - mean) / sd;
        return z > HotspotZ
            ? new OptimizerFinding("hotspot", z, HotspotZ, $"region {hot} took {recent[hot]} of {total} recent searches (z = {z:F2}).") { Region = hot }
            : null;
    }

    public static OptimizerFinding? WorkloadShift(long[] recent, long[] longRun)
    {
        var r = recent.Sum();
        var l = longRun.Sum();
        if (r < MinRecentWalks || l < MinLongRunWalks)
        {
            return null;
        }

        var js = JensenShannon(recent, longRun);
        return js > ShiftDivergence
            ? new OptimizerFinding("workload_shift", js, ShiftDivergence, $"the recent queries' region distribution is {js:F3} (Jensen–Shannon, base 2) from the long-run one.")
            : null;
    }

    /// <summary>Jensen–Shannon divergence in bits between two count vectors (add-half smoothing).</summary>
    public static double JensenShannon(long[] a, long[] b)
    {
        var k = a.Length;
        double sa = a.Sum() + (0.5 * k), sb = b.Sum() + (0.5 * k);
        double js = 0;
        for (var i = 0; i < k; i++)
        {
            var p = (a[i] + 0.5) / sa;
            var q = (b[i] + 0.5) / sb;
            var m = (p + q) / 2;
            js += (0.5 * p * Math.Log2(p / m)) + (0.5 * q * Math.Log2(q / m));
        }

        return Math.Max(0, js);
    }
}
