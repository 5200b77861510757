using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using RoseForest.Communication.Http.Http;

namespace RoseForest.Communication.Tests;

/// <summary>
/// Walks every route of the server (read from its endpoint table, so a new route cannot be
/// missed) with the key of model alice (namespace ns-a) against the resources of model bob
/// (namespace ns-b, whose policy toward ns-a is strict), and on alice's own collection.
/// </summary>
public class RouteTableTests
{
    /// <summary>Communication routes any model may call on another's resources (they reveal only what the caller may see).</summary>
    private static readonly HashSet<string> CrossAllowed =
    [
        "GET /contracts/schema", "GET /models", "GET /a2a/{model}/.well-known/agent-card.json", "POST /states/similar", "POST /mailboxes/broadcast",
    ];

    /// <summary>Communication routes that must refuse alice on bob's resources (403, or 404 where existence is hidden).</summary>
    private static readonly HashSet<string> CrossDenied =
    [
        "POST /models", "GET /models/{model}", "PUT /models/{model}/contract", "GET /models/{model}/contract/history", "POST /models/{model}/key", "DELETE /models/{model}",
        "POST /namespaces", "GET /namespaces/{ns}", "POST /namespaces/{ns}/grants", "POST /namespaces/{ns}/revoke", "PUT /namespaces/{ns}/policy", "POST /namespaces/query",
        "POST /namespaces/{ns}/rebuild", "POST /namespaces/{ns}/rebuild/verify",
        "POST /mailboxes/{model}/messages", "POST /mailboxes/{model}/receive", "GET /mailboxes/{model}/stream", "POST /mailboxes/{model}/ack", "POST /mailboxes/{model}/search", "GET /mailboxes/{model}",
        "GET /mailboxes/{model}/messages/{id}", "DELETE /mailboxes/{model}/messages/{id}",
        "PUT /namespaces/{ns}/spaces/{space}", "GET /namespaces/{ns}/spaces/{space}", "POST /namespaces/{ns}/spaces/{space}/join", "PUT /namespaces/{ns}/spaces/{space}/members/{model}/trust",
        "POST /namespaces/{ns}/spaces/{space}/contributions", "POST /namespaces/{ns}/spaces/{space}/query", "POST /namespaces/{ns}/spaces/{space}/consensus",
        "PUT /models/{model}/state/schema", "PUT /models/{model}/state", "GET /models/{model}/state", "POST /models/{model}/state/subscribe", "GET /models/{model}/spine", "POST /spine",
        "POST /a2a/{model}/message:send", "GET /a2a/{model}/tasks/{id}", "POST /a2a/{model}", "POST /a2a/{model}/message:stream",
        "POST /a2a/{model}/tasks/{id}:cancel", "POST /a2a/{model}/tasks/{id}:subscribe",
    ];

    [Fact]
    public async Task Every_route_allows_and_refuses_model_keys_as_the_table_says()
    {
        await using var server = await CommServer.StartAsync();
        var aliceKey = await server.RegisterAsync(Fixtures.Contract("alice", "ns-a", geometry: "euclidean", dimension: 2, write: ["ns-a", "ns-b"]));
        var bobKey = await server.RegisterAsync(Fixtures.Contract("bob", "ns-b", geometry: "euclidean", dimension: 2));
        using var admin = server.Client(CommServer.AdminKey);
        using var bob = server.Client(bobKey);
        using var alice = server.Client(aliceKey);
        using var anonymous = new HttpClient { BaseAddress = server.Server.BaseAddress };
        foreach (var collection in new[] { "ns-a__docs", "ns-b__docs" })
        {
            (await admin.PutAsync($"/collections/{collection}", Json("""{"vectors":{"size":2,"distance":"Euclid"}}"""))).EnsureSuccessStatusCode();
        }

        (await bob.PutAsync("/namespaces/ns-b/policy", Json("""{"peers":{"ns-a":"strict"}}"""))).EnsureSuccessStatusCode();
        (await bob.PutAsync("/namespaces/ns-b/spaces/s", Json("""{"geometry":"euclid","dimension":2}"""))).EnsureSuccessStatusCode();

        var vector = new JsonArray([.. Enumerable.Repeat(0.1, 64).Select(x => (JsonNode)x)]);
        var body = new JsonObject
        {
            ["model"] = "alice", ["rights"] = new JsonArray("read", "write"), ["text"] = "hello", ["ids"] = new JsonArray(Guid.NewGuid().ToString()), ["vector"] = vector,
            ["schema"] = new JsonObject { ["type"] = "object" }, ["state"] = new JsonObject { ["goal"] = "x" }, ["documents"] = new JsonArray("doc"), ["collection"] = "docs",
            ["namespaces"] = new JsonArray("ns-b"), ["geometry"] = "euclid", ["dimension"] = 2, ["key"] = "k", ["capabilities"] = new JsonArray(), ["trust"] = 1, ["max"] = 1,
            ["name"] = "zz", ["visibility"] = "public", ["policy"] = "federated", ["message"] = new JsonObject { ["messageId"] = "m1", ["parts"] = new JsonArray(new JsonObject { ["text"] = "hi" }) },
            ["points"] = new JsonArray(new JsonObject { ["id"] = 1, ["vector"] = new JsonArray(0.1, 0.2) }), ["limit"] = 1,
        }.ToJsonString();

        var bobSpine = await (await bob.GetAsync("/models/bob/spine")).Content.ReadAsByteArrayAsync();
        var routes = server.Server.Routes;
        var checkedRoutes = 0;
        var failures = new List<string>();
        foreach (var endpoint in routes)
        {
            var pattern = endpoint.RoutePattern.RawText!;
            pattern = pattern.StartsWith('/') ? pattern : "/" + pattern;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                // gRPC services (Qdrant's /qdrant.* and the standard health service) are mapped on the
                // same endpoint table but speak HTTP/2 only: GrpcModelKeyTests walks their methods.
                if (IsOpen(pattern) || pattern.StartsWith("/qdrant.", StringComparison.Ordinal) || pattern.StartsWith("/grpc.", StringComparison.Ordinal))
                {
                    continue;
                }

                var request = new HttpRequestMessage(new HttpMethod(method), Fill(pattern, "bob", "ns-b", "ns-b__docs"));
                var rule = endpoint.Metadata.GetMetadata<CommunicationRoute>() is not null ? RouteRule.Communication : RouteAccess.Classify(pattern, method, IsRead(method, pattern));
                var key = $"{method} {pattern}";
                if (rule == RouteRule.Communication && !CrossAllowed.Contains(key) && !CrossDenied.Contains(key))
                {
                    failures.Add($"{key}: a communication route missing from the table");
                    continue;
                }

                // Without a key: 401 everywhere.
                var none = await anonymous.SendAsync(Clone(request, body));
                if (none.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{key}: no key gave {(int)none.StatusCode}");
                }

                // On /mcp the walk's body is no mailbox tool call, so a model key is refused there too (McpToolTests covers the allowed calls).
                var denied = rule is RouteRule.AdminOnly or RouteRule.McpTools || rule is RouteRule.CollectionRead or RouteRule.CollectionWrite or RouteRule.CollectionAdmin || CrossDenied.Contains(key);
                var aliceRequest = Clone(request, body);
                if (key == "POST /spine")
                {
                    aliceRequest.Content = new ByteArrayContent(bobSpine);
                }
                else if (key == "POST /a2a/{model}")
                {
                    // The JSON-RPC door: a real SendMessage, refused because ns-b is strict toward ns-a.
                    aliceRequest.Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":{"messageId":"m1","parts":[{"text":"hi"}]}}}""", Encoding.UTF8, "application/json");
                }

                var response = await alice.SendAsync(aliceRequest);
                var status = (int)response.StatusCode;
                if (denied && status is not (403 or 404))
                {
                    failures.Add($"{key}: alice on bob's got {status}, expected 403/404: {await response.Content.ReadAsStringAsync()}");
                }
                else if (!denied && status is 401 or 403)
                {
                    failures.Add($"{key}: alice got {status}, expected to pass");
                }

                if (rule is RouteRule.CollectionRead or RouteRule.CollectionWrite)
                {
                    var own = await alice.SendAsync(Clone(new HttpRequestMessage(new HttpMethod(method), Fill(pattern, "alice", "ns-a", "ns-a__docs")), body));
                    if ((int)own.StatusCode is 401 or 403)
                    {
                        failures.Add($"{key}: alice on her own collection got {(int)own.StatusCode}");
                    }
                }

                checkedRoutes++;
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(checkedRoutes > 80, $"only {checkedRoutes} routes were walked");
    }

    /// <summary>The health probes and the dashboard's static files (no data: the pages call the API with the user's key), open to all.</summary>
    private static bool IsOpen(string pattern) => pattern is "/" or "/healthz" or "/livez" or "/readyz" or "/health" or "/dashboard/{**path}";

    private static bool IsRead(string method, string pattern)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = Fill(pattern, "bob", "ns-b", "ns-b__docs");
        return Server.KeyHolders.IsRead(context.Request);
    }

    private static string Fill(string pattern, string model, string ns, string collection)
    {
        var path = pattern.Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal)
            .Replace("{name}", collection, StringComparison.Ordinal).Replace("{model}", model, StringComparison.Ordinal).Replace("{ns}", ns, StringComparison.Ordinal)
            .Replace("{space}", "s", StringComparison.Ordinal).Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("{route}", "search", StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", "x");
    }

    private static HttpRequestMessage Clone(HttpRequestMessage request, string body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri);
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && request.Method != HttpMethod.Delete)
        {
            copy.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return copy;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
