using Microsoft.AspNetCore.Http;
using RoseForest.Server.Http;

namespace RoseForest.Server;

/// <summary>
/// Helpers for parts that authorize the holders of other issuers' keys (<see cref="IKeyIssuer"/>,
/// in the contracts so every transport asks the same issuers): when a presented key is neither the
/// server's API key nor its read-only key, the key middleware asks each issuer in the services; if
/// one knows it, the request goes on with <see cref="ItemKey"/> in <see cref="HttpContext.Items"/>
/// set to the <see cref="IKeyHolder"/>, and the issuer's part must authorize the request after
/// routing (it may refuse any route it does not know).
/// </summary>
public static class KeyHolders
{
    /// <summary>The <see cref="HttpContext.Items"/> key under which the key middleware puts the holder.</summary>
    public const string ItemKey = "roseforest.key-holder";

    /// <summary>True when the request only reads (GET, HEAD, and the read-only POST routes of Qdrant's API), as the read-only key sees it.</summary>
    public static bool IsRead(HttpRequest request) => ApiKeyMiddleware.IsRead(request);
}
