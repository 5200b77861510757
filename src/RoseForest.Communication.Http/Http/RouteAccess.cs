using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Server;

namespace RoseForest.Communication.Http.Http;

/// <summary>What a model key needs on a route.</summary>
internal enum RouteRule
{
    /// <summary>A communication route: the hub checks the caller in the operation.</summary>
    Communication,

    /// <summary>Read access to the namespace owning the collection in the route.</summary>
    CollectionRead,

    /// <summary>Write access to that namespace.</summary>
    CollectionWrite,

    /// <summary>Admin access to that namespace (deleting the collection).</summary>
    CollectionAdmin,

    /// <summary>The server's administrator only: no model key passes.</summary>
    AdminOnly,

    /// <summary>The MCP endpoint: a model key may list tools and call the mailbox tools only.</summary>
    McpTools,
}

/// <summary>
/// The rule for every route a model key may call. Anything not a communication route and not a
/// collection route is the administrator's, so a route added later is closed to models until
/// someone decides otherwise here.
/// </summary>
internal static class RouteAccess
{
    public static RouteRule Classify(Endpoint endpoint, HttpRequest request)
    {
        if (endpoint.Metadata.GetMetadata<CommunicationRoute>() is not null)
        {
            return RouteRule.Communication;
        }

        var pattern = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? string.Empty;
        return Classify(pattern, request.Method, KeyHolders.IsRead(request));
    }

    public static RouteRule Classify(string pattern, string method, bool isRead)
    {
        pattern = pattern.Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal);
        if (!pattern.StartsWith('/'))
        {
            pattern = "/" + pattern;
        }

        if (pattern.TrimEnd('/') == "/mcp" || pattern.StartsWith("/mcp/", StringComparison.Ordinal))
        {
            return RouteRule.McpTools;
        }

        if (!pattern.StartsWith("/collections/{name}", StringComparison.Ordinal))
        {
            return RouteRule.AdminOnly;
        }

        // Snapshots read and write server files (and recover may fetch URLs); recovery and change-feed pins are operations.
        if (pattern.Contains("/snapshots", StringComparison.Ordinal) || pattern.EndsWith("/recover", StringComparison.Ordinal) || pattern.Contains("/changes/followers", StringComparison.Ordinal))
        {
            return RouteRule.AdminOnly;
        }

        if (pattern == "/collections/{name}" && HttpMethods.IsDelete(method))
        {
            return RouteRule.CollectionAdmin;
        }

        return isRead ? RouteRule.CollectionRead : RouteRule.CollectionWrite;
    }
}
