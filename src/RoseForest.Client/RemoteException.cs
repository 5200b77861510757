using System.Net;

namespace RoseForest.Client;

/// <summary>The server answered an error that has no more specific type here (401, 403, 409, 410, 413, 429, 5xx); the message is the server's.</summary>
public sealed class RemoteException(HttpStatusCode status, string message) : RoseForestException(message)
{
    /// <summary>The HTTP status the server answered.</summary>
    public HttpStatusCode Status { get; } = status;
}
