namespace RoseForest.Communication;

// AccessDeniedException (403) and RateLimitedException (429) are RoseForest.Core's: every transport maps them.

/// <summary>A message larger than the sender's contract allows, or a storage quota that would be passed (HTTP 413).</summary>
public sealed class PayloadTooLargeException(string message) : RoseForestException(message);

/// <summary>The request conflicts with the current state, e.g. a name already taken (HTTP 409).</summary>
public sealed class ConflictException(string message) : RoseForestException(message);
