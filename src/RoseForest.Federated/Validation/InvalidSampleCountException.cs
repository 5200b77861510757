namespace RoseForest.Federated.Validation;

/// <summary>The update's sample count is not positive.</summary>
public sealed class InvalidSampleCountException : UpdateValidationException
{
    /// <summary>Creates the exception for a field.</summary>
    public InvalidSampleCountException(string field, string message)
        : base(field, message)
    {
    }
}
