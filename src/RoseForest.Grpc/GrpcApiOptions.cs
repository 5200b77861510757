namespace RoseForest.Grpc;

/// <summary>Settings of the gRPC API: the same keys and request limits as the REST API (the host fills both from one configuration).</summary>
public sealed class GrpcApiOptions
{
    /// <summary>When set, every call but the health checks needs this key (metadata <c>api-key</c> or <c>authorization: Bearer</c>).</summary>
    public string? ApiKey { get; init; }

    /// <summary>When set, this key may call the read-only rpcs only (writes answer PermissionDenied).</summary>
    public string? ReadOnlyApiKey { get; init; }

    /// <summary>The most points one upsert may carry. Default 10,000.</summary>
    public int MaxBatchPoints { get; init; } = 10_000;

    /// <summary>The largest limit (and limit + offset), id list and batch a request may ask for. Default 10,000.</summary>
    public int MaxLimit { get; init; } = 10_000;

    /// <summary>The largest message accepted, in bytes. Default 32 MiB (the REST API's body limit).</summary>
    public int MaxMessageBytes { get; init; } = 32 << 20;
}
