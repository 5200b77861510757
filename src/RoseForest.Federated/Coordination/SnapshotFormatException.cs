namespace RoseForest.Federated.Coordination;

/// <summary>A stored snapshot is not one this version can read (wrong magic, version or task).</summary>
public sealed class SnapshotFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SnapshotFormatException(string message)
        : base(message)
    {
    }
}
