using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Communication.Http.Http;
using RoseForest.Communication.States;

namespace RoseForest.Communication.Http.Routes;

/// <summary>The state registry and the spine.</summary>
internal static class StateRoutes
{
    /// <summary>The largest spine file accepted (64 MiB).</summary>
    private const int MaxSpineBytes = 64 << 20;

    public static void Map(IEndpointRouteBuilder app, HubHolder holder)
    {
        app.Json("PUT", "/models/{model}/state/schema", holder, async (ctx, caller, hub) =>
            Describe(await hub.RegisterStateAsync(caller, ContractRoutes.Model(ctx), (await Answers.BodyAsync(ctx))["schema"], ctx.RequestAborted)));
        app.Json("PUT", "/models/{model}/state", holder, async (ctx, caller, hub) =>
            Describe(await hub.UpdateStateAsync(caller, ContractRoutes.Model(ctx), (await Answers.BodyAsync(ctx))["state"], ctx.RequestAborted)));
        app.Json("GET", "/models/{model}/state", holder, (ctx, caller, hub) => Task.FromResult<JsonNode?>(Describe(hub.GetState(caller, ContractRoutes.Model(ctx)))));
        app.Json("POST", "/models/{model}/state/subscribe", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            return Describe(await hub.SubscribeStateAsync(caller, ContractRoutes.Model(ctx), Read.Bool(body, "subscribe") ?? true, ctx.RequestAborted));
        });
        app.Json("POST", "/states/similar", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var hits = await hub.FindSimilarStatesAsync(caller, body["state"], Read.Int(body, "k") ?? 5, ctx.RequestAborted);
            return Read.Array(hits, h =>
            {
                var d = Describe(h.State);
                d["score"] = h.Score;
                return d;
            });
        });
        app.Raw("GET", "/models/{model}/spine", holder, async (ctx, caller, hub) =>
        {
            var file = await hub.ExportSpineAsync(caller, ContractRoutes.Model(ctx), ctx.RequestAborted);
            ctx.Response.ContentType = "application/octet-stream";
            ctx.Response.Headers.ContentDisposition = $"attachment; filename=\"{ContractRoutes.Model(ctx)}.rfspine\"";
            await ctx.Response.Body.WriteAsync(file, ctx.RequestAborted);
        });
        app.Json("POST", "/spine", holder, async (ctx, caller, hub) =>
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
            if (buffer.Length > MaxSpineBytes)
            {
                throw new PayloadTooLargeException($"a spine file may have at most {MaxSpineBytes} bytes.");
            }

            var restored = await hub.ImportSpineAsync(caller, buffer.ToArray(), ctx.RequestAborted);
            return new JsonObject { ["contributions"] = restored };
        });
        _ = StatusCodes.Status200OK;
    }

    private static JsonObject Describe(ModelState s) => new()
    {
        ["model"] = s.Model,
        ["namespace"] = s.Namespace,
        ["version"] = s.Version,
        ["updated_at"] = s.UpdatedAt?.ToString("O"),
        ["schema"] = s.Schema.DeepClone(),
        ["state"] = s.State?.DeepClone(),
        ["subscribers"] = Read.Array(s.Subscribers, x => x),
    };
}
