using System.Diagnostics;
using System.Text.Json;
using RoseForest.Core.Spaces;
using RoseForest.Engine;
using RoseForest.Hyperbolic.CommandLine;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Bench;

/// <summary>
/// Issue 5's last number: search over trained hierarchy embeddings in their own geometry. A
/// seeded sample of rows is held out as queries and the rest goes into a collection with HNSW
/// (the ann-benchmarks split: a query is never its own answer). Ground truth is a
/// double-precision scan of the same float rows with the collection's distance formula. Then the
/// exact scan is checked against it and timed, and HNSW recall@10 and QPS are measured per ef,
/// one query at a time on one thread. There is no peer: hnswlib and faiss have no hyperbolic
/// metric, so the exact scan is the reference.
/// </summary>
internal static class EmbedSearchBench
{
    private const int K = 10;

    public sealed record Options(string Embeddings, int Queries, int M, int EfConstruction, int[] Efs, int Threads, string? Json, double DeleteFraction = 0);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        if (o.DeleteFraction is < 0 or >= 1 || double.IsNaN(o.DeleteFraction))
        {
            throw new ValidationException("delete-fraction", $"must be in [0, 1), got {o.DeleteFraction}.");
        }

        Console.WriteLine($"machine: {MachineInfo.Describe()}");
        var embedding = EmbeddingFile.Read(o.Embeddings);
        var rows = embedding.ToCollectionRows();
        var geometry = CollectionExport.GeometryOf(embedding.Model);

        if (o.Queries < 1 || o.Queries >= rows.Length)
        {
            throw new ValidationException("queries", $"must be between 1 and {rows.Length - 1} (the rows in the file minus one), got {o.Queries}.");
        }

        var order = Enumerable.Range(0, rows.Length).ToArray();
        new Random(7).Shuffle(order);
        var queryRows = order[..o.Queries];
        var baseRows = order[o.Queries..];
        Array.Sort(baseRows);
        Console.WriteLine($"embeddings: {o.Embeddings}: {EmbeddingFile.ModelName(embedding.Model)} dim {embedding.Dimension} ({rows[0].Length} floats per row), {baseRows.Length:N0} points + {queryRows.Length:N0} held-out queries, geometry {GeometryInfo.Name(geometry)}");

        var clock = Stopwatch.StartNew();
        var truth = GroundTruth(geometry, embedding.Curvature, rows, baseRows, queryRows);
        Console.WriteLine($"ground truth (double precision, k={K}): {clock.Elapsed.TotalSeconds:F1} s");

        var report = new Dictionary<string, object?>
        {
            ["embeddings"] = o.Embeddings,
            ["model"] = EmbeddingFile.ModelName(embedding.Model),
            ["geometry"] = GeometryInfo.Name(geometry),
            ["dim"] = embedding.Dimension,
            ["n"] = baseRows.Length,
            ["queries"] = queryRows.Length,
            ["m"] = o.M,
            ["ef_construction"] = o.EfConstruction,
            ["build_threads"] = o.Threads,
            ["machine"] = MachineInfo.Describe(),
        };

        await using var db = RoseForestDatabase.CreateInMemory();
        var options = new CollectionOptions
        {
            Dimension = rows[0].Length,
            Geometry = geometry,
            Curvature = embedding.Curvature,
            Durability = Durability.Buffered,
            // Threshold 0 so every non-exact query walks the graph: with the default (10,000 KB, as
            // Qdrant) a collection this small (82k x 11 floats = 3.6 MB) would be scanned exactly.
            Hnsw = new HnswOptions { M = o.M, EfConstruct = o.EfConstruction, MaxIndexingThreads = o.Threads, FullScanThreshold = 0 },
        };
        var col = await db.CreateCollectionAsync("embeddings", options, ct);
        clock.Restart();
        for (var from = 0; from < baseRows.Length; from += 1000)
        {
            var batch = new PointStruct[Math.Min(1000, baseRows.Length - from)];
            for (var i = 0; i < batch.Length; i++)
            {
                var row = baseRows[from + i];
                batch[i] = new PointStruct((ulong)row, rows[row]);
            }

            await col.UpsertAsync(batch, cancellationToken: ct);
        }

        var build = clock.Elapsed.TotalSeconds;
        var unreachable = col.GraphForTests?.FindUnreachable().Count ?? -1;
        report["build_seconds"] = build;
        report["unreachable"] = unreachable;
        Console.WriteLine($"collection with HNSW M={o.M} efC={o.EfConstruction}, {o.Threads} indexing thread(s): built in {build:F2} s, nodes unreachable from the entry point: {unreachable}");

        var runs = new List<object>();
        var exact = await MeasureAsync(col, rows, queryRows, truth, ef: null, ct);
        runs.Add(exact.ToJson("exact"));
        Console.WriteLine($"exact scan: {exact.Agreeing}/{queryRows.Length} queries agree with brute force, recall@10 {exact.Recall:F4}, {exact.Qps:F1} QPS");
        runs.AddRange(await MeasureEfsAsync(col, o.Efs, rows, queryRows, truth, "", ct));

        report["runs"] = runs;
        if (o.DeleteFraction > 0)
        {
            report["after_deletes"] = await DeleteAndMeasureAsync(col, o, embedding.Curvature, rows, baseRows, queryRows, ct);
        }

        if (o.Json is not null)
        {
            await File.WriteAllTextAsync(o.Json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }), ct);
        }

        return 0;
    }

    /// <summary>
    /// Deletes a seeded random fraction of the base rows (in batches, as a client would; the
    /// collection consolidates its graph on the writer once tombstones pass a tenth), then
    /// measures every ef again against the ground truth of the survivors.
    /// </summary>
    private static async Task<object> DeleteAndMeasureAsync(Collection col, Options o, double curvature, float[][] rows, int[] baseRows, int[] queryRows, CancellationToken ct)
    {
        var doomed = (int[])baseRows.Clone();
        new Random(11).Shuffle(doomed);
        doomed = doomed[..(int)(o.DeleteFraction * baseRows.Length)];
        var graph = col.GraphForTests;
        var clock = Stopwatch.StartNew();
        for (var from = 0; from < doomed.Length; from += 1000)
        {
            var ids = doomed[from..Math.Min(doomed.Length, from + 1000)].Select(r => PointId.FromNumber((ulong)r)).ToArray();
            await col.DeleteAsync(PointSelector.ById(ids), ct);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var gone = doomed.ToHashSet();
        var survivors = baseRows.Where(r => !gone.Contains(r)).ToArray();
        var truth = GroundTruth(col.Options.Geometry, curvature, rows, survivors, queryRows);
        var tombstones = graph?.DeletedCount ?? -1;
        var unreachable = graph?.FindUnreachable().Count ?? -1;
        Console.WriteLine($"deleted {doomed.Length:N0} points ({o.DeleteFraction:P0}) in {seconds:F2} s, consolidation included; tombstones left {tombstones}, relinked by the last consolidation {graph?.LastRelinked ?? -1}, unreachable now {unreachable}");
        var runs = await MeasureEfsAsync(col, o.Efs, rows, queryRows, truth, "after deletes, ", ct);

        return new { deleted = doomed.Length, delete_seconds = seconds, tombstones_left = tombstones, relinked = graph?.LastRelinked ?? -1, unreachable, runs };
    }

    /// <summary>Measures HNSW at every ef, printing each line with <paramref name="label"/> in front.</summary>
    private static async Task<List<object>> MeasureEfsAsync(Collection col, int[] efs, float[][] rows, int[] queryRows, (int Row, double Distance)[][] truth, string label, CancellationToken ct)
    {
        var runs = new List<object>();
        foreach (var ef in efs)
        {
            var run = await MeasureAsync(col, rows, queryRows, truth, ef, ct);
            runs.Add(run.ToJson($"hnsw ef={ef}"));
            Console.WriteLine($"{label}hnsw ef={ef,4}: recall@10 {run.Recall:F4}, {run.Agreeing}/{queryRows.Length} queries exact, {run.Qps:F1} QPS");
        }

        return runs;
    }

    private sealed record Run(int Agreeing, double Recall, double Qps)
    {
        public object ToJson(string mode) => new { mode, recall_at_10 = Recall, queries_exact = Agreeing, qps = Qps };
    }

    /// <summary>
    /// Times every query one at a time (after a warm-up pass over the first 100), then scores
    /// them: recall@10 counts an answer as found when its true distance is within the 10th true
    /// distance (ann-benchmarks' rule, so ties at the boundary do not count against the index),
    /// and a query "agrees" when all ten answers do and the returned scores are the true ones.
    /// </summary>
    private static async Task<Run> MeasureAsync(Collection col, float[][] rows, int[] queryRows, (int Row, double Distance)[][] truth, int? ef, CancellationToken ct)
    {
        SearchRequest Request(int q) => new() { Vector = rows[queryRows[q]], Limit = K, Exact = ef is null, HnswEf = ef };
        for (var q = 0; q < Math.Min(100, queryRows.Length); q++)
        {
            await col.SearchAsync(Request(q), ct);
        }

        var answers = new IReadOnlyList<ScoredPoint>[queryRows.Length];
        var clock = Stopwatch.StartNew();
        for (var q = 0; q < queryRows.Length; q++)
        {
            answers[q] = await col.SearchAsync(Request(q), ct);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var geometry = col.Options.Geometry;
        var curvature = col.Options.Curvature;
        long found = 0;
        var agreeing = 0;
        for (var q = 0; q < queryRows.Length; q++)
        {
            var limit = truth[q][^1].Distance;
            var tolerance = 1e-9 * (1 + limit);
            var hits = 0;
            var exact = answers[q].Count == truth[q].Length;
            for (var i = 0; i < answers[q].Count; i++)
            {
                var trueDistance = GeometryMath.Score(geometry, curvature, rows[queryRows[q]], rows[(int)answers[q][i].Id.Number]);
                if (trueDistance <= limit + tolerance)
                {
                    hits++;
                }

                exact &= i < truth[q].Length
                    && Math.Abs(trueDistance - truth[q][i].Distance) <= 1e-9 * (1 + truth[q][i].Distance)
                    && Math.Abs(answers[q][i].Score - trueDistance) <= 1e-9 * (1 + trueDistance);
            }

            found += hits;
            agreeing += exact ? 1 : 0;
        }

        return new Run(agreeing, (double)found / ((long)queryRows.Length * K), queryRows.Length / seconds);
    }

    /// <summary>The k nearest base rows of every query row, scored in double, ties by lower row.</summary>
    private static (int Row, double Distance)[][] GroundTruth(Geometry geometry, double curvature, float[][] rows, int[] baseRows, int[] queryRows)
    {
        var truth = new (int Row, double Distance)[queryRows.Length][];
        Parallel.For(0, queryRows.Length, q =>
        {
            var query = rows[queryRows[q]];
            var best = new List<(int Row, double Distance)>(K + 1);
            foreach (var row in baseRows)
            {
                var d = GeometryMath.Score(geometry, curvature, query, rows[row]);
                if (best.Count == K && d >= best[^1].Distance)
                {
                    continue; // not better than the current 10th (rows ascend, so an equal one loses the tie)
                }

                var at = best.Count;
                while (at > 0 && best[at - 1].Distance > d)
                {
                    at--;
                }

                best.Insert(at, (row, d));
                if (best.Count > K)
                {
                    best.RemoveAt(K);
                }
            }

            truth[q] = [.. best];
        });
        return truth;
    }
}
