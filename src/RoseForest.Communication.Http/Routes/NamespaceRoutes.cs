using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using RoseForest.Communication.Access;
using RoseForest.Communication.Http.Http;
using RoseForest.Communication.Spine;

namespace RoseForest.Communication.Http.Routes;

/// <summary>Namespaces: creation, grants and revokes, policies, the cross-namespace query, and rebuilding from documents.</summary>
internal static class NamespaceRoutes
{
    public static void Map(IEndpointRouteBuilder app, HubHolder holder)
    {
        app.Json("POST", "/namespaces", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var ns = await hub.CreateNamespaceAsync(caller, Read.Text(body, "name", required: true)!, Read.Text(body, "owner"),
                AccessNames.ParseVisibility(Read.Text(body, "visibility") ?? "private", "visibility"), AccessNames.ParsePolicy(Read.Text(body, "policy") ?? "shared", "policy"), ctx.RequestAborted);
            return Describe(ns);
        });
        app.Json("GET", "/namespaces/{ns}", holder, (ctx, caller, hub) => Task.FromResult<JsonNode?>(Describe(hub.GetNamespace(caller, Ns(ctx)))));
        app.Json("POST", "/namespaces/{ns}/grants", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            return Describe(await hub.GrantAsync(caller, Ns(ctx), Read.Text(body, "model", required: true)!, Rights(body), ctx.RequestAborted));
        });
        app.Json("POST", "/namespaces/{ns}/revoke", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            return Describe(await hub.RevokeAsync(caller, Ns(ctx), Read.Text(body, "model", required: true)!, Rights(body), ctx.RequestAborted));
        });
        app.Json("PUT", "/namespaces/{ns}/policy", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            Dictionary<string, IsolationPolicy?>? peers = null;
            if (body["peers"] is JsonObject p)
            {
                peers = p.ToDictionary(kv => kv.Key, kv => kv.Value is null ? (IsolationPolicy?)null : AccessNames.ParsePolicy(kv.Value.GetValue<string>(), $"peers.{kv.Key}"));
            }

            var visibility = Read.Text(body, "visibility") is { } v ? AccessNames.ParseVisibility(v, "visibility") : (Visibility?)null;
            var policy = Read.Text(body, "policy") is { } pol ? AccessNames.ParsePolicy(pol, "policy") : (IsolationPolicy?)null;
            return Describe(await hub.SetPolicyAsync(caller, Ns(ctx), visibility, policy, peers, ctx.RequestAborted));
        });
        app.Json("POST", "/namespaces/query", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var hits = await hub.QueryCrossNamespaceAsync(caller, Read.Strings(body, "namespaces", required: true), Read.Text(body, "collection", required: true)!,
                Read.Vector(body, "vector", required: true)!, Read.Int(body, "limit") ?? 10, ctx.RequestAborted);
            return Read.Array(hits, h => new JsonObject
            {
                ["namespace"] = h.Namespace,
                ["id"] = h.Point.Id.ToString(),
                ["score"] = h.Point.Score,
                ["payload"] = h.Point.Payload is { } pl ? JsonNode.Parse(pl.GetRawText()) : null,
            });
        });
        app.Json("POST", "/namespaces/{ns}/rebuild", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var count = await hub.RebuildFromDocumentsAsync(caller, Ns(ctx), Read.Text(body, "collection") ?? "documents", Documents(body), ctx.RequestAborted);
            return new JsonObject { ["upserted"] = count };
        });
        app.Json("POST", "/namespaces/{ns}/rebuild/verify", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var r = await hub.VerifyRebuildAsync(caller, Ns(ctx), Read.Text(body, "collection") ?? "documents", Documents(body), ctx.RequestAborted);
            return new JsonObject { ["total_vectors"] = r.TotalVectors, ["matched"] = r.Matched, ["mismatched"] = r.Mismatched, ["missing"] = r.Missing, ["extra"] = r.Extra };
        });
    }

    public static string Ns(Microsoft.AspNetCore.Http.HttpContext ctx) => (string)ctx.Request.RouteValues["ns"]!;

    private static Rights Rights(JsonObject body) =>
        Read.Strings(body, "rights", required: true).Select((r, i) => AccessNames.ParseRight(r, $"rights[{i}]")).Aggregate(Access.Rights.None, (a, b) => a | b);

    private static List<SourceDocument> Documents(JsonObject body)
    {
        if (body["documents"] is not JsonArray docs)
        {
            throw new ValidationException("documents", "is required (a list of {text, metadata}).");
        }

        return [.. docs.Select((d, i) => d is JsonObject o
            ? new SourceDocument(Read.Text(o, "text", required: true)!, Read.Element(o, "metadata"))
            : d is JsonValue v && v.TryGetValue<string>(out var s) ? new SourceDocument(s) : throw new ValidationException($"documents[{i}]", "must be a string or {text, metadata}."))];
    }

    public static JsonObject Describe(NamespaceRecord ns) => new()
    {
        ["name"] = ns.Name,
        ["owner"] = ns.Owner,
        ["visibility"] = AccessNames.Name(ns.Visibility),
        ["policy"] = AccessNames.Name(ns.Policy),
        ["peers"] = new JsonObject([.. ns.PeerPolicies.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)AccessNames.Name(p.Value)))]),
        ["grants"] = new JsonObject([.. ns.Grants.Select(g => KeyValuePair.Create(g.Key, (JsonNode?)Read.Array(AccessNames.Names(g.Value), n => n)))]),
    };
}
