using RoseForest.Contracts.Qdrant;

namespace RoseForest.Client;

/// <summary>The snapshot catalogue of a remote database.</summary>
internal sealed class RemoteSnapshots(RoseForestClient client) : ISnapshotCatalog
{
    public async Task<SnapshotDescription> CreateAsync(string collection, CancellationToken cancellationToken = default) =>
        QdrantJson.ReadSnapshot(await client.SendAsync(HttpMethod.Post, RoseForestClient.Path(collection) + "/snapshots?wait=true", null, cancellationToken).ConfigureAwait(false));

    public async Task StartCreateAsync(string collection, CancellationToken cancellationToken = default) =>
        await client.SendAsync(HttpMethod.Post, RoseForestClient.Path(collection) + "/snapshots?wait=false", null, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<SnapshotDescription>> ListAsync(string collection, CancellationToken cancellationToken = default) =>
        [.. (await client.SendAsync(HttpMethod.Get, RoseForestClient.Path(collection) + "/snapshots", null, cancellationToken).ConfigureAwait(false)).EnumerateArray().Select(QdrantJson.ReadSnapshot)];

    public async Task<bool> DeleteAsync(string collection, string snapshot, CancellationToken cancellationToken = default) =>
        (await client.SendAsync(HttpMethod.Delete, $"{RoseForestClient.Path(collection)}/snapshots/{Uri.EscapeDataString(snapshot)}", null, cancellationToken).ConfigureAwait(false)).GetBoolean();

    public Task<Stream> OpenAsync(string collection, string snapshot, CancellationToken cancellationToken = default) =>
        client.GetStreamAsync($"{RoseForestClient.Path(collection)}/snapshots/{Uri.EscapeDataString(snapshot)}", cancellationToken);

    public async Task RestoreAsync(string collection, Stream snapshot, string? checksum = null, CancellationToken cancellationToken = default)
    {
        using var form = new MultipartFormDataContent();
        var content = new StreamContent(snapshot);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "snapshot", "upload.snapshot");
        var path = RoseForestClient.Path(collection) + "/snapshots/upload?wait=true" + (checksum is null ? string.Empty : "&checksum=" + Uri.EscapeDataString(checksum));
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
        await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task RestoreFromCatalogAsync(string collection, string location, string? checksum = null, CancellationToken cancellationToken = default) =>
        await client.SendAsync(HttpMethod.Put, RoseForestClient.Path(collection) + "/snapshots/recover?wait=true", w =>
        {
            w.WriteStartObject();
            w.WriteString("location", location);
            if (checksum is not null)
            {
                w.WriteString("checksum", checksum);
            }

            w.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
}
