namespace RoseForest.Core;

/// <summary>A collection with that name exists already.</summary>
public sealed class CollectionAlreadyExistsException : RoseForestException
{
    /// <summary>Creates the exception.</summary>
    public CollectionAlreadyExistsException(string name)
        : base($"Collection `{name}` already exists!")
    {
        CollectionName = name;
    }

    /// <summary>The name that was taken.</summary>
    public string CollectionName { get; }
}
