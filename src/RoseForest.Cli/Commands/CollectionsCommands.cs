using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace RoseForest.Cli.Commands;

/// <summary><c>roseforest collections list|create|delete|info|recover</c>.</summary>
internal static class CollectionsCommands
{
    public static Command Create()
    {
        var command = new Command("collections", "List, create, delete and inspect collections.");

        var list = new Command("list", "List the collections.");
        list.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (target, json) =>
        {
            var names = await target.ListAsync(ct);
            if (json)
            {
                CommonOptions.Print(names);
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
        create.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (target, json) =>
        {
            var config = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
            {
                ["vectors"] = new Dictionary<string, object> { ["size"] = parse.GetValue(dim), ["distance"] = parse.GetValue(distance)!, ["curvature"] = parse.GetValue(curvature) },
                ["hnsw_config"] = new { m = parse.GetValue(m), ef_construct = parse.GetValue(efc) },
                ["quantization_config"] = parse.GetValue(int8) ? new { scalar = new { type = "int8" } } : null,
                ["durability"] = parse.GetValue(durability),
            });
            await target.CreateAsync(parse.GetValue(name)!, config, ct);
            Report(json, new { created = parse.GetValue(name) }, $"created {parse.GetValue(name)}");
        }));
        command.Subcommands.Add(create);

        var deleteName = new Argument<string>("name") { Description = "The collection's name." };
        var delete = new Command("delete", "Delete a collection and its files.") { deleteName };
        delete.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (target, json) =>
        {
            var deleted = await target.DeleteAsync(parse.GetValue(deleteName)!, ct);
            Report(json, new { deleted }, deleted ? $"deleted {parse.GetValue(deleteName)}" : $"{parse.GetValue(deleteName)} did not exist");
        }));
        command.Subcommands.Add(delete);

        var infoName = new Argument<string>("name") { Description = "The collection's name." };
        var info = new Command("info", "Show a collection's shape and size.") { infoName };
        info.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (target, json) =>
        {
            var details = await target.InfoAsync(parse.GetValue(infoName)!, ct);
            if (json)
            {
                CommonOptions.Print(details);
                return;
            }

            var table = new Table().AddColumn("field").AddColumn("value");
            Flatten(details, string.Empty, table);
            AnsiConsole.Write(table);
        }));
        command.Subcommands.Add(info);

        var recoverName = new Argument<string>("name") { Description = "The collection's name." };
        var salvage = new Option<bool>("--salvage") { Description = "Keep the good prefix of a damaged log or snapshot and move the rest aside (never deleted)." };
        var recover = new Command("recover", "Reopen a faulted collection from its folder once the cause is fixed; nothing is deleted.") { recoverName, salvage };
        recover.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (target, json) =>
        {
            var result = await target.RecoverAsync(parse.GetValue(recoverName)!, parse.GetValue(salvage), ct);
            Report(json, result, $"recovered {parse.GetValue(recoverName)}: {result.GetProperty("points_count")} points, {result.GetProperty("records_quarantined")} records quarantined");
        }));
        command.Subcommands.Add(recover);
        return command;
    }

    private static void Report(bool json, object value, string text)
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

    private static void Flatten(JsonElement e, string prefix, Table table)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                Flatten(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}", table);
            }
        }
        else
        {
            table.AddRow(Markup.Escape(prefix), Markup.Escape(e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()));
        }
    }
}
