namespace RoseForest.Client;

/// <summary>How to reach a RoseForest (or Qdrant) REST API.</summary>
public sealed class RoseForestClientOptions
{
    /// <summary>The server's base address, e.g. http://localhost:6333/.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The API key, sent as the <c>api-key</c> header.</summary>
    public string? ApiKey { get; init; }

    /// <summary>How long one request may take. Default 10 minutes (large upserts, snapshots).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}
