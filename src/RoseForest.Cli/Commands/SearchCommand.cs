using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Contracts.Qdrant;
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
        command.SetAction((parse, ct) => CommonOptions.RunAsync(parse, ct, async (db, json) =>
        {
            float[] query;
            try
            {
                query = JsonSerializer.Deserialize<float[]>(parse.GetValue(vector)!) ?? throw new CliException("--vector is empty.");
            }
            catch (JsonException e)
            {
                throw new CliException($"--vector must be a JSON array of numbers: {e.Message}");
            }

            var withPayload = parse.GetValue(payload);
            var hits = await db.GetCollection(parse.GetValue(collection)!).QueryAsync(
                new QueryRequest
                {
                    Vector = query,
                    Limit = parse.GetValue(limit),
                    Filter = parse.GetValue(filter) is { } f ? QdrantFilter.Parse(f) : null,
                    WithPayload = withPayload,
                },
                ct);
            if (json)
            {
                CommonOptions.Print(new JsonArray([.. hits.Select(h => (JsonNode?)Output.Hit(h, withPayload))]));
                return;
            }

            var table = new Table().AddColumn("id").AddColumn("score");
            if (withPayload)
            {
                table.AddColumn("payload");
            }

            foreach (var hit in hits)
            {
                var cells = new List<string> { hit.Id.ToString(), hit.Score.ToString("G6", CultureInfo.InvariantCulture) };
                if (withPayload)
                {
                    cells.Add(hit.Payload?.GetRawText() ?? "{}");
                }

                table.AddRow([.. cells.Select(Markup.Escape)]);
            }

            Output.Write(table);
        }));
        return command;
    }
}
