using Microsoft.AspNetCore.Http;
using RoseForest.Server.Http;

namespace RoseForest.Server;

/// <summary>
/// Issuers of API keys besides the server's own (model communication's per-model keys). When a
/// presented key is neither the server's API key nor its read-only key, the key middleware asks
/// each issuer; if one knows it, the request goes on with <see cref="KeyHolders.ItemKey"/> in
/// <see cref="HttpContext.Items"/> set to what <see cref="Identify"/> returned, and the issuer's
/// part must authorize the request after routing (it may refuse any route it does not know).
/// </summary>
public interface IKeyHolders
{
    /// <summary>The holder of a key this issuer gave out, or null when it is not one of its keys.</summary>
    object? Identify(string presentedKey);
}

/// <summary>Helpers for parts that authorize key holders.</summary>
public static class KeyHolders
{
    /// <summary>The <see cref="HttpContext.Items"/> key under which the key middleware puts the holder.</summary>
    public const string ItemKey = "roseforest.key-holder";

    /// <summary>True when the request only reads (GET, HEAD, and the read-only POST routes of Qdrant's API), as the read-only key sees it.</summary>
    public static bool IsRead(HttpRequest request) => ApiKeyMiddleware.IsRead(request);
}
