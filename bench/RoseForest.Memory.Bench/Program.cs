using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RoseForest.Datasets;
using RoseForest.Embeddings.MiniLm;
using RoseForest.Engine;
using RoseForest.Memory;

// The WordNet noun-gloss retrieval benchmark of issue 14: every gloss of data.noun is a memory;
// for 2,000 random synsets with two or more lemmas, the query is one of the lemmas other than the
// first (underscores as spaces) and the right answer is that synset's gloss. Reports recall@1 and
// recall@10 for vector-only, BM25-only and hybrid recall, add throughput (memories/s including
// embedding and the duplicate check) and search latency percentiles.
//
// Usage: RoseForest.Memory.Bench [--wordnet PATH] [--memories N] [--queries 2000] [--seed 14]
//                                [--batch 256] [--data DIR [--reuse]] [--out FILE.json]
//                                [--fusion "name=rrf|linear:vector,keyword,recency,importance,min_coverage[,rrf_k];..."]
// --data keeps the database in DIR; --reuse skips the adds when DIR already holds them, so several
// fusion settings can be compared on one set of embeddings.
var options = Args.Parse(args);
var all = WordNetGlosses.Read(options.WordNet);
var synsets = options.Memories is { } n ? all.Take(n).ToList() : all;
var random = new Random(options.Seed);
var candidates = Enumerable.Range(0, synsets.Count).Where(i => synsets[i].Lemmas.Length >= 2).ToList();
var queries = new List<(string Query, string Gloss)>();
foreach (var i in candidates.OrderBy(_ => random.Next()).Take(options.Queries).Order())
{
    var lemmas = synsets[i].Lemmas;
    queries.Add((lemmas[1 + random.Next(lemmas.Length - 1)], synsets[i].Gloss));
}

Console.Error.WriteLine($"{synsets.Count} glosses, {queries.Count} queries (seed {options.Seed})");
var folder = options.Data ?? Path.Combine(Path.GetTempPath(), "rf-memory-bench-" + Guid.NewGuid().ToString("N"));
using var embedder = new MiniLmEmbeddingGenerator();
var scope = new MemoryScope(AppId: "wordnet");
var report = new Dictionary<string, object>();
await using (var database = await RoseForestDatabase.OpenAsync(folder))
{
    // Semantic memories with merging only for identical text (cosine 1): distinct synsets whose
    // glosses are merely close stay apart, as the benchmark needs.
    await using var store = new MemoryStore(database, embedder, new MemoryOptions { DuplicateThreshold = 1.0, ScoreThreshold = 0 });
    await store.InitializeAsync();
    if (options.Reuse && store.KeywordIndex.Count > 0)
    {
        Console.Error.WriteLine($"reusing the {store.KeywordIndex.Count} memories in {folder}");
        goto Queries;
    }

    var clock = Stopwatch.StartNew();
    var merged = 0;
    for (var start = 0; start < synsets.Count; start += options.Batch)
    {
        var batch = synsets.Skip(start).Take(options.Batch).Select(s => new AddMemoryRequest { Text = s.Gloss, Scope = scope }).ToList();
        merged += (await store.AddManyAsync(batch)).Count(e => e.Event == "merge");
        if ((start / options.Batch) % 40 == 0)
        {
            Console.Error.WriteLine($"  added {start + batch.Count} in {clock.Elapsed.TotalSeconds:F0} s");
        }
    }

    var addSeconds = clock.Elapsed.TotalSeconds;
    report["memories"] = synsets.Count;
    report["merged_identical"] = merged;
    report["add_seconds"] = Math.Round(addSeconds, 1);
    report["add_per_second"] = Math.Round(synsets.Count / addSeconds, 1);
    Console.Error.WriteLine($"added {synsets.Count} in {addSeconds:F1} s: {synsets.Count / addSeconds:F1} memories/s ({merged} identical glosses merged)");

Queries:
    var runs = new List<(string Name, RecallMode Mode, FusionOptions? Fusion)> { ("vector", RecallMode.Vector, null), ("keyword", RecallMode.Keyword, null) };
    runs.AddRange(options.Fusions.Count == 0 ? [("hybrid", RecallMode.Hybrid, null)] : options.Fusions.Select(f => (f.Name, RecallMode.Hybrid, (FusionOptions?)f.Fusion)));
    foreach (var (name, mode, fusion) in runs)
    {
        int at1 = 0, at10 = 0;
        var latencies = new List<double>(queries.Count);
        foreach (var (query, gloss) in queries)
        {
            var t = Stopwatch.GetTimestamp();
            var hits = await store.SearchAsync(new SearchMemoryRequest { Query = query, Scope = scope, Limit = 10, Mode = mode, ScoreThreshold = 0, TrackAccess = false, Fusion = fusion });
            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            var rank = hits.Select(h => h.Memory.Text).ToList().IndexOf(gloss);
            at1 += rank == 0 ? 1 : 0;
            at10 += rank >= 0 ? 1 : 0;
        }

        latencies.Sort();
        var result = new Dictionary<string, double>
        {
            ["recall_at_1"] = Math.Round((double)at1 / queries.Count, 4),
            ["recall_at_10"] = Math.Round((double)at10 / queries.Count, 4),
            ["p50_ms"] = Math.Round(latencies[latencies.Count / 2], 2),
            ["p99_ms"] = Math.Round(latencies[Math.Min(latencies.Count - 1, (int)(latencies.Count * 0.99))], 2),
        };
        report[name] = result;
        Console.Error.WriteLine($"{name,-8} recall@1 {result["recall_at_1"]:F4}  recall@10 {result["recall_at_10"]:F4}  p50 {result["p50_ms"]:F2} ms  p99 {result["p99_ms"]:F2} ms");
    }
}

if (options.Data is null)
{
    Directory.Delete(folder, recursive: true);
}

var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
Console.WriteLine(json);
if (options.Out is { } file)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
    File.WriteAllText(file, json);
}

/// <summary>The command line.</summary>
internal sealed record Args(string WordNet, int? Memories, int Queries, int Seed, int Batch, string? Data, string? Out, bool Reuse, List<(string Name, FusionOptions Fusion)> Fusions)
{
    public static Args Parse(string[] args)
    {
        var a = new Args(WordNetGlosses.DefaultPath, null, 2000, 14, 256, null, null, false, []);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--reuse")
            {
                a = a with { Reuse = true };
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            a = args[i] switch
            {
                "--wordnet" => a with { WordNet = value },
                "--memories" => a with { Memories = int.Parse(value, CultureInfo.InvariantCulture) },
                "--queries" => a with { Queries = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => a with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--batch" => a with { Batch = int.Parse(value, CultureInfo.InvariantCulture) },
                "--data" => a with { Data = value },
                "--out" => a with { Out = value },
                "--fusion" => a with { Fusions = [.. value.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(ParseFusion)] },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
            i++;
        }

        return a;
    }

    private static (string, FusionOptions) ParseFusion(string spec)
    {
        var (name, rest) = (spec[..spec.IndexOf('=', StringComparison.Ordinal)], spec[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var (method, numbers) = (rest[..rest.IndexOf(':', StringComparison.Ordinal)], rest[(rest.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray());
        return (name, new FusionOptions
        {
            Method = method == "linear" ? RecallFusion.Linear : RecallFusion.Rrf,
            Vector = numbers[0],
            Keyword = numbers[1],
            Recency = numbers[2],
            Importance = numbers[3],
            KeywordMinCoverage = numbers[4],
            RrfK = numbers.Length > 5 ? numbers[5] : 60,
        });
    }
}
