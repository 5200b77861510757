using RoseForest.Engine.SelfOrganizing;

namespace RoseForest.Engine.Tests;

/// <summary>The self-organizing index's parts on their own: histogram percentiles, the recall window, the detectors' arithmetic.</summary>
public class SelfOrganizingPartsTests
{
    [Fact]
    public void Latency_percentiles_are_within_a_bucket_of_the_truth_and_never_below_it()
    {
        var histogram = new LatencyHistogram();
        for (var us = 1; us <= 10_000; us++)
        {
            histogram.Record(us);
        }

        var counts = histogram.Snapshot();
        foreach (var (q, truthMs) in new[] { (0.5, 5.0), (0.95, 9.5), (0.99, 9.9) })
        {
            var p = LatencyHistogram.PercentileMs(counts, q);
            Assert.InRange(p, truthMs, truthMs * 1.125);
        }

        Assert.Equal(10_000, histogram.Drain().Sum());
        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, LatencyHistogram.PercentileMs(histogram.Snapshot(), 0.95));
    }

    [Fact]
    public void The_recall_window_estimates_per_ef_and_finds_the_smallest_ef_meeting_a_target()
    {
        var window = new RecallWindow(10, 100);
        Assert.Equal(10, window.Ladder[0]);
        Assert.Equal(100, window.Ladder[^1]);
        for (var i = 0; i < 40; i++)
        {
            // Recall rises with the rung: 0.5 at the first, +0.1 per rung, capped at 1.
            window.Add(37, i % 2 == 0 ? 0.8 : 0.9, [.. window.Ladder.Select((_, r) => Math.Min(1, 0.5 + (0.1 * r)))]);
        }

        var at37 = window.At(37);
        Assert.Equal(0.85, at37.Mean, 6);
        Assert.True(at37.Low < 0.85 && at37.High > 0.85 && at37.Samples == 40);
        var rung = window.SmallestRungMeeting(0.8, out var estimate);
        Assert.Equal(window.Ladder[3], rung);
        Assert.Equal(0.8, estimate.Mean, 6);
        Assert.Equal(0, window.At(12345).Samples);
        window.Clear();
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void Hotspots_need_a_z_score_above_three_and_shift_a_divergence_above_a_tenth()
    {
        var uniform = Enumerable.Repeat(20L, 32).ToArray();
        Assert.Null(Detectors.Hotspot(uniform));
        var skewed = (long[])uniform.Clone();
        skewed[5] = 400;
        var hot = Detectors.Hotspot(skewed);
        Assert.NotNull(hot);
        Assert.Equal(5, hot.Region);
        Assert.Null(Detectors.Hotspot([.. uniform.Select(c => c / 10)])); // too few searches to say

        Assert.True(Detectors.JensenShannon(uniform, uniform) < 1e-9);
        var left = Enumerable.Range(0, 32).Select(i => i < 16 ? 100L : 0L).ToArray();
        var right = Enumerable.Range(0, 32).Select(i => i < 16 ? 0L : 100L).ToArray();
        Assert.InRange(Detectors.JensenShannon(left, right), 0.9, 1.0);
        Assert.NotNull(Detectors.WorkloadShift(left, [.. right.Select(c => c * 10)]));
        Assert.Null(Detectors.WorkloadShift(left, [.. left.Select(c => c * 10)]));
    }
}
