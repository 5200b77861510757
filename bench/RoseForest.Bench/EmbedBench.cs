using System.Diagnostics;
using RoseForest.Engine;
using RoseForest.Hyperbolic.CommandLine;
using RoseForest.Hyperbolic.Evaluation;
using RoseForest.Hyperbolic.Graphs;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Bench;

/// <summary>
/// Issue 5's numbers: train a hierarchy embedding, evaluate it (mean rank, MAP), and optionally
/// check exact k-NN search over the embeddings in a collection against brute force and time it.
/// </summary>
internal static class EmbedBench
{
    public static async Task<int> RunAsync(Digraph graph, string input, TrainerOptions options, Embedding? initial, string? outPath, string? jsonPath, int knnQueries, CancellationToken ct)
    {
        Console.WriteLine($"machine: {MachineInfo.Describe()}");
        Console.WriteLine($"graph: {input}, {graph.NodeCount:N0} nodes, {graph.EdgeCount:N0} edges");
        Console.WriteLine($"model {EmbeddingFile.ModelName(options.Model)} dim {options.Dimension}, {options.Epochs} epochs ({options.BurnInEpochs} burn-in), {options.Negatives} negatives, lr {options.EffectiveLearningRate}, {options.Threads} threads, seed {options.Seed}{(initial is null ? "" : ", continuing from given embeddings")}");
        var training = TrainingRun.Run(graph, options, ct, initial);
        Console.WriteLine($"trained in {training.Seconds:F1} s ({training.PairsPerSecond:N0} pairs/s), final loss {training.FinalLoss:F4}");
        if (outPath is not null)
        {
            EmbeddingFile.Write(training.Embedding, outPath);
        }

        var report = ReconstructionEvaluator.Evaluate(graph, training.Embedding, cancellationToken: ct);
        Console.WriteLine($"mean rank {report.MeanRank:F3}  MAP {report.MeanAveragePrecision:F4}  ({report.Nodes:N0} nodes, {report.Edges:N0} edges, evaluated in {report.Seconds:F1} s)");
        KnnCheck? knn = null;
        if (knnQueries > 0)
        {
            knn = await CheckExactSearchAsync(training.Embedding, knnQueries, ct);
            Console.WriteLine($"exact k=10 search in a {knn.Geometry} collection: {knn.Agreeing}/{knn.Queries} queries agree with brute force, {knn.Qps:F1} QPS");
            Console.WriteLine($"  the same top-10 as the trained (double) embedding: {knn.SameAsTrained}/{knn.Queries} queries, {knn.TrainedOverlap:P2} of the neighbours (float32 storage)");
        }

        if (jsonPath is not null)
        {
            var summary = EmbedSummary.Of(input, graph, options, training, report) with { Machine = MachineInfo.Describe(), Knn = knn };
            await File.WriteAllTextAsync(jsonPath, summary.ToJson(), ct);
        }

        return 0;
    }

    /// <param name="Geometry">The collection's geometry.</param>
    /// <param name="Queries">How many stored points were searched for.</param>
    /// <param name="Agreeing">Queries whose answer is the brute-force top-10 over the same float rows (is the search right?).</param>
    /// <param name="SameAsTrained">Queries whose answer has the same ten nodes as the top-10 by the trained double-precision distance (what storing float32 costs).</param>
    /// <param name="TrainedOverlap">The fraction of those ten nodes found, over all queries.</param>
    /// <param name="Qps">Exact searches per second.</param>
    internal sealed record KnnCheck(string Geometry, int Queries, int Agreeing, double Qps, int SameAsTrained, double TrainedOverlap);

    /// <summary>
    /// Exact k = 10 search over the stored rows of every node, against a brute-force scan of the
    /// same floats, and against the trained embedding's own double-precision distances.
    /// </summary>
    internal static async Task<KnnCheck> CheckExactSearchAsync(Embedding embedding, int queries, CancellationToken ct)
    {
        var rows = embedding.ToCollectionRows();
        await using var db = RoseForestDatabase.CreateInMemory();
        var collection = await CollectionExport.WriteAsync(db, "embeddings", embedding, rows, ct);
        var geometry = CollectionExport.GeometryOf(embedding.Model);
        var random = new Random(7);
        var picks = Enumerable.Range(0, queries).Select(_ => random.Next(rows.Length)).ToArray();
        var answers = new IReadOnlyList<ScoredPoint>[queries];
        var watch = Stopwatch.StartNew();
        for (var q = 0; q < queries; q++)
        {
            answers[q] = await collection.SearchAsync(new SearchRequest { Vector = rows[picks[q]], Limit = 10, Exact = true }, ct);
        }

        watch.Stop();
        var agreeing = 0;
        var sameAsTrained = 0;
        var found = 0;
        for (var q = 0; q < queries; q++)
        {
            agreeing += BruteForce.Agrees(geometry, embedding.Curvature, rows, rows[picks[q]], answers[q], 10) ? 1 : 0;
            var trained = BruteForceNeighbours.NearestTrained(embedding, picks[q], 10);
            var hits = answers[q].Count(a => trained.Contains((int)a.Id.Number));
            found += hits;
            sameAsTrained += hits == trained.Count ? 1 : 0;
        }

        return new KnnCheck(GeometryInfo.Name(geometry), queries, agreeing, queries / watch.Elapsed.TotalSeconds, sameAsTrained, found / (10.0 * queries));
    }
}
