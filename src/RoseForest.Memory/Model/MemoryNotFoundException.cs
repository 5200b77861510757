namespace RoseForest.Memory;

/// <summary>No memory with this id, or none the caller's scope may see.</summary>
public sealed class MemoryNotFoundException : NotFoundException
{
    /// <summary>Creates the exception for a memory id.</summary>
    public MemoryNotFoundException(Guid id)
        : base($"No memory with id {id}")
    {
        Id = id;
    }

    /// <summary>The id asked for.</summary>
    public Guid Id { get; }
}
