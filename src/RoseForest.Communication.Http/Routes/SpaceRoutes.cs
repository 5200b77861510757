using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using RoseForest.Communication.Contracts;
using RoseForest.Communication.Http.Http;
using RoseForest.Communication.Spaces;

namespace RoseForest.Communication.Http.Routes;

/// <summary>Shared spaces: create, join, contribute, query, consensus.</summary>
internal static class SpaceRoutes
{
    public static void Map(IEndpointRouteBuilder app, HubHolder holder)
    {
        const string Space = "/namespaces/{ns}/spaces/{space}";
        app.Json("PUT", Space, holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var geometryName = Read.Text(body, "geometry", required: true)!;
            var geometry = ContractParser.Geometries.TryGetValue(geometryName, out var g) ? g : GeometryInfo.Parse(geometryName, "geometry");
            var weighting = Read.Text(body, "weighting") ?? "equal";
            if (weighting is not ("equal" or "trust"))
            {
                throw new ValidationException("weighting", "must be equal or trust.");
            }

            return Describe(await hub.CreateSpaceAsync(caller, NamespaceRoutes.Ns(ctx), SpaceName(ctx), geometry, Read.Int(body, "dimension") ?? throw new ValidationException("dimension", "is required."),
                Read.Number(body, "curvature") ?? 1, weighting == "trust", ctx.RequestAborted));
        });
        app.Json("GET", Space, holder, (ctx, caller, hub) => Task.FromResult<JsonNode?>(Describe(hub.GetSpace(caller, NamespaceRoutes.Ns(ctx), SpaceName(ctx)))));
        app.Json("POST", Space + "/join", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            return Describe(await hub.JoinSpaceAsync(caller, NamespaceRoutes.Ns(ctx), SpaceName(ctx), Read.Strings(body, "capabilities"), ctx.RequestAborted));
        });
        app.Json("PUT", Space + "/members/{model}/trust", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            return Describe(await hub.SetTrustAsync(caller, NamespaceRoutes.Ns(ctx), SpaceName(ctx), ContractRoutes.Model(ctx), Read.Number(body, "trust") ?? throw new ValidationException("trust", "is required."), ctx.RequestAborted));
        });
        app.Json("POST", Space + "/contributions", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var c = await hub.ContributeAsync(caller, NamespaceRoutes.Ns(ctx), SpaceName(ctx), Read.Text(body, "key", required: true)!, Read.Vector(body, "vector", required: true)!, Read.Element(body, "value"), ctx.RequestAborted);
            return Describe(c);
        });
        app.Json("POST", Space + "/query", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var hits = await hub.QuerySharedAsync(caller, NamespaceRoutes.Ns(ctx), SpaceName(ctx), Read.Vector(body, "vector", required: true)!, Read.Int(body, "k") ?? 10, ctx.RequestAborted);
            return Read.Array(hits, h => Describe(h));
        });
        app.Json("POST", Space + "/consensus", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var r = await hub.ConsensusAsync(caller, NamespaceRoutes.Ns(ctx), SpaceName(ctx), Read.Vector(body, "vector"), Read.Int(body, "k") ?? 10, ctx.RequestAborted);
            return new JsonObject
            {
                ["mean"] = Read.Array(r.Mean, x => x),
                ["dispersion"] = r.Dispersion,
                ["contributions"] = r.Contributions,
                ["contributors"] = r.Contributors,
                ["converged"] = r.Converged,
                ["weights"] = new JsonObject([.. r.Weights.Select(w => KeyValuePair.Create(w.Key, (JsonNode?)w.Value))]),
            };
        });
    }

    private static string SpaceName(Microsoft.AspNetCore.Http.HttpContext ctx) => (string)ctx.Request.RouteValues["space"]!;

    private static JsonObject Describe(SpaceRecord s) => new()
    {
        ["namespace"] = s.Namespace,
        ["name"] = s.Name,
        ["geometry"] = GeometryInfo.Name(s.Geometry),
        ["dimension"] = s.Dimension,
        ["curvature"] = s.Curvature,
        ["weighting"] = s.TrustWeighted ? "trust" : "equal",
        ["members"] = new JsonObject([.. s.Members.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)new JsonObject { ["capabilities"] = Read.Array(m.Value.Capabilities, c => c), ["trust"] = m.Value.Trust }))]),
    };

    private static JsonObject Describe(Contribution c) => new()
    {
        ["key"] = c.Key,
        ["model"] = c.Model,
        ["version"] = c.Version,
        ["at"] = c.At.ToString("O"),
        ["vector"] = Read.Array(c.Vector, x => x),
        ["value"] = c.Value is { } v ? JsonNode.Parse(v.GetRawText()) : null,
        ["score"] = c.Score,
    };
}
