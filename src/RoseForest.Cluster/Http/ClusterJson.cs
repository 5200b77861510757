using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RoseForest.Cluster.Http;

/// <summary>The cluster routes' answers in Qdrant's envelope (<c>{"result", "status": "ok", "time"}</c> / <c>{"status": {"error"}}</c>).</summary>
internal static class ClusterJson
{
    public static async Task WriteResultAsync(HttpContext context, Action<Utf8JsonWriter> result, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            w.WriteStartObject();
            w.WritePropertyName("result");
            result(w);
            w.WriteString("status", "ok");
            w.WriteNumber("time", 0);
            w.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            w.WriteStartObject();
            w.WriteStartObject("status");
            w.WriteString("error", message);
            w.WriteEndObject();
            w.WriteNumber("time", 0);
            w.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The request body as a JSON object (empty body: an empty object).</summary>
    public static async Task<JsonElement> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return Contracts.Qdrant.JsonFields.ParseBody(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
