using CsCheck;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Tests;

public sealed class ConflictStrategyTests
{
    private static Versioned<float[]> V(float x, float y, long version, long physical, string node, double weight = 1)
        => new([x, y], version, new HlcTimestamp(physical, 0, node), weight);

    [Fact]
    public void Last_write_wins_and_highest_version_pick_differently_and_break_ties_by_stamp()
    {
        var older = V(1, 0, version: 5, physical: 10, "a");
        var newer = V(0, 1, version: 2, physical: 20, "b");
        Assert.Same(newer, ConflictStrategies.Select([older, newer], ConflictStrategy.LastWriteWins));
        Assert.Same(newer, ConflictStrategies.Select([older, newer], ConflictStrategy.Crdt));
        Assert.Same(older, ConflictStrategies.Select([older, newer], ConflictStrategy.HighestVersion));
        var tie = V(9, 9, version: 5, physical: 11, "c");
        Assert.Same(tie, ConflictStrategies.Select([tie, older], ConflictStrategy.HighestVersion));
        Assert.Same(tie, ConflictStrategies.Select([older, tie], ConflictStrategy.HighestVersion));
    }

    [Fact]
    public void Merge_takes_the_midpoint_and_geometric_mean_the_weighted_mean()
    {
        var a = V(0, 0, 1, 10, "a", weight: 1);
        var b = V(4, 2, 3, 20, "b", weight: 3);
        var merged = ConflictStrategies.ResolveVector([a, b], ConflictStrategy.Merge, EuclideanGeometry.Instance);
        Assert.Equal([2f, 1f], merged.Value);
        Assert.Equal(4, merged.Version);
        Assert.Equal(b.Stamp, merged.Stamp);
        var mean = ConflictStrategies.ResolveVector([a, b], ConflictStrategy.GeometricMean, EuclideanGeometry.Instance);
        Assert.Equal([3f, 1.5f], mean.Value);
    }

    [Fact]
    public void Every_strategy_gives_the_same_answer_whatever_order_the_versions_arrive_in()
    {
        var coordinate = Gen.Float[-10, 10];
        var version = Gen.Select(coordinate, coordinate, Gen.Long[0, 5], Gen.Long[0, 50], Gen.Int[0, 9], Gen.Double[0.1, 3])
            .Select(t => V(t.Item1, t.Item2, t.Item3, t.Item4, $"n{t.Item5}", t.Item6));
        var versions = version.Array[1, 6].Where(vs => vs.Select(v => v.Stamp).Distinct().Count() == vs.Length);
        FixedSeed.ForAll(versions, 500, 5, vs =>
        {
            var reversed = vs.Reverse().ToArray();
            foreach (var strategy in Enum.GetValues<ConflictStrategy>())
            {
                var x = ConflictStrategies.ResolveVector(vs, strategy, EuclideanGeometry.Instance);
                var y = ConflictStrategies.ResolveVector(reversed, strategy, EuclideanGeometry.Instance);
                Assert.Equal(x.Value, y.Value);
                Assert.Equal(x.Version, y.Version);
                Assert.Equal(x.Stamp, y.Stamp);
            }
        });
    }

    [Fact]
    public void A_plugged_in_geometry_is_the_one_averaged_in()
    {
        var geometry = new RecordingGeometry();
        ConflictStrategies.ResolveVector([V(0, 0, 1, 1, "a"), V(1, 1, 1, 2, "b")], ConflictStrategy.Merge, geometry);
        ConflictStrategies.ResolveVector([V(0, 0, 1, 1, "a"), V(1, 1, 1, 2, "b")], ConflictStrategy.GeometricMean, geometry);
        Assert.Equal(["midpoint", "mean"], geometry.Calls);
    }

    private sealed class RecordingGeometry : IVectorGeometry
    {
        public List<string> Calls { get; } = [];

        public float[] Midpoint(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        {
            Calls.Add("midpoint");
            return a.ToArray();
        }

        public float[] WeightedMean(IReadOnlyList<float[]> points, IReadOnlyList<double> weights)
        {
            Calls.Add("mean");
            return points[0];
        }
    }
}
