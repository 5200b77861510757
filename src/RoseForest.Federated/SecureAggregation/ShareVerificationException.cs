namespace RoseForest.Federated.SecureAggregation;

/// <summary>A reconstructed secret does not match its commitment (a share was tampered with or corrupted).</summary>
public sealed class ShareVerificationException : SecureAggregationException
{
    /// <summary>Creates the exception.</summary>
    public ShareVerificationException(string message)
        : base(message)
    {
    }
}
