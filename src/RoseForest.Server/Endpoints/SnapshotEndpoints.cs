using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RoseForest.Engine;
using RoseForest.Server.Http;
using RoseForest.Server.Snapshots;

namespace RoseForest.Server.Endpoints;

/// <summary>Collection snapshots: create, list, download, delete, recover from a location, upload.</summary>
internal static class SnapshotEndpoints
{
    private static readonly HttpClient Downloader = new() { Timeout = TimeSpan.FromMinutes(30) };

    public static void Map(WebApplication app)
    {
        app.MapPost("/collections/{name}/snapshots", static async (HttpContext context, string name, RoseForestDatabase db, SnapshotCatalog catalog) =>
        {
            db.GetCollection(name);
            var wait = RequestJson.QueryBool(context, "wait", true);
            var creation = catalog.CreateAsync(name, TimeProvider.System, CancellationToken.None);
            if (!wait)
            {
                await ApiResponse.WriteAcceptedAsync(context);
                return;
            }

            var snapshot = await creation;
            await ApiResponse.WriteResultAsync(context, w => Write(w, snapshot));
        });

        app.MapGet("/collections/{name}/snapshots", static async (HttpContext context, string name, RoseForestDatabase db, SnapshotCatalog catalog) =>
        {
            db.GetCollection(name);
            var list = catalog.List(name);
            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartArray();
                foreach (var s in list)
                {
                    Write(w, s);
                }

                w.WriteEndArray();
            });
        });

        app.MapGet("/collections/{name}/snapshots/{snapshot}", static (string name, string snapshot, SnapshotCatalog catalog) =>
            Results.File(catalog.Resolve(name, snapshot), "application/octet-stream", snapshot));

        app.MapDelete("/collections/{name}/snapshots/{snapshot}", static async (HttpContext context, string name, string snapshot, SnapshotCatalog catalog) =>
            await ApiResponse.WriteResultAsync(context, catalog.Delete(name, snapshot)));

        app.MapPut("/collections/{name}/snapshots/recover", static async (HttpContext context, string name, RoseForestDatabase db, SnapshotCatalog catalog) =>
        {
            CollectionOptions.ValidateName(name);
            var body = RequestJson.Object(await RequestJson.ReadBodyAsync(context), string.Empty, "location", "priority", "checksum", "api_key");
            var location = RequestJson.String(body, "location", string.Empty) ?? throw new ValidationException("location", "is required.");
            var checksum = RequestJson.String(body, "checksum", string.Empty);
            var (path, temporary) = await FetchAsync(location, name, catalog, context.RequestAborted);
            try
            {
                await RecoverAsync(db, name, path, checksum, context.RequestAborted);
            }
            finally
            {
                if (temporary)
                {
                    File.Delete(path);
                }
            }

            await ApiResponse.WriteResultAsync(context, true);
        });

        app.MapPost("/collections/{name}/snapshots/upload", static async (HttpContext context, string name, RoseForestDatabase db, SnapshotCatalog catalog) =>
        {
            CollectionOptions.ValidateName(name);
            if (!context.Request.HasFormContentType)
            {
                throw new ValidationException("snapshot", "upload the file as multipart/form-data in a field named snapshot.");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var file = form.Files["snapshot"] ?? throw new ValidationException("snapshot", "the multipart field 'snapshot' is missing.");
            var staged = catalog.StagingPath(name);
            try
            {
                await using (var target = File.Create(staged))
                {
                    await file.CopyToAsync(target, context.RequestAborted);
                }

                await RecoverAsync(db, name, staged, context.Request.Query["checksum"].FirstOrDefault(), context.RequestAborted);
            }
            finally
            {
                File.Delete(staged);
            }

            await ApiResponse.WriteResultAsync(context, true);
        });
    }

    private static async Task RecoverAsync(RoseForestDatabase db, string name, string path, string? checksum, CancellationToken ct)
    {
        if (checksum is not null && !string.Equals(SnapshotCatalog.Sha256(path), checksum, StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException("checksum", "the snapshot's SHA-256 does not match the checksum given.");
        }

        await db.RestoreCollectionAsync(name, path, ct);
    }

    /// <summary>
    /// A recover location: the name of one of this server's snapshots, a file:// URL inside the
    /// snapshot folder, or an http(s):// URL to download. Nothing outside the folder is read.
    /// </summary>
    private static async Task<(string Path, bool Temporary)> FetchAsync(string location, string collection, SnapshotCatalog catalog, CancellationToken ct)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var staged = catalog.StagingPath(collection);
            using var response = await Downloader.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new ValidationException("location", $"downloading {uri} answered {(int)response.StatusCode}.");
            }

            await using (var target = File.Create(staged))
            {
                await response.Content.CopyToAsync(target, ct);
            }

            return (staged, true);
        }

        var local = uri is { IsFile: true } ? uri.LocalPath : location;
        var root = Path.GetFullPath(catalog.Root);
        var full = Path.GetFullPath(Path.IsPathRooted(local) ? local : Path.Combine(root, collection, local));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ValidationException("location", "a local snapshot must be inside this server's snapshot folder.");
        }

        return File.Exists(full) ? (full, false) : throw new NotFoundException($"Snapshot {location} does not exist");
    }

    private static void Write(Utf8JsonWriter w, SnapshotDescription s)
    {
        w.WriteStartObject();
        w.WriteString("name", s.Name);
        w.WriteString("creation_time", s.CreationTime);
        w.WriteNumber("size", s.Size);
        w.WriteString("checksum", s.Checksum);
        w.WriteEndObject();
    }
}
