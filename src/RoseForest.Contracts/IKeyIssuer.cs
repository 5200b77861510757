namespace RoseForest.Contracts;

/// <summary>
/// An issuer of API keys besides the server's own (model communication's per-model keys). Every
/// transport that checks keys (REST's key middleware, gRPC's interceptor) asks the issuers in its
/// services about a key that is neither the server's key nor its read-only key; a key one of them
/// knows makes the request act as its <see cref="IKeyHolder"/>.
/// </summary>
public interface IKeyIssuer
{
    /// <summary>The holder of a key this issuer gave out, or null when it is not one of its keys.</summary>
    IKeyHolder? Identify(string presentedKey);
}

/// <summary>
/// Who a request acts as when it carries an issuer's key. The transport says what a call asks of
/// which collection; the holder decides (rights, policies, resource limits) in one place for every
/// transport.
/// </summary>
public interface IKeyHolder
{
    /// <summary>
    /// Authorizes one call on <paramref name="collection"/> (null for calls that name none), charging
    /// the holder's limits: a read costs one query, a write <paramref name="vectors"/> vectors.
    /// Throws <see cref="AccessDeniedException"/> when the holder may not, and
    /// <see cref="RateLimitedException"/> when its budget is spent.
    /// </summary>
    void Authorize(CollectionAccess access, string? collection, int vectors = 1);
}

/// <summary>What a call asks of the collection it names.</summary>
public enum CollectionAccess
{
    /// <summary>Reads points or the collection's description.</summary>
    Read,

    /// <summary>Writes points, or creates or changes the collection.</summary>
    Write,

    /// <summary>Deletes the collection.</summary>
    Administer,

    /// <summary>Server-wide operations (listing every collection, aliases, snapshots, recovery): the administrator's.</summary>
    Server,
}
