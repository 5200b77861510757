using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RoseForest.Communication.Http.Http;

/// <summary>The communication routes' envelope (Qdrant's: <c>result</c>, <c>status</c>, <c>time</c>) and their error mapping.</summary>
internal static class Answers
{
    public static (int Status, string Message) Map(Exception e) => e switch
    {
        ValidationException v => (StatusCodes.Status400BadRequest, $"Wrong input: {v.Field}: {v.Message}"),
        JsonException j => (StatusCodes.Status400BadRequest, $"Format error in JSON body: {j.Message}"),
        FormatException f => (StatusCodes.Status400BadRequest, $"Wrong input: {f.Message}"),
        InvalidOperationException { Source: "System.Text.Json" } t => (StatusCodes.Status400BadRequest, $"Wrong input: {t.Message}"),
        AccessDeniedException a => (StatusCodes.Status403Forbidden, $"Forbidden: {a.Message}"),
        NotFoundException n => (StatusCodes.Status404NotFound, $"Not found: {n.Message}"),
        ConflictException c => (StatusCodes.Status409Conflict, $"Conflict: {c.Message}"),
        PayloadTooLargeException p => (StatusCodes.Status413PayloadTooLarge, $"Too large: {p.Message}"),
        RateLimitedException r => (StatusCodes.Status429TooManyRequests, $"Too many requests: {r.Message}"),
        BadHttpRequestException h => (h.StatusCode, $"Bad request: {h.Message}"),
        _ => (StatusCodes.Status500InternalServerError, $"Service internal error: {e.Message}"),
    };

    public static bool IsExpected(Exception e) => e is RoseForestException or JsonException or FormatException or BadHttpRequestException || (e is InvalidOperationException { Source: "System.Text.Json" });

    public static async Task WriteErrorAsync(HttpContext context, Exception e)
    {
        var (status, message) = Map(e);
        if (e is RateLimitedException r)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(r.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var body = new JsonObject { ["status"] = new JsonObject { ["error"] = message }, ["time"] = 0 };
        if (e is ValidationException v)
        {
            body["field"] = v.Field;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    public static async Task WriteAsync(HttpContext context, JsonNode? result, long started, int status = StatusCodes.Status200OK)
    {
        var body = new JsonObject { ["result"] = result, ["status"] = "ok", ["time"] = Stopwatch.GetElapsedTime(started).TotalSeconds };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    /// <summary>Reads the request body as a JSON object (400 when it is not one).</summary>
    public static async Task<JsonObject> BodyAsync(HttpContext context)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw new ValidationException("body", $"not JSON: {e.Message}");
        }

        return node as JsonObject ?? throw new ValidationException("body", "must be a JSON object.");
    }
}
