using System.Globalization;
using RoseForest.Hyperbolic.Graphs;
using RoseForest.Hyperbolic.Training;
using Spectre.Console;

namespace RoseForest.Cli.Embeddings;

/// <summary>Runs the trainer with a progress display: a Spectre bar on a terminal, plain lines otherwise.</summary>
internal static class TrainingRun
{
    public static TrainingResult Run(Digraph graph, TrainerOptions options, bool plain, CancellationToken ct, Embedding? initial = null)
    {
        if (plain || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            var every = Math.Max(1, options.Epochs / 20);
            var progress = new SyncProgress<EpochReport>(r =>
            {
                if (r.Epoch % every == 0 || r.Epoch == r.Epochs)
                {
                    Console.Error.WriteLine(Line(r));
                }
            });
            return HierarchyTrainer.Train(graph, options, progress, ct, initial);
        }

        TrainingResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: Math.Max(1, options.Epochs));
                var progress = new SyncProgress<EpochReport>(r =>
                {
                    task.Description = Markup.Escape(Line(r));
                    task.Value = r.Epoch;
                });
                result = HierarchyTrainer.Train(graph, options, progress, ct, initial);
            });
        return result!;
    }

    private static string Line(EpochReport r) => string.Create(
        CultureInfo.InvariantCulture,
        $"epoch {r.Epoch}/{r.Epochs}{(r.BurnIn ? " (burn-in)" : "")}  loss {r.Loss:F4}  {r.PairsPerSecond:N0} pairs/s  elapsed {r.Elapsed:hh\\:mm\\:ss}  ETA {r.Remaining:hh\\:mm\\:ss}");

    /// <summary>An IProgress that reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
