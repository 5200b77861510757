using System.CommandLine;

namespace RoseForest.Cli.Commands;

/// <summary><c>roseforest snapshot create|list|restore</c>.</summary>
internal static class SnapshotCommands
{
    public static Command Create()
    {
        var command = new Command("snapshot", "Create, list and restore collection snapshots.");
        var name = new Argument<string>("collection") { Description = "The collection." };
        var create = new Command("create", "Take a snapshot now.") { name };
        create.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (target, json) =>
        {
            var s = await target.CreateSnapshotAsync(parse.GetValue(name)!, ct);
            if (json)
            {
                CommonOptions.Print(s);
            }
            else
            {
                Console.WriteLine($"snapshot {s.GetProperty("name").GetString()} ({s.GetProperty("size").GetInt64()} bytes)");
            }
        }));
        command.Subcommands.Add(create);

        var listName = new Argument<string>("collection") { Description = "The collection." };
        var list = new Command("list", "List a collection's snapshots.") { listName };
        list.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (target, json) =>
        {
            var all = await target.ListSnapshotsAsync(parse.GetValue(listName)!, ct);
            if (json)
            {
                CommonOptions.Print(all);
                return;
            }

            foreach (var s in all.EnumerateArray())
            {
                Console.WriteLine($"{s.GetProperty("name").GetString()}\t{s.GetProperty("size").GetInt64()} bytes");
            }
        }));
        command.Subcommands.Add(list);

        var restoreName = new Argument<string>("collection") { Description = "The collection to create or replace." };
        var location = new Argument<string>("snapshot") { Description = "A snapshot file (embedded) or a snapshot name/URL the server can read (--url)." };
        var restore = new Command("restore", "Create or replace a collection from a snapshot.") { restoreName, location };
        restore.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (target, json) =>
        {
            await target.RestoreSnapshotAsync(parse.GetValue(restoreName)!, parse.GetValue(location)!, ct);
            if (json)
            {
                CommonOptions.Print(new { restored = parse.GetValue(restoreName) });
            }
            else
            {
                Console.WriteLine($"restored {parse.GetValue(restoreName)}");
            }
        }));
        command.Subcommands.Add(restore);
        return command;
    }
}
