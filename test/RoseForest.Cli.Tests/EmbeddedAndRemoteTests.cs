using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Cli.Commands;
using RoseForest.Host;

namespace RoseForest.Cli.Tests;

/// <summary>
/// Issue 11: the CLI is not a second API. Every data verb gives byte-identical output (stdout,
/// and stderr for errors) and exit code whether it acts on a folder or, with --url, on a server
/// over another folder, since both go through IVectorDatabase and the same formatting. Both
/// sides run on the same fake clock (snapshot names carry the time), and the server is
/// restarted around each verb as the embedded CLI opens and closes its folder.
/// </summary>
[Collection("console")]
public class EmbeddedAndRemoteTests
{
    [Fact]
    public async Task Every_data_verb_prints_the_same_bytes_embedded_and_through_url()
    {
        using var embedded = new TempDir();
        using var remote = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
        var points = Path.Combine(embedded.Path, "p.jsonl");
        await File.WriteAllLinesAsync(points, Enumerable.Range(0, 20).Select(i =>
            $$$"""{"id":{{{i}}},"vector":[{{{1 + (i % 3)}}},{{{i % 5}}},{{{(i % 7) / 10.0}}}],"payload":{"n":{{{i}}},"tag":"{{{(i % 2 == 0 ? "even" : "odd")}}}"}}"""));

        string[][] verbs =
        [
            ["collections", "create", "c", "--dim", "3", "--distance", "cosine"],
            ["collections", "create", "h", "--dim", "3", "--distance", "poincare", "--m", "0"],
            ["collections", "create", "c", "--dim", "3"],
            ["collections", "list"],
            ["collections", "list", "--json"],
            ["import", points, "--collection", "c", "--batch", "7", "--json"],
            ["import", points, "--collection", "e", "--create", "euclid"],
            ["search", "--collection", "c", "--vector", "[1, 0.5, 0]", "--limit", "4", "--with-payload", "--json"],
            ["search", "--collection", "c", "--vector", "[1, 0.5, 0]", "--limit", "4", "--with-payload"],
            ["search", "--collection", "e", "--vector", "[2, 1, 0.3]", "--limit", "3", "--json", "--filter", """{"must":[{"key":"tag","match":{"value":"odd"}}]}"""],
            ["search", "--collection", "c", "--vector", "[1, 2]", "--json"],
            ["search", "--collection", "c", "--vector", "[1, 0, 0]", "--filter", """{"must":[{"key":"a..b","match":{"value":1}}]}"""],
            ["collections", "info", "c", "--json"],
            ["collections", "info", "e"],
            ["collections", "info", "missing"],
            ["snapshot", "create", "c", "--json"],
            ["snapshot", "create", "c"],
            ["snapshot", "list", "c", "--json"],
            ["snapshot", "list", "c"],
            ["snapshot", "restore", "c2", "{snapshot}", "--json"],
            ["collections", "info", "c2", "--json"],
            ["collections", "recover", "c", "--json"],
            ["collections", "delete", "h", "--json"],
            ["collections", "delete", "h"],
            ["collections", "list", "--json"],
            ["snapshot", "list", "c2", "--json"],
        ];

        var outcomes = new List<int>();
        var previous = CliTarget.Time;
        CliTarget.Time = time;
        try
        {
            string? snapshot = null;
            foreach (var template in verbs)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                var verb = template.Select(a => a == "{snapshot}" ? snapshot! : a).ToArray();
                var local = await ConsoleCapture.RunAsync(CliApp.RunAsync, [.. verb, "--data", embedded.Path]);
                var options = new ServerOptions { Port = 0, DataPath = remote.Path, TimeProvider = time };
                await using (var server = await RoseForestServer.StartAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning)))
                {
                    var viaUrl = await ConsoleCapture.RunAsync(CliApp.RunAsync, [.. verb, "--url", server.BaseAddress.ToString()]);
                    var what = string.Join(' ', verb);
                    Assert.True(local.Code == viaUrl.Code, $"{what}: exit {local.Code} embedded, {viaUrl.Code} through --url\n{local.Err}\n{viaUrl.Err}");
                    Assert.Equal(local.Out, viaUrl.Out);
                    if (local.Code != 0)
                    {
                        Assert.Equal(local.Err, viaUrl.Err);
                    }

                    outcomes.Add(local.Code);
                    if (verb is ["snapshot", "create", _, "--json"])
                    {
                        snapshot = System.Text.Json.JsonElement.Parse(local.Out).GetProperty("name").GetString();
                    }
                }
            }
        }
        finally
        {
            CliTarget.Time = previous;
        }

        // The walk exercised the failures it meant to (a duplicate, a bad vector, a bad filter
        // key, a missing collection) and nothing else failed.
        Assert.Equal(4, outcomes.Count(c => c != 0));
    }
}
