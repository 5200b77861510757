using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RoseForest.Server.Http;

/// <summary>
/// Qdrant's response envelopes: <c>{"result": …, "status": "ok", "time": seconds}</c> and
/// <c>{"status": {"error": "…"}, "time": seconds}</c>, written straight to the response pipe.
/// </summary>
internal static class ApiResponse
{
    private const string StartKey = "roseforest.start";

    public static void MarkStart(HttpContext context) => context.Items[StartKey] = Stopwatch.GetTimestamp();

    public static double Elapsed(HttpContext context) =>
        context.Items.TryGetValue(StartKey, out var start) && start is long t ? Stopwatch.GetElapsedTime(t).TotalSeconds : 0;

    public static async Task WriteResultAsync(HttpContext context, Action<Utf8JsonWriter> result, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result");
            result(writer);
            writer.WriteString("status", "ok");
            writer.WriteNumber("time", Elapsed(context));
            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public static Task WriteResultAsync(HttpContext context, bool value) => WriteResultAsync(context, w => w.WriteBooleanValue(value));

    /// <summary>202 with <c>{"status":"accepted"}</c>, for snapshot operations run with wait=false.</summary>
    public static async Task WriteAcceptedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteString("status", "accepted");
            writer.WriteNumber("time", Elapsed(context));
            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
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
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("status");
            writer.WriteString("error", message);
            writer.WriteEndObject();
            writer.WriteNumber("time", Elapsed(context));
            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
