using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RoseForest.Server.Endpoints;
using RoseForest.Server.Http;
using RoseForest.Server.Metrics;

namespace RoseForest.Server;

/// <summary>
/// The Qdrant-compatible REST API as a part a host composes: it serves any
/// <see cref="IVectorDatabase"/> registered in the host's services (the embedded engine, a
/// cluster router) and sees nothing but the contracts.
/// </summary>
public static class RestApi
{
    /// <summary>The Qdrant API version this API implements (what GET / reports).</summary>
    public const string QdrantApiVersion = "1.19.0";

    /// <summary>Registers the REST API's services: its options and the /metrics exporter over the given meters.</summary>
    public static IServiceCollection AddRoseForestRest(this IServiceCollection services, RestApiOptions options, params string[] meterNames)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new ServerMetrics(sp.GetRequiredService<IVectorDatabase>()));
        services.AddSingleton(sp => new PrometheusExporter(sp.GetRequiredService<ServerMetrics>().Meter, meterNames));
        return services;
    }

    /// <summary>
    /// Adds the REST API's middleware (request metrics, the error envelope, API keys) in front of
    /// everything mapped after it. Call before routing.
    /// </summary>
    public static IApplicationBuilder UseRoseForestRest(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<ServerMetrics>();
        app.Use(metrics.MeasureAsync);
        app.UseMiddleware<ErrorMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        return app;
    }

    /// <summary>Maps every REST route, and a JSON 404 for anything else.</summary>
    public static IEndpointRouteBuilder MapRoseForestRest(this IEndpointRouteBuilder app)
    {
        ServiceEndpoints.Map(app, app.ServiceProvider.GetRequiredService<PrometheusExporter>());
        CollectionEndpoints.Map(app);
        OptimizerEndpoints.Map(app);
        PointEndpoints.Map(app);
        IndexEndpoints.Map(app);
        QueryEndpoints.Map(app);
        SearchEndpoints.Map(app);
        ExploreEndpoints.Map(app);
        SnapshotEndpoints.Map(app);
        ChangeEndpoints.Map(app);
        AdapterEndpoints.Map(app);
        app.MapFallback(static context => ApiResponse.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"Not found: no route {context.Request.Method} {context.Request.Path}"));
        return app;
    }
}
