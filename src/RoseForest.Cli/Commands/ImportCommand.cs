using System.CommandLine;
using System.Diagnostics;
using RoseForest.Datasets;
using Spectre.Console;

namespace RoseForest.Cli.Commands;

/// <summary><c>roseforest import FILE --collection NAME</c>: bulk-load vectors, with a progress bar.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = ".fvecs, .npy, IDX (e.g. train-images-idx3-ubyte.gz) or .jsonl (id, vector, payload)." };
        var collection = new Option<string>("--collection") { Description = "The target collection.", Required = true };
        var create = new Option<string?>("--create") { Description = "Create the collection first if missing, with this distance (euclid, cosine, …)." };
        var batch = new Option<int>("--batch") { Description = "Points per upsert.", DefaultValueFactory = _ => 1000 };
        var startId = new Option<ulong>("--start-id") { Description = "The first id for files without ids.", DefaultValueFactory = _ => 0 };
        var limit = new Option<long?>("--limit") { Description = "Import at most this many vectors." };
        var command = new Command("import", "Import vectors from a file into a collection (embedded folder or --url server).")
        {
            file, collection, create, batch, startId, limit,
        };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (target, json) =>
        {
            var path = parse.GetValue(file)!;
            var name = parse.GetValue(collection)!;
            var size = parse.GetValue(batch);
            if (size is < 1 or > 100_000)
            {
                throw new CliException("--batch must be between 1 and 100000.");
            }

            var total = VectorFiles.Count(path);
            if (parse.GetValue(limit) is { } max)
            {
                total = Math.Min(total, max);
            }

            var points = VectorFiles.Read(path, parse.GetValue(startId)).Take((int)Math.Min(total, int.MaxValue));
            if (parse.GetValue(create) is { } distance && !await target.CollectionExistsAsync(name, ct))
            {
                var first = VectorFiles.Read(path, 0).First();
                await target.CreateCollectionAsync(name, new CollectionOptions { Dimension = first.Vector!.Length, Geometry = GeometryInfo.Parse(distance, "--create") }, ct);
            }

            var clock = Stopwatch.StartNew();
            long done = 0;
            var interactive = !json && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;
            if (interactive)
            {
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"importing into {name}", maxValue: total);
                        done = await PumpAsync(target, name, points, size, n =>
                        {
                            task.Increment(n);
                            task.Description = $"importing into {name} ({task.Value / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):N0} points/s)";
                        }, ct);
                    });
            }
            else
            {
                var lastReport = Stopwatch.StartNew();
                done = await PumpAsync(target, name, points, size, n =>
                {
                    if (lastReport.ElapsedMilliseconds >= 2000 && !json)
                    {
                        Console.Error.WriteLine($"imported {n} of {total}");
                        lastReport.Restart();
                    }
                }, ct, cumulative: true);
            }

            // The result on stdout (the same whichever door); the timing on stderr.
            var rate = done / Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
            Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s, {rate:N0} points/s");
            if (json)
            {
                CommonOptions.Print(new System.Text.Json.Nodes.JsonObject { ["collection"] = name, ["imported"] = done });
            }
            else
            {
                Console.WriteLine($"imported {done} points into {name}");
            }
        }));
        return command;
    }

    private static async Task<long> PumpAsync(IVectorDatabase target, string name, IEnumerable<PointStruct> points, int size, Action<long> progress, CancellationToken ct, bool cumulative = false)
    {
        long done = 0;
        var collection = target.GetCollection(name);
        foreach (var chunk in points.Chunk(size))
        {
            await collection.UpsertAsync(chunk, null, ct);
            done += chunk.Length;
            progress(cumulative ? done : chunk.Length);
        }

        return done;
    }
}
