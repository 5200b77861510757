using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RoseForest.Knowledge.Http.Sync;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Http.Http;

/// <summary>
/// The knowledge and sync routes answer unwrapped JSON, as the YumeiCHAIN client reads it; errors
/// are <c>{"status": "error", "message": …}</c> with 400 (bad input, naming the field), 401 (no or
/// unknown key), 403 (a key that may not do this, a signature that does not verify), 404, 429 (with
/// <c>Retry-After</c>), 502 (a sync peer failed), 503 (a faulted collection).
/// </summary>
internal static partial class Answers
{
    public static async Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(context.Response.BodyWriter);
        write(w);
        await w.FlushAsync(context.RequestAborted);
    }

    public static Task ErrorAsync(HttpContext context, int status, string message, int? retryAfterSeconds = null)
    {
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return JsonAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", "error");
            w.WriteString("message", message);
            w.WriteEndObject();
        });
    }

    /// <summary>Runs a route, turning exceptions into the error answers above.</summary>
    public static async Task GuardAsync(HttpContext context, ILogger logger, Func<Task> route)
    {
        try
        {
            await route();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, message, retry) = Map(e);
            if (status >= 500 && e is not SyncPeerException)
            {
                LogFault(logger, context.Request.Method, context.Request.Path, e);
            }

            await ErrorAsync(context, status, message, retry);
        }
    }

    internal static (int Status, string Message, int? RetryAfter) Map(Exception e) => e switch
    {
        KnowledgeHttpException h => (h.Status, h.Message, h.RetryAfterSeconds),
        KnowledgeValidationException v => (400, $"Wrong input: {v.Message}", null),
        ValidationException v => (400, $"Wrong input: {v.Message}", null),
        JsonException j => (400, $"Format error in JSON body: {j.Message}", null),
        BadHttpRequestException b => (b.StatusCode, $"Bad request: {b.Message}", null),
        NotFoundException n => (404, $"Not found: {n.Message}", null),
        CollectionFaultedException f => (503, $"Service unavailable: {f.Message}", null),
        SyncPeerException p => (502, p.Message, null),
        HttpRequestException r => (502, $"Sync peer unreachable: {r.Message}", null),
        _ => (500, $"Service internal error: {e.Message}", null),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFault(ILogger logger, string method, string path, Exception error);
}
