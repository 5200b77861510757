using System.CommandLine;
using System.Text.Json;

namespace RoseForest.Bench;

/// <summary>
/// roseforest-bench: the benchmarks behind docs/benchmarks.md (storage, ann, http, embed,
/// embed-search), each printing its numbers and optionally writing them as JSON. They may use the
/// engine's and the index's internals; the product CLI does not.
/// </summary>
internal static class BenchApp
{
    public static RootCommand Create()
    {
        var root = new RootCommand("RoseForest benchmarks: run one and print (or write as JSON) its numbers.");
        foreach (var verb in BenchCommands.Create())
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }

    /// <summary>
    /// Runs a command line. A user error (bad input, a missing file or data set) ends here as one
    /// line on stderr and exit code 1; anything else is a bug and is left to crash.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await Create().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is RoseForestException or IOException or HttpRequestException or ArgumentException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
