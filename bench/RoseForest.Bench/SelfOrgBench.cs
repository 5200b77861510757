using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RoseForest.Datasets;
using RoseForest.Engine;

namespace RoseForest.Bench;

/// <summary>
/// The self-organizing index's numbers (issue 19) on Fashion-MNIST: churn (cycles of deleting
/// and re-inserting a fraction of the points, recall@10 and p95 at a fixed ef, controller on vs
/// off), workload shift (queries move from classes 0-4 to 5-9 under a target_recall: passes
/// until the measured recall meets the target again), and the telemetry's own cost (QPS with
/// and without it). Controller passes are driven by the benchmark (one per batch of queries)
/// so the outcome does not depend on the machine's speed; each pass is what the timer runs.
/// </summary>
internal static class SelfOrgBench
{
    private const int K = 10;

    public static Command Command()
    {
        var dir = new Option<string>("--dataset-dir") { Description = "Folder with Fashion-MNIST's IDX files.", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
        var points = new Option<int>("--points") { Description = "Training images indexed (the first N); queries come from the images after them.", DefaultValueFactory = _ => 20_000 };
        var queries = new Option<int>("--queries") { Description = "Queries per measurement.", DefaultValueFactory = _ => 300 };
        var cycles = new Option<int>("--cycles") { Description = "Churn cycles.", DefaultValueFactory = _ => 5 };
        var fraction = new Option<double>("--churn") { Description = "Fraction of the points deleted and re-inserted per cycle.", DefaultValueFactory = _ => 0.2 };
        var part = new Option<string>("--part") { Description = "all, churn, shift or telemetry.", DefaultValueFactory = _ => "all" };
        part.AcceptOnlyFromAmong("all", "churn", "shift", "telemetry");
        var target = new Option<double>("--target") { Description = "The shift part's target_recall.", DefaultValueFactory = _ => 0.98 };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var command = new Command("selforg", "Self-organizing index (issue 19): churn with the controller on/off, workload shift recovery under target_recall, telemetry cost.") { dir, points, queries, cycles, fraction, part, target, json };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(dir)!, parse.GetValue(points), parse.GetValue(queries), parse.GetValue(cycles), parse.GetValue(fraction), parse.GetValue(part)!, parse.GetValue(target), parse.GetValue(json), ct));
        return command;
    }

    private static async Task<int> RunAsync(string dir, int points, int queryCount, int cycles, double churn, string part, double target, string? jsonPath, CancellationToken ct)
    {
        var train = FashionMnist.Train(dir);
        var labels = FashionMnist.TrainLabels(dir);
        if (points + (4 * queryCount) > train.Length)
        {
            throw new ArgumentException($"--points {points} leaves too few images for queries (Fashion-MNIST has {train.Length}).");
        }

        var data = train[..points];
        var pool = Enumerable.Range(points, train.Length - points).ToArray();
        Console.WriteLine($"selforg: {points} Fashion-MNIST images (784-d, L2), {queryCount} queries per measurement; {MachineInfo.Describe()}");
        var results = new Dictionary<string, object>();
        using var tmp = new TempFolder();
        await using var db = await RoseForestDatabase.OpenAsync(Path.Combine(tmp.Path, "db"));
        if (part is "all" or "churn")
        {
            var queries = pool.Take(queryCount).Select(i => train[i]).ToArray();
            results["churn"] = await ChurnAsync(db, data, queries, cycles, churn, ct);
        }

        if (part is "all" or "shift")
        {
            float[][] Of(bool low, int skip, int take) => [.. pool.Skip(queryCount).Where(i => labels[i] < 5 == low).Skip(skip).Take(take).Select(i => train[i])];
            results["shift"] = await ShiftAsync(db, data, target, Of(true, 0, 200), Of(false, 0, 200), Of(true, 200, 4000), Of(false, 200, 4000), ct);
        }

        if (part is "all" or "telemetry")
        {
            var queries = pool.Skip(queryCount).Take(2000).Select(i => train[i]).ToArray();
            results["telemetry"] = await TelemetryCostAsync(tmp.Path, data, queries, ct);
        }

        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), ct);
        }

        return 0;
    }

    private static CollectionOptions Options(int? ef, double? target = null) => new()
    {
        Dimension = 784,
        Geometry = Geometry.Euclid,
        Durability = Durability.Memory,
        Hnsw = new HnswOptions { M = 16, EfConstruct = 100, FullScanThreshold = 0, Ef = ef, TargetRecall = target },
    };

    private static async Task UpsertAsync(IVectorCollection col, float[][] data, IEnumerable<int> ids, CancellationToken ct)
    {
        foreach (var chunk in ids.Chunk(1000))
        {
            await col.UpsertAsync([.. chunk.Select(i => new PointStruct((ulong)i, data[i]))], cancellationToken: ct);
        }
    }

    private static async Task<HashSet<ulong>[]> TruthAsync(IVectorCollection col, float[][] queries, CancellationToken ct)
    {
        var truth = new HashSet<ulong>[queries.Length];
        for (var i = 0; i < queries.Length; i++)
        {
            truth[i] = [.. (await col.SearchAsync(new SearchRequest { Vector = queries[i], Limit = K, Exact = true }, ct)).Select(p => p.Id.Number)];
        }

        return truth;
    }

    /// <summary>
    /// Recall@10, wall-clock p95 and CPU p95 (ms, one thread: the querying thread's CPU time, which
    /// the load of other jobs on a shared machine does not inflate) of the given queries at
    /// <paramref name="ef"/> (null: the collection's default).
    /// </summary>
    private static async Task<(double Recall, double P95)> MeasureAsync(IVectorCollection col, float[][] queries, HashSet<ulong>[] truth, int? ef, CancellationToken ct)
    {
        var (recall, p95, _) = await MeasureCpuAsync(col, queries, truth, ef, ct);
        return (recall, p95);
    }

    private static async Task<(double Recall, double P95, double CpuP95)> MeasureCpuAsync(IVectorCollection col, float[][] queries, HashSet<ulong>[] truth, int? ef, CancellationToken ct)
    {
        var latencies = new Latencies();
        var cpu = new List<double>(queries.Length);
        double recall = 0;
        for (var i = 0; i < queries.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var cpuStarted = ThreadCpu.Seconds();
            var hits = await col.SearchAsync(new SearchRequest { Vector = queries[i], Limit = K, HnswEf = ef }, ct);
            cpu.Add((ThreadCpu.Seconds() - cpuStarted) * 1000);
            latencies.Add(started);
            recall += hits.Count(h => truth[i].Contains(h.Id.Number)) / (double)K;
        }

        cpu.Sort();
        return (recall / queries.Length, latencies.Percentile(95), cpu[Math.Clamp((int)Math.Ceiling(0.95 * cpu.Count) - 1, 0, cpu.Count - 1)]);
    }

    private static async Task<object> ChurnAsync(RoseForestDatabase db, float[][] data, float[][] queries, int cycles, double churn, CancellationToken ct)
    {
        const int FixedEf = 64;
        var rows = new List<object>();
        var collections = new[] { ("off", false), ("on", true) };
        foreach (var (name, controller) in collections)
        {
            var started = Stopwatch.GetTimestamp();
            var col = await db.CreateCollectionAsync($"churn_{name}", Options(FixedEf), ct);
            await UpsertAsync(col, data, Enumerable.Range(0, data.Length), ct);
            Console.WriteLine($"churn/{name}: built {data.Length} points in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
            await col.ConfigureOptimizerAsync(new OptimizerSettings { Enabled = controller, SampleRate = 0.05, IntervalSeconds = 86_400 }, ct);
            var truth = await TruthAsync(col, queries, ct);
            var random = new Random(19);
            double firstP95 = 0;
            for (var cycle = 0; cycle <= cycles; cycle++)
            {
                var historyBefore = col.GetOptimizerReport().History.Count;
                if (cycle > 0)
                {
                    var victims = Enumerable.Range(0, data.Length).OrderBy(_ => random.Next()).Take((int)(data.Length * churn)).ToArray();
                    await col.DeleteAsync(PointSelector.ById([.. victims.Select(v => PointId.FromNumber((ulong)v))]), ct);
                    await UpsertAsync(col, data, victims, ct);
                }

                // Traffic for the telemetry, then the controller's passes until one takes no action.
                await MeasureAsync(col, queries, truth, FixedEf, ct);
                for (var pass = 0; controller && pass < 8; pass++)
                {
                    var before = col.GetOptimizerReport().History.Count;
                    if ((await col.RunOptimizerAsync(ct)).History.Count == before)
                    {
                        break;
                    }
                }

                var (recall, wallP95, p95) = await MeasureCpuAsync(col, queries, truth, FixedEf, ct);
                firstP95 = cycle == 0 ? p95 : firstP95;

                // One more pass reads the telemetry of that measurement (off: it only observes).
                var report = await col.RunOptimizerAsync(ct);
                var telemetry = report.Telemetry;
                var actions = report.History.Skip(historyBefore).Select(a => $"{a.Action} ({a.Reason})").ToList();
                Console.WriteLine($"churn/{name} cycle {cycle}: recall@10 {recall:F4}, CPU p95 {p95:F3} ms ({p95 / firstP95:F2}x), wall p95 {wallP95:F3} ms, unreachable {telemetry.Unreachable}, tombstones {telemetry.TombstoneFraction:P1}, hops {telemetry.HopsMean:F1}, visited {telemetry.VisitedMean:F0}{(actions.Count > 0 ? ", actions: " + string.Join(", ", actions) : string.Empty)}");
                rows.Add(new { controller = name, cycle, recall, cpu_p95_ms = p95, cpu_p95_ratio = p95 / firstP95, wall_p95_ms = wallP95, unreachable = telemetry.Unreachable, hops = telemetry.HopsMean, visited = telemetry.VisitedMean, actions });
            }

            await db.DeleteCollectionAsync($"churn_{name}", ct);
        }

        return new { fixed_ef = FixedEf, cycles, churn, rows };
    }

    private static async Task<object> ShiftAsync(RoseForestDatabase db, float[][] data, double Target, float[][] heldA, float[][] heldB, float[][] streamA, float[][] streamB, CancellationToken ct)
    {
        const int Batch = 200;
        var col = await db.CreateCollectionAsync("shift", Options(ef: 10, target: Target), ct);
        await UpsertAsync(col, data, Enumerable.Range(0, data.Length), ct);
        await col.ConfigureOptimizerAsync(new OptimizerSettings { SampleRate = 0.05, IntervalSeconds = 86_400 }, ct);
        var truthA = await TruthAsync(col, heldA, ct);
        var truthB = await TruthAsync(col, heldB, ct);
        var rows = new List<object>();
        int? shiftedAt = null, restoredAt = null, droppedAt = null;
        var pass = 0;
        foreach (var (phase, stream, held, truth) in new[] { ("A", streamA, heldA, truthA), ("B", streamB, heldB, truthB) })
        {
            shiftedAt ??= phase == "B" ? pass : null;
            for (var i = 0; i + Batch <= stream.Length; i += Batch)
            {
                foreach (var q in stream[i..(i + Batch)])
                {
                    await col.SearchAsync(new SearchRequest { Vector = q, Limit = K }, ct);
                }

                var report = await col.RunOptimizerAsync(ct);
                pass++;
                var (recall, _) = await MeasureAsync(col, held, truth, null, ct);
                var t = report.Telemetry;
                var findings = string.Join(",", report.Findings.Select(f => f.Detector));
                Console.WriteLine($"shift pass {pass} (phase {phase}): default ef {t.DefaultEf}, estimate {t.RecallEstimate:F3} [{t.RecallLow:F3}, {t.RecallHigh:F3}] n={t.RecallSamples}, measured recall@10 {recall:F4}, findings [{findings}]");
                rows.Add(new { pass, phase, ef = t.DefaultEf, estimate = t.RecallEstimate, measured = recall, findings });
                if (phase == "B" && droppedAt is null && recall < Target)
                {
                    droppedAt = pass;
                }

                if (phase == "B" && restoredAt is null && recall >= Target && t.RecallEstimate >= Target)
                {
                    restoredAt = pass;
                }
            }
        }

        var history = col.GetOptimizerReport().History.Select(a => $"{a.Action} ({a.Reason}): {a.Detail}").ToList();
        foreach (var h in history)
        {
            Console.WriteLine($"shift action: {h}");
        }

        Console.WriteLine($"shift: target {Target}; queries moved to classes 5-9 after pass {shiftedAt}; measured recall first below the target at pass {droppedAt?.ToString(CultureInfo.InvariantCulture) ?? "never"}; measured and estimated recall at the target from pass {restoredAt?.ToString(CultureInfo.InvariantCulture) ?? "never"} ({(restoredAt - shiftedAt) * Batch} queries, {restoredAt - shiftedAt} passes after the shift)");
        await db.DeleteCollectionAsync("shift", ct);
        return new { target = Target, batch = Batch, sample_rate = 0.05, shifted_after_pass = shiftedAt, first_below_target_pass = droppedAt, restored_at_pass = restoredAt, rows, history };
    }

    /// <summary>
    /// Queries per CPU-second (the whole process: query thread, background passes, GC) in three
    /// settings, alternating rounds: telemetry off; on with sample_rate 0 (the query path's
    /// hooks and the passes); on with the default 1% re-run, every sample re-run by a pass at the
    /// end of its round (so none escapes the count; in service a pass re-runs at most 32 per
    /// interval, which caps this part at 32 re-runs per 10 s).
    /// </summary>
    private static async Task<object> TelemetryCostAsync(string root, float[][] data, float[][] queries, CancellationToken ct)
    {
        string[] modes = ["off", "hooks", "sampled"];
        var perCpu = modes.ToDictionary(m => m, _ => new List<double>());
        var wall = modes.ToDictionary(m => m, _ => new List<double>());
        var dbs = new Dictionary<bool, RoseForestDatabase>();
        try
        {
            foreach (var on in new[] { false, true })
            {
                var db = await RoseForestDatabase.OpenAsync(Path.Combine(root, on ? "tel-on" : "tel-off"), new DatabaseOptions { IndexTelemetry = on });
                dbs[on] = db;
                var col = await db.CreateCollectionAsync("t", Options(64), ct);
                await UpsertAsync(col, data, Enumerable.Range(0, data.Length), ct);
            }

            // Alternating rounds, so drift in the machine's load hits every setting alike.
            for (var round = 0; round < 7; round++)
            {
                foreach (var mode in modes)
                {
                    var col = dbs[mode != "off"].GetCollection("t");
                    if (mode != "off")
                    {
                        await col.ConfigureOptimizerAsync(new OptimizerSettings { SampleRate = mode == "sampled" ? 0.01 : 0 }, ct);
                    }

                    var started = Stopwatch.GetTimestamp();
                    var cpuStarted = Process.GetCurrentProcess().TotalProcessorTime;
                    foreach (var q in queries)
                    {
                        await col.SearchAsync(new SearchRequest { Vector = q, Limit = K }, ct);
                    }

                    if (mode != "off")
                    {
                        await col.RunOptimizerAsync(ct);
                    }

                    perCpu[mode].Add(queries.Length / (Process.GetCurrentProcess().TotalProcessorTime - cpuStarted).TotalSeconds);
                    wall[mode].Add(queries.Length / Stopwatch.GetElapsedTime(started).TotalSeconds);
                }
            }
        }
        finally
        {
            foreach (var db in dbs.Values)
            {
                await db.DisposeAsync();
            }
        }

        static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        static string Rounds(List<double> v) => string.Join(", ", v.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)));
        var off = Median(perCpu["off"]);
        foreach (var mode in modes)
        {
            var m = Median(perCpu[mode]);
            Console.WriteLine($"telemetry cost, {mode}: {m:F0} queries per CPU-second ({(off - m) / off:P1} more CPU per query than off; median of 7 alternating rounds of {queries.Length} queries, one query thread, ef 64, whole-process CPU); rounds [{Rounds(perCpu[mode])}]; wall-clock QPS [{Rounds(wall[mode])}]");
        }

        return modes.ToDictionary(m => m, m => (object)new { per_cpu_second = Median(perCpu[m]), extra_cpu = (off - Median(perCpu[m])) / off, rounds = perCpu[m], wall = wall[m] });
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("roseforest-selforg-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
