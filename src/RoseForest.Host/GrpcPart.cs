using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using RoseForest.Grpc;
using RoseForest.Server;

namespace RoseForest.Host;

/// <summary>
/// Qdrant's gRPC API (RoseForest.Grpc) as a server part, on its own port
/// (<see cref="ServerOptions.EffectiveGrpcPort"/>, HTTP/2; TLS when a certificate is configured),
/// with the same API keys and limits as REST. The gRPC services check keys themselves, so the
/// REST key middleware lets their paths through.
/// </summary>
public sealed class GrpcPart : IServerPart
{
    private ListenOptions? _listener;
    private bool _tls;

    /// <summary>Where the gRPC API listens, with the real port once the server has started.</summary>
    public Uri? Address => _listener?.IPEndPoint is { } e ? new Uri($"{(_tls ? "https" : "http")}://{(e.Address.Equals(System.Net.IPAddress.Any) ? "127.0.0.1" : e.Address.ToString())}:{e.Port}") : null;

    /// <inheritdoc />
    public void ConfigureServices(WebApplicationBuilder builder, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if ((options.GrpcTlsCertificate is null) != (options.GrpcTlsKey is null))
        {
            throw new ArgumentException("grpc_tls_cert and grpc_tls_key go together: give both PEM files, or neither for plaintext HTTP/2.");
        }

        X509Certificate2? certificate = null;
        if (options.GrpcTlsCertificate is { } cert)
        {
            certificate = X509Certificate2.CreateFromPemFile(cert, options.GrpcTlsKey);
            _tls = true;
        }

        builder.WebHost.ConfigureKestrel(k => _listener = Listeners.Listen(k, options.Host, options.EffectiveGrpcPort, l =>
        {
            l.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                l.UseHttps(certificate);
            }
        }));
        builder.Services.AddRoseForestGrpc(new GrpcApiOptions
        {
            ApiKey = options.ApiKey,
            ReadOnlyApiKey = options.ReadOnlyApiKey,
            MaxBatchPoints = options.MaxBatchPoints,
            MaxLimit = options.MaxLimit,
            MaxMessageBytes = (int)Math.Min(options.MaxRequestBodyBytes, int.MaxValue),
        });
        builder.Services.AddSingleton<IDelegatedAuthentication, GrpcPathsAuthentication>();
    }

    /// <inheritdoc />
    public void UseMiddleware(WebApplication app)
    {
        // gRPC enforces the size limit per message (MaxMessageBytes, answered ResourceExhausted).
        // Kestrel's request-body limit (REST's) would race it on the same bytes and, when it won,
        // fail the stream as an unmapped exception (StatusCode.Unknown): lift it for gRPC calls.
        app.Use((context, next) =>
        {
            if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true
                && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            return next(context);
        });
    }

    /// <inheritdoc />
    public void MapEndpoints(WebApplication app) => app.MapRoseForestGrpc();

    /// <summary>The gRPC services' paths, which check API keys themselves (an interceptor in RoseForest.Grpc).</summary>
    private sealed class GrpcPathsAuthentication : IDelegatedAuthentication
    {
        public bool Handles(PathString path) =>
            path.StartsWithSegments("/qdrant.Collections") || path.StartsWithSegments("/qdrant.Points") || path.StartsWithSegments("/qdrant.Snapshots") ||
            path.StartsWithSegments("/qdrant.Qdrant") || path.StartsWithSegments("/grpc.health.v1.Health");
    }
}
