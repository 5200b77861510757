using Microsoft.AspNetCore.Http;

namespace RoseForest.Dashboard.Access;

/// <summary>
/// <c>GET /dashboard/access</c>: <c>{"access": "admin" | "read-only", "keys": bool}</c> for the
/// key in <c>api-key</c> or <c>Authorization: Bearer</c>, 401 for no key or an unknown one. The
/// pages ask once after sign-in, to hide the write actions a read-only key may not take. The
/// server's key middleware has already checked the key (401 for none or an unknown one, 403 for a
/// model's key, which this route does not serve); the check here tells the two server keys apart.
/// </summary>
internal static class AccessEndpoint
{
    public static IResult Handle(HttpContext context, KeyCheck keys, DashboardOptions options)
    {
        context.Response.Headers.CacheControl = "no-store";
        var hasKeys = options.ApiKey is not null || options.ReadOnlyApiKey is not null;
        return keys.Classify(Presented(context.Request)) switch
        {
            KeyAccess.Admin => Results.Json(new { access = "admin", keys = hasKeys }),
            KeyAccess.ReadOnly => Results.Json(new { access = "read-only", keys = hasKeys }),
            _ => Results.Json(new { status = new { error = "Invalid API key: the dashboard takes the server's API key or its read-only key" } }, statusCode: StatusCodes.Status401Unauthorized),
        };
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
}
