using RoseForest.Federated.Gossip;
using RoseForest.Federated.Randomness;
using static RoseForest.Federated.Tests.Model.Updates;

namespace RoseForest.Federated.Tests.Gossip;

public sealed class GossipAveragingTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(15)]
    public void Gossip_preserves_the_sum_exactly_shrinks_the_consensus_distance_and_reaches_the_true_mean(int nodes)
    {
        var initial = RandomVectors(nodes, 8, seed: 3, scale: 10.0);
        var trueMean = Enumerable.Range(0, 8).Select(i => initial.Average(v => (double)v[i])).ToArray();
        var gossip = new GossipAveraging(initial, new SeededRandomSource(12));
        var sums = Enumerable.Range(0, 8).Select(gossip.FixedPointSum).ToArray();

        var previous = gossip.ConsensusDistance();
        for (var round = 0; round < 80; round++)
        {
            gossip.Round();
            Assert.Equal(sums, Enumerable.Range(0, 8).Select(gossip.FixedPointSum));
            var distance = gossip.ConsensusDistance();
            Assert.True(distance <= previous + 1e-6, $"round {round}: {distance} > {previous}");
            previous = distance;
        }

        for (var n = 0; n < nodes; n++)
        {
            var value = gossip.Value(n);
            for (var i = 0; i < 8; i++)
            {
                Assert.Equal(trueMean[i], value[i], 1e-5);
            }
        }
    }

    [Fact]
    public void Run_reports_the_distance_before_and_after_each_round()
    {
        var gossip = new GossipAveraging(RandomVectors(8, 4, seed: 4), new SeededRandomSource(1));
        var distances = gossip.Run(10);
        Assert.Equal(11, distances.Count);
        Assert.True(distances[0] > 0.1);
        Assert.True(distances[^1] < distances[0] / 100, string.Join(", ", distances));
    }
}
