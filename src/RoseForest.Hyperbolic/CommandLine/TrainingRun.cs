using System.Globalization;
using RoseForest.Hyperbolic.Graphs;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.CommandLine;

/// <summary>
/// Runs the trainer for a command line with plain progress: one line on stderr every twentieth
/// of the epochs and at the last. A terminal display (roseforest's progress bar) reports through
/// <see cref="OnThisThread{T}"/> with the same <see cref="Line"/>.
/// </summary>
internal static class TrainingRun
{
    public static TrainingResult Run(Digraph graph, TrainerOptions options, CancellationToken ct, Embedding? initial = null)
    {
        var every = Math.Max(1, options.Epochs / 20);
        var progress = new OnThisThread<EpochReport>(r =>
        {
            if (r.Epoch % every == 0 || r.Epoch == r.Epochs)
            {
                Console.Error.WriteLine(Line(r));
            }
        });
        return HierarchyTrainer.Train(graph, options, progress, ct, initial);
    }

    /// <summary>One epoch's progress as a line of text.</summary>
    public static string Line(EpochReport r) => string.Create(
        CultureInfo.InvariantCulture,
        $"epoch {r.Epoch}/{r.Epochs}{(r.BurnIn ? " (burn-in)" : "")}  loss {r.Loss:F4}  {r.PairsPerSecond:N0} pairs/s  elapsed {r.Elapsed:hh\\:mm\\:ss}  ETA {r.Remaining:hh\\:mm\\:ss}");

    /// <summary>An IProgress that reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    internal sealed class OnThisThread<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
