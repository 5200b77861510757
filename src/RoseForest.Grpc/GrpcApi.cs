using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RoseForest.Grpc.Interceptors;
using RoseForest.Grpc.Services;

namespace RoseForest.Grpc;

/// <summary>
/// Qdrant's gRPC API (services <c>qdrant.Collections</c>, <c>qdrant.Points</c>,
/// <c>qdrant.Snapshots</c>, <c>qdrant.Qdrant</c> and <c>grpc.health.v1.Health</c>) as a part a host
/// composes, over any <see cref="IVectorDatabase"/> in the host's services. It sees nothing but the
/// contracts: the REST API and this adapter are two thin doors onto the same operations.
/// </summary>
public static class GrpcApi
{
    /// <summary>The Qdrant API version this API implements (what HealthCheck reports).</summary>
    public const string QdrantApiVersion = "1.19.0";

    /// <summary>Registers the gRPC services, their key check and error mapping, and the message size limit.</summary>
    public static IServiceCollection AddRoseForestGrpc(this IServiceCollection services, GrpcApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<ApiKeyInterceptor>();
        services.AddSingleton<ErrorInterceptor>();
        services.AddGrpc(o =>
        {
            // The key check runs first, then the error mapping around the service method.
            o.Interceptors.Add<ApiKeyInterceptor>();
            o.Interceptors.Add<ErrorInterceptor>();
            o.MaxReceiveMessageSize = options.MaxMessageBytes;
            o.MaxSendMessageSize = null;
            o.EnableDetailedErrors = false;
        });
        services.AddGrpcHealthChecks();
        return services;
    }

    /// <summary>Maps the gRPC services.</summary>
    public static IEndpointRouteBuilder MapRoseForestGrpc(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<CollectionsService>();
        app.MapGrpcService<PointsService>();
        app.MapGrpcService<SnapshotsService>();
        app.MapGrpcService<QdrantService>();
        app.MapGrpcHealthChecksService();
        return app;
    }
}
