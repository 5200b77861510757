namespace RoseForest.Federated.SecureAggregation;

/// <summary>A secure-aggregation round cannot proceed.</summary>
public class SecureAggregationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SecureAggregationException(string message)
        : base(message)
    {
    }
}
