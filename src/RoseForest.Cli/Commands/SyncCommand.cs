using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RoseForest.Cli.Commands;

/// <summary>
/// <c>roseforest sync --from URL --collection C</c>: asks the local server (<c>--url</c>, default
/// http://127.0.0.1:6333) to run a sync job with the server at URL (<c>POST /sync/jobs</c>) and, for
/// a one-shot job, waits for it and reports what moved. Exit code 1 when the job fails.
/// </summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The other server's URL.", Required = true };
        var collections = new Option<string[]>("--collection") { Description = "A collection to sync (repeatable; none: every collection, mode full)." };
        var url = new Option<string>("--url") { Description = "The local server (default http://127.0.0.1:6333).", DefaultValueFactory = _ => "http://127.0.0.1:6333" };
        var apiKey = new Option<string?>("--api-key") { Description = "The local server's API key." };
        var remoteKey = new Option<string?>("--remote-api-key") { Description = "The other server's API key." };
        var mode = new Option<string?>("--mode") { Description = "full, partial or selective (default: partial with --collection, else full)." };
        var filter = new Option<string?>("--filter") { Description = "Selective sync: a payload filter in Qdrant's JSON." };
        var strategy = new Option<string>("--strategy") { Description = "crdt (default), last_write_wins, highest_version, merge or geometric_mean.", DefaultValueFactory = _ => "crdt" };
        var knowledge = new Option<bool?>("--knowledge") { Description = "Sync the knowledge state too (default: with mode full)." };
        var direction = new Option<string>("--direction") { Description = "both (default), pull or push.", DefaultValueFactory = _ => "both" };
        var continuous = new Option<bool>("--continuous") { Description = "Keep syncing every --interval-ms until the job is deleted (returns at once)." };
        var interval = new Option<int>("--interval-ms") { Description = "Pause between runs of a continuous job (default 1000).", DefaultValueFactory = _ => 1000 };
        var command = new Command("sync", "Sync collections (and knowledge) between this server and another: pull and push changes, resume from checkpoints.")
        {
            from, collections, url, apiKey, remoteKey, mode, filter, strategy, knowledge, direction, continuous, interval, CommonOptions.Json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var names = parse.GetValue(collections) ?? [];
            var body = new JsonObject
            {
                ["remote"] = parse.GetValue(from),
                ["mode"] = parse.GetValue(mode) ?? (names.Length > 0 ? "partial" : "full"),
                ["collections"] = new JsonArray([.. names.Select(n => (JsonNode)n)]),
                ["strategy"] = parse.GetValue(strategy),
                ["direction"] = parse.GetValue(direction),
                ["continuous"] = parse.GetValue(continuous),
                ["interval_ms"] = parse.GetValue(interval),
            };
            if (parse.GetValue(remoteKey) is { } key)
            {
                body["api_key"] = key;
            }

            if (parse.GetValue(filter) is { } f)
            {
                body["filter"] = JsonNode.Parse(f);
            }

            if (parse.GetValue(knowledge) is { } k)
            {
                body["knowledge"] = k;
            }

            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(url)!.TrimEnd('/') + "/"), Timeout = Timeout.InfiniteTimeSpan };
            using var request = new HttpRequestMessage(HttpMethod.Post, parse.GetValue(continuous) ? "sync/jobs" : "sync/jobs?wait=true")
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            if (parse.GetValue(apiKey) is { } local)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", local);
            }

            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            using var doc = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException($"the server answered {(int)response.StatusCode}: {(doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() : text)}");
            }

            var status = doc.RootElement;
            if (parse.GetValue(CommonOptions.Json))
            {
                CommonOptions.Print(status);
            }
            else
            {
                Report(status);
            }

            return status.GetProperty("state").GetString() == "failed"
                ? throw new CliException($"sync job {status.GetProperty("id").GetString()} failed: {status.GetProperty("last_error").GetString()}")
                : 0;
        });
        return command;
    }

    private static void Report(JsonElement status)
    {
        Console.WriteLine($"job {status.GetProperty("id").GetString()}: {status.GetProperty("state").GetString()}");
        foreach (var scope in status.GetProperty("scopes").EnumerateArray())
        {
            Console.WriteLine($"  {scope.GetProperty("scope").GetString()}: pulled {scope.GetProperty("pulled").GetInt32()}, pushed {scope.GetProperty("pushed").GetInt32()}, conflicts {scope.GetProperty("conflicts").GetInt32()}, lag {scope.GetProperty("lag").GetInt64()}");
        }
    }
}
