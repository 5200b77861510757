namespace RoseForest.Core;

/// <summary>Something named in a request does not exist (a collection, a point, a snapshot).</summary>
public class NotFoundException : RoseForestException
{
    /// <summary>Creates the exception.</summary>
    public NotFoundException(string message)
        : base(message)
    {
    }
}
