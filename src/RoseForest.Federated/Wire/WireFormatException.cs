namespace RoseForest.Federated.Wire;

/// <summary>A message of the federated HTTP protocol is malformed; <see cref="Field"/> names the culprit.</summary>
public sealed class WireFormatException : Exception
{
    /// <summary>Creates the exception for a field.</summary>
    public WireFormatException(string field, string message)
        : base(string.IsNullOrEmpty(field) ? message : $"{field}: {message}")
    {
        Field = field;
    }

    /// <summary>The field that was wrong, e.g. <c>tensors[0].shape</c>.</summary>
    public string Field { get; }
}
