using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RoseForest.Dashboard.Tests;

/// <summary>
/// Data for every page, written through the public API: a text collection embedded by the server,
/// a hierarchy in the Poincaré disk and the same hierarchy on the Lorentz hyperboloid (parent ids
/// in the payload), a flat collection, two models with a message and a shared space, knowledge
/// packages, and a federated task with three rounds under differential privacy.
/// </summary>
internal static class Seed
{
    public const int Branching = 3;
    public const int Depth = 3;

    /// <summary>Nodes of the seeded tree: 1 + 3 + 9 + 27.</summary>
    public static readonly int TreeNodes = Enumerable.Range(0, Depth + 1).Sum(d => (int)Math.Pow(Branching, d));

    public const int FlatPoints = 60;

    public static readonly string[] Documents =
    [
        "The red fox jumps over the lazy dog", "A quick brown fox hunts at dawn", "Foxes live in dens and forests",
        "Dogs are loyal companions to people", "Wolves hunt in packs across the tundra", "The cat sleeps in the warm sun",
        "Lions rest on the savanna after a hunt", "Whales sing songs in the deep ocean", "Dolphins play in the waves",
        "Bats fly at night and use echolocation", "Elephants remember their family for decades", "Horses gallop across open fields",
        "Rabbits dig burrows under the meadow", "Bears fish for salmon in cold rivers", "Mice gather seeds before winter",
        "Otters float on their backs holding hands", "Squirrels hide acorns in autumn", "Deer graze at the edge of the forest",
        "Seals bask on rocky shores", "Hedgehogs curl up when threatened", "Beavers build dams across streams",
        "Camels cross the desert without water", "Kangaroos carry their young in pouches", "Giraffes reach the highest leaves",
    ];

    public static async Task RunAsync(HttpClient http)
    {
        await CollectionsAsync(http);
        await CommunicationAsync(http);
        await KnowledgeAsync(http);
        await FederatedAsync(http);
    }

    private static async Task CollectionsAsync(HttpClient http)
    {
        await OkAsync(http, HttpMethod.Put, "/collections/docs", """{"vectors": {"text": {"size": 64, "distance": "Cosine", "embed": {"model": "hashing-64"}}}}""");
        var points = new JsonArray([.. Documents.Select((d, i) => (JsonNode)new JsonObject
        {
            ["id"] = i + 1,
            ["vector"] = new JsonObject { ["text"] = new JsonObject { ["text"] = d } },
            ["payload"] = new JsonObject { ["title"] = d, ["category"] = (i % 3) switch { 0 => "wild", 1 => "pet", _ => "sea" }, ["year"] = 2000 + i },
        })]);
        await OkAsync(http, HttpMethod.Put, "/collections/docs/points?wait=true", new JsonObject { ["points"] = points }.ToJsonString());
        await OkAsync(http, HttpMethod.Put, "/collections/docs/index?wait=true", """{"field_name": "category", "field_schema": "keyword"}""");

        var tree = Tree();
        await OkAsync(http, HttpMethod.Put, "/collections/tree", """{"vectors": {"size": 2, "distance": "Poincare"}}""");
        await OkAsync(http, HttpMethod.Put, "/collections/tree/points?wait=true", Points(tree, z => [z.X, z.Y]));
        await OkAsync(http, HttpMethod.Put, "/collections/tree_lorentz", """{"vectors": {"size": 3, "distance": "Lorentz"}}""");
        await OkAsync(http, HttpMethod.Put, "/collections/tree_lorentz/points?wait=true", Points(tree, z =>
        {
            var r2 = (z.X * z.X) + (z.Y * z.Y);
            return [(1 + r2) / (1 - r2), 2 * z.X / (1 - r2), 2 * z.Y / (1 - r2)];
        }));

        var rng = new Random(21);
        await OkAsync(http, HttpMethod.Put, "/collections/flat", """{"vectors": {"size": 8, "distance": "Euclid"}}""");
        var flat = new JsonArray([.. Enumerable.Range(0, FlatPoints).Select(i =>
        {
            var cluster = i % 3;
            var v = new JsonArray([.. Enumerable.Range(0, 8).Select(j => (JsonNode)((j == cluster ? 5.0 : 0.0) + rng.NextDouble()))]);
            return (JsonNode)new JsonObject { ["id"] = i, ["vector"] = v, ["payload"] = new JsonObject { ["name"] = $"item {i}", ["cluster"] = cluster } };
        })]);
        await OkAsync(http, HttpMethod.Put, "/collections/flat/points?wait=true", new JsonObject { ["points"] = flat }.ToJsonString());
        await OkAsync(http, HttpMethod.Post, "/collections/aliases", """{"actions": [{"create_alias": {"collection_name": "docs", "alias_name": "documents"}}]}""");
    }

    /// <summary>A balanced tree placed in the disk: depth d at hyperbolic radius 1.6·d, children spread over their parent's angle.</summary>
    public static List<(int Id, string Name, int? Parent, double X, double Y)> Tree()
    {
        var nodes = new List<(int, string, int?, double, double)> { (0, "root", null, 0, 0) };
        var frontier = new List<(int Id, string Name, double From, double To)> { (0, "root", 0, 2 * Math.PI) };
        for (var depth = 1; depth <= Depth; depth++)
        {
            var next = new List<(int, string, double, double)>();
            var r = Math.Tanh(0.8 * depth);
            foreach (var (id, name, from, to) in frontier)
            {
                var width = (to - from) / Branching;
                for (var k = 0; k < Branching; k++)
                {
                    var a = from + (width * (k + 0.5));
                    var child = nodes.Count;
                    var childName = depth == 1 ? $"branch {k}" : $"{name}.{k}";
                    nodes.Add((child, childName, id, r * Math.Cos(a), r * Math.Sin(a)));
                    next.Add((child, childName, from + (width * k), from + (width * (k + 1))));
                }
            }

            frontier = next;
        }

        return nodes;
    }

    private static string Points(List<(int Id, string Name, int? Parent, double X, double Y)> tree, Func<(double X, double Y), double[]> vector) =>
        new JsonObject
        {
            ["points"] = new JsonArray([.. tree.Select(n => (JsonNode)new JsonObject
            {
                ["id"] = n.Id,
                ["vector"] = new JsonArray([.. vector((n.X, n.Y)).Select(x => (JsonNode)x)]),
                ["payload"] = n.Parent is { } p ? new JsonObject { ["name"] = n.Name, ["parent"] = p } : new JsonObject { ["name"] = n.Name },
            })]),
        }.ToJsonString();

    private static async Task CommunicationAsync(HttpClient http)
    {
        await OkAsync(http, HttpMethod.Post, "/namespaces", """{"name": "research", "visibility": "shared", "policy": "shared"}""");
        var keys = new Dictionary<string, string>();
        foreach (var model in new[] { "alpha", "beta" })
        {
            var answer = await OkAsync(http, HttpMethod.Post, "/models", Contract(model, "research"));
            keys[model] = answer.GetProperty("result").GetProperty("api_key").GetString()!;
        }

        await OkAsync(http, HttpMethod.Post, "/mailboxes/beta/messages", """{"text": "hello beta, here is the plan"}""");
        await OkAsync(http, HttpMethod.Put, "/namespaces/research/spaces/ideas", """{"geometry": "poincare", "dimension": 2}""");
        var contributions = new Dictionary<string, double[][]> { ["alpha"] = [[0.1, 0.2], [0.3, -0.1]], ["beta"] = [[0.2, 0.25], [-0.2, 0.1]] };
        foreach (var (model, vectors) in contributions)
        {
            await OkAsync(http, HttpMethod.Post, "/namespaces/research/spaces/ideas/join", """{"capabilities": ["reasoning"]}""", keys[model]);
            for (var i = 0; i < vectors.Length; i++)
            {
                await OkAsync(http, HttpMethod.Post, "/namespaces/research/spaces/ideas/contributions", $$"""{"key": "{{model}}-{{i}}", "vector": [{{vectors[i][0]}}, {{vectors[i][1]}}]}""", keys[model]);
            }
        }
    }

    private static async Task KnowledgeAsync(HttpClient http)
    {
        await OkAsync(http, HttpMethod.Post, "/register?node_id=dash-node&public_key=test-public-key", null);
        foreach (var text in new[] { "Water boils at 100 C at sea level.", "Hyperbolic space embeds trees with low distortion." })
        {
            await OkAsync(http, HttpMethod.Post, "/knowledge", $$$"""{"content": {"text": "{{{text}}}", "generated_by": "dash-node"}, "confidence": {"overall": 0.9}, "reasoning_trace": {"method": "recall", "steps": []}, "metadata": {"domain": "science", "type": "fact"}}""");
        }
    }

    public const int FederatedRounds = 3;

    private static async Task FederatedAsync(HttpClient http)
    {
        await OkAsync(http, HttpMethod.Post, "/fl/tasks", """
            {"task_id": "demo", "rounds": 3, "min_fit_clients": 2, "min_available_clients": 2, "round_timeout_seconds": 600, "seed": 7,
             "strategy": {"name": "fedavg"}, "privacy": {"clipping": "fixed", "noise_multiplier": 1.1, "side": "server", "clipping_norm": 1.0, "delta": 1e-5},
             "tensors": [{"name": "w", "shape": [2], "data": [0, 0]}]}
            """);
        foreach (var client in new[] { "client-a", "client-b" })
        {
            await OkAsync(http, HttpMethod.Post, "/fl/tasks/demo/join", $$"""{"client_id": "{{client}}"}""");
        }

        for (var round = 1; round <= FederatedRounds; round++)
        {
            foreach (var client in new[] { "client-a", "client-b" })
            {
                var loss = 1.0 / (round + 1);
                var accuracy = 0.5 + (0.1 * round);
                await OkAsync(http, HttpMethod.Post, "/fl/tasks/demo/updates", FormattableString.Invariant($$"""{"client_id": "{{client}}", "round": {{round}}, "sample_count": 10, "metrics": {"loss": {{loss}}, "accuracy": {{accuracy}}}, "tensors": [{"name": "w", "shape": [2], "data": [{{0.1 * round}}, 0.5]}]}"""));
            }
        }
    }

    private static string Contract(string id, string ns) => $$$"""
        {"$schema": "https://hypersync.ai/schemas/model_contract_hvs_v1.json", "contract_version": "1.0.0",
         "model": {"id": "{{{id}}}", "name": "Model {{{id}}}", "version": "1.0.0", "type": "llm", "capabilities": ["reasoning"]},
         "hvs_binding": {"hvs_id": "hvs-1", "region": "local", "namespace": "{{{ns}}}", "geometry": "poincare", "dimension": 2},
         "vector_spec": {"input_dimension": 64, "output_dimension": 2, "encoding": "geometric", "encoder": {"type": "mlp"}},
         "communication_protocol": {"message_format": "json", "encoding": "utf-8", "max_message_size_bytes": 65536, "timeout_ms": 5000, "retry": {"max_attempts": 3, "backoff_ms": [100, 500, 2000]}},
         "permissions": {"read_namespaces": ["*"], "write_namespaces": ["{{{ns}}}"], "broadcast": true, "query_other_models": true},
         "resource_limits": {"max_vectors_per_second": 1000, "max_storage_mb": 64, "max_queries_per_second": 1000},
         "health_check": {"endpoint": "/health", "interval_seconds": 30, "timeout_seconds": 5}}
        """;

    public static async Task<JsonElement> OkAsync(HttpClient http, HttpMethod method, string path, string? body, string? key = null)
    {
        var (status, answer) = await SendAsync(http, method, path, body, key);
        if (status is < 200 or > 299)
        {
            throw new InvalidOperationException($"{method} {path} answered {status}: {answer}");
        }

        return answer;
    }

    public static async Task<(int Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? body, string? key = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("api-key", key ?? DashboardServer.AdminKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
