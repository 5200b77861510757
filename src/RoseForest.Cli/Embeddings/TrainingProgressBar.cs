using RoseForest.Hyperbolic.CommandLine;
using RoseForest.Hyperbolic.Graphs;
using RoseForest.Hyperbolic.Training;
using Spectre.Console;

namespace RoseForest.Cli.Embeddings;

/// <summary>Runs the trainer with a Spectre progress bar on a terminal, plain lines otherwise (<see cref="TrainingRun"/>).</summary>
internal static class TrainingProgressBar
{
    public static TrainingResult Run(Digraph graph, TrainerOptions options, bool plain, CancellationToken ct, Embedding? initial = null)
    {
        if (plain || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return TrainingRun.Run(graph, options, ct, initial);
        }

        TrainingResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: Math.Max(1, options.Epochs));
                var progress = new TrainingRun.OnThisThread<EpochReport>(r =>
                {
                    task.Description = Markup.Escape(TrainingRun.Line(r));
                    task.Value = r.Epoch;
                });
                result = HierarchyTrainer.Train(graph, options, progress, ct, initial);
            });
        return result!;
    }
}
