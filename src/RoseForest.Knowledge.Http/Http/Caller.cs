namespace RoseForest.Knowledge.Http.Http;

/// <summary>Who is calling, from the key in <c>Authorization</c> (raw, as the YumeiCHAIN client sends it, or <c>Bearer</c>) or <c>api-key</c>.</summary>
internal enum CallerKind
{
    /// <summary>No key was presented.</summary>
    Anonymous,

    /// <summary>A key was presented that this server does not know.</summary>
    Invalid,

    /// <summary>The server's API key: may do anything, as any node.</summary>
    Admin,

    /// <summary>The server's read-only API key.</summary>
    ReadOnly,

    /// <summary>A node's own key (issued by <c>/register</c> or configured).</summary>
    Node,
}

/// <summary>The caller of a knowledge route.</summary>
/// <param name="Kind">What the key is.</param>
/// <param name="NodeId">The node, for <see cref="CallerKind.Node"/>.</param>
/// <param name="Address">The remote address (rate limiting of anonymous callers).</param>
internal sealed record Caller(CallerKind Kind, string? NodeId, string Address)
{
    /// <summary>The rate limiter's partition: the node or key kind, else the address.</summary>
    public string Partition => Kind switch
    {
        CallerKind.Node => "node:" + NodeId,
        CallerKind.Admin => "admin",
        CallerKind.ReadOnly => "read-only",
        _ => "ip:" + Address,
    };

    /// <summary>True when the caller may act as <paramref name="node"/>.</summary>
    public bool MayActAs(string node) => Kind == CallerKind.Admin || (Kind == CallerKind.Node && NodeId == node);
}

/// <summary>A refusal with an HTTP status: 401, 403, 404, 409 or 429 (with <see cref="RetryAfterSeconds"/>).</summary>
internal sealed class KnowledgeHttpException(int status, string message, int? retryAfterSeconds = null) : Exception(message)
{
    public int Status { get; } = status;

    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}
