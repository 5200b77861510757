namespace RoseForest.Core;

/// <summary>
/// The collection's storage failed: either it could not be opened (its files are damaged or
/// unreadable), or a write could not be made durable (for instance the disk is full and the log
/// could not be rolled back), so it refuses writes. The message says why. Other collections are
/// not affected; the owner recovers this one (reopens it from its folder, nothing deleted) once
/// the cause is fixed.
/// </summary>
public sealed class CollectionFaultedException : RoseForestException
{
    /// <summary>Creates the exception for a collection that refuses writes after a storage failure (reads keep working).</summary>
    public CollectionFaultedException(string name, Exception cause)
        : this(name, $"Collection `{name}` refuses writes after a storage failure until it is recovered: {cause.Message}", cause)
    {
    }

    private CollectionFaultedException(string name, string message, Exception cause)
        : base(message, cause) => Collection = name;

    /// <summary>The collection's name.</summary>
    public string Collection { get; }

    /// <summary>A collection whose folder could not be opened: it serves nothing until it is recovered.</summary>
    public static CollectionFaultedException CouldNotOpen(string name, Exception cause) =>
        new(name, $"Collection `{name}` could not be opened and is faulted until it is recovered: {cause.Message}", cause);
}
