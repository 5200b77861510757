namespace RoseForest.Federated.Validation;

/// <summary>The update holds a NaN or an infinity (in a tensor or a metric).</summary>
public sealed class NonFiniteValueException : UpdateValidationException
{
    /// <summary>Creates the exception for a field.</summary>
    public NonFiniteValueException(string field, string message)
        : base(field, message)
    {
    }
}
