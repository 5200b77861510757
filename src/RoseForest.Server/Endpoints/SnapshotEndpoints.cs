using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Contracts.Qdrant;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>
/// Collection snapshots over the database's catalogue: create, list, download, delete, recover
/// from a location (this server's catalogue, or an http(s) URL this adapter downloads), upload.
/// </summary>
internal static class SnapshotEndpoints
{
    private static readonly HttpClient Downloader = new() { Timeout = TimeSpan.FromMinutes(30) };

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/collections/{name}/snapshots", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            if (!HttpBodies.QueryBool(context, "wait", true))
            {
                await db.Snapshots.StartCreateAsync(name, context.RequestAborted);
                await ApiResponse.WriteAcceptedAsync(context);
                return;
            }

            var snapshot = await db.Snapshots.CreateAsync(name, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteSnapshot(w, snapshot));
        });

        app.MapGet("/collections/{name}/snapshots", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var list = await db.Snapshots.ListAsync(name, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartArray();
                foreach (var s in list)
                {
                    QdrantJson.WriteSnapshot(w, s);
                }

                w.WriteEndArray();
            });
        });

        app.MapGet("/collections/{name}/snapshots/{snapshot}", static async (HttpContext context, string name, string snapshot, IVectorDatabase db) =>
        {
            var stream = await db.Snapshots.OpenAsync(name, snapshot, context.RequestAborted);
            return Results.Stream(stream, "application/octet-stream", snapshot);
        });

        app.MapDelete("/collections/{name}/snapshots/{snapshot}", static async (HttpContext context, string name, string snapshot, IVectorDatabase db) =>
            await ApiResponse.WriteResultAsync(context, await db.Snapshots.DeleteAsync(name, snapshot, context.RequestAborted)));

        app.MapPut("/collections/{name}/snapshots/recover", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            CollectionOptions.ValidateName(name);
            var (location, checksum) = QdrantJson.ReadSnapshotRecover(await HttpBodies.ReadAsync(context));
            if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                using var response = await Downloader.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
                if (!response.IsSuccessStatusCode)
                {
                    throw new ValidationException("location", $"downloading {uri} answered {(int)response.StatusCode}.");
                }

                await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
                await db.Snapshots.RestoreAsync(name, body, checksum, context.RequestAborted);
            }
            else
            {
                await db.Snapshots.RestoreFromCatalogAsync(name, location, checksum, context.RequestAborted);
            }

            await ApiResponse.WriteResultAsync(context, true);
        });

        app.MapPost("/collections/{name}/snapshots/upload", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            CollectionOptions.ValidateName(name);
            if (!context.Request.HasFormContentType)
            {
                throw new ValidationException("snapshot", "upload the file as multipart/form-data in a field named snapshot.");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var file = form.Files["snapshot"] ?? throw new ValidationException("snapshot", "the multipart field 'snapshot' is missing.");
            await using (var stream = file.OpenReadStream())
            {
                await db.Snapshots.RestoreAsync(name, stream, context.Request.Query["checksum"].FirstOrDefault(), context.RequestAborted);
            }

            await ApiResponse.WriteResultAsync(context, true);
        });
    }
}
