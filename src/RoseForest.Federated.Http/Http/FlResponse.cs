using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RoseForest.Federated.Http.Http;

/// <summary>
/// The /fl routes answer in the server's envelope: <c>{"result": …, "status": "ok", "time": s}</c>,
/// and errors as <c>{"status": {"error": "…", "code": "…"}, "time": s}</c> (the code is an addition for clients to branch on).
/// </summary>
internal static class FlResponse
{
    /// <summary>Writes the success envelope; the result is rendered into a buffer first, so an exception while rendering leaves the response untouched for the error envelope.</summary>
    public static async Task WriteAsync(HttpContext context, long started, Action<Utf8JsonWriter> result, int status = StatusCodes.Status200OK)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("result");
            result(w);
            w.WriteString("status", "ok");
            w.WriteNumber("time", Stopwatch.GetElapsedTime(started).TotalSeconds);
            w.WriteEndObject();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    public static async Task WriteBytesAsync(HttpContext context, string contentType, byte[] body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public static async Task WriteErrorAsync(HttpContext context, long started, int status, string code, string message)
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
            w.WriteString("code", code);
            w.WriteEndObject();
            w.WriteNumber("time", Stopwatch.GetElapsedTime(started).TotalSeconds);
            w.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
