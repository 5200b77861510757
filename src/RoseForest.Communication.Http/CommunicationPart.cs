using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RoseForest.Communication.Http.A2a;
using RoseForest.Communication.Http.Http;
using RoseForest.Communication.Http.Routes;
using RoseForest.Host;
using RoseForest.Server;

namespace RoseForest.Communication.Http;

/// <summary>
/// Model communication as a server part (issue 15): opens the <see cref="CommunicationHub"/> over
/// the host's database, lets per-model keys through the REST key middleware
/// and gRPC's interceptor (<see cref="IKeyIssuer"/>), authorizes every REST request made with one after routing (namespace
/// collections by their namespace, the communication routes by the hub, everything else refused),
/// and maps the routes and the A2A door. Compose it after <see cref="RestPart"/>.
/// </summary>
public sealed class CommunicationPart(CommunicationServerOptions options) : IServerPart
{
    /// <inheritdoc />
    public void ConfigureServices(WebApplicationBuilder builder, ServerOptions options1)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var holder = new HubHolder();
        builder.Services.AddSingleton(holder);
        builder.Services.AddSingleton<IKeyIssuer>(holder);
        builder.Services.AddSingleton(new HubSettings(options, options1.TimeProvider));
        // The mailbox tools join whatever MCP server the host maps at /mcp (McpPart); they read the caller from the HTTP request.
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddMcpServer().WithTools(Mcp.CommunicationTools.Create(holder))
            .WithRequestFilters(f => f.AddListToolsFilter(next => async (request, ct) =>
            {
                // A model key may call only the mailbox tools (ModelAuthorization refuses the rest), so it is shown only those.
                var result = await next(request, ct);
                var http = request.Services?.GetService<Microsoft.AspNetCore.Http.IHttpContextAccessor>()?.HttpContext;
                if (http is not null && !Http.Routes.CallerOf(http).IsAdmin)
                {
                    result.Tools = [.. result.Tools.Where(t => Mcp.CommunicationTools.Names.Contains(t.Name))];
                }

                return result;
            }));
    }

    /// <inheritdoc />
    public void UseMiddleware(WebApplication app)
    {
    }

    /// <inheritdoc />
    public void MapEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var holder = app.Services.GetRequiredService<HubHolder>();
        var settings = app.Services.GetRequiredService<HubSettings>();
        var hubOptions = new CommunicationOptions { Embedder = options.Embedder, EmbedderName = options.EmbedderName, TimeProvider = settings.Time };
        hubOptions = options.Configure?.Invoke(hubOptions) ?? hubOptions;
        // Opened here, before the server listens, so a model key works from the first request.
        holder.Hub = CommunicationHub.OpenAsync(app.Services.GetRequiredService<IVectorDatabase>(), hubOptions).GetAwaiter().GetResult();
        app.Lifetime.ApplicationStopping.Register(() => holder.Hub.DisposeAsync().AsTask().GetAwaiter().GetResult());
        app.UseMiddleware<ModelAuthorization>();
        ContractRoutes.Map(app, holder);
        NamespaceRoutes.Map(app, holder);
        MailRoutes.Map(app, holder);
        SpaceRoutes.Map(app, holder);
        StateRoutes.Map(app, holder);
        A2aRoutes.Map(app, holder);
    }

    private sealed record HubSettings(CommunicationServerOptions Options, TimeProvider Time);
}
