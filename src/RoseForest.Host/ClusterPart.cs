using Microsoft.AspNetCore.Builder;
using RoseForest.Cluster;

namespace RoseForest.Host;

/// <summary>Cluster mode's HTTP side (Qdrant's cluster API, the peers' routes) as a server part; added by the host when <see cref="ServerOptions.Cluster"/> is set.</summary>
public sealed class ClusterPart(ClusterNode node) : IServerPart
{
    /// <inheritdoc />
    public void ConfigureServices(WebApplicationBuilder builder, ServerOptions options) => builder.Services.AddRoseForestCluster(node);

    /// <inheritdoc />
    public void UseMiddleware(WebApplication app) => app.UseRoseForestCluster();

    /// <inheritdoc />
    public void MapEndpoints(WebApplication app) => app.MapRoseForestCluster();
}
