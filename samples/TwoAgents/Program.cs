// Two agents talk through RoseForest: run it twice, once per agent, against one `roseforest serve`.
//   dotnet run --project samples/TwoAgents -- http://127.0.0.1:6333 ADMIN_KEY alice bob
//   dotnet run --project samples/TwoAgents -- http://127.0.0.1:6333 ADMIN_KEY bob alice
// Each registers itself, sends the other a message, waits for the other's message and acks it,
// contributes a point to the shared space "ideas", and prints the space's consensus once both
// have contributed.
using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Communication.Client;
using RoseForest.Communication.Mailboxes;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: TwoAgents <server url> <admin key> <me> <peer>");
    return 2;
}

var (url, adminKey, me, peer) = (new Uri(args[0]), args[1], args[2], args[3]);
const string Ns = "agents";
using var admin = new CommunicationClient(url, adminKey);
var (_, myKey) = await admin.RegisterAsync(Contract(me));
try
{
    await admin.CreateSpaceAsync(Ns, "ideas", "poincare", 2);
}
catch (RoseForest.Communication.ConflictException)
{
    // The other agent made it first.
}

using var agent = new CommunicationClient(url, myKey);
await agent.JoinSpaceAsync(Ns, "ideas", ["reasoning"]);

// The peer may not be registered yet: retry until it is.
while (true)
{
    try
    {
        await agent.SendAsync(peer, new OutgoingMessage { Text = $"hello {peer}, this is {me}", Body = JsonSerializer.SerializeToElement(new { from = me }), IdempotencyKey = "hello" });
        break;
    }
    catch (RoseForest.Core.NotFoundException)
    {
        await Task.Delay(200);
    }
}

var got = await agent.ReceiveAsync(me, max: 1, wait: TimeSpan.FromSeconds(30));
if (got.Count == 0)
{
    Console.Error.WriteLine($"{me}: no message from {peer}");
    return 1;
}

Console.WriteLine($"{me} received from {got[0].From}: {got[0].Text}");
await agent.AckAsync(me, [got[0].Id]);

await agent.ContributeAsync(Ns, "ideas", "position", string.CompareOrdinal(me, peer) < 0 ? [0.3f, 0.1f] : [-0.3f, 0.1f], JsonNode.Parse($$"""{"by":"{{me}}"}"""));
for (var i = 0; i < 150; i++)
{
    var consensus = await agent.ConsensusAsync(Ns, "ideas");
    if (consensus.Contributors == 2)
    {
        Console.WriteLine($"{me}: consensus of {consensus.Contributors} contributors at ({consensus.Mean[0]:F4}, {consensus.Mean[1]:F4}), dispersion {consensus.Dispersion:F4}");
        return 0;
    }

    await Task.Delay(200);
}

Console.Error.WriteLine($"{me}: {peer} never contributed");
return 1;

static JsonObject Contract(string id) => JsonNode.Parse($$"""
{
  "contract_version": "1.0.0",
  "model": { "id": "{{id}}", "name": "Agent {{id}}", "version": "1.0.0", "type": "agent", "capabilities": ["reasoning"] },
  "hvs_binding": { "hvs_id": "local", "region": "local", "namespace": "agents", "geometry": "poincare", "dimension": 2 },
  "vector_spec": { "input_dimension": 2, "output_dimension": 2, "encoding": "geometric" },
  "communication_protocol": { "message_format": "json", "encoding": "utf-8", "max_message_size_bytes": 65536, "timeout_ms": 5000, "retry": { "max_attempts": 3, "backoff_ms": [100, 500] } },
  "permissions": { "read_namespaces": ["agents"], "write_namespaces": ["agents"], "broadcast": false, "query_other_models": true },
  "resource_limits": { "max_vectors_per_second": 100, "max_storage_mb": 16, "max_queries_per_second": 100 },
  "health_check": { "endpoint": "/health", "interval_seconds": 30, "timeout_seconds": 5 }
}
""")!.AsObject();
