using System.Diagnostics;
using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Datasets;
using RoseForest.Engine;

namespace RoseForest.Bench;

/// <summary>
/// Filtered search through a real collection (on disk, buffered durability): points carry their
/// Fashion-MNIST label and a bucket (id mod 100). Each selectivity is measured with two filters:
/// "label", a set of labels (multiples of 10%; one label and some buckets below 10%), which is
/// strongly correlated with where points lie; and "random", a range of buckets, which is not.
/// Recall@10 is scored
/// against the collection's exact filtered search. Also measures building the collection and
/// reopening it from its snapshot (which must not rebuild the graph).
/// </summary>
internal static class FilteredAnnBench
{
    public static async Task<int> RunAsync(AnnBench.Options o, AnnDataset data, CancellationToken ct)
    {
        var labels = FashionMnist.TrainLabels(o.DatasetDir);
        var root = Path.Combine(Path.GetTempPath(), "roseforest-filtered-" + Guid.NewGuid().ToString("N"));
        var report = new Dictionary<string, object?> { ["dataset"] = o.Dataset, ["n"] = data.Train.Length, ["m"] = o.M, ["ef_construction"] = o.EfConstruction, ["machine"] = MachineInfo.Describe() };
        try
        {
            var options = new CollectionOptions
            {
                Dimension = data.Dimension,
                Geometry = Geometry.Euclid,
                Durability = Durability.Buffered,
                Hnsw = new HnswOptions { M = o.M, EfConstruct = o.EfConstruction, MaxIndexingThreads = o.Threads },
            };

            var clock = Stopwatch.StartNew();
            await using (var db = await RoseForestDatabase.OpenAsync(root, cancellationToken: ct))
            {
                var col = await db.CreateCollectionAsync("ann", options, ct);
                for (var i = 0; i < data.Train.Length; i += 1000)
                {
                    var batch = Enumerable.Range(i, Math.Min(1000, data.Train.Length - i))
                        .Select(j => new PointStruct((ulong)j, data.Train[j], JsonSerializer.SerializeToElement(new { label = (int)labels[j], bucket = j % 100 })))
                        .ToArray();
                    await col.UpsertAsync(batch, cancellationToken: ct);
                }

                var build = clock.Elapsed.TotalSeconds;
                report["collection_build_seconds"] = build;
                report["build_threads"] = o.Threads;
                Console.WriteLine($"collection built (upserts in batches of 1000, HNSW with {o.Threads} thread(s)): {build:F2} s");

                var runs = new List<object>();
                foreach (var s in o.FilterSelectivities!)
                {
                    foreach (var (kind, filter) in new[] { ("label", FilterFor(s)), ("random", Filter.Where(Condition.Range("bucket", lt: Math.Round(s * 100)))) })
                    {
                        var matched = await col.CountAsync(filter, ct);
                        var truth = await TruthAsync(col, data, filter, ct);
                        foreach (var ef in o.Efs.Select(e => (int?)e).Append(null))
                        {
                            var (recall, qps) = await MeasureAsync(col, data, filter, ef, truth, ct);
                            Console.WriteLine($"{kind} filter, selectivity {s:P0} ({matched} points) ef={(ef?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default")} recall@10={recall:F4} qps={qps:F0}");
                            runs.Add(new { filter = kind, selectivity = s, matched, ef, recall_at_10 = recall, qps });
                        }
                    }
                }

                report["runs"] = runs;
            }

            // Reopen from the snapshot the clean close took: no graph rebuild.
            clock.Restart();
            await using (var db = await RoseForestDatabase.OpenAsync(root, cancellationToken: ct))
            {
                var open = clock.Elapsed.TotalSeconds;
                var col = db.GetCollection("ann");
                report["open_seconds"] = open;
                report["points_indexed_on_open"] = col.Recovery!.PointsIndexed;
                var filter = FilterFor(o.FilterSelectivities![0]);
                var (recall, _) = await MeasureAsync(col, data, filter, null, await TruthAsync(col, data, filter, ct), ct);
                report["recall_after_reopen"] = recall;
                Console.WriteLine($"reopen from snapshot: {open:F2} s (build {report["collection_build_seconds"]:F2} s), points re-indexed {col.Recovery.PointsIndexed}, recall@10 at {o.FilterSelectivities[0]:P0} after reopen {recall:F4}");
            }

            if (o.Json is not null)
            {
                await File.WriteAllTextAsync(o.Json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }), ct);
            }

            return 0;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>label &lt; s·10 for multiples of 10%; label 0 and bucket &lt; s·1000 below that.</summary>
    internal static Filter FilterFor(double selectivity) =>
        selectivity >= 0.1
            ? Filter.Where(Condition.Range("label", lt: Math.Round(selectivity * 10)))
            : Filter.Where(Condition.Match("label", 0), Condition.Range("bucket", lt: Math.Round(selectivity * 1000)));

    private static async Task<double[]> TruthAsync(Collection col, AnnDataset data, Filter filter, CancellationToken ct)
    {
        var tenth = new double[data.Queries.Length];
        for (var q = 0; q < data.Queries.Length; q++)
        {
            var exact = await col.SearchAsync(new SearchRequest { Vector = data.Queries[q], Limit = 10, Filter = filter, Exact = true }, ct);
            tenth[q] = exact.Count == 0 ? double.NaN : exact[^1].Score;
        }

        return tenth;
    }

    private static async Task<(double Recall, double Qps)> MeasureAsync(Collection col, AnnDataset data, Filter filter, int? ef, double[] tenth, CancellationToken ct)
    {
        var warm = Stopwatch.StartNew();
        for (var q = 0; warm.ElapsedMilliseconds < 500 || q < 50; q++)
        {
            await col.SearchAsync(new SearchRequest { Vector = data.Queries[q % data.Queries.Length], Limit = 10, Filter = filter, HnswEf = ef }, ct);
        }

        long hits = 0, total = 0;
        var clock = Stopwatch.StartNew();
        var found = new IReadOnlyList<ScoredPoint>[data.Queries.Length];
        for (var q = 0; q < data.Queries.Length; q++)
        {
            found[q] = await col.SearchAsync(new SearchRequest { Vector = data.Queries[q], Limit = 10, Filter = filter, HnswEf = ef }, ct);
        }

        var qps = data.Queries.Length / clock.Elapsed.TotalSeconds;
        for (var q = 0; q < data.Queries.Length; q++)
        {
            if (double.IsNaN(tenth[q]))
            {
                continue;
            }

            hits += found[q].Count(h => h.Score <= tenth[q] + 1e-3);
            total += 10;
        }

        return (total == 0 ? 0 : (double)hits / total, qps);
    }
}
