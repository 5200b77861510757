namespace RoseForest.Core;

/// <summary>A filter that does not follow the filter grammar; the field names where.</summary>
public sealed class FilterValidationException : ValidationException
{
    /// <summary>Creates the exception.</summary>
    public FilterValidationException(string field, string message)
        : base(field, message)
    {
    }
}
