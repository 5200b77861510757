using Microsoft.AspNetCore.Builder;

namespace RoseForest.Host;

/// <summary>
/// One transport (or other feature) a <see cref="RoseForestServer"/> is composed of: REST
/// today; gRPC, MCP and the dashboard later. A part registers its services, then its middleware
/// and endpoints; it reaches the database only through <see cref="IVectorDatabase"/> in the services.
/// </summary>
public interface IServerPart
{
    /// <summary>Registers the part's services (and, for a part with its own port, its listener).</summary>
    void ConfigureServices(WebApplicationBuilder builder, ServerOptions options);

    /// <summary>Adds the part's middleware; runs before routing, in the order the parts were given.</summary>
    void UseMiddleware(WebApplication app);

    /// <summary>Maps the part's endpoints.</summary>
    void MapEndpoints(WebApplication app);
}
