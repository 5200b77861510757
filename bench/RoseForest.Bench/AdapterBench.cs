using System.Diagnostics;
using System.Text.Json;
using RoseForest.Datasets;
using RoseForest.Engine;

namespace RoseForest.Bench;

/// <summary>
/// Issue 19's query-adapter numbers on Fashion-MNIST (cosine, exact search so precision is not
/// blurred by the graph): documents are the first <c>docs</c> training images, training queries
/// the next ones, held-out queries the ones after (all disjoint). Feedback = "same class" marks on
/// the top 10 of each training query, given through <see cref="Collection.FeedbackAsync"/> after
/// a query that uses the adapter as trained so far. Reports precision@10 on held-out queries
/// before and after; then the continual setting: task A (classes 0-4) then task B (5-9), the drop
/// on A with and without EWC and replay; the update latency; and the added query latency.
/// With <c>--project d</c> every vector is first multiplied by a seeded Gaussian d x 784 matrix
/// (a random projection), to measure at d = 256.
/// </summary>
internal static class AdapterBench
{
    public sealed record Options(string DatasetDir, int Docs, int TrainQueries, int TestQueries, int Epochs, int Rank, int Project, double LearningRate, double Temperature, int Negatives, bool PrecisionOnly, string? Json);

    private sealed record Data(float[][] Docs, byte[] DocLabels, float[][] Train, byte[] TrainLabels, float[][] Test, byte[] TestLabels);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        Console.WriteLine($"machine: {MachineInfo.Describe()}");
        var data = Load(o);
        var dim = data.Docs[0].Length;
        Console.WriteLine($"docs {data.Docs.Length}, training queries {data.Train.Length}, held-out queries {data.Test.Length}, d = {dim}{(o.Project > 0 ? " (random projection of 784)" : string.Empty)}, rank {o.Rank}, epochs {o.Epochs}, learning rate {(o.LearningRate > 0 ? o.LearningRate : new AdapterOptions().LearningRate)}, temperature {(o.Temperature > 0 ? o.Temperature : new AdapterOptions().Temperature)}");
        var root = Path.Combine(Path.GetTempPath(), "roseforest-adapter-bench-" + Guid.NewGuid().ToString("N"));
        var results = new Dictionary<string, object> { ["machine"] = MachineInfo.Describe(), ["dimension"] = dim, ["rank"] = o.Rank, ["docs"] = data.Docs.Length };
        try
        {
            await using var db = await RoseForestDatabase.OpenAsync(root, cancellationToken: ct);

            // 1. All classes: precision@10 before and after, update latency, query latency.
            var c = await NewCollectionAsync(db, "all", data, o, new AdapterSettings(), ct);
            var before = await PrecisionAsync(c, data.Test, data.TestLabels, data.DocLabels, false, null, ct);
            var updates = new List<double>();
            for (var epoch = 0; epoch < o.Epochs; epoch++)
            {
                await TrainAsync(c, data.Train, data.TrainLabels, data.DocLabels, _ => true, updates, ct);
            }

            var queryPlain = new List<double>();
            var queryAdapted = new List<double>();
            var after = await PrecisionAsync(c, data.Test, data.TestLabels, data.DocLabels, true, queryAdapted, ct);
            await PrecisionAsync(c, data.Test, data.TestLabels, data.DocLabels, false, queryPlain, ct);
            Console.WriteLine($"precision@10 held-out: before {before:F4}, after {after:F4} ({(after - before) * 100:+0.0;-0.0} points) over {updates.Count} updates");
            Console.WriteLine($"feedback update (FeedbackAsync, in process): p50 {Pct(updates, 50):F1} us, p99 {Pct(updates, 99):F1} us");
            Console.WriteLine($"exact query k=10: plain p50 {Pct(queryPlain, 50):F1} us, with adapter p50 {Pct(queryAdapted, 50):F1} us (p99 {Pct(queryPlain, 99):F1} / {Pct(queryAdapted, 99):F1} us)");
            var apply = ApplyCost(c, data.Test[0]);
            Console.WriteLine($"adapter apply alone (q + alpha B(A q)): {apply:F0} ns");
            results["precision_before"] = before;
            results["precision_after"] = after;
            results["updates"] = updates.Count;
            results["update_p50_us"] = Pct(updates, 50);
            results["update_p99_us"] = Pct(updates, 99);
            results["query_plain_p50_us"] = Pct(queryPlain, 50);
            results["query_adapted_p50_us"] = Pct(queryAdapted, 50);
            results["apply_ns"] = apply;

            // 2. Continual: A (0-4) then B (5-9), with and without EWC + replay.
            foreach (var (name, settings) in o.PrecisionOnly ? [] : new[]
            {
                ("plain", new AdapterSettings { EwcLambda = 0, ReplayCapacity = 0, ConsolidateEvery = 0 }),
                ("ewc", new AdapterSettings { ReplayCapacity = 0, ConsolidateEvery = 0 }),
                ("replay", new AdapterSettings { EwcLambda = 0, ConsolidateEvery = 0 }),
                ("ewc+replay", new AdapterSettings { ConsolidateEvery = 0 }),
            })
            {
                var cc = await NewCollectionAsync(db, "cl-" + name.Replace('+', '-'), data, o, settings, ct);
                static bool IsA(byte label) => label < 5;
                var testA = Enumerable.Range(0, data.Test.Length).Where(i => IsA(data.TestLabels[i])).ToArray();
                var testB = Enumerable.Range(0, data.Test.Length).Where(i => !IsA(data.TestLabels[i])).ToArray();
                var aTest = testA.Select(i => data.Test[i]).ToArray();
                var aLabels = testA.Select(i => data.TestLabels[i]).ToArray();
                var bTest = testB.Select(i => data.Test[i]).ToArray();
                var bLabels = testB.Select(i => data.TestLabels[i]).ToArray();
                var rawA = await PrecisionAsync(cc, aTest, aLabels, data.DocLabels, false, null, ct);
                var rawB = await PrecisionAsync(cc, bTest, bLabels, data.DocLabels, false, null, ct);
                var ignored = new List<double>();
                for (var epoch = 0; epoch < o.Epochs; epoch++)
                {
                    await TrainAsync(cc, data.Train, data.TrainLabels, data.DocLabels, IsA, ignored, ct);
                }

                await cc.ConsolidateAdapterAsync(cancellationToken: ct);
                var aAfterA = await PrecisionAsync(cc, aTest, aLabels, data.DocLabels, true, null, ct);
                for (var epoch = 0; epoch < o.Epochs; epoch++)
                {
                    await TrainAsync(cc, data.Train, data.TrainLabels, data.DocLabels, l => !IsA(l), ignored, ct);
                }

                var aAfterB = await PrecisionAsync(cc, aTest, aLabels, data.DocLabels, true, null, ct);
                var bAfterB = await PrecisionAsync(cc, bTest, bLabels, data.DocLabels, true, null, ct);
                Console.WriteLine($"continual [{name}]: A raw {rawA:F4} -> after A {aAfterA:F4} -> after B {aAfterB:F4} (forgetting {(aAfterA - aAfterB) * 100:F1} points); B raw {rawB:F4} -> after B {bAfterB:F4}");
                results[$"continual_{name}"] = new { raw_a = rawA, a_after_a = aAfterA, a_after_b = aAfterB, forgetting_points = (aAfterA - aAfterB) * 100, raw_b = rawB, b_after_b = bAfterB };
            }
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        if (o.Json is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), ct);
        }

        return 0;
    }

    private static Data Load(Options o)
    {
        var images = FashionMnist.Train(o.DatasetDir);
        var labels = FashionMnist.TrainLabels(o.DatasetDir);
        if (o.Project > 0)
        {
            var random = new Random(19);
            var matrix = new float[o.Project * images[0].Length];
            for (var i = 0; i < matrix.Length; i++)
            {
                matrix[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            }

            var d = images[0].Length;
            images = [.. images.Take(o.Docs + o.TrainQueries + o.TestQueries).Select(x =>
            {
                var y = new float[o.Project];
                for (var k = 0; k < y.Length; k++)
                {
                    y[k] = Core.Spaces.VectorMath.Dot(matrix.AsSpan(k * d, d), x);
                }

                return y;
            })];
        }

        var docs = o.Docs;
        var train = o.TrainQueries;
        return new Data(
            images[..docs], labels[..docs],
            images[docs..(docs + train)], labels[docs..(docs + train)],
            images[(docs + train)..(docs + train + o.TestQueries)], labels[(docs + train)..(docs + train + o.TestQueries)]);
    }

    private static async Task<Collection> NewCollectionAsync(RoseForestDatabase db, string name, Data data, Options o, AdapterSettings settings, CancellationToken ct)
    {
        var c = await db.CreateCollectionAsync(name, new CollectionOptions { Dimension = data.Docs[0].Length, Geometry = Geometry.Cosine, Durability = Durability.Memory, Hnsw = null }, ct);
        foreach (var chunk in data.Docs.Select((v, i) => new PointStruct((ulong)i, v)).Chunk(500))
        {
            await c.UpsertAsync(chunk, cancellationToken: ct);
        }

        await c.ConfigureAdaptersAsync(settings with { Rank = o.Rank, LearningRate = o.LearningRate > 0 ? o.LearningRate : null, Temperature = o.Temperature > 0 ? o.Temperature : null, Negatives = o.Negatives > 0 ? o.Negatives : null }, ct);
        return c;
    }

    private static async Task<double> PrecisionAsync(Collection c, float[][] queries, byte[] labels, byte[] docLabels, bool adapter, List<double>? latencies, CancellationToken ct)
    {
        double sum = 0;
        for (var i = 0; i < queries.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var top = await c.QueryAsync(new QueryRequest { Vector = queries[i], Limit = 10, Exact = true, UseAdapter = adapter }, ct);
            latencies?.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            sum += top.Count(p => docLabels[p.Id.Number] == labels[i]) / 10.0;
        }

        return sum / queries.Length;
    }

    private static async Task TrainAsync(Collection c, float[][] queries, byte[] labels, byte[] docLabels, Func<byte, bool> take, List<double> updates, CancellationToken ct)
    {
        for (var i = 0; i < queries.Length; i++)
        {
            if (!take(labels[i]))
            {
                continue;
            }

            var top = await c.QueryAsync(new QueryRequest { Vector = queries[i], Limit = 10, Exact = true, UseAdapter = true }, ct);
            var relevant = top.Where(p => docLabels[p.Id.Number] == labels[i]).Select(p => p.Id).ToList();
            if (relevant.Count == 0)
            {
                continue;
            }

            var request = new FeedbackRequest
            {
                Query = new DenseVector(queries[i]),
                Relevant = relevant,
                Irrelevant = [.. top.Where(p => docLabels[p.Id.Number] != labels[i]).Select(p => p.Id)],
            };
            var started = Stopwatch.GetTimestamp();
            await c.FeedbackAsync(request, ct);
            updates.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }
    }

    /// <summary>Nanoseconds per application of the trained adapter to one query, alone.</summary>
    private static double ApplyCost(Collection c, float[] query)
    {
        var weights = c.AdapterWeightsForBench();
        var result = new float[query.Length];
        const int N = 100_000;
        for (var i = 0; i < 1000; i++)
        {
            weights.Apply(query, result);
        }

        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < N; i++)
        {
            weights.Apply(query, result);
        }

        return Stopwatch.GetElapsedTime(started).TotalNanoseconds / N;
    }

    private static double Pct(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
