using System.Globalization;
using RoseForest.Federated.Bench.Data;
using RoseForest.Federated.Bench.Experiments;
using RoseForest.Federated.Bench.Learning;
using RoseForest.Federated.Model;
using RoseForest.Federated.Privacy;
using RoseForest.Federated.Randomness;
using RoseForest.Federated.Strategies;

namespace RoseForest.Federated.Bench;

/// <summary>The experiments; each prints markdown tables and stores its raw numbers in the results.</summary>
internal sealed class Benchmarks(BenchSettings settings, FashionData data, Dictionary<string, object> results)
{
    /// <summary>One local epoch of minibatch SGD (batch 32, rate 0.05) per round; the centralized baseline runs the same per round over all the data.</summary>
    private static readonly TrainSettings Local = new(1, 32, 0.05f);

    private int[][] Iid => Partitions.Iid(data.TrainX.Length, settings.Clients, settings.Seed);

    private int[][] Dirichlet => Partitions.Dirichlet(data.TrainY, settings.Clients, settings.DirichletBeta, settings.Seed);

    private static IAggregationStrategy FedAdam() => FederatedStrategies.FedAdam(new FedOptOptions { Eta = 0.01, EtaL = Local.LearningRate, Tau = 1e-3 });

    public void Accuracy()
    {
        IClassifier[] models = settings.Models switch { "mlr" => [new SoftmaxRegression()], "mlp" => [new Mlp(settings.Hidden)], _ => [new SoftmaxRegression(), new Mlp(settings.Hidden)] };
        var splits = new[] { ("IID", (Func<int[][]>)(() => Iid)), ($"Dir({settings.DirichletBeta})", () => Dirichlet) }
            .Where(s => settings.Splits == "both" || (settings.Splits == "iid") == (s.Item1 == "IID")).ToArray();
        foreach (var model in models)
        {
            var columns = new List<(string Name, double[] Accuracy, double Seconds)>();
            var central = new Simulation { Model = model, Data = data, Partition = Iid, Settings = Local, Rounds = settings.Rounds, Seed = settings.Seed };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            columns.Add(("centralized", central.RunCentralized(), clock.Elapsed.TotalSeconds / settings.Rounds));
            foreach (var (split, partition) in splits)
            {
                var sim = new Simulation { Model = model, Data = data, Partition = partition(), Settings = Local, Rounds = settings.Rounds, Seed = settings.Seed };
                foreach (var (name, strategy) in new (string, Func<IAggregationStrategy>)[] { ("FedAvg", FederatedStrategies.FedAvg), ("FedProx μ=0.01", () => FederatedStrategies.FedProx(0.01)), ("FedAdam", FedAdam) })
                {
                    var (accuracy, _, seconds) = sim.Run(strategy());
                    columns.Add(($"{split} {name}", accuracy, seconds));
                    Console.Error.WriteLine($"  {model.Name}: {split} {name} done ({seconds:F1} s/round), final {accuracy[^1]:P2}");
                }
            }

            PrintRounds($"Test accuracy per round, {model.Name}", columns);
            results[$"accuracy/{model.Name}"] = columns.ToDictionary(c => c.Name, c => new { c.Accuracy, c.Seconds });
        }
    }

    public void Byzantine()
    {
        var model = new SoftmaxRegression();
        var columns = new List<(string Name, double[] Accuracy, double Seconds)>();
        var clean = new Simulation { Model = model, Data = data, Partition = Iid, Settings = Local, Rounds = settings.Rounds, Seed = settings.Seed };
        foreach (var (name, strategy) in Robust())
        {
            var run = clean.Run(strategy());
            columns.Add(($"clean {name}", run.Accuracy, run.SecondsPerRound));
        }

        foreach (var attack in new[] { Attack.SignFlipScale, Attack.LabelFlip })
        {
            var sim = new Simulation { Model = model, Data = data, Partition = Iid, Settings = Local, Rounds = settings.Rounds, Seed = settings.Seed, Byzantine = 2, Attack = attack };
            foreach (var (name, strategy) in Robust())
            {
                var run = sim.Run(strategy());
                columns.Add(($"{attack} {name}", run.Accuracy, run.SecondsPerRound));
                Console.Error.WriteLine($"  byzantine {attack} {name}: final {run.Accuracy[^1]:P2}");
            }
        }

        PrintFinal($"Byzantine clients: 2 of 10 (IID, {model.Name}); final test accuracy after {settings.Rounds} rounds", columns);
        results["byzantine"] = columns.ToDictionary(c => c.Name, c => c.Accuracy);

        static IEnumerable<(string, Func<IAggregationStrategy>)> Robust() =>
        [
            ("FedAvg", FederatedStrategies.FedAvg),
            ("Krum f=2", () => FederatedStrategies.Krum(2)),
            ("FedMedian", FederatedStrategies.FedMedian),
            ("FedTrimmedAvg β=0.2", () => FederatedStrategies.FedTrimmedAvg(0.2)),
        ];
    }

    public void Privacy()
    {
        var model = new SoftmaxRegression();
        var rows = new List<string>();
        var raw = new Dictionary<string, object>();
        // The issue's setting: 10 clients, all of them every round (q = 1). And the setting
        // client-level DP is made for: 1,000 clients of 60 samples, 100 sampled per round.
        var many = Partitions.Iid(data.TrainX.Length, 1000, settings.Seed);
        foreach (var (label, partition, perRound, local) in new[] { ("10 clients, all per round", Iid, 10, Local), ("1,000 clients, 100 per round", many, 100, new TrainSettings(5, 20, 0.05f)) })
        {
            var q = perRound / (double)partition.Length;
            var sim = new Simulation { Model = model, Data = data, Partition = partition, Settings = local, Rounds = settings.Rounds, ClientsPerRound = perRound, Seed = settings.Seed };
            var baseline = sim.Run(FederatedStrategies.FedAvg()).Accuracy;
            rows.Add($"| {label} | no DP | — | — | {baseline[^1]:P2} |");
            raw[$"{label}/none"] = baseline;
            foreach (var epsilon in new[] { 8.0, 3.0, 1.0 })
            {
                var z = Calibration.NoiseFor(epsilon, 1e-5, q, settings.Rounds);
                var options = new AdaptiveClippingOptions
                {
                    NoiseMultiplier = z,
                    SampledClients = perRound,
                    ClippedCountStddev = Math.Max(perRound / 20.0, z), // z must stay below 2σ_b
                };
                var dpSim = new Simulation { Model = model, Data = data, Partition = partition, Settings = local, Rounds = settings.Rounds, ClientsPerRound = perRound, Seed = settings.Seed, NoiseMultiplier = z };
                var run = dpSim.Run(FederatedStrategies.FedAvg().WithAdaptiveClippingDp(options, new SeededRandomSource(settings.Seed + 11)));
                rows.Add($"| {label} | ε = {epsilon} | {z:F3} | {run.Epsilon:F2} | {run.Accuracy[^1]:P2} |");
                raw[$"{label}/eps{epsilon}"] = new { z, run.Epsilon, run.Accuracy };
                Console.Error.WriteLine($"  privacy {label} ε {epsilon}: z {z:F3}, accuracy {run.Accuracy[^1]:P2}");
            }
        }

        Console.WriteLine($"\n### Central DP with adaptive clipping, δ = 1e-5, {settings.Rounds} rounds, {model.Name}\n");
        Console.WriteLine("| clients | target | noise multiplier z | ε spent (accountant) | final test accuracy |");
        Console.WriteLine("|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        results["privacy"] = raw;
    }

    public void Gossip()
    {
        var model = new SoftmaxRegression();
        var partition = Dirichlet;
        var (distances, before, after, mean) = GossipRun.Averaging(model, data, partition, Local, 20, settings.Seed);
        Console.WriteLine($"\n### Gossip averaging of 10 locally trained models (Dir({settings.DirichletBeta}), {model.Name})\n");
        Console.WriteLine("| gossip round | consensus distance |");
        Console.WriteLine("|---|---|");
        for (var r = 0; r < distances.Count; r++)
        {
            Console.WriteLine($"| {r} | {distances[r]:G4} |");
        }

        Console.WriteLine($"\nNode 0's test accuracy: {before:P2} before gossip, {after:P2} after 20 rounds; the exact mean model: {mean:P2}.");
        var learning = GossipRun.Learning(model, data, partition, Local, settings.Rounds, settings.Seed);
        Console.WriteLine($"\n### Gossip learning: one local epoch then one gossip round, {settings.Rounds} rounds (Dir({settings.DirichletBeta}), {model.Name})\n");
        Console.WriteLine("| round | consensus distance after gossip | mean node test accuracy |");
        Console.WriteLine("|---|---|---|");
        for (var r = 0; r < learning.Count; r++)
        {
            if (Checkpoint(r + 1, learning.Count))
            {
                Console.WriteLine($"| {r + 1} | {learning[r].Distance:G4} | {learning[r].MeanNodeAccuracy:P2} |");
            }
        }

        results["gossip"] = new { distances, before, after, mean, learning = learning.Select(l => new[] { l.Distance, l.MeanNodeAccuracy }) };
    }

    public static async Task CostAsync(BenchSettings settings, Dictionary<string, object> results)
    {
        var rows = new List<string>();
        var raw = new Dictionary<string, object>();
        foreach (var (name, layout) in new[] { ("softmax regression", new SoftmaxRegression().Layout), ($"MLP 784-{settings.Hidden}-10", new Mlp(settings.Hidden).Layout) })
        {
            var initial = layout.WithFlatValues(new SoftmaxRegression().Initial(1).Concat(new float[Math.Max(0, (int)layout.ValueCount - 7850)]).Take((int)layout.ValueCount).ToArray());
            foreach (var (binary, secure) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                var result = await CostOverHttp.RunAsync(initial, settings.Clients, 5, binary, secure);
                var form = binary ? "frames" : "JSON";
                rows.Add($"| {name} ({layout.ValueCount:N0} values) | {form} | {(secure ? "yes" : "no")} | {result.SecondsPerRound:F3} | {Mb(result.ModelBytesPerRound)} | {Mb(result.SecAggBytesPerRound)} | {Mb(result.PollBytesPerRound)} |");
                raw[$"{name}/{form}/{(secure ? "secagg" : "plain")}"] = result;
                Console.Error.WriteLine($"  cost {name} {form} secure={secure}: {result.SecondsPerRound:F3} s/round");
            }
        }

        Console.WriteLine("\n### Cost per round over HTTP (10 clients on loopback, training time excluded, 5 rounds)\n");
        Console.WriteLine("| model | tensors as | secure aggregation | seconds per round | MB model down + up | MB SecAgg messages | MB polls and control |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        results["cost"] = raw;

        static string Mb(double bytes) => (bytes / 1e6).ToString("F3", CultureInfo.InvariantCulture);
    }

    private static bool Checkpoint(int round, int rounds) => round is 1 or 2 or 3 || round % 5 == 0 || round == rounds;

    private void PrintRounds(string title, List<(string Name, double[] Accuracy, double Seconds)> columns)
    {
        Console.WriteLine($"\n### {title}\n");
        Console.WriteLine($"| round | {string.Join(" | ", columns.Select(c => c.Name))} |");
        Console.WriteLine($"|---|{string.Concat(columns.Select(_ => "---|"))}");
        for (var r = 1; r <= settings.Rounds; r++)
        {
            if (Checkpoint(r, settings.Rounds))
            {
                Console.WriteLine($"| {r} | {string.Join(" | ", columns.Select(c => c.Accuracy[r - 1].ToString("P2", CultureInfo.InvariantCulture)))} |");
            }
        }

        Console.WriteLine($"| s/round | {string.Join(" | ", columns.Select(c => c.Seconds.ToString("F2", CultureInfo.InvariantCulture)))} |");
    }

    private void PrintFinal(string title, List<(string Name, double[] Accuracy, double Seconds)> columns)
    {
        Console.WriteLine($"\n### {title}\n");
        Console.WriteLine("| run | round 5 | round 10 | final |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var c in columns)
        {
            Console.WriteLine($"| {c.Name} | {c.Accuracy[Math.Min(4, c.Accuracy.Length - 1)]:P2} | {c.Accuracy[Math.Min(9, c.Accuracy.Length - 1)]:P2} | {c.Accuracy[^1]:P2} |");
        }
    }
}
