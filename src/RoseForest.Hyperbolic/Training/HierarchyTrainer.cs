using System.Diagnostics;
using RoseForest.Hyperbolic.Graphs;

namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// Embeds a directed graph so that each edge's endpoints are close: for every edge (u, v) the
/// loss is −log(e^{−d(u,v)} / Σ_{v' ∈ {v} ∪ N(u)} e^{−d(u,v')}) over sampled negatives N(u),
/// minimised by Riemannian SGD one edge at a time; every row that appears in the loss (u, v and
/// the negatives) is updated. Each epoch visits the edges in a fresh seeded order, split into
/// contiguous shards, one per thread, which update the shared table without locks (Hogwild).
/// </summary>
/// <remarks>
/// Determinism: with one thread, the same graph, options and seed give bit-identical coordinates.
/// With more threads the per-thread random streams are still fixed by the seed, but the
/// interleaving of lock-free updates is not, so runs agree in distribution (quality), not bit for bit.
/// While training, rows are padded with zeros to a multiple of four doubles (<see cref="RowMath"/>).
/// </remarks>
internal static partial class HierarchyTrainer
{
    /// <param name="graph">The edges to embed.</param>
    /// <param name="options">The settings.</param>
    /// <param name="progress">Told after every epoch.</param>
    /// <param name="cancellationToken">Stops training between edges.</param>
    /// <param name="initial">Start from these coordinates instead of a random start (to continue a
    /// run): same model and dimension, a row for every node of the graph, matched by name.</param>
    public static TrainingResult Train(Digraph graph, TrainerOptions options, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default, Embedding? initial = null)
    {
        options.Validate();
        if (initial is not null && (initial.Model != options.Model || initial.Dimension != options.Dimension))
        {
            throw new Core.ValidationException("init", $"the starting embeddings are {EmbeddingFile.ModelName(initial.Model)} dim {initial.Dimension}, not {EmbeddingFile.ModelName(options.Model)} dim {options.Dimension}.");
        }

        var start = initial?.Reorder(graph.Names).Coordinates;
        return options.Model switch
        {
            EmbeddingModel.Poincare => Train<PoincareKernel>(graph, options, progress, cancellationToken, start),
            EmbeddingModel.Lorentz => Train<LorentzKernel>(graph, options, progress, cancellationToken, start),
            _ => Train<EuclidKernel>(graph, options, progress, cancellationToken, start),
        };
    }

    private static TrainingResult Train<TKernel>(Digraph graph, TrainerOptions options, IProgress<EpochReport>? progress, CancellationToken cancellationToken, double[]? start)
        where TKernel : struct, IModelKernel
    {
        var stride = TKernel.Stride(options.Dimension);
        var padded = RowMath.Padded(stride);
        var table = new double[graph.NodeCount * padded];
        var init = new Random(options.Seed);
        for (var node = 0; node < graph.NodeCount; node++)
        {
            if (start is null)
            {
                TKernel.Initialize(table.AsSpan(node * padded, stride), init, options.InitRange);
            }
            else
            {
                start.AsSpan(node * stride, stride).CopyTo(table.AsSpan(node * padded, stride));
            }

            TKernel.Normalize(table.AsSpan(node * padded, padded));
        }

        var sampler = new NegativeSampler(graph);
        var order = Enumerable.Range(0, graph.EdgeCount).ToArray();
        var threads = Math.Max(1, Math.Min(options.Threads, graph.EdgeCount));
        var workers = Enumerable.Range(0, threads).Select(_ => new Worker<TKernel>(padded, options.Negatives)).ToArray();
        var started = Stopwatch.GetTimestamp();
        var loss = double.NaN;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var epochStarted = Stopwatch.GetTimestamp();
            var burnIn = epoch < options.BurnInEpochs;
            var lr = options.EffectiveLearningRate * (burnIn ? options.BurnInFactor : 1);
            new Random(Mix(options.Seed, epoch, -1)).Shuffle(order);
            var shard = (order.Length + threads - 1) / threads;
            void RunShard(int t)
            {
                var from = t * shard;
                var to = Math.Min(order.Length, from + shard);
                workers[t].Run(graph, sampler, table, order.AsSpan(from, Math.Max(0, to - from)), Mix(options.Seed, epoch, t), lr, burnIn, cancellationToken);
            }

            if (threads == 1)
            {
                RunShard(0);
            }
            else
            {
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, RunShard);
            }

            loss = workers.Sum(w => w.LossSum) / Math.Max(1, graph.EdgeCount);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var epochSeconds = Stopwatch.GetElapsedTime(epochStarted).TotalSeconds;
            var remaining = TimeSpan.FromSeconds(elapsed.TotalSeconds / (epoch + 1) * (options.Epochs - epoch - 1));
            progress?.Report(new EpochReport(epoch + 1, options.Epochs, loss, graph.EdgeCount / Math.Max(epochSeconds, 1e-9), elapsed, remaining, burnIn));
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var coordinates = new double[graph.NodeCount * stride];
        for (var node = 0; node < graph.NodeCount; node++)
        {
            table.AsSpan(node * padded, stride).CopyTo(coordinates.AsSpan(node * stride, stride));
        }

        var embedding = new Embedding(options.Model, options.Dimension, 1.0, graph.Names, coordinates);
        return new TrainingResult(embedding, options.Epochs, threads, seconds, loss, (double)graph.EdgeCount * options.Epochs / Math.Max(seconds, 1e-9));
    }

    /// <summary>A seed for (run seed, epoch, stream): fixed arithmetic, so runs repeat across processes.</summary>
    private static int Mix(int seed, int epoch, int stream)
    {
        unchecked
        {
            var h = (uint)seed * 0x9E3779B1u;
            h = (h ^ (uint)epoch) * 0x85EBCA77u;
            h = (h ^ (uint)stream) * 0xC2B2AE3Du;
            return (int)(h ^ (h >> 16));
        }
    }
}
