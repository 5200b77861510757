using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace RoseForest.Cli.Commands;

/// <summary><c>roseforest search --collection NAME --vector "[…]"</c>.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var collection = new Option<string>("--collection") { Description = "The collection.", Required = true };
        var vector = new Option<string>("--vector") { Description = "The query vector as a JSON array, e.g. \"[0.1, 0.2, 0.3]\".", Required = true };
        var limit = new Option<int>("--limit") { Description = "How many hits.", DefaultValueFactory = _ => 10 };
        var filter = new Option<string?>("--filter") { Description = "A Qdrant filter as JSON." };
        var payload = new Option<bool>("--with-payload") { Description = "Show payloads." };
        var command = new Command("search", "Find the nearest points to a vector.") { collection, vector, limit, filter, payload };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (target, json) =>
        {
            float[] query;
            JsonElement? filterJson;
            try
            {
                query = JsonSerializer.Deserialize<float[]>(parse.GetValue(vector)!) ?? throw new CliException("--vector is empty.");
                filterJson = parse.GetValue(filter) is { } f ? JsonElement.Parse(f) : null;
            }
            catch (JsonException e)
            {
                throw new CliException($"--vector and --filter must be JSON: {e.Message}");
            }

            var hits = await target.SearchAsync(parse.GetValue(collection)!, query, parse.GetValue(limit), filterJson, parse.GetValue(payload), ct);
            if (json)
            {
                CommonOptions.Print(hits);
                return;
            }

            var table = new Table().AddColumn("id").AddColumn("score");
            if (parse.GetValue(payload))
            {
                table.AddColumn("payload");
            }

            foreach (var hit in hits.EnumerateArray())
            {
                var id = hit.GetProperty("id");
                var cells = new List<string> { id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText(), hit.GetProperty("score").GetDouble().ToString("G6", System.Globalization.CultureInfo.InvariantCulture) };
                if (parse.GetValue(payload))
                {
                    cells.Add(hit.TryGetProperty("payload", out var p) ? p.GetRawText() : string.Empty);
                }

                table.AddRow([.. cells.Select(Markup.Escape)]);
            }

            AnsiConsole.Write(table);
        }));
        return command;
    }
}
