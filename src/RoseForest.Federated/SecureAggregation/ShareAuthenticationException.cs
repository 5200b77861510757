namespace RoseForest.Federated.SecureAggregation;

/// <summary>An encrypted share failed authentication (it was altered in transit or not meant for this client).</summary>
public sealed class ShareAuthenticationException : SecureAggregationException
{
    /// <summary>Creates the exception.</summary>
    public ShareAuthenticationException(string message)
        : base(message)
    {
    }
}
