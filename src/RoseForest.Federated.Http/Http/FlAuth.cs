using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace RoseForest.Federated.Http.Http;

/// <summary>
/// The part's own key check, the same rules as the REST API's (so the part is safe in a host
/// without it): with a key configured every /fl route needs header <c>api-key</c> or
/// <c>Authorization: Bearer</c>; the read-only key may call GET routes only. Keys are compared
/// through SHA-256 in constant time.
/// </summary>
internal sealed class FlAuth(FederatedHttpOptions options)
{
    private readonly byte[]? _key = Hash(options.ApiKey);
    private readonly byte[]? _readOnlyKey = Hash(options.ReadOnlyApiKey);

    /// <summary>Null when allowed, else the status (401 or 403) and message.</summary>
    public (int Status, string Message)? Check(HttpRequest request)
    {
        if (_key is null && _readOnlyKey is null)
        {
            return null;
        }

        var presented = Presented(request);
        if (presented is null)
        {
            return (StatusCodes.Status401Unauthorized, "Must provide an API key or an Authorization bearer token");
        }

        var hash = Hash(presented)!;
        if (_key is not null && CryptographicOperations.FixedTimeEquals(hash, _key))
        {
            return null;
        }

        if (_readOnlyKey is not null && CryptographicOperations.FixedTimeEquals(hash, _readOnlyKey))
        {
            return HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) ? null : (StatusCodes.Status403Forbidden, "Write access denied");
        }

        return (StatusCodes.Status401Unauthorized, "Invalid API key or JWT");
    }

    private static string? Presented(HttpRequest request)
    {
        var header = request.Headers["api-key"];
        if (header.Count > 0 && !string.IsNullOrEmpty(header[0]))
        {
            return header[0];
        }

        var authorization = request.Headers.Authorization;
        return authorization.Count > 0 && authorization[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? value["Bearer ".Length..].Trim()
            : null;
    }

    private static byte[]? Hash(string? key) => key is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
