namespace RoseForest.Federated.Validation;

/// <summary>The update names a round other than the open one.</summary>
public sealed class RoundMismatchException : UpdateValidationException
{
    /// <summary>Creates the exception for a field.</summary>
    public RoundMismatchException(string field, string message)
        : base(field, message)
    {
    }
}
