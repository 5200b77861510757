using System.CommandLine;
using System.Text.Json;
using RoseForest.Core;

namespace RoseForest.Cli.Commands;

/// <summary>Options every data verb shares, and the way verbs report results and errors.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Json = new("--json") { Description = "Print machine-readable JSON instead of text.", Recursive = true };

    public static readonly Option<string> Data = new("--data") { Description = "The embedded database folder (default ./roseforest-data).", DefaultValueFactory = _ => "./roseforest-data", Recursive = true };

    public static readonly Option<string?> Url = new("--url") { Description = "Act on a running server at this URL instead of a folder.", Recursive = true };

    public static readonly Option<string?> ApiKey = new("--api-key") { Description = "The server's API key (with --url).", Recursive = true };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Runs a verb against its target (failures are reported by <see cref="CliApp.RunAsync"/>).</summary>
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken ct, Func<IVectorDatabase, bool, Task> action)
    {
        await using var target = await CliTarget.OpenAsync(parse.GetValue(Url), parse.GetValue(ApiKey), parse.GetValue(Data)!, ct);
        await action(target, parse.GetValue(Json));
        return 0;
    }

    /// <summary>
    /// A failure the user can act on (bad input, a missing file, an unreachable server): one line
    /// on stderr and exit code 1, not a stack trace. Anything else is a bug and is left to crash.
    /// </summary>
    public static bool IsUserError(Exception e) =>
        e is RoseForestException or CliException or IOException or HttpRequestException or ArgumentException or UnauthorizedAccessException or JsonException or InvalidDataException;

    public static void Print(object value) => Console.WriteLine(JsonSerializer.Serialize(value, Indented));

    public static void Print(JsonElement value) => Console.WriteLine(JsonSerializer.Serialize(value, Indented));

    public static void Print(System.Text.Json.Nodes.JsonNode? value) => Console.WriteLine(value?.ToJsonString(Indented) ?? "null");
}
