using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RoseForest.Federated.Http.Endpoints;
using RoseForest.Federated.Http.Http;
using RoseForest.Federated.Http.Tasks;

namespace RoseForest.Federated.Http;

/// <summary>
/// The federated coordinator over HTTP (the <c>/fl/tasks</c> routes of docs/federated.md) as a
/// part a host composes: register the services, then map the routes. The part checks its own
/// API keys and writes its own error envelopes, so it works with or without the REST API.
/// </summary>
public static class FederatedHttp
{
    /// <summary>Registers the coordinator's task registry and key check.</summary>
    public static IServiceCollection AddRoseForestFederated(this IServiceCollection services, FederatedHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<FederatedTaskRegistry>();
        services.AddSingleton(new FlAuth(options));
        return services;
    }

    /// <summary>Maps the /fl routes and reopens the stored tasks (their deadlines re-armed).</summary>
    public static IEndpointRouteBuilder MapRoseForestFederated(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.ServiceProvider.GetRequiredService<FederatedTaskRegistry>();
        TaskEndpoints.Map(app);
        RoundEndpoints.Map(app);
        SecAggEndpoints.Map(app);
        return app;
    }
}
