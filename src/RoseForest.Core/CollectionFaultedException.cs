namespace RoseForest.Core;

/// <summary>
/// The collection's storage failed (for instance the disk is full and the log could not be
/// rolled back), so it refuses writes until it is reopened. Reads keep working.
/// </summary>
public sealed class CollectionFaultedException : RoseForestException
{
    /// <summary>Creates the exception.</summary>
    public CollectionFaultedException(string name, Exception cause)
        : base($"Collection `{name}` refuses writes after a storage failure: {cause.Message}", cause)
    {
    }
}
