using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace RoseForest.Benchmarks;

/// <summary>
/// One job for every benchmark here: 3 warm-up and 10 measured iterations of ~100 ms, so the
/// whole kernel set runs in minutes on the project's 2-core machine. The same job before and
/// after a change is what makes the numbers comparable.
/// </summary>
internal sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100)));

        // On a shared machine the median and the minimum say more than the mean.
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
    }
}
