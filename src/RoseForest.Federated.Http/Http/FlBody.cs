using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Http;

/// <summary>Request bodies: JSON, or a tensor frame when the content type says so; and the client's choice of response form.</summary>
internal static class FlBody
{
    /// <summary>The body as (JSON object, null) or, for a frame, (its header, its values).</summary>
    public static async Task<(JsonElement Body, ReadOnlyMemory<byte>? Payload)> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var bytes = buffer.ToArray();
        if (IsFrame(context.Request.ContentType))
        {
            var (header, payload) = TensorWire.DecodeFrame(bytes);
            return (header, payload);
        }

        return (bytes.Length == 0 ? WireJson.Parse("{}"u8) : WireJson.Parse(bytes), null);
    }

    /// <summary>Whether the client asked for tensor frames (Accept: application/vnd.roseforest.tensors or application/octet-stream).</summary>
    public static bool WantsFrame(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && (a.Contains(TensorWire.FrameContentType, StringComparison.OrdinalIgnoreCase) || a.Contains("application/octet-stream", StringComparison.OrdinalIgnoreCase)));

    /// <summary>A required query-string value.</summary>
    public static string Query(HttpContext context, string name) =>
        context.Request.Query[name] is { Count: > 0 } v && !string.IsNullOrEmpty(v[0]) ? v[0]! : throw new WireFormatException(name, "query parameter is required.");

    private static bool IsFrame(string? contentType) =>
        contentType is not null && (contentType.StartsWith(TensorWire.FrameContentType, StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase));
}
