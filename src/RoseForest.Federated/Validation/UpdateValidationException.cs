namespace RoseForest.Federated.Validation;

/// <summary>A client update was rejected; <see cref="Field"/> names the offending field.</summary>
public class UpdateValidationException : Exception
{
    /// <summary>Creates the exception for a field.</summary>
    public UpdateValidationException(string field, string message)
        : base(message)
    {
        Field = field;
    }

    /// <summary>The field that failed validation, e.g. <c>tensors</c>, <c>round</c>, <c>sampleCount</c>, <c>clientId</c>, or <c>tensors[dense.weight]</c>.</summary>
    public string Field { get; }
}
