using RoseForest.Federated.Bench.Data;
using RoseForest.Federated.Bench.Learning;
using RoseForest.Federated.Gossip;
using RoseForest.Federated.Randomness;

namespace RoseForest.Federated.Bench.Experiments;

/// <summary>Gossip mode: pairwise averaging of the nodes' models, with and without local training between the rounds.</summary>
internal static class GossipRun
{
    /// <summary>Consensus distance per gossip round of the nodes' locally trained models (one local epoch from one initial model), and the test accuracy of node 0 and of the exact mean.</summary>
    public static (IReadOnlyList<double> Distances, double Node0Before, double Node0After, double Mean) Averaging(IClassifier model, FashionData data, int[][] partition, TrainSettings settings, int rounds, ulong seed)
    {
        var start = model.Initial(seed);
        var trained = new float[partition.Length][];
        Parallel.For(0, partition.Length, i => trained[i] = new LocalTrainer(model, data, partition[i]).Train(start, settings, seed ^ (ulong)i).Parameters);
        var gossip = new GossipAveraging(trained, new SeededRandomSource(seed + 3));
        var before = LocalTrainer.Accuracy(model, trained[0], data);
        var distances = gossip.Run(rounds);
        return (distances, before, LocalTrainer.Accuracy(model, [.. gossip.Value(0).Select(v => (float)v)], data), LocalTrainer.Accuracy(model, [.. gossip.Mean().Select(v => (float)v)], data));
    }

    /// <summary>Gossip learning: every round each node trains one local epoch, then one gossip round pairs and averages; consensus distance after the gossip and mean node test accuracy per round.</summary>
    public static List<(double Distance, double MeanNodeAccuracy)> Learning(IClassifier model, FashionData data, int[][] partition, TrainSettings settings, int rounds, ulong seed)
    {
        var start = model.Initial(seed);
        var nodes = partition.Select(_ => (float[])start.Clone()).ToArray();
        var trainers = partition.Select(p => new LocalTrainer(model, data, p)).ToArray();
        var random = new SeededRandomSource(seed + 5);
        var result = new List<(double, double)>();
        for (var r = 1; r <= rounds; r++)
        {
            Parallel.For(0, nodes.Length, i => nodes[i] = trainers[i].Train(nodes[i], settings, seed ^ ((ulong)r << 20) ^ (ulong)i).Parameters);
            var gossip = new GossipAveraging(nodes, random);
            gossip.Round();
            nodes = [.. Enumerable.Range(0, nodes.Length).Select(i => gossip.Value(i).Select(v => (float)v).ToArray())];
            result.Add((gossip.ConsensusDistance(), nodes.Average(n => LocalTrainer.Accuracy(model, n, data))));
        }

        return result;
    }
}
