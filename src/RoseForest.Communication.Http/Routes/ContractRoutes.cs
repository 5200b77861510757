using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using RoseForest.Communication.Contracts;
using RoseForest.Communication.Http.Http;
using RoseForest.Communication.Registry;

namespace RoseForest.Communication.Http.Routes;

/// <summary>Contracts and identities: the schema, registration (the key is shown once), contract versions, key rotation.</summary>
internal static class ContractRoutes
{
    public static void Map(IEndpointRouteBuilder app, HubHolder holder)
    {
        app.Json("GET", "/contracts/schema", holder, (_, _, _) => Task.FromResult(JsonNode.Parse(ContractSchema.Json)));
        app.Json("POST", "/models", holder, async (ctx, caller, hub) =>
        {
            var (model, key) = await hub.RegisterAsync(caller, await Answers.BodyAsync(ctx), ctx.RequestAborted);
            var result = Describe(model);
            result["api_key"] = key;
            return result;
        });
        app.Json("GET", "/models", holder, (_, caller, hub) => Task.FromResult<JsonNode?>(Read.Array(hub.ListModels(caller), m => Describe(m))));
        app.Json("GET", "/models/{model}", holder, (ctx, caller, hub) =>
        {
            var m = hub.GetModel(caller, Model(ctx));
            var result = Describe(m);
            result["contract"] = m.Contract.Document.DeepClone();
            return Task.FromResult<JsonNode?>(result);
        });
        app.Json("PUT", "/models/{model}/contract", holder, async (ctx, caller, hub) =>
            Describe(await hub.UpdateContractAsync(caller, Model(ctx), await Answers.BodyAsync(ctx), ctx.RequestAborted)));
        app.Json("GET", "/models/{model}/contract/history", holder, (ctx, caller, hub) =>
            Task.FromResult<JsonNode?>(Read.Array(hub.GetModel(caller, Model(ctx)).History, h => new JsonObject { ["version"] = h.Version, ["at"] = h.At.ToString("O"), ["contract"] = h.Contract.DeepClone() })));
        app.Json("POST", "/models/{model}/key", holder, async (ctx, caller, hub) => new JsonObject { ["api_key"] = await hub.RotateKeyAsync(caller, Model(ctx), ctx.RequestAborted) });
        app.Json("DELETE", "/models/{model}", holder, async (ctx, caller, hub) => new JsonObject { ["removed"] = await hub.RemoveModelAsync(caller, Model(ctx), ctx.RequestAborted) });
    }

    public static string Model(Microsoft.AspNetCore.Http.HttpContext ctx) => (string)ctx.Request.RouteValues["model"]!;

    public static JsonObject Describe(ModelRecord m) => new()
    {
        ["id"] = m.Id,
        ["name"] = m.Contract.Name,
        ["type"] = m.Contract.Type,
        ["version"] = m.Version,
        ["namespace"] = m.Contract.Namespace,
        ["geometry"] = GeometryInfo.Name(m.Contract.Geometry),
        ["dimension"] = m.Contract.Dimension,
        ["ambient_dimension"] = m.Contract.AmbientDimension,
        ["capabilities"] = Read.Array(m.Contract.Capabilities, c => c),
        ["registered_at"] = m.RegisteredAt.ToString("O"),
    };
}
