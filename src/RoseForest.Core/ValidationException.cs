namespace RoseForest.Core;

/// <summary>
/// Bad input: the request was refused before anything was written. <see cref="Field"/> names the
/// offending field (a JSON-ish path such as <c>points[3].vector</c> or <c>filter.must[0].range</c>).
/// </summary>
public class ValidationException : RoseForestException
{
    /// <summary>Creates the exception for a field.</summary>
    public ValidationException(string field, string message)
        : base(string.IsNullOrEmpty(field) ? message : $"{field}: {message}")
    {
        Field = field;
        Reason = message;
    }

    /// <summary>The field that was wrong.</summary>
    public string Field { get; }

    /// <summary>The message without the field name.</summary>
    public string Reason { get; }
}
