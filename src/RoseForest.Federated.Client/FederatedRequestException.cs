namespace RoseForest.Federated.Client;

/// <summary>The coordinator refused a request: the HTTP status, the envelope's error code (e.g. <c>duplicate_update</c>, <c>round_mismatch</c>) and message.</summary>
public sealed class FederatedRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FederatedRequestException(int status, string code, string message)
        : base($"{status} {code}: {message}")
    {
        Status = status;
        Code = code;
    }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The machine-readable code from the error envelope.</summary>
    public string Code { get; }
}
