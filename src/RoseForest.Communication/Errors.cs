namespace RoseForest.Communication;

/// <summary>The caller may not do this (HTTP 403).</summary>
public sealed class AccessDeniedException(string message) : RoseForestException(message);

/// <summary>A token bucket is empty (HTTP 429 with <c>Retry-After</c>).</summary>
public sealed class RateLimitedException(string message, TimeSpan retryAfter) : RoseForestException(message)
{
    /// <summary>When a retry can succeed.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>A message larger than the sender's contract allows, or a storage quota that would be passed (HTTP 413).</summary>
public sealed class PayloadTooLargeException(string message) : RoseForestException(message);

/// <summary>The request conflicts with the current state, e.g. a name already taken (HTTP 409).</summary>
public sealed class ConflictException(string message) : RoseForestException(message);
