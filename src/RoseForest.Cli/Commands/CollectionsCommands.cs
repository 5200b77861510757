using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace RoseForest.Cli.Commands;

/// <summary><c>roseforest collections list|create|delete|info|recover</c>.</summary>
internal static class CollectionsCommands
{
    public static Command Create()
    {
        var command = new Command("collections", "List, create, delete, inspect and recover collections.");

        var list = new Command("list", "List the collections.");
        list.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (db, json) =>
        {
            var names = await db.ListCollectionsAsync(ct);
            if (json)
            {
                CommonOptions.Print(new JsonArray([.. names.Select(n => (JsonNode?)n)]));
            }
            else
            {
                foreach (var n in names)
                {
                    Console.WriteLine(n);
                }
            }
        }));
        command.Subcommands.Add(list);

        var name = new Argument<string>("name") { Description = "The collection's name." };
        var dim = new Option<int>("--dim") { Description = "Vector dimension (for lorentz: ambient, n+1).", Required = true };
        var distance = new Option<string>("--distance") { Description = "euclid, cosine, dot, manhattan, poincare or lorentz.", DefaultValueFactory = _ => "cosine" };
        var curvature = new Option<double>("--curvature") { Description = "Curvature magnitude c for poincare/lorentz.", DefaultValueFactory = _ => 1.0 };
        var durability = new Option<string>("--durability") { Description = "sync, buffered or memory.", DefaultValueFactory = _ => "sync" };
        var m = new Option<int>("--m") { Description = "HNSW links per node (0: no index).", DefaultValueFactory = _ => 16 };
        var efc = new Option<int>("--ef-construct") { Description = "HNSW construction beam.", DefaultValueFactory = _ => 100 };
        var int8 = new Option<bool>("--int8") { Description = "Scalar int8 quantization for the HNSW walk." };
        var create = new Command("create", "Create a collection.") { name, dim, distance, curvature, durability, m, efc, int8 };
        create.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (db, json) =>
        {
            var options = new CollectionOptions
            {
                Dimension = parse.GetValue(dim),
                Geometry = GeometryInfo.Parse(parse.GetValue(distance)!, "--distance"),
                Curvature = parse.GetValue(curvature),
                Durability = parse.GetValue(durability) switch
                {
                    "sync" => Durability.Sync,
                    "buffered" => Durability.Buffered,
                    "memory" => Durability.Memory,
                    var other => throw new CliException($"--durability must be sync, buffered or memory, got {other}."),
                },
                Hnsw = parse.GetValue(m) == 0 ? null : new HnswOptions { M = parse.GetValue(m), EfConstruct = parse.GetValue(efc) },
                Quantization = parse.GetValue(int8) ? new QuantizationOptions() : null,
            };
            options.Validate();
            await db.CreateCollectionAsync(parse.GetValue(name)!, options, ct);
            Report(json, new JsonObject { ["created"] = parse.GetValue(name) }, $"created {parse.GetValue(name)}");
        }));
        command.Subcommands.Add(create);

        var deleteName = new Argument<string>("name") { Description = "The collection's name." };
        var delete = new Command("delete", "Delete a collection and its files.") { deleteName };
        delete.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (db, json) =>
        {
            var deleted = await db.DeleteCollectionAsync(parse.GetValue(deleteName)!, ct);
            Report(json, new JsonObject { ["deleted"] = deleted }, deleted ? $"deleted {parse.GetValue(deleteName)}" : $"{parse.GetValue(deleteName)} did not exist");
        }));
        command.Subcommands.Add(delete);

        var infoName = new Argument<string>("name") { Description = "The collection's name." };
        var info = new Command("info", "Show a collection's shape, size and health.") { infoName };
        info.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (db, json) =>
        {
            var details = await db.GetCollectionInfoAsync(parse.GetValue(infoName)!, ct);
            if (details.Status == CollectionStatus.Faulted)
            {
                // A faulted collection is an error to act on, whichever door it was asked through.
                throw new CliException(details.Fault ?? $"Collection `{details.Name}` is faulted.");
            }

            var obj = Output.Info(details);
            if (json)
            {
                CommonOptions.Print(obj);
                return;
            }

            var table = new Table().AddColumn("field").AddColumn("value");
            Flatten(obj, string.Empty, table);
            Output.Write(table);
        }));
        command.Subcommands.Add(info);

        var recoverName = new Argument<string>("name") { Description = "The collection's name." };
        var salvage = new Option<bool>("--salvage") { Description = "Keep the good prefix of a damaged log or snapshot and move the rest aside (never deleted)." };
        var recover = new Command("recover", "Reopen a faulted collection from its folder once the cause is fixed; nothing is deleted.") { recoverName, salvage };
        recover.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (db, json) =>
        {
            var result = await db.RecoverCollectionAsync(parse.GetValue(recoverName)!, parse.GetValue(salvage), ct);
            Report(json, Output.Recovery(result), $"recovered {parse.GetValue(recoverName)}: {result.PointsCount} points, {result.RecordsQuarantined} records quarantined");
        }));
        command.Subcommands.Add(recover);
        return command;
    }

    private static void Report(bool json, JsonNode value, string text)
    {
        if (json)
        {
            CommonOptions.Print(value);
        }
        else
        {
            Console.WriteLine(text);
        }
    }

    private static void Flatten(JsonNode? node, string prefix, Table table)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                Flatten(value, prefix.Length == 0 ? key : $"{prefix}.{key}", table);
            }
        }
        else
        {
            table.AddRow(Markup.Escape(prefix), Markup.Escape(node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null"));
        }
    }
}
