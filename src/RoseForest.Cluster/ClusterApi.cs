using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RoseForest.Cluster.Http;

namespace RoseForest.Cluster;

/// <summary>
/// The cluster's HTTP side as a host composes it (after the REST API): its middleware (cluster
/// parameters, 503s, the peers' view of the local engine) and its routes (Qdrant's cluster API
/// and the internal peer routes).
/// </summary>
public static class ClusterApi
{
    /// <summary>Registers the node (the host registers <see cref="ClusterNode.Database"/> as the <see cref="IVectorDatabase"/>).</summary>
    public static IServiceCollection AddRoseForestCluster(this IServiceCollection services, ClusterNode node) => services.AddSingleton(node);

    /// <summary>Adds the cluster middleware; call after the REST API's and before routing.</summary>
    public static IApplicationBuilder UseRoseForestCluster(this IApplicationBuilder app) =>
        app.UseMiddleware<ClusterMiddleware>(app.ApplicationServices.GetRequiredService<ClusterNode>());

    /// <summary>Maps the cluster routes.</summary>
    public static IEndpointRouteBuilder MapRoseForestCluster(this IEndpointRouteBuilder app)
    {
        ClusterEndpoints.Map(app, app.ServiceProvider.GetRequiredService<ClusterNode>());
        return app;
    }
}
