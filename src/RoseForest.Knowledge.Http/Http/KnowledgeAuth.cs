using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace RoseForest.Knowledge.Http.Http;

/// <summary>
/// Who is calling a knowledge or sync route. The YumeiCHAIN client puts its key in
/// <c>Authorization</c> as it is, with no scheme; <c>Authorization: Bearer KEY</c> and
/// <c>api-key: KEY</c> are accepted too. The key may be the server's API key (admin), its read-only
/// key, or a node's key. Keys are compared through SHA-256 in constant time.
/// </summary>
internal sealed class KnowledgeAuth(string? adminKey, string? readOnlyKey, Func<string, CancellationToken, Task<string?>> nodeForKey)
{
    private readonly byte[]? _admin = Hash(adminKey);
    private readonly byte[]? _readOnly = Hash(readOnlyKey);

    /// <summary>True when the server has API keys: then every knowledge and sync route needs a key.</summary>
    public bool ServerIsLocked => _admin is not null || _readOnly is not null;

    public async Task<Caller> IdentifyAsync(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (Presented(context.Request) is not { } key)
        {
            return new Caller(CallerKind.Anonymous, null, address);
        }

        var hash = Hash(key)!;
        if (_admin is not null && CryptographicOperations.FixedTimeEquals(hash, _admin))
        {
            return new Caller(CallerKind.Admin, null, address);
        }

        if (_readOnly is not null && CryptographicOperations.FixedTimeEquals(hash, _readOnly))
        {
            return new Caller(CallerKind.ReadOnly, null, address);
        }

        return await nodeForKey(key, context.RequestAborted) is { } node
            ? new Caller(CallerKind.Node, node, address)
            : new Caller(CallerKind.Invalid, null, address);
    }

    /// <summary>The presented key: <c>api-key</c>, or <c>Authorization</c> with or without <c>Bearer </c>.</summary>
    internal static string? Presented(HttpRequest request)
    {
        if (First(request.Headers["api-key"]) is { Length: > 0 } apiKey)
        {
            return apiKey;
        }

        if (First(request.Headers.Authorization) is not { Length: > 0 } authorization)
        {
            return null;
        }

        var value = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..] : authorization;
        value = value.Trim();
        return value.Length == 0 ? null : value;
    }

    private static string? First(StringValues values) => values.Count > 0 ? values[0] : null;

    private static byte[]? Hash(string? key) => key is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
