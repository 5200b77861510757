using Microsoft.AspNetCore.Builder;
using RoseForest.Engine;
using RoseForest.Server;

namespace RoseForest.Host;

/// <summary>The Qdrant-compatible REST API (RoseForest.Server) as a server part.</summary>
public sealed class RestPart : IServerPart
{
    /// <inheritdoc />
    public void ConfigureServices(WebApplicationBuilder builder, ServerOptions options) =>
        builder.Services.AddRoseForestRest(
            new RestApiOptions { ApiKey = options.ApiKey, ReadOnlyApiKey = options.ReadOnlyApiKey, MaxBatchPoints = options.MaxBatchPoints, MaxLimit = options.MaxLimit },
            EngineMetrics.MeterName,
            CommunicationMeterName);

    /// <summary>Model communication's meter (its rate-limit refusals), exported when that part is composed; named here so the host needs no reference to it.</summary>
    public const string CommunicationMeterName = "RoseForest.Communication";

    /// <inheritdoc />
    public void UseMiddleware(WebApplication app) => app.UseRoseForestRest();

    /// <inheritdoc />
    public void MapEndpoints(WebApplication app) => app.MapRoseForestRest();
}
