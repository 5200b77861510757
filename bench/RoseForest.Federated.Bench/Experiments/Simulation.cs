using System.Diagnostics;
using RoseForest.Federated.Bench.Data;
using RoseForest.Federated.Bench.Learning;
using RoseForest.Federated.Coordination;
using RoseForest.Federated.Model;
using RoseForest.Federated.Randomness;
using RoseForest.Federated.Strategies;

namespace RoseForest.Federated.Bench.Experiments;

/// <summary>How a Byzantine client misbehaves.</summary>
internal enum Attack
{
    None,

    /// <summary>Sends global − s·(local − global), s = <see cref="Simulation.SignFlipScale"/>.</summary>
    SignFlipScale,

    /// <summary>Trains honestly on labels y → 9 − y.</summary>
    LabelFlip,
}

/// <summary>One federated run through the real <see cref="FederatedCoordinator"/> and strategy, clients trained in parallel in process.</summary>
internal sealed class Simulation
{
    public const float SignFlipScale = 10f;

    public required IClassifier Model { get; init; }

    public required FashionData Data { get; init; }

    public required int[][] Partition { get; init; }

    public required TrainSettings Settings { get; init; }

    public required int Rounds { get; init; }

    public int ClientsPerRound { get; init; }

    public int Byzantine { get; init; }

    public Attack Attack { get; init; }

    public double? NoiseMultiplier { get; init; }

    public ulong Seed { get; init; } = 1;

    /// <summary>Test accuracy after each round, the ε spent (null without DP) and the mean seconds per round.</summary>
    public (double[] Accuracy, double? Epsilon, double SecondsPerRound) Run(IAggregationStrategy strategy)
    {
        var clients = Partition.Length;
        var perRound = ClientsPerRound == 0 ? clients : ClientsPerRound;
        var ids = Enumerable.Range(0, clients).Select(i => $"c{i:0000}").ToArray();
        var trainers = Partition.Select(part => new LocalTrainer(Model, Data, part)).ToArray();
        var options = new FederatedTaskOptions
        {
            Rounds = Rounds,
            MinFitClients = perRound,
            MinAvailableClients = clients,
            FractionFit = perRound / (double)clients,
            DpNoiseMultiplier = NoiseMultiplier,
        };
        using var coordinator = new FederatedCoordinator("bench", Model.Layout.WithFlatValues(Model.Initial(Seed)), strategy, options, TimeProvider.System, new InMemoryFederatedStateStore(), new SeededRandomSource(Seed + 7));
        foreach (var id in ids)
        {
            coordinator.RegisterClient(id);
        }

        var accuracy = new double[Rounds];
        var clock = Stopwatch.StartNew();
        for (var r = 1; r <= Rounds; r++)
        {
            var plan = coordinator.StartRound()!;
            var global = plan.Model.Flatten();
            var mu = plan.Config.TryGetValue(FederatedStrategies.ProximalMuKey, out var m) ? (float)m : 0f;
            var updates = new ClientUpdate[plan.Clients.Count];
            Parallel.For(0, plan.Clients.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
            {
                var index = Array.IndexOf(ids, plan.Clients[k]);
                var byzantine = index < Byzantine ? Attack : Attack.None;
                var (p, loss, acc) = trainers[index].Train(global, Settings, Seed ^ ((ulong)r << 20) ^ (ulong)index, mu, byzantine == Attack.LabelFlip);
                if (byzantine == Attack.SignFlipScale)
                {
                    for (var i = 0; i < p.Length; i++)
                    {
                        p[i] = global[i] - (SignFlipScale * (p[i] - global[i]));
                    }
                }

                updates[k] = new ClientUpdate(plan.Clients[k], r, plan.Model.WithFlatValues(p), trainers[index].SampleCount, UpdateKind.Parameters, new UpdateMetrics(loss, acc));
            });
            foreach (var update in updates)
            {
                coordinator.Submit(update);
            }

            accuracy[r - 1] = LocalTrainer.Accuracy(Model, coordinator.Model.Flatten(), Data);
        }

        return (accuracy, coordinator.History[^1].Epsilon, clock.Elapsed.TotalSeconds / Rounds);
    }

    /// <summary>Centralized SGD on the union of the partition, <see cref="TrainSettings.LocalEpochs"/> epochs per "round".</summary>
    public double[] RunCentralized()
    {
        var all = Partition.SelectMany(p => p).ToArray();
        var trainer = new LocalTrainer(Model, Data, all);
        var p = Model.Initial(Seed);
        var accuracy = new double[Rounds];
        for (var r = 1; r <= Rounds; r++)
        {
            p = trainer.Train(p, Settings, Seed ^ ((ulong)r << 20) ^ 0xFFFF).Parameters;
            accuracy[r - 1] = LocalTrainer.Accuracy(Model, p, Data);
        }

        return accuracy;
    }
}
