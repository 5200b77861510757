namespace RoseForest.Federated.SecureAggregation;

/// <summary>Fewer shares (or surviving clients) than the threshold t: the masks cannot be removed, and the round fails.</summary>
public sealed class InsufficientSharesException : SecureAggregationException
{
    /// <summary>Creates the exception.</summary>
    public InsufficientSharesException(string message)
        : base(message)
    {
    }
}
