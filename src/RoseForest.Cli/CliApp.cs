using System.CommandLine;
using RoseForest.Cli.Commands;

namespace RoseForest.Cli;

/// <summary>The roseforest command line: every verb, built once; Program.cs only runs it.</summary>
internal static class CliApp
{
    public static RootCommand Create()
    {
        var root = new RootCommand("RoseForest: a multi-geometry vector database and agent memory.")
        {
            ServeCommand.Create(),
            CollectionsCommands.Create(),
            ImportCommand.Create(),
            SearchCommand.Create(),
            SnapshotCommands.Create(),
            EmbedCommands.Create(),
            GeometryCommands.Create(),
            McpCommand.Create(),
            SyncCommand.Create(),
            Commands.Cluster.ClusterCommands.Create(),
        };
        foreach (var verb in root.Subcommands.Where(c => c.Name is "collections" or "import" or "search" or "snapshot"))
        {
            foreach (var option in new Option[] { CommonOptions.Json, CommonOptions.Data, CommonOptions.Url, CommonOptions.ApiKey })
            {
                verb.Options.Add(option);
            }
        }

        return root;
    }

    /// <summary>
    /// Runs a command line. Every verb's user errors end here as one line on stderr and exit
    /// code 1 (System.CommandLine's own handler would print a stack trace and exit 1 as well).
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var parse = Create().Parse(args);
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            if (Commands.Cluster.ClusterCommands.HandlesOwnSignals(parse.CommandResult.Command))
            {
                configuration.ProcessTerminationTimeout = null;
            }

            return await parse.InvokeAsync(configuration);
        }
        catch (Exception e) when (CommonOptions.IsUserError(e))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
