using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace RoseForest.Server.Http;

/// <summary>
/// API keys: with a key configured, every route but the health probes needs header
/// <c>api-key</c> or <c>Authorization: Bearer</c> (401 otherwise); the read-only key allows
/// only reads (403 on writes). Keys are compared through SHA-256 in constant time, so neither
/// their content nor their length leaks through timing. Paths another part authenticates itself
/// (<see cref="IDelegatedAuthentication"/>) pass through.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, RestApiOptions options, IEnumerable<IDelegatedAuthentication> delegated, IEnumerable<IKeyIssuer> holders)
{
    private readonly IDelegatedAuthentication[] _delegated = [.. delegated];
    private readonly IKeyIssuer[] _holders = [.. holders];
    private readonly byte[]? _key = Hash(options.ApiKey);
    private readonly byte[]? _readOnlyKey = Hash(options.ReadOnlyApiKey);

    /// <summary>Paths anyone may call: the service probes.</summary>
    internal static bool IsOpen(PathString path) =>
        path == "/" || path == "/healthz" || path == "/livez" || path == "/readyz" || path == "/health";

    /// <summary>POST routes that only read (Qdrant's read-only list): retrieve, scroll, count, query; and the memory search.</summary>
    internal static bool IsRead(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return true;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            return false;
        }

        var path = request.Path.Value ?? string.Empty;
        return path.EndsWith("/points", StringComparison.Ordinal) ||
               path == "/memories/search" ||
               path.EndsWith("/points/scroll", StringComparison.Ordinal) ||
               path.EndsWith("/points/count", StringComparison.Ordinal) ||
               path.EndsWith("/points/query", StringComparison.Ordinal) ||
               path.EndsWith("/points/query/batch", StringComparison.Ordinal) ||
               Array.Exists(ReadOnlyQueryRoutes, r => path.EndsWith(r, StringComparison.Ordinal));
    }

    /// <summary>The other read-only POST routes: grouped queries, the legacy search forms, the matrix, facets.</summary>
    private static readonly string[] ReadOnlyQueryRoutes =
    [
        "/points/query/groups", "/points/search", "/points/search/batch", "/points/search/groups", "/points/recommend", "/points/recommend/batch",
        "/points/recommend/groups", "/points/discover", "/points/discover/batch", "/points/search/matrix/pairs", "/points/search/matrix/offsets", "/facet",
    ];

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsOpen(context.Request.Path) || _delegated.Any(d => d.Handles(context.Request.Path)))
        {
            await next(context);
            return;
        }

        var presented = Presented(context.Request);
        if ((_key is null && _readOnlyKey is null) && (presented is null || _holders.Length == 0))
        {
            await next(context);
            return;
        }

        if (presented is null)
        {
            await ApiResponse.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "Must provide an API key or an Authorization bearer token");
            return;
        }

        var hash = Hash(presented)!;
        if (_key is not null && CryptographicOperations.FixedTimeEquals(hash, _key))
        {
            await next(context);
            return;
        }

        if (_readOnlyKey is not null && CryptographicOperations.FixedTimeEquals(hash, _readOnlyKey))
        {
            if (IsRead(context.Request))
            {
                await next(context);
            }
            else
            {
                await ApiResponse.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "Write access denied");
            }

            return;
        }

        // Another issuer's key (a model's): the request acts as its holder, and that part authorizes it.
        foreach (var issuer in _holders)
        {
            if (issuer.Identify(presented) is { } holder)
            {
                context.Items[KeyHolders.ItemKey] = holder;
                await next(context);
                return;
            }
        }

        if (_key is null && _readOnlyKey is null)
        {
            await next(context);
            return;
        }

        await ApiResponse.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "Invalid API key or JWT");
    }

    private static string? Presented(HttpRequest request)
    {
        var header = request.Headers["api-key"];
        if (header.Count > 0 && !string.IsNullOrEmpty(header[0]))
        {
            return header[0];
        }

        var authorization = request.Headers.Authorization;
        if (authorization.Count > 0 && authorization[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return value["Bearer ".Length..].Trim();
        }

        return null;
    }

    private static byte[]? Hash(string? key) => key is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
