using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RoseForest.Contracts.Qdrant;

namespace RoseForest.Server.Http;

/// <summary>Request bodies and query strings, read strictly (see <see cref="JsonFields"/>).</summary>
internal static class HttpBodies
{
    /// <summary>The body as JSON (duplicate names refused); an empty body is an empty object.</summary>
    public static async Task<JsonElement> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return JsonFields.ParseBody(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>A boolean query-string parameter (absent: the default).</summary>
    public static bool QueryBool(HttpContext context, string name, bool defaultValue)
    {
        var raw = context.Request.Query[name];
        if (raw.Count == 0)
        {
            return defaultValue;
        }

        return bool.TryParse(raw[0], out var b) ? b : throw new ValidationException(name, $"query parameter must be true or false, got '{raw[0]}'.");
    }

    /// <summary>A long query-string parameter (absent: the default).</summary>
    public static long QueryLong(HttpContext context, string name, long defaultValue)
    {
        var raw = context.Request.Query[name];
        if (raw.Count == 0)
        {
            return defaultValue;
        }

        return long.TryParse(raw[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ValidationException(name, $"query parameter must be an integer, got '{raw[0]}'.");
    }

    /// <summary>The limits the server reads requests with.</summary>
    public static QdrantJson.Limits Limits(RestApiOptions options) => new() { MaxBatchPoints = options.MaxBatchPoints, MaxLimit = options.MaxLimit };
}
