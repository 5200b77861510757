using System.CommandLine;
using System.Text.Json.Nodes;

namespace RoseForest.Cli.Commands;

/// <summary><c>roseforest snapshot create|list|restore</c>, over the database's snapshot catalogue.</summary>
internal static class SnapshotCommands
{
    public static Command Create()
    {
        var command = new Command("snapshot", "Create, list and restore collection snapshots.");

        var name = new Argument<string>("collection") { Description = "The collection." };
        var create = new Command("create", "Take a snapshot now and keep it in the snapshot catalogue.") { name };
        create.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (db, json) =>
        {
            var s = await db.Snapshots.CreateAsync(parse.GetValue(name)!, ct);
            if (json)
            {
                CommonOptions.Print(Output.Snapshot(s));
            }
            else
            {
                Console.WriteLine($"snapshot {s.Name} ({s.Size} bytes, sha256 {s.Checksum})");
            }
        }));
        command.Subcommands.Add(create);

        var listName = new Argument<string>("collection") { Description = "The collection." };
        var list = new Command("list", "List a collection's snapshots.") { listName };
        list.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (db, json) =>
        {
            var all = await db.Snapshots.ListAsync(parse.GetValue(listName)!, ct);
            if (json)
            {
                CommonOptions.Print(new JsonArray([.. all.Select(s => (JsonNode?)Output.Snapshot(s))]));
                return;
            }

            foreach (var s in all)
            {
                Console.WriteLine($"{s.Name}\t{s.Size} bytes");
            }
        }));
        command.Subcommands.Add(list);

        var restoreName = new Argument<string>("collection") { Description = "The collection to create or replace." };
        var location = new Argument<string>("snapshot") { Description = "A snapshot file on this machine (uploaded with --url), or the name of a snapshot in the catalogue." };
        var restore = new Command("restore", "Create or replace a collection from a snapshot.") { restoreName, location };
        restore.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (db, json) =>
        {
            var target = parse.GetValue(restoreName)!;
            var source = parse.GetValue(location)!;
            if (File.Exists(source))
            {
                await using var file = File.OpenRead(source);
                await db.Snapshots.RestoreAsync(target, file, null, ct);
            }
            else
            {
                await db.Snapshots.RestoreFromCatalogAsync(target, source, null, ct);
            }

            if (json)
            {
                CommonOptions.Print(new JsonObject { ["restored"] = target });
            }
            else
            {
                Console.WriteLine($"restored {target}");
            }
        }));
        command.Subcommands.Add(restore);
        return command;
    }
}
