namespace RoseForest.Core;

/// <summary>The base of every error RoseForest raises on purpose. A caller may catch this one type.</summary>
public class RoseForestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RoseForestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public RoseForestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
