namespace RoseForest.Federated.Validation;

/// <summary>The update carries no tensors, or a tensor with no values.</summary>
public sealed class EmptyUpdateException : UpdateValidationException
{
    /// <summary>Creates the exception for a field.</summary>
    public EmptyUpdateException(string field, string message)
        : base(field, message)
    {
    }
}
