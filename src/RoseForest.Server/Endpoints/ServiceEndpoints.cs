using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Server.Http;
using RoseForest.Server.Metrics;

namespace RoseForest.Server.Endpoints;

/// <summary>GET /, the health probes and /metrics.</summary>
internal static class ServiceEndpoints
{
    private static readonly string Version = typeof(ServiceEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static void Map(IEndpointRouteBuilder app, PrometheusExporter exporter)
    {
        // Qdrant answers GET / unwrapped; its clients read "version" to check compatibility.
        app.MapGet("/", static async context =>
        {
            context.Response.ContentType = "application/json";
            using var w = new System.Text.Json.Utf8JsonWriter(context.Response.BodyWriter);
            w.WriteStartObject();
            w.WriteString("title", "roseforest - multi-geometry vector database (Qdrant-compatible REST API)");
            w.WriteString("version", RestApi.QdrantApiVersion);
            w.WriteString("roseforest_version", Version);
            w.WriteNull("commit");
            w.WriteEndObject();
            await w.FlushAsync(context.RequestAborted);
        });
        app.MapGet("/healthz", static () => Results.Text("healthz check passed"));
        app.MapGet("/livez", static () => Results.Text("healthz check passed"));
        app.MapGet("/readyz", static () => Results.Text("all shards are ready"));
        app.MapGet("/health", static () => Results.Json(new { status = "ok" }));
        app.MapGet("/metrics", () => Results.Text(exporter.Scrape(), "text/plain; version=0.0.4"));
    }
}
