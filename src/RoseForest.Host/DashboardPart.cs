using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RoseForest.Dashboard;
using RoseForest.Server;

namespace RoseForest.Host;

/// <summary>
/// The web dashboard (RoseForest.Dashboard) at <c>/dashboard</c> as a server part. Its pages are
/// static and call the public API from the browser with the user's key, so the REST key
/// middleware lets the static files through (they hold no data); <c>/dashboard/access</c> goes
/// through the key check like any API route.
/// </summary>
public sealed class DashboardPart : IServerPart
{
    /// <inheritdoc />
    public void ConfigureServices(WebApplicationBuilder builder, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.AddRoseForestDashboard(new DashboardOptions { ApiKey = options.ApiKey, ReadOnlyApiKey = options.ReadOnlyApiKey });
        builder.Services.AddSingleton<IDelegatedAuthentication, DashboardPathsAuthentication>();
    }

    /// <inheritdoc />
    public void UseMiddleware(WebApplication app)
    {
    }

    /// <inheritdoc />
    public void MapEndpoints(WebApplication app) => app.MapRoseForestDashboard();

    private sealed class DashboardPathsAuthentication : IDelegatedAuthentication
    {
        public bool Handles(PathString path) => DashboardApi.Handles(path);
    }
}
