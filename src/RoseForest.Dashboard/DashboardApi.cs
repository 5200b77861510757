using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RoseForest.Dashboard.Access;
using RoseForest.Dashboard.Assets;

namespace RoseForest.Dashboard;

/// <summary>
/// The dashboard's entry point, as <c>RestApi</c> is the REST adapter's: register its services
/// and map <c>/dashboard</c>. The pages are static files embedded in this assembly; in the
/// browser they call only the server's public HTTP API with the key the user gives them, so the
/// dashboard needs nothing from the database or from any other transport.
/// </summary>
public static class DashboardApi
{
    /// <summary>Where the dashboard is served.</summary>
    public const string PathPrefix = "/dashboard";

    /// <summary>The one dashboard route that reads the caller's key; the server's key check guards it like any API route.</summary>
    public const string AccessPath = PathPrefix + "/access";

    /// <summary>
    /// True for the dashboard's static files (every path under <c>/dashboard</c> but
    /// <see cref="AccessPath"/>). The host lets them past the REST key middleware: the pages and
    /// scripts hold no data; the data they show comes from API calls that carry the user's key.
    /// </summary>
    public static bool Handles(PathString path) => path.StartsWithSegments(PathPrefix) && !path.StartsWithSegments(AccessPath);

    /// <summary>Registers the dashboard's services.</summary>
    public static IServiceCollection AddRoseForestDashboard(this IServiceCollection services, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<KeyCheck>();
        services.AddSingleton(EmbeddedAssets.Load());
        return services;
    }

    /// <summary>Maps <c>/dashboard</c> (the pages and their assets) and <c>/dashboard/access</c>.</summary>
    public static IEndpointRouteBuilder MapRoseForestDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet(AccessPath, AccessEndpoint.Handle);
        app.MapGet(PathPrefix + "/{**path}", AssetEndpoint.Handle);
        return app;
    }
}
