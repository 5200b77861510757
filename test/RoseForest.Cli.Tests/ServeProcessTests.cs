using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using RoseForest.Engine;

namespace RoseForest.Cli.Tests;

/// <summary>The real <c>roseforest serve</c> process: SIGTERM shuts it down cleanly (log flushed, snapshot taken, exit 0).</summary>
public partial class ServeProcessTests
{
    [Fact]
    public async Task Sigterm_flushes_takes_snapshots_and_exits_zero()
    {
        using var tmp = new TempDir();
        await using (var server = await ServerProcess.StartAsync(tmp.Path))
        {
            Assert.True((await server.Http.PutAsync("collections/t", new StringContent("""{"vectors":{"size":2,"distance":"Euclid"}}"""))).IsSuccessStatusCode);
            Assert.True((await server.Http.PutAsync("collections/t/points?wait=true", new StringContent("""{"points":[{"id":1,"vector":[1,2]},{"id":2,"vector":[3,4]}]}"""))).IsSuccessStatusCode);
            server.Signal(15); // SIGTERM
            await server.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(server.Process.ExitCode == 0, $"exit code {server.Process.ExitCode}\n{server.Log}");
        }

        var checkpoints = Path.Combine(tmp.Path, "collections", "t", "checkpoints");
        Assert.Single(Directory.GetFiles(checkpoints, "*.snapshot"));
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var t = db.GetCollection("t");
        Assert.Equal(0, t.Recovery!.Wal.RecordsReplayed); // everything was in the shutdown snapshot
        Assert.Equal(2, await t.CountAsync());
    }

    /// <summary>
    /// Issue 10 through the real process: every key from the report (valid in Qdrant or not)
    /// answers 200 or 400, never 5xx; the collection keeps taking writes; after SIGKILL and after
    /// SIGTERM the server starts again on the same folder with every acknowledged point intact.
    /// </summary>
    [Fact]
    public async Task Payload_keys_from_the_poison_write_report_never_stop_the_server_from_starting()
    {
        using var tmp = new TempDir();
        string[] keys = ["nest[0]", "nest[]", "nest[].a", "nest[99]", "a..b", "", ".", "[0]", "a.b.c.d.e.f"];
        var acknowledged = new List<int>();
        await using (var server = await ServerProcess.StartAsync(tmp.Path))
        {
            Assert.Equal(200, await SendAsync(server.Http, HttpMethod.Put, "collections/k", """{"vectors":{"size":2,"distance":"Cosine"}}"""));
            for (var i = 0; i < keys.Length; i++)
            {
                Assert.Equal(200, await SendAsync(server.Http, HttpMethod.Put, "collections/k/points?wait=true", $$$"""{"points":[{"id":{{{i}}},"vector":[0.1,0.2],"payload":{"nest":[{"a":"100"}]}}]}"""));
                acknowledged.Add(i);
                var status = await SendAsync(server.Http, HttpMethod.Post, "collections/k/points/payload?wait=true", $$"""{"payload":{"a":"101"},"points":[{{i}}],"key":{{System.Text.Json.JsonSerializer.Serialize(keys[i])}}}""");
                Assert.True(status is 200 or 400, $"key '{keys[i]}' answered {status}");
            }

            server.Signal(9); // SIGKILL
            await server.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        await using (var server = await ServerProcess.StartAsync(tmp.Path))
        {
            await AssertPointsAsync(server.Http, acknowledged);
            Assert.Equal(200, await SendAsync(server.Http, HttpMethod.Put, "collections/k/points?wait=true", """{"points":[{"id":100,"vector":[0.3,0.4]}]}"""));
            acknowledged.Add(100);
            server.Signal(15); // SIGTERM
            await server.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, server.Process.ExitCode);
        }

        await using (var server = await ServerProcess.StartAsync(tmp.Path))
        {
            await AssertPointsAsync(server.Http, acknowledged);
        }
    }

    private static async Task AssertPointsAsync(HttpClient http, List<int> ids)
    {
        using var response = await http.PostAsync("collections/k/points", new StringContent($$"""{"ids":[{{string.Join(",", ids)}}]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(ids.Order(), body.RootElement.GetProperty("result").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).Order());
    }

    private static async Task<int> SendAsync(HttpClient http, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }


}
