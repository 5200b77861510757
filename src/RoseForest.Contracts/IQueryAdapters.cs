namespace RoseForest.Contracts;

/// <summary>
/// A collection that learns query adapters from relevance feedback: per named vector (and
/// optionally per tenant) a low-rank map q' = q + alpha * B(A q) applied to query vectors before
/// they are searched (documents are never re-embedded). Off by default; see docs/api.md,
/// "Query adapters". Implemented by the engine's collections; a database that does not learn
/// (a remote client, a cluster router) simply does not implement it.
/// </summary>
public interface IQueryAdapters
{
    /// <summary>
    /// Trains the adapter of <see cref="FeedbackRequest.Using"/> (and tenant) on one query with
    /// the points marked relevant and irrelevant. Throws <see cref="ValidationException"/> (and
    /// changes nothing) for an empty relevant list, unknown ids, a wrong dimension, or a geometry
    /// adapters do not support.
    /// </summary>
    Task<FeedbackResult> FeedbackAsync(FeedbackRequest request, CancellationToken cancellationToken = default);

    /// <summary>The adapter settings and every adapter with its versions.</summary>
    Task<AdapterInfo> GetAdaptersAsync(CancellationToken cancellationToken = default);

    /// <summary>Changes the settings (null fields keep their value); throws <see cref="ValidationException"/> for values out of range, changing nothing.</summary>
    Task<AdapterInfo> ConfigureAdaptersAsync(AdapterSettings settings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a task: the adapter's diagonal Fisher information gathered since the last
    /// consolidation is added to its elastic-weight-consolidation penalty, the current weights
    /// become its anchor, and a new version is recorded and saved.
    /// </summary>
    Task<AdapterVersionInfo> ConsolidateAdapterAsync(string? vectorName = null, string? tenant = null, CancellationToken cancellationToken = default);

    /// <summary>Restores an adapter's weights (and its consolidation state) to an earlier version; <see cref="ValidationException"/> when there is no such version.</summary>
    Task<AdapterVersionInfo> RollbackAdapterAsync(int version, string? vectorName = null, string? tenant = null, CancellationToken cancellationToken = default);
}
