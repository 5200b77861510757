using Microsoft.AspNetCore.Builder;
using RoseForest.Federated.Http;

namespace RoseForest.Host;

/// <summary>
/// The federated-learning coordinator (RoseForest.Federated.Http, the <c>/fl/tasks</c> routes) as
/// a server part. Tasks live under <c>&lt;data&gt;/federated/</c> (in memory for an in-memory
/// server) and use the server's API keys; clients name themselves with a <c>client_id</c>.
/// </summary>
public sealed class FederatedPart : IServerPart
{
    /// <inheritdoc />
    public void ConfigureServices(WebApplicationBuilder builder, ServerOptions options) =>
        builder.Services.AddRoseForestFederated(new FederatedHttpOptions
        {
            DataPath = options.InMemory ? null : Path.Combine(options.DataPath, "federated"),
            TimeProvider = options.TimeProvider,
            ApiKey = options.ApiKey,
            ReadOnlyApiKey = options.ReadOnlyApiKey,
        });

    /// <inheritdoc />
    public void UseMiddleware(WebApplication app)
    {
    }

    /// <inheritdoc />
    public void MapEndpoints(WebApplication app) => app.MapRoseForestFederated();
}
