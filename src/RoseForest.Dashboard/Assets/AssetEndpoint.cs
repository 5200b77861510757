using Microsoft.AspNetCore.Http;

namespace RoseForest.Dashboard.Assets;

/// <summary>
/// <c>GET /dashboard/{path}</c>: an embedded file (an empty path is <c>index.html</c>), with an
/// entity tag (304 when the browser has it), and a content security policy that lets the pages
/// load and call only this server: the dashboard makes no request elsewhere.
/// </summary>
internal static class AssetEndpoint
{
    /// <summary>Only this origin; inline styles for the chart library's generated elements.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static IResult Handle(HttpContext context, EmbeddedAssets assets, string? path)
    {
        if (string.IsNullOrEmpty(path) && !context.Request.Path.Value!.EndsWith('/'))
        {
            // "/dashboard": the pages' relative links need the trailing slash.
            return Results.Redirect(DashboardApi.PathPrefix + "/");
        }

        var key = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (!assets.Files.TryGetValue(key, out var asset))
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Bytes, asset.ContentType);
    }
}
