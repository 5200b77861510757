using RoseForest.Federated.Model;
using RoseForest.Federated.Strategies;
using static RoseForest.Federated.Tests.Model.Updates;

namespace RoseForest.Federated.Tests.Strategies;

public sealed class ByzantineStrategyTests
{
    /// <summary>n honest vectors near the origin and f attackers far away.</summary>
    private static float[][] Population(int honest, int attackers, int seed)
    {
        var good = RandomVectors(honest, 4, seed, scale: 1.0);
        var bad = RandomVectors(attackers, 4, seed + 1, scale: 1.0).Select(x => x.Select(v => v + 50f).ToArray());
        return [.. good, .. bad];
    }

    private static List<ClientUpdate> AsUpdates(float[][] xs, int[]? samples = null) =>
        [.. xs.Select((x, k) => Update($"c{k}", 1, Flat(x), samples?[k] ?? 1))];

    [Fact]
    public void Krum_returns_the_update_with_the_lowest_score()
    {
        var xs = Population(5, 2, seed: 21);
        var scores = Reference.KrumScores(xs, 2);
        var result = FederatedStrategies.Krum(2).Aggregate(1, Flat(0, 0, 0, 0), AsUpdates(xs)).Flatten();
        Assert.Equal(xs[Reference.ArgMin(scores)], result);
        Assert.True(Reference.ArgMin(scores) < 5, "an honest update wins");
    }

    [Fact]
    public void Multi_krum_averages_the_lowest_scoring_updates_weighted_by_samples()
    {
        var xs = Population(6, 2, seed: 22);
        int[] samples = [1, 2, 3, 4, 5, 6, 7, 8];
        var scores = Reference.KrumScores(xs, 2);
        var best = Enumerable.Range(0, xs.Length).OrderBy(i => scores[i]).Take(3).ToArray();
        var expected = Reference.WeightedMean([.. best.Select(i => xs[i])], [.. best.Select(i => samples[i])]);
        var result = FederatedStrategies.MultiKrum(2, 3).Aggregate(1, Flat(0, 0, 0, 0), AsUpdates(xs, samples)).Flatten();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], result[i], 1e-5);
        }
    }

    [Fact]
    public void Bulyan_selects_by_repeated_krum_then_averages_the_beta_values_closest_to_the_median()
    {
        const int f = 2;
        var xs = Population(9, f, seed: 23); // n = 11 = 4f + 3
        var remaining = xs.ToList();
        var selected = new List<float[]>();
        var theta = xs.Length - (2 * f);
        for (var s = 0; s < theta; s++)
        {
            var pick = Reference.ArgMin(Reference.KrumScores(remaining, f));
            selected.Add(remaining[pick]);
            remaining.RemoveAt(pick);
        }

        var beta = theta - (2 * f);
        var expected = Enumerable.Range(0, 4).Select(i =>
        {
            var median = Reference.Median(selected.Select(x => (double)x[i]));
            return selected.Select(x => (double)x[i]).OrderBy(v => Math.Abs(v - median)).Take(beta).Average();
        }).ToArray();

        var result = FederatedStrategies.Bulyan(f).Aggregate(1, Flat(0, 0, 0, 0), AsUpdates(xs)).Flatten();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], result[i], 1e-6);
            Assert.InRange(result[i], -1, 1); // the attackers at +50 are excluded
        }
    }

    [Fact]
    public void Bulyan_refuses_fewer_than_4f_plus_3_updates()
    {
        var xs = Population(8, 2, seed: 24); // 10 < 11
        Assert.Throws<InvalidOperationException>(() => FederatedStrategies.Bulyan(2).Aggregate(1, Flat(0, 0, 0, 0), AsUpdates(xs)));
    }
}
