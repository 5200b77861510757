namespace RoseForest.Core;

/// <summary>
/// A caller's token bucket is empty (HTTP 429 with <c>Retry-After</c>, gRPC ResourceExhausted with
/// <c>retry-after</c> metadata, as Qdrant sends both).
/// </summary>
public sealed class RateLimitedException(string message, TimeSpan retryAfter) : RoseForestException(message)
{
    /// <summary>When a retry can succeed.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
