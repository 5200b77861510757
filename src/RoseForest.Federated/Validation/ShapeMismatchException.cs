namespace RoseForest.Federated.Validation;

/// <summary>The update's tensor names, order or shapes differ from the model's.</summary>
public sealed class ShapeMismatchException : UpdateValidationException
{
    /// <summary>Creates the exception for a field.</summary>
    public ShapeMismatchException(string field, string message)
        : base(field, message)
    {
    }
}
