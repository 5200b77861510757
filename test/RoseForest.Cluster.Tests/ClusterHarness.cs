using Microsoft.Extensions.Logging;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RoseForest.Host;

namespace RoseForest.Cluster.Tests;

/// <summary>Several in-process nodes (the real host, HTTP on loopback) joined to one PostgreSQL database.</summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    private readonly List<TempDir> _folders = [];

    private ClusterHarness(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public List<RoseForestServer> Nodes { get; } = [];

    public List<HttpClient> Http { get; } = [];

    public static async Task<ClusterHarness> StartAsync(PostgresFixture pg, int nodes)
    {
        var harness = new ClusterHarness(await pg.CreateDatabaseAsync());
        for (var i = 0; i < nodes; i++)
        {
            await harness.AddNodeAsync();
        }

        return harness;
    }

    public async Task<RoseForestServer> AddNodeAsync()
    {
        var folder = new TempDir();
        _folders.Add(folder);
        var server = await RoseForestServer.StartAsync(
            new ServerOptions { Port = 0, DataPath = folder.Path, Cluster = ConnectionString },
            logging: l =>
            {
                if (Environment.GetEnvironmentVariable("ROSEFOREST_TEST_LOG") is { Length: > 0 })
                {
                    l.AddSimpleConsole(o => o.SingleLine = true);
                }
                else
                {
                    l.AddFilter(_ => false);
                }
            });
        Nodes.Add(server);
        Http.Add(new HttpClient { BaseAddress = server.BaseAddress });
        return server;
    }

    public static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        foreach (var (k, v) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(k, v);
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return ((int)response.StatusCode, json, response);
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>True when every shard's replicas are all active and have applied the shard's whole log.</summary>
    public async Task<bool> CaughtUpAsync(string collection, int expectedReplicasPerShard)
    {
        var (status, body, _) = await SendAsync(Http[0], HttpMethod.Get, $"collections/{collection}/cluster");
        if (status != 200)
        {
            return false;
        }

        var replicas = body.GetProperty("result").GetProperty("local_shards").EnumerateArray().Concat(body.GetProperty("result").GetProperty("remote_shards").EnumerateArray()).ToList();
        return replicas.All(r => r.GetProperty("state").GetString() == "Active" && r.GetProperty("roseforest_applied_seq").GetInt64() == r.GetProperty("roseforest_last_seq").GetInt64())
            && replicas.GroupBy(r => r.GetProperty("shard_id").GetInt32()).All(g => g.Count() == expectedReplicasPerShard);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var http in Http)
        {
            http.Dispose();
        }

        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        foreach (var folder in _folders)
        {
            folder.Dispose();
        }
    }
}

