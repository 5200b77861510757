namespace RoseForest.Core;

/// <summary>The named collection does not exist.</summary>
public sealed class CollectionNotFoundException : NotFoundException
{
    /// <summary>Creates the exception.</summary>
    public CollectionNotFoundException(string name)
        : base($"Collection `{name}` doesn't exist!")
    {
        CollectionName = name;
    }

    /// <summary>The collection that was asked for.</summary>
    public string CollectionName { get; }
}
