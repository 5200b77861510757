namespace RoseForest.Server;

/// <summary>Settings of the REST API: keys and request limits (the host fills them from its configuration).</summary>
public sealed class RestApiOptions
{
    /// <summary>When set, every route but the health probes requires this key (header api-key or Authorization: Bearer).</summary>
    public string? ApiKey { get; init; }

    /// <summary>When set, this key allows reads only (writes get 403).</summary>
    public string? ReadOnlyApiKey { get; init; }

    /// <summary>The most points one upsert may carry. Default 10,000.</summary>
    public int MaxBatchPoints { get; init; } = 10_000;

    /// <summary>The largest limit (and limit + offset), id list and batch a request may ask for. Default 10,000.</summary>
    public int MaxLimit { get; init; } = 10_000;
}
