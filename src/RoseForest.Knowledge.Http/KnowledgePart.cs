using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RoseForest.Host;
using RoseForest.Knowledge.Http.Http;
using RoseForest.Server;

namespace RoseForest.Knowledge.Http;

/// <summary>
/// The knowledge exchange as a server part (issue 16): the YumeiCHAIN routes (<c>/register</c>,
/// <c>/knowledge</c>, <c>/conflict</c>) with their own key check (the raw key in
/// <c>Authorization</c>, node keys), and the sync routes and jobs (<c>/sync</c>). Compose it with the
/// REST part: <c>RoseForestServer.StartAsync(options, parts: [new RestPart(), new KnowledgePart()])</c>.
/// </summary>
public sealed class KnowledgePart(KnowledgeOptions? options = null) : IServerPart
{
    private readonly KnowledgeOptions _options = options ?? new KnowledgeOptions();

    /// <inheritdoc />
    public void ConfigureServices(WebApplicationBuilder builder, ServerOptions options)
    {
        builder.Services.AddSingleton(sp => new KnowledgeRuntime(_options, options, sp.GetRequiredService<IVectorDatabase>(), sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<KnowledgeRuntime>());
        builder.Services.AddSingleton<IDelegatedAuthentication, KnowledgeRoutesAuthentication>();
    }

    /// <inheritdoc />
    public void UseMiddleware(WebApplication app)
    {
    }

    /// <inheritdoc />
    public void MapEndpoints(WebApplication app)
    {
        var runtime = app.Services.GetRequiredService<KnowledgeRuntime>();
        new YumeiRoutes(runtime).Map(app);
        new SyncRoutes(runtime).Map(app);
    }

    /// <summary>The paths whose keys this part checks itself.</summary>
    private sealed class KnowledgeRoutesAuthentication : IDelegatedAuthentication
    {
        public bool Handles(PathString path)
            => path == "/register" || path.StartsWithSegments("/knowledge") || path.StartsWithSegments("/conflict") || path.StartsWithSegments("/sync");
    }
}
