using RoseForest.Contracts.Qdrant;

namespace RoseForest.Client;

/// <summary>Query adapters over REST (…/feedback, …/adapter routes): a server whose collections do not learn answers 501, surfaced as a <see cref="RemoteException"/>.</summary>
internal sealed partial class RemoteCollection : IQueryAdapters
{
    public async Task<FeedbackResult> FeedbackAsync(FeedbackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QdrantJson.ReadFeedbackResult(await client.SendAsync(HttpMethod.Post, _path + "/feedback", w => QdrantJson.WriteFeedback(w, request), cancellationToken).ConfigureAwait(false));
    }

    public async Task<AdapterInfo> GetAdaptersAsync(CancellationToken cancellationToken = default) =>
        QdrantJson.ReadAdapterInfo(await client.SendAsync(HttpMethod.Get, _path + "/adapter", null, cancellationToken).ConfigureAwait(false));

    public async Task<AdapterInfo> ConfigureAdaptersAsync(AdapterSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return QdrantJson.ReadAdapterInfo(await client.SendAsync(HttpMethod.Put, _path + "/adapter", w => QdrantJson.WriteAdapterSettings(w, settings), cancellationToken).ConfigureAwait(false));
    }

    public async Task<AdapterVersionInfo> ConsolidateAdapterAsync(string? vectorName = null, string? tenant = null, CancellationToken cancellationToken = default) =>
        QdrantJson.ReadAdapterVersion(await client.SendAsync(HttpMethod.Post, _path + "/adapter/consolidate", w => QdrantJson.WriteAdapterTarget(w, null, vectorName, tenant), cancellationToken).ConfigureAwait(false));

    public async Task<AdapterVersionInfo> RollbackAdapterAsync(int version, string? vectorName = null, string? tenant = null, CancellationToken cancellationToken = default) =>
        QdrantJson.ReadAdapterVersion(await client.SendAsync(HttpMethod.Post, _path + "/adapter/rollback", w => QdrantJson.WriteAdapterTarget(w, version, vectorName, tenant), cancellationToken).ConfigureAwait(false));
}
