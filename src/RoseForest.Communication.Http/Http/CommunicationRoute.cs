using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Communication.Access;
using RoseForest.Server;

namespace RoseForest.Communication.Http.Http;

/// <summary>Endpoint metadata marking a communication route: it authorizes its caller through the hub itself.</summary>
internal sealed class CommunicationRoute
{
    public static CommunicationRoute Instance { get; } = new();
}

/// <summary>Maps communication routes: each runs its handler with the caller and the hub and writes the envelope or the error.</summary>
internal static class Routes
{
    public delegate Task<Microsoft.AspNetCore.Http.IResult?> Handler(HttpContext context, Caller caller, CommunicationHub hub);

    public delegate Task<System.Text.Json.Nodes.JsonNode?> JsonHandler(HttpContext context, Caller caller, CommunicationHub hub);

    /// <summary>The caller of a request: the model whose key it carries, else the administrator (the server's key, or an open server).</summary>
    public static Caller CallerOf(HttpContext context) => (context.Items[KeyHolders.ItemKey] as ModelKey)?.Caller ?? Caller.Admin;

    public static void Json(this IEndpointRouteBuilder app, string method, string pattern, HubHolder holder, JsonHandler handler, int status = StatusCodes.Status200OK) =>
        app.MapMethods(pattern, [method], async (HttpContext context) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            System.Text.Json.Nodes.JsonNode? result;
            try
            {
                result = await handler(context, CallerOf(context), holder.Hub);
            }
            catch (Exception e) when (Answers.IsExpected(e))
            {
                await Answers.WriteErrorAsync(context, e);
                return;
            }

            await Answers.WriteAsync(context, result, started, status);
        }).WithMetadata(CommunicationRoute.Instance);

    public static void Raw(this IEndpointRouteBuilder app, string method, string pattern, HubHolder holder, Func<HttpContext, Caller, CommunicationHub, Task> handler) =>
        app.MapMethods(pattern, [method], async (HttpContext context) =>
        {
            try
            {
                await handler(context, CallerOf(context), holder.Hub);
            }
            catch (Exception e) when (Answers.IsExpected(e) && !context.Response.HasStarted)
            {
                await Answers.WriteErrorAsync(context, e);
            }
        }).WithMetadata(CommunicationRoute.Instance);
}
