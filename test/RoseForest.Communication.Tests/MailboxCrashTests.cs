using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RoseForest.Communication.Tests;

/// <summary>A real <c>roseforest serve</c> SIGKILLed while a sender and a receiver work: nothing acknowledged is lost, nothing acked comes back.</summary>
public class MailboxCrashTests
{
    [Fact]
    public async Task Mailboxes_survive_sigkill_with_nothing_acknowledged_lost()
    {
        using var dir = new TempDir();
        await using var serve = new ServeProcess("crash", dir.Path, "--node-id", "crash", "--embedder", "hashing", "--knowledge-rate-limit", "0", "--api-key", "admin-key");
        await serve.StartAsync();
        using var admin = Client(serve, "admin-key");
        var aliceKey = await RegisterAsync(admin, Fixtures.Contract("alice", "team"));
        var bobKey = await RegisterAsync(admin, Fixtures.Contract("bob", "team"));
        using var alice = Client(serve, aliceKey);
        using var bob = Client(serve, bobKey);

        var sent = new List<string>();
        var acked = new HashSet<string>();
        var ackTried = new HashSet<string>();
        using var stop = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var response = await alice.PostAsJsonAsync("/mailboxes/bob/messages", new JsonObject { ["body"] = new JsonObject { ["n"] = i }, ["idempotency_key"] = $"m{i}" });
                    if (!response.IsSuccessStatusCode)
                    {
                        break;
                    }

                    var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!["id"]!.GetValue<string>();
                    lock (sent)
                    {
                        sent.Add(id);
                    }
                }
                catch (HttpRequestException)
                {
                    break;
                }
            }
        });
        var receiver = Task.Run(async () =>
        {
            var odd = false;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var got = JsonNode.Parse(await (await bob.PostAsJsonAsync("/mailboxes/bob/receive", new JsonObject { ["max"] = 20, ["wait_ms"] = 200, ["visibility_ms"] = 300 })).Content.ReadAsStringAsync())!["result"]!.AsArray();
                    // Ack every other message; the rest stay leased and must come back after the crash.
                    var toAck = got.Select(m => m!["id"]!.GetValue<string>()).Where(_ => odd = !odd).ToList();
                    if (toAck.Count == 0)
                    {
                        continue;
                    }

                    lock (acked)
                    {
                        ackTried.UnionWith(toAck);
                    }

                    var response = await bob.PostAsJsonAsync("/mailboxes/bob/ack", new JsonObject { ["ids"] = new JsonArray([.. toAck.Select(x => (JsonNode)x)]) });
                    if (response.IsSuccessStatusCode)
                    {
                        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!["acked"]!.AsArray();
                        lock (acked)
                        {
                            foreach (var a in result)
                            {
                                acked.Add(a!.GetValue<string>());
                            }
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    break;
                }
            }
        });

        while (true)
        {
            await Task.Delay(100);
            lock (acked)
            {
                if (acked.Count >= 30)
                {
                    break;
                }
            }
        }

        await serve.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(sender, receiver);
        await serve.StartAsync();

        var after = new HashSet<string>();
        while (true)
        {
            var got = JsonNode.Parse(await (await bob.PostAsJsonAsync("/mailboxes/bob/receive", new JsonObject { ["max"] = 256 })).Content.ReadAsStringAsync())!["result"]!.AsArray();
            if (got.Count == 0)
            {
                break;
            }

            foreach (var m in got)
            {
                after.Add(m!["id"]!.GetValue<string>());
            }

            // Ack the batch: a sender's later messages wait while its earlier ones are leased.
            var ack = await bob.PostAsJsonAsync("/mailboxes/bob/ack", new JsonObject { ["ids"] = new JsonArray([.. got.Select(m => (JsonNode)m!["id"]!.GetValue<string>())]) });
            ack.EnsureSuccessStatusCode();
        }

        // Every send that was answered is there, unless an ack of it was sent (an ack cut off by the
        // kill may have been durable before its answer); no answered ack comes back.
        var expectedAlive = sent.Where(id => !acked.Contains(id)).ToHashSet();
        Assert.Empty(expectedAlive.Except(after).Except(ackTried));
        Assert.Empty(after.Intersect(acked));
        Assert.True(sent.Count >= 30);
        // A retried send of an acked message is recognized after the crash.
        var retry = await alice.PostAsJsonAsync("/mailboxes/bob/messages", new JsonObject { ["body"] = new JsonObject { ["n"] = 0 }, ["idempotency_key"] = "m0" });
        Assert.True(JsonNode.Parse(await retry.Content.ReadAsStringAsync())!["result"]!["duplicate"]!.GetValue<bool>());
    }

    private static HttpClient Client(ServeProcess serve, string key)
    {
        var client = new HttpClient { BaseAddress = serve.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("api-key", key);
        return client;
    }

    private static async Task<string> RegisterAsync(HttpClient admin, JsonObject contract)
    {
        var response = await admin.PostAsJsonAsync("/models", contract);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body["result"]!["api_key"]!.GetValue<string>();
    }
}
